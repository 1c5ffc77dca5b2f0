// The export's per-function self costs equal the tools' own figures: callgrind_annotate
// for callgrind (exactly), leaf sums for folded, sample weights for cpuprofile (in their tests).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from './diff';
import { parseCallgrind } from './parse/callgrind';
import { chunksOf } from './parse/lines';
import { FIXTURES, CORPUS, HAVE_CORPUS } from '../test/parse/test-helpers';
import { byFunctionName, callgrindAnnotate, callgrindAnnotatePath } from '../test/parse/callgrind-annotate';
import { exportDiff } from '../src/model/export-json';

const HAVE_TOOL = callgrindAnnotatePath() !== null;

async function exportPair(basePath: string, headPath: string) {
  const base = await parseCallgrind(chunksOf(new Uint8Array(readFileSync(basePath))), path.basename(basePath));
  const head = await parseCallgrind(chunksOf(new Uint8Array(readFileSync(headPath))), path.basename(headPath));
  return exportDiff(diffProfiles(base, head));
}

function expectSelfMatchesAnnotate(rows: ReturnType<typeof exportDiff>['functions'], side: 'base' | 'head', file: string) {
  const tool = byFunctionName(callgrindAnnotate(readFileSync(file, 'utf8'), 'Ir', false));
  const ours = new Map<string, number>();
  for (const r of rows) if (r[side].self !== 0) ours.set(r.name, (ours.get(r.name) ?? 0) + r[side].self);
  expect(tool.size, `${side}: callgrind_annotate's table`).toBeGreaterThan(10);
  for (const [name, cost] of tool) expect(ours.get(name) ?? 0, `${side} ${name}`).toBe(cost);
  for (const [name, cost] of ours) expect(tool.get(name) ?? 0, `${side} ${name} (not in callgrind_annotate)`).toBe(cost);
}

// Both pairs are in this repository: the figures below are checked everywhere, the comparison
// with callgrind_annotate wherever valgrind is installed.
const CRC = { base: path.join(FIXTURES, 'callgrind-c-crc.base.out'), head: path.join(FIXTURES, 'callgrind-c-crc.head.out') };
const DEMO = path.resolve(FIXTURES, '../../public/demo/py-parse-issue');
const CODSPEED = { base: path.join(DEMO, 'base.callgrind.out'), head: path.join(DEMO, 'head.callgrind.out') };
/** The corpus manifest's totals for the CodSpeed pair (callgrind_annotate's; public/demo holds a copy of the pair). */
const CODSPEED_TOTALS = { base: 1914742816, head: 4111921848 };
/** Each pair is read once for both describes (the CodSpeed pair is 3 MB). */
const exports = new Map<string, ReturnType<typeof exportPair>>();
const exportOf = (pair: { base: string; head: string }) => {
  if (!exports.has(pair.base)) exports.set(pair.base, exportPair(pair.base, pair.head));
  return exports.get(pair.base)!;
};

describe('export of callgrind pairs', () => {
  it('c-crc callgrind pair: unit, totals, the changed function first', async () => {
    const out = await exportOf(CRC);
    expect(out.unit).toBe('Ir');
    expect(out.base.total).toBe(249979994);
    expect(out.head.total).toBe(498489958);
    expect(out.functions[0].name).toBe('crc32_update');
    expect(out.functions[0].file).toMatch(/textstats\.c$/);
  });

  it('the CodSpeed pair: raw names kept apart, with callgrind_annotate’s figures', async () => {
    const out = await exportOf(CODSPEED);
    expect(out.base.total).toBe(CODSPEED_TOTALS.base);
    expect(out.head.total).toBe(CODSPEED_TOTALS.head);
    const row = (n: string) => out.functions.find((f) => f.name === n)!;
    // The manifest's figures for this pair (callgrind_annotate's).
    expect(row('sre_search').head.self).toBe(3321351500);
    expect(row('ucs1lib__two_way').base.self).toBe(1070612500);
    expect(row('_PyEval_EvalFrameDefault').base.self).toBe(190230187);
    expect(row('_PyEval_EvalFrameDefault').key).toBe(row("_PyEval_EvalFrameDefault'2").key);
  });

  it.skipIf(!HAVE_CORPUS)('the CodSpeed totals above are the corpus manifest’s (needs ../shared/corpus: skipped where it is absent)', () => {
    const m = JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).pairs['py-parse-issue-callgrind'];
    expect({ base: m.base_total, head: m.head_total }).toEqual(CODSPEED_TOTALS);
  });
});

describe.skipIf(!HAVE_TOOL)('export vs callgrind_annotate (needs valgrind’s callgrind_annotate: skipped where it is not installed)', () => {
  it('c-crc callgrind pair: every function, both sides, exactly', async () => {
    const out = await exportOf(CRC);
    expectSelfMatchesAnnotate(out.functions, 'base', CRC.base);
    expectSelfMatchesAnnotate(out.functions, 'head', CRC.head);
  });

  it('the CodSpeed pair: every function, both sides, exactly', async () => {
    const out = await exportOf(CODSPEED);
    expectSelfMatchesAnnotate(out.functions, 'base', CODSPEED.base);
    expectSelfMatchesAnnotate(out.functions, 'head', CODSPEED.head);
  });
});
