// The ranked table's data: one row per matched function, sorted and filtered
// over typed arrays so 100,000 rows stay under 100 ms.
import type { Diff } from './diff-model';
import { isSampled, noiseShare, realShare, runTotals, shareOfChange, type Mode } from './diff-view';
import { runStats, significantPart } from './run-stats';
import { patternRegExp } from './transforms';

export type SortColumn = 'name' | 'baseSelf' | 'headSelf' | 'deltaSelf' | 'deltaTotal' | 'share';

export interface TableSort {
  column: SortColumn;
  /** Numeric columns sort by magnitude when true (|Δ| descending is the default). */
  descending: boolean;
}

export const DEFAULT_SORT: TableSort = { column: 'deltaSelf', descending: true };

/**
 * Δ in base's unit. Proportional mode compares each run as a share of its own total, so head is
 * scaled to base's run length first: Δ = head·(B/H) − base, and Δ / B is the change of share.
 */
export function deltaOf(base: number, head: number, d: Diff, mode: Mode): number {
  const run = runTotals(d);
  if (mode === 'proportional') return (run.head > 0 ? (head * run.base) / run.head : 0) - base;
  return head - base;
}

/**
 * The part of a function's change (self or total, as a share of the base run) beyond sampling
 * noise: the colours' model, so the table ranks what the graph paints. Exact counts have no noise;
 * samples that weigh differently (cpuprofile) count by their weights' squares (DiffFunctions.baseSelfSq).
 */
export function beyondNoise(d: Diff, f: number, quantity: 'self' | 'total', mode: Mode): number {
  // Several runs per side: what the function's interval says is real (self: the table's family).
  const stats = quantity === 'self' && d.runs ? runStats(d, mode) : null;
  if (stats) {
    const fn = d.functions;
    const run = runTotals(d);
    return realShare(shareOfChange(fn.baseSelf[f], fn.headSelf[f], run.base, run.head, mode), significantPart(stats.funcSelf, f), run.base, mode);
  }
  const { share, noise } = changeAndNoise(d, f, quantity, mode);
  return Math.sign(share) * Math.max(0, Math.abs(share) - noise);
}

/**
 * A function's change as a share of the base run, NOISE_SIGMAS standard deviations of it, and what
 * they would be if every sample weighed the run's mean interval (`uniformNoise`: equal to `noise`
 * where the samples do weigh the same, as in folded stacks).
 */
function changeAndNoise(d: Diff, f: number, quantity: 'self' | 'total', mode: Mode): { share: number; noise: number; uniformNoise: number } {
  const fn = d.functions;
  const self = quantity === 'self';
  const b = self ? fn.baseSelf[f] : fn.baseTotal[f];
  const h = self ? fn.headSelf[f] : fn.headTotal[f];
  const run = runTotals(d);
  const share = shareOfChange(b, h, run.base, run.head, mode);
  const noise = noiseShare(b, h, d, mode, (self ? fn.baseSelfSq : fn.baseTotalSq)?.[f], (self ? fn.headSelfSq : fn.headTotalSq)?.[f]);
  return { share, noise, uniformNoise: noiseShare(b, h, d, mode) };
}

/** True when a function's self change is no larger than run-to-run sampling noise. */
export function withinNoise(d: Diff, f: number, mode: Mode): boolean {
  const fn = d.functions;
  return fn.headSelf[f] !== fn.baseSelf[f] && beyondNoise(d, f, 'self', mode) === 0;
}

/** Signed column values for one function. */
export function columnValue(d: Diff, f: number, c: SortColumn, mode: Mode = 'absolute'): number {
  const fn = d.functions;
  switch (c) {
    case 'baseSelf':
      return fn.baseSelf[f];
    case 'headSelf':
      return fn.headSelf[f];
    case 'deltaSelf':
      return deltaOf(fn.baseSelf[f], fn.headSelf[f], d, mode);
    case 'deltaTotal':
      return deltaOf(fn.baseTotal[f], fn.headTotal[f], d, mode);
    case 'share':
      return shareOfChange(fn.baseSelf[f], fn.headSelf[f], runTotals(d).base, runTotals(d).head, mode);
    case 'name':
      return 0;
  }
}

/**
 * Row order: functions matching `filter` (substring or regular expression, on
 * name and file), sorted by the column. Δ columns sort by magnitude so the
 * biggest change, slower or faster, comes first.
 */
/**
 * With `noise` on (sampled profiles), Δ columns rank by the part of |Δ| beyond sampling noise
 * first: a change made of two samples cannot outrank a real one, whatever its weight. The changes
 * within noise follow by |Δ| counted in effective samples: |Δ| · σq²/σ², where σq² is the variance
 * the change would have if its samples weighed the run's mean interval (q · cost) and σ² its own
 * (Σw²), i.e. |Δ| times Kish's effective sample size (Σw)²/Σw² over the count cost/q. Where every
 * sample weighs the same (folded) that is |Δ| itself; a change carried by samples that stand for
 * long gaps shrinks to what its few samples are worth. Ranked by |Δ| alone, the top of a run where
 * nothing is beyond noise would be whatever few samples happen to weigh most: on tsc's pair,
 * addRange's 225.7 → 4.6 ms, 2 samples, one of them followed by a 224.8 ms gap (|Δ| ≈ 1σ).
 */
export function tableOrder(d: Diff, sort: TableSort, filter: string, mode: Mode = 'absolute', noise = false): Int32Array {
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
    const v = columnValue(d, rows[i], sort.column, mode);
    key[rows[i]] = magnitude ? Math.abs(v) : v;
  }
  const stats = magnitude && noise && d.runs ? runStats(d, mode) : null;
  if (stats) {
    // Several runs per side: by the bound of the interval nearest zero (0 for a change the interval
    // does not tell from none), then by |Δ|. Δ total has no family of its own: its function's self decides.
    const real = new Float64Array(F);
    for (let i = 0; i < n; i++) real[rows[i]] = Math.abs(significantPart(stats.funcSelf, rows[i]));
    rows.sort((a, b) => (real[a] - real[b]) * dir || (key[a] - key[b]) * dir || a - b);
    return rows;
  }
  if (magnitude && noise && isSampled(d)) {
    const real = new Float64Array(F);
    const effective = new Float64Array(F);
    const quantity = sort.column === 'deltaTotal' ? 'total' : 'self';
    for (let i = 0; i < n; i++) {
      const f = rows[i];
      const { share, noise, uniformNoise } = changeAndNoise(d, f, quantity, mode);
      const size = Math.abs(share);
      real[f] = Math.max(0, size - noise);
      // σq²/σ² as (3σq / 3σ)²: exactly 1 where the two are one computation (no squares: folded).
      effective[f] = noise > 0 && noise !== uniformNoise ? size * (uniformNoise / noise) ** 2 : size;
    }
    rows.sort((a, b) => (real[a] - real[b]) * dir || (effective[a] - effective[b]) * dir || (key[a] - key[b]) * dir || a - b);
    return rows;
  }
  rows.sort((a, b) => (key[a] - key[b]) * dir || a - b);
  return rows;
}
