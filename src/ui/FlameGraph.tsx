import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { FlameRenderer, type DrawStats, type FlameData } from '../render/flame-renderer';
import { RELAYOUT_INTERVAL_MS } from '../render/constants';

interface Props {
  data: FlameData;
  /** Node to zoom to (controlled: null = the whole tree). */
  zoomNode: number | null;
  onZoom: (node: number | null) => void;
  /** Root at the bottom (flame) instead of the top (icicle). */
  flame: boolean;
  /** Receives the renderer once it is ready (for exporting a PNG). */
  onRenderer?: (r: FlameRenderer | null) => void;
  label?: string;
  /** Changes when the shape changed (new data or other widths): the view is set again. */
  shapeKey: unknown;
  onHover: (node: number, clientX: number, clientY: number) => void;
  onDrawn: (stats: DrawStats) => void;
  onError: (message: string) => void;
}

/** `?renderer=canvas` forces the Canvas 2D backend (for testing the fallback). */
const forceCanvas2d = new URLSearchParams(location.search).get('renderer') === 'canvas';

/**
 * Hosts the renderer: pixi.js is driven directly (ref + effect). @pixi/react
 * needs React 19's internals and cannot run under Preact (see README).
 */
export function FlameGraph({ data, zoomNode, onZoom, flame, onRenderer, label, shapeKey, onHover, onDrawn, onError }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<FlameRenderer | null>(null);
  const [ready, setReady] = useState(false);
  const hovered = useRef(-1);
  /**
   * Where the pointer rests over the graph, or null when it is elsewhere: client px for the card, and
   * CssPx in the graph as of the last pointer event (re-measuring after each draw would force a page layout).
   */
  const pointer = useRef<{ clientX: number; clientY: number; x: number; y: number } | null>(null);
  const callbacks = useRef({ onHover, onDrawn });
  callbacks.current = { onHover, onDrawn };

  /** Tells the hover card what is under the pointer now: the graph may have moved under a still pointer. */
  const hover = (r: FlameRenderer, always: boolean) => {
    const p = pointer.current;
    const node = p ? r.nodeAt(p.x, p.y) : -1;
    // The card's numbers change only with the frame; its position follows the pointer.
    if (node !== hovered.current || (always && node >= 0)) {
      hovered.current = node;
      callbacks.current.onHover(node, p?.clientX ?? 0, p?.clientY ?? 0);
    }
  };

  // Layout effects, not effects: the canvas is made and drawn in the commit that adds it, before the
  // page paints, rather than a frame later (each effect waits for the next frame, which a busy
  // compositor can hold back for a long time).
  useLayoutEffect(() => {
    const r = new FlameRenderer();
    const el = host.current!;
    let disposed = false;
    r.onDrawn = (s) => {
      callbacks.current.onDrawn(s);
      // Every draw (wheel, drag, keys, zoom, new data) may put another frame, or none, under the pointer.
      if (pointer.current) hover(r, false);
    };
    r.init(el, { 'data-testid': 'flamegraph', role: 'img', 'aria-label': label ?? 'Flame graph' }, el.clientWidth, el.clientHeight, forceCanvas2d)
      .then(() => {
        if (disposed) return r.destroy();
        renderer.current = r;
        onRenderer?.(r);
        setReady(true);
      })
      .catch((e: unknown) => onError(`The flame graph could not start: ${e instanceof Error ? e.message : String(e)}`));
    const ro = new ResizeObserver(() => {
      const r = renderer.current;
      if (!r) return;
      r.resize(el.clientWidth, el.clientHeight);
      // A taller or narrower canvas has other scroll bounds.
      clampView(r.view.start, r.view.end, r.view.scrollTop);
      r.draw();
    });
    ro.observe(el);
    return () => {
      disposed = true;
      ro.disconnect();
      renderer.current?.destroy();
      renderer.current = null;
      onRenderer?.(null);
    };
  }, []);

  const whole = () => (data.widths[0] > 0 ? data.widths[0] : 1);

  /** Sets the view, kept inside the graph's edges by the renderer (see FlameRenderer.setView). */
  const clampView = (start: number, end: number, scrollTop: number) => {
    // A settle timer or resize may still fire after a new load has torn the graph down.
    const r = renderer.current;
    if (!r || !host.current) return;
    r.setView(start, end, scrollTop);
    // Where the rows are, for automation: row d's top is d × row height − this (icicle).
    host.current.dataset.scrollTop = String(r.view.scrollTop);
  };

  /** Fits the node's width and scrolls its row into view. */
  const showNode = (node: number) => {
    const r = renderer.current!;
    const { start, width } = r.extent(node);
    if (!(width > 0)) return;
    const rowTop = data.tree.depth[node] * r.rowHeight;
    const st = r.view.scrollTop;
    // Keep room below the zoomed frame: what it calls is what one zooms to see.
    const scrollTop = rowTop < st || rowTop + r.rowHeight > st + r.size.height * 0.75 ? Math.max(0, rowTop - r.size.height / 3) : st;
    clampView(start, start + width, scrollTop);
  };

  // New data, widths or orientation: show the zoomed node, or the whole tree.
  useLayoutEffect(() => {
    const r = renderer.current;
    if (!r) return;
    r.flame = flame;
    r.setData(data);
    clampView(0, whole(), 0);
    if (zoomNode !== null && zoomNode < data.widths.length) showNode(zoomNode);
    r.draw();
  }, [ready, shapeKey, flame]);

  // Same shape, other colours or labels.
  useLayoutEffect(() => {
    const r = renderer.current;
    if (!r) return;
    r.setData(data);
    r.draw();
  }, [data]);

  // The zoom was changed from outside (a table row, a breadcrumb, a link).
  useLayoutEffect(() => {
    const r = renderer.current;
    if (!r) return;
    if (zoomNode === null) clampView(0, whole(), 0);
    else if (zoomNode < data.widths.length) showNode(zoomNode);
    r.draw(true);
  }, [zoomNode]);

  // Gestures move the view by transform and lay out again at a bounded rate and when they settle.
  const relayoutTimer = useRef<number | undefined>(undefined);
  const lastLayout = useRef(0);
  const redraw = () => {
    const r = renderer.current!;
    const now = performance.now();
    if (now - lastLayout.current >= RELAYOUT_INTERVAL_MS) {
      lastLayout.current = now;
      r.draw(true);
    } else r.draw(false);
    clearTimeout(relayoutTimer.current);
    relayoutTimer.current = window.setTimeout(() => {
      lastLayout.current = performance.now();
      r.draw(true);
    }, RELAYOUT_INTERVAL_MS);
  };

  const zoomToNode = (node: number) => {
    showNode(node);
    renderer.current!.draw(true);
    onZoom(node);
  };

  const reset = () => {
    const r = renderer.current;
    if (!r) return;
    clampView(0, whole(), 0);
    r.draw(true);
    onZoom(null);
  };

  const drag = useRef<{ x: number; y: number; view: { start: number; end: number; scrollTop: number }; moved: boolean } | null>(null);

  const local = (e: MouseEvent) => {
    const rect = host.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  return (
    <div
      class="flame-host"
      ref={host}
      tabIndex={0}
      aria-label={`${label ?? 'Flame graph'}: click a frame to zoom, Ctrl+wheel to zoom, drag to pan, Escape or 0 to reset`}
      onKeyDown={(e) => {
        const r = renderer.current;
        if (!r) return;
        const span = r.view.end - r.view.start;
        const down = flame ? -1 : 1;
        if (e.key === 'Escape' || e.key === '0') reset();
        else if (e.key === '+' || e.key === '=') {
          clampView(r.view.start + span / 4, r.view.end - span / 4, r.view.scrollTop);
          r.draw(true);
        } else if (e.key === '-') {
          clampView(r.view.start - span / 2, r.view.end + span / 2, r.view.scrollTop);
          r.draw(true);
        } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          const d = (e.key === 'ArrowLeft' ? -1 : 1) * span * 0.1;
          clampView(r.view.start + d, r.view.end + d, r.view.scrollTop);
          r.draw(true);
        } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          clampView(r.view.start, r.view.end, r.view.scrollTop + (e.key === 'ArrowUp' ? -1 : 1) * down * r.rowHeight * 3);
          r.draw(true);
        } else return;
        e.preventDefault();
      }}
      onMouseMove={(e) => {
        const r = renderer.current;
        if (!r) return;
        pointer.current = { clientX: e.clientX, clientY: e.clientY, ...local(e) };
        const d = drag.current;
        if (d && e.buttons & 1) {
          const dx = e.clientX - d.x;
          const dy = (e.clientY - d.y) * (flame ? -1 : 1);
          if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
          if (d.moved) {
            const unitsPerPx = (d.view.end - d.view.start) / r.size.width;
            clampView(d.view.start - dx * unitsPerPx, d.view.end - dx * unitsPerPx, d.view.scrollTop - dy);
            redraw();
            return;
          }
        }
        hover(r, true);
      }}
      onMouseLeave={() => {
        pointer.current = null;
        hovered.current = -1;
        callbacks.current.onHover(-1, 0, 0);
      }}
      onMouseDown={(e) => {
        const r = renderer.current;
        if (!r || e.button !== 0) return;
        drag.current = { x: e.clientX, y: e.clientY, view: { ...r.view }, moved: false };
      }}
      onMouseUp={(e) => {
        const d = drag.current;
        drag.current = null;
        const r = renderer.current;
        if (!r || !d || d.moved) return;
        const p = local(e);
        const node = r.nodeAt(p.x, p.y);
        if (node > 0) zoomToNode(node);
        else if (node === 0) reset();
      }}
      onWheel={(e) => {
        const r = renderer.current;
        if (!r) return;
        e.preventDefault();
        const p = local(e);
        pointer.current = { clientX: e.clientX, clientY: e.clientY, ...p };
        const v = r.view;
        // Deltas in CssPx: Firefox scrolls by lines (a row each here) or pages by default, Chromium by pixels.
        const unit = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? r.rowHeight : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? r.size.height : 1;
        const deltaX = e.deltaX * unit;
        const deltaY = e.deltaY * unit;
        if (e.ctrlKey || e.metaKey) {
          // Zoom at the cursor: the cost under the pointer stays under it.
          const factor = Math.exp(Math.max(-1, Math.min(1, deltaY * 0.01)));
          const at = v.start + (p.x / r.size.width) * (v.end - v.start);
          clampView(at - (at - v.start) * factor, at + (v.end - at) * factor, v.scrollTop);
        } else {
          const unitsPerPx = (v.end - v.start) / r.size.width;
          clampView(v.start + deltaX * unitsPerPx, v.end + deltaX * unitsPerPx, v.scrollTop + deltaY * (flame ? -1 : 1));
        }
        redraw();
      }}
    />
  );
}
