import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Function as PFunction, Line, Location, Profile as PProfile, Sample, StringTable, ValueType } from 'pprof-format';
import { ParseError, type Profile } from '../../src/model/profile';
import { FIXTURES, fixture, selfByName } from '../../test/parse/test-helpers';
import { int, rngOf } from '../../test/parse/fuzz-mutate';
import { parseStream } from './index';
import { pprofOfBytes, sniffPprof } from './pprof';

const HAVE_GO = spawnSync('go', ['version']).status === 0;

async function load(name: string, options = {}): Promise<Profile> {
  const r = await parseStream(new Blob([fixture(name) as BlobPart]).stream(), name, options);
  expect(r.format).toBe('pprof');
  return r.profile;
}

/** `go tool pprof -top`'s table: flat per function name (" (inline)" dropped), and the total it accounts for. */
function parseTop(text: string): { flat: Map<string, number>; total: number } {
  const flat = new Map<string, number>();
  const total = /Showing nodes accounting for (\d+)\w*, 100% of (\d+)\w* total/.exec(text);
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^\s*flat\s+flat%/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable || line.trim() === '') continue;
    const m = /^\s*(\d+)[a-zA-Z]*\s+\S+%\s+\S+%\s+(\d+)[a-zA-Z]*\s+\S+%\s+(.+?)( \(inline\))?$/.exec(line);
    if (!m) throw new Error(`not a row of go tool pprof -top: ${line}`);
    flat.set(m[3], (flat.get(m[3]) ?? 0) + Number(m[1]));
  }
  if (!total || total[1] !== total[2]) throw new Error('go tool pprof -top did not account for the whole profile');
  return { flat, total: Number(total[2]) };
}

/** Flamediff's flat per function name equals the table's, function by function; returns how many matched. */
function expectFlatEqual(p: Profile, top: { flat: Map<string, number>; total: number }): number {
  const ours = new Map([...selfByName(p)].filter(([, v]) => v !== 0));
  const theirs = new Map([...top.flat].filter(([, v]) => v !== 0));
  expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
  expect(p.tree.total[0]).toBe(top.total);
  return theirs.size;
}

// Each committed table is go tool pprof's own output for that fixture and sample type (test/fixtures/pprof-src/make.sh writes them).
const TABLES = [
  { file: 'pprof-cpu.base.pb.gz', event: 0, table: 'pprof-src/top/cpu.base.top-samples.txt', args: ['-sample_index=0'] },
  { file: 'pprof-cpu.base.pb.gz', event: 1, table: 'pprof-src/top/cpu.base.top-cpu.txt', args: ['-sample_index=1', '-unit=ns'] },
  { file: 'pprof-cpu.head.pb.gz', event: 0, table: 'pprof-src/top/cpu.head.top-samples.txt', args: ['-sample_index=0'] },
  { file: 'pprof-cpu.head.pb.gz', event: 1, table: 'pprof-src/top/cpu.head.top-cpu.txt', args: ['-sample_index=1', '-unit=ns'] },
  { file: 'pprof-heap.pb.gz', event: 0, table: 'pprof-src/top/heap.top-alloc_objects.txt', args: ['-sample_index=0', '-unit=count'] },
  { file: 'pprof-heap.pb.gz', event: 1, table: 'pprof-src/top/heap.top-alloc_space.txt', args: ['-sample_index=1', '-unit=bytes'] },
  { file: 'pprof-heap.pb.gz', event: 2, table: 'pprof-src/top/heap.top-inuse_objects.txt', args: ['-sample_index=2', '-unit=count'] },
  { file: 'pprof-heap.pb.gz', event: 3, table: 'pprof-src/top/heap.top-inuse_space.txt', args: ['-sample_index=3', '-unit=bytes'] },
];

describe('pprof: flat per function equals go tool pprof -top, exactly', () => {
  for (const t of TABLES) {
    it(`${t.file}, sample type ${t.event}: the committed table`, async () => {
      const top = parseTop(new TextDecoder().decode(fixture(t.table)));
      expect(expectFlatEqual(await load(t.file, { event: t.event }), top)).toBeGreaterThan(2);
    });
  }

  it.skipIf(!HAVE_GO)('every fixture and sample type, against go tool pprof run now', async () => {
    for (const t of TABLES) {
      const out = execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=1000000', '-nodefraction=0', '-edgefraction=0', ...t.args, path.join(FIXTURES, t.file)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expectFlatEqual(await load(t.file, { event: t.event }), parseTop(out));
    }
  });
});

