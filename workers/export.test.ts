// The export's per-function self costs equal the tools' own figures: callgrind_annotate
// for callgrind (exactly), leaf sums for folded, sample weights for cpuprofile (in their tests).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from './diff';
import { parseCallgrind } from './parse/callgrind';
import { chunksOf } from './parse/lines';
import { FIXTURES, CORPUS, HAVE_CORPUS } from './parse/test-helpers';
import { byFunctionName, callgrindAnnotate, callgrindAnnotatePath } from './parse/callgrind-annotate';
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
  for (const [name, cost] of tool) expect(ours.get(name) ?? 0, `${side} ${name}`).toBe(cost);
  for (const [name, cost] of ours) expect(tool.get(name) ?? 0, `${side} ${name} (not in callgrind_annotate)`).toBe(cost);
}

describe.skipIf(!HAVE_TOOL)('export vs callgrind_annotate', () => {
  it('c-crc callgrind pair: every function, both sides, exactly', async () => {
    const b = path.join(FIXTURES, 'callgrind-c-crc.base.out');
    const h = path.join(FIXTURES, 'callgrind-c-crc.head.out');
    const out = await exportPair(b, h);
    expect(out.unit).toBe('Ir');
    expect(out.base.total).toBe(249979994);
    expect(out.head.total).toBe(498489958);
    expectSelfMatchesAnnotate(out.functions, 'base', b);
    expectSelfMatchesAnnotate(out.functions, 'head', h);
    expect(out.functions[0].name).toBe('crc32_update');
    expect(out.functions[0].file).toMatch(/textstats\.c$/);
  });

  const demo = path.resolve(FIXTURES, '../../../public/demo/py-parse-issue');
  it.skipIf(!existsSync(demo))('the CodSpeed pair: raw names kept apart, as callgrind_annotate counts them', async () => {
    const b = path.join(demo, 'base.callgrind.out');
    const h = path.join(demo, 'head.callgrind.out');
    const out = await exportPair(b, h);
    expectSelfMatchesAnnotate(out.functions, 'base', b);
    expectSelfMatchesAnnotate(out.functions, 'head', h);
    const row = (n: string) => out.functions.find((f) => f.name === n)!;
    // The manifest's figures for this pair (callgrind_annotate's).
    expect(row('sre_search').head.self).toBe(3321351500);
    expect(row('ucs1lib__two_way').base.self).toBe(1070612500);
    expect(row('_PyEval_EvalFrameDefault').base.self).toBe(190230187);
    expect(row('_PyEval_EvalFrameDefault').key).toBe(row("_PyEval_EvalFrameDefault'2").key);
    if (HAVE_CORPUS) {
      const m = JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).pairs['py-parse-issue-callgrind'];
      expect(out.base.total).toBe(m.base_total);
      expect(out.head.total).toBe(m.head_total);
    }
  });
});
