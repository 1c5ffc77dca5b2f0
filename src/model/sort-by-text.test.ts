import { describe, expect, it } from 'vitest';
import { sortByText } from './sort-by-text';

const sorted = (values: string[]) => {
  const idx = Int32Array.from(values.keys());
  sortByText(idx, values);
  return [...idx].map((i) => values[i]);
};

describe('sortByText', () => {
  it('sorts as the default sort does: code units, a prefix first', () => {
    const values = ['b', 'a', '', 'ab', 'a\u0000', 'A', '\uffff', '\ud83d\ude00', 'é', 'aa', 'abc', 'ab\u0000'];
    expect(sorted(values)).toEqual([...values].sort());
  });

  it('sorts many names with long shared prefixes', () => {
    const values: string[] = [];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const parts = ['strlen', 'strdup', "_PyEval_EvalFrameDefault'", 'x', "'", 'é'];
    const seen = new Set<string>();
    while (values.length < 5000) {
      let s = '';
      for (let k = next() % 12; k >= 0; k--) s += parts[next() % parts.length];
      if (!seen.has(s)) {
        seen.add(s);
        values.push(s);
      }
    }
    values.push('p'.repeat(20000), `${'p'.repeat(20000)}q`);
    expect(sorted(values)).toEqual([...values].sort());
  });
});
