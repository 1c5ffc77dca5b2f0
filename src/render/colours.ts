// Frame colours. RGBA packed as 0xRRGGBBAA.
import { FULL_COLOUR_SHARE, LABEL_DARK, LABEL_LIGHT, STRIPE_DARKEN, STRIPE_LIGHTEN } from './constants';
import { LIGHT_THEME, type Theme } from './theme';

/** The surface a theme draws on when none is named: white. */
const WHITE = 0xffffff;

function mix(a: number, b: number, t: number): number {
  const ch = (c: number, shift: number) => (c >>> shift) & 0xff;
  let out = 0;
  for (const shift of [24, 16, 8]) {
    const v = Math.round(ch(a, shift) + (ch(b, shift) - ch(a, shift)) * t);
    out |= v << shift;
  }
  return (out | 0xff) >>> 0;
}

/**
 * Strength 0..1 of a change that is `share` of the whole run: linear up to
 * FULL_COLOUR_SHARE, so a change ten times smaller is painted ten times paler.
 */
export function strength(share: number): number {
  if (!Number.isFinite(share)) return 0;
  return Math.min(1, Math.abs(share) / FULL_COLOUR_SHARE);
}

/** The theme's slower colour (red) when slower (share > 0), its faster colour (blue) when faster, its neutral grey when unchanged. */
export function diffColour(share: number, theme: Theme = LIGHT_THEME): number {
  const t = strength(share);
  return mix(theme.neutral, share > 0 ? theme.slower : theme.faster, t);
}

/** Classic warm flame-graph colour, stable per name (so a function keeps its colour across tabs). */
export function nameColour(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  const t = ((h >>> 0) % 1000) / 1000;
  const r = 205 + Math.round(50 * t);
  const g = 80 + Math.round(150 * (((h >>> 10) % 1000) / 1000));
  const b = 40 + Math.round(40 * (((h >>> 20) % 1000) / 1000));
  return ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0;
}

export function rgbaCss(c: number): string {
  return `rgba(${(c >>> 24) & 0xff},${(c >>> 16) & 0xff},${(c >>> 8) & 0xff},${(c & 0xff) / 255})`;
}

/** Whether a colour carries the "present on one side only" mark of `striped`. */
export function isStriped(rgba: number): boolean {
  return (rgba & 1) === 0;
}

/** Marks a colour as "present on one side only" (even alpha byte: drawn striped). */
export function striped(rgba: number): number {
  return ((rgba & 0xffffff00) | ((rgba & 0xff) & 0xfe)) >>> 0;
}

/** Dims a colour for frames outside the highlight, keeping its striped mark. */
export function dimmed(rgba: number, alpha: number): number {
  return ((rgba & 0xffffff00) | (alpha - (rgba & 1 ? 0 : 1))) >>> 0;
}

/** The colour as it shows: RGB 0..1, alpha applied over the surface (0xRRGGBB) the graph is drawn on. */
export function shown(rgba: number, surface = WHITE): [number, number, number] {
  const a = (rgba & 0xff) / 255;
  const ch = (shift: number, sShift: number) => (((rgba >>> shift) & 0xff) / 255) * a + (((surface >>> sShift) & 0xff) / 255) * (1 - a);
  return [ch(24, 16), ch(16, 8), ch(8, 0)];
}

/** WCAG 2 relative luminance of sRGB components 0..1 (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance). */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const rgb24 = (c: number): [number, number, number] => [((c >>> 16) & 0xff) / 255, ((c >>> 8) & 0xff) / 255, (c & 0xff) / 255];

/** WCAG 2 contrast ratio (1..21) of two 0xRRGGBB colours. */
export function contrast(a: number, b: number): number {
  const la = luminance(rgb24(a));
  const lb = luminance(rgb24(b));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Luminance above which LABEL_DARK contrasts more than LABEL_LIGHT: where
 * (L + 0.05) / (Ldark + 0.05) = (Llight + 0.05) / (L + 0.05). The frame shader uses the same split.
 */
export const LABEL_SPLIT = Math.sqrt((luminance(rgb24(LABEL_DARK)) + 0.05) * (luminance(rgb24(LABEL_LIGHT)) + 0.05)) - 0.05;

/** The label colour (0xRRGGBB) for a frame: dark on light frames, white on saturated ones, whichever contrasts more. */
export function labelColour(rgba: number, surface = WHITE): number {
  return luminance(shown(rgba, surface)) >= LABEL_SPLIT ? LABEL_DARK : LABEL_LIGHT;
}

/**
 * The stripes' colour (0xRRGGBB, as it shows) on a frame present on one side only: the frame's colour
 * moved away from its label's, so the label reads at least as well on a stripe as between them.
 * The frame shader computes the same (frame-mesh.ts).
 */
export function stripeColour(rgba: number, surface = WHITE): number {
  const a = (rgba & 0xff) / 255;
  const lighten = labelColour(rgba, surface) === LABEL_DARK;
  const ch = (shift: number, sShift: number) => {
    const c = ((rgba >>> shift) & 0xff) / 255;
    const s = lighten ? c + (1 - c) * STRIPE_LIGHTEN : c * (1 - STRIPE_DARKEN);
    return Math.round((s * a + (((surface >>> sShift) & 0xff) / 255) * (1 - a)) * 255);
  };
  return ((ch(24, 16) << 16) | (ch(16, 8) << 8) | ch(8, 0)) >>> 0;
}

/** The colour as it shows (alpha over the surface, white unless named), 0xRRGGBB. */
export function opaque(rgba: number, surface = WHITE): number {
  const [r, g, b] = shown(rgba, surface).map((c) => Math.round(c * 255));
  return ((r << 16) | (g << 8) | b) >>> 0;
}
