import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../workers/diff';
import { parseFolded } from '../../workers/parse/folded';
import { parseCallgrind } from '../../workers/parse/callgrind';
import { chunksOf } from '../../workers/parse/lines';
import { applyTransforms, callersOf, decodeTransform, encodeTransform, invertTree, transformsOf, untransformedOf, type Transform } from './transforms';
import { exportDiff } from './export-json';
import { exportCsv } from './export-csv';
import type { Diff } from './diff-model';
import { parseCpuprofile } from '../../workers/parse/cpuprofile';
import { beyondNoise, withinNoise } from './function-table';
import { DEFAULT_SETTINGS, changeShare, type Mode } from './diff-view';
import { cpuprofile } from './test-cpuprofile';

const folded = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;
const callgrind = async (text: string) => parseCallgrind(chunksOf(new TextEncoder().encode(text)), 'x');

function dump(d: Diff): string {
  const t = d.tree;
  const out: string[] = [];
  for (let i = 1; i < t.func.length; i++) {
    // Frames a transform left without cost stay in the arrays but are never drawn.
    if (t.baseTotal[i] === 0 && t.headTotal[i] === 0) continue;
    out.push(`${'  '.repeat(t.depth[i] - 1)}${d.strings[d.functions.name[t.func[i]]]} ${t.baseTotal[i]}/${t.headTotal[i]}`);
  }
  return out.join('\n');
}

async function run(base: string, head: string, tx: Transform[]) {
  return applyTransforms(diffProfiles(await folded(base), await folded(head)), tx);
}

describe('transforms', () => {
  it('collapses indirect recursion into the outermost frame on both sides', async () => {
    const d = await run('a;f;g;f;h 2\n', 'a;f;g;f;g;f;h 3\n', [{ kind: 'collapse-recursion' }]);
    expect(dump(d)).toBe(['a 2/3', '  f 2/3', '    h 2/3'].join('\n'));
  });

  it('collapses only direct recursion when asked', async () => {
    const d = await run('a;f;f;g;f 2\n', 'a;f 1\n', [{ kind: 'collapse-direct-recursion' }]);
    expect(dump(d)).toBe(['a 2/1', '  f 2/1', '    g 2/0', '      f 2/0'].join('\n'));
  });

  it('merges a function into its callers, keeping its cost', async () => {
    const d = await run('a;m;b 2\na;m 1\n', 'a;m;b 4\n', [{ kind: 'merge', key: 'm' }]);
    expect(dump(d)).toBe(['a 3/4', '  b 2/4'].join('\n'));
    expect(d.base.total).toBe(3);
  });

  it('focuses on a function: only stacks through it, rooted at it', async () => {
    const d = await run('a;f;x 2\nb;f;y 1\nc 5\n', 'a;f;x 1\n', [{ kind: 'focus', key: 'f' }]);
    expect(dump(d)).toBe(['f 3/1', '  x 2/1', '  y 1/0'].join('\n'));
    expect(d.base.total).toBe(3);
  });

  it('hides stacks through frames matching a pattern', async () => {
    const d = await run('a;gc;x 2\na;y 1\n', 'a;GC 4\na;y 1\n', [{ kind: 'hide', pattern: '^gc$' }]);
    expect(dump(d)).toBe(['a 1/1', '  y 1/1'].join('\n'));
  });

  it('round-trips through the URL encoding', () => {
    for (const t of [{ kind: 'collapse-recursion' }, { kind: 'merge', key: 'a;b:c' }, { kind: 'hide', pattern: 'x|y' }] as Transform[]) {
      expect(decodeTransform(encodeTransform(t))).toEqual(t);
    }
  });
});

describe('sandwich callers', () => {
  it('reads call paths upwards from the function, weighted by its totals', async () => {
    const { callersOf } = await import('./transforms');
    const d = diffProfiles(await folded('a;f;x 2\nb;f 1\nb;c;f;f 4\n'), await folded('a;f 5\n'));
    const c = callersOf(d, 'f')!;
    expect(dump(c)).toBe(['f 7/5', '  a 2/5', '  b 1/0', '  c 4/0', '    b 4/0'].join('\n'));
  });
});

