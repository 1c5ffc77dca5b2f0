import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/prng.mjs';
import { poisson, runFactor } from '../../../test/stats-sim';
import { compareFamily, type RunBlock } from './family';
import { benjaminiHochberg } from './fdr';

describe('Benjamini–Hochberg', () => {
  it('steps up to the largest k with p₍ₖ₎ ≤ k·q/m', () => {
    // Thresholds 0.0125, 0.025, 0.0375, 0.05: 0.04 is the 4th smallest and passes, so all four do.
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]).count).toBe(4);
    const s = benjaminiHochberg([0.001, 0.2, 0.04, 0.02]);
    expect([...s.significant]).toEqual([1, 0, 0, 1]);
    expect(s.alpha).toBeCloseTo((2 * 0.05) / 4, 15);
    // A NaN is no hypothesis: m = 2 here, so 0.02 ≤ 1·0.05/2 passes (with m = 3 it would not).
    const untested = benjaminiHochberg([0.5, NaN, 0.02]);
    expect([untested.count, untested.alpha, [...untested.significant]]).toEqual([1, 0.025, [0, 0, 1]]);
    const none = benjaminiHochberg([0.5, 0.3, 0.02]);
    expect([none.count, none.alpha]).toEqual([0, 0.05 / 3]);
  });
});

/** A random family: `items` functions, `runs` runs per side, some changed by up to ±30%. */
function randomFamily(rand: () => number): { base: RunBlock; head: RunBlock; items: number } {
  const items = 1 + Math.floor(rand() * 60);
  const nb = 1 + Math.floor(rand() * 6);
  const nh = 1 + Math.floor(rand() * 6);
  const lambda = Array.from({ length: items }, () => Math.exp(rand() * 8));
  const change = lambda.map(() => (rand() < 0.3 ? (rand() - 0.5) * 0.6 : 0));
  const block = (n: number, head: boolean): RunBlock => {
    const values = new Float64Array(n * items);
    const totals = new Float64Array(n);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < items; i++) {
        const v = poisson(rand, lambda[i] * (head ? 1 + change[i] : 1) * runFactor(rand, 0.05));
        values[r * items + i] = v;
        totals[r] += v;
      }
    return { runs: n, values, totals, sampleWeight: new Float64Array(n).fill(1) };
  };
  return { base: block(nb, false), head: block(nh, true), items };
}

describe('FCR-adjusted intervals', () => {
  it('"significant" and "interval excludes zero" agree for every member, absolute and proportional', () => {
    const rand = mulberry32(16);
    let marked = 0;
    let members = 0;
    for (let f = 0; f < 400; f++) {
      const { base, head, items } = randomFamily(rand);
      for (const proportional of [false, true]) {
        const r = compareFamily(base, head, items, { proportional });
        for (let i = 0; i < items; i++) {
          const excludes = r.lo[i] > 0 || r.hi[i] < 0;
          if (excludes !== (r.significant[i] === 1)) throw new Error(`family ${f} item ${i}: p ${r.p[i]}, [${r.lo[i]}, ${r.hi[i]}]`);
          marked += r.significant[i];
        }
        members += items;
      }
    }
    // Both kinds occur, or the agreement would be vacuous.
    expect(marked).toBeGreaterThan(members * 0.05);
    expect(marked).toBeLessThan(members * 0.5);
  });
});

describe('compareFamily', () => {
  it('reads runs × items, row-major, and gives typed columns', () => {
    // Two items, three runs per side; item 1 doubles, item 0 stays.
    const base: RunBlock = { runs: 3, values: Float64Array.of(1000, 100, 1010, 98, 990, 102), totals: Float64Array.of(1100, 1108, 1092), sampleWeight: Float64Array.of(1, 1, 1) };
    const head: RunBlock = { runs: 3, values: Float64Array.of(1005, 200, 995, 205, 1000, 195), totals: Float64Array.of(1205, 1200, 1195), sampleWeight: Float64Array.of(1, 1, 1) };
    const r = compareFamily(base, head, 2);
    expect(r.delta).toBeInstanceOf(Float64Array);
    expect(r.significant).toBeInstanceOf(Uint8Array);
    expect(r.delta[0]).toBeCloseTo(0, 10);
    expect(r.delta[1]).toBeCloseTo(100, 10);
    expect([...r.significant]).toEqual([0, 1]);
    expect(r.alpha).toBeCloseTo(0.025, 15);
    // Proportional: item 0's share fell from ~91% to ~83%, a real change of share.
    const s = compareFamily(base, head, 2, { proportional: true });
    expect(s.delta[0]).toBeCloseTo(1000 / 1200 - 3000 / 3300, 3);
    expect([...s.significant]).toEqual([1, 1]);
  });
});
