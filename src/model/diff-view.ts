// What the views show of a Diff: widths, colour measures and the numbers of
// one frame. Definitions kept everywhere: Δ = head − base; "share of the whole
// run" = Δ / base total; proportional mode compares head/headTotal with base/baseTotal.
import type { Diff, SideRuns } from './diff-model';
import { frameIsExact, nonInvertedOf, untransformedOf } from './transforms';
import { perRun, runStats, significantPart } from './run-stats';

export type Tab = 'base' | 'head' | 'diff' | 'sandwich';
export type Geometry = 'head' | 'base';
export type ColourBy = 'self' | 'total';
export type Mode = 'absolute' | 'proportional';

export interface ViewSettings {
  tab: Tab;
  geometry: Geometry;
  colourBy: ColourBy;
  mode: Mode;
  /** Discount sampling noise (sampled profiles only; callgrind counts are exact). */
  noise: boolean;
}

export const DEFAULT_SETTINGS: ViewSettings = { tab: 'diff', geometry: 'head', colourBy: 'self', mode: 'absolute', noise: true };

/**
 * Sample counts are Poisson-like: a frame with n samples varies by about √n
 * between identical runs, and a cost made of samples of weights wᵢ by √Σwᵢ²
 * (compound Poisson: one sample followed by a 200 ms gap varies by 200 ms).
 * A change is painted only for what exceeds this many standard deviations of
 * the difference (3σ: about 1 false alarm in 370 frames).
 */
export const NOISE_SIGMAS = 3;

/** The column that sets frame widths for a tab. */
/**
 * The whole runs' totals: what "share of the whole run" divides by, whatever the view. A focus or
 * hide transform makes a smaller view; a change is still a share of the run as it was measured.
 */
export function runTotals(d: Diff): { base: number; head: number } {
  const run = untransformedOf(nonInvertedOf(d));
  return { base: run.base.total, head: run.head.total };
}

export function widthsFor(d: Diff, s: ViewSettings): Float64Array {
  if (s.tab === 'base') return d.tree.baseTotal;
  if (s.tab === 'head') return d.tree.headTotal;
  return s.geometry === 'base' ? d.tree.baseTotal : d.tree.headTotal;
}

/** Signed change of a node as a share of the whole run, the measure the diff colours follow. */
export function changeShare(d: Diff, node: number, s: ViewSettings): number {
  const t = d.tree;
  const self = s.colourBy === 'self';
  const b = self ? t.baseSelf[node] : t.baseTotal[node];
  const h = self ? t.headSelf[node] : t.headTotal[node];
  const run = runTotals(d);
  const share = shareOfChange(b, h, run.base, run.head, s.mode);
  if (!s.noise) return share;
  const stats = d.runs ? runStats(d, s.mode) : null;
  if (stats) return realShare(share, significantPart(self ? stats.nodeSelf : stats.nodeTotal, node), run.base, s.mode);
  const noise = noiseShare(b, h, d, s.mode, (self ? t.baseSelfSq : t.baseTotalSq)?.[node], (self ? t.headSelfSq : t.headTotalSq)?.[node]);
  return Math.sign(share) * Math.max(0, Math.abs(share) - noise);
}

/**
 * With several runs per side: the part of a change (`share` of the base run) its interval says is
 * real (`part`, in the unit, or a share when proportional), never more than the change itself.
 */
export function realShare(share: number, part: number, baseTotal: number, mode: Mode): number {
  const p = mode === 'proportional' ? part : baseTotal > 0 ? part / baseTotal : 0;
  if (p === 0 || Math.sign(p) !== Math.sign(share)) return 0;
  return Math.sign(share) * Math.min(Math.abs(share), Math.abs(p));
}

export function shareOfChange(base: number, head: number, baseTotal: number, headTotal: number, mode: Mode): number {
  if (mode === 'proportional') return (headTotal > 0 ? head / headTotal : 0) - (baseTotal > 0 ? base / baseTotal : 0);
  return baseTotal > 0 ? (head - base) / baseTotal : head > 0 ? 1 : 0;
}

/** Whether either side is sampled, so that a difference may be sampling noise (a sampled head against callgrind's exact base is). */
export function isSampled(d: Pick<Diff, 'base' | 'head'>): boolean {
  return !!(d.base.sampleWeight || d.head.sampleWeight);
}

/**
 * NOISE_SIGMAS standard deviations of the change from cost `base` to cost `head`, as a share of the
 * run; 0 where both sides are deterministic counts. `baseVariance`/`headVariance` (unit²) are each side's variance
 * where its samples weigh differently (the sums of squared weights: DiffTree.baseSelfSq and the like);
 * undefined, every sample of the side weighs its sampleWeight q, and the variance is q·cost.
 */
export function noiseShare(base: number, head: number, d: Diff, mode: Mode, baseVariance?: number, headVariance?: number): number {
  // A side of exact counts (callgrind) adds no noise; the other side's sampling noise is still there.
  const qb = d.base.sampleWeight ?? 0;
  const qh = d.head.sampleWeight ?? 0;
  if (!qb && !qh) return 0;
  const { base: B, head: H } = runTotals(d);
  if (!(B > 0)) return 0;
  // A count of n samples of weight q varies by q²·n = q·cost, in cost units squared.
  const vb = qb ? (baseVariance ?? qb * base) : 0;
  const vh = qh ? (headVariance ?? qh * head) : 0;
  const variance = mode === 'proportional' ? (H > 0 ? vh / (H * H) : 0) + vb / (B * B) : (vb + vh) / (B * B);
  return NOISE_SIGMAS * Math.sqrt(variance);
}

export type Presence = 'both' | 'new' | 'removed';

