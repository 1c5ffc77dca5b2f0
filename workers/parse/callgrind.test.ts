import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ParseError, type ParseOptions, type Profile } from '../../src/model/profile';
import { parseCallgrind, sniffCallgrind } from './callgrind';
import { byFunctionName, callgrindAnnotate, callgrindAnnotatePath, selfCallingFunctions, splitParts } from '../../test/parse/callgrind-annotate';
import { chunksOf } from './lines';
import { CORPUS, HAVE_CORPUS, corpusFile, dumpTree, fixture, manifest } from '../../test/parse/test-helpers';

const enc = new TextEncoder();
const dec = new TextDecoder();
const parseBytes = (bytes: Uint8Array, options: ParseOptions = {}, chunk = 1 << 20) => parseCallgrind(chunksOf(bytes, chunk), 'test.callgrind', options);
const parseText = (text: string, options: ParseOptions = {}, chunk = 1 << 20) => parseBytes(enc.encode(text), options, chunk);

const HAVE_ANNOTATE = callgrindAnnotatePath() !== null;
if (!HAVE_ANNOTATE) console.warn('callgrind_annotate not found: the comparisons with it are skipped');
if (!HAVE_CORPUS) console.warn(`${CORPUS} not found: the tests over the shared corpus are skipped`);

/** Our own fixtures (made by this project's generators), with their totals for event 0. */
const FIXTURES: { file: string; total: number }[] = [
  { file: 'callgrind-c-crc.base.out', total: 249979994 },
  { file: 'callgrind-c-crc.head.out', total: 498489958 },
  { file: 'callgrind-c-crc-instr.base.out', total: 249979994 },
  { file: 'callgrind-c-crc-cachesim.base.out', total: 249979994 },
  { file: 'callgrind-textstats-multipart.out', total: 249979994 },
  { file: 'callgrind-textstats-separate-callers.out', total: 249979994 },
  { file: 'callgrind-textstats-toggle-collect.out', total: 4080127 },
  { file: 'callgrind-cpp-templates.out', total: 88020021 },
];

/** Every callgrind file of the shared corpus, relative to it. */
function corpusCallgrindFiles(): string[] {
  if (!HAVE_CORPUS) return [];
  const files: string[] = [];
  for (const dir of readdirSync(path.join(CORPUS, 'callgrind'))) {
    for (const f of readdirSync(path.join(CORPUS, 'callgrind', dir))) files.push(`callgrind/${dir}/${f}`);
  }
  for (const dir of readdirSync(path.join(CORPUS, 'pairs')).filter((d) => d.includes('callgrind'))) {
    for (const f of readdirSync(path.join(CORPUS, 'pairs', dir))) files.push(`pairs/${dir}/${f}`);
  }
  return files.sort();
}

function selfByName(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.funcSelfExact!.forEach((v, f) => {
    const name = p.strings[p.funcName[f]];
    out.set(name, (out.get(name) ?? 0) + v);
  });
  return out;
}

