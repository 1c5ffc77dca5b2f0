// Random counts for the statistics' simulation tests, drawn from the one seeded PRNG (prng.mjs):
// Poisson sample counts, run-to-run multiplicative noise, zero inflation.
import { lnGamma } from '../src/model/stats/special';

/** A standard normal draw (Box–Muller; the second value is dropped for simplicity). */
export function normal(rand: () => number): number {
  const u = 1 - rand(); // in (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A Poisson(lambda) draw: Knuth's product of uniforms below 30, Hörmann's PTRS above (exact, O(1)). */
export function poisson(rand: () => number, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rand();
    while (p > limit) {
      k++;
      p *= rand();
    }
    return k;
  }
  // W. Hörmann, "The transformed rejection method for generating Poisson random variables" (1993).
  const slam = Math.sqrt(lambda);
  const logLam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rand() - 0.5;
    const v = rand();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLam - lnGamma(k + 1)) return k;
  }
}

/** A run's multiplicative noise factor: log-normal with mean 1 and log-sd sigma. */
export function runFactor(rand: () => number, sigma: number): number {
  return sigma > 0 ? Math.exp(sigma * normal(rand) - 0.5 * sigma * sigma) : 1;
}
