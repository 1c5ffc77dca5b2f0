// Profiles nobody has seen: made at test time by the same tools from other programs, then
// read through the app's entry point and exported. Self costs must equal the tools' own
// figures: callgrind_annotate exactly, the sum of sample weights within 1% for V8.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseStream } from './parse';
import { anonymousName } from './parse/cpuprofile';
import { diffProfiles } from './diff';
import { exportDiff } from '../src/model/export-json';
import { byFunctionName, callgrindAnnotate, callgrindAnnotatePath } from '../test/parse/callgrind-annotate';

/** valgrind on PATH (or where Debian puts it); a machine without it skips the callgrind half, saying so. */
const VALGRIND = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'valgrind')), '/usr/bin/valgrind', '/usr/local/bin/valgrind'].find((p) => existsSync(p));

async function exportOf(file: string) {
  const bytes = readFileSync(file);
  const parsed = await parseStream(new Blob([bytes]).stream(), path.basename(file));
  return exportDiff(diffProfiles(parsed.profile, parsed.profile));
}

describe.skipIf(!VALGRIND || !callgrindAnnotatePath())('held-out callgrind profiles (valgrind at test time; needs valgrind and callgrind_annotate: skipped where they are not installed)', () => {
  // Programs unlike the corpus's: compression and sorting from coreutils/gzip.
  const programs: [string, string[]][] = [
    ['gzip', ['-c', '-6', path.resolve(__dirname, '../test/fixtures/callgrind-c-crc.base.out')]],
    ['sort', ['-r', path.resolve(__dirname, '../test/fixtures/c-crc-perf.head.folded')]],
  ];
  it.each(programs)('%s: every function’s self cost equals callgrind_annotate', async (program, args) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-heldout-'));
    try {
      const out = path.join(dir, 'callgrind.out');
      execFileSync(VALGRIND!, ['--tool=callgrind', `--callgrind-out-file=${out}`, program, ...args], { stdio: 'ignore' });
      const json = await exportOf(out);
      const tool = byFunctionName(callgrindAnnotate(readFileSync(out, 'utf8'), 'Ir', false));
      const ours = new Map<string, number>();
      for (const f of json.functions) if (f.base.self) ours.set(f.name, (ours.get(f.name) ?? 0) + f.base.self);
      expect(ours.size).toBeGreaterThan(20);
      for (const [name, cost] of tool) expect(ours.get(name) ?? 0, name).toBe(cost);
      for (const [name, cost] of ours) expect(tool.get(name) ?? 0, name).toBe(cost);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('held-out V8 profile (node --cpu-prof at test time)', () => {
  it('every function’s self time equals the sum of its sample weights within 1%', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-heldout-'));
    try {
      const workload = `let s = 0; const a = [];
        for (let i = 0; i < 3e5; i++) a.push({ k: 'x' + ((i * 7919) % 1000), v: i });
        a.sort((x, y) => (x.k < y.k ? -1 : 1));
        for (const o of a) s += JSON.stringify(o).length;
        console.log(s);`;
      execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', `--cpu-prof-dir=${dir}`, '-e', workload], { stdio: 'ignore' });
      const file = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
      const raw = JSON.parse(readFileSync(file, 'utf8'));
      // The protocol's own meaning, independently: sample i lasts until sample i+1 (by time), the last until endTime.
      const fnOf = new Map<number, string>();
      for (const n of raw.nodes) fnOf.set(n.id, n.callFrame.functionName || anonymousName(n.callFrame.url || null, n.callFrame.lineNumber, n.callFrame.columnNumber));
      const times: number[] = [];
      let t = raw.startTime;
      for (const d of raw.timeDeltas) times.push((t += d));
      const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
      const expected = new Map<string, number>();
      order.forEach((i, k) => {
        const w = (k + 1 < order.length ? times[order[k + 1]] : raw.endTime) - times[i];
        const name = fnOf.get(raw.samples[i])!;
        if (name !== '(root)') expected.set(name, (expected.get(name) ?? 0) + w);
      });
      const json = await exportOf(file);
      expect(json.unit).toBe('microseconds');
      const ours = new Map<string, number>();
      for (const f of json.functions) if (f.base.self) ours.set(f.name, (ours.get(f.name) ?? 0) + f.base.self);
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(0);
      for (const [name, w] of expected) expect(Math.abs((ours.get(name) ?? 0) - w), name).toBeLessThanOrEqual(Math.max(0.01 * w, 1e-6 * total));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
