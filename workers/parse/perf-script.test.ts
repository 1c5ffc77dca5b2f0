// The perf script fixtures are real: test/fixtures/perf-script-src/make.sh records work.c with perf
// and keeps, beside the text, perf's own `perf script report stackcollapse` of the same perf.data
// (NAME.stackcollapse.folded there): the tree must hold exactly its stacks and counts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePerfScript, sniffPerfScript } from './perf-script';
import { parseFolded } from './folded';
import { chunksOf } from './lines';
import { ParseError, type ParseOptions } from '../../src/model/profile';
import { FIXTURES, fixture, foldedLines } from '../../test/parse/test-helpers';

const enc = new TextEncoder();
const dec = new TextDecoder();
const read = (name: string, options: ParseOptions = {}, chunk = 1 << 20) => parsePerfScript(chunksOf(fixture(`${name}.perf-script.txt`), chunk), name, options);
const ofText = (text: string, options: ParseOptions = {}) => parsePerfScript(chunksOf(enc.encode(text), 7), 'test.perf-script.txt', options);
const oracle = (name: string): string[] =>
  readFileSync(path.join(FIXTURES, 'perf-script-src', `${name}.stackcollapse.folded`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .sort();

/** Folded lines summed by stack, for files whose oracle mixes several events. */
function summed(...lists: string[][]): string[] {
  const m = new Map<string, number>();
  for (const list of lists) {
    for (const l of list) {
      const sp = l.lastIndexOf(' ');
      m.set(l.slice(0, sp), (m.get(l.slice(0, sp)) ?? 0) + Number(l.slice(sp + 1)));
    }
  }
  return [...m].map(([s, n]) => `${s} ${n}`).sort();
}

const SAMPLE = 'work  2253  2314.621210:    1001001 cpu-clock: \n\t            117d fill+0x14 (/tmp/base/work)\n\t            13e1 main+0x93 (/tmp/base/work)\n\n';

describe('perf script text', () => {
  it("holds exactly the stacks and counts of perf's own stackcollapse, frame pointers and DWARF alike", async () => {
    for (const name of ['perf-script-work.base', 'perf-script-work.head', 'perf-script-work-dwarf.base']) {
      const p = await read(name);
      expect(p.format).toBe('perf-script');
      expect(p.unit).toBe('samples');
      expect(p.sampleWeight).toBe(1);
      expect(foldedLines(p), name).toEqual(oracle(name));
      // Read in small chunks (lines cut by chunk boundaries): the same.
      expect(foldedLines(await read(name, {}, 97)), name).toEqual(oracle(name));
    }
  });

  it('offers each event twice, by samples and by period, in the order the file first shows them; one event is read at a time (the oracle sums them)', async () => {
    const faults = await read('perf-script-work-events.base');
    expect(faults.events).toEqual(['page-faults (samples)', 'page-faults (period)', 'cpu-clock (samples)', 'cpu-clock (period)']);
    expect(faults.unit).toBe('samples');
    const clock = await read('perf-script-work-events.base', { event: 2 });
    expect(summed(foldedLines(clock), foldedLines(faults))).toEqual(oracle('perf-script-work-events.base'));
    expect((await read('perf-script-work-events.base', { event: 1 })).unit).toBe('page-faults');
    expect((await read('perf-script-work-events.base', { event: 3 })).unit).toBe('nanoseconds');
    await expect(read('perf-script-work-events.base', { event: 4 })).rejects.toThrow(/event 4 does not exist: the file has 4 \(page-faults \(samples\), page-faults \(period\), cpu-clock/);
  });

  it('by period: each sample weighs its period, cpu-clock in nanoseconds', async () => {
    const samples = await read('perf-script-work.base');
    const period = await read('perf-script-work.base', { event: 1 });
    expect(period.unit).toBe('nanoseconds');
    expect(period.sampleWeight).toBe(1001001);
    expect(period.tree.selfSq).toBeUndefined();
    expect(foldedLines(period)).toEqual(foldedLines(samples).map((l) => l.replace(/ (\d+)$/, (_, n) => ` ${Number(n) * 1001001}`)));
    const varied = await ofText(SAMPLE + SAMPLE.replace('1001001', '3'), { event: 1 });
    expect(foldedLines(varied)).toEqual(['work;main;fill 1001004']);
    expect(varied.sampleWeight).toBe(1001004 / 2);
    expect(varied.tree.selfSq![varied.tree.func.length - 1]).toBe(1001001 ** 2 + 9);
  });

  it('without a call graph, the sampled symbol on the header is the stack under the comm', async () => {
    const text = dec.decode(fixture('perf-script-work-nocallgraph.base.perf-script.txt'));
    const expected = new Map<string, number>();
    for (const l of text.split('\n')) {
      const m = / ([A-Za-z_][\w.]*)\+0x[0-9a-f]+ \(/.exec(l);
      if (m) expected.set(`work;${m[1]}`, (expected.get(`work;${m[1]}`) ?? 0) + 1);
    }
    const p = await read('perf-script-work-nocallgraph.base');
    expect(foldedLines(p)).toEqual([...expected].map(([s, n]) => `${s} ${n}`).sort());
    // perf's stackcollapse writes the comm alone for these: the same total.
    expect(oracle('perf-script-work-nocallgraph.base')).toEqual([`work ${p.tree.total[0]}`]);
  });

  it("keys a function by its symbol alone: the folded stacks of perf's own stackcollapse make the same tree", async () => {
    for (const name of ['perf-script-work.base', 'perf-script-work.head']) {
      const perf = await read(name);
      const folded = (await parseFolded(chunksOf(enc.encode(oracle(name).join('\n'))), 'x.folded')).profile;
      expect(foldedLines(perf)).toEqual(foldedLines(folded));
      expect(Array.from(perf.funcFile).every((f) => f === -1)).toBe(true);
    }
  });

  it("writes names as perf's stackcollapse does: comm spaces as _, ';' as ':', [unknown] kept, offsets and DSOs dropped", async () => {
    const text = [
      'Web Content 2253/2260 [001] 2314.621210:    1001001 cpu-clock: ',
      '\t            117d std::vector<int; 3>::push+0x14 (/tmp/with space/lib (deleted))',
      '\t    7f6f05ef2ad7 [unknown] ([unknown])',
      '\t            13e1 operator+(A const&)+0x93 (/tmp/base/work)',
      '\t            13e2 no_offset (/tmp/base/work)',
      '',
      'kworker/0:1   12 [000]   1.5:    1 cpu-clock: ',
      '\tffffffff81775dda elf_load+0x28a ([kernel.kallsyms])',
      '',
    ].join('\r\n');
    const p = await ofText(text);
    expect(foldedLines(p)).toEqual(['Web_Content;no_offset;operator+(A const&);[unknown];std::vector<int: 3>::push 1', 'kworker/0:1;elf_load 1']);
    expect(p.warnings.skippedLines).toBe(0);
  });

  it('keeps each function\'s DSO beside it (for the card), not in its name or key', async () => {
    const p = await read('perf-script-work.base');
    const moduleOf = (name: string) => {
      const f = Array.from(p.funcName, (s) => p.strings[s]).indexOf(name);
      return f < 0 || p.funcModule![f] < 0 ? null : p.strings[p.funcModule![f]];
    };
    expect(moduleOf('checksum')).toMatch(/\/base\/work$/);
    expect(moduleOf('start_thread')).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(p.funcFile.every((f) => f === -1)).toBe(true);
  });

  it('reads a stack whose tabs became spaces, and skips and counts lines that are not samples', async () => {
    const p = await ofText('# ========\n# captured on: x\n' + SAMPLE.replace(/\t/g, '    ') + 'PERF_RECORD_COMM: work 2253\n\tdeadbeef stray (x)\n' + SAMPLE);
    expect(foldedLines(p)).toEqual(['work;main;fill 2']);
    expect(p.warnings.skippedLines).toBe(4);
    expect(p.warnings.examples[0]).toBe('line 1: comment');
    expect(p.warnings.examples[2]).toMatch(/line 7: not a sample header/);
  });

  it('says it looks truncated when the last line is a frame cut before its dso', async () => {
    const bytes = fixture('perf-script-work.base.perf-script.txt');
    const text = dec.decode(bytes);
    const cut = text.lastIndexOf(' (/', text.length - 200);
    const p = await parsePerfScript(chunksOf(bytes.subarray(0, cut)), 'cut');
    expect(p.warnings.incomplete![0]).toMatch(/looks truncated: its last line \(line [\d,]+\) is a frame cut before its "\(dso\)"/);
    expect((await read('perf-script-work.base')).warnings.incomplete).toBeUndefined();
  });

  it('says it looks truncated when the file stops between two lines of a stack (no blank line after it)', async () => {
    const bytes = fixture('perf-script-work.base.perf-script.txt');
    const text = dec.decode(bytes);
    // At 30% and 60%, just after a frame line: a whole line, and the sample's outer frames gone.
    for (const at of [0.3, 0.6]) {
      let cut = text.indexOf(')\n\t', Math.floor(text.length * at)) + 2;
      const p = await parsePerfScript(chunksOf(bytes.subarray(0, cut)), 'cut');
      expect(p.warnings.incomplete?.[0], `cut at ${at}`).toMatch(/looks truncated: its last sample \(line [\d,]+\) ends without the blank line perf script writes after every stack/);
      // The same without its last line break.
      cut -= 1;
      expect((await parsePerfScript(chunksOf(bytes.subarray(0, cut)), 'cut')).warnings.incomplete?.[0]).toMatch(/ends without the blank line/);
    }
    // Whole, and cut exactly after a sample's blank line: nothing to say.
    expect((await read('perf-script-work.head')).warnings.incomplete).toBeUndefined();
    const between = text.indexOf('\n\n', Math.floor(text.length / 2)) + 2;
    expect((await parsePerfScript(chunksOf(bytes.subarray(0, between)), 'cut')).warnings.incomplete).toBeUndefined();
    // Samples without stacks (no blank lines between them) are never called cut.
    expect((await ofText('work 1 1.000001: 1 cpu-clock: 117d fill+0x14 (/w)\nwork 1 1.000002: 1 cpu-clock: 117d fill+0x14 (/w)\n')).warnings.incomplete).toBeUndefined();
  });

  it('errors: no samples at all, a period asked of samples without one', async () => {
    await expect(ofText('# only a comment\n')).rejects.toThrow(ParseError);
    await expect(ofText('# only a comment\n')).rejects.toThrow(/no sample header/);
    const noPeriod = 'work  2253  2314.621210: cpu-clock: \n\t 117d fill+0x14 (/tmp/base/work)\n';
    expect(foldedLines(await ofText(noPeriod))).toEqual(['work;fill 1']);
    const e = (await ofText(noPeriod, { event: 1 }).catch((x) => x)) as ParseError;
    expect(e).toBeInstanceOf(ParseError);
    expect(e.format).toBe('perf-script');
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/has no period/);
  });

  // Found by the fuzz suite (test/parse/fuzz.test.ts): a period past float64 was refused with no line.
  it('errors: a period past float64, or periods whose sum is, at the line of the sample header', async () => {
    const sample = (period: string) => `work  2253  2314.621210:    ${period} cpu-clock:\n\t 117d fill+0x14 (/tmp/base/work)\n\n`;
    const huge = (await ofText(sample('5') + sample('9'.repeat(309)), { event: 1 }).catch((x) => x)) as ParseError;
    expect(huge).toBeInstanceOf(ParseError);
    expect(huge.message).toMatch(/not a finite number/);
    expect(huge.line).toBe(4);
    const sum = (await ofText(sample('9'.repeat(308)) + sample('9'.repeat(308)), { event: 1 }).catch((x) => x)) as ParseError;
    expect(sum).toBeInstanceOf(ParseError);
    expect(sum.message).toMatch(/add up past the largest number/);
    expect(sum.line).toBe(4);
  });

  it('is sniffed by a sample header and its stack, and claims no other fixture', () => {
    const head = (name: string) => dec.decode(fixture(name).subarray(0, 4096));
    for (const name of ['perf-script-work.base', 'perf-script-work.head', 'perf-script-work-dwarf.base', 'perf-script-work-events.base', 'perf-script-work-nocallgraph.base']) {
      expect(sniffPerfScript(head(`${name}.perf-script.txt`)), name).toBe(true);
    }
    expect(sniffPerfScript(head('c-crc-perf.base.folded'))).toBe(false);
    expect(sniffPerfScript('main;fill 12\nmain;crc 3\n')).toBe(false);
    expect(sniffPerfScript('work 12 1.5: x\n')).toBe(false);
  });
});
