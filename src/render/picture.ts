// The graph as a picture, without a canvas: the layout of a cost range at a width, every row
// from the root down, with its labels. The renderer draws the same rectangles; the exports and
// the command-line report's SVG take them from here.
import { computeStarts, deepestDrawn, layout, type Layout, type Viewport } from './layout';
import type { Label } from './frame-drawer';
import type { FlameData } from './flame-renderer';
import { labelColour } from './colours';
import { LIGHT_THEME, type Theme } from './theme';
import { LABEL_FONT_SIZE, LABEL_PADDING, MIN_LABEL_PX, ROW_HEIGHT } from './constants';

/** What an exported image shows of the graph: rectangles and labels in CssPx, and the theme they were coloured in. */
export interface GraphPicture {
  widthPx: number;
  heightPx: number;
  rects: Float32Array;
  colours: Uint32Array;
  /** The tree node of each rectangle (-1: rows merged below a pixel). */
  nodes: Int32Array;
  count: number;
  labels: Label[];
  theme: Theme;
  /** Rows deeper than the image's height limit. */
  rowsLeftOut: number;
}

/** A monospace glyph's width where none can be measured: 0.6 em, as DejaVu Sans Mono and Menlo have it. */
export const NOMINAL_CHAR_PX = LABEL_FONT_SIZE * 0.6;

/** Labels only where they fit, truncated with an ellipsis; dark on light frames, white on saturated ones. */
export function placeLabels(l: Layout, d: FlameData, widthPx: number, charWidth: number): Label[] {
  const out: Label[] = [];
  for (let k = 0; k < l.count; k++) {
    const w = l.rects[k * 4 + 2];
    const node = l.nodes[k];
    if (w < MIN_LABEL_PX || node < 0) continue;
    const x = Math.max(0, l.rects[k * 4]);
    const visibleW = Math.min(w, widthPx - x);
    const chars = Math.floor((visibleW - 2 * LABEL_PADDING) / charWidth);
    if (chars < 2) continue;
    const full = d.labelOf(node);
    out.push({
      text: full.length <= chars ? full : full.slice(0, chars - 1) + '…',
      x: x + LABEL_PADDING,
      y: l.rects[k * 4 + 1] + (ROW_HEIGHT - LABEL_FONT_SIZE) / 2 - 1,
      colour: labelColour(l.colours[k], (d.theme ?? LIGHT_THEME).surface),
    });
  }
  return out;
}

/**
 * Every row of the cost range [start, end) from the root down, at `widthPx`, laid out for `scale`
 * DevicePx per CssPx. Rows past `maxHeightPx` are left out (a 50,000-row recursion would make an
 * image no viewer opens).
 */
export function graphPicture(
  d: FlameData,
  starts: Float64Array | null,
  view: { start: number; end: number; widthPx: number; flame: boolean },
  scale = 2,
  maxHeightPx = 6000,
  charWidth = NOMINAL_CHAR_PX,
): GraphPicture {
  const theme = d.theme ?? LIGHT_THEME;
  const s = starts ?? computeStarts(d.tree, d.widths);
  const probe: Viewport = { start: view.start, end: view.end, widthPx: view.widthPx, heightPx: ROW_HEIGHT, devicePixelRatio: scale, rowHeight: ROW_HEIGHT, scrollTop: 0, flame: view.flame };
  const depth = deepestDrawn(d.tree, d.widths, s, probe);
  const rows = Math.min(depth + 1, Math.floor(maxHeightPx / ROW_HEIGHT));
  const vp: Viewport = { ...probe, heightPx: rows * ROW_HEIGHT };
  const l = layout(d.tree, d.widths, s, vp, d.colourOf, theme.merged);
  return { widthPx: vp.widthPx, heightPx: vp.heightPx, rects: l.rects, colours: l.colours, nodes: l.nodes, count: l.count, labels: placeLabels(l, d, vp.widthPx, charWidth), theme, rowsLeftOut: depth + 1 - rows };
}
