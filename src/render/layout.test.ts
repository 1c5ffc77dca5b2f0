import { describe, expect, it } from 'vitest';
import { computeStarts, hitTest, layout, type LayoutTree, type Viewport } from './layout';

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
