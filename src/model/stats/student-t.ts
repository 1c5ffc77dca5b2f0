// Student's t distribution for any real df > 0: Welch's df is fractional, so tables will not do.
// df = Infinity is the standard normal (a variance known rather than estimated).
import { incompleteBeta, lnBeta, upperIncompleteGamma } from './special';

// Beyond this df the t and the normal agree to ~1e-10 in the quantile. Below it the beta fraction
// holds ~1e-9 relative up to df ≈ 1e9 (cancellation in its first terms as x = df/(df+t²) → 1).
const NORMAL_DF = 1e10;

/** P(T > t) for T ~ t(df): the upper tail, accurate relative to itself far out (small p-values). */
export function tUpperTail(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t < 0) return 1 - tUpperTail(-t, df);
  if (df >= NORMAL_DF) return 0.5 * upperIncompleteGamma(0.5, 0.5 * t * t);
  // P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t²); 1 − x computed apart keeps small t exact.
  const t2 = t * t;
  return 0.5 * incompleteBeta(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
}

/** P(T ≤ t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  return t < 0 ? tUpperTail(-t, df) : 1 - tUpperTail(t, df);
}

/** The two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function tTwoSided(t: number, df: number): number {
  return Math.min(1, 2 * tUpperTail(Math.abs(t), df));
}

/** The density of t(df) at t. */
export function tDensity(t: number, df: number): number {
  if (df >= NORMAL_DF) return Math.exp(-0.5 * t * t - 0.5 * Math.log(2 * Math.PI));
  // The normalizing constant 1 / (√df · B(df/2, 1/2)).
  const lnC = -0.5 * Math.log(df) - lnBeta(0.5 * df, 0.5);
  return Math.exp(lnC - 0.5 * (df + 1) * Math.log1p((t * t) / df));
}

/** The p-quantile of t(df): the t with P(T ≤ t) = p, for p in (0, 1); ±Infinity at 0 and 1. */
export function tQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || !(df > 0) || p < 0 || p > 1) return NaN;
  if (p === 0.5) return 0;
  // Solve for the upper tail of the smaller side: a p near 0 keeps all its digits that way.
  const q = p < 0.5 ? p : 1 - p;
  const t = upperTailQuantile(q, df);
  return p < 0.5 ? -t : t;
}

/** The t ≥ 0 with tUpperTail(t, df) = q, for q in [0, 0.5]. */
function upperTailQuantile(q: number, df: number): number {
  if (q === 0) return Infinity;
  // Bracket by doubling (df = 1 at q = 1e-15 needs t ≈ 3e14: ~50 doublings at worst) ...
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  // ... then Newton on ln(tail), which is near linear in t far out, kept inside the bracket by
  // bisection whenever a step would leave it.
  const lnQ = Math.log(q);
  let t = lo > 0 ? lo : 0.5 * hi;
  for (let i = 0; i < 200; i++) {
    const tail = tUpperTail(t, df);
    if (tail > q) lo = t;
    else hi = t;
    const g = Math.log(tail) - lnQ;
    let next = t + (g * tail) / tDensity(t, df);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, t) || hi - lo <= 1e-15 * hi) return next;
    t = next;
  }
  return t;
}
