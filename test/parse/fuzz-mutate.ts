// Seeded mutations for the fuzz suite (fuzz.test.ts). Every mutation says which lines
// of the mutated file it touched, so a line-oriented parser's error can be held to
// them; a mutation that cannot say (whole-file rewrites) gives null.

import { mulberry32 } from '../prng.mjs';

/** Uniform in [0, 1). */
export type Rng = () => number;

/** The shared seeded PRNG (test/prng.mjs). */
export const rngOf: (seed: number) => Rng = mulberry32;

/** A seed from parts (FNV-1a over their text): case k of a suite gets the same seed whatever ran before it. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const c of parts.join('\u0000')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, a: readonly T[]): T => a[int(rng, a.length)];

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, for the failure report. */
  what: string;
  /** Lines of the mutated file the mutation touched (1-based, inclusive ranges), or null when no line can be named. */
  lines: [number, number][] | null;
  /** Binary (pprof): the bytes of the mutated file an error must stand within, when the mutation can say (inclusive). */
  near?: [number, number];
}

const LF = 10;
const enc = new TextEncoder();
/** One character per byte, so regex indices are byte offsets. */
const latin1 = new TextDecoder('latin1');

/** 1-based line of byte `pos` (a line break belongs to the line it ends). */
export function lineOf(bytes: Uint8Array, pos: number): number {
  let line = 1;
  const end = Math.min(pos, bytes.length);
  for (let i = bytes.indexOf(LF); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) line++;
  return line;
}

/** Start offset of every line; a final line break does not start an empty line. */
export function lineStarts(bytes: Uint8Array): number[] {
  const out = bytes.length > 0 ? [0] : [];
  for (let i = bytes.indexOf(LF); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(LF, i + 1)) out.push(i + 1);
  return out;
}

/** Line k (0-based) with its line break, as [start, end). */
function lineRange(bytes: Uint8Array, starts: number[], k: number): [number, number] {
  return [starts[k], k + 1 < starts.length ? starts[k + 1] : bytes.length];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

/** As concat, for any number of parts (a spread of 100k lines would overflow the stack). */
function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function randomBytes(rng: Rng, n: number, printable = false): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = printable ? 32 + int(rng, 95) : int(rng, 256);
  return out;
}

/** Numbers a parser should refuse or survive: huge, negative, not finite, not numbers at all. */
export const HOSTILE_NUMBERS: readonly string[] = [
  '0',
  '-0',
  '-1',
  '-123456789',
  '1e308',
  '1.7976931348623157e308',
  '1e309',
  '-1e309',
  '1e999',
  '99999999999999999999999',
  '9'.repeat(400),
  '9007199254740993',
  '4294967296',
  '2147483648',
  '-2147483649',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x7fffffffffffffff',
  '0.5',
  '1e-320',
  '',
  '+',
  '-',
  '.',
  '1.2.3',
  '0x',
  '1e',
  '0000000000000000000001',
];

const NUMBER = /[-+]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

export type Mutator = (src: Uint8Array, rng: Rng, starts: number[]) => Mutant;

/** Keeps the first p bytes: a file cut anywhere, as a broken download leaves it. */
export const truncate: Mutator = (src, rng) => {
  const p = int(rng, src.length + 1);
  const bytes = src.slice(0, p);
  const last = p === 0 ? 1 : lineOf(bytes, p - 1);
  return { bytes, what: `truncated to ${p} of ${src.length} bytes`, lines: [[last, last]] };
};

/** 1–4 bytes within a few bytes of each other set to random values. */
export const flipBytes: Mutator = (src, rng) => {
  if (src.length === 0) return truncate(src, rng, []);
  const bytes = src.slice();
  const at = int(rng, src.length);
  let lo = at;
  let hi = at;
  const n = 1 + int(rng, 4);
  const done: string[] = [];
  for (let k = 0; k < n; k++) {
    const p = Math.min(src.length - 1, Math.max(0, at + int(rng, 17) - 8));
    const v = rng() < 0.5 ? bytes[p] ^ (1 << int(rng, 8)) : int(rng, 256);
    done.push(`${p}:${bytes[p]}→${v}`);
    bytes[p] = v;
    lo = Math.min(lo, p);
    hi = Math.max(hi, p);
  }
  return { bytes, what: `bytes changed (${done.join(', ')})`, lines: [[lineOf(bytes, lo), lineOf(bytes, hi)]] };
};

export const insertGarbage: Mutator = (src, rng) => {
  const p = int(rng, src.length + 1);
  const g = randomBytes(rng, 1 + int(rng, 64), rng() < 0.3);
  const bytes = concat(src.subarray(0, p), g, src.subarray(p));
  return { bytes, what: `${g.length} random bytes inserted at byte ${p}`, lines: [[lineOf(bytes, p), lineOf(bytes, p + g.length)]] };
};

export const deleteBytes: Mutator = (src, rng) => {
  const p = int(rng, src.length + 1);
  const n = Math.min(src.length - p, 1 + int(rng, 256));
  const bytes = concat(src.subarray(0, p), src.subarray(p + n));
  const l = lineOf(bytes, p);
  return { bytes, what: `${n} bytes deleted at byte ${p}`, lines: [[l, l]] };
};

const duplicateBytes: Mutator = (src, rng) => {
  const a = int(rng, src.length + 1);
  const n = Math.min(src.length - a, 1 + int(rng, 512));
  const at = int(rng, src.length + 1);
  const bytes = concat(src.subarray(0, at), src.subarray(a, a + n), src.subarray(at));
  return { bytes, what: `bytes ${a}..${a + n} copied to byte ${at}`, lines: [[lineOf(bytes, at), lineOf(bytes, at + n)]] };
};

