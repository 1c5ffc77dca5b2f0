// One family of comparisons (the table's functions, or the graph's frames) over several runs per
// side, in columns the worker can transfer: no object per function.
import { benjaminiHochberg } from './fdr';
import { halfWidth, pValue, summarizeSide, welchFromSummaries } from './welch';

/** One side's runs of a family of `items` values. */
export interface RunBlock {
  /** Number of runs, ≥ 1. */
  runs: number;
  /** Run r's value of item i at [r·items + i], in the profile's unit (self time, samples, Ir…). */
  values: Float64Array;
  /** Each run's whole total, in the unit: what proportional mode divides by. */
  totals: Float64Array;
  /**
   * Each run's weight of one sample, in the unit (the sampling interval; 1 for one event): an
   * item's Poisson variance is then weight × value (count × weight²). 0 for exact counts (no floor).
   */
  sampleWeight: Float64Array;
  /**
   * Optional, [r·items + i]: run r's Σ wᵢ² over item i's samples, in unit², where samples weigh
   * differently (the exact compound-Poisson variance); overrides sampleWeight × value.
   */
  sumSquares?: Float64Array;
}

export interface FamilyOptions {
  /** False-discovery rate of the significant set. */
  q?: number;
  /** Compare each run's shares of its own total (value / total) instead of the values. */
  proportional?: boolean;
}

/** Per item, index space of the RunBlock's items. */
export interface FamilyResult {
  /** mean(head) − mean(base): in the unit, or as a share of the run (proportional). */
  delta: Float64Array;
  /** Standard error of delta, same unit. */
  se: Float64Array;
  /** Welch–Satterthwaite df (Infinity where both sides are at the Poisson floor). */
  df: Float64Array;
  /** Two-sided p-value, unadjusted. */
  p: Float64Array;
  /** FCR-adjusted interval of delta (level 1 − alpha), same unit. */
  lo: Float64Array;
  hi: Float64Array;
  /** 1 where BH at q marks the item; exactly where [lo, hi] excludes 0. */
  significant: Uint8Array;
  /** How many are significant. */
  count: number;
  /** The intervals' two-sided level: max(count, 1)·q / items. */
  alpha: number;
}

/** Each run's values and their Poisson variances, as the test sees them (shares, proportional). */
function prepared(side: RunBlock, items: number, proportional: boolean): { x: Float64Array; floor: Float64Array } {
  const x = new Float64Array(side.runs * items);
  const floor = new Float64Array(side.runs * items);
  for (let r = 0; r < side.runs; r++) {
    const w = side.sampleWeight[r];
    // A share's sampling variance is its value's divided by total² (the total's own noise is
    // ignored: it is shared by every item of the run, and small next to a part's).
    const scale = proportional ? (side.totals[r] > 0 ? 1 / side.totals[r] : 0) : 1;
    for (let i = 0, j = r * items; i < items; i++, j++) {
      const v = side.values[j];
      x[j] = v * scale;
      floor[j] = (side.sumSquares ? side.sumSquares[j] : w * v) * scale * scale;
    }
  }
  return { x, floor };
}

/** Welch's test per item, BH at q over the family, and the matching FCR-adjusted intervals. */
export function compareFamily(base: RunBlock, head: RunBlock, items: number, options: FamilyOptions = {}): FamilyResult {
  const q = options.q ?? 0.05;
  const proportional = options.proportional ?? false;
  const b = prepared(base, items, proportional);
  const h = prepared(head, items, proportional);
  const delta = new Float64Array(items);
  const se = new Float64Array(items);
  const df = new Float64Array(items);
  const p = new Float64Array(items);
  const s = new Float64Array(6);
  for (let i = 0; i < items; i++) {
    summarizeSide(b.x, b.floor, base.runs, i, items, s, 0);
    summarizeSide(h.x, h.floor, head.runs, i, items, s, 3);
    welchFromSummaries(s[0], s[1], s[2], base.runs, s[3], s[4], s[5], head.runs, s);
    delta[i] = s[0];
    se[i] = s[1];
    df[i] = s[2];
    p[i] = pValue(s[0], s[1], s[2]);
  }
  // An item with no value in any run of either side (a caller's self, a frame one side never had
  // and the other neither) is no hypothesis: it does not count in the family's size.
  for (let i = 0; i < items; i++) if (zeroEverywhere(base, i, items) && zeroEverywhere(head, i, items)) p[i] = NaN;
  const { significant, count, alpha } = benjaminiHochberg(p, q);
  const lo = new Float64Array(items);
  const hi = new Float64Array(items);
  // Most rows share df = ∞ (both floored) or a handful of values: one quantile each.
  const quantiles = new Map<number, number>();
  for (let i = 0; i < items; i++) {
    let k = quantiles.get(df[i]);
    if (k === undefined) quantiles.set(df[i], (k = halfWidth(1, df[i], alpha)));
    lo[i] = delta[i] - k * se[i];
    hi[i] = delta[i] + k * se[i];
  }
  return { delta, se, df, p, lo, hi, significant, count, alpha };
}

function zeroEverywhere(side: RunBlock, i: number, items: number): boolean {
  for (let r = 0; r < side.runs; r++) if (side.values[r * items + i] !== 0) return false;
  return true;
}
