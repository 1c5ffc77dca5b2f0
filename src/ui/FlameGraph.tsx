import { useEffect, useRef, useState } from 'preact/hooks';
import { FlameRenderer, type FlameData } from '../render/flame-renderer';
import { RELAYOUT_INTERVAL_MS } from '../render/constants';

interface Props {
  data: FlameData;
  /** Node to zoom to (controlled: null = the whole tree). */
  zoomNode: number | null;
  onZoom: (node: number | null) => void;
  /** Receives the renderer once it is ready (for exporting a PNG). */
  onRenderer?: (r: FlameRenderer | null) => void;
  label?: string;
  /** Changes when the shape changed (new data or other widths): the zoom resets. */
  shapeKey: unknown;
  /** Maximum depth of the tree, for vertical scroll bounds. */
  maxDepth: number;
  onHover: (node: number, clientX: number, clientY: number) => void;
  onDrawn: (rects: number) => void;
  onError: (message: string) => void;
}

/**
 * Hosts the pixi renderer: pixi.js is driven directly (ref + effect). @pixi/react
 * needs React 19's internals and cannot run under Preact (see README).
 */
export function FlameGraph({ data, zoomNode, onZoom, onRenderer, label, shapeKey, maxDepth, onHover, onDrawn, onError }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<FlameRenderer | null>(null);
  const [ready, setReady] = useState(false);
  const hovered = useRef(-1);
  const callbacks = useRef({ onHover, onDrawn });
  callbacks.current = { onHover, onDrawn };

  // Create the renderer once.
  useEffect(() => {
    const r = new FlameRenderer();
    let disposed = false;
    const el = host.current!;
    r.init(canvas.current!, el.clientWidth, el.clientHeight)
      .then(() => {
        if (disposed) return r.destroy();
        r.onDrawn = (n) => callbacks.current.onDrawn(n);
        renderer.current = r;
        onRenderer?.(r);
        setReady(true);
      })
      .catch((e: unknown) => onError(`The flame graph could not start WebGL: ${e instanceof Error ? e.message : String(e)}`));
    const ro = new ResizeObserver(() => {
      if (!renderer.current) return;
      renderer.current.resize(el.clientWidth, el.clientHeight);
      renderer.current.draw();
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

  // New data or widths: show the zoomed node, or the whole tree.
  useEffect(() => {
    const r = renderer.current;
    if (!r) return;
    r.setData(data);
    const whole = data.widths[0] > 0 ? data.widths[0] : 1;
    r.view = { start: 0, end: whole, scrollTop: 0 };
    if (zoomNode !== null && zoomNode < data.widths.length) showNode(zoomNode);
    r.draw();
  }, [ready, shapeKey]);

  // The zoom was changed from outside (a table row, a link).
  useEffect(() => {
    const r = renderer.current;
    if (!r) return;
    if (zoomNode === null) clampView(0, data.widths[0], 0);
    else if (zoomNode < data.widths.length) showNode(zoomNode);
    r.draw(true);
  }, [zoomNode]);

  // Same shape, other colours or labels.
  useEffect(() => {
    const r = renderer.current;
    if (!r) return;
    r.setData(data);
    r.draw();
  }, [data]);

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

  const clampView = (start: number, end: number, scrollTop: number) => {
    const r = renderer.current!;
    const whole = data.widths[0] > 0 ? data.widths[0] : 1;
    let span = Math.min(whole, Math.max(end - start, whole * 1e-12));
    let s = Math.min(Math.max(0, start), whole - span);
    if (!(span > 0)) span = whole;
    if (!Number.isFinite(s)) s = 0;
    const maxScroll = Math.max(0, (maxDepth + 2) * r.rowHeight - r.size.height);
    r.view = { start: s, end: s + span, scrollTop: Math.min(Math.max(0, scrollTop), maxScroll) };
  };

  /** Fits the node's width and scrolls its row into view. */
  const showNode = (node: number) => {
    const r = renderer.current!;
    const { start, width } = r.extent(node);
    if (!(width > 0)) return;
    const rowTop = data.tree.depth[node] * r.rowHeight;
    const st = r.view.scrollTop;
    const scrollTop = rowTop < st || rowTop + r.rowHeight > st + r.size.height ? Math.max(0, rowTop - r.size.height / 3) : st;
    clampView(start, start + width, scrollTop);
  };

  const zoomToNode = (node: number) => {
    showNode(node);
    renderer.current!.draw(true);
    onZoom(node);
  };

  const reset = () => {
    const r = renderer.current;
    if (!r) return;
    clampView(0, data.widths[0], 0);
    r.draw(true);
    onZoom(null);
  };

  const drag = useRef<{ x: number; y: number; view: { start: number; end: number; scrollTop: number }; moved: boolean } | null>(null);

  const local = (e: MouseEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
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
          clampView(r.view.start, r.view.end, r.view.scrollTop + (e.key === 'ArrowUp' ? -1 : 1) * r.rowHeight * 3);
          r.draw(true);
        } else return;
        e.preventDefault();
      }}
    >
      <canvas
        ref={canvas}
        data-testid="flamegraph"
        onMouseMove={(e) => {
          const r = renderer.current;
          if (!r) return;
          const p = local(e);
          const d = drag.current;
          if (d && (e.buttons & 1)) {
            const dx = e.clientX - d.x;
            const dy = e.clientY - d.y;
            if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
            if (d.moved) {
              const unitsPerPx = (d.view.end - d.view.start) / r.size.width;
              clampView(d.view.start - dx * unitsPerPx, d.view.end - dx * unitsPerPx, d.view.scrollTop - dy);
              redraw();
              return;
            }
          }
          const node = r.nodeAt(p.x, p.y);
          if (node !== hovered.current || node >= 0) {
            hovered.current = node;
            callbacks.current.onHover(node, e.clientX, e.clientY);
          }
        }}
        onMouseLeave={() => {
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
          const v = r.view;
          if (e.ctrlKey || e.metaKey) {
            // Zoom at the cursor: the cost under the pointer stays under it.
            const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.01)));
            const at = v.start + (p.x / r.size.width) * (v.end - v.start);
            clampView(at - (at - v.start) * factor, at + (v.end - at) * factor, v.scrollTop);
          } else {
            const unitsPerPx = (v.end - v.start) / r.size.width;
            clampView(v.start + e.deltaX * unitsPerPx, v.end + e.deltaX * unitsPerPx, v.scrollTop + e.deltaY);
          }
          redraw();
        }}
      />
    </div>
  );
}
