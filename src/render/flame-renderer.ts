// The flame graph without a framework: layout, labels, hit testing, gestures'
// cheap transforms, and the drawing backend (WebGL via pixi.js, or Canvas 2D).
// Knows rectangles, colours and labels, nothing of formats or diffs.
import { computeStarts, deepestDrawn, hitTest, layout, maxScrollTop, type Layout, type LayoutTree, type Viewport } from './layout';
import type { FrameDrawer, Label } from './frame-drawer';
import { CanvasDrawer } from './canvas-drawer';
import type { PixiDrawer as PixiDrawerType } from './pixi-drawer';
import { LIGHT_THEME, type Theme } from './theme';
import { graphPicture, placeLabels, type GraphPicture } from './picture';
import { LABEL_FONT, LABEL_FONT_SIZE, ROW_HEIGHT } from './constants';

export type { GraphPicture } from './picture';

export interface FlameData {
  tree: LayoutTree;
  /** Cost that sets each node's width (head total, base total…), in the tree's unit. */
  widths: Float64Array;
  colourOf: (node: number) => number;
  labelOf: (node: number) => string;
  /** The surface drawn on and merged blocks' colour (a light theme when absent). */
  theme?: Theme;
}

export interface View {
  start: number;
  end: number;
  scrollTop: number;
}

export interface DrawStats {
  rects: number;
  labels: number;
  /** ms spent in layout + buffer upload + draw call submission. */
  ms: number;
  backend: 'webgl' | 'canvas2d';
}

export class FlameRenderer {
  private drawer: FrameDrawer | null = null;
  private host: HTMLElement | null = null;
  private data: FlameData | null = null;
  private starts: Float64Array = new Float64Array(0);
  private current: Layout | null = null;
  private laidOut: View | null = null;
  /** What was drawn by transform since the last layout (x' = x·scale + dx, y' = y + dy), or null. */
  private panned: { scale: number; dx: number; dy: number } | null = null;
  /** deepestDrawn for the last cost range asked about (it walks every depth, so it is kept). */
  private deepest: { start: number; end: number; widthPx: number; dpr: number; depth: number } | null = null;
  private charWidth = 7;
  private widthPx = 1;
  private heightPx = 1;
  private canvasAttrs: Record<string, string> = {};
  private disposed = false;
  private drewFirst: () => void = () => {};
  /** On Canvas 2D for now, WebGL to follow; counted in <html data-renderer=settling> once a frame is shown. */
  private upgradePending = false;
  private settlingCounted = false;
  /** Resolves once a frame has been drawn. */
  private firstFrame = new Promise<void>((r) => (this.drewFirst = r));
  view: View = { start: 0, end: 1, scrollTop: 0 };
  /** Root at the bottom (flame) or the top (icicle). */
  flame = false;
  /** Called after each drawn frame. */
  onDrawn: (stats: DrawStats) => void = () => {};

