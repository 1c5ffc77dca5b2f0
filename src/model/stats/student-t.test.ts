import { describe, expect, it } from 'vitest';
import { tCdf, tQuantile, tTwoSided, tUpperTail } from './student-t';

/** |a − b| ≤ tol · |b|. */
function closeRel(a: number, b: number, tol = 1e-6): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b));
}

describe('t quantiles', () => {
  // Reference values here and below are scipy.stats 1.17.1's (t.ppf, t.cdf, t.sf, norm.*).
  const table: [number, number][] = [
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [4, 2.7764451051977934],
    [10, 2.228138851986274],
    [30, 2.0422724563012378],
    [1e6, 1.959966356814107],
    [Infinity, 1.959963984540054],
  ];
  it.each(table)('t_{0.975, df=%d}', (df, t) => closeRel(tQuantile(0.975, df), t));

  it('fractional df', () => {
    closeRel(tQuantile(0.975, 7.3), 2.345066736547703);
    closeRel(tQuantile(0.995, 2.5), 7.163728138948783);
    closeRel(tQuantile(0.9, 0.5), 10.27032441023451);
    closeRel(tQuantile(1e-12, 8.25), -64.10188578271736);
  });

  it('far tails', () => {
    // Cauchy: t = tan(π(p − 1/2)), exactly.
    closeRel(tQuantile(1 - 1e-9, 1), Math.tan(Math.PI * (0.5 - 1e-9)), 1e-6);
    closeRel(tQuantile(1e-9, 1), -1 / Math.tan(Math.PI * 1e-9), 1e-6);
    // Normal: qnorm(1e-10) = −6.361340902404056.
    closeRel(tQuantile(1e-10, Infinity), -6.361340902404056);
  });

  it('is the inverse of the cdf, for any df', () => {
    for (const df of [0.3, 1, 1.7, 3, 8.25, 40, 1e4, 1e8])
      for (const p of [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.77, 0.999]) closeRel(tCdf(tQuantile(p, df), df), p, 1e-9);
  });
});

describe('t cdf', () => {
  it('is symmetric', () => {
    for (const df of [0.5, 1, 3.5, 12, 1e5, Infinity])
      for (const t of [0, 0.1, 1, 2.5, 10, 1e3]) expect(tCdf(-t, df) + tCdf(t, df)).toBeCloseTo(1, 14);
  });

  it('known values', () => {
    // Cauchy: 1/2 + atan(t)/π.
    closeRel(tCdf(3, 1), 0.5 + Math.atan(3) / Math.PI, 1e-12);
    // df = 2: 1/2 + t / (2√(2 + t²)).
    closeRel(tCdf(1.5, 2), 0.5 + 1.5 / (2 * Math.sqrt(2 + 2.25)), 1e-12);
    closeRel(tCdf(-4, 8), 0.0019748864017226616);
    closeRel(tCdf(-3, Infinity), 0.0013498980316300933);
    closeRel(tUpperTail(6, 8), 0.00016169661094257446);
    closeRel(tUpperTail(50, 3.3), 3.6090327924901356e-6);
    closeRel(tCdf(0.01, 0.2), 0.501974589110942);
    // Huge df: x = df/(df + t²) is within 1e-7 of 1, where ln x and the ln Γ sums lose digits.
    closeRel(tUpperTail(7, 1e8), 1.279820536788567e-12, 1e-9);
    // At 1e9 the fraction's first terms, 1 − (a + ½)x/(a + 1), cancel to ~1e-8 relative: still
    // far inside 1e-6, and so large a finite Welch df needs one floored side to outweigh the other ~1e4 to 1.
    closeRel(tUpperTail(7, 1e9), 1.2798133431740966e-12, 1e-8);
  });

  it('two-sided p', () => {
    closeRel(tTwoSided(-2.2281388519862744, 10), 0.05, 1e-9);
    expect(tTwoSided(0, 3)).toBe(1);
  });
});
