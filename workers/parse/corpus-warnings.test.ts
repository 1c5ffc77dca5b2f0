// "Never a fake answer": a file that looks incomplete says so (ParseWarnings.incomplete), and a
// complete one never does. Every file of ../shared/corpus and every committed fixture loads
// through the app's entry without such a sentence (no timeDeltas, summary: 0, invalid lines
// skipped and counted: none of these is a cut); a file of each format cut short does carry
// one, with the figures in it.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseStream } from './index';
import { CORPUS, FIXTURES, HAVE_CORPUS, corpusFile, fixture } from '../../test/parse/test-helpers';

if (!HAVE_CORPUS) console.warn(`${CORPUS} not found: the corpus files are skipped; the committed fixtures are still checked`);

const load = (bytes: Uint8Array, name: string) => parseStream(new Blob([bytes as BlobPart]).stream(), name, { sizeHint: bytes.length });

/** Every profile of the corpus, relative to it (not its generators, README or manifest). */
function corpusProfiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(CORPUS, p));
    }
  };
  for (const top of ['callgrind', 'collapsed', 'cpuprofile', 'pairs']) walk(path.join(CORPUS, top));
  return out.sort();
}

/**
 * What the corpus README says of a file: the row of its table ("| `path` | format | …"). The
 * rows that call a file broken or invalid, or count unparsable lines, name what a reader must
 * tolerate; none of it is a cut, so those files must not warn either.
 */
function readmeRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(path.join(CORPUS, 'README.md'), 'utf8').split('\n')) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m) rows.set(m[1], line);
  }
  return rows;
}

describe.skipIf(!HAVE_CORPUS)('every file of ../shared/corpus loads without an "incomplete" sentence (skipped without ../shared/corpus)', () => {
  const files = HAVE_CORPUS ? corpusProfiles() : [];
  const rows = HAVE_CORPUS ? readmeRows() : new Map<string, string>();
  const empty = (rel: string) => /EMPTY FILE \(0 bytes\)/.test(rows.get(rel) ?? '');

  it('finds the corpus and its README rows', () => {
    expect(files.length).toBeGreaterThan(120);
    for (const rel of files) expect(rows.has(rel), `${rel} has no row in the README`).toBe(true);
  });

  it.each(files)('%s', async (rel) => {
    const bytes = corpusFile(rel);
    if (empty(rel)) {
      // Nothing to show: a clear error, not an empty graph.
      await expect(load(bytes, rel)).rejects.toMatchObject({ message: 'the file is empty' });
    } else {
      const { profile, head } = await load(bytes, rel);
      expect(profile.warnings.incomplete).toBeUndefined();
      expect(head?.warnings.incomplete).toBeUndefined();
    }
  });

  it('the files its README calls broken or invalid, or with unparsable lines, skip and count them, and are not called incomplete', async () => {
    const called = [...rows].filter(([rel, row]) => files.includes(rel) && /broken|invalid|unparsable|bad line|missing its count/i.test(row));
    expect(called.map(([rel]) => rel)).toEqual(
      expect.arrayContaining(['collapsed/generated/textstats-fp-broken-stacks.folded', 'collapsed/speedscope/simple-with-invalids.txt', 'collapsed/inferno/bad-lines.txt', 'collapsed/inferno/diff-bad-before.txt']),
    );
    for (const [rel, row] of called) {
      const { profile } = await load(corpusFile(rel), rel);
      expect(profile.warnings.incomplete, rel).toBeUndefined();
      // "N unparsable" in the README: that many lines skipped (comments are skipped too, so at least that many).
      const unparsable = /(\d+) unparsable/.exec(row);
      if (unparsable) expect(profile.warnings.skippedLines, rel).toBeGreaterThanOrEqual(Number(unparsable[1]));
    }
  });

  it('gzipped, each generated file loads the same, without an "incomplete" sentence', async () => {
    for (const rel of files.filter((f) => f.includes('/generated/') || (f.startsWith('pairs/') && !f.startsWith('pairs/inferno')))) {
      const { profile } = await load(new Uint8Array(gzipSync(corpusFile(rel))), `${rel}.gz`);
      expect(profile.warnings.incomplete, rel).toBeUndefined();
    }
  });
});

