// Canvas 2D drawing, for browsers without WebGL (headful Chrome on GPU-less
// machines no longer falls back to software GL). Same rectangles, same stripes,
// same labels as the frame shader (frame-mesh.ts).
import type { FrameDrawer, Label } from './frame-drawer';
import { isStriped, opaque, stripeColour } from './colours';
import { LABEL_FONT, LABEL_FONT_SIZE, STRIPE_PERIOD_PX, STRIPE_WIDTH_PX } from './constants';

/** Striped frames come in as many colours as change strengths on screen; past this many patterns, start afresh. */
const MAX_PATTERNS = 256;

export class CanvasDrawer implements FrameDrawer {
  readonly kind = 'canvas2d' as const;
  private ctx: CanvasRenderingContext2D;
  private surface = 0xffffff;
  private last: { rects: Float32Array; colours: Uint32Array; count: number; labels: Label[] } | null = null;
  private widthPx = 1;
  private heightPx = 1;
  /** Stripe colour (0xRRGGBB) -> a tile of STRIPE_PERIOD_PX DevicePx, opaque on the stripes, clear between. */
  private patterns = new Map<number, CanvasPattern>();

  private readonly scale: number | undefined;

  /**
   * `software`: drawn on the CPU (no GPU start-up before the first frame), for the graph's first frames before WebGL is up.
   * `scale`: DevicePx per CssPx when not the screen's (an exported image's 2×).
   */
  constructor(readonly canvas: HTMLCanvasElement, widthPx: number, heightPx: number, opts: { software?: boolean; scale?: number } = {}) {
    this.scale = opts.scale;
    const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: !!opts.software });
    if (!ctx) throw new Error('neither WebGL nor Canvas 2D is available');
    this.ctx = ctx;
    this.resize(widthPx, heightPx);
  }

  private get dpr(): number {
    return this.scale ?? (window.devicePixelRatio || 1);
  }

  resize(widthPx: number, heightPx: number): void {
    const dpr = this.dpr;
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.canvas.width = Math.round(widthPx * dpr);
    this.canvas.height = Math.round(heightPx * dpr);
    this.canvas.style.width = `${widthPx}px`;
    this.canvas.style.height = `${heightPx}px`;
    // The patterns carry the devicePixelRatio they were made for.
    this.patterns.clear();
  }

  setSurface(rgb: number): void {
    this.surface = rgb;
  }

  draw(rects: Float32Array, colours: Uint32Array, count: number, labels: Label[]): void {
    this.last = { rects, colours, count, labels };
    this.paint(1, 0, 0, true);
  }

  pan(scale: number, dx: number, dy: number): void {
    this.paint(scale, dx, dy, scale === 1);
  }

  /**
   * The stripes in one colour as a pattern in DevicePx, anchored at the canvas's top-left: device pixel
   * (i, j) is on a stripe when (i + j) mod STRIPE_PERIOD_PX < STRIPE_WIDTH_PX, as in the frame shader.
   */
  private stripes(rgb: number): CanvasPattern | null {
    const known = this.patterns.get(rgb);
    if (known) return known;
    const tile = document.createElement('canvas');
    tile.width = tile.height = STRIPE_PERIOD_PX;
    const g = tile.getContext('2d');
    if (!g) return null;
    const img = g.createImageData(STRIPE_PERIOD_PX, STRIPE_PERIOD_PX);
    for (let j = 0; j < STRIPE_PERIOD_PX; j++)
      for (let i = 0; i < STRIPE_PERIOD_PX; i++) {
        if ((i + j) % STRIPE_PERIOD_PX >= STRIPE_WIDTH_PX) continue;
        const o = (j * STRIPE_PERIOD_PX + i) * 4;
        img.data[o] = (rgb >>> 16) & 0xff;
        img.data[o + 1] = (rgb >>> 8) & 0xff;
        img.data[o + 2] = rgb & 0xff;
        img.data[o + 3] = 255;
      }
    g.putImageData(img, 0, 0);
    const p = this.ctx.createPattern(tile, 'repeat');
    if (!p) return null;
    // The context draws in CssPx (scaled by devicePixelRatio); the tile is in DevicePx.
    const dpr = this.dpr;
    p.setTransform(new DOMMatrix([1 / dpr, 0, 0, 1 / dpr, 0, 0]));
    if (this.patterns.size >= MAX_PATTERNS) this.patterns.clear();
    this.patterns.set(rgb, p);
    return p;
  }

  private paint(scale: number, dx: number, dy: number, withLabels: boolean): void {
    const ctx = this.ctx;
    const dpr = this.dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = `#${this.surface.toString(16).padStart(6, '0')}`;
    ctx.fillRect(0, 0, this.widthPx, this.heightPx);
    const l = this.last;
    if (!l) return;
    for (let k = 0; k < l.count; k++) {
      const c = l.colours[k];
      // Alpha over the surface, as the WebGL shader blends.
      ctx.fillStyle = `#${opaque(c, this.surface).toString(16).padStart(6, '0')}`;
      const x = l.rects[k * 4] * scale + dx;
      const w = l.rects[k * 4 + 2] * scale;
      // A 1 px gap between neighbours, but never erase a thin frame.
      const gw = w > 3 ? w - 1 : w;
      const y = l.rects[k * 4 + 1] + dy;
      const h = l.rects[k * 4 + 3] - 1;
      ctx.fillRect(x, y, gw, h);
      if (!isStriped(c)) continue;
      const stripes = this.stripes(stripeColour(c, this.surface));
      if (!stripes) continue;
      ctx.fillStyle = stripes;
      ctx.fillRect(x, y, gw, h);
    }
    if (!withLabels) return;
    ctx.font = `${LABEL_FONT_SIZE}px ${LABEL_FONT}`;
    ctx.textBaseline = 'top';
    for (const t of l.labels) {
      ctx.fillStyle = `#${t.colour.toString(16).padStart(6, '0')}`;
      ctx.fillText(t.text, t.x + dx, t.y + dy);
    }
  }

  destroy(): void {
    this.last = null;
    this.patterns.clear();
  }
}
