// What the renderer needs from a drawing backend: rectangles and labels in
// CssPx, and a cheap transform for gestures. WebGL through pixi.js normally;
// Canvas 2D where WebGL is missing.

export interface Label {
  text: string;
  x: number;
  y: number;
  /** 0xRRGGBB text colour. */
  colour: number;
}

export interface FrameDrawer {
  readonly kind: 'webgl' | 'canvas2d';
  readonly canvas: HTMLCanvasElement;
  resize(widthPx: number, heightPx: number): void;
  /** What the frames are drawn on (0xRRGGBB): the gaps between them, and what dimmed frames blend with. */
  setSurface(rgb: number): void;
  /** Replaces everything drawn; rects are x, y, w, h CssPx, colours 0xRRGGBBAA. */
  draw(rects: Float32Array, colours: Uint32Array, count: number, labels: Label[]): void;
  /** Redraws what was last drawn moved by x' = x·scale + dx, y' = y + dy (labels hidden while scaled). */
  pan(scale: number, dx: number, dy: number): void;
  destroy(): void;
}