export const appendGarbage: Mutator = (src, rng) => {
  const g = randomBytes(rng, 1 + int(rng, 256), rng() < 0.5);
  const bytes = concat(src, g);
  return { bytes, what: `${g.length} random bytes appended`, lines: [[lineOf(bytes, src.length), lineOf(bytes, bytes.length)]] };
};

/** Line-level mutations need lines; with fewer than 2 a byte mutation stands in. */
export const dropLines: Mutator = (src, rng, starts) => {
  if (starts.length < 2) return flipBytes(src, rng, starts);
  const k = int(rng, starts.length);
  const n = Math.min(starts.length - k, 1 + (rng() < 0.8 ? 0 : int(rng, 3)));
  const [a] = lineRange(src, starts, k);
  const [, b] = lineRange(src, starts, k + n - 1);
  const bytes = concat(src.subarray(0, a), src.subarray(b));
  return { bytes, what: `line ${k + 1}${n > 1 ? `..${k + n}` : ''} dropped`, lines: [[k + 1, k + 1]] };
};

const duplicateLine: Mutator = (src, rng, starts) => {
  if (starts.length < 1) return insertGarbage(src, rng, starts);
  const k = int(rng, starts.length);
  const [a, b] = lineRange(src, starts, k);
  let line = src.subarray(a, b);
  if (line[line.length - 1] !== LF) line = concat(line, Uint8Array.of(LF));
  const times = 1 + (rng() < 0.8 ? 0 : int(rng, 3));
  const bytes = concat(src.subarray(0, b), ...Array.from({ length: times }, () => line), src.subarray(b));
  return { bytes, what: `line ${k + 1} duplicated ${times}×`, lines: [[k + 1, k + 1 + times]] };
};

const swapLines: Mutator = (src, rng, starts) => {
  if (starts.length < 2) return flipBytes(src, rng, starts);
  const i = int(rng, starts.length - 1);
  const j = rng() < 0.5 ? i + 1 : i + 1 + int(rng, starts.length - i - 1);
  const lines = linesOf(src, starts);
  [lines[i], lines[j]] = [lines[j], lines[i]];
  return { bytes: concatAll(lines), what: `lines ${i + 1} and ${j + 1} swapped`, lines: [[i + 1, i + 1], [j + 1, j + 1]] };
};

const shuffleLines: Mutator = (src, rng, starts) => {
  if (starts.length < 3) return swapLines(src, rng, starts);
  const n = 2 + int(rng, Math.min(7, starts.length - 1));
  const k = int(rng, starts.length - n + 1);
  const lines = linesOf(src, starts);
  const window = lines.slice(k, k + n);
  for (let i = window.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    [window[i], window[j]] = [window[j], window[i]];
  }
  lines.splice(k, n, ...window);
  return { bytes: concatAll(lines), what: `lines ${k + 1}..${k + n} shuffled`, lines: [[k + 1, k + n]] };
};

/** Every line with a line break (the last one gets one, so a moved last line does not join the next). */
function linesOf(src: Uint8Array, starts: number[]): Uint8Array[] {
  return starts.map((_, k) => {
    const [a, b] = lineRange(src, starts, k);
    const l = src.subarray(a, b);
    return l[l.length - 1] === LF ? l : concat(l, Uint8Array.of(LF));
  });
}

/** A number on a random line (or anywhere, for JSON) replaced by a hostile one. */
export const hostileNumber: Mutator = (src, rng, starts) => {
  // Look for a line with a number, a few tries from a random line.
  for (let attempt = 0; attempt < 8 && starts.length > 0; attempt++) {
    const k = int(rng, starts.length);
    const [a, b] = lineRange(src, starts, k);
    // Long lines (one-line JSON): a window around a random point.
    const from = b - a > 4096 ? a + int(rng, b - a - 4096) : a;
    const to = Math.min(b, from + 4096);
    const text = latin1.decode(src.subarray(from, to));
    const found = [...text.matchAll(NUMBER)];
    if (found.length === 0) continue;
    const m = pick(rng, found);
    const s = from + m.index!;
    const e = s + m[0].length;
    const v = pick(rng, HOSTILE_NUMBERS);
    const bytes = concat(src.subarray(0, s), enc.encode(v), src.subarray(e));
    const l = lineOf(bytes, s);
    return { bytes, what: `number "${m[0]}" at byte ${s} (line ${l}) replaced by "${v.length > 20 ? `${v.slice(0, 8)}…(${v.length})` : v}"`, lines: [[l, l]] };
  }
  return flipBytes(src, rng, starts);
};

/** A line replaced by random bytes (printable or not). */
export const garbageLine: Mutator = (src, rng, starts) => {
  if (starts.length < 1) return insertGarbage(src, rng, starts);
  const k = int(rng, starts.length);
  const [a, b] = lineRange(src, starts, k);
  const g = randomBytes(rng, 1 + int(rng, 120), rng() < 0.5).map((c) => (c === LF ? 32 : c));
  const bytes = concat(src.subarray(0, a), g, Uint8Array.of(LF), src.subarray(b));
  return { bytes, what: `line ${k + 1} replaced by ${g.length} random bytes`, lines: [[k + 1, k + 1]] };
};

/** A line from another file of the same kind, inserted: names and ids from elsewhere. */
export function spliceLineFrom(other: Uint8Array): Mutator {
  return (src, rng, starts) => {
    const os = lineStarts(other);
    if (os.length === 0 || starts.length === 0) return insertGarbage(src, rng, starts);
    const [a, b] = lineRange(other, os, int(rng, os.length));
    let line = other.subarray(a, Math.min(b, a + 4096));
    if (line[line.length - 1] !== LF) line = concat(line, Uint8Array.of(LF));
    const k = int(rng, starts.length);
    const at = starts[k];
    return { bytes: concat(src.subarray(0, at), line, src.subarray(at)), what: `a line of another file inserted before line ${k + 1}`, lines: [[k + 1, k + 1]] };
  };
}

