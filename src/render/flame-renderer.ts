// The pixi.js side of the flame graph: knows rectangles, colours and labels,
// nothing of formats or diffs. Draws on demand (no ticker): a still graph costs nothing.
import { Application, BitmapText, Container } from 'pixi.js';
import { computeStarts, hitTest, layout, type Layout, type LayoutTree } from './layout';
import { FrameMesh } from './frame-mesh';
import { LABEL_FONT_SIZE, LABEL_PADDING, MERGED_COLOUR, MIN_LABEL_PX, ROW_HEIGHT } from './constants';

export interface FlameData {
  tree: LayoutTree;
  /** Cost that sets each node's width (head total, base total…), in the tree's unit. */
  widths: Float64Array;
  colourOf: (node: number) => number;
  labelOf: (node: number) => string;
}

export interface View {
  start: number;
  end: number;
  scrollTop: number;
}

const LABEL_FONT = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

export class FlameRenderer {
  private app = new Application();
  private frames = new FrameMesh();
  private labels = new Container();
  private pool: BitmapText[] = [];
  private data: FlameData | null = null;
  private starts: Float64Array = new Float64Array(0);
  private current: Layout | null = null;
  private laidOut: View | null = null;
  private charWidth = 7;
  private widthPx = 1;
  private heightPx = 1;
  view: View = { start: 0, end: 1, scrollTop: 0 };
  /** Called after each drawn frame with the number of rectangles drawn. */
  onDrawn: (rects: number) => void = () => {};

  async init(canvas: HTMLCanvasElement, widthPx: number, heightPx: number): Promise<void> {
    await this.app.init({
      canvas,
      width: widthPx,
      height: heightPx,
      preference: 'webgl',
      background: 0xffffff,
      antialias: false,
      autoStart: false,
      resolution: window.devicePixelRatio || 1,
      autoDensity: true,
    });
    this.app.stage.addChild(this.frames.mesh, this.labels);
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx) {
      ctx.font = `${LABEL_FONT_SIZE}px ${LABEL_FONT}`;
      this.charWidth = ctx.measureText('MMMMMMMMMM').width / 10;
    }
    this.resize(widthPx, heightPx);
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  resize(widthPx: number, heightPx: number): void {
    this.widthPx = Math.max(1, widthPx);
    this.heightPx = Math.max(1, heightPx);
    this.app.renderer.resize(this.widthPx, this.heightPx);
    this.frames.setViewport(this.widthPx, this.heightPx);
    this.laidOut = null;
  }

  setData(data: FlameData): void {
    this.data = data;
    this.starts = computeStarts(data.tree, data.widths);
    this.laidOut = null;
  }

  /** Colours or labels changed, the shape did not. */
  refresh(): void {
    this.laidOut = null;
  }

  /** Maximum depth that has any width (for the reset view and scroll bounds). */
  get rowHeight(): number {
    return ROW_HEIGHT;
  }

  /** Lays out when the view changed since the last layout (or `relayout`), then draws. */
  draw(relayout = true): void {
    const d = this.data;
    if (!d) return;
    const v = this.view;
    if (relayout || !this.laidOut) {
      this.current = layout(
        d.tree,
        d.widths,
        this.starts,
        { start: v.start, end: v.end, widthPx: this.widthPx, heightPx: this.heightPx, devicePixelRatio: window.devicePixelRatio || 1, rowHeight: ROW_HEIGHT, scrollTop: v.scrollTop },
        d.colourOf,
        MERGED_COLOUR,
      );
      this.laidOut = { ...v };
      this.frames.setRects(this.current.rects, this.current.colours, this.current.count);
      this.frames.setPan(1, 0, 0);
      this.placeLabels();
      this.labels.position.set(0, 0);
      this.labels.scale.set(1, 1);
    } else {
      // Mid-gesture: move what is drawn by transform; the next relayout makes it exact.
      const lv = this.laidOut;
      const scale = (lv.end - lv.start) / (v.end - v.start);
      const dx = ((lv.start - v.start) / (lv.end - lv.start)) * this.widthPx * scale;
      const dy = lv.scrollTop - v.scrollTop;
      this.frames.setPan(scale, dx, dy);
      this.labels.visible = scale === 1;
      this.labels.position.set(dx, dy);
    }
    this.app.render();
    this.onDrawn(this.current?.count ?? 0);
  }

  private placeLabels(): void {
    const l = this.current!;
    const d = this.data!;
    let used = 0;
    this.labels.visible = true;
    for (let k = 0; k < l.count; k++) {
      const w = l.rects[k * 4 + 2];
      const node = l.nodes[k];
      if (w < MIN_LABEL_PX || node < 0) continue;
      const chars = Math.floor((w - 2 * LABEL_PADDING) / this.charWidth);
      if (chars < 2) continue;
      const full = d.labelOf(node);
      const text = full.length <= chars ? full : full.slice(0, chars - 1) + '…';
      let t = this.pool[used];
      if (!t) {
        t = new BitmapText({ text: '', style: { fontFamily: LABEL_FONT, fontSize: LABEL_FONT_SIZE, fill: 0xffffff } });
        this.pool.push(t);
        this.labels.addChild(t);
      }
      used++;
      if (t.text !== text) t.text = text;
      t.visible = true;
      t.tint = textTint(l.colours[k]);
      t.position.set(Math.max(0, l.rects[k * 4]) + LABEL_PADDING, l.rects[k * 4 + 1] + (ROW_HEIGHT - LABEL_FONT_SIZE) / 2 - 1);
    }
    for (let k = used; k < this.pool.length; k++) this.pool[k].visible = false;
  }

  /** The tree node under (x, y) CssPx, or -1. */
  nodeAt(x: number, y: number): number {
    const l = this.current;
    if (!l) return -1;
    const k = hitTest(l, x, y, ROW_HEIGHT, this.view.scrollTop);
    return k < 0 ? -1 : l.nodes[k];
  }

  /** Start and width of a node on the cost axis. */
  extent(node: number): { start: number; width: number } {
    return { start: this.starts[node], width: this.data!.widths[node] };
  }

  get size(): { width: number; height: number } {
    return { width: this.widthPx, height: this.heightPx };
  }

  /** The graph as shown, as a PNG data URL (drawn and read in one task, so WebGL's buffer is still there). */
  toDataURL(): string {
    this.draw(true);
    return this.app.canvas.toDataURL('image/png');
  }

  destroy(): void {
    this.app.destroy(false, { children: true });
  }
}

/** Dark text on light frames, white on saturated ones (WCAG relative luminance). */
function textTint(rgba: number): number {
  const r = ((rgba >>> 24) & 0xff) / 255;
  const g = ((rgba >>> 16) & 0xff) / 255;
  const b = ((rgba >>> 8) & 0xff) / 255;
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.45 ? 0x111111 : 0xffffff;
}