  /** Creates the canvas inside `host`: WebGL when it can, Canvas 2D otherwise. */
  async init(host: HTMLElement, canvasAttrs: Record<string, string>, widthPx: number, heightPx: number, forceCanvas2d = false): Promise<void> {
    this.host = host;
    this.canvasAttrs = canvasAttrs;
    this.widthPx = Math.max(1, widthPx);
    this.heightPx = Math.max(1, heightPx);
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx) {
      ctx.font = `${LABEL_FONT_SIZE}px ${LABEL_FONT}`;
      this.charWidth = ctx.measureText('MMMMMMMMMM').width / 10;
    }
    await this.createDrawer(forceCanvas2d);
  }

  /**
   * The first frame never waits for WebGL: unless a prewarmed WebGL drawer is ready now, the graph
   * starts on Canvas 2D (in software: no GPU start-up on the way) and moves to WebGL once pixi.js
   * and its context are up (`upgrade`). `?renderer=canvas` (forceCanvas2d) stays on Canvas 2D.
   */
  private async createDrawer(forceCanvas2d: boolean, allowWarm = true): Promise<void> {
    rememberGraphSize(this.widthPx, this.heightPx);
    if (forceCanvas2d) return this.install(new CanvasDrawer(document.createElement('canvas'), this.widthPx, this.heightPx));
    const warmed = allowWarm ? takeReadyWarmDrawer() : null;
    if (warmed) return this.install(warmed);
    if (!allowWarm) {
      const fresh = await newWebglDrawer(this.widthPx, this.heightPx);
      return this.install(fresh ?? new CanvasDrawer(document.createElement('canvas'), this.widthPx, this.heightPx));
    }
    this.install(new CanvasDrawer(document.createElement('canvas'), this.widthPx, this.heightPx, { software: true }));
    this.upgradePending = true;
    void this.upgrade().finally(() => {
      this.upgradePending = false;
      if (this.settlingCounted) settling(-1);
      this.settlingCounted = false;
    });
  }

  /** Moves the graph to WebGL when it can run here, after the first frame (unless warming up already); the view stays as it is. */
  private async upgrade(): Promise<void> {
    if (!warm) {
      await this.firstFrame;
      // A task later: the page takes the first frame in (data-state=ready) before pixi.js blocks the thread.
      await new Promise((r) => setTimeout(r, 0));
      if (this.disposed) return;
    }
    prewarmRenderer();
    const gl = (await takeWarmDrawer()) ?? (await newWebglDrawer(this.widthPx, this.heightPx));
    if (!gl) return; // No WebGL: Canvas 2D it stays.
    if (this.disposed) return gl.destroy();
    this.install(gl);
    this.draw(true);
  }

  private install(drawer: FrameDrawer): void {
    if (this.disposed) return drawer.destroy();
    if (drawer.kind === 'webgl') this.watchContext(drawer.canvas);
    drawer.resize(this.widthPx, this.heightPx);
    const target = drawer.canvas;
    for (const [k, v] of Object.entries(this.canvasAttrs)) target.setAttribute(k, v);
    target.dataset.backend = drawer.kind;
    const old = this.drawer;
    this.drawer = drawer;
    if (drawer.kind === 'webgl') webglInUse++;
    if (old?.kind === 'webgl') webglInUse--;
    if (old) {
      old.canvas.replaceWith(target);
      old.destroy();
    } else this.host!.appendChild(target);
  }

  /**
   * A lost WebGL context is recovered by a fresh canvas and drawer: pixi v8
   * does not re-upload everything it had (bitmap-font glyph textures among
   * them), so the labels would stay missing on the old one.
   */
  private watchContext(canvas: HTMLCanvasElement): void {
    canvas.addEventListener('webglcontextlost', (e) => e.preventDefault());
    canvas.addEventListener('webglcontextrestored', () => {
      if (this.drawer?.canvas !== canvas) return;
      void this.createDrawer(false, false).then(() => this.draw(true));
    });
  }

  get canvas(): HTMLCanvasElement | null {
    return this.drawer?.canvas ?? null;
  }

  get backend(): 'webgl' | 'canvas2d' | null {
    return this.drawer?.kind ?? null;
  }

  resize(widthPx: number, heightPx: number): void {
    this.widthPx = Math.max(1, widthPx);
    this.heightPx = Math.max(1, heightPx);
    this.drawer?.resize(this.widthPx, this.heightPx);
    this.laidOut = null;
    this.deepest = null;
  }

  setData(data: FlameData): void {
    if (!this.data || this.data.tree !== data.tree || this.data.widths !== data.widths) {
      this.starts = computeStarts(data.tree, data.widths);
      this.deepest = null;
    }
    this.data = data;
    this.laidOut = null;
  }

  get rowHeight(): number {
    return ROW_HEIGHT;
  }

  private viewport(v: View = this.view): Viewport {
    return {
      start: v.start,
      end: v.end,
      widthPx: this.widthPx,
      heightPx: this.heightPx,
      devicePixelRatio: window.devicePixelRatio || 1,
      rowHeight: ROW_HEIGHT,
      scrollTop: v.scrollTop,
      flame: this.flame,
    };
  }

  /** Lays out and draws (relayout), or moves what is drawn by transform (mid-gesture). */
  draw(relayout = true): void {
    const d = this.data;
    const drawer = this.drawer;
    if (!d || !drawer) return;
    const started = performance.now();
    const v = this.view;
    let labels = 0;
    if (relayout || !this.laidOut) {
      const theme = d.theme ?? LIGHT_THEME;
      drawer.setSurface(theme.surface);
      this.current = layout(d.tree, d.widths, this.starts, this.viewport(), d.colourOf, theme.merged);
      this.laidOut = { ...v };
      this.panned = null;
      const l = this.placeLabels(this.current, d);
      labels = l.length;
      drawer.draw(this.current.rects, this.current.colours, this.current.count, l);
    } else {
      const lv = this.laidOut;
      const scale = (lv.end - lv.start) / (v.end - v.start);
      const dx = ((lv.start - v.start) / (lv.end - lv.start)) * this.widthPx * scale;
      const dy = (lv.scrollTop - v.scrollTop) * (this.flame ? -1 : 1);
      drawer.pan(scale, dx, dy);
      this.panned = { scale, dx, dy };
    }
    this.onDrawn({ rects: this.current?.count ?? 0, labels, ms: performance.now() - started, backend: drawer.kind });
    this.drewFirst();
    if (this.upgradePending && !this.settlingCounted) {
      this.settlingCounted = true;
      settling(+1);
    }
  }

  private placeLabels(l: Layout, d: FlameData): Label[] {
    return placeLabels(l, d, this.widthPx, this.charWidth);
  }

  /** The tree node drawn under (x, y) CssPx, or -1; mid-gesture too, where the last layout is shown moved. */
  nodeAt(x: number, y: number): number {
    const l = this.current;
    if (!l || !this.laidOut) return -1;
    const p = this.panned;
    const k = p ? hitTest(l, (x - p.dx) / p.scale, y - p.dy, this.viewport(this.laidOut)) : hitTest(l, x, y, this.viewport(this.laidOut));
    return k < 0 ? -1 : l.nodes[k];
  }

  /**
   * Sets the view inside the graph's edges: the cost range within the root's (no narrower than
   * 1e-12 of it, where float64 positions stop being distinct), and the scroll between the root's
   * row and the deepest row drawn in that range, so a wheel or a drag can never leave an empty canvas.
   */
  setView(start: number, end: number, scrollTop: number): void {
    const d = this.data;
    const w = d && d.widths[0] > 0 ? d.widths[0] : 1;
    let span = Math.min(w, Math.max(end - start, w * 1e-12));
    if (!(span > 0)) span = w;
    let s = Math.min(Math.max(0, start), w - span);
    if (!Number.isFinite(s)) s = 0;
    const view = { start: s, end: s + span, scrollTop: 0 };
    const limit = d ? maxScrollTop(this.deepestIn(view), this.viewport(view)) : 0;
    view.scrollTop = Number.isFinite(scrollTop) ? Math.min(Math.max(0, scrollTop), limit) : 0;
    this.view = view;
  }

  private deepestIn(v: View): number {
    const vp = this.viewport(v);
    const c = this.deepest;
    if (c && c.start === v.start && c.end === v.end && c.widthPx === vp.widthPx && c.dpr === vp.devicePixelRatio) return c.depth;
    const depth = deepestDrawn(this.data!.tree, this.data!.widths, this.starts, vp);
    this.deepest = { start: v.start, end: v.end, widthPx: vp.widthPx, dpr: vp.devicePixelRatio, depth };
    return depth;
  }

  /** Start and width of a node on the cost axis. */
  extent(node: number): { start: number; width: number } {
    return { start: this.starts[node], width: this.data!.widths[node] };
  }

  get size(): { width: number; height: number } {
    return { width: this.widthPx, height: this.heightPx };
  }

  /**
   * The graph of the current zoom for an image: every row from the root down (not only those
   * scrolled into view), at this width, laid out for `scale` DevicePx per CssPx. Rows past
   * `maxHeightPx` are left out (a 50,000-row recursion would make an image no viewer opens).
   */
  picture(scale = 2, maxHeightPx = 6000): GraphPicture | null {
    const d = this.data;
    if (!d) return null;
    return graphPicture(d, this.starts, { start: this.view.start, end: this.view.end, widthPx: this.widthPx, flame: this.flame }, scale, maxHeightPx, this.charWidth);
  }

  destroy(): void {
    this.disposed = true;
    if (this.drawer?.kind === 'webgl') webglInUse--;
    this.drawer?.canvas.remove();
    this.drawer?.destroy();
    this.drawer = null;
  }
}

