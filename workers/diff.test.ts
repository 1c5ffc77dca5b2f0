import { describe, expect, it } from 'vitest';
import { diffProfiles } from './diff';
import { parseFolded } from './parse/folded';
import { parseCallgrind } from './parse/callgrind';
import { chunksOf } from './parse/lines';
import type { Diff } from '../src/model/diff-model';
import { DEFAULT_MATCH_RULES } from '../src/model/match-key';
import { exportDiff } from '../src/model/export-json';
import { parseCpuprofile } from './parse/cpuprofile';
import { fixture } from '../test/parse/test-helpers';
import { diffTransferables } from '../src/model/diff-model';
import { profileTransferables } from '../src/model/profile';
import { functionTotals } from '../src/model/function-totals';

const folded = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;
const callgrind = (text: string) => parseCallgrind(chunksOf(new TextEncoder().encode(`events: Ir\n${text}`)), 'x');
/** A callgrind file of one flat function per `file fn cost`. */
const flat = (lines: string) => callgrind(lines.trim().split('\n').map((l) => l.trim().split(' ')).map(([fl, fn, cost]) => `fl=${fl}\nfn=${fn}\n1 ${cost}\n`).join(''));
const rows = (d: Diff) => exportDiff(d).functions.map((f) => `${f.key} ${f.base.self}->${f.head.self}`).sort();

function dump(d: Diff): string {
  const t = d.tree;
  const out: string[] = [];
  for (let i = 1; i < t.func.length; i++) {
    const name = d.strings[d.functions.name[t.func[i]]];
    out.push(`${'  '.repeat(t.depth[i] - 1)}${name} base ${t.baseSelf[i]}/${t.baseTotal[i]} head ${t.headSelf[i]}/${t.headTotal[i]}`);
  }
  return out.join('\n');
}

function fn(d: Diff, name: string) {
  const f = d.functions;
  const i = [...f.name].findIndex((s) => d.strings[s] === name);
  expect(i).toBeGreaterThanOrEqual(0);
  return { baseSelf: f.baseSelf[i], baseTotal: f.baseTotal[i], headSelf: f.headSelf[i], headTotal: f.headTotal[i], key: d.strings[f.key[i]] };
}

