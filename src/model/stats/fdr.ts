// Many comparisons at once: a table of 200 functions tested at 5% each would mark ~10 by chance.
// Benjamini–Hochberg controls the false-discovery rate of the marked set instead, and
// Benjamini–Yekutieli's false-coverage-rate intervals are the intervals that go with it.
//
// Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate" (JRSS B, 1995);
// Y. Benjamini, D. Yekutieli, "False discovery rate-adjusted multiple confidence intervals for
// selected parameters" (JASA, 2005).

export interface Selection {
  /** 1 where the family member is significant, index space of the p-values given. */
  significant: Uint8Array;
  /** R, how many are significant. */
  count: number;
  /**
   * The two-sided level every member's interval takes, max(R, 1)·q/m: BY's FCR-adjusted intervals
   * are at 1 − R·q/m for the R selected. Every unselected p is above R·q/m too (the step-up's own
   * definition), so one level for all makes "significant" and "interval excludes zero" the same
   * statement for every member; with none selected, the level of R = 1 (Bonferroni's).
   */
  alpha: number;
}

/**
 * BH's step-up at false-discovery rate q: the largest k with p₍ₖ₎ ≤ k·q/m, and the k smallest
 * p-values significant. A NaN p is no hypothesis (nothing to test: a function with no self in
 * any run of either side): it is not counted in m and is never significant.
 */
export function benjaminiHochberg(p: ArrayLike<number>, q = 0.05): Selection {
  const all = p.length;
  let m = 0;
  for (let i = 0; i < all; i++) if (!Number.isNaN(p[i])) m++;
  const order = new Uint32Array(all);
  for (let i = 0; i < all; i++) order[i] = i;
  const key = (i: number) => (Number.isNaN(p[i]) ? Infinity : p[i]);
  order.sort((a, b) => key(a) - key(b));
  let count = 0;
  for (let k = m; k >= 1; k--)
    if (key(order[k - 1]) <= (k * q) / m) {
      count = k;
      break;
    }
  const significant = new Uint8Array(all);
  for (let k = 0; k < count; k++) significant[order[k]] = 1;
  return { significant, count, alpha: m > 0 ? (Math.max(count, 1) * q) / m : q };
}