describe('inverted tree', () => {
  it('roots are where self time is spent, children their callers', async () => {
    const d = diffProfiles(await folded('a;b;c 2\na;c 1\na 4\n'), await folded('a;b;c 3\n'));
    expect(dump(invertTree(d))).toBe(['a 4/0', 'c 3/3', '  a 1/0', '  b 2/3', '    a 2/3'].join('\n'));
  });

  it('the first row holds each function\'s self (self = total); callers carry their part, with no self', async () => {
    const d = diffProfiles(await folded('a;b;c 2\na;c 1\na 4\n'), await folded('a;b;c 3\n'));
    const t = invertTree(d).tree;
    const rows = [...Array(t.func.length).keys()].slice(1).map((i) => `${t.depth[i]} ${d.strings[d.functions.name[t.func[i]]]} ${t.baseSelf[i]}/${t.baseTotal[i]}`);
    expect(rows).toEqual(['1 a 4/4', '1 c 3/3', '2 a 0/1', '2 b 0/2', '3 a 0/2']);
  });
});

// A callgrind profile whose tree is not its call graph: main calls light for 100 Ir, too light for
// the parser to expand (under 1 ppm of the run), so those 100 Ir stay in main's node; heavy calls
// light for 2,000. Exact (callgrind_annotate): main 1,000,000,000 self, heavy 49,998,000,
// light 2,100; the tree says main 1,000,000,100 and light 2,000.
const CALLGRIND = `events: Ir
fl=a.c
fn=main
0 1000000000
cfn=light
calls=1 0
0 100
cfn=heavy
calls=1 0
0 50000000
fn=heavy
0 49998000
cfn=light
calls=1 0
0 2000
fn=light
0 2100
`;

async function callgrindPair() {
  const p = await callgrind(CALLGRIND);
  return diffProfiles(p, p);
}

function fig(d: Diff, name: string) {
  const f = d.functions;
  const i = [...f.name].findIndex((s) => d.strings[s] === name);
  return { self: f.headSelf[i], total: f.headTotal[i], estimated: !!f.estimated?.[i] };
}

