import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseFolded, sniffFolded } from './folded';
import { chunksOf } from './lines';
import { CORPUS, HAVE_CORPUS, corpusFile, dumpTree, fixture, manifest, selfByName } from '../../test/parse/test-helpers';

const enc = new TextEncoder();
const parseText = (text: string, chunk = 1 << 20) => parseFolded(chunksOf(enc.encode(text), chunk), 'test.folded');

/** Independent reference: split each line on its last space, sum leaf counts per frame name. */
function leafSums(text: string): { total: number; self: Map<string, number> } {
  const self = new Map<string, number>();
  let total = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const sp = line.lastIndexOf(' ');
    if (sp <= 0 || line.startsWith('#')) continue;
    const count = Number(line.slice(sp + 1));
    if (!Number.isFinite(count)) continue;
    const frames = line.slice(0, sp).split(';');
    const leaf = frames[frames.length - 1];
    self.set(leaf, (self.get(leaf) ?? 0) + count);
    total += count;
  }
  return { total, self };
}

/** The same for a 3-column differential file: the sums of each column. */
function columnSums(text: string): [number, number] {
  let base = 0;
  let head = 0;
  for (const raw of text.split(/\r?\n/)) {
    const m = /\s(\S+)\s+(\S+)\s*$/.exec(raw);
    if (!m || raw.startsWith('#') || !Number.isFinite(Number(m[1])) || !Number.isFinite(Number(m[2]))) continue;
    base += Number(m[1]);
    head += Number(m[2]);
  }
  return [base, head];
}

describe('folded parser', () => {
  it('reads the c-crc-perf pair exactly (leaf sums and manifest totals)', async () => {
    for (const [file, expectedTotal] of [
      ['c-crc-perf.base.folded', 822822822],
      ['c-crc-perf.head.folded', 1083083082],
    ] as const) {
      const bytes = fixture(file);
      const { profile } = await parseFolded(chunksOf(bytes), file);
      const ref = leafSums(new TextDecoder().decode(bytes));
      expect(profile.tree.total[0]).toBe(expectedTotal);
      expect(ref.total).toBe(expectedTotal);
      const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0));
      expect(nonZero(selfByName(profile))).toEqual(nonZero(ref.self));
      expect(profile.warnings.skippedLines).toBe(0);
    }
  });

  it('snapshots the tree of a small real file', async () => {
    const { profile } = await parseFolded(chunksOf(fixture('c-crc-perf.base.folded')), 'base');
    expect(profile.tree.total[0]).toBe(822822822);
    expect(dumpTree(profile, 12)).toMatchSnapshot();
  });

  it('sums duplicates, splits on the last whitespace, handles CRLF and skips junk', async () => {
    const { profile } = await parseText('# comment\r\na;b;c 1\r\na;b;c 2\r\nname with spaces;x 3\r\ninvalid line\r\n\r\na;b 5\r\n');
    expect(dumpTree(profile)).toBe(
      ['a (self: 0, total: 8)', '  b (self: 5, total: 8)', '    c (self: 3, total: 3)', 'name with spaces (self: 0, total: 3)', '  x (self: 3, total: 3)'].join('\n'),
    );
    expect(profile.warnings.skippedLines).toBe(2);
    expect(profile.warnings.examples[1]).toMatch(/^line 5: /);
  });

  it('keeps "; " inside a frame and reads fractional counts', async () => {
    const { profile } = await parseText('main;<impl Default for [T; _]>::default 19.5\nmain 0.25\n');
    expect(dumpTree(profile)).toBe('main (self: 0.25, total: 19.75)\n  <impl Default for [T; _]>::default (self: 19.5, total: 19.5)');
  });

  it('gives the same tree whatever the chunk boundaries', async () => {
    const text = new TextDecoder().decode(fixture('c-crc-perf.head.folded'));
    const a = await parseText(text);
    const b = await parseText(text, 7);
    expect(dumpTree(b.profile, 1e6)).toBe(dumpTree(a.profile, 1e6));
  });

  it('reads a 3-column differential file as a pair', async () => {
    const { profile, head } = await parseText('a;b 6 4\na;c 0 12\n');
    expect(head).toBeDefined();
    expect(profile.tree.total[0]).toBe(6);
    expect(head!.tree.total[0]).toBe(16);
  });

  it('a last line cut mid-way (no count, no line break) loads the rest and says it looks truncated, naming the line', async () => {
    const text = new TextDecoder().decode(fixture('c-crc-perf.base.folded'));
    const lines = text.split('\n');
    // Cut inside the last stack line, before its count.
    const last = lines[lines.length - 2];
    const cut = text.slice(0, text.length - 1 - last.length + Math.floor(last.lastIndexOf(' ') / 2));
    const { profile } = await parseText(cut);
    expect(profile.warnings.incomplete).toEqual([
      `looks truncated: its last line (line ${lines.length - 1}) ends with no count and no line break, as where a copy or a download stopped mid-line: "${cut.slice(cut.lastIndexOf('\n') + 1)}"`,
    ]);
    expect(profile.tree.total[0]).toBe(822822822 - Number(last.slice(last.lastIndexOf(' ') + 1)));
    // A differential file cut between its two counts.
    const diff = await parseText('a;b 6 4\na;c 0 12\na;d 3');
    expect(diff.profile.warnings.incomplete).toEqual(['looks truncated: its last line (line 3) ends with one count instead of two and no line break, as where a copy or a download stopped mid-line: "a;d 3"']);
    expect(diff.head!.warnings.incomplete).toEqual(diff.profile.warnings.incomplete);
  });

  it('a complete last line without a line break, or a last comment, is no sign of a cut', async () => {
    for (const text of ['a;b 1\na;c 2', 'a;b 1\n# trailer', 'a;b 1\nnot a line\n', 'a;b 1\n\n   ']) {
      expect((await parseText(text)).profile.warnings.incomplete, text).toBeUndefined();
    }
  });

  it('rejects a negative count, a count past a double, and counts whose sum passes one, at their line', async () => {
    const cases: [string, number, RegExp][] = [
      ['a;b 1\na;c -5\n', 2, /^a negative weight \(-5\)/],
      ['a;b 1\na;c 1e309\n', 2, /^a weight that is not a finite number \(Infinity\)/],
      [`a 1\nb ${'9'.repeat(400)}\n`, 2, /not a finite number/],
      ['a 1e308\nb 1.7976931348623157e308\na;c 1e308\n', 2, /^the weights add up past the largest number a double holds \(1\.80e\+308\)/],
      ['a 1e308 1\nb 1 1e308\nc 1e308 1e308\n', 3, /add up past the largest number/],
      ['a;b 1 -2\n', 1, /^a negative weight \(-2\)/],
    ];
    for (const [text, line, message] of cases) {
      const e = await parseText(text).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e, text).toMatchObject({ name: 'ParseError', format: 'folded', line });
      expect((e as Error).message, text).toMatch(message);
    }
    // A count that is not a number at all stays junk, skipped and counted.
    const { profile } = await parseText('a;b 1\na;c 12V.43\na;d x\n');
    expect(profile.warnings.skippedLines).toBe(2);
    expect(profile.warnings.examples).toEqual(['line 2: the count is not a non-negative number', 'line 3: the count is not a non-negative number']);
  });

  it('rejects a file with no folded line, naming the first line', async () => {
    await expect(parseText('hello world\nthis is not a profile\n')).rejects.toMatchObject({ format: 'folded', line: 1 });
  });

  it('builds a 100k-deep stack without recursion', async () => {
    const deep = Array.from({ length: 100_000 }, (_, i) => `f${i % 7}`).join(';') + ' 1\n';
    const { profile } = await parseText(deep);
    expect(profile.tree.depth[profile.tree.depth.length - 1]).toBe(100_000);
    expect(profile.tree.total[0]).toBe(1);
  });

  it('sniffs folded text and not JSON or callgrind', () => {
    expect(sniffFolded('a;b;c 1\na;b 2\n')).toBe(true);
    expect(sniffFolded('{"nodes": []}')).toBe(false);
    expect(sniffFolded('# callgrind format\nevents: Ir\nfn=main\n1 2\n')).toBe(false);
  });
});

