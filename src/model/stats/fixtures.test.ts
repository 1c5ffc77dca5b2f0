// The statistics on the real runs in test/fixtures/runs: self time per function per run, read
// straight from each .cpuprofile (not through the app's parser, so this checks the statistics
// alone), compared 5 vs 5.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareFamily, type RunBlock } from './family';

const DIR = new URL('../../../test/fixtures/runs/', import.meta.url);
const report = (line: string) => process.env.FLAMEDIFF_SIM_N && console.log(line);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self µs per function name of one run, its total µs and its sample count. */
function selfTimes(set: string, run: number): { self: Map<string, number>; total: number; samples: number } {
  const p = JSON.parse(readFileSync(new URL(`${set}/run-${run}.cpuprofile`, DIR), 'utf8')) as CpuProfile;
  const name = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName || '(anonymous)']));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = name.get(id)!;
    self.set(n, (self.get(n) ?? 0) + p.timeDeltas[i]);
    total += p.timeDeltas[i];
  });
  return { self, total, samples: p.samples.length };
}

function compare(baseSet: string, headSet: string) {
  const base = [1, 2, 3, 4, 5].map((r) => selfTimes(baseSet, r));
  const head = [1, 2, 3, 4, 5].map((r) => selfTimes(headSet, r));
  const names = [...new Set([...base, ...head].flatMap((r) => [...r.self.keys()]))].sort();
  const block = (runs: typeof base): RunBlock => ({
    runs: runs.length,
    values: Float64Array.from(runs.flatMap((r) => names.map((n) => r.self.get(n) ?? 0))),
    totals: Float64Array.from(runs.map((r) => r.total)),
    // The mean time between samples is one sample's weight.
    sampleWeight: Float64Array.from(runs.map((r) => r.total / r.samples)),
  });
  const result = compareFamily(block(base), block(head), names.length);
  const marked = names.filter((_, i) => result.significant[i]);
  for (const [i, n] of names.entries())
    if (result.p[i] < 0.05)
      report(`${baseSet} → ${headSet}: ${n} Δ ${(result.delta[i] / 1000).toFixed(2)} ms [${(result.lo[i] / 1000).toFixed(2)}, ${(result.hi[i] / 1000).toFixed(2)}] p ${result.p[i].toExponential(2)} df ${result.df[i].toFixed(1)}${result.significant[i] ? ' significant' : ''}`);
  report(`${baseSet} → ${headSet}: ${names.length} functions, ${result.count} significant, intervals at ${(100 * (1 - result.alpha)).toFixed(2)}%`);
  return { names, result, marked };
}

describe('real runs, 5 vs 5', () => {
  it('mixHash, 30% more work, is the one significant change', () => {
    const { names, result, marked } = compare('slower-base', 'slower-head');
    expect(marked).toEqual(['mixHash']);
    const i = names.indexOf('mixHash');
    // ~150 ms a run doing 30% more: the interval is around +45 ms, and above 0.
    expect(result.lo[i]).toBeGreaterThan(0);
    expect(result.delta[i] / 1000).toBeGreaterThan(25);
    expect(result.delta[i] / 1000).toBeLessThan(70);
  });

  it('the same program twice: nothing significant', () => {
    expect(compare('same-base', 'same-head').marked).toEqual([]);
  });
});
