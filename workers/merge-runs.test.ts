import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from './diff';
import { parseStream } from './parse';
import { mergeRuns } from './merge-runs';
import { runStats } from '../src/model/run-stats';
import { describeVerdict, verdictOf } from '../src/model/verdict';
import { applyTransforms } from '../src/model/transforms';
import { tableOrder, DEFAULT_SORT } from '../src/model/function-table';
import { bundleRuns, splitRuns } from '../src/model/runs-bundle';
import { exportDiff } from '../src/model/export-json';

const RUNS = path.resolve(__dirname, '../test/fixtures/runs');
async function run(set: string, k: number) {
  const bytes = readFileSync(path.join(RUNS, set, `run-${k}.cpuprofile`));
  return (await parseStream(new Blob([bytes]).stream(), `run-${k}.cpuprofile`)).profile;
}
const side = async (set: string) => Promise.all([1, 2, 3, 4, 5].map((k) => run(set, k)));

describe('several runs per side', () => {
  it('merged: the mean tree, each run kept whole', async () => {
    const runs = await side('slower-base');
    const m = mergeRuns(runs);
    expect(m.name).toBe('run-1.cpuprofile + 4 more (5 runs)');
    const totals = runs.map((p) => p.tree.total[0]);
    expect(m.tree.total[0]).toBeCloseTo(totals.reduce((a, b) => a + b) / 5, 6);
    expect(Array.from(m.runs!.totals)).toEqual(totals);
    const n = m.tree.func.length;
    for (let r = 0; r < 5; r++) {
      const col = m.runs!.self.subarray(r * n, (r + 1) * n);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(totals[r], 6);
    }
  });

  it('the runs of one side must share a unit', async () => {
    const folded = (await parseStream(new Blob([readFileSync(path.resolve(__dirname, '../test/fixtures/c-crc-perf.base.folded'))]).stream(), 'x.folded')).profile;
    const first = await run('slower-base', 1);
    expect(() => mergeRuns([first, folded])).toThrow(/share a unit: run-1.cpuprofile is in microseconds, x.folded in events/);
  });

  it('5 vs 5: mixHash (15% more rounds) is the one significant function and the verdict; the no-change set says so', async () => {
    const d = diffProfiles(mergeRuns(await side('slower-base')), mergeRuns(await side('slower-head')));
    const st = runStats(d, 'absolute')!;
    const names = (i: number) => d.strings[d.functions.name[i]];
    const marked = [...st.funcSelf.significant.keys()].filter((i) => st.funcSelf.significant[i]).map(names);
    expect(marked).toEqual(['mixHash']);
    const v = verdictOf(d, 'absolute', true);
    expect(v.kind === 'function' && v.name).toBe('mixHash');
    expect(describeVerdict(v)).toMatch(/^mixHash: \+\d+\.\d% of the base run · whole run [+−]\d+\.\d%.* · 5 vs 5 runs$/);
    expect(names(tableOrder(d, DEFAULT_SORT, '', 'absolute', true)[0])).toBe('mixHash');
    // The export says the same: schema /2, each row's runs and interval, mixHash the one significant.
    const e = exportDiff(d);
    expect([e.schema, e.intervals.method, e.intervals.runs]).toEqual(['flamediff.diff/2', 'welch-fcr', { base: 5, head: 5 }]);
    expect(e.functions.filter((r) => r.significant).map((r) => r.name)).toEqual(['mixHash']);
    const mix = e.functions.find((r) => r.name === 'mixHash')!;
    expect(mix.interval[0]).toBeGreaterThan(0);
    expect(mix.runs.base.reduce((a, b) => a + b) / 5).toBeCloseTo(mix.base.self, 6);

    const same = diffProfiles(mergeRuns(await side('same-base')), mergeRuns(await side('same-head')));
    expect(runStats(same, 'absolute')!.funcSelf.count).toBe(0);
    expect(describeVerdict(verdictOf(same, 'absolute', true))).toMatch(/^no change beyond run-to-run variation · whole run .* · 5 vs 5 runs$/);
  });

  it('a transform moves each run with the mean: per run, functions still add up to the nodes', async () => {
    const d = diffProfiles(mergeRuns(await side('slower-base')), mergeRuns(await side('slower-head')));
    const t = applyTransforms(d, [{ kind: 'hide', pattern: '^sieve$' }]);
    expect(t.tree.func.length).toBeLessThan(d.tree.func.length);
    const r = t.runs!.base;
    const n = t.tree.func.length;
    const F = t.functions.key.length;
    for (let k = 0; k < 5; k++) {
      const nodes = r.nodeSelf.subarray(k * n, (k + 1) * n).reduce((a, b) => a + b, 0);
      const funcs = r.funcSelf.subarray(k * F, (k + 1) * F).reduce((a, b) => a + b, 0);
      expect(funcs).toBeCloseTo(nodes, 6);
    }
    // The mean of the runs is the tree the view draws.
    for (let i = 0; i < n; i += 7) {
      let sum = 0;
      for (let k = 0; k < 5; k++) sum += r.nodeSelf[k * n + i];
      expect(sum / 5).toBeCloseTo(t.tree.baseSelf[i], 6);
    }
    expect(runStats(t, 'absolute')!.funcSelf.delta.length).toBe(F);
  });

  it('a bundle of runs splits back into the same bytes', async () => {
    const a = new Blob(['first run\n']);
    const b = new Blob([new Uint8Array([0, 1, 2, 10, 255])]);
    const parts = await splitRuns(bundleRuns([{ name: 'a.folded', blob: a }, { name: 'b\n"x".pb', blob: b }]));
    expect(parts!.map((p) => p.name)).toEqual(['a.folded', 'b\n"x".pb']);
    expect(await parts![0].blob.text()).toBe('first run\n');
    expect(Array.from(new Uint8Array(await parts![1].blob.arrayBuffer()))).toEqual([0, 1, 2, 10, 255]);
    expect(await splitRuns(new Blob(['a;b 1\n']))).toBeNull();
  });
});

