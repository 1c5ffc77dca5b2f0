// Pure layout: (tree, viewport) -> rectangles of only what is visible.
// Work is proportional to what is on screen, not to the tree: a subtree that
// is off screen, or narrower than a device pixel, is skipped in one step
// (depth-first order makes a subtree one index range).
import { MIN_FRAME_DEVICE_PX } from './constants';
import { grownFloat64, grownInt32 } from '../model/typed-arrays';

export interface LayoutTree {
  parent: Int32Array;
  depth: Int32Array;
  subtreeEnd: Int32Array;
}

export interface Viewport {
  /** Visible range of the cost axis, in the tree's unit: the root spans [0, widths[0]). */
  start: number;
  end: number;
  /** CssPx. */
  widthPx: number;
  heightPx: number;
  devicePixelRatio: number;
  rowHeight: number;
  /** CssPx scrolled past the first row (the root's row). */
  scrollTop: number;
  /** Root at the bottom (a flame) instead of the top (an icicle). */
  flame?: boolean;
}

export interface Layout {
  count: number;
  /** x, y, width, height per rectangle, CssPx relative to the viewport; rows in order, x ascending in a row. */
  rects: Float32Array;
  /** RGBA per rectangle. */
  colours: Uint32Array;
  /** Tree node per rectangle; -1 for a block of merged narrow frames. */
  nodes: Int32Array;
  /** rowStart[d] .. rowStart[d+1]: the rectangles of depth d. */
  rowStart: Int32Array;
}

/** Where each node starts on the cost axis, children packed left to right from the parent's start. */
export function computeStarts(tree: LayoutTree, widths: Float64Array): Float64Array {
  const n = tree.parent.length;
  const starts = new Float64Array(n);
  const cursor = new Float64Array(n);
  // Parents precede children in depth-first order, so a parent's cursor is set before its first child.
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (p >= 0) {
      starts[i] = cursor[p];
      cursor[p] += widths[i];
    }
    cursor[i] = starts[i];
  }
  return starts;
}

/**
 * Visits what is drawn in the view's cost range at depths firstRow..lastRow: every frame at least
 * MIN_FRAME_DEVICE_PX wide, and blocks of narrower neighbours merged (-1) when the block is that wide.
 * Positions are CssPx from the view's left edge.
 */
function visit(
  tree: LayoutTree,
  widths: Float64Array,
  starts: Float64Array,
  view: Viewport,
  firstRow: number,
  lastRow: number,
  emit: (x: number, w: number, depth: number, node: number) => void,
): void {
  const n = tree.parent.length;
  const scale = view.widthPx / (view.end - view.start);
  const minPx = MIN_FRAME_DEVICE_PX / view.devicePixelRatio;

  // Pending merged run of narrow frames per depth: [startPx, endPx].
  const pendStart = new Map<number, number>();
  const pendEnd = new Map<number, number>();
  const flush = (d: number) => {
    const s = pendStart.get(d);
    if (s === undefined) return;
    const e = pendEnd.get(d)!;
    if (e - s >= minPx) emit(s, e - s, d, -1);
    pendStart.delete(d);
    pendEnd.delete(d);
  };

  for (let i = 0; i < n; ) {
    const w = widths[i];
    const d = tree.depth[i];
    const x0 = starts[i];
    if (!(w > 0) || x0 + w <= view.start || x0 >= view.end || d > lastRow) {
      i = tree.subtreeEnd[i];
      continue;
    }
    // float64 relative to the viewport, narrowed later: deep zoom must not jitter.
    const px = (x0 - view.start) * scale;
    const pw = w * scale;
    if (pw < minPx) {
      if (d >= firstRow) {
        const end = pendEnd.get(d);
        if (end !== undefined && px - end <= minPx) pendEnd.set(d, px + pw);
        else {
          flush(d);
          pendStart.set(d, px);
          pendEnd.set(d, px + pw);
        }
      }
      i = tree.subtreeEnd[i];
      continue;
    }
    if (d >= firstRow) {
      // Clamp to the viewport so float32 never sees huge coordinates.
      const cx0 = Math.max(px, -1);
      const cx1 = Math.min(px + pw, view.widthPx + 1);
      emit(cx0, cx1 - cx0, d, i);
    }
    i++;
  }
  for (const d of [...pendStart.keys()]) flush(d);
}

