import { describe, expect, it } from 'vitest';
import { contrast, diffColour, dimmed, labelColour, nameColour, opaque, strength, striped, stripeColour } from './colours';
import { DIMMED_ALPHA, FASTER_COLOUR, FULL_COLOUR_SHARE, LABEL_DARK, LABEL_LIGHT, MERGED_COLOUR, NEUTRAL_COLOUR, SLOWER_COLOUR } from './constants';
import { ALL_THEMES, themeFor } from './theme';
import { mulberry32 } from '../../test/prng.mjs';

const r = (c: number) => (c >>> 24) & 0xff;
const b = (c: number) => (c >>> 8) & 0xff;

describe('diff colours', () => {
  it('is grey at no change', () => expect(diffColour(0)).toBe(NEUTRAL_COLOUR));
  it('is full red / blue at the full-strength share', () => {
    expect(diffColour(FULL_COLOUR_SHARE)).toBe(SLOWER_COLOUR);
    expect(diffColour(-FULL_COLOUR_SHARE * 3)).toBe(FASTER_COLOUR);
  });
  it('grows more intense as the change grows', () => {
    let prev = -1;
    for (const s of [0.001, 0.01, 0.02, 0.04]) {
      const c = diffColour(s);
      expect(r(c) - b(c)).toBeGreaterThan(prev);
      prev = r(c) - b(c);
    }
  });
  it('keeps a tiny change nearly grey', () => expect(strength(0.001)).toBeLessThan(0.05));
  it('never returns NaN colours', () => expect(diffColour(NaN)).toBe(NEUTRAL_COLOUR));
});

describe('one-side marks', () => {
  it('striped and dimmed compose without losing either', async () => {
    const { striped, dimmed } = await import('./colours');
    const s = striped(0xd6301eff);
    expect(s & 1).toBe(0);
    expect(dimmed(s, 0x51) & 0xff).toBe(0x50);
    expect(dimmed(0xd6301eff, 0x51) & 0xff).toBe(0x51);
  });
});

/** Every frame colour the views make: diff colours over the whole range, a spread of name colours, and both dimmed. */
function palette(): number[] {
  const out: number[] = [];
  for (let s = -2 * FULL_COLOUR_SHARE; s <= 2 * FULL_COLOUR_SHARE; s += FULL_COLOUR_SHARE / 50) out.push(diffColour(s));
  for (let i = 0; i < 200; i++) out.push(nameColour(`fn_${i}`));
  return [...out, ...out.map((c) => dimmed(c, DIMMED_ALPHA))];
}

describe('labels', () => {
  it('are white on full red and blue, dark on grey', () => {
    expect(labelColour(SLOWER_COLOUR)).toBe(LABEL_LIGHT);
    expect(labelColour(FASTER_COLOUR)).toBe(LABEL_LIGHT);
    expect(labelColour(NEUTRAL_COLOUR)).toBe(LABEL_DARK);
  });

  it('take whichever colour contrasts more, so never less than 4.5:1 on a plain frame', () => {
    for (const c of palette()) {
      const bg = opaque(c);
      const label = labelColour(c);
      const other = label === LABEL_DARK ? LABEL_LIGHT : LABEL_DARK;
      expect(contrast(label, bg)).toBeGreaterThanOrEqual(contrast(other, bg));
      // Black and white cross at sqrt(1.05 / 0.05) ≈ 4.58.
      expect(contrast(label, bg)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('reach 4.5:1 against every colour under the text: any frame colour, plain, striped, dimmed, merged, in every theme', () => {
    const random = mulberry32(0x15);
    let checked = 0;
    for (const theme of ALL_THEMES) {
      const colours = [theme.merged, theme.neutral, diffColour(FULL_COLOUR_SHARE, theme), diffColour(-FULL_COLOUR_SHARE, theme)];
      for (let i = 0; i < 3000; i++) colours.push(((random() * 0x1000000) << 8 | 0xff) >>> 0, diffColour((random() * 2 - 1) * 2 * FULL_COLOUR_SHARE, theme));
      for (const plain of colours)
        for (const c of [plain, striped(plain), dimmed(plain, DIMMED_ALPHA), dimmed(striped(plain), DIMMED_ALPHA)]) {
          const label = labelColour(c, theme.surface);
          const under = [opaque(c, theme.surface), ...((c & 1) === 0 ? [stripeColour(c, theme.surface)] : [])];
          for (const bg of under) expect(contrast(label, bg), `label #${label.toString(16)} on #${bg.toString(16)}`).toBeGreaterThanOrEqual(4.5);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(4 * 6000 * 4);
  });
});

describe('themes', () => {
  it('light red/blue is the classic palette', () => {
    expect(themeFor(false, 'rdbu')).toMatchObject({ surface: 0xffffff, neutral: NEUTRAL_COLOUR, slower: SLOWER_COLOUR, faster: FASTER_COLOUR, merged: MERGED_COLOUR });
  });

  it('keep slower, faster and unchanged apart on their surface, in both palettes', () => {
    for (const theme of ALL_THEMES) {
      const grey = opaque(theme.neutral, theme.surface);
      const slower = opaque(theme.slower, theme.surface);
      const faster = opaque(theme.faster, theme.surface);
      expect(contrast(slower, grey), 'slower vs unchanged').toBeGreaterThan(1.4);
      expect(contrast(faster, grey), 'faster vs unchanged').toBeGreaterThan(1.4);
      expect(contrast(grey, theme.surface), 'frames vs the surface').toBeGreaterThan(1.4);
      // Hue apart: the slower colour is the redder (or oranger) of the two, the faster the bluer.
      expect((slower >>> 16) & 0xff).toBeGreaterThan((faster >>> 16) & 0xff);
      expect(faster & 0xff).toBeGreaterThan(slower & 0xff);
    }
  });
});

describe('stripes', () => {
  it('never lower the label contrast: they move away from the label colour', () => {
    for (const plain of palette()) {
      const c = striped(plain);
      expect(labelColour(c)).toBe(labelColour(plain));
      expect(contrast(labelColour(c), stripeColour(c))).toBeGreaterThanOrEqual(contrast(labelColour(c), opaque(c)) - 0.02);
    }
  });

  it('stand out from the frame they mark', () => {
    for (const share of [-FULL_COLOUR_SHARE, -0.01, 0, 0.01, FULL_COLOUR_SHARE]) {
      const c = striped(diffColour(share));
      expect(contrast(stripeColour(c), opaque(c))).toBeGreaterThan(1.15);
    }
  });

  it('on full red: darker red under a white label', () => {
    const s = stripeColour(striped(SLOWER_COLOUR));
    // 30 % towards black; the mark's alpha byte (0xfe) lets 1/255 of white through.
    expect([(s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff]).toEqual([0xd6, 0x30, 0x1e].map((c) => Math.round(c * 0.7 * (254 / 255) + 1)));
  });
});