function nonZero(m: Map<string, number>): Map<string, number> {
  return new Map([...m].filter(([, v]) => v !== 0));
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function funcByName(p: Profile, name: string, file?: string): number {
  for (let f = 0; f < p.funcName.length; f++) {
    if (p.strings[p.funcName[f]] !== name) continue;
    if (file === undefined || (p.funcFile[f] >= 0 ? p.strings[p.funcFile[f]] : null) === file) return f;
  }
  throw new Error(`no function ${name}`);
}

/** The `totals:` lines of a file, one array of numbers per part. */
function totalsLines(text: string): number[][] {
  return [...text.matchAll(/^totals:\s*(.*)$/gm)].map((m) => m[1].trim().split(/\s+/).map(Number));
}

/** Each function's self cost summed over the tree's nodes. */
function treeSelfByFunc(p: Profile): Float64Array {
  const out = new Float64Array(p.funcName.length);
  for (let i = 1; i < p.tree.func.length; i++) out[p.tree.func[i]] += p.tree.self[i];
  return out;
}

/** Everything the parser returns, as plain data, to compare two parses. */
function digest(p: Profile) {
  return {
    unit: p.unit,
    events: p.events,
    parts: p.parts,
    strings: p.strings,
    funcName: [...p.funcName],
    funcFile: [...p.funcFile],
    self: [...p.funcSelfExact!],
    inclusive: [...p.funcInclusive!],
    tree: { func: [...p.tree.func], parent: [...p.tree.parent], self: [...p.tree.self], total: [...p.tree.total] },
    warnings: p.warnings,
  };
}

/**
 * Our figures against callgrind_annotate's, for one event and one part: self cost per
 * function name must be equal; inclusive cost per (file, function) too, except for a
 * function calling itself, which callgrind_annotate counts twice (ours is then lower).
 */
function compareWithAnnotate(p: Profile, text: string, event: string): void {
  const theirs = nonZero(byFunctionName(callgrindAnnotate(text, event, false)));
  expect(nonZero(selfByName(p))).toEqual(theirs);

  const inclusive = new Map(callgrindAnnotate(text, event, true).map((r) => [`${r.file}:${r.fn}`, r.cost]));
  const recursive = selfCallingFunctions(text);
  const mismatches: string[] = [];
  p.funcInclusive!.forEach((ours, f) => {
    const name = p.strings[p.funcName[f]];
    const key = `${p.funcFile[f] >= 0 ? p.strings[p.funcFile[f]] : ''}:${name}`;
    const cga = inclusive.get(key);
    // A function we give no inclusive cost must have none in callgrind_annotate either (it may
    // not list it at all); one we give a cost must be listed with the same figure.
    const ok = ours === 0 ? !cga : cga !== undefined && (recursive.has(name) ? ours <= cga : ours === cga);
    if (!ok) mismatches.push(`${key}: ours ${ours}, callgrind_annotate ${cga}`);
  });
  expect(mismatches).toEqual([]);
}

describe('sniffCallgrind', () => {
  it('claims callgrind files by their content and nothing else', () => {
    for (const { file } of FIXTURES) expect(sniffCallgrind(dec.decode(fixture(file).subarray(0, 4096))), file).toBe(true);
    expect(sniffCallgrind('events: Ticks\nsummary: 1482829\nfi=~\nfn=<built-in method decompress>\n0  586773\n')).toBe(true);
    expect(sniffCallgrind('version: 1\ncreator: callgrind-3.5.0-Debian\npid: 14542\n')).toBe(true);
    expect(sniffCallgrind(dec.decode(fixture('c-crc-perf.base.folded').subarray(0, 4096)))).toBe(false);
    expect(sniffCallgrind('{"nodes":[],"startTime":0,"endTime":1,"samples":[],"timeDeltas":[]}')).toBe(false);
    expect(sniffCallgrind('main;events:foo 3\n')).toBe(false);
  });

  it.skipIf(!HAVE_CORPUS)('claims every callgrind file of the corpus', () => {
    for (const rel of corpusCallgrindFiles()) expect(sniffCallgrind(dec.decode(corpusFile(rel).subarray(0, 4096))), rel).toBe(true);
  });
});

describe('parseCallgrind on our fixtures', () => {
  for (const { file, total } of FIXTURES) {
    it(`${file}: the tree's root total is the file's total, self costs add up to it`, async () => {
      const bytes = fixture(file);
      const p = await parseBytes(bytes);
      expect(p.format).toBe('callgrind');
      expect(p.unit).toBe('Ir');
      expect(p.tree.total[0]).toBe(total);
      expect(sum(p.funcSelfExact!)).toBe(total);
      expect(sum(totalsLines(dec.decode(bytes)).map((t) => t[0]))).toBe(total);
      expect(p.warnings.skippedLines).toBe(0);
      expect(p.funcSelfExact!.length).toBe(p.funcName.length);
      expect(p.funcInclusive!.length).toBe(p.funcName.length);
    });
  }

  it.skipIf(!HAVE_CORPUS)('matches the manifest totals (skipped without ../shared/corpus)', async () => {
    const files = manifest().files;
    const sources: Record<string, string> = {
      'callgrind-c-crc.base.out': 'pairs/c-crc-callgrind/base.callgrind.out',
      'callgrind-c-crc.head.out': 'pairs/c-crc-callgrind/head.callgrind.out',
      'callgrind-c-crc-instr.base.out': 'pairs/c-crc-callgrind-instr/base.callgrind.out',
      'callgrind-textstats-separate-callers.out': 'callgrind/generated/callgrind.out.textstats-separate-callers',
      'callgrind-cpp-templates.out': 'callgrind/generated/callgrind.out.cpp-templates',
    };
    for (const [fix, rel] of Object.entries(sources)) {
      const entry = files.find((f) => f.path === rel)!;
      const p = await parseBytes(fixture(fix));
      expect(String(p.tree.total[0]), fix).toBe(entry.stats!.totals);
      expect(String(entry.stats!.callgrind_annotate_program_totals)).toBe(`${p.tree.total[0].toLocaleString('en-US')} (100.0%)`);
    }
    // The figures the snapshot tests state on a fresh clone.
    expect(files.find((f) => f.path === 'pairs/c-crc-callgrind/base.callgrind.out')!.stats!.totals).toBe('249979994');
    expect((files.find((f) => f.path === 'callgrind/generated/callgrind.out.textstats-multipart') as { notes?: string }).notes).toContain('80,025,143');
  });

  it('keeps names exactly as written (UTF-8, apostrophes, C++ templates)', async () => {
    const p = await parseBytes(fixture('callgrind-c-crc.base.out'));
    expect(p.strings).toContain('zähle_wörter');
    expect(p.strings).toContain("msort_with_tmp.part.0'2");
    const sep = await parseBytes(fixture('callgrind-textstats-separate-callers.out'));
    expect(sep.strings).toContain("bcmp'_dl_fixup'_dl_runtime_resolve_xsave");
    const cpp = await parseBytes(fixture('callgrind-cpp-templates.out'));
    const longest = cpp.strings.reduce((a, b) => (b.length > a.length ? b : a), '');
    expect(longest.length).toBeGreaterThan(1000);
    expect(longest).toContain('std::');
  });

  it("gives a function its fl= file, not an inlined fi= file", async () => {
    const p = await parseBytes(fixture('callgrind-c-crc.base.out'));
    const f = funcByName(p, 'zähle_wörter');
    expect(p.strings[p.funcFile[f]]).toBe('/tmp/flamediff-corpus-work/c/textstats.c');
    // util.h code inlined into it is its self cost, not another function.
    expect(p.funcName.filter((n) => p.strings[n] === 'zähle_wörter').length).toBe(1);
  });

  it('reads 16 events: selecting event k gives the totals: line column k', async () => {
    const bytes = fixture('callgrind-c-crc-cachesim.base.out');
    const [totals] = totalsLines(dec.decode(bytes));
    const first = await parseBytes(bytes);
    expect(first.events).toEqual('Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim sysCount sysTime sysCpuTime'.split(' '));
    expect(totals.length).toBe(16);
    for (let k = 0; k < 16; k++) {
      const p = await parseBytes(bytes, { event: k });
      expect(p.unit).toBe(first.events[k]);
      expect(p.tree.total[0], first.events[k]).toBe(totals[k]);
      expect(sum(p.funcSelfExact!)).toBe(totals[k]);
    }
    await expect(parseBytes(bytes, { event: 16 })).rejects.toThrow(/no event #16/);
  });

  it('sums the parts of a multi-part file by default, or reads one of them', async () => {
    const bytes = fixture('callgrind-textstats-multipart.out');
    const partTotals = [80413475, 80025143, 57521363, 32020013];
    expect(totalsLines(dec.decode(bytes)).map((t) => t[0])).toEqual(partTotals);
    const all = await parseBytes(bytes);
    expect(all.parts).toEqual(['part 1', 'part 2', 'part 3', 'part 4']);
    expect(all.tree.total[0]).toBe(249979994);
    const selfSum = new Map<string, number>();
    for (let k = 0; k < 4; k++) {
      const p = await parseBytes(bytes, { part: k });
      expect(p.tree.total[0], `part ${k + 1}`).toBe(partTotals[k]);
      expect(p.parts).toEqual(all.parts);
      for (const [name, v] of selfByName(p)) selfSum.set(name, (selfSum.get(name) ?? 0) + v);
    }
    expect(nonZero(selfSum)).toEqual(nonZero(selfByName(all)));
    // Summed parts give the same per-function self as the one-part run of the same program.
    const single = await parseBytes(fixture('callgrind-c-crc.base.out'));
    expect(nonZero(selfByName(all))).toEqual(nonZero(selfByName(single)));
    await expect(parseBytes(bytes, { part: 4 })).rejects.toThrow(ParseError);
  });

  it('keeps per-function tree self close to the exact self (C programs: within 0.01% of the total)', async () => {
    for (const { file, total } of FIXTURES) {
      const p = await parseBytes(fixture(file));
      const tree = treeSelfByFunc(p);
      let worst = 0;
      p.funcSelfExact!.forEach((v, f) => (worst = Math.max(worst, Math.abs(tree[f] - v))));
      expect(worst / total, file).toBeLessThan(1e-4);
    }
  });

  it('reports progress up to the whole file', async () => {
    const bytes = fixture('callgrind-c-crc.base.out');
    const seen: number[] = [];
    await parseCallgrind(chunksOf(bytes, 10000), 'x', {}, (n) => seen.push(n));
    expect(seen.length).toBeGreaterThan(5);
    expect(seen[seen.length - 1]).toBe(bytes.length);
  });
});

describe('snapshots of the call tree (one line per node: name, self, total)', () => {
  it('c-crc base', async () => {
    const p = await parseBytes(fixture('callgrind-c-crc.base.out'));
    // The manifest's figure (checked against the corpus in "matches the manifest totals").
    expect(p.tree.total[0]).toBe(249979994);
    // main's subtree is its inclusive cost as callers paid it.
    const main = funcByName(p, 'main');
    const mainNode = [...p.tree.func].indexOf(main);
    expect(p.tree.total[mainNode]).toBe(p.funcInclusive![main]);
    expect(dumpTree(p, 400)).toMatchSnapshot();
  });

  it('textstats multipart, part 2 (a part that starts inside running calls: calls=0)', async () => {
    const p = await parseBytes(fixture('callgrind-textstats-multipart.out'), { part: 1 });
    // The manifest's figure for part 2 (checked against the corpus in "matches the manifest totals").
    expect(p.tree.total[0]).toBe(80025143);
    expect(dumpTree(p, 400)).toMatchSnapshot();
  });

  it('the spec example', async () => {
    const p = await parseText(SPEC_COMPRESSED);
    expect(p.tree.total[0]).toBe(820);
    expect(dumpTree(p)).toMatchInlineSnapshot(`
      "main (self: 20, total: 820)
        func1 (self: 100, total: 400)
          func2 (self: 300, total: 300)
        func2 (self: 400, total: 400)"
    `);
  });
});

describe.skipIf(!HAVE_ANNOTATE)('against callgrind_annotate (our fixtures)', () => {
  for (const { file } of FIXTURES) {
    it(`${file}: self per function and inclusive per function`, async () => {
      const bytes = fixture(file);
      const text = dec.decode(bytes);
      const all = await parseBytes(bytes);
      const parts = all.parts.length > 1 ? splitParts(text) : [text];
      for (let k = 0; k < parts.length; k++) {
        const p = all.parts.length > 1 ? await parseBytes(bytes, { part: k }) : all;
        compareWithAnnotate(p, parts[k], p.events[0]);
      }
    });
  }

  it('callgrind-c-crc-cachesim.base.out: self per function for each of the 16 events', async () => {
    const bytes = fixture('callgrind-c-crc-cachesim.base.out');
    const text = dec.decode(bytes);
    const first = await parseBytes(bytes);
    for (let k = 1; k < first.events.length; k++) {
      const p = await parseBytes(bytes, { event: k });
      expect(nonZero(selfByName(p)), p.events[k]).toEqual(nonZero(byFunctionName(callgrindAnnotate(text, p.events[k], false))));
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('the shared corpus', () => {
  // What each file does; every other file loads without a warning.
  const EXPECTED_WARNINGS: Record<string, RegExp> = {
    // callgrind 0.10.1 refers to an ELF object id it never defined: objects are not needed.
    'callgrind/gprof2dot/selinux.callgrind': /object \(8\) is used but never defined/,
    // Hand-written by speedscope: `* *` after calls=, a '*' in a cost column.
    'callgrind/speedscope/callgrind.subposition-compression.log': /"\*" in a cost column counts as 0/,
  };
  // callgrind_annotate cannot read these; we check them another way.
  const ANNOTATE_FAILS: Record<string, string> = {
    'callgrind/gprof2dot/bzr.callgrind': 'fi= before any fn= ("Unexpected fi/fe line")',
  };

  for (const rel of corpusCallgrindFiles()) {
    it(`${rel}: loads, complete, with the file's own totals`, async () => {
      const bytes = corpusFile(rel);
      const all = await parseBytes(bytes);
      expect(all.tree.total[0]).toBe(sum(all.funcSelfExact!));
      const entry = manifest().files.find((f) => f.path === rel);
      const totals = entry?.stats?.totals as string | undefined;
      if (totals && all.parts.length <= 1) expect(all.tree.total[0]).toBe(Number(totals.split(' ')[0]));
      if (EXPECTED_WARNINGS[rel]) expect(all.warnings.examples[0]).toMatch(EXPECTED_WARNINGS[rel]);
      else expect(all.warnings.skippedLines).toBe(0);
      expect(all.warnings.incomplete).toBeUndefined();
    });

    it.skipIf(!HAVE_ANNOTATE)(`${rel}: self per function as callgrind_annotate has it (skipped without callgrind_annotate)`, async () => {
      const bytes = corpusFile(rel);
      const text = dec.decode(bytes);
      const all = await parseBytes(bytes);
      if (ANNOTATE_FAILS[rel]) {
        expect(() => callgrindAnnotate(text, all.events[0], false)).toThrow();
        // Independent check: the sum of the cost lines that do not follow calls=.
        let total = 0;
        let afterCalls = false;
        for (const line of text.split('\n')) {
          if (line.startsWith('calls=')) afterCalls = true;
          else if (/^\d/.test(line)) {
            if (!afterCalls) total += Number(line.trim().split(/\s+/)[1] ?? 0);
            afterCalls = false;
          }
        }
        expect(all.tree.total[0]).toBe(total);
      } else {
        const parts = all.parts.length > 1 ? splitParts(text) : [text];
        for (let k = 0; k < parts.length; k++) {
          const p = all.parts.length > 1 ? await parseBytes(bytes, { part: k }) : all;
          compareWithAnnotate(p, parts[k], p.events[0]);
        }
      }
    });
  }

  it('pairs/c-crc-callgrind-cachesim: each event total as callgrind_annotate reports (totals: line)', async () => {
    for (const side of ['base', 'head']) {
      const rel = `pairs/c-crc-callgrind-cachesim/${side}.callgrind.out`;
      const bytes = corpusFile(rel);
      const totals = (manifest().files.find((f) => f.path === rel)!.stats!.totals as string).split(' ').map(Number);
      for (let k = 0; k < totals.length; k++) expect((await parseBytes(bytes, { event: k })).tree.total[0]).toBe(totals[k]);
    }
  });
});

/** The CPython pair, as the app ships it in public/demo: always there, so this test never skips. */
function pythonProfile(side: 'base' | 'head'): Uint8Array {
  return new Uint8Array(readFileSync(path.resolve(__dirname, `../../public/demo/py-parse-issue/${side}.callgrind.out`)));
}
const PYTHON_BASE = pythonProfile('base');

describe('the call tree from a call graph', () => {
  it('CPython (deep recursion through the eval loop): bounded, exact total, self close to exact', async () => {
    const p = await parseBytes(PYTHON_BASE);
    expect(p.tree.total[0]).toBe(1914742816);
    expect(p.tree.func.length).toBeLessThanOrEqual(200_000);
    let depth = 0;
    for (const d of p.tree.depth) depth = Math.max(depth, d);
    expect(depth).toBeLessThanOrEqual(1024);
    const tree = treeSelfByFunc(p);
    let off = 0;
    p.funcSelfExact!.forEach((v, f) => (off += Math.abs(tree[f] - v)));
    // Callees lighter than 1 ppm stay in their caller's self: a few % of the cost moves.
    expect(off / 2 / p.tree.total[0]).toBeLessThan(0.05);
    const twoWay = funcByName(p, 'ucs1lib__two_way');
    expect(Math.abs(tree[twoWay] - p.funcSelfExact![twoWay]) / p.tree.total[0]).toBeLessThan(0.02);
  });

  it('merges recursion into the node it re-enters (direct and mutual)', async () => {
    // main calls f (self 10) which calls itself; g and h call each other.
    const p = await parseText(`events: Ir
fn=main
1 1
cfn=f
calls=1 1
1 100
cfn=g
calls=1 1
1 50
fn=f
1 10
cfn=f
calls=5 1
1 80
cfn=leaf
calls=3 1
1 90
fn=leaf
1 90
fn=g
1 30
cfn=h
calls=2 1
1 30
fn=h
1 20
cfn=g
calls=1 1
1 10
`);
    expect(p.tree.total[0]).toBe(151);
    expect(dumpTree(p)).toMatchInlineSnapshot(`
      "main (self: 1, total: 151)
        f (self: 10, total: 100)
          leaf (self: 90, total: 90)
        g (self: 30, total: 50)
          h (self: 20, total: 20)"
    `);
    const f = funcByName(p, 'f');
    expect(p.funcInclusive![f]).toBe(100); // not 100 + 80
    expect(p.funcSelfExact![f]).toBe(10);
    expect([...treeSelfByFunc(p)]).toEqual([...p.funcSelfExact!]);
  });

  it('is iterative and capped: a 5000-deep call chain and a cycle that never leaks', async () => {
    const lines = ['events: Ir'];
    const N = 5000;
    for (let i = 0; i < N; i++) {
      lines.push(`fn=(${i}) f${i}`, '1 1');
      if (i + 1 < N) lines.push(`cfn=(${i + 1}) f${i + 1}`, 'calls=1 1', `1 ${N - i - 1}`);
    }
    const p = await parseText(lines.join('\n'));
    expect(p.tree.total[0]).toBe(N);
    let depth = 0;
    for (const d of p.tree.depth) depth = Math.max(depth, d);
    expect(depth).toBe(1024);
    // a and b call each other and nothing else: every expansion gives all weight back.
    const q = await parseText('events: Ir\nfn=r\n1 1\ncfn=a\ncalls=1 1\n1 100\nfn=a\ncfn=b\ncalls=1 1\n1 100\nfn=b\ncfn=a\ncalls=1 1\n1 100\n');
    expect(q.tree.total[0]).toBe(1);
  });

  it('spreads the total over the roots when the callers paid more than the callees cost', async () => {
    // speedscope's hand-made example: gamma is paid 10 twice but costs 10.
    const p = await parseText(CFN_RESET);
    expect(p.tree.total[0]).toBe(40);
    expect([...p.funcSelfExact!]).toEqual([10, 10, 10, 10]);
  });
});

// The spec's examples (valgrind manual, "Callgrind Format Specification").
const SPEC_PLAIN = `events: Instructions

fl=file1.c
fn=main
16 20
cfn=func1
calls=1 50
16 400
cfl=file2.c
cfn=func2
calls=3 20
16 400

fn=func1
51 100
cfl=file2.c
cfn=func2
calls=2 20
51 300

fl=file2.c
fn=func2
20 700
`;
const SPEC_COMPRESSED = `events: Instructions

fl=(1) file1.c
fn=(1) main
16 20
cfn=(2) func1
calls=1 50
16 400
cfl=(2) file2.c
cfn=(3) func2
calls=3 20
16 400

fn=(2)
51 100
cfl=(2)
cfn=(3)
calls=2 20
51 300

fl=(2)
fn=(3)
20 700
`;
const SPEC_DEFINED_FIRST = `events: Instructions

# define file ID mapping
fl=(1) file1.c
fl=(2) file2.c
# define function ID mapping
fn=(1) main
fn=(2) func1
fn=(3) func2

fl=(1)
fn=(1)
16 20
cfn=(2)
calls=1 50
16 400
cfl=(2)
cfn=(3)
calls=3 20
16 400

fn=(2)
51 100
cfl=(2)
cfn=(3)
calls=2 20
51 300

fl=(2)
fn=(3)
20 700
`;
const CFN_RESET = `# callgrind format
events: Instructions

fl=alpha.c
fn=alpha
1 10
cfl=beta.c
cfn=beta
calls=1 1
1 10
cfn=gamma
calls=1 1
1 10
cfn=delta
calls=1 1
1 20

fn=delta
1 10
cfn=gamma
calls=1 1
1 10

fn=gamma
1 10
cfl=

fl=beta.c
fn=beta
1 10`;

describe('format details', () => {
  const figures = (p: Profile) =>
    Object.fromEntries(
      [...p.funcName].map((n, f) => [
        `${p.strings[n]}@${p.funcFile[f] >= 0 ? p.strings[p.funcFile[f]] : '-'}`,
        [p.funcSelfExact![f], p.funcInclusive![f]],
      ]),
    );

  it('name compression: the spec example, plain, compressed, and defined up front', async () => {
    const expected = { 'main@file1.c': [20, 820], 'func1@file1.c': [100, 400], 'func2@file2.c': [700, 700] };
    expect(figures(await parseText(SPEC_PLAIN))).toEqual(expected);
    expect(figures(await parseText(SPEC_COMPRESSED))).toEqual(expected);
    expect(figures(await parseText(SPEC_DEFINED_FIRST))).toEqual(expected);
  });

  it('keeps separate id spaces for files, functions and objects', async () => {
    const p = await parseText('events: Ir\nob=(1) libfoo.so\nfl=(1) a.c\nfn=(1) one\n1 5\ncob=(2) libbar.so\ncfl=(2) b.c\ncfn=(2) two\ncalls=1 1\n1 7\nob=(2)\nfl=(2)\nfn=(2)\n1 7\n');
    expect(figures(p)).toEqual({ 'one@a.c': [5, 12], 'two@b.c': [7, 7] });
  });

  it('cfi=/cfl= apply to the next call only; an empty cfl= clears; the callee file defaults to the current one', async () => {
    expect(figures(await parseText(CFN_RESET))).toEqual({
      'alpha@alpha.c': [10, 50],
      'beta@beta.c': [10, 10],
      'gamma@alpha.c': [10, 20],
      'delta@alpha.c': [10, 20],
    });
  });

  it('fi=/fe= switch the file of inlined code inside the same function', async () => {
    const p = await parseText('events: Ir\nfl=(1) main.c\nfn=(1) main\n10 5\nfi=(2) util.h\n3 7\ncfn=(2) helper\ncalls=1 1\n3 4\nfe=(1)\n11 1\n\nfl=(2)\nfn=(2) helper\n1 4\n');
    // The call from inside the inlined util.h code goes to util.h's helper.
    expect(figures(p)).toEqual({ 'main@main.c': [13, 17], 'helper@util.h': [4, 4] });
  });

  it('reads files that name a function\'s file with fi= and never write fl= (lsprofcalltree)', async () => {
    const p = await parseText(`events: Ticks
summary: 99
fi=~
fn=<method 'read' of 'file' objects>
0  95

fi=/usr/lib/python2.6/bzrlib/dirstate.py
fn=_read_dirblocks bzrlib.dirstate:1400
1400 4
cfn=<method 'read' of 'file' objects>
cfi=~
calls=3 0
1400 95
`);
    expect(figures(p)).toEqual({
      "<method 'read' of 'file' objects>@~": [95, 95],
      '_read_dirblocks bzrlib.dirstate:1400@/usr/lib/python2.6/bzrlib/dirstate.py': [4, 99],
    });
  });

  it('jfi=/jfn= define names that later lines use by id alone', async () => {
    const p = await parseText(`positions: instr line
events: Ir
fl=(1) a.c
fn=(1) main
0x10 1 3
jfi=(2) b.c
jfn=(2) target
jump=1 0x40 20
* *
+2 * 1
cfi=(2)
cfn=(2)
calls=1 0x40 20
* * 8
fl=(2)
fn=(2)
0x40 20 8
`);
    expect(figures(p)).toEqual({ 'main@a.c': [4, 12], 'target@b.c': [8, 8] });
  });

  it('subpositions: hex, +N, -N, * and missing trailing costs; jcnd=1/1 lines carry no cost', async () => {
    const p = await parseText(`positions: instr line
events: Ir Dr Dw
fn=f
0x4a0 90 5 1 1
+3 * 5
+1 +1 6 2
-4 -1 1
jcnd=1/1 +26 0
* *
0x4a4 91
`);
    expect(p.funcSelfExact![0]).toBe(17);
    expect((await parseText(`positions: instr line\nevents: Ir Dr Dw\nfn=f\n0x4a0 90 5 1 1\n+3 * 5\n+1 +1 6 2\n`, { event: 1 })).tree.total[0]).toBe(3);
  });

  it('calls=0 carries the inclusive cost of a call started in an earlier part', async () => {
    const p = await parseText('events: Ir\nfn=a\ncfn=b\ncalls=0 1\n1 100\nfn=b\n1 100\n');
    expect(figures(p)).toEqual({ 'a@-': [0, 100], 'b@-': [100, 100] });
    expect(p.tree.total[0]).toBe(100);
  });

  it('derived events (event: Name = formula) follow the raw ones', async () => {
    const text = 'event: Ir : Instruction Fetches\nevent: Sum = Ir + 2 Dr\nevents: Ir Dr\nfn=f\n1 10 3\n2 1\n';
    const p = await parseText(text, { event: 2 });
    expect(p.events).toEqual(['Ir', 'Dr', 'Sum']);
    expect(p.unit).toBe('Sum');
    expect(p.tree.total[0]).toBe(11 + 2 * 3);
  });

  it('tolerates signed costs and a "*" cost (speedscope\'s hand-made subposition example)', async () => {
    const p = await parseText(`# callgrind format
events: Instructions

fl=file1.c
fn=main
16 20
cfn=func1
calls=1 50
* 400
cfi=file2.c
cfn=func2
calls=3 20
* *

fn=func1
+35 -300
cfi=file2.c
cfn=func2
calls=2 20
* 300

fl=file2.c
fn=func2
-31 +400`);
    // callgrind_annotate's figures: main 20, func1 -300, func2 400, total 120.
    expect(figures(p)).toMatchObject({ 'main@file1.c': [20, 420], 'func1@file1.c': [-300, 400], 'func2@file2.c': [400, 300] });
    expect(p.tree.total[0]).toBe(120);
    expect(p.warnings.skippedLines).toBe(1);
  });

  it('reads thread: sections as parts, and ignores a byte-order mark', async () => {
    const text = `\uFEFF# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 1
cmd: ./x
part: 1
thread: 1
positions: line
events: Ir
summary: 10
fl=(1) a.c
fn=(1) main
1 10
totals: 10

part: 1
thread: 2
positions: line
events: Ir
fl=(1)
fn=(2) worker
1 5
totals: 5
`;
    const all = await parseText(text);
    expect(all.parts).toEqual(['part 1, thread 1', 'part 1, thread 2']);
    expect(all.tree.total[0]).toBe(15);
    expect(all.warnings.skippedLines).toBe(0);
    const second = await parseText(text, { part: 1 });
    expect(second.tree.total[0]).toBe(5);
    expect(dumpTree(second)).toBe('worker (self: 5, total: 5)');
  });

  it('an empty file, or one with no costs, is an empty profile (root total 0)', async () => {
    for (const text of ['', '\n\n  \n', '# callgrind format\n']) {
      const p = await parseText(text);
      expect(p.tree.func.length).toBe(1);
      expect(p.tree.total[0]).toBe(0);
    }
    // gprof2dot's empty.callgrind: part 2 of a run, header only.
    const p = await parseText(`version: 1
creator: callgrind-3.5.0-Debian
pid: 14542
part: 2

positions: instr line
events: Ir Dr Dw I1mr D1mr D1mw I2mr D2mr D2mw
summary: 0


totals: 0
`);
    expect(p.tree.total[0]).toBe(0);
    expect(p.events.length).toBe(9);
    expect(p.funcName.length).toBe(0);
  });

  it('skips and counts tolerable junk', async () => {
    const p = await parseText('events: Ir\nfoo: bar\nhello world\nfn=f\nzz=1\n1 5\n');
    expect(p.tree.total[0]).toBe(5);
    expect(p.warnings.skippedLines).toBe(3);
    expect(p.warnings.examples[0]).toMatch(/^line 2: /);
  });

  it('throws a ParseError with the line for malformed input', async () => {
    const cases: [string, number, RegExp][] = [
      ['events: Ir\n16 20\n', 2, /before any fn=/],
      ['fn=f\n16 20\n', 2, /before the events: line/],
      ['events: Ir\nfn=f\n16 2x0\n', 3, /bad cost "2x0"/],
      ['events: Ir\nfn=f\n1x6 20\n', 3, /bad subposition/],
      ['events: Ir\nfn=f\n16 1 2\n', 3, /2 costs, but the events: line names 1/],
      ['events: Ir\nfn=f\ncfn=g\ncalls=1 1\nfn=g\n1 1\n', 5, /calls= on line 4 must be followed by its cost line/],
      ['events: Ir\nfn=f\ncfn=g\ncalls=1 1\n', 4, /file ends after calls=/],
      ['events: Ir\nfn=f\ncalls=1 1\n1 1\n', 3, /calls= without a cfn=/],
      ['events: Ir\nfn=f\ncfn=g\ncalls=x 1\n1 1\n', 4, /bad call count/],
      ['events: Ir\nfn=(7)\n1 1\n', 2, /function \(7\) is used but never defined/],
      ['events: Ir\nfl=(7)\nfn=f\n1 1\n', 2, /file \(7\) is used but never defined/],
      ['events: Ir\nfn=(7 main\n1 1\n', 2, /bad compressed function name/],
      ['version: 2\nevents: Ir\n', 1, /version 2 is not supported/],
      ['events: Ir\nfn=f\n1 1\npart: 2\nevents: Dr\n', 5, /differ from the first part's/],
      ['just some text\nthat is not a profile\n', 1, /no "events:" line/],
    ];
    for (const [text, line, message] of cases) {
      const error = await parseText(text).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, text).toBeInstanceOf(ParseError);
      expect((error as ParseError).format).toBe('callgrind');
      expect((error as ParseError).message, text).toMatch(message);
      expect((error as ParseError).line, text).toBe(line);
    }
  });

  it('an undefined object id is only a warning (objects are not needed)', async () => {
    const p = await parseText('events: Ir\nfn=f\ncob=(8)\ncfn=g\ncalls=1 1\n1 3\nfn=g\n1 3\n');
    expect(p.tree.total[0]).toBe(3);
    expect(p.warnings.examples).toEqual(['line 3: object (8) is used but never defined']);
  });

  it('reads CRLF line endings like LF', async () => {
    const text = dec.decode(fixture('callgrind-c-crc.base.out'));
    const lf = await parseText(text);
    const crlf = await parseText(text.replace(/\n/g, '\r\n'));
    expect(digest(crlf)).toEqual(digest(lf));
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    for (const file of ['callgrind-c-crc-instr.base.out', 'callgrind-textstats-multipart.out']) {
      const bytes = fixture(file);
      const whole = await parseBytes(bytes);
      const seven = await parseBytes(bytes, {}, 7);
      expect(digest(seven), file).toEqual(digest(whole));
    }
  });

  it('a file callgrind wrote, cut anywhere (mid-line too): loads what is complete and says it looks truncated, or, cut in its header, says so', async () => {
    const bytes = fixture('callgrind-c-crc.base.out');
    const full = 249979994;
    const eventsAt = dec.decode(bytes).indexOf('\nevents:');
    let loaded = 0;
    let failed = 0;
    // From the second line on: a cut inside "# callgrind format" leaves nothing that says callgrind.
    for (let cut = 20; cut < bytes.length; cut += 1531) {
      if (cut <= eventsAt + 'events: Ir'.length + 1) {
        await expect(parseBytes(bytes.subarray(0, cut)), `cut at ${cut}`).rejects.toThrow(/cut short: it ends at line \d+, in the header/);
        failed++;
        continue;
      }
      const p = await parseBytes(bytes.subarray(0, cut));
      expect(p.tree.total[0]).toBeLessThan(full);
      expect(p.tree.total[0]).toBe(sum(p.funcSelfExact!));
      const read = p.tree.total[0].toLocaleString('en-US');
      expect(p.warnings.incomplete, `cut at ${cut}`).toEqual([
        expect.stringMatching(new RegExp(`^looks truncated: the file ends (at|mid-line \\(line) .*the costs read add up to ${read} Ir, its summary: line says 249,979,994$`)),
      ]);
      // The line cut in two is left out and counted; every other line is read.
      const midLine = bytes[cut - 1] !== 10;
      expect(p.warnings.skippedLines).toBe(midLine ? 1 : 0);
      if (midLine) expect(p.warnings.examples[0]).toMatch(/^line \d+: the file ends in this line, which is left out: "/);
      loaded++;
    }
    expect(loaded).toBeGreaterThan(50);
    expect(failed).toBeGreaterThan(0);
  });
});

describe('incomplete files (valgrind\'s callgrind ends every dump with totals:)', () => {
  const base = () => fixture('callgrind-c-crc.base.out');
  const cutAt = (bytes: Uint8Array, share: number) => bytes.subarray(0, Math.floor(bytes.length * share));

  it('cut at 60% of its bytes: the costs read and the summary: line, both in the sentence', async () => {
    const p = await parseBytes(cutAt(base(), 0.6));
    // The cut falls inside line 6703 ("-2" of a cost line): that line is left out, its last number may be cut too.
    expect(p.tree.total[0]).toBe(130158);
    expect(p.warnings.examples).toEqual(['line 6703: the file ends in this line, which is left out: "-2"']);
    expect(p.warnings.incomplete).toEqual([
      'looks truncated: the file ends mid-line (line 6703, "-2", left out) before the totals: line callgrind writes at the end of every dump; ' +
        'the costs read add up to 130,158 Ir, its summary: line says 249,979,994',
    ]);
  });

  it('cut at a line break, or after a calls= line whose cost line it took: loads, looks truncated', async () => {
    const text = dec.decode(base());
    const atBreak = text.slice(0, text.indexOf('\n', text.length >> 1) + 1);
    const p = await parseText(atBreak);
    expect(p.warnings.incomplete).toEqual([expect.stringMatching(/^looks truncated: the file ends at line \d+ before the totals: line .* its summary: line says 249,979,994$/)]);
    const afterCalls = text.slice(0, text.indexOf('\n', text.indexOf('\ncalls=', text.length >> 1) + 1) + 1);
    expect(afterCalls.trimEnd().split('\n').pop()).toMatch(/^calls=/);
    const q = await parseText(afterCalls);
    expect(q.warnings.incomplete).toHaveLength(1);
    // Another writer's file that ends so is malformed, as before.
    await expect(parseText(afterCalls.replace('creator: callgrind-3.19.0', 'creator: xdebug 3.0.2'))).rejects.toThrow(/the file ends after calls=/);
    // Where it is cut mid-line, the error says the line is the last and no line break ends it.
    const midLine = afterCalls.replace('creator: callgrind-3.19.0', 'creator: xdebug 3.0.2').replace(/\n$/, '\n+');
    await expect(parseText(midLine)).rejects.toThrow(/^bad subposition "\+", on the last line, which no line break ends: the file may be cut short there$/);
  });

  it('lines missing in the middle: the costs fall short of the totals: line by more than 1%', async () => {
    const lines = dec.decode(base()).split('\n');
    // Drop the heaviest self-cost line (crc32_update's inner loop) and compare with the totals: line.
    let heaviest = -1;
    let weight = 0;
    lines.forEach((l, i) => {
      const m = /^(\d+|[+-]\d+|\*) (\d+)$/.exec(l);
      if (m && !lines[i - 1].startsWith('calls=') && Number(m[2]) > weight) {
        heaviest = i;
        weight = Number(m[2]);
      }
    });
    expect(weight / 249979994).toBeGreaterThan(0.01);
    const p = await parseText(lines.filter((_, i) => i !== heaviest).join('\n'));
    expect(p.warnings.incomplete).toEqual([
      `looks truncated: the costs read add up to ${(249979994 - weight).toLocaleString('en-US')} Ir, its totals: line says 249,979,994`,
    ]);
    // Within 1%: not a loss worth a warning (and no real callgrind file is off by even one).
    const light = lines.findIndex((l, i) => /^\S+ 1$/.test(l) && !lines[i - 1].startsWith('calls='));
    expect((await parseText(lines.filter((_, i) => i !== light).join('\n'))).warnings.incomplete).toBeUndefined();
  });

  it('several parts: one sentence per part, with that part\'s figures', async () => {
    const bytes = fixture('callgrind-textstats-multipart.out');
    const p = await parseBytes(cutAt(bytes, 0.9));
    expect(p.parts).toEqual(['part 1', 'part 2', 'part 3', 'part 4']);
    expect(p.warnings.incomplete).toEqual([expect.stringMatching(/^part 4 looks truncated: the file ends mid-line .* the costs read add up to [\d,]+ Ir, its summary: line says 32,020,013$/)]);
    // Part 2's totals: line changed: part 2 falls short, the other parts do not.
    const text = dec.decode(bytes).replace('totals: 80025143', 'totals: 90025143');
    expect((await parseText(text)).warnings.incomplete).toEqual(['part 2 looks truncated: the costs read add up to 80,025,143 Ir, its totals: line says 90,025,143']);
    // The same with one part selected: the file is incomplete whichever part is shown.
    expect((await parseText(text, { part: 0 })).warnings.incomplete).toHaveLength(1);
  });

  it('the figures are those of the selected event (raw or derived)', async () => {
    const bytes = fixture('callgrind-c-crc-cachesim.base.out');
    const p = await parseBytes(cutAt(bytes, 0.6), { event: 1 });
    expect(p.unit).toBe('Dr');
    expect(p.warnings.incomplete).toEqual([expect.stringMatching(/the costs read add up to [\d,]+ Dr, its summary: line says 41,173,713$/)]);
    const derived = dec.decode(bytes).replace('events: Ir', 'event: X = Ir + 2 Dr\nevents: Ir').replace(/^totals: (\d+) (\d+)/m, (_, ir, dr) => `totals: ${Number(ir) + 5} ${dr}`);
    const q = await parseText(derived, { event: 16 });
    expect(q.unit).toBe('X');
    expect(q.warnings.incomplete).toBeUndefined();
    const r = await parseText(derived.replace(/^totals: (\d+)/m, (_, ir) => `totals: ${Number(ir) * 2}`), { event: 16 });
    expect(r.warnings.incomplete).toEqual([expect.stringMatching(/^looks truncated: the costs read add up to 332,327,420 X, its totals: line says 582,307,424$/)]);
  });

  it('legitimate variants do not warn: summary: 0, summary: apart from totals:, an empty dump, other writers without totals:, no final line break', async () => {
    const text = dec.decode(base());
    const atLineBreak = (t: string) => t.slice(0, t.indexOf('\n', t.length >> 1) + 1);
    const variants: Record<string, string> = {
      // callgrind 3.5 dumping on client request writes summary: 0 (gprof2dot's googlecode-issue34).
      'summary: 0': text.replace('summary: 249979994', 'summary: 0'),
      // --cache-sim=yes: summary: 249,979,996 against totals: 249,979,994 (pairs/c-crc-callgrind-cachesim).
      'summary: above totals:': text.replace('summary: 249979994', 'summary: 249979996'),
      // Only the totals: line stripped of its line break (an editor's doing): its figure still matches.
      'no final line break': text.trimEnd(),
      // xdebug and the spec examples write no totals: at all.
      'another writer, cut': atLineBreak(text.replace('creator: callgrind-3.19.0', 'creator: xdebug 3.0.2 (PHP 7.4.14)')),
      'no creator line, cut': atLineBreak(text.replace('creator: callgrind-3.19.0\n', '')),
      'the spec example': SPEC_COMPRESSED,
      // gprof2dot's empty.callgrind: part 2 of a run, no costs, totals: 0.
      'an empty dump': 'version: 1\ncreator: callgrind-3.5.0-Debian\npid: 14542\npart: 2\n\npositions: instr line\nevents: Ir Dr\nsummary: 0\n\n\ntotals: 0\n',
    };
    for (const [what, variant] of Object.entries(variants)) expect((await parseText(variant)).warnings.incomplete, what).toBeUndefined();
  });

  it('old valgrind versions write totals: too (0.10.1, 3.3, 3.5, 3.7, 3.13 in the corpus)', async () => {
    // Fixtures only have 3.19; the old ones are in ../shared/corpus, checked by "the shared corpus" above. Here the creator line alone:
    for (const creator of ['callgrind-0.10.1', 'callgrind-3.3.0-Debian', 'callgrind-3.7.0.SVN']) {
      const p = await parseText(`version: 1\ncreator: ${creator}\nevents: Ir\nsummary: 8\nfn=f\n1 8\n`);
      expect(p.warnings.incomplete, creator).toEqual(['looks truncated: the file ends at line 6 before the totals: line callgrind writes at the end of every dump; the costs read add up to 8 Ir, its summary: line says 8']);
    }
  });
});