describe('callgrind: transforms keep the exact costs they do not touch', () => {
  it('the tree and the exact figures differ where a call was too light to expand', async () => {
    const d = await callgrindPair();
    expect(dump(d)).toBe(['main 1050000100/1050000100', '  heavy 50000000/50000000', '    light 2000/2000'].join('\n'));
    expect(fig(d, 'light')).toEqual({ self: 2100, total: 2100, estimated: false });
    expect(fig(d, 'main')).toEqual({ self: 1000000000, total: 1050000100, estimated: false });
  });

  it('inverted: the first row is the exact self, its callers share it in proportion to the tree', async () => {
    const d = await callgrindPair();
    const inv = invertTree(d);
    const t = inv.tree;
    const rows = [...Array(t.func.length).keys()].slice(1).map((i) => `${t.depth[i]} ${d.strings[d.functions.name[t.func[i]]]} ${t.headSelf[i]}/${t.headTotal[i]}`);
    expect(rows).toEqual(['1 heavy 49998000/49998000', '2 main 0/49998000', '1 light 2100/2100', '2 heavy 0/2100', '3 main 0/2100', '1 main 1000000000/1000000000']);
    expect(t.headTotal[0]).toBe(1050000100);
  });

  it('a transform that removes nothing changes no number', async () => {
    const d = await callgrindPair();
    const v = applyTransforms(d, [{ kind: 'hide', pattern: 'xyz' }, { kind: 'collapse-recursion' }, { kind: 'collapse-direct-recursion' }]);
    expect(v.functions).toEqual(d.functions);
    expect(v.raw).toEqual(d.raw);
    expect(v.tree).toEqual(d.tree);
    expect([v.base.total, v.head.total]).toEqual([d.base.total, d.head.total]);
  });

  it('hide: what is left keeps its exact self; a function partly hidden is estimated, and the run adds up', async () => {
    const d = await callgrindPair();
    const v = applyTransforms(d, [{ kind: 'hide', pattern: '^heavy$' }]);
    // light's 2,000 under heavy are gone; its 100 Ir from main were in main's node, which stays.
    expect(fig(v, 'light')).toEqual({ self: 100, total: 100, estimated: true });
    expect(fig(v, 'heavy')).toEqual({ self: 0, total: 0, estimated: false });
    expect(fig(v, 'main')).toEqual({ self: 1000000000, total: 1000000100, estimated: true });
    // Exactly the truth: main's self and its call of light.
    expect(v.head.total).toBe(1000000100);
  });

  it('merge: the callers get the merged cost (estimated), the others keep theirs, the run keeps its total', async () => {
    const d = await callgrindPair();
    const v = applyTransforms(d, [{ kind: 'merge', key: 'heavy @ a.c' }]);
    expect(fig(v, 'main')).toEqual({ self: 1049998000, total: 1050000100, estimated: true });
    expect(fig(v, 'light')).toEqual({ self: 2100, total: 2100, estimated: false });
    expect(fig(v, 'heavy')).toEqual({ self: 0, total: 0, estimated: false });
    expect(v.head.total).toBe(d.head.total);
  });

  it('focus: the focused function keeps its exact figures, the run is its inclusive cost', async () => {
    const d = await callgrindPair();
    const v = applyTransforms(d, [{ kind: 'focus', key: 'heavy @ a.c' }]);
    expect(fig(v, 'heavy')).toEqual({ self: 49998000, total: 50000000, estimated: false });
    // light's call from main is not under heavy.
    expect(fig(v, 'light')).toEqual({ self: 2000, total: 2000, estimated: true });
    expect(fig(v, 'main')).toEqual({ self: 0, total: 0, estimated: false });
    expect(v.head.total).toBe(50000000);
    const l = applyTransforms(d, [{ kind: 'focus', key: 'light @ a.c' }]);
    expect(fig(l, 'light')).toEqual({ self: 2100, total: 2100, estimated: false });
    expect(l.head.total).toBe(2100);
  });

  it('callers: the function at the top with its exact figures, its callers sharing its exact total', async () => {
    const d = await callgrindPair();
    const c = callersOf(d, 'light @ a.c')!;
    expect(dump(c)).toBe(['light 2100/2100', '  heavy 2100/2100', '    main 2100/2100'].join('\n'));
    expect(c.tree.headSelf[1]).toBe(2100);
    expect([c.tree.headSelf[2], c.tree.headSelf[3]]).toEqual([0, 0]);
    // From an inverted view too: callers are read from the tree it was inverted from.
    expect(callersOf(invertTree(d), 'light @ a.c')!.tree).toEqual(c.tree);
  });

  it('the export and the CSV describe the transformed view and mark the estimates', async () => {
    const d = await callgrindPair();
    const tx: Transform[] = [{ kind: 'hide', pattern: '^heavy$' }];
    const e = exportDiff(d, tx);
    expect(e.transforms).toEqual(['hide:^heavy$']);
    expect(e.head.total).toBe(1000000100);
    expect(e.functions.map((r) => [r.name, r.head.self, r.head.total, r.estimated ?? false])).toEqual([
      ['light', 100, 100, true],
      ['main', 1000000000, 1000000100, true],
    ]);
    expect(exportDiff(applyTransforms(d, tx))).toEqual(e);
    const csv = exportCsv(d, tx).split('\r\n');
    expect(csv[0]).toBe('name,file,key,base_self,head_self,delta_self,base_total,head_total,delta_total,delta_self_share_of_run,unit,estimated,transforms');
    expect(csv).toContain('main,a.c,main @ a.c,1000000000,1000000000,0,1000000100,1000000100,0,0,Ir,1,"[""hide:^heavy$""]"');
    expect(exportDiff(d).transforms).toEqual([]);
  });
});

describe('views remember what they were made from', () => {
  it('an export of any view of the diff, with the view\'s transforms, is the same export', async () => {
    const d = diffProfiles(await folded('a;b;c 2\na;c 1\na;x 4\n'), await folded('a;b;c 3\na;x 1\n'));
    const tx: Transform[] = [{ kind: 'hide', pattern: '^x$' }, { kind: 'merge', key: 'b' }];
    const v = applyTransforms(d, tx);
    expect(transformsOf(v)).toEqual(tx);
    expect(untransformedOf(invertTree(v))).toBe(d);
    const e = exportDiff(d, tx);
    expect(e.base.total).toBe(3);
    expect(exportDiff(v)).toEqual(e);
    expect(exportDiff(invertTree(v))).toEqual(e);
    expect(exportDiff(v, tx)).toEqual(e);
    expect(exportDiff(invertTree(v), tx)).toEqual(e);
    // Transforms applied on top of a view add to its list; an inverted view is transformed as its tree.
    expect(transformsOf(applyTransforms(v, [{ kind: 'collapse-recursion' }]))).toEqual([...tx, { kind: 'collapse-recursion' }]);
    expect(applyTransforms(invertTree(d), tx).tree).toEqual(v.tree);
    expect(exportCsv(invertTree(v))).toBe(exportCsv(d, tx));
  });

  it('a no-op transform is still a view of its own that lists it', async () => {
    const d = diffProfiles(await folded('a;b 1\n'), await folded('a;b 2\n'));
    const v = applyTransforms(d, [{ kind: 'hide', pattern: 'zzz' }]);
    expect(v).not.toBe(d);
    expect(transformsOf(d)).toEqual([]);
    expect(exportDiff(v).transforms).toEqual(['hide:zzz']);
    expect({ ...exportDiff(v), transforms: [] }).toEqual(exportDiff(d));
  });
});