export interface FrameNumbers {
  name: string;
  file: string | null;
  /** The binary or library the function is in (perf script's DSO), where the format says. */
  module: string | null;
  key: string;
  baseSelf: number;
  baseTotal: number;
  headSelf: number;
  headTotal: number;
  /** head total − base total. */
  delta: number;
  deltaSelf: number;
  /** delta / base total of this frame (Infinity for a new frame). */
  percent: number;
  /** delta / the base run's total (CodSpeed's "of the overall benchmark"). */
  shareOfRun: number;
  /** delta / the whole run's delta: how much of the overall change this frame explains. */
  shareOfChange: number;
  /** Share of the frame in each run: total / run total. */
  baseShare: number;
  headShare: number;
  presence: Presence;
  /** The function's figures are an estimate (a transform moved callgrind's exact cost): shown with "≈". */
  estimated: boolean;
  /** This frame's figures are the call tree's estimate (callgrind's call graph), not the tool's own: shown with "≈". */
  treeEstimate: boolean;
}

/** The change the colour of a frame paints, in the card's words: the same quantity (self or total) and mode. */
export interface FrameHeadline {
  quantity: ColourBy;
  /** Δ of that quantity in base's unit (proportional: head scaled to base's run length first). */
  delta: number;
  /** Δ / the whole base run: CodSpeed's "of the overall benchmark"; the colour's measure before noise (proportional: head's share − base's). */
  shareOfRun: number;
  mode: Mode;
  /** Δ / the frame's own base value; NaN where base has none (new frames). */
  percent: number;
  /** The part of shareOfRun beyond sampling noise (what is painted); equals shareOfRun for exact counts. */
  beyondNoise: number;
  /** Several runs per side: Δ's interval (in base's unit) and each run's value of the quantity. */
  runs?: FrameRuns;
}

export interface FrameRuns {
  lo: number;
  hi: number;
  significant: boolean;
  base: number[];
  head: number[];
}

export function frameHeadline(d: Diff, node: number, s: ViewSettings): FrameHeadline {
  const t = d.tree;
  const self = s.colourBy === 'self';
  const b = self ? t.baseSelf[node] : t.baseTotal[node];
  const h = self ? t.headSelf[node] : t.headTotal[node];
  const run = runTotals(d);
  const shareOfRun = shareOfChange(b, h, run.base, run.head, s.mode);
  const delta = shareOfRun * run.base;
  const beyondNoise = changeShare(d, node, s);
  const out: FrameHeadline = { quantity: s.colourBy, delta, shareOfRun, mode: s.mode, percent: b > 0 ? delta / b : NaN, beyondNoise };
  const stats = d.runs ? runStats(d, s.mode) : null;
  if (stats && d.runs) {
    const fam = self ? stats.nodeSelf : stats.nodeTotal;
    // Proportional families are in shares of each run: in base's unit, as delta is.
    const scale = stats.proportional ? run.base : 1;
    const n = t.func.length;
    const values = (side: SideRuns) => {
      if (self) return perRun(side, 'nodeSelf', n, node);
      if (side.nodeTotal) return Array.from({ length: side.totals.length }, (_, r) => side.nodeTotal![r * n + node]);
      // A top-down tree's total is its subtree's selfs: the subtree is one index range.
      return Array.from({ length: side.totals.length }, (_, r) => {
        let sum = 0;
        for (let j = node; j < t.subtreeEnd[node]; j++) sum += side.nodeSelf[r * n + j];
        return sum;
      });
    };
    out.runs = { lo: fam.lo[node] * scale, hi: fam.hi[node] * scale, significant: fam.significant[node] === 1, base: values(d.runs.base), head: values(d.runs.head) };
  }
  return out;
}

export function frameNumbers(d: Diff, node: number, s: ViewSettings): FrameNumbers {
  const t = d.tree;
  const run = runTotals(d);
  const f = t.func[node];
  const baseSelf = t.baseSelf[node];
  const baseTotal = t.baseTotal[node];
  const headSelf = t.headSelf[node];
  const headTotal = t.headTotal[node];
  // Proportional mode scales head to base's run length first, as the table and the headline do.
  const prop = s.mode === 'proportional';
  const delta = prop ? shareOfChange(baseTotal, headTotal, run.base, run.head, s.mode) * run.base : headTotal - baseTotal;
  const name = f < 0 ? 'all' : d.strings[d.functions.name[f]];
  const file = f < 0 || d.functions.file[f] < 0 ? null : d.strings[d.functions.file[f]];
  const module = f < 0 || !d.functions.module || d.functions.module[f] < 0 ? null : d.strings[d.functions.module[f]];
  return {
    name,
    file,
    module,
    key: f < 0 ? '' : d.strings[d.functions.key[f]],
    baseSelf,
    baseTotal,
    headSelf,
    headTotal,
    delta,
    deltaSelf: prop ? shareOfChange(baseSelf, headSelf, run.base, run.head, s.mode) * run.base : headSelf - baseSelf,
    percent: baseTotal > 0 ? delta / baseTotal : delta === 0 ? 0 : Infinity,
    shareOfRun: shareOfChange(baseTotal, headTotal, run.base, run.head, s.mode),
    shareOfChange: run.head !== run.base ? delta / (run.head - run.base) : NaN,
    baseShare: run.base > 0 ? baseTotal / run.base : 0,
    headShare: run.head > 0 ? headTotal / run.head : 0,
    presence: baseTotal === 0 && headTotal > 0 ? 'new' : headTotal === 0 && baseTotal > 0 ? 'removed' : 'both',
    estimated: f >= 0 && d.functions.estimated?.[f] === 1,
    treeEstimate: !frameIsExact(d, node),
  };
}

export function nodeLabel(d: Diff, node: number): string {
  const f = d.tree.func[node];
  return f < 0 ? 'all' : d.strings[d.functions.name[f]];
}
