import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableOrder, DEFAULT_SORT, withinNoise, beyondNoise } from './function-table';
import type { Diff } from './diff-model';
import { displayKey } from './match-key';
import { diffProfiles } from '../../workers/diff';
import { parseCpuprofile } from '../../workers/parse/cpuprofile';
import { chunksOf } from '../../workers/parse/lines';
import { CORPUS, HAVE_CORPUS } from '../../test/parse/test-helpers';
import { cpuprofile } from './test-cpuprofile';

/** A synthetic diff with `n` functions, enough for the table's own logic (no tree needed). */
function synthetic(n: number): Diff {
  const strings: string[] = [];
  const name = new Int32Array(n);
  for (let i = 0; i < n; i++) name[i] = strings.push(`fn_${i}`) - 1;
  const baseSelf = new Float64Array(n);
  const headSelf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    baseSelf[i] = (i * 7919) % 1000;
    headSelf[i] = (i * 104729) % 1000;
  }
  const empty = new Int32Array(0);
  return {
    strings,
    tree: { func: empty, parent: empty, depth: empty, subtreeEnd: empty, baseSelf: new Float64Array(0), baseTotal: new Float64Array(0), headSelf: new Float64Array(0), headTotal: new Float64Array(0) },
    functions: { name, file: new Int32Array(n).fill(-1), key: name, baseSelf, baseTotal: baseSelf, headSelf, headTotal: headSelf },
    raw: { name, file: new Int32Array(n).fill(-1), key: name, baseSelf, baseTotal: baseSelf, headSelf, headTotal: headSelf },
    base: { name: 'b', format: 'folded', unit: 'samples', total: 1e6, events: [], eventIndex: 0, parts: [], partIndex: -1, skippedLines: 0, warnings: [], incomplete: [] },
    head: { name: 'h', format: 'folded', unit: 'samples', total: 1e6, events: [], eventIndex: 0, parts: [], partIndex: -1, skippedLines: 0, warnings: [], incomplete: [] },
  };
}

describe('function table', () => {
  it('ranks by |Δ self| by default, biggest change first whatever its sign', () => {
    const d = synthetic(1000);
    const order = tableOrder(d, DEFAULT_SORT, '');
    const mag = (f: number) => Math.abs(d.functions.headSelf[f] - d.functions.baseSelf[f]);
    for (let i = 1; i < order.length; i++) expect(mag(order[i - 1])).toBeGreaterThanOrEqual(mag(order[i]));
  });

  it('filters by substring or regular expression', () => {
    const d = synthetic(1000);
    expect(tableOrder(d, DEFAULT_SORT, 'fn_99$').length).toBe(1);
    expect(tableOrder(d, DEFAULT_SORT, 'fn_99').length).toBe(11);
    expect(tableOrder(d, DEFAULT_SORT, '(').length).toBe(0);
  });

  it('sorts by name both ways', () => {
    const d = synthetic(20);
    const up = [...tableOrder(d, { column: 'name', descending: false }, '')].map((f) => d.strings[d.functions.name[f]]);
    expect(up).toEqual([...up].sort());
  });

  it('with noise on, ranks by the change beyond sampling noise and marks what is within it', () => {
    const d = synthetic(2);
    // fn_0: 1000 -> 1100 samples, 3σ = 3·√2100 ≈ 137: within noise. fn_1: 10 -> 60, 3σ = 3·√70 ≈ 25: real.
    d.functions.baseSelf.set([1000, 10]);
    d.functions.headSelf.set([1100, 60]);
    const sampled: Diff = { ...d, base: { ...d.base, total: 1e4, sampleWeight: 1 }, head: { ...d.head, total: 1e4, sampleWeight: 1 } };
    expect([...tableOrder(sampled, DEFAULT_SORT, '')]).toEqual([0, 1]);
    expect([...tableOrder(sampled, DEFAULT_SORT, '', 'absolute', true)]).toEqual([1, 0]);
    expect(withinNoise(sampled, 0, 'absolute')).toBe(true);
    expect(withinNoise(sampled, 1, 'absolute')).toBe(false);
    // Exact counts (callgrind) have no noise: the order is |Δ| alone.
    expect([...tableOrder(d, DEFAULT_SORT, '', 'absolute', true)]).toEqual([...tableOrder(d, DEFAULT_SORT, '')]);
  });
});


