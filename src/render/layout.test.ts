import { describe, expect, it } from 'vitest';
import { computeStarts, deepestDrawn, hitTest, layout, maxScrollTop, type LayoutTree, type Viewport } from './layout';

// root(10) -> a(6) -> a1(6); root -> b(4); b -> b1..b100 each 0.04 (narrow)
function tree(): { t: LayoutTree; w: Float64Array } {
  const parent = [-1, 0, 1, 0];
  const depth = [0, 1, 2, 1];
  const widths = [10, 6, 6, 4];
  for (let k = 0; k < 100; k++) {
    parent.push(3);
    depth.push(2);
    widths.push(0.04);
  }
  const n = parent.length;
  const subtreeEnd = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    subtreeEnd[i] = Math.max(subtreeEnd[i], i + 1);
    if (parent[i] >= 0) subtreeEnd[parent[i]] = Math.max(subtreeEnd[parent[i]], subtreeEnd[i]);
  }
  return { t: { parent: Int32Array.from(parent), depth: Int32Array.from(depth), subtreeEnd }, w: Float64Array.from(widths) };
}

const view = (o: Partial<Viewport> = {}): Viewport => ({ start: 0, end: 10, widthPx: 1000, heightPx: 500, devicePixelRatio: 1, rowHeight: 18, scrollTop: 0, ...o });

describe('layout', () => {
  it('packs children from the parent start', () => {
    const { t, w } = tree();
    const s = computeStarts(t, w);
    expect([...s.slice(0, 5)]).toEqual([0, 0, 0, 6, 6]);
    expect(s[103]).toBeCloseTo(6 + 99 * 0.04);
  });

  it('merges runs of sub-pixel siblings into one block', () => {
    const { t, w } = tree();
    const l = layout(t, w, computeStarts(t, w), view({ widthPx: 100 }), () => 1, 2);
    // 4 wide frames + one merged block for the 100 narrow children (each 0.4 px).
    expect(l.count).toBe(5);
    const merged = [...l.nodes].indexOf(-1);
    expect(l.rects[merged * 4 + 2]).toBeCloseTo(40, 3);
    expect(l.colours[merged]).toBe(2);
  });

  it('draws only what is in view, positions relative to the viewport', () => {
    const { t, w } = tree();
    // Zoomed into a: [0, 6) fills the 600 px.
    const l = layout(t, w, computeStarts(t, w), view({ start: 0, end: 6, widthPx: 600 }), () => 1, 2);
    expect([...l.nodes]).toEqual([0, 1, 2]);
    expect(l.rects[4 * 2 + 2]).toBeCloseTo(600);
  });

  it('cost per frame does not grow with hidden nodes', () => {
    const { t, w } = tree();
    const l = layout(t, w, computeStarts(t, w), view({ widthPx: 10 }), () => 1, 2);
    expect(l.count).toBeLessThanOrEqual(5);
  });

  it('hit-tests by row and x', () => {
    const { t, w } = tree();
    const l = layout(t, w, computeStarts(t, w), view(), () => 1, 2);
    expect(l.nodes[hitTest(l, 100, 20, view())]).toBe(1);
    expect(l.nodes[hitTest(l, 700, 20, view())]).toBe(3);
    expect(l.nodes[hitTest(l, 100, 40, view())]).toBe(2);
    expect(hitTest(l, 100, 2000, view())).toBe(-1);
  });

  it('puts the root at the bottom in flame orientation, and hit-tests the same way', () => {
    const { t, w } = tree();
    const v = view({ flame: true });
    const l = layout(t, w, computeStarts(t, w), v, () => 1, 2);
    const root = [...l.nodes].indexOf(0);
    expect(l.rects[root * 4 + 1]).toBe(500 - 18);
    expect(l.nodes[hitTest(l, 100, 500 - 18 - 5, v)]).toBe(1);
  });

  it('keeps precision at deep zoom (float64 before narrowing)', () => {
    const { t, w } = tree();
    const s = computeStarts(t, w);
    const l = layout(t, w, s, view({ start: 6 + 50 * 0.04, end: 6 + 51 * 0.04, widthPx: 1000 }), () => 1, 2);
    const i = [...l.nodes].indexOf(54);
    expect(l.rects[i * 4]).toBeCloseTo(0, 3);
    expect(l.rects[i * 4 + 2]).toBeCloseTo(1000, 2);
  });
});