/** Line breaks rewritten (CRLF must read the same; a lone CR makes one long line). */
const lineBreaks: Mutator = (src, rng) => {
  const to = pick(rng, ['\r\n', '\r', '\n\n', '\r\r\n']);
  const out: number[] = [];
  const tb = [...to].map((c) => c.charCodeAt(0));
  for (const c of src) {
    if (c === LF) out.push(...tb);
    else out.push(c);
  }
  return { bytes: Uint8Array.from(out), what: `every LF rewritten as ${JSON.stringify(to)}`, lines: null };
};

const utf8Bom: Mutator = (src) => ({ bytes: concat(Uint8Array.of(0xef, 0xbb, 0xbf), src), what: 'UTF-8 byte-order mark prepended', lines: [[1, 1]] });

/** Byte and line mutations that fit any text format, with weights. */
export const TEXT_MUTATORS: readonly [Mutator, number][] = [
  [truncate, 12],
  [flipBytes, 14],
  [insertGarbage, 6],
  [deleteBytes, 6],
  [duplicateBytes, 4],
  [appendGarbage, 3],
  [dropLines, 10],
  [duplicateLine, 8],
  [swapLines, 6],
  [shuffleLines, 5],
  [hostileNumber, 16],
  [garbageLine, 5],
  [lineBreaks, 2],
  [utf8Bom, 1],
];

export function weighted<T>(rng: Rng, options: readonly [T, number][]): T {
  let sum = 0;
  for (const [, w] of options) sum += w;
  let r = rng() * sum;
  for (const [v, w] of options) {
    r -= w;
    if (r < 0) return v;
  }
  return options[options.length - 1][0];
}

export function mutateText(src: Uint8Array, rng: Rng, extra: readonly [Mutator, number][] = []): Mutant {
  const m = weighted(rng, [...TEXT_MUTATORS, ...extra]);
  return m(src, rng, lineStarts(src));
}

/** Lines of `src` that match, 0-based. */
function matchingLines(src: Uint8Array, starts: number[], re: RegExp): number[] {
  const out: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    const [a, b] = lineRange(src, starts, k);
    if (re.test(latin1.decode(src.subarray(a, Math.min(b, a + 64))))) out.push(k);
  }
  return out;
}

/** Callgrind: the lines that declare what others use (events, names, calls) dropped or rewritten. */
export const CALLGRIND_MUTATORS: readonly [Mutator, number][] = [
  [
    // A declaration dropped: its users must fail where they are, or read on.
    (src, rng, starts) => {
      const ks = matchingLines(src, starts, /^(events:|positions:|fn=|cfn=|calls=|fl=|fi=|fe=|cfi=|cfl=|ob=|cob=|part:|event:)/);
      if (ks.length === 0) return dropLines(src, rng, starts);
      const k = pick(rng, ks);
      const [a, b] = lineRange(src, starts, k);
      return { bytes: concat(src.subarray(0, a), src.subarray(b)), what: `declaration line ${k + 1} dropped`, lines: [[k + 1, k + 1]] };
    },
    8,
  ],
  [
    // A compressed name id changed: (12) → (99999), (0), (4294967296)…
    (src, rng, starts) => {
      const ks = matchingLines(src, starts, /^(c?fn|c?fl|fi|fe|cfi|c?ob|jfi|jfn)=\(\d+\)/);
      if (ks.length === 0) return hostileNumber(src, rng, starts);
      const k = pick(rng, ks);
      const [a, b] = lineRange(src, starts, k);
      const text = latin1.decode(src.subarray(a, b));
      const id = pick(rng, ['0', '999999', '4294967296', '-1', '', '1e3', '99999999999999999999']);
      const line = text.replace(/\(\d+\)/, `(${id})`);
      const bytes = concat(src.subarray(0, a), enc.encode(line), src.subarray(b));
      return { bytes, what: `line ${k + 1}: name id replaced by (${id})`, lines: [[k + 1, k + 1]] };
    },
    6,
  ],
  [
    // A header line inserted mid-body: a new part, other events, other positions, a derived event.
    (src, rng, starts) => {
      const header = pick(rng, [
        'events: Ir Dr\n',
        'events:\n',
        'positions: instr line\n',
        'positions: bogus\n',
        'part: 2\n',
        'event: X = 2 Ir + Dr\n',
        'event: Y = Y + Y\n',
        'version: 9\n',
        'totals: -5\n',
        'fn=(1)\n',
        'calls=1 0\n',
        'cfn=(77777)\n',
        '0x10 0x20\n',
        '* * *\n',
        '+3 -4 5\n',
        '1 -99999999999999999999\n',
      ]);
      const k = int(rng, starts.length + 1);
      const at = k < starts.length ? starts[k] : src.length;
      const pre = at > 0 && src[at - 1] !== LF ? '\n' : '';
      const bytes = concat(src.subarray(0, at), enc.encode(pre + header), src.subarray(at));
      const l = lineOf(bytes, at + pre.length);
      return { bytes, what: `"${header.trim()}" inserted at line ${l}`, lines: [[l, l]] };
    },
    6,
  ],
];

// ---------------------------------------------------------------------------
// JSON (cpuprofile, Chrome traces): mutations of the parsed value, written back.

const HOLE = '"\u0000fuzz-number\u0000"';

/** Values to put where a profile expects something else; strings in HOLE_VALUES are pasted as raw JSON text. */
const HOLE_VALUES = ['1e999', '-1e999', '123456789012345678901234567890', '-0', '1e308', '-1e308', '4.9e-324'];
const JSON_VALUES: readonly (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 2 ** 53 + 2,
  () => 'x',
  () => '',
  () => [],
  () => ({}),
  () => [null],
  () => [1, 2, 3],
  () => ({ id: 1 }),
  () => HOLE,
];

type Path = (string | number)[];

