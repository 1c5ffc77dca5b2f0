import { describe, expect, it } from 'vitest';
import { floorFactor, welch } from './welch';
import { welchShares } from './proportional';

// Reference figures are scipy.stats 1.17.1's (ttest_ind(equal_var=False), t.ppf, chi2.ppf, norm.sf).
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b));

describe('welch', () => {
  it('is plain Welch where the runs spread more than sampling noise', () => {
    const base = Float64Array.of(1040, 1210, 980, 1530, 1105);
    const head = Float64Array.of(1400, 1320, 1610, 1290, 1500, 1450);
    const w = welch(base, head, new Float64Array(5), new Float64Array(6));
    close(w.delta, 255.33333333333326);
    close(w.se, 108.45173017420136);
    close(w.df, 5.943152128271425);
    close(w.p, 0.057122635997476336, 1e-7);
    close(w.hi - w.delta, 265.98834365067927, 1e-7);
    close(w.delta - w.lo, 265.98834365067927, 1e-7);
  });

  it('floors runs that agree exactly: not certain, a normal band on the floor', () => {
    // Counts of weight 1: each run's Poisson variance is its value.
    const w = welch(Float64Array.of(100, 100, 100), Float64Array.of(120, 120, 120), [100, 100, 100], [120, 120, 120]);
    close(floorFactor(3), 0.2876820724517809);
    close(w.se, 4.593112813020229);
    expect(w.df).toBe(Infinity);
    close(w.p, 1.3346508437369664e-5, 1e-7);
  });

  it('one run against one run is the sampling-noise model', () => {
    const w = welch([100], [130], [100], [130], 0.0026997960632601866);
    close(w.se, 15.165750888103101);
    expect(w.df).toBe(Infinity);
    close(w.p, 0.04791275500844763, 1e-7);
    // alpha = 2·(1 − Φ(3)): the ±3σ band of today's noise model.
    close(w.hi - w.delta, 3 * 15.165750888103101, 1e-7);
  });

  it('exact counts (no floor) that agree are certain', () => {
    const same = welch([5, 5], [5, 5], [0, 0], [0, 0]);
    expect([same.delta, same.se, same.p, same.lo, same.hi]).toEqual([0, 0, 1, 0, 0]);
    const moved = welch([5, 5], [7, 7], [0, 0], [0, 0]);
    expect([moved.p, moved.lo, moved.hi]).toEqual([0, 2, 2]);
  });

  it('needs a run per side', () => {
    expect(() => welch([], [1], [], [1])).toThrow(RangeError);
  });

  it('proportional: the same test on shares of each run', () => {
    // Head's runs are twice as long; the function's share is the same 25%: no change.
    const w = welchShares([25, 26, 24], [100, 100, 100], [25, 26, 24], [50, 52, 48], [200, 200, 200], [50, 52, 48]);
    expect(w.delta).toBeCloseTo(0, 15);
    expect(w.p).toBe(1);
    const x = welch([0.25, 0.26, 0.24], [0.25, 0.26, 0.24], [25e-4, 26e-4, 24e-4], [50 / 4e4, 52 / 4e4, 48 / 4e4]);
    expect(welchShares([25, 26, 24], [100, 100, 100], [25, 26, 24], [50, 52, 48], [200, 200, 200], [50, 52, 48]).se).toBeCloseTo(x.se, 15);
  });
});