describe.skipIf(!HAVE_CORPUS)('folded parser over ../shared/corpus', () => {
  const files: string[] = [];
  if (HAVE_CORPUS) {
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = path.join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(path.relative(CORPUS, p));
      }
    };
    walk(path.join(CORPUS, 'collapsed'));
    for (const pair of readdirSync(path.join(CORPUS, 'pairs'))) {
      if (pair.includes('perf') || pair.includes('folded')) {
        for (const f of readdirSync(path.join(CORPUS, 'pairs', pair))) if (!f.startsWith('expected')) files.push(`pairs/${pair}/${f}`);
      }
    }
  }
  const stats = HAVE_CORPUS ? new Map(manifest().files.map((f) => [f.path, f.stats])) : new Map();

  it.each(files)('%s loads with the leaf sums', async (rel) => {
    const bytes = corpusFile(rel);
    const text = decodeText(bytes);
    const ref = leafSums(text);
    if (!text.split('\n').some((l) => /\S\s+[\d.]+\s*$/.test(l))) {
      // Empty files and files with no folded line: a clear error, never an empty graph.
      await expect(parseFolded(chunksOf(new TextEncoder().encode(text)), rel)).rejects.toMatchObject({ format: 'folded' });
      return;
    }
    const { profile, head } = await parseFolded(chunksOf(new TextEncoder().encode(text)), rel);
    if (head) {
      const [base, headSum] = columnSums(text);
      expect(base + headSum).toBeGreaterThan(0);
      expect(profile.tree.total[0]).toBeCloseTo(base, 6);
      expect(head.tree.total[0]).toBeCloseTo(headSum, 6);
      return;
    }
    expect(profile.tree.total[0]).toBeCloseTo(ref.total, 6);
    // The manifest's totals were computed naively (comment lines counted, UTF-16 unread, 3 decimals kept).
    const s = stats.get(rel) as { total?: number; encoding?: string } | undefined;
    if (s?.total !== undefined && !s.encoding && !/^#/m.test(text)) expect(Math.abs(profile.tree.total[0] - s.total)).toBeLessThan(1e-3 * Math.max(1, s.total));
  });
});

function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder().decode(bytes);
}

describe('what the counts are', () => {
  it('sums of one sample period (perf cpu-clock at -F 999: 1,001,001 each) are events, not 822,822,822 samples', async () => {
    const { profile } = await parseFolded(chunksOf(fixture('c-crc-perf.base.folded')), 'base.folded');
    expect([profile.unit, profile.sampleWeight, profile.tree.total[0]]).toEqual(['events', 1001001, 822822822]);
    expect((await parseText('a;b 3\na;c 6\n')).profile.unit).toBe('samples');
    // Small multiples are sample counts that happen to share a factor.
    expect((await parseText('a;b 300\na;c 600\n')).profile.unit).toBe('samples');
    // A declared unit is kept.
    expect((await parseFolded(chunksOf(fixture('c-crc-perf.base.folded')), 'b', { unit: 'ns' })).profile.unit).toBe('ns');
  });
});
