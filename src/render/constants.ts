// Tunables of the flame graph, in one place. CssPx are CSS pixels; DevicePx are
// physical pixels (CssPx × devicePixelRatio).

/** Height of one stack level, CssPx: fits a 12 px label with 3 px of air above and below. */
export const ROW_HEIGHT = 18;
/** Gap between a frame and the next, CssPx: enough to tell neighbours apart. */
export const FRAME_GAP = 1;
/** Narrower than this many DevicePx, a frame is merged with its narrow neighbours. */
export const MIN_FRAME_DEVICE_PX = 1;
/** A label is drawn only where at least this many CssPx of text fit. */
export const MIN_LABEL_PX = 28;
export const LABEL_FONT_SIZE = 11;
/** Monospace, so a label's width is its length times one measured glyph: truncation needs no per-label measuring. */
export const LABEL_FONT = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
export const LABEL_PADDING = 3;
/** A change of this share of the whole run paints at full strength (5 % of the run). */
export const FULL_COLOUR_SHARE = 0.05;
/** Colour of merged sub-pixel blocks (RGBA). */
export const MERGED_COLOUR = 0xb4b4b4ff;
/** Unchanged frames. */
export const NEUTRAL_COLOUR = 0xd9d9d9ff;
/** Diverging pair from ColorBrewer's RdBu, distinguishable with red-green colour blindness. */
export const SLOWER_COLOUR = 0xd6301eff;
export const FASTER_COLOUR = 0x2468b4ff;
/**
 * Frames outside a search or selection dim to this alpha (0–255). Alpha bytes are odd for
 * ordinary frames; an even alpha (one less) marks a frame present on one side only, which both
 * drawers paint striped (new or removed code). One byte carries both, so the geometry stays 8 bytes + 4.
 */
export const DIMMED_ALPHA = 0x51;
/**
 * Stripes of new/removed frames, in DevicePx: diagonal "/" like the legend's swatch, STRIPE_WIDTH_PX
 * of every STRIPE_PERIOD_PX, anchored at the canvas's top-left so WebGL and Canvas 2D draw the same pixels.
 * 3 in 8 reads as a hatch at a glance without turning the frame into a different colour.
 */
export const STRIPE_PERIOD_PX = 8;
export const STRIPE_WIDTH_PX = 3;
/**
 * A stripe moves the frame's colour away from its label's: towards white under a dark label, towards
 * black under a white one, so stripes never lower the label's contrast below the plain frame's.
 * Halfway to white (as before) on light frames; 30 % to black keeps saturated red and blue recognisable.
 */
export const STRIPE_LIGHTEN = 0.5;
export const STRIPE_DARKEN = 0.3;
/**
 * Label colours (0xRRGGBB): whichever has the higher WCAG contrast with the frame. Black, not a
 * softer near-black: at the split between the two, black on the frame reaches 4.58:1, #111 only 4.35:1.
 */
export const LABEL_DARK = 0x000000;
export const LABEL_LIGHT = 0xffffff;
/** Layout rebuilds during a gesture at most every this many ms; in between, the view moves by transform. */
export const RELAYOUT_INTERVAL_MS = 50;