/** A random walk into the value: a path of keys and indices, stopping at some depth. */
function randomPath(root: unknown, rng: Rng, prefer?: readonly string[]): Path {
  const path: Path = [];
  let v = root;
  for (let depth = 0; depth < 12; depth++) {
    if (v === null || typeof v !== 'object') break;
    if (depth > 0 && rng() < 0.25) break;
    let key: string | number;
    if (Array.isArray(v)) {
      if (v.length === 0) break;
      key = int(rng, v.length);
    } else {
      const keys = Object.keys(v);
      if (keys.length === 0) break;
      const preferred = depth === 0 && prefer ? keys.filter((k) => prefer.includes(k)) : [];
      key = preferred.length > 0 && rng() < 0.8 ? pick(rng, preferred) : pick(rng, keys);
    }
    path.push(key);
    v = (v as Record<string | number, unknown>)[key];
  }
  return path;
}

function at(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/**
 * One structural change to a parsed profile, written out as JSON; the value is put
 * back as it was, so one parse serves many cases.
 */
export function mutateJson(root: unknown, rng: Rng): Mutant {
  const path = randomPath(root, rng, ['nodes', 'samples', 'timeDeltas', 'startTime', 'endTime', 'traceEvents', 'head', 'timestamps', 'profile']);
  if (path.length === 0) return { bytes: enc.encode(JSON.stringify(pick(rng, JSON_VALUES)())), what: 'the whole value replaced', lines: null };
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = at(root, parentPath) as Record<string | number, unknown> | unknown[];
  const saved = Array.isArray(parent) ? parent.slice() : { ...parent };
  const where = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('') || '(root)';
  let what: string;
  let hole = '';
  const op = int(rng, 10);
  const value = (parent as Record<string | number, unknown>)[key];
  if (op < 4) {
    const v = pick(rng, JSON_VALUES)();
    if (v === HOLE) hole = pick(rng, HOLE_VALUES);
    (parent as Record<string | number, unknown>)[key] = v;
    what = `${where} = ${v === HOLE ? hole : JSON.stringify(v)}`;
  } else if (op < 6) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key];
    what = `${where} removed`;
  } else if (op < 7 && Array.isArray(parent)) {
    parent.splice(key as number, 0, value);
    what = `${where} duplicated`;
  } else if (op < 8 && Array.isArray(parent) && parent.length > 1) {
    const j = int(rng, parent.length);
    [parent[key as number], parent[j]] = [parent[j], parent[key as number]];
    what = `${where} swapped with [${j}]`;
  } else if (op < 9 && Array.isArray(value)) {
    value.reverse();
    what = `${where} reversed`;
    const bytes = enc.encode(JSON.stringify(root));
    value.reverse();
    return { bytes, what, lines: null };
  } else {
    // Another value of the same kind from elsewhere in the file: an id, a link, a time.
    // A copy: the value may be an ancestor of where it goes.
    const other: unknown = JSON.parse(JSON.stringify(at(root, randomPath(root, rng))) ?? 'null');
    (parent as Record<string | number, unknown>)[key] = other;
    what = `${where} = a value from elsewhere (${String(JSON.stringify(other)).slice(0, 40)})`;
  }
  let text = JSON.stringify(root);
  if (hole) text = text.replace(HOLE, hole);
  // Put the container back as it was.
  if (Array.isArray(parent)) {
    parent.length = 0;
    for (const x of saved as unknown[]) parent.push(x);
  } else {
    for (const k of Object.keys(parent)) delete (parent as Record<string, unknown>)[k];
    Object.assign(parent, saved);
  }
  return { bytes: enc.encode(text), what, lines: null };
}

/** The cpuprofile's own structure broken on purpose: id collisions, cycles, dangling links, mismatched lengths. */
export function mutateCpuprofileLinks(root: unknown, rng: Rng): Mutant | null {
  const obj = root as { nodes?: { id?: unknown; children?: unknown; parent?: unknown; hitCount?: unknown }[]; samples?: unknown[]; timeDeltas?: unknown[] };
  const nodes = obj?.nodes;
  if (!Array.isArray(nodes) || nodes.length < 2) return null;
  const copy = nodes.map((n) => (n && typeof n === 'object' ? { ...n, children: Array.isArray(n.children) ? n.children.slice() : n.children } : n));
  // A shallow copy with copied arrays: the cached value stays as it was.
  const out: Record<string, unknown> = { ...(obj as object), nodes: copy };
  const samples = Array.isArray(obj.samples) ? (out.samples = obj.samples.slice()) : undefined;
  const deltas = Array.isArray(obj.timeDeltas) ? (out.timeDeltas = obj.timeDeltas.slice()) : undefined;
  const i = int(rng, copy.length);
  const j = int(rng, copy.length);
  const ni = copy[i];
  const nj = copy[j];
  let what = '';
  switch (int(rng, 8)) {
    case 0:
      ni.id = nj.id;
      what = `nodes[${i}].id = nodes[${j}].id`;
      break;
    case 1:
      // A child link back up: a cycle when j is an ancestor of i.
      ni.children = [...(Array.isArray(ni.children) ? ni.children : []), nj.id];
      what = `nodes[${i}] lists nodes[${j}] as a child`;
      break;
    case 2:
      ni.parent = nj.id;
      what = `nodes[${i}].parent = nodes[${j}].id`;
      break;
    case 3:
      ni.children = [ni.id];
      what = `nodes[${i}] is its own child`;
      break;
    case 4:
      if (samples) samples[int(rng, samples.length)] = pick(rng, [-1, 1e9, null, 'x', 1.5, nj.id]);
      what = 'a sample names a strange node';
      break;
    case 5:
      if (deltas) deltas.length = Math.max(0, deltas.length - 1 - int(rng, 3));
      what = 'timeDeltas shortened';
      break;
    case 6:
      if (deltas) for (let k = 0; k < deltas.length; k++) deltas[k] = -Math.abs(Number(deltas[k]) || 1);
      what = 'every timeDelta negative';
      break;
    default:
      ni.hitCount = pick(rng, [1e308, -5, 1.5, 'x']);
      what = `nodes[${i}].hitCount set`;
      if (rng() < 0.5) {
        delete out.samples;
        delete out.timeDeltas;
        what += ', samples removed';
      }
  }
  return { bytes: enc.encode(JSON.stringify(out)), what, lines: null };
}