/**
 * A tree from folded-stack lines (`a;b;c 3`), depth-first in first-seen order; widths are totals.
 * A line's count may be 0: the frame exists (on the other side of a diff) but has no width here.
 */
function folded(text: string): { t: LayoutTree; w: Float64Array; names: string[] } {
  const names: string[] = [];
  const kids: Map<string, number>[] = [];
  const self: number[] = [];
  const node = (name: string) => {
    names.push(name);
    kids.push(new Map());
    self.push(0);
    return names.length - 1;
  };
  const root = node('root');
  for (const line of text.trim().split('\n')) {
    const [stack, count] = line.trim().split(' ');
    let at = root;
    for (const f of stack.split(';')) {
      let next = kids[at].get(f);
      if (next === undefined) kids[at].set(f, (next = node(f)));
      at = next;
    }
    self[at] += Number(count);
  }
  // Renumber depth-first.
  const parent: number[] = [];
  const depth: number[] = [];
  const widths: number[] = [];
  const order: string[] = [];
  const subtreeEnd: number[] = [];
  const walk = (n: number, p: number, d: number): number => {
    const i = parent.length;
    parent.push(p);
    depth.push(d);
    widths.push(self[n]);
    order.push(names[n]);
    subtreeEnd.push(0);
    for (const c of kids[n].values()) widths[i] += walk(c, i, d + 1);
    subtreeEnd[i] = parent.length;
    return widths[i];
  };
  walk(root, -1, 0);
  return { t: { parent: Int32Array.from(parent), depth: Int32Array.from(depth), subtreeEnd: Int32Array.from(subtreeEnd) }, w: Float64Array.from(widths), names: order };
}

describe('scroll bounds', () => {
  // main;shallow is wide and 2 deep; main;deep;d1..d9 is narrow and 11 deep; main;gone;… has no width here.
  const g = folded(`
    main;shallow 900
    main;deep;d1;d2;d3;d4;d5;d6;d7;d8;d9 100
    main;gone;g1;g2;g3;g4;g5;g6;g7;g8;g9;g10;g11;g12;g13;g14;g15 0
  `);
  const starts = computeStarts(g.t, g.w);
  const at = (name: string) => g.names.indexOf(name);

  it('reaches the deepest drawn frame, not frames without width', () => {
    expect(deepestDrawn(g.t, g.w, starts, view({ start: 0, end: 1000 }))).toBe(g.t.depth[at('d9')]);
  });

  it('counts only what is in the cost range: zoomed into a shallow frame, its own depth', () => {
    const s = starts[at('shallow')];
    expect(deepestDrawn(g.t, g.w, starts, view({ start: s, end: s + 900 }))).toBe(g.t.depth[at('shallow')]);
  });

  it('ignores frames too narrow to draw', () => {
    // 100 of 1000 on a 5 px canvas at DPR 1: `deep` is 0.5 px, under MIN_FRAME_DEVICE_PX.
    expect(deepestDrawn(g.t, g.w, starts, view({ start: 0, end: 1000, widthPx: 5 }))).toBe(g.t.depth[at('shallow')]);
    // …and draws at DPR 2, where it is a whole device pixel.
    expect(deepestDrawn(g.t, g.w, starts, view({ start: 0, end: 1000, widthPx: 5, devicePixelRatio: 2 }))).toBe(g.t.depth[at('d9')]);
  });

  it('is -1 with nothing drawn', () => {
    expect(deepestDrawn(g.t, new Float64Array(g.w.length), starts, view({ start: 0, end: 1000 }))).toBe(-1);
  });

  it('stops scrolling with the deepest row at the far edge', () => {
    const v = view({ rowHeight: 18, heightPx: 100 });
    expect(maxScrollTop(12, v)).toBe(13 * 18 - 100);
    expect(maxScrollTop(3, v)).toBe(0);
    const deepest = g.t.depth[at('d9')];
    // At the limit the deepest row is the last one laid out, in both orientations, and drawn inside the viewport.
    for (const flame of [false, true]) {
      const vv = view({ start: 0, end: 1000, rowHeight: 18, heightPx: 100, flame, scrollTop: maxScrollTop(deepest, v) });
      const l = layout(g.t, g.w, starts, vv, () => 1, 2);
      const k = [...l.nodes].indexOf(at('d9'));
      expect(k).toBeGreaterThanOrEqual(0);
      expect(l.rects[k * 4 + 1]).toBe(flame ? 0 : 100 - 18);
    }
  });
});
