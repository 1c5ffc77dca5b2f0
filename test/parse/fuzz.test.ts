// Fuzzing the readers: seeded mutations of every fixture and corpus file, hand-built
// hostile inputs, and every file under every other format's name, each through the
// app's entry (parseStream: gzip, UTF-16, detection, parser) or a parser directly.
//
// The contract, per case: within CASE_TIMEOUT_MS, either a profile whose tree is
// well formed with finite, non-negative weights and a root total equal to the sum
// of self, or a ParseError naming the format and a line or byte, with a message.
// Anything else (TypeError, RangeError, a thread that dies or never answers) is a
// bug. For folded, callgrind and perf script, an error must be within one line of a
// line the mutation touched; for pprof (binary), its byte must stand in the top-level
// field the first change is in or after it (within that field, when the mutation kept
// the top-level framing: a flip inside a value, an integer rewritten with every length
// around it fixed up; at the cut, for a cut); either way, or be one of the JUSTIFIED
// consequences below. A JSON error (cpuprofile, speedscope) stands at or after the
// first changed byte, or at the key of the member it is about.
//
// Mutations per format: byte and line edits for the text formats (perf script also
// has its headers' periods, events and times and its frame lines rewritten); parsed-value
// edits for the JSON ones (speedscope also gets frame indices, weights, event order and
// nesting broken); protobuf-aware ones for pprof (cuts on every kind of field boundary
// and inside varints, lengths made too long or short, values and wire types changed,
// fields dropped, copied or swapped), 40 % of them gzipped. The corpus holds none of
// the three newer formats: their seeds are the fixtures.
//
// Cases run in worker threads (fuzz-pool.ts) so a synchronous infinite loop can be
// stopped. Reproduce a failure with the FUZZ_SEED and FUZZ_CASE the report prints:
//   FUZZ_SEED=… FUZZ_CASE=callgrind:123 npx vitest run test/parse/fuzz.test.ts
// FUZZ_CASES=n sets the number of mutation cases per format (CI: the default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describeError, type ParseOptions } from '../../src/model/profile';
import {
  CALLGRIND_MUTATORS,
  int,
  lineOf,
  lineStarts,
  mutateCpuprofileLinks,
  mutateJson,
  mutateProto,
  mutateSpeedscopeLinks,
  mutateText,
  PERF_SCRIPT_MUTATORS,
  pick,
  PPROF_SHAPE,
  protoFields,
  rngOf,
  seedOf,
  spliceLineFrom,
  type Mutant,
  type ProtoField,
  type Rng,
} from './fuzz-mutate';
import { HOSTILE, type Hostile, type Kind } from './fuzz-hostile';
import { FuzzPool, type PoolResult } from './fuzz-pool';
import type { FuzzMode } from './fuzz-runner';
import { FIXTURES, HAVE_CORPUS, corpusFile, fixture, manifest } from './test-helpers';

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 0x5eed2024;
const CASES = Number(process.env.FUZZ_CASES ?? 1200);
const ONLY = process.env.FUZZ_CASE;
/** FUZZ_VERBOSE=1 prints every case's outcome. */
const VERBOSE = !!process.env.FUZZ_VERBOSE;
/**
 * Generous, to catch infinite loops and not slowness: the slowest mutation case takes about a
 * second on a 2-core machine busy with other work, the slowest hand-built 10 MB case about 3 s.
 */
const CASE_TIMEOUT_MS = Number(process.env.FUZZ_CASE_TIMEOUT_MS ?? 10_000);
const HOSTILE_TIMEOUT_MS = 3 * CASE_TIMEOUT_MS;
/** Most cases use files up to this size, so a thousand of them stay fast; every larger file still gets a few. */
const SMALL_FILE = 256 * 1024;
/** Each file, however large, is mutated at least this many times. */
const CASES_PER_FILE = 3;
const THREADS = Math.max(1, Math.min(2, os.availableParallelism()));
const KINDS: Kind[] = ['folded', 'callgrind', 'cpuprofile', 'pprof', 'speedscope', 'perf-script'];
const JSON_KINDS: readonly Kind[] = ['cpuprofile', 'speedscope'];
const NAMES = ['profile.folded', 'perf.collapsed', 'x.callgrind', 'callgrind.out.4242', 'x.cpuprofile', 'trace.json', 'x.txt', 'noextension', 'x.folded.gz', 'cpu.pb.gz'];

// ---------------------------------------------------------------------------
// Inputs

interface Source {
  label: string;
  kind: Kind;
  /** UTF-8 text (a UTF-16 file is held decoded and re-encoded after mutation). */
  bytes: Uint8Array;
  utf16?: 'le' | 'be';
  json?: unknown;
  /** pprof: every field of the (ungzipped) file, and where each top-level field starts. */
  fields?: ProtoField[];
  tops?: number[];
}