/**
 * Graphs drawn on Canvas 2D whose WebGL drawer is still starting. While there are any,
 * <html data-renderer="settling">: the canvas (data-testid=flamegraph) is about to be replaced by
 * a WebGL one showing the same view; then "settled". Automation that holds on to the canvas waits for it.
 */
let settlingGraphs = 0;
function settling(delta: number): void {
  settlingGraphs += delta;
  document.documentElement.dataset.renderer = settlingGraphs > 0 ? 'settling' : 'settled';
}

let warm: Promise<FrameDrawer | null> | null = null;
/** Graphs drawing with WebGL now. */
let webglInUse = 0;
/** The prewarmed drawer once its promise has settled (undefined before). */
let warmSettled: FrameDrawer | null | undefined;

/**
 * Creates a WebGL drawer ahead of need. Called once a first frame is on Canvas 2D, never while files
 * are read: pixi.js's first evaluation and WebGL's start block the main thread for most of a second
 * in software GL, and every step between the workers (a read done, head's profile moved, the diff's
 * result) goes through the main thread.
 */
export function prewarmRenderer(): void {
  // A graph already on WebGL keeps its drawer across loads: none to warm.
  if (warm || webglInUse > 0) return;
  warmSettled = undefined;
  warm = (async () => {
    const size = expectedGraphSize();
    // At the size the graph is likely to get, so the first frame does not reallocate the drawing buffer.
    const d = await newWebglDrawer(size.width, size.height);
    d?.warmUp();
    return d;
  })();
  void warm.then((d) => {
    warmSettled = d;
  });
}