describe('folded: figures after a transform are the transformed stacks\' own', () => {
  it('hide removes the stacks through a frame from every figure and from the run', async () => {
    const d = diffProfiles(await folded('main;x;f 2\nmain;f 3\nmain 1\n'), await folded('main;x;f 5\nmain;f 1\n'));
    const v = applyTransforms(d, [{ kind: 'hide', pattern: '^x$' }]);
    expect(fig(v, 'f')).toEqual({ self: 1, total: 1, estimated: false });
    expect(fig(v, 'main')).toEqual({ self: 0, total: 1, estimated: false });
    expect([v.base.total, v.head.total]).toEqual([4, 1]);
    const e = exportDiff(v);
    expect(e.functions.reduce((a, r) => a + r.base.self, 0)).toBe(e.base.total);
    expect(v.functions.estimated).toBeUndefined();
  });

  it('merging a root frame: the cost of the frame itself has no caller to go to and leaves the view', async () => {
    const d = diffProfiles(await folded('main;f 2\nmain 3\n'), await folded('main;f 2\n'));
    const v = applyTransforms(d, [{ kind: 'merge', key: 'main' }]);
    expect(dump(v)).toBe('f 2/2');
    expect([v.base.total, v.head.total]).toEqual([2, 2]);
    expect(fig(v, 'main')).toEqual({ self: 0, total: 0, estimated: false });
  });

  it('collapsing recursion moves no self; the frames between drop out of the stacks', async () => {
    const d = diffProfiles(await folded('a;f;g;f;h 2\na;f;g 1\n'), await folded('a;f;g;f;h 3\n'));
    const v = applyTransforms(d, [{ kind: 'collapse-recursion' }]);
    expect(Array.from(v.functions.baseSelf)).toEqual(Array.from(d.functions.baseSelf));
    // g is no longer in the stack of h.
    const g = [...v.functions.name].findIndex((s) => v.strings[s] === 'g');
    expect([d.functions.baseTotal[g], v.functions.baseTotal[g]]).toEqual([3, 1]);
  });

  it('the export: a key whose figures changed is one row, naming the raw names it stands for', async () => {
    const d = diffProfiles(await folded('main;x;JS:*f /a.js:1:2 2\nmain;JS:~f /a.js:1:2 3\nmain;g 1\n'), await folded('main;JS:~f /a.js:1:2 3\nmain;g 1\n'));
    expect(exportDiff(d).functions.filter((r) => r.key === 'JS:f /a.js')).toHaveLength(2);
    const e = exportDiff(d, [{ kind: 'hide', pattern: '^x$' }]);
    const rows = e.functions.filter((r) => r.key === 'JS:f /a.js');
    // Schema /1's fields, as /1 had them (the intervals of /2 are checked apart).
    const v1 = ({ runs: _r, interval: _i, significant: _s, ...row }: (typeof rows)[number]) => row;
    expect(rows.map(v1)).toEqual([{ name: 'JS:~f /a.js:1:2', file: null, key: 'JS:f /a.js', base: { self: 3, total: 3 }, head: { self: 3, total: 3 }, names: ['JS:*f /a.js:1:2', 'JS:~f /a.js:1:2'] }]);
    // One run each, samples: the interval is Δ ± 3σ of Poisson noise, √(3 + 3) · 3 here.
    expect(rows[0].interval[1]).toBeCloseTo(3 * Math.sqrt(6), 9);
    expect([rows[0].significant, rows[0].runs]).toEqual([false, { base: [3], head: [3] }]);
    // Untouched keys keep their raw rows; the hidden frame has none.
    expect(v1(e.functions.find((r) => r.name === 'g')!)).toEqual({ name: 'g', file: null, key: 'g', base: { self: 1, total: 1 }, head: { self: 1, total: 1 } });
    expect(e.functions.find((r) => r.name === 'x')).toBeUndefined();
    expect(e.base.total).toBe(4);
  });
});