function loadSources(): Source[] {
  const out: Source[] = [];
  const seen = new Set<string>();
  const add = (label: string, kind: Kind, raw: Uint8Array) => {
    const key = `${raw.length}:${Buffer.from(raw).toString('base64')}`;
    if (seen.has(key)) return;
    seen.add(key);
    let bytes = raw;
    let utf16: Source['utf16'];
    if ((raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff)) {
      utf16 = raw[0] === 0xff ? 'le' : 'be';
      bytes = new TextEncoder().encode(new TextDecoder(`utf-16${utf16}`).decode(raw.subarray(2)));
    }
    let json: unknown;
    if (JSON_KINDS.includes(kind)) json = JSON.parse(new TextDecoder().decode(bytes));
    let fields: ProtoField[] | undefined;
    if (kind === 'pprof') {
      // Held as the parser reads it: gzip is put back on (or not) per case.
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes));
      fields = protoFields(bytes, PPROF_SHAPE);
    }
    out.push({ label, kind, bytes, utf16, json, fields, tops: fields?.filter((f) => f.parent === null).map((f) => f.start) });
  };
  for (const f of readdirSync(FIXTURES).sort()) {
    const kind: Kind | null = f.endsWith('.folded')
      ? 'folded'
      : f.endsWith('.cpuprofile')
        ? 'cpuprofile'
        : f.startsWith('callgrind')
          ? 'callgrind'
          : /^pprof-.*\.pb(\.gz)?$/.test(f)
            ? 'pprof'
            : /^speedscope-.*\.json$/.test(f)
              ? 'speedscope'
              : f.endsWith('.perf-script.txt')
                ? 'perf-script'
                : null;
    if (kind) add(`fixtures/${f}`, kind, fixture(f));
  }
  if (HAVE_CORPUS) {
    const kindOf: Record<string, Kind> = {
      collapsed: 'folded',
      'collapsed-diff': 'folded',
      callgrind: 'callgrind',
      cpuprofile: 'cpuprofile',
      'chrome-trace': 'cpuprofile',
      pprof: 'pprof',
      speedscope: 'speedscope',
      'perf-script': 'perf-script',
    };
    for (const f of manifest().files.slice().sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const kind = kindOf[f.format];
      if (kind) add(`corpus/${f.path}`, kind, corpusFile(f.path));
    }
  }
  return out;
}

