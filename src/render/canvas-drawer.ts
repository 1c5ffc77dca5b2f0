// Canvas 2D drawing, for browsers without WebGL (headful Chrome on GPU-less
// machines no longer falls back to software GL). Same rectangles, same labels.
import type { FrameDrawer, Label } from './frame-drawer';
import { LABEL_FONT, LABEL_FONT_SIZE } from './constants';

export class CanvasDrawer implements FrameDrawer {
  readonly kind = 'canvas2d' as const;
  private ctx: CanvasRenderingContext2D;
  private last: { rects: Float32Array; colours: Uint32Array; count: number; labels: Label[] } | null = null;
  private widthPx = 1;
  private heightPx = 1;

  constructor(readonly canvas: HTMLCanvasElement, widthPx: number, heightPx: number) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('neither WebGL nor Canvas 2D is available');
    this.ctx = ctx;
    this.resize(widthPx, heightPx);
  }

  resize(widthPx: number, heightPx: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.canvas.width = Math.round(widthPx * dpr);
    this.canvas.height = Math.round(heightPx * dpr);
    this.canvas.style.width = `${widthPx}px`;
    this.canvas.style.height = `${heightPx}px`;
  }

  draw(rects: Float32Array, colours: Uint32Array, count: number, labels: Label[]): void {
    this.last = { rects, colours, count, labels };
    this.paint(1, 0, 0, true);
  }

  pan(scale: number, dx: number, dy: number): void {
    this.paint(scale, dx, dy, scale === 1);
  }

  private paint(scale: number, dx: number, dy: number, withLabels: boolean): void {
    const ctx = this.ctx;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, this.widthPx, this.heightPx);
    const l = this.last;
    if (!l) return;
    for (let k = 0; k < l.count; k++) {
      const c = l.colours[k];
      const a = (c & 0xff) / 255;
      // Premultiplied over white, as the WebGL shader does.
      const ch = (shift: number) => Math.round(((c >>> shift) & 0xff) * a + 255 * (1 - a));
      ctx.fillStyle = `rgb(${ch(24)},${ch(16)},${ch(8)})`;
      const x = l.rects[k * 4] * scale + dx;
      const w = l.rects[k * 4 + 2] * scale;
      ctx.fillRect(x, l.rects[k * 4 + 1] + dy, w > 3 ? w - 1 : w, l.rects[k * 4 + 3] - 1);
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
  }
}