export function layout(
  tree: LayoutTree,
  widths: Float64Array,
  starts: Float64Array,
  view: Viewport,
  colourOf: (node: number) => number,
  mergedColour: number,
): Layout {
  const rowH = view.rowHeight;
  const firstRow = Math.max(0, Math.floor(view.scrollTop / rowH));
  const lastRow = Math.floor((view.scrollTop + view.heightPx) / rowH);

  let cap = 1024;
  let xs: Float64Array = new Float64Array(cap);
  let ws: Float64Array = new Float64Array(cap);
  let ds: Int32Array = new Int32Array(cap);
  let ns: Int32Array = new Int32Array(cap);
  let count = 0;
  let maxDepth = 0;
  visit(tree, widths, starts, view, firstRow, lastRow, (x, w, d, node) => {
    if (count === cap) {
      cap *= 2;
      xs = grownFloat64(xs, cap);
      ws = grownFloat64(ws, cap);
      ds = grownInt32(ds, cap);
      ns = grownInt32(ns, cap);
    }
    xs[count] = x;
    ws[count] = w;
    ds[count] = d;
    ns[count] = node;
    count++;
    if (d > maxDepth) maxDepth = d;
  });

  // Counting sort by depth keeps the depth-first (x ascending) order within a row.
  const rowStart = new Int32Array(maxDepth + 2);
  for (let k = 0; k < count; k++) rowStart[ds[k] + 1]++;
  for (let d = 0; d <= maxDepth; d++) rowStart[d + 1] += rowStart[d];
  const fill = rowStart.slice();
  const rects = new Float32Array(count * 4);
  const colours = new Uint32Array(count);
  const nodes = new Int32Array(count);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[fill[ds[k]]++] = k;
  // Merged blocks were flushed late; restore x order inside each row.
  for (let d = 0; d <= maxDepth; d++) {
    const seg = order.subarray(rowStart[d], rowStart[d + 1]);
    let sorted = true;
    for (let j = 1; j < seg.length && sorted; j++) if (xs[seg[j]] < xs[seg[j - 1]]) sorted = false;
    if (!sorted) seg.sort((a, b) => xs[a] - xs[b]);
  }
  for (let j = 0; j < count; j++) {
    const k = order[j];
    rects[j * 4] = xs[k];
    rects[j * 4 + 1] = rowY(ds[k], view);
    rects[j * 4 + 2] = ws[k];
    rects[j * 4 + 3] = rowH;
    nodes[j] = ns[k];
    colours[j] = ns[k] < 0 ? mergedColour : colourOf(ns[k]);
  }
  return { count, rects, colours, nodes, rowStart };
}

/**
 * The deepest depth with anything drawn in the view's cost range, at any scroll position; -1 when
 * nothing is. Frames too narrow to draw (or absent on the side the widths follow) do not count:
 * scrolling to them would show an empty canvas.
 */
export function deepestDrawn(tree: LayoutTree, widths: Float64Array, starts: Float64Array, view: Viewport): number {
  let deepest = -1;
  visit(tree, widths, starts, view, 0, Infinity, (_x, _w, d) => {
    if (d > deepest) deepest = d;
  });
  return deepest;
}

/**
 * The largest useful scrollTop, CssPx: the deepest drawn row at the viewport's far edge (the bottom of an
 * icicle, the top of a flame), or 0 when every drawn row fits. Scrolling never goes past what is drawn.
 */
export function maxScrollTop(deepest: number, view: Pick<Viewport, 'rowHeight' | 'heightPx'>): number {
  return Math.max(0, (deepest + 1) * view.rowHeight - view.heightPx);
}

/** Top of a depth's row in CssPx. */
export function rowY(depth: number, view: Pick<Viewport, 'rowHeight' | 'scrollTop' | 'heightPx' | 'flame'>): number {
  return view.flame ? view.heightPx - (depth + 1) * view.rowHeight + view.scrollTop : depth * view.rowHeight - view.scrollTop;
}

/** The rectangle under (x, y) in CssPx, or -1: row from y, binary search on x. */
export function hitTest(l: Layout, x: number, y: number, view: Pick<Viewport, 'rowHeight' | 'scrollTop' | 'heightPx' | 'flame'>): number {
  const row = view.flame ? Math.floor((view.heightPx - y + view.scrollTop) / view.rowHeight) : Math.floor((y + view.scrollTop) / view.rowHeight);
  if (row < 0 || row + 1 >= l.rowStart.length) return -1;
  let lo = l.rowStart[row];
  let hi = l.rowStart[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rx = l.rects[mid * 4];
    if (x < rx) hi = mid - 1;
    else if (x >= rx + l.rects[mid * 4 + 2]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

