// The ranked table's data: one row per matched function, sorted and filtered
// over typed arrays so 100,000 rows stay under 100 ms.
import type { Diff } from './diff-model';
import { patternRegExp } from './transforms';

export type SortColumn = 'name' | 'baseSelf' | 'headSelf' | 'deltaSelf' | 'deltaTotal' | 'share';

export interface TableSort {
  column: SortColumn;
  /** Numeric columns sort by magnitude when true (|Δ| descending is the default). */
  descending: boolean;
}

export const DEFAULT_SORT: TableSort = { column: 'deltaSelf', descending: true };

/** Signed column values for one function. */
export function columnValue(d: Diff, f: number, c: SortColumn): number {
  const fn = d.functions;
  switch (c) {
    case 'baseSelf':
      return fn.baseSelf[f];
    case 'headSelf':
      return fn.headSelf[f];
    case 'deltaSelf':
      return fn.headSelf[f] - fn.baseSelf[f];
    case 'deltaTotal':
      return fn.headTotal[f] - fn.baseTotal[f];
    case 'share':
      return d.base.total > 0 ? (fn.headSelf[f] - fn.baseSelf[f]) / d.base.total : 0;
    case 'name':
      return 0;
  }
}

/**
 * Row order: functions matching `filter` (substring or regular expression, on
 * name and file), sorted by the column. Δ columns sort by magnitude so the
 * biggest change, slower or faster, comes first.
 */
export function tableOrder(d: Diff, sort: TableSort, filter: string): Int32Array {
  const fn = d.functions;
  const F = fn.key.length;
  let rows = new Int32Array(F);
  let n = 0;
  const re = filter ? patternRegExp(filter) : null;
  for (let f = 0; f < F; f++) {
    // Rows with no cost on either side (left by transforms) are noise in a ranking.
    if (fn.baseTotal[f] === 0 && fn.headTotal[f] === 0 && fn.baseSelf[f] === 0 && fn.headSelf[f] === 0) continue;
    if (re && !re.test(d.strings[fn.name[f]]) && !(fn.file[f] >= 0 && re.test(d.strings[fn.file[f]]))) continue;
    rows[n++] = f;
  }
  rows = rows.slice(0, n);
  const dir = sort.descending ? -1 : 1;
  if (sort.column === 'name') {
    const names = d.strings;
    const nameIdx = fn.name;
    rows.sort((a, b) => {
      const x = names[nameIdx[a]];
      const y = names[nameIdx[b]];
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    return rows;
  }
  const key = new Float64Array(F);
  const magnitude = sort.column === 'deltaSelf' || sort.column === 'deltaTotal' || sort.column === 'share';
  for (let i = 0; i < n; i++) {
    const v = columnValue(d, rows[i], sort.column);
    key[rows[i]] = magnitude ? Math.abs(v) : v;
  }
  rows.sort((a, b) => (key[a] - key[b]) * dir || a - b);
  return rows;
}
