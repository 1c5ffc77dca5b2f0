// The answer in one line: the function that explains most of the change. One module, so the
// app's verdict and a later CI report say the same words about the same numbers.
import type { Diff } from './diff-model';
import { isSampled, noiseShare, realShare, runTotals, shareOfChange, type Mode } from './diff-view';
import { runStats } from './run-stats';
import { beyondNoise } from './function-table';
import { formatPercent } from './format-number';

export type Verdict =
  | {
      kind: 'function';
      /** Index into d.functions. */
      func: number;
      key: string;
      name: string;
      presence: 'new' | 'removed' | 'both';
      /**
       * The function's self Δ: a signed share of the whole base run (absolute), or the change of its
       * share of each side's run (proportional: head's share − base's).
       */
      share: number;
      mode: Mode;
      /** The whole run's change as a share of the base run; null when the units do not compare (no such figure exists). */
      whole: number | null;
      /** The whole run's change is no larger than its sampling noise (so the largest |Δ| is named, whatever its sign). */
      wholeWithinNoise: boolean;
      /** Several runs per side: how many (what "noise" is then is run-to-run variation, by interval). */
      runs: { base: number; head: number } | null;
    }
  | { kind: 'none'; whole: number | null; sampled: boolean; wholeWithinNoise: boolean; runs: { base: number; head: number } | null };

/**
 * The largest self Δ beyond noise in the direction of the whole run's change; the largest |self Δ|
 * beyond noise when the whole run did not change beyond noise (or in proportional mode, where it cannot).
 */
export function verdictOf(d: Diff, mode: Mode, noise: boolean, unitsComparable = true): Verdict {
  const run = runTotals(d);
  const t = d.tree;
  const stats = noise && d.runs ? runStats(d, mode) : null;
  const sampled = (isSampled(d) || !!stats) && noise;
  const whole = unitsComparable ? shareOfChange(run.base, run.head, run.base, run.head, 'absolute') : null;
  // The whole run's change is an amount, the same figure in either mode: so is what of it is beyond noise.
  let wholeReal = whole ?? 0;
  if (stats && whole !== null && whole !== 0) {
    // The whole run on its own: one hypothesis, a plain 95% interval of the runs' totals.
    const w = stats.whole;
    wholeReal = realShare(whole, w.significant ? (w.delta > 0 ? w.lo : w.hi) : 0, run.base, 'absolute');
  } else if (sampled && whole !== null && whole !== 0) {
    const n = noiseShare(t.baseTotal[0], t.headTotal[0], d, 'absolute', t.baseTotalSq?.[0], t.headTotalSq?.[0]);
    wholeReal = Math.sign(whole) * Math.max(0, Math.abs(whole) - n);
  }
  const wholeWithinNoise = sampled && whole !== null && whole !== 0 && wholeReal === 0;
  // Proportional mode compares shares, which cannot all move one way: the largest |Δ| is named.
  const wholeBeyond = mode === 'proportional' ? 0 : wholeReal;
  const fn = d.functions;
  let best = -1;
  let bestValue = 0;
  let bestAny = -1;
  let bestAnyValue = 0;
  for (let f = 0; f < fn.key.length; f++) {
    const v = sampled ? beyondNoise(d, f, 'self', mode) : shareOfChange(fn.baseSelf[f], fn.headSelf[f], run.base, run.head, mode);
    if (v === 0) continue;
    if (Math.abs(v) > Math.abs(bestAnyValue)) (bestAny = f), (bestAnyValue = v);
    if (wholeBeyond !== 0 && Math.sign(v) === Math.sign(wholeBeyond) && Math.abs(v) > Math.abs(bestValue)) (best = f), (bestValue = v);
  }
  const f = best >= 0 ? best : bestAny;
  const runs = stats?.runs ?? null;
  if (f < 0) return { kind: 'none', whole, sampled, wholeWithinNoise, runs };
  return {
    kind: 'function',
    func: f,
    key: d.strings[fn.key[f]],
    name: d.strings[fn.name[f]],
    presence: fn.baseTotal[f] === 0 && fn.headTotal[f] > 0 ? 'new' : fn.headTotal[f] === 0 && fn.baseTotal[f] > 0 ? 'removed' : 'both',
    share: shareOfChange(fn.baseSelf[f], fn.headSelf[f], run.base, run.head, mode),
    mode,
    whole,
    wholeWithinNoise,
    runs,
  };
}

/** The verdict in words, e.g. "sre_search (new in head): +173.5% of the base run · whole run +114.8%". */
export function describeVerdict(v: Verdict): string {
  const noise = v.runs ? 'run-to-run variation' : 'sampling noise';
  const runs = v.runs ? ` · ${v.runs.base} vs ${v.runs.head} runs` : '';
  const whole =
    (v.whole === null ? 'whole run: no figure, the units differ' : `whole run ${formatPercent(v.whole)}${v.wholeWithinNoise ? ` (within ${noise})` : ''}`) + runs;
  if (v.kind === 'none') return `${v.sampled ? `no change beyond ${noise}` : 'no change'} · ${whole}`;
  const presence = v.presence === 'new' ? ' (new in head)' : v.presence === 'removed' ? ' (removed in head)' : '';
  // Proportional: not an amount of the base run, but how far the function's share of its run moved.
  const of = v.mode === 'proportional' ? 'in its share of the run' : 'of the base run';
  return `${v.name}${presence}: ${formatPercent(v.share, shareDigits(v.share))} ${of} · ${whole}`;
}

/** One decimal, or two significant digits for a share under 0.05% (a view left with little change), never "+0.0%". */
function shareDigits(share: number): number {
  const pct = Math.abs(share * 100);
  return pct === 0 || pct >= 0.05 ? 1 : Math.min(8, 1 - Math.floor(Math.log10(pct)));
}
