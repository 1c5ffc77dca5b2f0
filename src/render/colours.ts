// Frame colours. RGBA packed as 0xRRGGBBAA.
import { FASTER_COLOUR, FULL_COLOUR_SHARE, NEUTRAL_COLOUR, SLOWER_COLOUR } from './constants';

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

/** Red when slower (share > 0), blue when faster, grey when unchanged. */
export function diffColour(share: number): number {
  const t = strength(share);
  return mix(NEUTRAL_COLOUR, share > 0 ? SLOWER_COLOUR : FASTER_COLOUR, t);
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

/** Marks a colour as "present on one side only" (even alpha byte: drawn striped). */
export function striped(rgba: number): number {
  return ((rgba & 0xffffff00) | ((rgba & 0xff) & 0xfe)) >>> 0;
}

/** Dims a colour for frames outside the highlight, keeping its striped mark. */
export function dimmed(rgba: number, alpha: number): number {
  return ((rgba & 0xffffff00) | (alpha - (rgba & 1 ? 0 : 1))) >>> 0;
}
