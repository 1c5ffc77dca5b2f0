// Proportional mode: two runs rarely last the same, so compare what share of its own run each
// function takes. The same Welch test, on value / run total, with the Poisson variance scaled
// by 1 / total² alike.
import { welch, type WelchResult } from './welch';

/** Each run's value as a share of its run's total, and its Poisson variance as a share's. */
export function sharesOf(values: ArrayLike<number>, totals: ArrayLike<number>, floorVar: ArrayLike<number>): { shares: Float64Array; floor: Float64Array } {
  const shares = new Float64Array(values.length);
  const floor = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const t = totals[r] > 0 ? totals[r] : Infinity;
    shares[r] = values[r] / t;
    floor[r] = floorVar[r] / (t * t);
  }
  return { shares, floor };
}

/** Welch's test of the change of share: delta, se, lo, hi are shares of the run (0.01 = 1 point). */
export function welchShares(
  baseRuns: ArrayLike<number>,
  baseTotals: ArrayLike<number>,
  baseFloorVar: ArrayLike<number>,
  headRuns: ArrayLike<number>,
  headTotals: ArrayLike<number>,
  headFloorVar: ArrayLike<number>,
  alpha = 0.05,
): WelchResult {
  const b = sharesOf(baseRuns, baseTotals, baseFloorVar);
  const h = sharesOf(headRuns, headTotals, headFloorVar);
  return welch(b.shares, h.shares, b.floor, h.floor, alpha);
}