describe('sandwich', () => {
  it('callers under recursion: each stack once, from its outermost frame of the function', async () => {
    const d = diffProfiles(await folded('a;f;g;f 4\nb;f;f 1\n'), await folded('a;f 2\n'));
    const c = callersOf(d, 'f')!;
    expect(dump(c)).toBe(['f 5/2', '  a 4/2', '  b 1/0'].join('\n'));
    const t = c.tree;
    expect([t.baseSelf[1], t.headSelf[1]]).toEqual([5, 2]);
  });

  it('callees (focus) and callers under a transform read the transformed view', async () => {
    const d = diffProfiles(await folded('a;f;x 2\nb;f;y 1\nb;f 1\n'), await folded('a;f;x 1\n'));
    const v = applyTransforms(d, [{ kind: 'hide', pattern: '^b$' }]);
    expect(dump(callersOf(v, 'f')!)).toBe(['f 2/1', '  a 2/1'].join('\n'));
    expect(dump(applyTransforms(v, [{ kind: 'focus', key: 'f' }]))).toBe(['f 2/1', '  x 2/1'].join('\n'));
  });
});

describe('hide', () => {
  it('matches a function by any of its spellings and by its key', async () => {
    const p = await callgrind(`events: Ir
fl=a.c
fn=main
0 10
cfn=fib'2
calls=1 0
0 5
fn=fib'2
0 5
`);
    const d = diffProfiles(p, p);
    for (const pattern of ["^fib'2$", '^fib$']) {
      const v = applyTransforms(d, [{ kind: 'hide', pattern }]);
      expect(v.head.total, pattern).toBe(10);
      expect(dump(v)).toBe('main 10/10');
    }
  });
});