// ---------------------------------------------------------------------------
// Protobuf (pprof): mutations that know the wire format, so that a cut falls on a field
// boundary or inside a varint, and a length or a value is rewritten with every enclosing
// length fixed up (the damage is then the one meant, not a shifted frame).

/** Which length-delimited fields are messages, by field number, and what their fields are. */
export interface ProtoShape {
  [field: number]: ProtoShape;
}

/** profile.proto: value types, samples (with labels), mappings, locations (with lines), functions. */
export const PPROF_SHAPE: ProtoShape = { 1: {}, 2: { 3: {} }, 3: {}, 4: { 4: {} }, 5: {}, 11: {} };

export interface ProtoField {
  /** The tag's first byte. */
  start: number;
  /** The byte after the tag: a length prefix, or the value. */
  afterTag: number;
  /** The value's first byte (after the length prefix of a length-delimited field). */
  valueStart: number;
  end: number;
  field: number;
  wire: number;
  parent: ProtoField | null;
  /** Whether its value was read as a message (its fields follow it in the list). */
  message: boolean;
}

function varintAt(buf: Uint8Array, p: number, end: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && p < end; i++) {
    const b = buf[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: p };
    scale *= 128;
  }
  return null;
}

/** Every field of a well-formed message, depth first, nested messages (by `shape`) included. */
export function protoFields(buf: Uint8Array, shape: ProtoShape, start = 0, end = buf.length, parent: ProtoField | null = null, out: ProtoField[] = []): ProtoField[] {
  let p = start;
  while (p < end) {
    const t = varintAt(buf, p, end);
    if (!t) return out;
    const wire = t.value % 8;
    const field = Math.floor(t.value / 8);
    let valueStart = t.next;
    let e: number;
    if (wire === 0) {
      const v = varintAt(buf, t.next, end);
      if (!v) return out;
      e = v.next;
    } else if (wire === 2) {
      const n = varintAt(buf, t.next, end);
      if (!n || n.next + n.value > end) return out;
      valueStart = n.next;
      e = n.next + n.value;
    } else if (wire === 1 || wire === 5) e = t.next + (wire === 1 ? 8 : 4);
    else return out;
    if (e > end) return out;
    const f: ProtoField = { start: p, afterTag: t.next, valueStart, end: e, field, wire, parent, message: wire === 2 && shape[field] !== undefined };
    out.push(f);
    if (f.message) protoFields(buf, shape[field], valueStart, e, f, out);
    p = e;
  }
  return out;
}

export function encodeVarint(v: bigint): Uint8Array {
  let x = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return Uint8Array.from(out);
}

const topOf = (f: ProtoField): ProtoField => (f.parent ? topOf(f.parent) : f);

/**
 * buf with [a, b) replaced by `bytes`, inside field `inside` (null: at the top level), and the
 * length of every message around it rewritten to fit. Returns the bytes and where the
 * top-level field that holds the change now ends.
 */
function spliceProto(buf: Uint8Array, inside: ProtoField | null, a: number, b: number, bytes: Uint8Array): { bytes: Uint8Array; topEnd: number } {
  const edits: { at: number; to: number; bytes: Uint8Array }[] = [{ at: a, to: b, bytes }];
  let delta = bytes.length - (b - a);
  for (let f = inside; f; f = f.parent) {
    if (f.wire !== 2) continue;
    const len = encodeVarint(BigInt(f.end - f.valueStart + delta));
    edits.push({ at: f.afterTag, to: f.valueStart, bytes: len });
    delta += len.length - (f.valueStart - f.afterTag);
  }
  edits.sort((x, y) => x.at - y.at);
  const parts: Uint8Array[] = [];
  let p = 0;
  for (const e of edits) {
    parts.push(buf.subarray(p, e.at), e.bytes);
    p = e.to;
  }
  parts.push(buf.subarray(p));
  const top = inside ? topOf(inside) : null;
  return { bytes: concatAll(parts), topEnd: top ? top.end + delta : a + bytes.length };
}

/** Varints a reader should refuse or survive: 0, past int32, past 2^53, negative as int64, the largest uint64. */
const HOSTILE_VARINTS: readonly bigint[] = [0n, 1n, 127n, 128n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, -1n, -(2n ** 40n)];

type ProtoMutator = (src: Uint8Array, rng: Rng, fields: ProtoField[]) => Mutant;

const fieldWhere = (f: ProtoField) => {
  const path: number[] = [];
  for (let g: ProtoField | null = f; g; g = g.parent) path.unshift(g.field);
  return `field ${path.join('.')} at byte ${f.start}`;
};

/** Cut at a field boundary, inside a tag, a length or a varint value, or anywhere in a value. */
const cutAtField: ProtoMutator = (src, rng, fields) => {
  const f = pick(rng, fields);
  const points: [number, string][] = [
    [f.start, 'before its tag'],
    [f.afterTag, 'after its tag'],
    [f.valueStart, 'before its value'],
    [f.end, 'after it'],
  ];
  if (f.valueStart - f.afterTag > 1) points.push([f.afterTag + 1 + int(rng, f.valueStart - f.afterTag - 1), 'inside its length']);
  if (f.end - f.valueStart > 1) points.push([f.valueStart + 1 + int(rng, f.end - f.valueStart - 1), f.wire === 0 ? 'inside its varint' : 'inside its value']);
  if (f.afterTag - f.start > 1) points.push([f.start + 1, 'inside its tag']);
  const [p, how] = pick(rng, points);
  return { bytes: src.slice(0, p), what: `cut at byte ${p} of ${src.length}, ${how} (${fieldWhere(f)})`, lines: null, near: [topOf(f).start, p] };
};

