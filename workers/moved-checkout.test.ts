// A moved checkout changes nothing (README, "Matching frames across runs"): real pairs whose head
// (or both sides) are rewritten as if built in another directory diff to the same export rows,
// keys and figures, as the pair as recorded. Only `file` differs: it stays the raw path.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCallgrind } from './parse/callgrind';
import { parseCpuprofile } from './parse/cpuprofile';
import { chunksOf } from './parse/lines';
import { diffProfiles } from './diff';
import { exportDiff, type ExportedFunction } from '../src/model/export-json';
import { DEFAULT_MATCH_RULES, type MatchRules } from '../src/model/match-key';
import { FIXTURES } from '../test/parse/test-helpers';

const parse = (text: string, name: string) =>
  (text.startsWith('{') ? parseCpuprofile : parseCallgrind)(chunksOf(new TextEncoder().encode(text)), name);

async function exportRows(base: string, head: string, rules: MatchRules = DEFAULT_MATCH_RULES): Promise<ExportedFunction[]> {
  return exportDiff(diffProfiles(await parse(base, 'base'), await parse(head, 'head'), rules)).functions;
}

/** Callgrind's file and object lines (`fl=`, `fi=`, `fe=`, `ob=` and their `c…` forms for calls) that start with `from`, moved to `to`. */
function moveCallgrind(text: string, from: string, to: string): string {
  const re = new RegExp(`^(c?(?:fl|fi|fe|ob)=(?:\\(\\d+\\) )?)${from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'gm');
  const moved = text.replace(re, `$1${to}`);
  expect(moved, `no path of the file starts with ${from}`).not.toBe(text);
  return moved;
}

/** A cpuprofile's callFrame urls that start with `from`, moved to `to`. */
function moveCpuprofile(text: string, from: string, to: string): string {
  const p = JSON.parse(text);
  let n = 0;
  for (const node of p.nodes) {
    const url: string = node.callFrame.url;
    if (url.startsWith(from)) {
      node.callFrame.url = to + url.slice(from.length);
      n++;
    }
  }
  expect(n, `no url of the file starts with ${from}`).toBeGreaterThan(0);
  return JSON.stringify(p);
}

/** The rows with files put back where the pair was recorded, to compare with its own rows. */
const unmove = (rows: ExportedFunction[], moves: [string, string][]) =>
  rows.map((r) => ({ ...r, file: moves.reduce((f, [from, to]) => (f?.startsWith(to) ? from + f.slice(to.length) : f), r.file) }));

const read = (file: string) => readFileSync(file, 'utf8');

describe('a moved checkout changes nothing', () => {
  const cBase = read(path.join(FIXTURES, 'callgrind-c-crc.base.out'));
  const cHead = read(path.join(FIXTURES, 'callgrind-c-crc.head.out'));
  const C = '/tmp/flamediff-corpus-work/';

  it('callgrind c-crc: head built in /build/pr-1842/', async () => {
    const recorded = await exportRows(cBase, cHead);
    const moved = await exportRows(cBase, moveCallgrind(cHead, C, '/build/pr-1842/'));
    expect(unmove(moved, [[C, '/build/pr-1842/']])).toEqual(recorded);
    expect(recorded.length).toBe(281);
    expect(moved[0]).toMatchObject({ name: 'crc32_update', key: 'crc32_update @ textstats.c', file: '/build/pr-1842/c/textstats.c' });
    expect(moved[0].base.self).toBe(25172504);
    expect(moved[0].head.self).toBe(273682725);
  });

  it('callgrind c-crc: base in /build/base/ and head in /build/pr-1842/, the CI case of the issue', async () => {
    const recorded = await exportRows(cBase, cHead);
    const moved = await exportRows(moveCallgrind(cBase, C, '/build/base/'), moveCallgrind(cHead, C, '/build/pr-1842/'));
    expect(unmove(moved, [[C, '/build/pr-1842/'], [C, '/build/base/']])).toEqual(recorded);
  });

  it('callgrind c-crc: with relativePaths off, every function of the moved files is removed and new', async () => {
    const rules = { ...DEFAULT_MATCH_RULES, relativePaths: false };
    const moved = await exportRows(cBase, moveCallgrind(cHead, C, '/build/pr-1842/'), rules);
    const crc = moved.filter((r) => r.name === 'crc32_update');
    expect(crc.map((r) => [r.key, r.base.self, r.head.self])).toEqual([
      ['crc32_update @ /build/pr-1842/c/textstats.c', 0, 273682725],
      ['crc32_update @ /tmp/flamediff-corpus-work/c/textstats.c', 25172504, 0],
    ]);
    expect(moved.length).toBeGreaterThan((await exportRows(cBase, cHead, rules)).length);
  });

  const demo = path.resolve(FIXTURES, '../../public/demo/py-parse-issue');
  it.skipIf(!existsSync(demo))('callgrind CodSpeed pair: another CPython build directory, beside /usr/include and glibc\'s relative paths', async () => {
    const base = read(path.join(demo, 'base.callgrind.out'));
    const head = read(path.join(demo, 'head.callgrind.out'));
    const P = '/tmp/python-build.20260509073455.222/';
    const Q = '/tmp/python-build.20260601120000.4711/';
    const recorded = await exportRows(base, head);
    const moved = await exportRows(base, moveCallgrind(head, P, Q));
    expect(unmove(moved, [[P, Q]])).toEqual(recorded);
    expect(moved[0]).toMatchObject({ name: 'sre_search', key: 'sre_search @ sre.c', file: `${Q}Python-3.11.7/./Modules/_sre/sre.c` });
    expect(moved[0].head.self).toBe(3321351500);
  }, 60_000);

  const jsBase = read(path.join(FIXTURES, 'cpuprofile-js-json.base.cpuprofile'));
  const jsHead = read(path.join(FIXTURES, 'cpuprofile-js-json.head.cpuprofile'));
  const J = 'file:///tmp/flamediff-corpus-work/';

  it.each([['file:///build/pr-1842/'], ['file:///C:/ci/pr-1842/']])('cpuprofile js-json: head\'s urls under %s', async (to) => {
    const recorded = await exportRows(jsBase, jsHead);
    const moved = await exportRows(jsBase, moveCpuprofile(jsHead, J, to));
    expect(unmove(moved, [[J, to]])).toEqual(recorded);
    const sku = moved.find((r) => r.name === 'normalizeSku')!;
    expect(sku).toMatchObject({ key: 'normalizeSku @ bench.js', file: `${to}js/bench.js` });
    expect(sku.base.self).toBeGreaterThan(0);
    expect(sku.head.self).toBeGreaterThan(sku.base.self);
  });
});
