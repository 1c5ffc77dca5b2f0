import { describe, expect, it } from 'vitest';
import { IntPairMap } from './int-pair-map';

describe('IntPairMap', () => {
  it('maps pairs to values through rehashes, 0 and large values included', () => {
    const m = new IntPairMap(4);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      if (i % 2) m.add(i, i * 7, i);
      else m.set(i, i * 7, i === 0 ? 0 : 2 ** 31 - 2 - i);
    }
    m.set(3, 21, 42);
    for (let i = 0; i < n; i++) expect(m.get(i, i * 7)).toBe(i === 3 ? 42 : i % 2 ? i : i === 0 ? 0 : 2 ** 31 - 2 - i);
    expect(m.get(1, 8)).toBe(-1);
    expect(m.get(7, 0)).toBe(-1);
  });
});
