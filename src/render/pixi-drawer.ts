// WebGL drawing with pixi.js: every frame in one instanced draw call
// (FrameMesh), labels as a pool of BitmapText. Draws on demand, no ticker.
// pixi.js v8 compiles shader-sync and uniform code with new Function(); this build does without,
// so the app runs under a CSP without 'unsafe-eval'.
import 'pixi.js/unsafe-eval';
import { Application, BitmapFontManager, BitmapText, Container } from 'pixi.js';
import { FrameMesh } from './frame-mesh';
import type { FrameDrawer, Label } from './frame-drawer';
import { LABEL_FONT, LABEL_FONT_SIZE } from './constants';

// The label font is monospace: no kerning to measure (pixi would measure every pair of glyphs, ~10k measureText calls for ASCII).
BitmapFontManager.defaultOptions.skipKerning = true;

export class PixiDrawer implements FrameDrawer {
  readonly kind = 'webgl' as const;
  private app = new Application();
  private frames = new FrameMesh();
  private labels = new Container();
  private pool: BitmapText[] = [];

  async init(canvas: HTMLCanvasElement, widthPx: number, heightPx: number): Promise<void> {
    await this.app.init({
      canvas,
      width: widthPx,
      height: heightPx,
      // WebGL only: pixi would otherwise fall back to WebGPU or its canvas renderer, which cannot run
      // the instanced frame shader. Without WebGL, init throws and our Canvas 2D drawer takes over.
      preference: ['webgl'],
      background: 0xffffff,
      antialias: false,
      autoStart: false,
      resolution: window.devicePixelRatio || 1,
      autoDensity: true,
      // Software WebGL (SwiftShader, headless Chromium) is accepted: it draws the same pixels.
      failIfMajorPerformanceCaveat: false,
    });
    this.app.stage.addChild(this.frames.mesh, this.labels);
    this.resize(widthPx, heightPx);
  }

  /**
   * One throw-away frame with two rectangles (plain, striped) and a label: compiles the shaders and makes
   * the label font now (a prewarm, while the data is parsed), not in the first real frame. Only the root's
   * label: glyphs made all at once come out a pixel off those made as labels need them (e2e/renderer.spec.ts).
   */
  warmUp(): void {
    this.draw(new Float32Array([0, 0, 8, 8, 8, 0, 8, 8]), new Uint32Array([0xd9d9d9ff, 0xd6301efe]), 2, [{ text: 'all', x: 0, y: 0, colour: 0 }]);
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  resize(widthPx: number, heightPx: number): void {
    // Setting a canvas's size, even to what it is, reallocates WebGL's drawing buffer.
    const r = this.app.renderer;
    if (r.width !== widthPx || r.height !== heightPx) r.resize(widthPx, heightPx);
    this.frames.setViewport(widthPx, heightPx, this.app.canvas.height);
  }

  setSurface(rgb: number): void {
    this.app.renderer.background.color = rgb;
    this.frames.setSurface(rgb);
  }

  draw(rects: Float32Array, colours: Uint32Array, count: number, labels: Label[]): void {
    this.frames.setRects(rects, colours, count);
    this.frames.setPan(1, 0, 0);
    this.labels.visible = true;
    this.labels.position.set(0, 0);
    let used = 0;
    for (const l of labels) {
      let t = this.pool[used];
      if (!t) {
        t = new BitmapText({ text: '', style: { fontFamily: LABEL_FONT, fontSize: LABEL_FONT_SIZE, fill: 0xffffff } });
        this.pool.push(t);
        this.labels.addChild(t);
      }
      used++;
      if (t.text !== l.text) t.text = l.text;
      t.visible = true;
      t.tint = l.colour;
      t.position.set(l.x, l.y);
    }
    for (let k = used; k < this.pool.length; k++) this.pool[k].visible = false;
    this.app.render();
  }

  pan(scale: number, dx: number, dy: number): void {
    this.frames.setPan(scale, dx, dy);
    this.labels.visible = scale === 1;
    this.labels.position.set(dx, dy);
    this.app.render();
  }

  destroy(): void {
    this.app.destroy(false, { children: true });
  }
}
