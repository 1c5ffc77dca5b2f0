// Special functions behind the t distribution: ln Γ, the regularized incomplete beta I_x(a, b)
// and the regularized upper incomplete gamma Q(a, x) (for the normal tail, the t at df = ∞).
// Algorithms as in Numerical Recipes (3rd ed., §6.1, §6.2, §6.4): series and Lentz's continued
// fractions, which stay accurate to ~1e-14 relative in the tails, where p-values live.

// Lanczos approximation, g = 7, 9 terms (the coefficients of Godfrey's table): ~1e-15 relative.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  // Below 0.5 the series loses accuracy; Γ(x) = Γ(x + 1) / x moves the argument up.
  if (x < 0.5) return lnGamma(x + 1) - Math.log(x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The remainder of Stirling's series, ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π), for x ≥ 10 (error < 1e-14). */
function stirlingRemainder(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). Summing the three ln Γ loses everything but the
 * first ~8 digits at df ≈ 1e8 (each is ~1e9, the difference ~10), so a large argument goes
 * through Stirling's series, where the large parts cancel on paper (as R's lbeta does).
 */
export function lnBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const pq = p + q;
  if (p >= 10)
    return (
      LN_SQRT_2PI - 0.5 * Math.log(q) + (p - 0.5) * Math.log(p / pq) + q * Math.log1p(-p / pq) +
      stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(pq)
    );
  if (q >= 10)
    return lnGamma(p) + stirlingRemainder(q) - stirlingRemainder(pq) + p - p * Math.log(pq) + (q - 0.5) * Math.log1p(-p / pq);
  return lnGamma(p) + lnGamma(q) - lnGamma(pq);
}

// The continued fractions stop when a step changes the value by less than this (a few ulps).
const EPS = 1e-15;
// Stands in for zero in Lentz's method, so a vanishing denominator does not divide by 0.
const TINY = 1e-300;
// The beta fraction takes O(√max(a, b)) steps; 1e5 covers df up to ~1e10, beyond which the
// t distribution is the normal to double precision and callers take the normal.
const MAX_STEPS = 100_000;

/**
 * I_x(a, b), the regularized incomplete beta function, for a, b > 0 and x in [0, 1]. `y` is 1 − x,
 * given separately when the caller knows it more precisely than 1 − x would be (x near 1).
 */
export function incompleteBeta(a: number, b: number, x: number, y = 1 - x): number {
  if (!(x > 0)) return 0;
  if (!(y > 0)) return 1;
  // Near 1, ln x from x itself keeps only the digits x − 1 has left: take it from y (df ≈ 1e8
  // puts x within 1e-7 of 1, and a = df/2 multiplies the error).
  const lnX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const lnFront = a * lnX + b * lnY - lnBeta(a, b);
  // The fraction converges fast only below this point; above it, I_x(a, b) = 1 − I_y(b, a).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaFraction(b, a, y)) / b;
}

/** The continued fraction of I_x(a, b) (NR betacf), by the modified Lentz method. */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_STEPS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return h;
  }
  throw new RangeError(`incomplete beta: no convergence for a=${a}, b=${b}, x=${x}`);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function, for a > 0, x ≥ 0. */
export function upperIncompleteGamma(a: number, x: number): number {
  if (!(x > 0)) return 1;
  const lnFront = a * Math.log(x) - x - lnGamma(a);
  // NR gser / gcf: the series converges fast below a + 1, the continued fraction above.
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_STEPS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) return 1 - sum * Math.exp(lnFront);
    }
    throw new RangeError(`incomplete gamma: no convergence for a=${a}, x=${x}`);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_STEPS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return Math.exp(lnFront) * h;
  }
  throw new RangeError(`incomplete gamma: no convergence for a=${a}, x=${x}`);
}

/** The p-quantile of the χ² distribution with k degrees of freedom (bisection: called once per k). */
export function chiSquareQuantile(p: number, k: number): number {
  // P(χ²_k ≤ x) = 1 − Q(k/2, x/2); the quantile is below k + 10√(2k) + 50 for any p < 1 − 1e-12.
  let lo = 0;
  let hi = k + 10 * Math.sqrt(2 * k) + 50;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (1 - upperIncompleteGamma(0.5 * k, 0.5 * mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