/** 1–4 bytes close together changed; when no top-level tag or length is among them, the damage stays in its top-level field. */
const flipProto: ProtoMutator = (src, rng, fields) => {
  const m = flipBytes(src, rng, []);
  const changed: number[] = [];
  for (let i = 0; i < src.length; i++) if (m.bytes[i] !== src[i]) changed.push(i);
  if (changed.length === 0) return { ...m, lines: null };
  const tops = fields.filter((f) => f.parent === null && f.end > changed[0] && f.start <= changed[changed.length - 1]);
  const framingKept = tops.length > 0 && changed.every((i) => tops.some((t) => i >= t.valueStart && i < t.end));
  return { ...m, lines: null, near: framingKept ? [tops[0].start, tops[tops.length - 1].end] : undefined };
};

/** A length prefix made larger than what follows (by a byte, a few, or past any file). */
const lengthTooLong: ProtoMutator = (src, rng, fields) => {
  const lens = fields.filter((f) => f.wire === 2);
  if (lens.length === 0) return cutAtField(src, rng, fields);
  const f = pick(rng, lens);
  const n = BigInt(f.end - f.valueStart);
  const to = pick(rng, [n + 1n, n + 2n + BigInt(int(rng, 16)), n + 1000n, 2n ** 31n, 2n ** 32n + 5n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]);
  const bytes = concat(src.subarray(0, f.afterTag), encodeVarint(to), src.subarray(f.valueStart));
  return { bytes, what: `the length of ${fieldWhere(f)} made ${to} (was ${n})`, lines: null };
};

/** A length prefix made smaller: the rest of the value is read as fields of the message around it. */
const lengthTooShort: ProtoMutator = (src, rng, fields) => {
  const lens = fields.filter((f) => f.wire === 2 && f.end > f.valueStart);
  if (lens.length === 0) return cutAtField(src, rng, fields);
  const f = pick(rng, lens);
  const n = f.end - f.valueStart;
  const to = int(rng, n);
  const bytes = concat(src.subarray(0, f.afterTag), encodeVarint(BigInt(to)), src.subarray(f.valueStart));
  return { bytes, what: `the length of ${fieldWhere(f)} made ${to} (was ${n})`, lines: null };
};

/** An integer (an id, a string index, a value) replaced by a hostile one, every length around it fixed up. */
const varintReplaced: ProtoMutator = (src, rng, fields) => {
  const ints = fields.filter((f) => f.wire === 0);
  if (ints.length === 0) return flipProto(src, rng, fields);
  const f = pick(rng, ints);
  const v = rng() < 0.7 ? pick(rng, HOSTILE_VARINTS) : BigInt(int(rng, 5000));
  const { bytes, topEnd } = spliceProto(src, f.parent, f.valueStart, f.end, encodeVarint(v));
  return { bytes, what: `${fieldWhere(f)} set to ${BigInt.asIntN(64, v)}`, lines: null, near: [topOf(f).start, topEnd] };
};

/** A varint written in more bytes than it needs (valid protobuf), or in 11 (not). */
const overlongVarint: ProtoMutator = (src, rng, fields) => {
  const ints = fields.filter((f) => f.wire === 0);
  if (ints.length === 0) return flipProto(src, rng, fields);
  const f = pick(rng, ints);
  const v = varintAt(src, f.valueStart, f.end)!.value;
  const k = rng() < 0.5 ? 11 : 2 + int(rng, 8);
  const enc7 = encodeVarint(BigInt(v));
  const long = new Uint8Array(Math.max(k, enc7.length));
  long.set(enc7);
  for (let i = 0; i < long.length - 1; i++) long[i] |= 0x80;
  const { bytes, topEnd } = spliceProto(src, f.parent, f.valueStart, f.end, long);
  return { bytes, what: `${fieldWhere(f)} (${v}) written as a ${long.length}-byte varint`, lines: null, near: [topOf(f).start, topEnd] };
};

/** A field inside a message dropped (a location's id, a line's function, a sample's values…), lengths fixed up. */
const nestedDropped: ProtoMutator = (src, rng, fields) => {
  const inner = fields.filter((f) => f.parent !== null);
  if (inner.length === 0) return flipProto(src, rng, fields);
  const f = pick(rng, inner);
  const { bytes, topEnd } = spliceProto(src, f.parent, f.start, f.end, new Uint8Array(0));
  return { bytes, what: `${fieldWhere(f)} dropped`, lines: null, near: [topOf(f).start, topEnd] };
};

/** A field's wire type changed (same tag length): a known field with the wrong type is damage. */
const wireTypeChanged: ProtoMutator = (src, rng, fields) => {
  const f = pick(rng, fields);
  const bytes = src.slice();
  const w = pick(rng, [0, 1, 2, 3, 4, 5, 6, 7].filter((x) => x !== f.wire));
  bytes[f.start] = (bytes[f.start] & ~7) | w;
  return { bytes, what: `${fieldWhere(f)}: wire type ${f.wire} made ${w}`, lines: null };
};

const tops = (fields: ProtoField[]) => fields.filter((f) => f.parent === null);

