// Real pairs with one known code change each (../shared/corpus/README.md): the top row of the
// ranked table, and of the export, by |Δ self| is the function that changed.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStream } from './parse';
import { diffProfiles } from './diff';
import { exportDiff } from '../src/model/export-json';
import { DEFAULT_SORT, tableOrder } from '../src/model/function-table';
import { displayKey } from '../src/model/match-key';
import { CORPUS, FIXTURES, HAVE_CORPUS } from '../test/parse/test-helpers';

async function read(file: string) {
  return (await parseStream(new Blob([readFileSync(file)]).stream(), path.basename(file))).profile;
}

const DEMO = path.resolve(FIXTURES, '../../public/demo');
/** In this repository: always run; a missing file is a failure, not a skip. */
const pairs: [string, string, string, string][] = [
  ['c-crc-perf (perf, folded)', path.join(FIXTURES, 'c-crc-perf.base.folded'), path.join(FIXTURES, 'c-crc-perf.head.folded'), 'crc32_update'],
  ['c-crc-callgrind', path.join(FIXTURES, 'callgrind-c-crc.base.out'), path.join(FIXTURES, 'callgrind-c-crc.head.out'), 'crc32_update'],
  ['py-parse-issue-callgrind (CodSpeed)', path.join(DEMO, 'py-parse-issue/base.callgrind.out'), path.join(DEMO, 'py-parse-issue/head.callgrind.out'), 'sre_search'],
];
/** In ../shared/corpus only: a perf pair where head got faster (str.find's two-way search is gone). */
const corpusPairs: [string, string, string, string][] = [
  ['py-parse-issue-perf', path.join(CORPUS, 'pairs/py-parse-issue-perf/base.folded'), path.join(CORPUS, 'pairs/py-parse-issue-perf/head.folded'), 'ucs1lib__two_way'],
];

async function expectTopsTheRanking(base: string, head: string, changed: string) {
  const d = diffProfiles(await read(base), await read(head));
  const top = tableOrder(d, DEFAULT_SORT, '')[0];
  expect(displayKey(d.strings[d.functions.key[top]])).toContain(changed);
  expect(exportDiff(d).functions[0].name).toContain(changed);
}

describe('the function that changed tops the ranking', () => {
  it.each(pairs)('%s', async (_, base, head, changed) => expectTopsTheRanking(base, head, changed), 60_000);
});

// Skipped only where ../shared/corpus itself is absent (a fresh clone elsewhere); with the corpus
// there, a missing pair file fails.
describe.skipIf(!HAVE_CORPUS)('the function that changed tops the ranking (pairs in ../shared/corpus only: skipped where it is absent)', () => {
  it.each(corpusPairs)('%s', async (_, base, head, changed) => expectTopsTheRanking(base, head, changed), 60_000);
});

// The js-json pairs carry one edit with two effects (README of the corpus): normalizeSku got slower
// and, as a side effect, the sort comparator faster, by more. Ranked by |Δ self| the comparator
// comes first; the slowest-first ranking (Δ self descending) must name normalizeSku.
describe('the js-json pair: one edit, two effects', () => {
  it('cpuprofile: normalizeSku is the top regression, the sort comparator the top improvement', async () => {
    const d = diffProfiles(
      await read(path.join(FIXTURES, 'cpuprofile-js-json.base.cpuprofile')),
      await read(path.join(FIXTURES, 'cpuprofile-js-json.head.cpuprofile')),
    );
    const f = d.functions;
    const order = [...tableOrder(d, DEFAULT_SORT, '')];
    const delta = (i: number) => f.headSelf[i] - f.baseSelf[i];
    const slowest = order.reduce((a, b) => (delta(b) > delta(a) ? b : a));
    const fastest = order.reduce((a, b) => (delta(b) < delta(a) ? b : a));
    expect(displayKey(d.strings[f.key[slowest]])).toBe('normalizeSku');
    // The comparator is an anonymous arrow: named by its place, matched by its order in bench.js (its line moves from 68 to 66).
    expect(d.strings[f.name[fastest]]).toMatch(/^\(anonymous\) bench\.js:6[68]:43$/);
    expect(displayKey(d.strings[f.key[fastest]])).toMatch(/^\(anonymous\) #\d+$/);
    expect(f.baseSelf[fastest]).toBeGreaterThan(0);
    expect(f.headSelf[fastest]).toBeGreaterThan(0);
    // normalizeSku's share of the run: ~3 % in base, ~13 % in head.
    expect(f.baseSelf[slowest] / d.base.total).toBeLessThan(0.05);
    expect(f.headSelf[slowest] / d.head.total).toBeGreaterThan(0.1);
  });

  it.skipIf(!HAVE_CORPUS)('perf: JIT frames whose line numbers moved are matched on one row (../shared/corpus only: skipped where it is absent)', async () => {
    const d = diffProfiles(await read(path.join(CORPUS, 'pairs/js-json-perf/base.folded')), await read(path.join(CORPUS, 'pairs/js-json-perf/head.folded')));
    const f = d.functions;
    const i = [...f.key].findIndex((k) => d.strings[k].startsWith('JS:normalizeSku '));
    expect(i).toBeGreaterThanOrEqual(0);
    // One row with both sides: base's JS:*…bench.js:42:22 and head's JS:*/JS:^…:43:22 matched on the key.
    // (Under perf its time is all in builtins it calls, so it has totals but no self.)
    expect(f.baseTotal[i]).toBe(18018018);
    expect(f.headTotal[i]).toBe(14014014);
  });
});
