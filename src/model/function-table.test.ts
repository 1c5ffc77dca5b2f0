import { describe, expect, it } from 'vitest';
import { tableOrder, DEFAULT_SORT } from './function-table';
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
    base: { name: 'b', format: 'folded', unit: 'samples', total: 1e6, events: [], parts: [], skippedLines: 0, warnings: [] },
    head: { name: 'h', format: 'folded', unit: 'samples', total: 1e6, events: [], parts: [], skippedLines: 0, warnings: [] },
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
});