describe('pprof: sample types and units', () => {
  it('a CPU profile: samples/count and cpu/nanoseconds, the last one by default, every sample one period', async () => {
    const p = await load('pprof-cpu.base.pb.gz');
    expect(p.events).toEqual(['samples/count', 'cpu/nanoseconds']);
    expect(p.eventIndex).toBe(1);
    expect(p.unit).toBe('nanoseconds');
    expect(p.sampleWeight).toBe(10_000_000);
    const samples = await load('pprof-cpu.base.pb.gz', { event: 0 });
    expect(samples.eventIndex).toBe(0);
    expect(samples.unit).toBe('samples');
    expect(samples.sampleWeight).toBe(1);
    // Go writes cpu = samples · period for each stack.
    expect(p.tree.total[0]).toBe(samples.tree.total[0] * 10_000_000);
  });

  it('a heap profile (no default_sample_type): inuse_space, the last; the object counts have no sampling model', async () => {
    const p = await load('pprof-heap.pb.gz');
    expect(p.events).toEqual(['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes']);
    expect(p.eventIndex).toBe(3);
    expect(p.unit).toBe('bytes');
    // MemProfileRate = 4096: the mean bytes between sampled allocations.
    expect(p.sampleWeight).toBe(4096);
    const objects = await load('pprof-heap.pb.gz', { event: 0 });
    expect(objects.unit).toBe('count');
    expect(objects.sampleWeight).toBeUndefined();
  });

  it("the allocs profile (default_sample_type alloc_space): pprof's default is that one", async () => {
    const p = await load('pprof-allocs.pb.gz');
    expect(p.eventIndex).toBe(1);
    expect(p.events[1]).toBe('alloc_space/bytes');
  });

  it('a sample type that does not exist is an error that lists them', async () => {
    await expect(load('pprof-cpu.base.pb.gz', { event: 2 })).rejects.toMatchObject({
      format: 'pprof',
      message: 'sample type 2 does not exist: the profile has 2 (samples/count, cpu/nanoseconds)',
    });
  });
});

describe('pprof: stacks', () => {
  it('inlined calls: one frame per line, the inlined function (line[0]) below its caller', async () => {
    const p = await load('pprof-cpu.base.pb.gz');
    const t = p.tree;
    const nameOf = (node: number) => p.strings[p.funcName[t.func[node]]];
    const MIX = 'flamediff.test/pprofsrc/cpu.mix';
    const mixes = [...t.func.keys()].filter((i) => i > 0 && nameOf(i) === MIX);
    expect(mixes.length).toBeGreaterThan(0);
    // mix is only ever inlined, into makeRecords: its frames hang under makeRecords, never the other way round.
    for (const i of mixes) {
      expect(nameOf(t.parent[i])).toBe('flamediff.test/pprofsrc/cpu.makeRecords');
      for (let j = i + 1; j < t.subtreeEnd[i]; j++) expect(nameOf(j)).not.toBe('flamediff.test/pprofsrc/cpu.makeRecords');
    }
    expect(p.strings[p.funcFile[t.func[mixes[0]]]]).toMatch(/pprof-src\/cpu\/work\.go$/);
  });

  it('roots are the outermost frames (location_id read from the end)', async () => {
    const p = await load('pprof-cpu.head.pb.gz');
    const t = p.tree;
    const roots = new Set<string>();
    for (let i = 1; i < t.func.length; i++) if (t.parent[i] === 0) roots.add(p.strings[p.funcName[t.func[i]]]);
    expect(roots).toContain('testing.(*B).launch');
    expect(roots).not.toContain('flamediff.test/pprofsrc/cpu.checksum');
  });

  it('head is slower in checksum, and only there to speak of', async () => {
    const base = selfByName(await load('pprof-cpu.base.pb.gz', { event: 0 }));
    const head = selfByName(await load('pprof-cpu.head.pb.gz', { event: 0 }));
    const share = (m: Map<string, number>, f: string) => (m.get(f) ?? 0) / [...m.values()].reduce((a, b) => a + b, 0);
    expect(share(head, 'flamediff.test/pprofsrc/cpu.checksum')).toBeGreaterThan(share(base, 'flamediff.test/pprofsrc/cpu.checksum') + 0.1);
  });
});