async function newWebglDrawer(widthPx: number, heightPx: number): Promise<PixiDrawerType | null> {
  try {
    // pixi.js is loaded on first use (see loadPixi): the page and the downloads need not wait for it.
    const { PixiDrawer } = await loadPixi();
    const d = new PixiDrawer();
    await d.init(document.createElement('canvas'), widthPx, heightPx);
    return d;
  } catch {
    return null;
  }
}

/** The prewarmed drawer if it is ready now (never waits). */
function takeReadyWarmDrawer(): FrameDrawer | null {
  if (!warm || !warmSettled) return null;
  const d = warmSettled;
  warm = null;
  warmSettled = undefined;
  return d;
}

const SIZE_KEY = 'flamediff.graphSize';

/** The graph's size the last time it was drawn in this browser, else a guess from the window (full width, ~45 % of the height). */
function expectedGraphSize(): { width: number; height: number } {
  try {
    const s = JSON.parse(localStorage.getItem(SIZE_KEY) ?? 'null') as { width: number; height: number; window: string } | null;
    if (s && s.window === `${innerWidth}x${innerHeight}` && s.width > 0 && s.height > 0) return s;
  } catch {
    // No storage (private mode, blocked): guess.
  }
  return { width: Math.max(1, document.documentElement.clientWidth || innerWidth), height: Math.max(240, Math.round(innerHeight * 0.45)) };
}

/** Remembers the graph's size for the next visit's prewarm. */
function rememberGraphSize(width: number, height: number): void {
  try {
    localStorage.setItem(SIZE_KEY, JSON.stringify({ width, height, window: `${innerWidth}x${innerHeight}` }));
  } catch {
    // Not kept: the next prewarm guesses.
  }
}

async function takeWarmDrawer(): Promise<FrameDrawer | null> {
  const w = warm;
  warm = null;
  warmSettled = undefined;
  return w ? await w : null;
}

let pixiModule: Promise<typeof import('./pixi-drawer')> | null = null;
/** Starts loading pixi.js (once); call early to overlap it with downloads and parsing. */
export function loadPixi(): Promise<typeof import('./pixi-drawer')> {
  pixiModule ??= import('./pixi-drawer');
  return pixiModule;
}