const cpu = async (text: string) => parseCpuprofile(chunksOf(new TextEncoder().encode(text)), 'x.cpuprofile');
const keys = (d: Diff, order: Int32Array) => [...order].map((f) => displayKey(d.strings[d.functions.key[f]]));
const funcOf = (d: Diff, key: string) => [...d.functions.key].findIndex((k) => displayKey(d.strings[k]) === key);

describe('function table: noise of samples that weigh differently (cpuprofile)', () => {
  it('one sample followed by a huge gap is within noise and ranks below a real change made of many small samples', async () => {
    // stall: one sample a side, followed by 3000 ms (base) and 20 ms (head); hot: 20 → 120 samples of 1 ms.
    const d = diffProfiles(
      await cpu(cpuprofile([['main;hot', 10, 1], ['main;stall', 1, 3000], ['main;hot', 10, 1], ['main;other', 20, 1]])),
      await cpu(cpuprofile([['main;hot', 60, 1], ['main;stall', 1, 20], ['main;hot', 60, 1], ['main;other', 20, 1]])),
    );
    const [stall, hot] = [funcOf(d, 'stall'), funcOf(d, 'hot')];
    expect([d.functions.baseSelfSq![stall], d.functions.headSelfSq![stall]]).toEqual([3000e3 ** 2, 20e3 ** 2]);
    expect([d.functions.baseSelfSq![hot], d.functions.headSelfSq![hot]]).toEqual([20e6, 120e6]);
    // By |Δ| alone stall (−2980 ms) comes first; its change is 1σ (σ ≈ 3000 ms), hot's +100 ms is 8.5σ (σ ≈ 11.8 ms).
    expect(keys(d, tableOrder(d, DEFAULT_SORT, '')).slice(0, 2)).toEqual(['stall', 'hot']);
    expect(keys(d, tableOrder(d, DEFAULT_SORT, '', 'absolute', true)).slice(0, 2)).toEqual(['hot', 'stall']);
    expect(withinNoise(d, stall, 'absolute')).toBe(true);
    expect(withinNoise(d, hot, 'absolute')).toBe(false);
    expect(withinNoise(d, hot, 'proportional')).toBe(false);
    expect(beyondNoise(d, hot, 'self', 'absolute')).toBeCloseTo((100e3 - 3 * Math.sqrt(140e6)) / d.base.total, 12);
    // Totals: main holds every sample, stall's 3000 ms among them: its −2880 ms is noise too.
    expect(beyondNoise(d, funcOf(d, 'main'), 'total', 'absolute')).toBe(-0);
    expect(keys(d, tableOrder(d, { column: 'deltaTotal', descending: true }, '', 'absolute', true))[0]).toBe('hot');
  });

  it('within noise, changes rank by |Δ| counted in effective samples: |Δ| itself where samples weigh the same', () => {
    const d = synthetic(4);
    // Every sample weighs 1. fn_1: 10 → 60, 3σ = 3·√70 ≈ 25: real. Within noise by |Δ|: fn_0 (100), fn_3 (30), fn_2 (4).
    d.functions.baseSelf.set([1000, 10, 0, 500]);
    d.functions.headSelf.set([1100, 60, 4, 530]);
    const sampled: Diff = { ...d, base: { ...d.base, total: 1e4, sampleWeight: 1 }, head: { ...d.head, total: 1e4, sampleWeight: 1 } };
    expect([...tableOrder(sampled, DEFAULT_SORT, '')]).toEqual([0, 1, 3, 2]);
    expect([...tableOrder(sampled, DEFAULT_SORT, '', 'absolute', true)]).toEqual([1, 0, 3, 2]);
    expect([...tableOrder(sampled, { ...DEFAULT_SORT, descending: false }, '', 'absolute', true)]).toEqual([2, 3, 0, 1]);
    // The same costs from samples that weigh differently: fn_0's 1000 → 1100 is 2 samples of 500 → 2 of 550
    // (Σw² 500,000 → 605,000: σ ≈ 1050, 22 times √2100), so it counts for 100 · 2100/1,105,000 ≈ 0.19, below fn_2's 4.
    const squares = (sq: number[]) => Float64Array.from(sq);
    const weighted: Diff = {
      ...sampled,
      functions: { ...sampled.functions, baseSelfSq: squares([500_000, 10, 0, 500]), headSelfSq: squares([605_000, 60, 4, 530]), baseTotalSq: squares([500_000, 10, 0, 500]), headTotalSq: squares([605_000, 60, 4, 530]) },
    };
    expect([...tableOrder(weighted, DEFAULT_SORT, '', 'absolute', true)]).toEqual([1, 3, 2, 0]);
    expect(withinNoise(weighted, 0, 'absolute')).toBe(true);
  });

  // The tsc 5.8 → 5.9 pair (../shared/corpus, 1 ms sampling: a mean interval of 2.0 ms, 268 gaps over 5 ms in base).
  // Ranked by |Δ| beyond q·cost, addRange (225.7 → 4.6 ms) was the top row: 2 samples a side, one of base's
  // followed by a 224.8 ms gap. With Σw² no function's self changes by 3σ in these two runs (the nearest,
  // isTypeRelatedTo, 5 → 17 samples, by 2.6σ), so the table lists the changes within noise by |Δ| in effective samples:
  //   wrapSafe              72.9 →  91.1 ms  +18.2 ms   68 →  76 samples, 1.3σ (light samples: counts 27.3 ms)
  //   open                 590.9 → 520.6 ms  −70.3 ms  291 → 322 samples, 0.8σ (samples before gaps: 18.7 ms)
  //   isTypeRelatedTo        5.8 →  29.9 ms  +24.1 ms    5 →  17 samples, 2.6σ (18.3 ms)
  //   (garbage collector)  526.6 → 469.2 ms  −57.4 ms  225 → 186 samples, 0.7σ (17.7 ms)
  //   scan                  83.9 →  38.9 ms  −44.9 ms   34 →  28 samples, 1.8σ (17.0 ms)
  // and addRange, 1.0σ, counting 2.0 ms: row 589 of 2,814.
  const TSC = path.join(CORPUS, 'pairs/tsc-rxjs-cpuprofile-1ms');
  it.skipIf(!HAVE_CORPUS)('tsc pair (../shared/corpus only: skipped where it is absent): addRange is within noise, and not the top row', async () => {
    const read = async (side: string) => parseCpuprofile(chunksOf(new Uint8Array(readFileSync(path.join(TSC, `${side}.cpuprofile`)))), `${side}.cpuprofile`);
    const d = diffProfiles(await read('base'), await read('head'));
    const order = tableOrder(d, DEFAULT_SORT, '', 'absolute', true);
    const addRange = funcOf(d, 'addRange');
    expect(Math.round(d.functions.baseSelf[addRange] / 100) / 10).toBe(225.7);
    // Its two base samples: 224.8 ms (the gap) and 0.9 ms: σ is the gap's, not √2 mean intervals.
    expect(Math.sqrt(d.functions.baseSelfSq![addRange]) / 1000).toBeCloseTo(224.8, 0);
    expect(withinNoise(d, addRange, 'absolute')).toBe(true);
    expect(order[0]).not.toBe(addRange);
    expect([...order].indexOf(addRange)).toBeGreaterThan(100);
    expect(keys(d, order).slice(0, 5)).toEqual(['wrapSafe', 'open', 'isTypeRelatedTo', '(garbage collector)', 'scan']);
    for (const f of order.slice(0, 5)) expect(withinNoise(d, f, 'absolute')).toBe(true);
  });
});