/** A top-level field (a sample, a location, a string) dropped, duplicated, or moved. */
const topLevel: ProtoMutator = (src, rng, fields) => {
  const t = tops(fields);
  if (t.length === 0) return appendGarbage(src, rng, []);
  const f = pick(rng, t);
  const op = int(rng, 3);
  if (op === 0) return { bytes: concat(src.subarray(0, f.start), src.subarray(f.end)), what: `${fieldWhere(f)} dropped`, lines: null };
  if (op === 1) {
    const at = pick(rng, t).start;
    return { bytes: concat(src.subarray(0, at), src.subarray(f.start, f.end), src.subarray(at)), what: `${fieldWhere(f)} copied to byte ${at}`, lines: null };
  }
  const g = pick(rng, t);
  const [x, y] = f.start < g.start ? [f, g] : [g, f];
  if (x === y) return { bytes: src.slice(), what: 'unchanged', lines: null };
  const bytes = concat(src.subarray(0, x.start), src.subarray(y.start, y.end), src.subarray(x.end, y.start), src.subarray(x.start, x.end), src.subarray(y.end));
  return { bytes, what: `top-level fields at bytes ${x.start} and ${y.start} swapped`, lines: null };
};

/** Byte mutations for pprof (the file ungzipped), with weights. */
const PROTO_MUTATORS: readonly [ProtoMutator, number][] = [
  [cutAtField, 18],
  [flipProto, 14],
  [lengthTooLong, 10],
  [lengthTooShort, 3],
  [varintReplaced, 12],
  [overlongVarint, 3],
  [nestedDropped, 5],
  [wireTypeChanged, 3],
  [topLevel, 8],
  [(src, rng) => truncate(src, rng, []), 4],
  [(src, rng) => insertGarbage(src, rng, []), 2],
  [(src, rng) => deleteBytes(src, rng, []), 2],
  [(src, rng) => appendGarbage(src, rng, []), 2],
];

export function mutateProto(src: Uint8Array, fields: ProtoField[], rng: Rng): Mutant {
  const m = weighted(rng, PROTO_MUTATORS)(src, rng, fields);
  // Line numbers mean nothing in binary data.
  return { ...m, lines: null };
}

// ---------------------------------------------------------------------------
// speedscope: its own links broken (frame indices, weights, event order and nesting, units).

interface SpeedscopeLike {
  shared?: { frames?: unknown[] };
  profiles?: { type?: unknown; unit?: unknown; samples?: unknown[]; weights?: unknown[]; events?: { type?: unknown; frame?: unknown; at?: unknown }[]; endValue?: unknown }[];
  activeProfileIndex?: unknown;
}

export function mutateSpeedscopeLinks(root: unknown, rng: Rng): Mutant | null {
  const out = JSON.parse(JSON.stringify(root)) as SpeedscopeLike;
  const frames = out.shared?.frames;
  const profiles = out.profiles;
  if (!Array.isArray(frames) || !Array.isArray(profiles) || profiles.length === 0) return null;
  const pi = int(rng, profiles.length);
  const p = profiles[pi];
  if (!p || typeof p !== 'object') return null;
  const strange = () => pick(rng, [frames.length, frames.length + 1000, -1, 1.5, 'x', null, 2 ** 53]);
  let what: string;
  const events = Array.isArray(p.events) ? p.events : null;
  const samples = Array.isArray(p.samples) ? p.samples : null;
  switch (int(rng, 9)) {
    case 0:
      if (samples && samples.length > 0) {
        const s = int(rng, samples.length);
        const stack = samples[s];
        if (Array.isArray(stack) && stack.length > 0) stack[int(rng, stack.length)] = strange();
        else samples[s] = strange();
        what = `profiles[${pi}]: sample ${s} names a strange frame`;
      } else if (events && events.length > 0) {
        const e = int(rng, events.length);
        events[e].frame = strange();
        what = `profiles[${pi}].events[${e}].frame set`;
      } else return null;
      break;
    case 1:
      if (Array.isArray(p.weights) && p.weights.length > 0) {
        const w = int(rng, p.weights.length);
        const v = pick(rng, [-1, 1e308, 'x', null, -0]);
        p.weights[w] = v;
        what = `profiles[${pi}].weights[${w}] = ${JSON.stringify(v)}`;
      } else if (events && events.length > 0) {
        const e = int(rng, events.length);
        events[e].at = pick(rng, [-1, 1e308, 'x', null]);
        what = `profiles[${pi}].events[${e}].at set`;
      } else return null;
      break;
    case 2:
      if (Array.isArray(p.weights)) {
        p.weights.length = Math.max(0, p.weights.length - 1 - int(rng, 3));
        what = `profiles[${pi}].weights shortened`;
      } else if (events) {
        events.length = Math.max(0, events.length - 1 - int(rng, 5));
        what = `profiles[${pi}].events cut short (frames left open)`;
      } else return null;
      break;
    case 3:
      if (events && events.length > 1) {
        const i = int(rng, events.length);
        const j = int(rng, events.length);
        [events[i], events[j]] = [events[j], events[i]];
        what = `profiles[${pi}].events[${i}] and [${j}] swapped`;
      } else return null;
      break;
    case 4:
      if (events && events.length > 0) {
        const e = int(rng, events.length);
        const v = pick(rng, [events[e].type === 'O' ? 'C' : 'O', 'X', null]);
        events[e].type = v;
        what = `profiles[${pi}].events[${e}].type = ${JSON.stringify(v)}`;
      } else return null;
      break;
    case 5:
      if (events && events.length > 0) {
        const e = int(rng, events.length);
        events.splice(e, 1);
        what = `profiles[${pi}].events[${e}] removed`;
      } else return null;
      break;
    case 6: {
      const v = pick(rng, ['furlongs', 'none', 'bytes', null, 'seconds']);
      p.unit = v;
      what = `profiles[${pi}].unit = ${JSON.stringify(v)}`;
      break;
    }
    case 7: {
      const v = pick(rng, [p.type === 'sampled' ? 'evented' : 'sampled', 'other', null]);
      p.type = v;
      what = `profiles[${pi}].type = ${JSON.stringify(v)}`;
      break;
    }
    default: {
      const v = pick(rng, [profiles.length, -1, 0.5, 'x', 2 ** 31]);
      out.activeProfileIndex = v;
      what = `activeProfileIndex = ${JSON.stringify(v)}`;
    }
  }
  return { bytes: enc.encode(JSON.stringify(out)), what, lines: null };
}

