// Seeded mutations for the fuzz suite (fuzz.test.ts). Every mutation says which lines
// of the mutated file it touched, so a line-oriented parser's error can be held to
// them; a mutation that cannot say (whole-file rewrites) gives null.

/** Uniform in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and the same sequence on every machine for a seed. */
export function rngOf(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

type Mutator = (src: Uint8Array, rng: Rng, starts: number[]) => Mutant;

/** Keeps the first p bytes: a file cut anywhere, as a broken download leaves it. */
const truncate: Mutator = (src, rng) => {
  const p = int(rng, src.length + 1);
  const bytes = src.slice(0, p);
  const last = p === 0 ? 1 : lineOf(bytes, p - 1);
  return { bytes, what: `truncated to ${p} of ${src.length} bytes`, lines: [[last, last]] };
};

/** 1–4 bytes within a few bytes of each other set to random values. */
const flipBytes: Mutator = (src, rng) => {
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

const insertGarbage: Mutator = (src, rng) => {
  const p = int(rng, src.length + 1);
  const g = randomBytes(rng, 1 + int(rng, 64), rng() < 0.3);
  const bytes = concat(src.subarray(0, p), g, src.subarray(p));
  return { bytes, what: `${g.length} random bytes inserted at byte ${p}`, lines: [[lineOf(bytes, p), lineOf(bytes, p + g.length)]] };
};

const deleteBytes: Mutator = (src, rng) => {
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

const appendGarbage: Mutator = (src, rng) => {
  const g = randomBytes(rng, 1 + int(rng, 256), rng() < 0.5);
  const bytes = concat(src, g);
  return { bytes, what: `${g.length} random bytes appended`, lines: [[lineOf(bytes, src.length), lineOf(bytes, bytes.length)]] };
};

/** Line-level mutations need lines; with fewer than 2 a byte mutation stands in. */
const dropLines: Mutator = (src, rng, starts) => {
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
const hostileNumber: Mutator = (src, rng, starts) => {
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
const garbageLine: Mutator = (src, rng, starts) => {
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