function utf16(bytes: Uint8Array, order: 'le' | 'be'): Uint8Array {
  const s = new TextDecoder().decode(bytes);
  const out = new Uint8Array(2 + s.length * 2);
  out.set(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + 2 * i + (order === 'le' ? 0 : 1)] = c & 0xff;
    out[2 + 2 * i + (order === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Cases

interface Case {
  id: string;
  source: string;
  kind: Kind;
  bytes: Uint8Array;
  name: string;
  mode: FuzzMode;
  chunks: number[];
  what: string;
  lines: [number, number][] | null;
  /** The bytes are the text the parser reads (no gzip, no UTF-16): byte offsets refer to them. Lines survive both, unless cut. */
  plain: boolean;
  /** Bytes before this one are the source's own (valid JSON cannot fail before it). */
  firstChange?: number;
  /** The bytes the parser reads, when known (plain, or gzipped whole): pprof's byte offsets refer to them. */
  parsed?: Uint8Array;
  /** pprof: the bytes of `parsed` an error must stand within, unless justified. */
  near?: [number, number];
  options?: ParseOptions;
}

function chunkPlan(rng: Rng, size: number): number[] {
  const plan = pick(rng, ['whole', '64k', '4k', '1000', 'jitter', 'tiny'] as const);
  const sizes =
    plan === 'whole'
      ? [Math.max(1, size)]
      : plan === '64k'
        ? [65536]
        : plan === '4k'
          ? [4096]
          : plan === '1000'
            ? [1000]
            : plan === 'jitter'
              ? Array.from({ length: 7 }, () => 1 + int(rng, 2000))
              : Array.from({ length: 5 }, () => 1 + int(rng, 16));
  // Past some 20k chunks a case measures the stream machinery, not the parser.
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  return size / mean > 20_000 ? [65536] : sizes;
}

function mutate(src: Source, all: Source[], rng: Rng): Mutant {
  if (src.fields) return mutateProto(src.bytes, src.fields, rng);
  if (src.json !== undefined) {
    const j = rng();
    if (j < 0.45) return mutateJson(src.json, rng);
    const links = src.kind === 'speedscope' ? mutateSpeedscopeLinks : mutateCpuprofileLinks;
    if (j < 0.55 + (src.kind === 'speedscope' ? 0.1 : 0)) return links(src.json, rng) ?? mutateJson(src.json, rng);
  }
  if (src.kind === 'callgrind' && rng() < 0.2) return mutateText(src.bytes, rng, CALLGRIND_MUTATORS.map(([m, w]) => [m, w * 4] as [typeof m, number]));
  if (src.kind === 'perf-script' && rng() < 0.35) return mutateText(src.bytes, rng, PERF_SCRIPT_MUTATORS.map(([m, w]) => [m, w * 10] as [typeof m, number]));
  const r = rng();
  if (r < 0.08) {
    // Two or three mutations on top of each other: the lines no longer say where.
    let m = mutateText(src.bytes, rng);
    const n = 1 + int(rng, 2);
    const whats = [m.what];
    for (let k = 0; k < n; k++) {
      m = mutateText(m.bytes, rng);
      whats.push(m.what);
    }
    return { bytes: m.bytes, what: whats.join('; then '), lines: null };
  }
  if (r < 0.14) {
    const others = all.filter((s) => s.kind === src.kind && s !== src && s.bytes.length < SMALL_FILE);
    if (others.length > 0) {
      const other = pick(rng, others);
      const m = spliceLineFrom(other.bytes)(src.bytes, rng, lineStarts(src.bytes));
      return { ...m, what: `${m.what} (${other.label})` };
    }
  }
  return mutateText(src.bytes, rng);
}

/** Case `index` of `kind`: the same case for the same seed, whatever else runs. */
function makeCase(kind: Kind, index: number, sources: Source[]): Case {
  const rng = rngOf(seedOf(SEED, kind, index));
  const mine = sources.filter((s) => s.kind === kind);
  const small = mine.filter((s) => s.bytes.length <= SMALL_FILE);
  const src = index < mine.length * CASES_PER_FILE ? mine[index % mine.length] : pick(rng, small);
  let m = mutate(src, sources, rng);
  let firstChange = 0;
  while (firstChange < m.bytes.length && firstChange < src.bytes.length && m.bytes[firstChange] === src.bytes[firstChange]) firstChange++;
  let plain = true;
  let bytes = m.bytes;
  let parsed: Uint8Array | undefined = m.bytes;
  // pprof is binary (never UTF-16) and comes gzipped more often than not: 40 % of its cases are.
  const binary = src.kind === 'pprof';
  const wrap = binary ? 0.04 + rng() * 0.15 : rng();
  if (!binary && (src.utf16 || wrap < 0.04)) {
    parsed = undefined;
    // UTF-16 (the file's own, or 4 % of cases): lines survive the encoding; a byte cut after it does not.
    bytes = utf16(bytes, src.utf16 ?? (rng() < 0.5 ? 'le' : 'be'));
    plain = false;
    if (rng() < 0.3) {
      const cut = int(rng, bytes.length + 1);
      bytes = bytes.slice(0, cut);
      m = { ...m, what: `${m.what}; UTF-16, cut at byte ${cut}`, lines: null };
    } else m = { ...m, what: `${m.what}; UTF-16` };
  }
  if (wrap >= 0.04 && wrap < 0.1) {
    bytes = new Uint8Array(gzipSync(bytes));
    plain = false;
    const r = rng();
    if (r < 0.6) parsed = undefined;
    if (r < 0.3) {
      const cut = int(rng, bytes.length + 1);
      m = { ...m, what: `${m.what}; gzip, cut at byte ${cut} of ${bytes.length}`, lines: null };
      bytes = bytes.slice(0, cut);
    } else if (r < 0.6) {
      const p = int(rng, bytes.length);
      bytes = bytes.slice();
      bytes[p] ^= 1 << int(rng, 8);
      m = { ...m, what: `${m.what}; gzip, bit flipped in byte ${p}`, lines: null };
    } else m = { ...m, what: `${m.what}; gzip` };
  }
  let mode: FuzzMode = 'stream';
  const r = rng();
  if (r < 0.03) mode = pick(rng, KINDS.filter((k) => k !== kind));
  else if (r < 0.25 && plain) mode = kind;
  // What a stale link may ask for: an event or a part the file may not have.
  // perf script and pprof read one event of several: the odd ones of perf script are its periods, read only when asked for.
  const o = rng();
  const options: ParseOptions | undefined =
    o < 0.1
      ? pick(rng, [{ event: int(rng, 4) }, { part: int(rng, 5) - 1 }, { event: 1, part: 0 }, { event: -1 }, { part: 1.5 }])
      : o < (kind === 'perf-script' ? 0.6 : 0.35) && (kind === 'perf-script' || kind === 'pprof')
        ? { event: kind === 'perf-script' ? pick(rng, [1, 1, 3, 2]) : int(rng, 4) }
        : undefined;
  return {
    id: `${kind}:${index}`,
    source: src.label,
    kind,
    bytes,
    name: pick(rng, NAMES),
    mode,
    chunks: chunkPlan(rng, bytes.length),
    what: m.what,
    lines: m.lines,
    plain,
    firstChange,
    parsed,
    near: m.near,
    options,
  };
}

// ---------------------------------------------------------------------------
// The contract

interface Justified {
  format: string;
  /** The message; its first group, when it has one, is a line the message names, which must be near the mutation instead. */
  pattern: RegExp;
  /** Why an error far from the mutation is right here. */
  why: string;
  /** Only for such cases. */
  when?: (c: Case) => boolean;
}

/**
 * Errors that may stand far from the mutated line: the mutation turned a line into
 * another valid line (or removed one) that declares something, and the error is
 * where the declaration is used.
 */
const JUSTIFIED: Justified[] = [
  { format: 'callgrind', pattern: /is used but never defined/, why: 'the line defining a compressed name was dropped or renumbered; the error is at its first use' },
  { format: 'callgrind', pattern: /cost line before the events: line|no "events:" line/, why: 'the events: line was dropped or mangled into a skipped line; the error is at the first cost line' },
  { format: 'callgrind', pattern: /costs, but the events: line names/, why: 'the events: line lost names and is still valid; the error is at the first cost line with more columns' },
  { format: 'callgrind', pattern: /this part's events .* differ from the first part's/, why: "the first events: line was changed into another valid list; the next part's events: line disagrees" },
  { format: 'callgrind', pattern: /cost line before any fn=|calls= before any fn=/, why: 'the first fn= line was dropped or mangled; the error is at the first cost line' },
  { format: 'callgrind', pattern: /calls= without a cfn=/, why: 'the cfn= line was dropped or mangled; the error is at its calls= line' },
  { format: 'callgrind', pattern: /costs add up to a negative total/, why: 'a whole-file verdict: it names the first negative cost, which may predate the mutation that tipped the sum' },
  {
    format: 'callgrind',
    pattern: /^calls= on line (\d+) must be followed by its cost line/,
    why: 'reported at the first line after calls= that is not a cost line (blank lines and comments come between); the message names the calls= line, which is near the mutation',
  },
  { format: 'folded', pattern: /no line has the form/, why: 'a whole-file verdict (no line survived), reported at line 1' },
  { format: 'perf-script', pattern: /^no sample header/, why: 'a whole-file verdict (no sample header survived), reported at line 1' },
  {
    format: 'perf-script',
    pattern: /^event \S+ does not exist/,
    why: 'the options ask for an event the file lacks: about the options, not the mutation (reported at line 1)',
    when: (c) => c.options !== undefined,
  },
  // pprof (byte offsets): the reader reads the tables first, then the samples, and checks the links between them.
  {
    format: 'pprof',
    pattern: /field that starts at byte (\d+)/,
    why: 'a length made too long at the top level: the file ends inside the field (the error stands at the end), and the message names where the field starts, which is near the mutation',
  },
  {
    format: 'pprof',
    pattern: /which the profile does not have/,
    why: 'an id was changed, or its location or function dropped: the error is where the id is used, which may be anywhere',
  },
  {
    format: 'pprof',
    pattern: /^string \d+ is named, but the string table has/,
    why: 'strings were dropped (cut from the end, where Go writes the table) or an index changed: the error is where the string is used (a sample type: byte 0)',
  },
  { format: 'pprof', pattern: /appears twice \(at bytes/, why: 'an id was changed into another one, or a location copied: the error is at the second of the two, wherever it is' },
  { format: 'pprof', pattern: /^the profile declares no sample types/, why: 'a whole-file verdict (no sample_type survived), reported at byte 0' },
  { format: 'pprof', pattern: /values, but the profile declares \d+ sample types/, why: 'a sample_type was dropped, copied or mangled: every sample disagrees, the error is at the first one' },
  {
    format: 'pprof',
    pattern: /^sample type \S+ does not exist/,
    why: 'the options ask for a sample type the file lacks: about the options, not the mutation (reported at byte 0)',
    when: (c) => c.options !== undefined,
  },
  {
    format: 'callgrind',
    pattern: /^there is no (?:event|part) #/,
    why: 'the options ask for an event or part the file lacks: about the options, not the mutation (reported at the events: line, or line 1)',
    when: (c) => c.options !== undefined,
  },
];

interface Verdict {
  problems: string[];
  justified?: string;
  outcome: string;
}

function judge(c: Case, r: PoolResult): Verdict {
  if (r.kind === 'hang') return { problems: [`no answer within ${r.ms.toFixed(0)} ms (an infinite loop?)`], outcome: 'hang' };
  if (r.kind === 'crash') return { problems: [`the thread died: ${r.message.split('\n').slice(0, 6).join(' | ')}`], outcome: 'crash' };
  const o = r.outcome;
  if (o.kind === 'profile') {
    const problems = [...o.problems];
    if (c.mode !== 'stream' && o.format !== c.mode) problems.push(`parser ${c.mode} returned a ${o.format} profile`);
    return { problems, outcome: `profile (${o.format}, ${o.nodes} nodes, total ${o.total}, ${o.skipped} skipped${o.incomplete ? `, ${o.incomplete} incomplete` : ''})` };
  }
  const problems: string[] = [];
  const outcome = `${o.type} (${o.format ?? '?'}${o.line !== undefined ? ` line ${o.line}` : ''}${o.byte !== undefined ? ` byte ${o.byte}` : ''}): ${o.message.slice(0, 300)}`;
  if (o.type !== 'ParseError') {
    problems.push(`threw ${outcome}\n      ${(o.stack ?? '').split('\n').slice(1, 5).join('\n      ')}`);
    return { problems, outcome };
  }
  const formats = c.mode === 'stream' ? [...KINDS, 'unknown'] : [c.mode];
  if (!formats.includes(o.format ?? '')) problems.push(`the error's format is ${o.format}, expected one of ${formats.join(', ')}`);
  const hasLine = o.line !== undefined && Number.isInteger(o.line) && o.line >= 1;
  const hasByte = o.byte !== undefined && Number.isInteger(o.byte) && o.byte >= 0;
  if (!hasLine && !hasByte) problems.push('the error names neither a line nor a byte');
  if (o.line !== undefined && !hasLine) problems.push(`line ${o.line} is not a line number`);
  if (o.byte !== undefined && !hasByte) problems.push(`byte ${o.byte} is not a byte offset`);
  if (c.plain && hasByte && o.byte! > c.bytes.length) problems.push(`byte ${o.byte} is past the end of the ${c.bytes.length}-byte input`);
  if (!o.message.trim()) problems.push('the message is empty');
  // index.ts wraps what a parser should never throw as "TypeError: …": a bug all the same.
  if (/^(TypeError|RangeError|ReferenceError|SyntaxError|InternalError|Error): /.test(o.message)) problems.push('a wrapped internal exception');
  // What the user reads (the worker adds the file name): file, format, where.
  const shown = describeError({ file: c.name, format: o.format as 'folded', line: o.line, byte: o.byte, message: o.message });
  if (!shown.startsWith(c.name) || !/ at (line|byte) \d+/.test(shown)) problems.push(`the message shown does not say where: ${shown.slice(0, 120)}`);
  let justified: string | undefined;
  // A JSON syntax error stands at or after the first changed byte (less up to 3 bytes of a UTF-8
  // sequence the change broke, which decodes as U+FFFD from its start), on the line of its byte.
  // Any other error is about a member of the parsed value, and points at its key (or at the document).
  if (JSON_KINDS.includes(c.kind) && o.format === c.kind && c.plain && hasByte && o.byte! < c.bytes.length) {
    if (/^(invalid JSON|the JSON ends too early)/.test(o.message)) {
      if (c.firstChange !== undefined && o.byte! < c.firstChange - 3) problems.push(`a JSON error at byte ${o.byte}, before the first changed byte ${c.firstChange}`);
    } else if (!'"{['.includes(String.fromCharCode(c.bytes[o.byte!]))) {
      problems.push(`byte ${o.byte} is "${String.fromCharCode(c.bytes[o.byte!])}", not a member's key nor the document's start`);
    }
    if (hasLine && o.line !== lineOf(c.bytes, o.byte!)) problems.push(`byte ${o.byte} is on line ${lineOf(c.bytes, o.byte!)}, not ${o.line}`);
    // A weight or a time is a member's: the document's start says nothing of where it is.
    if (o.format === 'speedscope' && /weight|finite/.test(o.message) && !/add up past/.test(o.message) && c.bytes[o.byte!] === 0x7b && o.byte! === c.bytes.indexOf(0x7b)) {
      problems.push('an error about a weight or a time placed at the start of the document, not at its member');
    }
  }
  // Only where the file is read as what it is: another format's parser errs wherever it likes.
  const justify = (near: (n: number) => boolean): string | undefined =>
    JUSTIFIED.find((x) => {
      const m = x.format === o.format && (x.when?.(c) ?? true) ? x.pattern.exec(o.message) : null;
      return m !== null && (m[1] === undefined || near(Number(m[1])));
    })?.pattern.source;
  if ((o.format === 'folded' || o.format === 'callgrind' || o.format === 'perf-script') && o.format === c.kind && hasLine && c.lines && problems.length === 0) {
    const nearLine = (l: number) => c.lines!.some(([a, b]) => l >= a - 1 && l <= b + 1);
    if (!nearLine(o.line!)) {
      justified = justify(nearLine);
      if (!justified) problems.push(`line ${o.line} is not within one line of the mutation (lines ${c.lines.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(', ')})`);
    }
  }
  // pprof is binary: the error names the byte where the field it broke in starts. That field holds
  // the first changed byte, or comes after it (the top-level field it is in, for a cut, a flip or a
  // rewritten value: its bytes up to the cut, or up to its end when the top-level framing is kept).
  // A length no file can have is damage, not a cut.
  if (/looks cut short/.test(o.message) && /-\d[\d,]* bytes/.test(o.message)) problems.push('a negative length said to be a cut');
  if (o.format === 'pprof' && c.kind === 'pprof' && c.parsed && problems.length === 0) {
    if (!hasByte) problems.push('a pprof error names no byte');
    else if (o.byte! > c.parsed.length) problems.push(`byte ${o.byte} is past the end of the ${c.parsed.length} bytes the parser read`);
    else {
      const tops = sources.find((s) => s.label === c.source)?.tops ?? [0];
      let lo = 0;
      for (const t of tops) if (t <= (c.firstChange ?? 0)) lo = t;
      const [a, b] = c.near ?? [lo, c.parsed.length];
      const nearByte = (x: number) => x >= a && x <= b;
      if (!nearByte(o.byte!)) {
        justified = justify(nearByte);
        if (!justified) problems.push(`byte ${o.byte} is outside bytes ${a}..${b}, where the mutation can show`);
      }
    }
  }
  return { problems, justified, outcome };
}

/**
 * A file callgrind wrote, truncated (alone, or then gzipped or made UTF-16) and loaded as
 * callgrind: unless the cut left whole dumps (it falls after a totals: line and its line
 * break, or inside the last line, which is totals:), the profile must say it looks truncated.
 */
function truncationIsReported(c: Case, r: PoolResult): string[] {
  const m = /^truncated to (\d+) of (\d+) bytes(?:; UTF-16|; gzip)?$/.exec(c.what);
  if (!m || c.kind !== 'callgrind' || r.kind !== 'done' || r.outcome.kind !== 'profile' || r.outcome.format !== 'callgrind') return [];
  const src = sources.find((s) => s.label === c.source);
  if (!src) return [];
  const text = new TextDecoder().decode(src.bytes);
  if (!/^creator: callgrind-\d/m.test(text)) return [];
  const kept = new TextDecoder().decode(src.bytes.subarray(0, Number(m[1])));
  const lastLineStart = text.lastIndexOf('\n', text.length - 2) + 1;
  const wholeDumps = /(^|\n)totals:[^\n]*\n\s*$/.test(kept) || kept.length > lastLineStart;
  if (wholeDumps || kept.indexOf('\nevents:') < 0) return [];
  return r.outcome.incomplete > 0 ? [] : ['a file callgrind wrote, cut short, loaded without saying it looks truncated'];
}

// ---------------------------------------------------------------------------
// Running

interface Failure {
  c: Case;
  verdict: Verdict;
}

interface Tally {
  cases: number;
  profiles: number;
  errors: number;
  justified: Map<string, number>;
  failures: Failure[];
  slowest: { id: string; ms: number };
}

let pool: FuzzPool;
let sources: Source[] = [];

/** Runs the cases on every thread; `check` adds a case's own expectations to the contract. */
async function runAll(cases: Iterable<Case> | (() => Case | null), check?: (c: Case, r: PoolResult) => string[], timeoutMs = CASE_TIMEOUT_MS): Promise<Tally> {
  const tally: Tally = { cases: 0, profiles: 0, errors: 0, justified: new Map(), failures: [], slowest: { id: '', ms: 0 } };
  const next: () => Case | null =
    typeof cases === 'function'
      ? cases
      : (() => {
          const it = cases[Symbol.iterator]();
          return () => {
            const n = it.next();
            return n.done ? null : n.value;
          };
        })();
  await Promise.all(
    Array.from({ length: THREADS }, async () => {
      for (let c = next(); c !== null; c = next()) {
        const r = await pool.run({ id: tally.cases, bytes: c.bytes, name: c.name, mode: c.mode, chunks: c.chunks, options: c.options }, timeoutMs);
        tally.cases++;
        if (r.ms > tally.slowest.ms) tally.slowest = { id: c.id, ms: r.ms };
        const v = judge(c, r);
        if (check) v.problems.push(...check(c, r));
        if (VERBOSE) console.log(`${c.id} [${c.mode}, ${r.ms.toFixed(0)} ms] ${c.what.slice(0, 120)} → ${v.outcome.slice(0, 200)}`);
        if (r.kind === 'done') r.outcome.kind === 'profile' ? tally.profiles++ : tally.errors++;
        if (v.justified) tally.justified.set(v.justified, (tally.justified.get(v.justified) ?? 0) + 1);
        if (v.problems.length > 0) tally.failures.push({ c, verdict: v });
      }
    }),
  );
  return tally;
}

/** One entry per distinct problem (numbers blurred), with how often it came up and its first case. */
function report(t: Tally): string {
  const groups = new Map<string, Failure[]>();
  for (const f of t.failures) {
    // The problem and the message, numbers and file names blurred: one entry per bug, not per case.
    const blur = (x: string) => x.replace(/\d+(\.\d+)?(e[-+]?\d+)?/g, 'N').slice(0, 160);
    const message = f.verdict.outcome.replace(/^[^:]*: /, '');
    const key = `${f.verdict.problems.map((p) => blur(p.split(/[:\n]/)[0])).join(' / ')} // ${f.verdict.outcome.split(' ')[0]} ${blur(message)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: string[] = [];
  for (const [, fs] of groups) {
    const { c, verdict } = fs[0];
    out.push(
      [
        `${fs.length}× ${verdict.problems.join('\n   ')}`,
        `   e.g. FUZZ_SEED=${SEED} FUZZ_CASE=${c.id}${HAVE_CORPUS ? '' : ' (without the corpus)'}: ${c.source}, ${c.what}`,
        `   read as ${c.mode === 'stream' ? `parseStream(…, "${c.name}")` : `parse${c.mode}()`}${c.options ? ` with ${JSON.stringify(c.options)}` : ''}, ${c.bytes.length} bytes in chunks of ${c.chunks.join('/')}; came out: ${verdict.outcome}`,
      ].join('\n'),
    );
  }
  return out.join('\n');
}

function summary(label: string, t: Tally): string {
  const j = [...t.justified].map(([k, n]) => `${n}× /${k}/`).join(', ');
  return `${label}: ${t.cases} cases, ${t.profiles} profiles, ${t.errors} clear errors, ${t.failures.length} failures; slowest ${t.slowest.id} ${t.slowest.ms.toFixed(0)} ms${j ? `; far from the mutation but justified: ${j}` : ''}`;
}

beforeAll(async () => {
  sources = loadSources();
  pool = await FuzzPool.start(THREADS);
}, 60_000);

afterAll(async () => {
  await pool?.close();
});

describe('fuzzing the readers', () => {
  for (const kind of KINDS) {
    it(`${kind}: ${CASES} seeded mutations of every fixture${HAVE_CORPUS ? ' and corpus file' : ''}, through parseStream and the parser`, async () => {
      let index = 0;
      const only = ONLY?.startsWith(`${kind}:`) ? Number(ONLY.slice(kind.length + 1)) : ONLY ? -1 : null;
      const t = await runAll(() => {
        if (only === null) return index < CASES ? makeCase(kind, index++, sources) : null;
        if (only < 0 || index++ > 0) return null;
        // One case, reproduced: its bytes are left beside the system's temporary files to look at.
        const c = makeCase(kind, only, sources);
        const file = path.join(os.tmpdir(), `flamediff-fuzz-${kind}-${only}.bin`);
        writeFileSync(file, c.bytes);
        console.log(`${c.id}: ${c.source}, ${c.what}; the bytes are in ${file}`);
        return c;
      }, truncationIsReported);
      console.log(summary(kind, t));
      expect(report(t)).toBe('');
    }, 300_000);
  }

  const hostileCases = (list: Hostile[]): Case[] =>
    list.flatMap((h) => {
      const bytes = h.make();
      const modes: FuzzMode[] = h.direct || bytes.length <= 2 ** 20 ? ['stream', h.kind] : ['stream'];
      return modes.map((mode) => ({
        id: `hostile:${h.label} (${mode === 'stream' ? 'parseStream' : `parse${mode}`})`,
        source: h.label,
        kind: h.kind,
        bytes,
        name: 'hostile.txt',
        mode,
        chunks: mode === 'stream' ? [65536] : [1 << 20],
        what: h.label,
        lines: null,
        plain: true,
        options: h.options,
      }));
    });
  const hostileCheck = (c: Case, r: PoolResult): string[] => {
    const want = HOSTILE.find((h) => h.label === c.source)?.expect;
    if (!want || r.kind !== 'done') return [];
    const o = r.outcome;
    if (want.nodes !== undefined) {
      if (o.kind !== 'profile') return [`expected a profile of ${want.nodes} nodes`];
      return o.nodes >= want.nodes ? [] : [`expected at least ${want.nodes} nodes, got ${o.nodes}`];
    }
    if (want.error) {
      if (o.kind !== 'error' || !want.error.test(o.message)) return [`expected an error matching ${want.error}`];
      if (want.line !== undefined && o.line !== want.line) return [`expected the error at line ${want.line}`];
    }
    return [];
  };

  it.skipIf(ONLY)('hostile inputs: 10 MB lines, 100k-deep stacks and nesting, binary garbage, numbers past float64', async () => {
    const t = await runAll(hostileCases(HOSTILE.filter((h) => !h.knownBug)), hostileCheck, HOSTILE_TIMEOUT_MS);
    console.log(summary('hostile', t));
    expect(report(t)).toBe('');
  }, 300_000);

  // Bugs in files this suite may not change (see fuzz-hostile.ts): each fails until fixed; then make it a plain `it`.
  for (const h of HOSTILE.filter((x) => x.knownBug)) {
    it.skipIf(ONLY).fails(`known bug: ${h.label}: ${h.knownBug}`, async () => {
      const t = await runAll(hostileCases([h]), hostileCheck, HOSTILE_TIMEOUT_MS);
      expect(report(t)).toBe('');
    });
  }

  it.skipIf(ONLY)('pprof: every fixture cut at every field boundary and inside every varint, nested fields included', async () => {
    // Inside a top-level field, a cut is "looks cut short" at the cut; between two, the file is whole
    // protobuf again (protobuf has no end mark): a profile, or an error about a link the cut lost.
    const inside = new Map<string, boolean>();
    const cases = function* (): Generator<Case> {
      for (const s of sources) {
        if (!s.fields) continue;
        const points = new Set<number>();
        const topEnds = new Set(s.fields.filter((f) => f.parent === null).map((f) => f.end));
        for (const f of s.fields) {
          for (const p of [f.start, f.afterTag, f.valueStart, f.end]) points.add(p);
          // The middle of the tag, of the length, and of a varint value, when they take more than a byte.
          if (f.afterTag - f.start > 1) points.add(f.start + 1);
          if (f.valueStart - f.afterTag > 1) points.add(f.afterTag + 1);
          if (f.wire === 0 && f.end - f.valueStart > 1) points.add(f.valueStart + ((f.end - f.valueStart) >> 1));
        }
        for (const p of [...points].sort((x, y) => x - y)) {
          if (p >= s.bytes.length) continue;
          const id = `pprof-cuts:${s.label}@${p}`;
          inside.set(id, p > 0 && !topEnds.has(p));
          const bytes = s.bytes.slice(0, p);
          yield { id, source: s.label, kind: 'pprof', bytes, name: 'cut.pb', mode: 'pprof', chunks: [65536], what: `cut at byte ${p} of ${s.bytes.length}`, lines: null, plain: true, firstChange: p, parsed: bytes, near: [p, p] };
        }
      }
    };
    const t = await runAll(cases(), (c, r) => {
      if (r.kind !== 'done') return [];
      const cutShort = r.outcome.kind === 'error' && /looks cut short/.test(r.outcome.message);
      if (inside.get(c.id)) return cutShort ? [] : ['a file cut inside a field did not say it looks cut short'];
      return cutShort ? ['a file cut between two fields said it looks cut short'] : [];
    });
    console.log(summary('pprof cuts', t));
    expect(report(t)).toBe('');
  }, 300_000);

  it.skipIf(ONLY)('the wrong format behind the right extension: every file under every name loads as what it is', async () => {
    const cases: Case[] = [];
    for (const s of sources) {
      const bytes = s.utf16 ? utf16(s.bytes, s.utf16) : s.bytes;
      for (const name of NAMES) {
        cases.push({ id: `names:${s.label} as ${name}`, source: s.label, kind: s.kind, bytes, name, mode: 'stream', chunks: [65536], what: `unchanged, named ${name}`, lines: null, plain: !s.utf16 });
      }
      // And gzipped, under the name of another format.
      cases.push({ id: `names:${s.label} gzipped`, source: s.label, kind: s.kind, bytes: new Uint8Array(gzipSync(bytes)), name: 'x.cpuprofile', mode: 'stream', chunks: [4096], what: 'unchanged, gzipped', lines: null, plain: false });
    }
    // Detection ignores the name: a file loads as its own format under every name (an empty one fails the same way under each).
    const t = await runAll(cases, (c, r) => {
      if (r.kind !== 'done') return [];
      const o = r.outcome;
      if (o.kind === 'profile') return o.format !== c.kind ? [`loaded as ${o.format}`] : o.incomplete > 0 ? ['an unchanged file said it looks truncated'] : [];
      // "the file is empty", or with how it came (gzip of nothing, a UTF-16 byte-order mark alone).
      return o.message.startsWith('the file is empty') ? [] : [`did not load: ${o.message.slice(0, 200)}`];
    });
    console.log(summary('names', t));
    expect(report(t)).toBe('');
  }, 300_000);
});