describe('diff', () => {
  it('merges by call path; a missing side is zero (new and removed frames)', async () => {
    const d = diffProfiles(await folded('a;b 3\na;c 1\n'), await folded('a;b 5\na;d 2\n'));
    expect(dump(d)).toBe(
      ['a base 0/4 head 0/7', '  b base 3/3 head 5/5', '  c base 1/1 head 0/0', '  d base 0/0 head 2/2'].join('\n'),
    );
    expect(d.base.total).toBe(4);
    expect(d.head.total).toBe(7);
  });

  it('merges functions over call paths and counts recursion once in totals', async () => {
    const d = diffProfiles(await folded('a;f;f;g 2\nb;f 1\n'), await folded('a;f 4\n'));
    expect(fn(d, 'f')).toMatchObject({ baseSelf: 1, baseTotal: 3, headSelf: 4, headTotal: 4 });
    expect(fn(d, 'g')).toMatchObject({ baseSelf: 2, baseTotal: 2, headSelf: 0, headTotal: 0 });
  });

  it('matches JIT names whose line numbers moved', async () => {
    const d = diffProfiles(await folded('main;JS:*makeOrder /x/bench.js:22:19 10\n'), await folded('main;JS:*makeOrder /x/bench.js:23:19 12\n'));
    expect(d.tree.func.length).toBe(3);
    expect(fn(d, 'JS:*makeOrder /x/bench.js:23:19')).toMatchObject({ baseSelf: 10, headSelf: 12, key: 'JS:makeOrder /x/bench.js' });
  });

  it('a side with no files (folded) matches a side with files (callgrind) by name: crc32_update is in both, not new and removed', async () => {
    const base = await parseCallgrind(chunksOf(fixture('callgrind-c-crc.base.out')), 'base.out');
    const head = (await parseFolded(chunksOf(fixture('c-crc-perf.head.folded')), 'head.folded')).profile;
    for (const d of [diffProfiles(base, head), diffProfiles(head, base)]) {
      const fn = d.functions;
      const f = Array.from(fn.name).findIndex((s) => d.strings[s] === 'crc32_update');
      expect(fn.baseSelf[f] > 0 && fn.headSelf[f] > 0).toBe(true);
      expect(d.strings[fn.key[f]]).toBe('crc32_update');
      // The file is still shown, from the side that has it.
      expect(d.strings[fn.file[f]]).toMatch(/textstats\.c$/);
      const both = Array.from(fn.name).filter((s, g) => fn.name.indexOf(s) !== g);
      expect(both.map((s) => d.strings[s])).toEqual([]);
    }
    // Two sides that both have files still match on them.
    const same = diffProfiles(base, await parseCallgrind(chunksOf(fixture('callgrind-c-crc.head.out')), 'head.out'));
    expect(Array.from(same.functions.key, (k) => same.strings[k])).toContain('crc32_update @ textstats.c');
  });

  it('diffing a profile with itself gives zero deltas everywhere', async () => {
    const p = await folded('a;b;c 3\na;b 1\nx 5\n');
    const d = diffProfiles(p, p);
    for (let i = 0; i < d.tree.func.length; i++) expect(d.tree.headTotal[i]).toBe(d.tree.baseTotal[i]);
  });

  it('functions of a checkout that moved are matched; with relativePaths off they are removed and new', async () => {
    const base = await flat(`
      /build/base/src/main.c main 5
      /build/base/src/a/util.c hash 10
      /usr/include/stdlib.h atoi 1`);
    const head = await flat(`
      /build/pr-1842/src/main.c main 5
      /build/pr-1842/src/a/util.c hash 30
      /usr/include/stdlib.h atoi 1`);
    expect(rows(diffProfiles(base, head))).toEqual(['atoi @ stdlib.h 1->1', 'hash @ util.c 10->30', 'main @ main.c 5->5']);
    expect(exportDiff(diffProfiles(base, head)).functions[0].file).toBe('/build/pr-1842/src/a/util.c');
    expect(rows(diffProfiles(base, head, { ...DEFAULT_MATCH_RULES, relativePaths: false }))).toEqual([
      'atoi @ /usr/include/stdlib.h 1->1',
      'hash @ /build/base/src/a/util.c 10->0',
      'hash @ /build/pr-1842/src/a/util.c 0->30',
      'main @ /build/base/src/main.c 5->0',
      'main @ /build/pr-1842/src/main.c 0->5',
    ]);
  });

  it('one name in two util.c files stays two functions, each matched with its own', async () => {
    const base = await flat(`
      /w/src/a/util.c hash 10
      /w/src/b/util.c hash 20`);
    const head = await flat(`
      /build/pr-1842/src/a/util.c hash 11
      /build/pr-1842/src/b/util.c hash 40`);
    expect(rows(diffProfiles(base, head))).toEqual(['hash @ a/util.c 10->11', 'hash @ b/util.c 20->40']);
  });

  it('carries each side\'s squared sample weights (cpuprofile) into the merged tree and the functions, transferred with them', async () => {
    const cpu = async (name: string) => parseCpuprofile(chunksOf(fixture(name)), name);
    const base = await cpu('cpuprofile-js-json.base.cpuprofile');
    const head = await cpu('cpuprofile-js-json.head.cpuprofile');
    const d = diffProfiles(base, head);
    const t = d.tree;
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    for (const [p, self, total, fSelf, fTotal] of [
      [base, t.baseSelfSq!, t.baseTotalSq!, d.functions.baseSelfSq!, d.functions.baseTotalSq!],
      [head, t.headSelfSq!, t.headTotalSq!, d.functions.headSelfSq!, d.functions.headTotalSq!],
    ] as const) {
      expect(sum(self)).toBe(sum(p.tree.selfSq!));
      expect(total[0]).toBe(sum(self));
      // Totals are subtree sums; function figures are summed as self and total are (each stack once under recursion).
      for (let i = 0; i < t.func.length; i++) {
        let s = self[i];
        for (let c = i + 1; c < t.subtreeEnd[i]; c = t.subtreeEnd[c]) s += total[c];
        expect(total[i]).toBeCloseTo(s, 0);
      }
      const ft = functionTotals({ ...t, self: t.baseSelf, total: t.baseTotal }, d.functions.key.length, self, total);
      expect([...fSelf]).toEqual([...ft.self]);
      expect([...fTotal]).toEqual([...ft.total]);
    }
    // Per function, the same sums as the profile's own nodes.
    const normalize = [...d.functions.name].findIndex((s) => d.strings[s] === 'normalizeSku');
    let own = 0;
    for (let i = 0; i < head.tree.func.length; i++) if (head.strings[head.funcName[head.tree.func[i]]] === 'normalizeSku') own += head.tree.selfSq![i];
    expect(d.functions.headSelfSq![normalize]).toBe(own);
    // Moved between threads, not copied: every column's buffer is in the transfer lists.
    const moved = new Set(diffTransferables(d));
    for (const a of [t.baseSelfSq!, t.baseTotalSq!, t.headSelfSq!, t.headTotalSq!, d.functions.baseSelfSq!, d.functions.baseTotalSq!, d.functions.headSelfSq!, d.functions.headTotalSq!]) expect(moved.has(a.buffer as ArrayBuffer)).toBe(true);
    expect(profileTransferables(base)).toContain(base.tree.selfSq!.buffer);
    // A side without squares (folded) has no columns: its noise stays sampleWeight · cost.
    const mixed = diffProfiles(base, await folded('main;normalizeSku 3\n'));
    expect([mixed.tree.baseSelfSq === undefined, mixed.tree.headSelfSq, mixed.functions.headTotalSq]).toEqual([false, undefined, undefined]);
  });
});