describe('noise: transforms carry the squares of sample weights where they move the cost', () => {
  const cpu = async (text: string) => parseCpuprofile(chunksOf(new TextEncoder().encode(text)), 'x.cpuprofile');
  // stall: one sample a side, followed by 3000 ms (base) and 20 ms (head): 1σ. hot: 25 → 125 samples of 1 ms: 8σ.
  const gapPair = async () =>
    diffProfiles(
      await cpu(cpuprofile([['main;hot', 10, 1], ['main;stall', 1, 3000], ['main;hot', 10, 1], ['main;other', 20, 1], ['main;r;x;r;hot', 5, 1]])),
      await cpu(cpuprofile([['main;hot', 60, 1], ['main;stall', 1, 20], ['main;hot', 60, 1], ['main;other', 20, 1], ['main;r;x;r;hot', 5, 1]])),
    );
  const funcOf = (d: Diff, name: string) => [...d.functions.name].findIndex((s) => d.strings[s] === name);
  /** Every function's part beyond noise, self and total, absolute and proportional. */
  const noiseFigures = (d: Diff) =>
    [...d.functions.key].map((_, f) => ['self', 'total'].flatMap((q) => ['absolute', 'proportional'].map((m) => beyondNoise(d, f, q as 'self' | 'total', m as Mode))));
  /** The node of `name` at depth 1 (the inverted tree's first row, a callers tree's root). */
  const firstRow = (d: Diff, name: string) => [...d.tree.func].findIndex((f, i) => d.tree.depth[i] === 1 && f >= 0 && d.strings[d.functions.name[f]] === name);

  it('a transform that moves no cost keeps every noise figure: stall stays within noise, hot beyond', async () => {
    const d = await gapPair();
    const [stall, hot] = [funcOf(d, 'stall'), funcOf(d, 'hot')];
    expect(withinNoise(d, stall, 'absolute')).toBe(true);
    expect(withinNoise(d, hot, 'absolute')).toBe(false);
    const before = noiseFigures(d);
    expect(d.strings).toContain('main @ app.js');
    for (const tx of [[{ kind: 'hide', pattern: '^nothing$' }], [{ kind: 'focus', key: 'main @ app.js' }], [{ kind: 'collapse-recursion' }]] as Transform[][]) {
      const v = applyTransforms(d, tx);
      const what = encodeTransform(tx[0]);
      if (tx[0].kind === 'collapse-recursion') expect(v.tree.func.length, 'rec rebuilds the tree').toBeLessThan(d.tree.func.length);
      expect(v.tree.baseSelfSq, what).toBeDefined();
      expect(noiseFigures(v), what).toEqual(before);
      expect(withinNoise(v, stall, 'absolute'), what).toBe(true);
      expect(withinNoise(v, hot, 'absolute'), what).toBe(false);
      expect(Math.abs(changeShare(v, firstRow(v, 'main'), { ...DEFAULT_SETTINGS, colourBy: 'total' })), what).toBe(0);
    }
    // Merging `other` into main moves other's samples into main's frame: main's self variance is theirs; the rest keep theirs.
    const merged = applyTransforms(d, [{ kind: 'merge', key: 'other @ app.js' }]);
    const main = funcOf(d, 'main');
    expect(merged.functions.baseSelfSq![main]).toBe(d.functions.baseSelfSq![funcOf(d, 'other')]);
    expect(noiseFigures(merged)[hot]).toEqual(before[hot]);
    expect(noiseFigures(merged)[stall]).toEqual(before[stall]);
    // Hiding stall takes its 3000 ms sample out of main's total: main's total variance drops by its square.
    const hidden = applyTransforms(d, [{ kind: 'hide', pattern: '^stall$' }]);
    expect(d.functions.baseTotalSq![main] - hidden.functions.baseTotalSq![main]).toBe(3000e3 ** 2);
  });

  it('inverted and callers views keep the noise figures of the functions they show', async () => {
    const d = await gapPair();
    const [stall, hot] = [funcOf(d, 'stall'), funcOf(d, 'hot')];
    const inv = invertTree(d);
    // The first row holds each function's self: its variance is the function's, self and total alike.
    for (const [name, f] of [['stall', stall], ['hot', hot]] as const) {
      const r = firstRow(inv, name);
      expect([inv.tree.baseSelfSq![r], inv.tree.baseTotalSq![r], inv.tree.headTotalSq![r]]).toEqual([d.functions.baseSelfSq![f], d.functions.baseSelfSq![f], d.functions.headSelfSq![f]]);
      for (const colourBy of ['self', 'total'] as const) {
        expect(changeShare(inv, r, { ...DEFAULT_SETTINGS, colourBy })).toBe(beyondNoise(d, f, 'self', 'absolute'));
      }
    }
    expect(Math.abs(changeShare(inv, firstRow(inv, 'stall'), DEFAULT_SETTINGS))).toBe(0);
    expect(changeShare(inv, firstRow(inv, 'hot'), DEFAULT_SETTINGS)).toBeGreaterThan(0);
    // Below it, hot's callers carry their part of its samples: main directly 20 → 120, through r 5 → 5.
    const t = inv.tree;
    const under = (r: number) => [...t.func].map((f, i) => [i, f] as const).filter(([i]) => t.parent[i] === r);
    const callers = under(firstRow(inv, 'hot')).map(([i, f]) => `${d.strings[d.functions.name[f]]} ${t.baseTotalSq![i] / 1e6}/${t.headTotalSq![i] / 1e6}`);
    expect(callers.sort()).toEqual(['main 20/120', 'r 5/5']);
    expect(t.baseTotalSq![0]).toBe(d.tree.baseTotalSq![0]);
    // Callers of hot: the root frame is hot itself, with its figures and their variances.
    const c = callersOf(d, 'hot @ app.js')!;
    const r = firstRow(c, 'hot');
    expect([c.tree.baseSelfSq![r], c.tree.baseTotalSq![r], c.tree.headTotalSq![0]]).toEqual([d.functions.baseSelfSq![hot], d.functions.baseTotalSq![hot], d.functions.headTotalSq![hot]]);
    expect(changeShare(c, r, { ...DEFAULT_SETTINGS, colourBy: 'total' })).toBe(beyondNoise(d, hot, 'total', 'absolute'));
    // Folded stacks have no squares, in any view.
    const f = diffProfiles(await folded('a;b 3\n'), await folded('a;b 5\n'));
    expect([invertTree(f).tree.baseSelfSq, callersOf(f, 'b')!.tree.headTotalSq, applyTransforms(f, [{ kind: 'merge', key: 'a' }]).functions.baseSelfSq]).toEqual([undefined, undefined, undefined]);
  });
});