describe('several runs per side: inverted and sandwich views', () => {
  it('the inverted tree: each run\'s first row is its function selfs, callers carry their parts; the mean is the tree shown', async () => {
    const { invertTree, callersOf } = await import('../src/model/transforms');
    const d = diffProfiles(mergeRuns(await side('slower-base')), mergeRuns(await side('slower-head')));
    const inv = invertTree(d);
    const r = inv.runs!.head;
    const n = inv.tree.func.length;
    const F = inv.functions.key.length;
    for (let i = 1; i < n; i += 3) {
      let self = 0;
      let total = 0;
      for (let k = 0; k < 5; k++) {
        self += r.nodeSelf[k * n + i];
        total += r.nodeTotal![k * n + i];
      }
      expect(self / 5).toBeCloseTo(inv.tree.headSelf[i], 6);
      expect(total / 5).toBeCloseTo(inv.tree.headTotal[i], 6);
    }
    // mixHash's first-row frame: its self in each run, and the one significant first-row frame.
    const mix = [...inv.tree.func.keys()].find((i) => inv.tree.depth[i] === 1 && inv.strings[inv.functions.name[inv.tree.func[i]]] === 'mixHash')!;
    const f = inv.tree.func[mix];
    for (let k = 0; k < 5; k++) expect(r.nodeSelf[k * n + mix]).toBe(r.funcSelf[k * F + f]);
    const st = runStats(inv, 'absolute')!;
    expect(st.nodeSelf.significant[mix]).toBe(1);
    const firstRowMarked = [...inv.tree.func.keys()].filter((i) => inv.tree.depth[i] === 1 && st.nodeSelf.significant[i]);
    expect(firstRowMarked).toEqual([mix]);

    // The sandwich's callers of mixHash: the root frame's total per run is the sum of its outermost frames' subtrees.
    const callers = callersOf(d, d.strings[d.functions.key[f]])!;
    const c = callers.runs!.base;
    const m = callers.tree.func.length;
    for (let i = 0; i < m; i++) {
      let total = 0;
      for (let k = 0; k < 5; k++) total += c.nodeTotal![k * m + i];
      expect(total / 5).toBeCloseTo(callers.tree.baseTotal[i], 6);
    }
    expect(runStats(callers, 'absolute')!.nodeTotal.significant[0]).toBe(1);
  });
});

describe('several runs per side: callgrind, whose function figures are exact and its tree an estimate', () => {
  const FIX = path.resolve(__dirname, '../test/fixtures');
  const read = async (file: string) => (await parseStream(new Blob([readFileSync(path.join(FIX, file))]).stream(), file)).profile;
  const pair = async () =>
    diffProfiles(
      mergeRuns([await read('callgrind-c-crc.base.out'), await read('callgrind-c-crc-instr.base.out'), await read('callgrind-c-crc-cachesim.base.out')]),
      mergeRuns([await read('callgrind-c-crc.head.out'), await read('callgrind-c-crc.head.out')]),
    );
  const named = (d: ReturnType<typeof diffProfiles>, name: string) => Array.from(d.functions.name).findIndex((s) => d.strings[s] === name);

  /** Every function's interval holds the Δ the table shows, and an unchanged one is no change. */
  function intervalsHoldTheirDelta(d: ReturnType<typeof diffProfiles>) {
    const s = runStats(d, 'absolute')!;
    const fn = d.functions;
    let outside = 0;
    for (let f = 0; f < fn.key.length; f++) {
      const delta = fn.headSelf[f] - fn.baseSelf[f];
      const slack = 1e-6 * Math.max(1, Math.abs(delta));
      if (delta < s.funcSelf.lo[f] - slack || delta > s.funcSelf.hi[f] + slack) outside++;
    }
    expect(outside).toBe(0);
    return s;
  }

  it('each run keeps its exact function selfs: _dl_map_object, 480 → 480 in every run, is no change (its tree estimates differed by 1,791)', async () => {
    const d = await pair();
    const s = intervalsHoldTheirDelta(d);
    const f = named(d, '_dl_map_object');
    expect([d.functions.baseSelf[f], d.functions.headSelf[f]]).toEqual([480, 480]);
    expect([s.funcSelf.lo[f], s.funcSelf.hi[f], s.funcSelf.significant[f]]).toEqual([0, 0, 0]);
    const crc = named(d, 'crc32_update');
    expect(s.funcSelf.significant[crc]).toBe(1);
    expect(describeVerdict(verdictOf(d, 'absolute', true))).toMatch(/^crc32_update: /);
  });

  it('a transform keeps each interval about the Δ it shows, exact or estimated', async () => {
    const d = await pair();
    for (const t of [[{ kind: 'hide', pattern: '^main$' }], [{ kind: 'merge', key: d.strings[d.functions.key[named(d, 'crc32_update')]] }]] as const) {
      const v = applyTransforms(d, t as never);
      expect(v).not.toBe(d);
      intervalsHoldTheirDelta(v);
    }
  });
});
