import { describe, expect, it } from 'vitest';
import { tableOrder, DEFAULT_SORT, withinNoise } from './function-table';
import type { Diff } from './diff-model';

/** A synthetic diff with `n` functions, enough for the table's own logic (no tree needed). */
function synthetic(n: number): Diff {
  const strings: string[] = [];
  const name = new Int32Array(n);
  for (let i = 0; i < n; i++) name[i] = strings.push(`fn_${i}`) - 1;
  const baseSelf = new Float64Array(n);
  const headSelf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    baseSelf[i] = (i * 7919) % 1000;
    headSelf[i] = (i * 104729) % 1000;
  }
  const empty = new Int32Array(0);
  return {
    strings,
    tree: { func: empty, parent: empty, depth: empty, subtreeEnd: empty, baseSelf: new Float64Array(0), baseTotal: new Float64Array(0), headSelf: new Float64Array(0), headTotal: new Float64Array(0) },
    functions: { name, file: new Int32Array(n).fill(-1), key: name, baseSelf, baseTotal: baseSelf, headSelf, headTotal: headSelf },
    raw: { name, file: new Int32Array(n).fill(-1), key: name, baseSelf, baseTotal: baseSelf, headSelf, headTotal: headSelf },
    base: { name: 'b', format: 'folded', unit: 'samples', total: 1e6, events: [], parts: [], skippedLines: 0, warnings: [], incomplete: [] },
    head: { name: 'h', format: 'folded', unit: 'samples', total: 1e6, events: [], parts: [], skippedLines: 0, warnings: [], incomplete: [] },
  };
}

describe('function table', () => {
  it('ranks by |Δ self| by default, biggest change first whatever its sign', () => {
    const d = synthetic(1000);
    const order = tableOrder(d, DEFAULT_SORT, '');
    const mag = (f: number) => Math.abs(d.functions.headSelf[f] - d.functions.baseSelf[f]);
    for (let i = 1; i < order.length; i++) expect(mag(order[i - 1])).toBeGreaterThanOrEqual(mag(order[i]));
  });

  it('filters by substring or regular expression', () => {
    const d = synthetic(1000);
    expect(tableOrder(d, DEFAULT_SORT, 'fn_99$').length).toBe(1);
    expect(tableOrder(d, DEFAULT_SORT, 'fn_99').length).toBe(11);
    expect(tableOrder(d, DEFAULT_SORT, '(').length).toBe(0);
  });

  it('sorts by name both ways', () => {
    const d = synthetic(20);
    const up = [...tableOrder(d, { column: 'name', descending: false }, '')].map((f) => d.strings[d.functions.name[f]]);
    expect(up).toEqual([...up].sort());
  });

  it('with noise on, ranks by the change beyond sampling noise and marks what is within it', () => {
    const d = synthetic(2);
    // fn_0: 1000 -> 1100 samples, 3σ = 3·√2100 ≈ 137: within noise. fn_1: 10 -> 60, 3σ = 3·√70 ≈ 25: real.
    d.functions.baseSelf.set([1000, 10]);
    d.functions.headSelf.set([1100, 60]);
    const sampled: Diff = { ...d, base: { ...d.base, total: 1e4, sampleWeight: 1 }, head: { ...d.head, total: 1e4, sampleWeight: 1 } };
    expect([...tableOrder(sampled, DEFAULT_SORT, '')]).toEqual([0, 1]);
    expect([...tableOrder(sampled, DEFAULT_SORT, '', 'absolute', true)]).toEqual([1, 0]);
    expect(withinNoise(sampled, 0, 'absolute')).toBe(true);
    expect(withinNoise(sampled, 1, 'absolute')).toBe(false);
    // Exact counts (callgrind) have no noise: the order is |Δ| alone.
    expect([...tableOrder(d, DEFAULT_SORT, '', 'absolute', true)]).toEqual([...tableOrder(d, DEFAULT_SORT, '')]);
  });
});