describe('every committed fixture loads without an "incomplete" sentence', () => {
  // The folders hold what made the fixtures (Go and C sources, scripts) and the tools' own outputs.
  const files = readdirSync(FIXTURES, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => f.name).sort();
  it('has fixtures of every format', () => {
    expect(files.some((f) => f.endsWith('.folded'))).toBe(true);
    expect(files.some((f) => f.endsWith('.cpuprofile'))).toBe(true);
    expect(files.some((f) => f.startsWith('callgrind'))).toBe(true);
    expect(files.some((f) => f.endsWith('.pb.gz'))).toBe(true);
  });

  it.each(files)('%s', async (f) => {
    const { profile } = await load(fixture(f), f);
    expect(profile.warnings.incomplete).toBeUndefined();
  });
});

describe('a file of each format, cut short, says it looks truncated, with the figures', () => {
  const dec = new TextDecoder();
  const enc = new TextEncoder();

  it('callgrind cut at 60%: the costs read and what its summary: line says', async () => {
    const bytes = fixture('callgrind-c-crc.base.out');
    const { profile } = await load(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'base.callgrind.out');
    const read = profile.tree.total[0];
    expect(read).toBeLessThan(249979994 / 100);
    expect(profile.warnings.incomplete).toEqual([expect.stringContaining(`the costs read add up to ${read.toLocaleString('en-US')} Ir, its summary: line says 249,979,994`)]);
  });

  it('callgrind with lines lost in the middle: the costs read and what its totals: line says', async () => {
    const text = dec.decode(fixture('callgrind-c-crc.base.out'));
    const lines = text.split('\n');
    const gone = lines.findIndex((l) => l === '+1 25169432');
    expect(gone).toBeGreaterThan(0);
    const { profile } = await load(enc.encode(lines.filter((_, i) => i !== gone).join('\n')), 'base.callgrind.out');
    expect(profile.warnings.incomplete).toEqual([`looks truncated: the costs read add up to ${(249979994 - 25169432).toLocaleString('en-US')} Ir, its totals: line says 249,979,994`]);
  });

  it('callgrind with several parts: the part that was cut, with its own figures', async () => {
    const bytes = fixture('callgrind-textstats-multipart.out');
    const { profile } = await load(bytes.subarray(0, bytes.length - 2000), 'multipart.callgrind.out');
    expect(profile.warnings.incomplete).toEqual([expect.stringMatching(/^part 4 looks truncated: .* the costs read add up to [\d,]+ Ir, its summary: line says 32,020,013$/)]);
  });

  it('folded cut mid-line: the line, by number and text', async () => {
    const text = dec.decode(fixture('c-crc-perf.head.folded'));
    const cut = text.slice(0, text.lastIndexOf(';', text.length - 2) + 1);
    const line = cut.split('\n').length;
    const { profile } = await load(enc.encode(cut), 'head.folded');
    expect(profile.warnings.incomplete).toEqual([expect.stringMatching(new RegExp(`^looks truncated: its last line \\(line ${line}\\) ends with no count and no line break.*: "textstats;`))]);
    expect(profile.warnings.skippedLines).toBe(1);
  });

  it('cpuprofile whose timeDeltas stop short of its samples: both lengths', async () => {
    const json = JSON.parse(dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')));
    const samples = json.samples.length;
    json.timeDeltas = json.timeDeltas.slice(0, Math.floor(samples * 0.6));
    const { profile } = await load(enc.encode(JSON.stringify(json)), 'base.cpuprofile');
    const n = (x: number) => x.toLocaleString('en-US');
    expect(profile.warnings.incomplete).toEqual([
      `looks truncated: "samples" has ${n(samples)} entries and "timeDeltas" ${n(json.timeDeltas.length)}, where each sample has its delta; the last ${n(samples - json.timeDeltas.length)} samples, which have no time, are left out`,
    ]);
  });

  it('gzipped and cut: the same sentences (the gzip data cut short is an error of its own)', async () => {
    const bytes = fixture('callgrind-c-crc.base.out');
    const { profile } = await load(new Uint8Array(gzipSync(bytes.subarray(0, bytes.length >> 1))), 'base.callgrind.out.gz');
    expect(profile.warnings.incomplete).toEqual([expect.stringMatching(/^looks truncated: the file ends .* its summary: line says 249,979,994$/)]);
    const gz = new Uint8Array(gzipSync(bytes));
    await expect(load(gz.subarray(0, gz.length >> 1), 'base.callgrind.out.gz')).rejects.toMatchObject({ message: expect.stringMatching(/gzip data is damaged or cut short/) });
  });
});
