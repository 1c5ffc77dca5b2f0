// Which differences are real when a side has several runs: Welch intervals per function (the
// table's family) and per frame (the graph's family), false-discovery controlled in each
// (stats/README-stats.md). One place, so colour, card, table, verdict and export say the same.
import type { Diff, SideRuns } from './diff-model';
import { runCount } from './diff-model';
import { subtreeTotals } from './function-totals';
import { compareFamily, type FamilyResult, type RunBlock } from './stats/family';
import type { Mode } from './diff-view';
import { welch, type WelchResult } from './stats/welch';

export interface RunStats {
  runs: { base: number; head: number };
  /** The table's family: each function's self. */
  funcSelf: FamilyResult;
  /** The graph's families: each frame's self and total. */
  nodeSelf: FamilyResult;
  nodeTotal: FamilyResult;
  /**
   * The whole run's change on its own (absolute mode): one hypothesis, the first one asks, so a
   * plain 95% interval, not one adjusted for the hundreds of frames.
   */
  whole: WelchResult & { significant: boolean };
  proportional: boolean;
}

const cache = new WeakMap<Diff, Map<Mode, RunStats>>();

/** The intervals of a diff with runs (null without: one run against one run keeps the sampling-noise model). */
export function runStats(d: Diff, mode: Mode): RunStats | null {
  const r = d.runs;
  if (!r) return null;
  const known = cache.get(d)?.get(mode);
  if (known) return known;
  const proportional = mode === 'proportional';
  const F = d.functions.key.length;
  const n = d.tree.func.length;
  const block = (s: SideRuns, values: Float64Array, sumSquares?: Float64Array): RunBlock => ({
    runs: runCount(s),
    values,
    totals: s.totals,
    sampleWeight: s.sampleWeight,
    sumSquares,
  });
  const totals = (s: SideRuns, col?: Float64Array) => (col ? runTotals(d.tree.parent, col, runCount(s)) : undefined);
  const out: RunStats = {
    runs: { base: runCount(r.base), head: runCount(r.head) },
    funcSelf: compareFamily(block(r.base, r.base.funcSelf, r.base.funcSelfSq), block(r.head, r.head.funcSelf, r.head.funcSelfSq), F, { proportional }),
    nodeSelf: compareFamily(block(r.base, r.base.nodeSelf, r.base.nodeSelfSq), block(r.head, r.head.nodeSelf, r.head.nodeSelfSq), n, { proportional }),
    nodeTotal: compareFamily(
      block(r.base, r.base.nodeTotal ?? totals(r.base, r.base.nodeSelf)!, r.base.nodeTotal ? r.base.nodeTotalSq : totals(r.base, r.base.nodeSelfSq)),
      block(r.head, r.head.nodeTotal ?? totals(r.head, r.head.nodeSelf)!, r.head.nodeTotal ? r.head.nodeTotalSq : totals(r.head, r.head.nodeSelfSq)),
      n,
      { proportional },
    ),
    whole: wholeRun(r.base, r.head),
    proportional,
  };
  (cache.get(d) ?? cache.set(d, new Map()).get(d)!).set(mode, out);
  return out;
}

function wholeRun(b: SideRuns, h: SideRuns): WelchResult & { significant: boolean } {
  const floor = (s: SideRuns, k: number) => {
    // A run's Poisson variance: its samples' Σw² where kept, else weight × total.
    if (!s.nodeSelfSq) return s.sampleWeight[k] * s.totals[k];
    const n = s.nodeSelfSq.length / runCount(s);
    let sum = 0;
    for (let i = k * n; i < (k + 1) * n; i++) sum += s.nodeSelfSq[i];
    return sum;
  };
  const fb = Array.from({ length: runCount(b) }, (_, k) => floor(b, k));
  const fh = Array.from({ length: runCount(h) }, (_, k) => floor(h, k));
  const w = welch(b.totals, h.totals, fb, fh, 0.05);
  return { ...w, significant: w.lo > 0 || w.hi < 0 };
}

/** Each run's subtree totals of a run-major node column. */
function runTotals(parent: Int32Array, col: Float64Array, runs: number): Float64Array {
  const n = parent.length;
  const out = new Float64Array(runs * n);
  for (let r = 0; r < runs; r++) out.set(subtreeTotals(parent, col.subarray(r * n, (r + 1) * n)), r * n);
  return out;
}

/**
 * The part of a change its interval says is real: the bound nearest zero when the interval
 * excludes zero, else 0. In the family's unit (shares of the run when proportional).
 */
export function significantPart(f: FamilyResult, i: number): number {
  if (!f.significant[i]) return 0;
  return f.delta[i] > 0 ? Math.max(0, f.lo[i]) : Math.min(0, f.hi[i]);
}

/** One side's per-run values of item i (ticks of the card's per-run strip). */
export function perRun(s: SideRuns, values: 'funcSelf' | 'nodeSelf', count: number, i: number): number[] {
  const R = runCount(s);
  const col = s[values];
  return Array.from({ length: R }, (_, r) => col[r * count + i]);
}
