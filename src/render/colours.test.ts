import { describe, expect, it } from 'vitest';
import { diffColour, strength } from './colours';
import { NEUTRAL_COLOUR, SLOWER_COLOUR, FASTER_COLOUR, FULL_COLOUR_SHARE } from './constants';

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
