import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../workers/diff';
import { parseFolded } from '../../workers/parse/folded';
import { chunksOf } from '../../workers/parse/lines';
import { fixture } from '../../test/parse/test-helpers';
import { parseCpuprofile } from '../../workers/parse/cpuprofile';
import { parseCallgrind } from '../../workers/parse/callgrind';
import { DEFAULT_SETTINGS, changeShare, frameHeadline, frameNumbers, noiseShare, shareOfChange } from './diff-view';
import { strength } from '../render/colours';
import type { Diff } from './diff-model';
import { cpuprofile } from './test-cpuprofile';

async function pair(base: string, head: string): Promise<Diff> {
  const b = (await parseFolded(chunksOf(fixture(base)), base)).profile;
  const h = (await parseFolded(chunksOf(fixture(head)), head)).profile;
  return diffProfiles(b, h);
}

function strongest(d: Diff, s = DEFAULT_SETTINGS): { node: number; strength: number; name: string } {
  let best = { node: -1, strength: -1, name: '' };
  for (let i = 1; i < d.tree.func.length; i++) {
    const st = strength(changeShare(d, i, s));
    if (st > best.strength) best = { node: i, strength: st, name: frameNumbers(d, i, s).name };
  }
  return best;
}

describe('diff colours on real pairs', () => {
  it('paints no frame of the no-change pair above a quarter of full strength', async () => {
    const d = await pair('c-crc-perf.base.folded', 'c-crc-perf-noise.head.folded');
    expect(d.base.sampleWeight).toBe(1001001);
    expect(strongest(d).strength).toBeLessThanOrEqual(0.25);
    // Without the noise model the same pair would show a change: the guard is doing the work.
    expect(strongest(d, { ...DEFAULT_SETTINGS, noise: false }).strength).toBeGreaterThan(0.25);
  });

  it('paints crc32_update of the real regression at full strength with the same defaults', async () => {
    const d = await pair('c-crc-perf.base.folded', 'c-crc-perf.head.folded');
    const s = strongest(d);
    expect(s.name).toBe('crc32_update');
    expect(s.strength).toBe(1);
  });
});


const cpu = async (text: string) => parseCpuprofile(chunksOf(new TextEncoder().encode(text)), 'x.cpuprofile');

/** The merged tree's node at a call path `a;b`. */
function nodeAt(d: Diff, path: string): number {
  const t = d.tree;
  const pathOf = (i: number): string => (t.parent[i] <= 0 ? '' : pathOf(t.parent[i]) + ';') + d.strings[d.functions.name[t.func[i]]];
  for (let i = 1; i < t.func.length; i++) if (pathOf(i) === path) return i;
  throw new Error(`no node ${path}`);
}

// One sample of `stall` is followed by a 3 s gap in base (20 ms in head): it weighs 3000 ms, and it
// comes or goes whole between runs. `hot` is 20 samples of 1 ms in base, 120 in head. Base's mean
// interval is 3040 ms / 41 samples = 74 ms: read as 74 ms samples, stall's change looked real and
// hot's like noise.
const GAP_BASE = cpuprofile([['main;hot', 10, 1], ['main;stall', 1, 3000], ['main;hot', 10, 1], ['main;other', 20, 1]]);
const GAP_HEAD = cpuprofile([['main;hot', 60, 1], ['main;stall', 1, 20], ['main;hot', 60, 1], ['main;other', 20, 1]]);