/** A tiny protobuf writer for hand-made profiles: fields as [number, value], a value an integer, bytes or a nested message. */
type Field = [number, number | Uint8Array | Field[]];
function varint(out: number[], v: number): void {
  let x = BigInt.asUintN(64, BigInt(v));
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
}
function encode(fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [n, v] of fields) {
    if (typeof v === 'number') {
      varint(out, n * 8);
      varint(out, v);
    } else {
      const bytes = v instanceof Uint8Array ? v : encode(v);
      varint(out, n * 8 + 2);
      varint(out, bytes.length);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
const str = (s: string) => new TextEncoder().encode(s);
function packed(...values: number[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) varint(out, v);
  return new Uint8Array(out);
}

/**
 * samples/count; functions 1 = main (a.go), 2 = leaf (b.go); location 1 = [leaf inlined into main], 2 = main alone.
 * `strings` go after the table's seven, from index 7.
 */
function handMade(samples: Field[][], extra: Field[] = [], strings: string[] = []): Uint8Array {
  return encode([
    [1, [[1, 1], [2, 2]]],
    ...samples.map((s): Field => [2, s]),
    [4, [[1, 1], [4, [[1, 2]]], [4, [[1, 1]]]]],
    [4, [[1, 2], [4, [[1, 1]]]]],
    [5, [[1, 1], [2, 3], [4, 4]]],
    [5, [[1, 2], [2, 5], [4, 6]]],
    ...extra,
    ...['', 'samples', 'count', 'main', 'a.go', 'leaf', 'b.go', ...strings].map((s): Field => [6, str(s)]),
  ]);
}

describe('pprof: hand-made profiles', () => {
  it('packed and unpacked repeated fields read the same', () => {
    const a = pprofOfBytes(handMade([[[1, packed(1, 2)], [2, packed(3)]]]), 'a');
    const b = pprofOfBytes(handMade([[[1, 1], [1, 2], [2, 3]]]), 'b');
    expect(selfByName(a)).toEqual(new Map([['main', 0], ['leaf', 3]]));
    expect(selfByName(b)).toEqual(selfByName(a));
    // main (location 2) → main (location 1's outer line) → leaf (its line[0]).
    expect(a.tree.depth[a.tree.depth.length - 1]).toBe(3);
  });

  it('a location without lines is named after its mapping, as pprof does; without one, <unknown>', () => {
    const bytes = handMade(
      [[[1, packed(3)], [2, packed(5)]], [[1, packed(4)], [2, packed(2)]]],
      [
        [3, [[1, 7], [5, 7]]],
        [4, [[1, 3], [2, 7], [3, 0x4567]]],
        [4, [[1, 4], [3, 0x89]]],
      ],
      ['/usr/lib/libc.so.6'],
    );
    expect(selfByName(pprofOfBytes(bytes, 'x'))).toEqual(new Map([['[libc.so.6]', 5], ['<unknown>', 2]]));
  });

  it('a zero value adds no frames; a sample with no locations is skipped and counted', () => {
    const p = pprofOfBytes(handMade([[[1, packed(1)], [2, packed(0)]], [[2, packed(4)]]]), 'x');
    expect(p.tree.func.length).toBe(1);
    expect(p.warnings.skippedLines).toBe(1);
    expect(p.warnings.examples[0]).toMatch(/^byte \d+: a sample with no locations \(4 left out\)$/);
  });

  it('a negative value (a difference profile) is refused, at its sample', () => {
    const bytes = handMade([[[1, packed(1)], [2, packed(-3)]]]);
    expect(() => pprofOfBytes(bytes, 'x')).toThrow(/negative value \(-3\): this looks like a difference profile \(pprof -diff_base\)/);
    expect(catchError(() => pprofOfBytes(bytes, 'x')).byte).toBe(6);
  });

  it('a sample naming a location that does not exist, or with too few values, is an error at its byte', () => {
    expect(catchError(() => pprofOfBytes(handMade([[[1, packed(9)], [2, packed(1)]]]), 'x'))).toMatchObject({
      byte: 6,
      message: 'a sample names location 9, which the profile does not have: the data is damaged',
    });
    expect(catchError(() => pprofOfBytes(handMade([[[1, packed(1)], [2, packed(1, 2)]]]), 'x'))).toMatchObject({
      byte: 6,
      message: 'a sample has 2 values, but the profile declares 1 sample types: the data is damaged',
    });
  });

  // Found by the fuzz suite (test/parse/fuzz.test.ts): a length of -1 was "the file ends inside a field of -1 bytes: it looks cut short", at the end of the file.
  it('a negative length (a ten-byte varint with its top bit set) is damage at its field, not a cut', () => {
    const good = handMade([[[1, packed(1)], [2, packed(1)]]]);
    const tail: number[] = [6 * 8 + 2];
    varint(tail, -1);
    const bytes = new Uint8Array([...good, ...tail, 0x61]);
    expect(catchError(() => pprofOfBytes(bytes, 'x'))).toMatchObject({ format: 'pprof', byte: good.length, message: 'a field whose length is negative (-1): the data is damaged' });
  });

  it("reads a profile written by another encoder (Datadog's pprof-format)", () => {
    const strings = new StringTable();
    const fn = new PFunction({ id: 1, name: strings.dedup('work'), filename: strings.dedup('w.js') });
    const caller = new PFunction({ id: 2, name: strings.dedup('main'), filename: strings.dedup('w.js') });
    const bytes = new PProfile({
      sampleType: [new ValueType({ type: strings.dedup('wall'), unit: strings.dedup('nanoseconds') })],
      periodType: new ValueType({ type: strings.dedup('wall'), unit: strings.dedup('nanoseconds') }),
      period: 1000,
      sample: [new Sample({ locationId: [1, 2], value: [3000] }), new Sample({ locationId: [2], value: [1000] })],
      location: [new Location({ id: 1, line: [new Line({ functionId: 1 })] }), new Location({ id: 2, line: [new Line({ functionId: 2 })] })],
      function: [fn, caller],
      stringTable: strings,
    }).encode();
    expect(sniffPprof(bytes)).toBe(true);
    const p = pprofOfBytes(bytes, 'dd');
    expect(selfByName(p)).toEqual(new Map([['main', 1000], ['work', 3000]]));
    expect(p.sampleWeight).toBe(1000);
    expect(p.unit).toBe('nanoseconds');
  });
});

function catchError(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('pprof: sniffing and bad input', () => {
  const inflated = (name: string) => new Uint8Array(gunzipSync(fixture(name)));

  it('sniffs every fixture, and none of the text fixtures', () => {
    for (const f of ['pprof-cpu.base.pb.gz', 'pprof-cpu.head.pb.gz', 'pprof-heap.pb.gz', 'pprof-allocs.pb.gz']) expect(sniffPprof(inflated(f).subarray(0, 4096))).toBe(true);
    for (const f of ['c-crc-perf.base.folded', 'callgrind-c-crc.base.out', 'cpuprofile-js-json.base.cpuprofile', 'pprof-src/top/cpu.base.top-cpu.txt']) {
      expect(sniffPprof(fixture(f).subarray(0, 4096))).toBe(false);
    }
  });

  it('text that starts with a byte pprof could start with is still text', () => {
    for (const text of ['"quoted";b 1\n', '2;a;b 3\n', '8 9\n', '@main;f 1\n', '*x;y 2\n', 'h;j 1\n', 'x;y 1\n', 'Z;a 5\n', 'Pmain;f 1\n']) {
      expect(sniffPprof(str(text.repeat(200)))).toBe(false);
    }
  });

  it('random bytes are "not a profile", naming pprof among the formats', async () => {
    const rng = rngOf(14);
    for (let k = 0; k < 20; k++) {
      const bytes = Uint8Array.from({ length: 5000 }, () => int(rng, 256));
      if (bytes[0] === 0x1f) bytes[0] = 0;
      expect(sniffPprof(bytes)).toBe(false);
      await expect(parseStream(new Blob([bytes]).stream(), 'x.pb')).rejects.toMatchObject({
        message: expect.stringMatching(/^not a profile Flamediff reads \(callgrind, perf collapsed stacks, V8 \.cpuprofile, pprof, speedscope JSON, perf script\): /),
      });
    }
  });

  it('a file cut anywhere is a ParseError at a byte, saying it looks cut short where it ends inside a field', () => {
    const bytes = inflated('pprof-cpu.head.pb.gz');
    let cutShort = 0;
    for (let k = 1; k < 60; k++) {
      const at = Math.floor((bytes.length * k) / 60);
      const e = catchError(() => pprofOfBytes(bytes.subarray(0, at), 'cut.pb'));
      expect(e.format).toBe('pprof');
      expect(e.byte).toBeGreaterThanOrEqual(0);
      expect(e.byte).toBeLessThanOrEqual(at);
      if (/looks cut short/.test(e.message)) {
        cutShort++;
        expect(e.byte).toBe(at);
      }
    }
    // Cuts that end exactly between two fields lose the string table, which Go writes last: "string N is named…".
    expect(cutShort).toBeGreaterThan(40);
  });

  it('a gzipped file cut short says so through parseStream, with the byte', async () => {
    const gz = fixture('pprof-cpu.base.pb.gz');
    await expect(parseStream(new Blob([gz.subarray(0, gz.length >> 1) as BlobPart]).stream(), 'x.pb.gz')).rejects.toMatchObject({ format: 'pprof', byte: expect.any(Number) });
  });

  it('corrupted bytes: a ParseError with a byte, or a profile; never anything else, never a hang', () => {
    const bytes = inflated('pprof-heap.pb.gz');
    const rng = rngOf(1414);
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const b = bytes.slice();
      for (let j = 0; j < 1 + int(rng, 4); j++) b[int(rng, b.length)] = int(rng, 256);
      try {
        pprofOfBytes(b, 'bad.pb');
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        expect(e.byte).toBeGreaterThanOrEqual(0);
        expect(e.byte).toBeLessThanOrEqual(b.length);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(50);
  });
});
