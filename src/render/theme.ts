// The graph's colours for one page scheme and one palette. The renderer only knows a theme's
// numbers; which theme applies (system dark mode, the URL's palette) is the UI's business.
import { FASTER_COLOUR, MERGED_COLOUR, NEUTRAL_COLOUR, SLOWER_COLOUR } from './constants';

/** Diff colours: red/blue (ColorBrewer RdBu), or blue/orange (Okabe–Ito), safe for red-green colour blindness. */
export type Palette = 'rdbu' | 'blue-orange';

export interface Theme {
  /** What the graph is drawn on, and what dimmed frames blend with (0xRRGGBB). */
  surface: number;
  /** Unchanged frames, and the two ends of the diff scale (0xRRGGBBAA). */
  neutral: number;
  slower: number;
  faster: number;
  /** Blocks of merged sub-pixel frames (0xRRGGBBAA). */
  merged: number;
  /** Text of an exported image's header (0xRRGGBB): plain, secondary, and a change's direction, each ≥ 4.5:1 on the surface. */
  text: number;
  muted: number;
  slowerText: number;
  fasterText: number;
}

const LIGHT_TEXT = { text: 0x1b1f24, muted: 0x5f6873, slowerText: 0xc0281a, fasterText: 0x1f5fa8 };
const DARK_TEXT = { text: 0xe6edf3, muted: 0x9ba5b0, slowerText: 0xff7b72, fasterText: 0x79b8ff };

export const LIGHT_THEME: Theme = { surface: 0xffffff, neutral: NEUTRAL_COLOUR, slower: SLOWER_COLOUR, faster: FASTER_COLOUR, merged: MERGED_COLOUR, ...LIGHT_TEXT };

const THEMES: Record<'light' | 'dark', Record<Palette, Theme>> = {
  light: {
    rdbu: LIGHT_THEME,
    'blue-orange': { ...LIGHT_THEME, slower: 0xd96b00ff, faster: 0x0072b2ff, slowerText: 0x9a4a00, fasterText: 0x005b8f },
  },
  // On dark, unchanged frames are a mid-dark grey (not the page's black), and the ends are the
  // brighter members of each pair, so a pale change still reads against grey.
  dark: {
    rdbu: { surface: 0x0d1117, neutral: 0x3d434bff, slower: 0xf0483aff, faster: 0x3f8ef0ff, merged: 0x2c3138ff, ...DARK_TEXT },
    'blue-orange': { surface: 0x0d1117, neutral: 0x3d434bff, slower: 0xf59a23ff, faster: 0x3aa0e8ff, merged: 0x2c3138ff, ...DARK_TEXT, slowerText: 0xf59a23, fasterText: 0x79b8ff },
  },
};

export function themeFor(dark: boolean, palette: Palette): Theme {
  return THEMES[dark ? 'dark' : 'light'][palette];
}

export const ALL_THEMES: Theme[] = [THEMES.light.rdbu, THEMES.light['blue-orange'], THEMES.dark.rdbu, THEMES.dark['blue-orange']];