describe('noise of samples that weigh differently (cpuprofile: each weighs the time until the next)', () => {
  it('one sample followed by a huge gap is within noise; many small samples make a real change', async () => {
    const d = diffProfiles(await cpu(GAP_BASE), await cpu(GAP_HEAD));
    const [stall, hot, main] = [nodeAt(d, 'main;stall'), nodeAt(d, 'main;hot'), nodeAt(d, 'main')];
    const B = d.base.total;
    expect(B).toBe(3040e3);
    expect([d.tree.baseSelf[stall], d.tree.headSelf[stall]]).toEqual([3000e3, 20e3]);
    // stall: −2980 ms, one sample a side: σ = √(3000² + 20²) ms ≈ 3000 ms, so the change is 1σ.
    expect([d.tree.baseSelfSq![stall], d.tree.headSelfSq![stall]]).toEqual([3000e3 ** 2, 20e3 ** 2]);
    expect(noiseShare(3000e3, 20e3, d, 'absolute', 3000e3 ** 2, 20e3 ** 2)).toBeCloseTo((3 * Math.hypot(3000e3, 20e3)) / B, 12);
    expect(Math.abs(changeShare(d, stall, DEFAULT_SETTINGS))).toBe(0);
    expect(Math.abs(changeShare(d, stall, { ...DEFAULT_SETTINGS, mode: 'proportional' }))).toBe(0);
    expect(Math.abs(frameHeadline(d, stall, DEFAULT_SETTINGS).beyondNoise)).toBe(0);
    // hot: +100 ms in 1 ms samples: σ = √(20 + 120) ms ≈ 11.8 ms, the change is 8.5σ; painted for what passes 3σ.
    expect([d.tree.baseSelfSq![hot], d.tree.headSelfSq![hot]]).toEqual([20 * 1e6, 120 * 1e6]);
    expect(changeShare(d, hot, DEFAULT_SETTINGS)).toBeCloseTo((100e3 - 3 * Math.sqrt(140e6)) / B, 12);
    expect(changeShare(d, hot, { ...DEFAULT_SETTINGS, mode: 'proportional' })).toBeGreaterThan(0);
    // Totals are subtree sums of the squares: main holds all the samples, its change (−2880 ms) is noise.
    expect(d.tree.baseTotalSq![main]).toBe(3000e3 ** 2 + 40 * 1e6);
    expect(d.tree.baseTotalSq![0]).toBe(d.tree.baseTotalSq![main]);
    expect(Math.abs(changeShare(d, main, { ...DEFAULT_SETTINGS, colourBy: 'total' }))).toBe(0);
    expect(changeShare(d, hot, { ...DEFAULT_SETTINGS, colourBy: 'total' })).toBe(changeShare(d, hot, DEFAULT_SETTINGS));
  });

  it('samples that all weigh the same give the figures of the q · cost model', async () => {
    const d = diffProfiles(await cpu(cpuprofile([['main;a', 30, 2], ['main;b', 10, 2]])), await cpu(cpuprofile([['main;a', 60, 2], ['main;b', 12, 2]])));
    expect(d.base.sampleWeight).toBe(2000);
    const t = d.tree;
    for (let i = 0; i < t.func.length; i++) {
      expect(t.baseSelfSq![i]).toBe(d.base.sampleWeight! * t.baseSelf[i]);
      expect(t.headTotalSq![i]).toBe(d.head.sampleWeight! * t.headTotal[i]);
      for (const s of [DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, colourBy: 'total' as const, mode: 'proportional' as const }]) {
        const [b, h] = s.colourBy === 'self' ? [t.baseSelf[i], t.headSelf[i]] : [t.baseTotal[i], t.headTotal[i]];
        const share = shareOfChange(b, h, d.base.total, d.head.total, s.mode);
        expect(changeShare(d, i, s)).toBe(Math.sign(share) * Math.max(0, Math.abs(share) - noiseShare(b, h, d, s.mode)));
      }
    }
  });

  it('folded stacks keep the model they had (every sample weighs the same): no squares, the same figures on the c-crc-perf pair', async () => {
    const d = await pair('c-crc-perf.base.folded', 'c-crc-perf.head.folded');
    expect([d.tree.baseSelfSq, d.tree.headTotalSq, d.functions.baseSelfSq, d.functions.headTotalSq]).toEqual([undefined, undefined, undefined, undefined]);
    // Figures taken before cpuprofiles had squares, to the last digit.
    const f = [...d.functions.name].findIndex((s) => d.strings[s] === 'crc32_update');
    expect(noiseShare(d.functions.baseSelf[f], d.functions.headSelf[f], d, 'absolute')).toBe(0.08193410336001332);
    let sum = 0;
    let sumTotalProportional = 0;
    for (let i = 0; i < d.tree.func.length; i++) {
      sum += changeShare(d, i, DEFAULT_SETTINGS);
      sumTotalProportional += changeShare(d, i, { ...DEFAULT_SETTINGS, colourBy: 'total', mode: 'proportional' });
    }
    expect([sum, sumTotalProportional]).toEqual([0.2392337798516655, 0.23238769899511913]);
  });

  it('callgrind counts are exact: no squares, no noise, colours as they are', async () => {
    const read = async (name: string) => parseCallgrind(chunksOf(fixture(name)), name);
    const d = diffProfiles(await read('callgrind-c-crc.base.out'), await read('callgrind-c-crc.head.out'));
    expect([d.tree.baseSelfSq, d.tree.headSelfSq, d.functions.baseSelfSq, d.functions.headSelfSq]).toEqual([undefined, undefined, undefined, undefined]);
    expect(d.base.sampleWeight).toBeUndefined();
    for (let i = 0; i < d.tree.func.length; i++) expect(changeShare(d, i, DEFAULT_SETTINGS)).toBe(changeShare(d, i, { ...DEFAULT_SETTINGS, noise: false }));
  });
});