// ---------------------------------------------------------------------------
// perf script: sample headers and frame lines rewritten.

/** Lines of `src` that match, 0-based, from a random start (perf files have thousands of lines; a few suffice). */
function someMatchingLines(src: Uint8Array, starts: number[], re: RegExp, rng: Rng, want = 8): number[] {
  const out: number[] = [];
  const from = int(rng, Math.max(1, starts.length));
  for (let n = 0; n < starts.length && out.length < want; n++) {
    const k = (from + n) % starts.length;
    const [a, b] = lineRange(src, starts, k);
    if (re.test(latin1.decode(src.subarray(a, Math.min(b, a + 256))))) out.push(k);
  }
  return out;
}

function rewriteLine(src: Uint8Array, starts: number[], k: number, f: (line: string) => string, label: string): Mutant {
  const [a, b] = lineRange(src, starts, k);
  const text = new TextDecoder().decode(src.subarray(a, b));
  const bytes = concat(src.subarray(0, a), enc.encode(f(text)), src.subarray(b));
  return { bytes, what: `line ${k + 1}: ${label}`, lines: [[k + 1, k + 1]] };
}

const PERF_HEADER = /^\S.*\s\d+(\/\d+)?\s+(\[\d+\]\s+)?\d+\.\d+:/;

export const PERF_SCRIPT_MUTATORS: readonly [Mutator, number][] = [
  [
    // A header's period, time, pid or event rewritten.
    (src, rng, starts) => {
      const ks = someMatchingLines(src, starts, PERF_HEADER, rng);
      if (ks.length === 0) return hostileNumber(src, rng, starts);
      const k = pick(rng, ks);
      const op = Math.max(0, int(rng, 7) - 2);
      if (op === 0) {
        // perf prints periods as digits: hostile ones are digits too, past float64 or near it, half the time.
        const v = rng() < 0.5 ? pick(rng, ['9'.repeat(309), '9'.repeat(400), `17${'9'.repeat(307)}`, '18446744073709551615', '0', '00000001']) : pick(rng, HOSTILE_NUMBERS);
        return rewriteLine(src, starts, k, (l) => l.replace(/(\d+\.\d+:\s+)\d+/, `$1${v}`), `period replaced by "${v.slice(0, 20)}"`);
      }
      if (op === 1) return rewriteLine(src, starts, k, (l) => l.replace(/(\d+\.\d+:\s+)\d+\s+/, '$1'), 'period removed');
      if (op === 2) {
        const e = pick(rng, ['cycles:', 'cpu-clock:u:', 'page-faults:', ':', 'x', 'cycles:ppp:']);
        return rewriteLine(src, starts, k, (l) => l.replace(/(\d+\.\d+:\s+(?:\d+\s+)?)\S+/, `$1${e}`), `event made "${e}"`);
      }
      if (op === 3) return rewriteLine(src, starts, k, (l) => l.replace(/\d+\.\d+:/, pick(rng, ['1e5:', '.5:', '12:', '1.2.3:', '99999999999999999999.1:'])), 'time mangled');
      return rewriteLine(src, starts, k, (l) => l.replace(/\s\d+(\/\d+)?\s/, pick(rng, [' ', ' x ', ' -1 ', ' 1/2/3 '])), 'pid mangled');
    },
    6,
  ],
  [
    // A frame line mangled: its tab, address, symbol offset or (dso) changed.
    (src, rng, starts) => {
      const ks = someMatchingLines(src, starts, /^\t/, rng);
      if (ks.length === 0) return garbageLine(src, rng, starts);
      const k = pick(rng, ks);
      const [label, f] = pick(rng, [
        ['tab made spaces', (l: string) => l.replace(/^\t/, '        ')],
        ['address removed', (l: string) => l.replace(/^(\t\s*)[0-9a-fA-F]+\s+/, '$1')],
        ['(dso) removed', (l: string) => l.replace(/\s*\([^()]*\)\s*$/, '\n')],
        ['(dso) unbalanced', (l: string) => l.replace(/\)\s*$/, '\n')],
        ['symbol emptied', (l: string) => l.replace(/^(\t\s*[0-9a-fA-F]+\s+)\S+/, '$1')],
        ['offset mangled', (l: string) => l.replace(/\+0x[0-9a-f]+/, pick(rng, ['+0x', '+', '+0xzz', '+0x' + 'f'.repeat(40)]))],
        ['a semicolon in the symbol', (l: string) => l.replace(/^(\t\s*[0-9a-fA-F]+\s+\S)/, '$1;x;')],
      ] as const);
      return rewriteLine(src, starts, k, f, label);
    },
    5,
  ],
  [
    // A blank line (the end of a sample) dropped or moved into a stack; a comment inserted.
    (src, rng, starts) => {
      const k = int(rng, Math.max(1, starts.length));
      const op = int(rng, 3);
      if (op === 0) {
        const blanks = someMatchingLines(src, starts, /^\s*$/, rng);
        if (blanks.length === 0) return dropLines(src, rng, starts);
        const b = pick(rng, blanks);
        const [x, y] = lineRange(src, starts, b);
        return { bytes: concat(src.subarray(0, x), src.subarray(y)), what: `blank line ${b + 1} dropped (two samples run together)`, lines: [[b + 1, b + 1]] };
      }
      const ins = op === 1 ? '\n' : pick(rng, ['# comment\n', '#\n', '# ========\n']);
      const at = k < starts.length ? starts[k] : src.length;
      const bytes = concat(src.subarray(0, at), enc.encode(ins), src.subarray(at));
      return { bytes, what: `${JSON.stringify(ins)} inserted before line ${k + 1}`, lines: [[k + 1, k + 1]] };
    },
    4,
  ],
];
