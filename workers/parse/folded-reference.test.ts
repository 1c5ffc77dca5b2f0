// The folded parser against a plain reference: every line split and every frame decoded on
// its own, no sharing with the previous line, no guessing, no hashing. Random files over a
// small alphabet of the bytes that matter (';', ' ', tab, CR, digits, '#', a multi-byte and an
// invalid UTF-8 sequence), sorted and not, cut into chunks of every small size.
import { describe, expect, it } from 'vitest';
import { parseFolded } from './folded';
import { chunksOf } from './lines';
import type { Profile } from '../../src/model/profile';
import { rngOf } from '../../test/parse/fuzz-mutate';

const SEMI = 59;
const SPACE = 32;
const TAB = 9;

interface RefNode {
  self: number;
  children: Map<string, RefNode>;
}

interface RefResult {
  base: RefNode;
  head: RefNode | null;
  skipped: number;
  examples: string[];
  sampleWeight: number | undefined;
  /** The last line, when it lacks its count(s) and no line break ends it: the file looks cut there. */
  cutLine: number | null;
}

const decoder = new TextDecoder();
const isWs = (c: number) => c === SPACE || c === TAB;

function trimEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && isWs(b[e - 1])) e--;
  return e;
}

function lastToken(b: Uint8Array, s: number, e: number): number {
  for (let i = e - 1; i >= s; i--) if (isWs(b[i])) return i + 1 < e ? i + 1 : -1;
  return -1;
}

function count(b: Uint8Array, s: number, e: number): number {
  const t = decoder.decode(b.subarray(s, e));
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : NaN;
}

const isNumber = (c: number) => !Number.isNaN(c);

/** What the tree builder says of a weight: a negative or non-finite one, or a sum past a double, is an error. */
function checkWeight(sum: number, w: number): number {
  if (w < 0) throw new Error('a negative weight');
  if (!Number.isFinite(w)) throw new Error('a weight that is not a finite number');
  if (!Number.isFinite(sum + w)) throw new Error('the weights add up past the largest number a double holds');
  return sum + w;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The parser's rules, one line and one frame at a time. Throws what the parser throws, as a string. */
function reference(bytes: Uint8Array): RefResult {
  const base: RefNode = { self: 0, children: new Map() };
  let head: RefNode | null = null;
  let columns = 0;
  let skipped = 0;
  const examples: string[] = [];
  let cutLine: number | null = null;
  let unterminated = false;
  const skip = (line: number, why: string) => {
    skipped++;
    if (examples.length < 5) examples.push(`line ${line}: ${why}`);
    if (unterminated && why !== 'comment' && why !== 'empty stack') cutLine = line;
  };
  const counts: number[] = [];
  const sums = [0, 0];
  let lineNo = 0;
  for (let s = 0; s < bytes.length; ) {
    let nl = bytes.indexOf(10, s);
    unterminated = nl < 0;
    if (nl < 0) nl = bytes.length;
    let e = nl > s && bytes[nl - 1] === 13 ? nl - 1 : nl;
    const start = s;
    s = nl + 1;
    lineNo++;
    e = trimEnd(bytes, start, e);
    if (e === start) continue;
    if (bytes[start] === 35 || (bytes[start] === 47 && bytes[start + 1] === 47)) {
      skip(lineNo, 'comment');
      continue;
    }
    const lt = lastToken(bytes, start, e);
    const c = lt < 0 ? NaN : count(bytes, lt, e);
    if (!isNumber(c)) {
      skip(lineNo, lt < 0 ? 'no count after the stack' : 'the count is not a non-negative number');
      continue;
    }
    let stackEnd = trimEnd(bytes, start, lt);
    let baseCount = c;
    let headCount = 0;
    const pt = lastToken(bytes, start, stackEnd);
    const pc = pt < 0 ? NaN : count(bytes, pt, stackEnd);
    const three = isNumber(pc) && trimEnd(bytes, start, pt) > start;
    if (columns === 0) {
      columns = three ? 3 : 2;
      if (three) head = { self: 0, children: new Map() };
    }
    if (columns === 3) {
      if (!three) {
        skip(lineNo, 'a differential file needs two counts on every line');
        continue;
      }
      baseCount = pc;
      headCount = c;
      stackEnd = trimEnd(bytes, start, pt);
    }
    if (stackEnd === start) {
      skip(lineNo, 'empty stack');
      continue;
    }
    const frames: string[] = [];
    let fs = start;
    for (let i = start; i <= stackEnd; i++) {
      if (i === stackEnd || (bytes[i] === SEMI && bytes[i + 1] !== SPACE)) {
        frames.push(decoder.decode(bytes.subarray(fs, i)));
        fs = i + 1;
      }
    }
    for (const [k, tree, w] of [[0, base, baseCount], [1, head, headCount]] as const) {
      if (!tree) continue;
      sums[k] = checkWeight(sums[k], w);
      let node = tree;
      for (const f of frames) {
        let child = node.children.get(f);
        if (!child) node.children.set(f, (child = { self: 0, children: new Map() }));
        node = child;
      }
      node.self += w;
    }
    counts.push(baseCount, headCount);
  }
  if (columns === 0) throw new Error(skipped === 0 ? 'the file is empty' : 'no line has the form');
  let g = -1;
  for (const c of counts) {
    if (c === 0 || g === 0) continue;
    if (!Number.isInteger(c) || c > Number.MAX_SAFE_INTEGER) g = 0;
    else g = g < 0 ? c : gcd(g, c);
  }
  return { base, head, skipped, examples, sampleWeight: g > 0 ? g : undefined, cutLine };
}

/** Depth-first, children in name order (UTF-16 code units): `depth name self total` per line. */
function dumpRef(root: RefNode): string {
  const out: string[] = [];
  const total = (n: RefNode): number => {
    let t = n.self;
    for (const c of n.children.values()) t += total(c);
    return t;
  };
  const walk = (n: RefNode, depth: number) => {
    for (const name of [...n.children.keys()].sort()) {
      const c = n.children.get(name)!;
      out.push(`${depth} ${JSON.stringify(name)} ${c.self} ${total(c)}`);
      walk(c, depth + 1);
    }
  };
  walk(root, 1);
  return out.join('\n');
}

function dumpProfile(p: Profile): string {
  const t = p.tree;
  const out: string[] = [];
  for (let i = 1; i < t.func.length; i++) out.push(`${t.depth[i]} ${JSON.stringify(p.strings[p.funcName[t.func[i]]])} ${t.self[i]} ${t.total[i]}`);
  return out.join('\n');
}

const PIECES = ['a', 'b', 'ab', 'abcdefgh', 'abcdefghijklmnop', ';', ';', ';', '; ', ' ', '\t', 'é', '\xff', '#', '1', '[T; _]', ';;'];
const enc = new TextEncoder();

function randomFile(seed: number): Uint8Array {
  const r = rngOf(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const threeColumns = r() < 0.15;
  // Counts the builder refuses, in a few files only: one of them makes the whole file an error.
  const bad = r() < 0.1;
  const stacks: string[] = [];
  const n = 1 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    // Mostly stacks that extend or branch off an earlier one, as a real profile's do.
    let s = stacks.length && r() < 0.7 ? pick(stacks) : '';
    if (s && r() < 0.5) s = s.slice(0, Math.floor(r() * s.length));
    const extra = Math.floor(r() * 6);
    for (let k = 0; k < extra; k++) s += pick(PIECES);
    stacks.push(s);
  }
  if (r() < 0.6) stacks.sort();
  const lines = stacks.map((s) => {
    const ws = pick([' ', ' ', '  ', '\t', ' \t']);
    const c = () => pick(['1', '2', '3', '12', '0', '0.25', '1.5', '1e2', 'x', '', '1001001', '4004004', ...(bad ? ['-1', '1e999'] : [])]);
    let line = threeColumns ? `${s}${ws}${c()} ${c()}` : `${s}${ws}${c()}`;
    const u = r();
    if (u < 0.05) line = `# ${line}`;
    else if (u < 0.08) line = '';
    else if (u < 0.1) line = `${line} `;
    return line + (r() < 0.2 ? '\r\n' : '\n');
  });
  let text = lines.join('');
  if (r() < 0.3) text = text.replace(/\r?\n$/, '');
  // Bytes, not text: '\xff' must stay an invalid UTF-8 byte.
  const parts = text.split('\xff').map((p) => enc.encode(p));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0) + parts.length - 1);
  let o = 0;
  parts.forEach((p, i) => {
    if (i) out[o++] = 0xff;
    out.set(p, o);
    o += p.length;
  });
  return out;
}

async function parseBoth(bytes: Uint8Array, chunk: number) {
  let want: RefResult | string;
  try {
    want = reference(bytes);
  } catch (e) {
    want = (e as Error).message;
  }
  try {
    const got = await parseFolded(chunksOf(bytes, chunk), 'x');
    return { want, got };
  } catch (e) {
    return { want, got: (e as Error).message };
  }
}

describe('folded parser against the reference', () => {
  it('agrees on 400 random files, whatever the chunk size', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const bytes = randomFile(seed);
      for (const chunk of [1, 2, 3, 5, 8, 13, 1 << 16]) {
        const { want, got } = await parseBoth(bytes, chunk);
        const where = `seed ${seed}, chunk ${chunk}: ${JSON.stringify(decoder.decode(bytes))}`;
        if (typeof want === 'string' || typeof got === 'string') {
          expect(typeof got === 'string' ? got : 'parsed', where).toContain(typeof want === 'string' ? want : 'parsed');
          continue;
        }
        expect(dumpProfile(got.profile), where).toBe(dumpRef(want.base));
        expect(got.head ? dumpProfile(got.head) : null, where).toBe(want.head ? dumpRef(want.head) : null);
        const { incomplete, ...skips } = got.profile.warnings;
        expect(skips, where).toEqual({ skippedLines: want.skipped, examples: want.examples });
        expect(incomplete?.map((x) => Number(/last line \(line (\d+)\)/.exec(x)?.[1])) ?? [], where).toEqual(want.cutLine === null ? [] : [want.cutLine]);
        expect(got.profile.sampleWeight, where).toBe(want.sampleWeight);
      }
    }
  });

  it('agrees where lines share all, some or none of their bytes', async () => {
    const cases = [
      'a;b;c 1\na;b;c 2\n', // the same stack twice
      'a;b 1\na;b;c 1\na;b 1\n', // a stack that extends the previous one, then the shorter again
      'a;b 1\na;b0 1\na;b;c 1\n', // sorted, yet "a;b" comes back after "a;b0"
      'a; 1\na;\t1\n', // "a;" before a space is one frame, before a tab two
      'a;;b 1\na;;b 1\n;a 1\n;a 1\n',
      'x;abcdefgh;y 1\nx;abcdefgh;z 1\nx;abcdefghi;y 1\n',
      'a;b;c;d 1\nb;c;d 1\na;b;c;d 1\n', // the guess for a frame's follower, right and wrong
      'abc;[T; _];d 1\nabc;[T; _];e 1\nabc;[T; ];e 1\n',
    ];
    for (const text of cases) {
      const bytes = enc.encode(text);
      for (const chunk of [1, 2, 3, 4, 5, 6, 7, 100]) {
        const { want, got } = await parseBoth(bytes, chunk);
        if (typeof want === 'string' || typeof got === 'string') throw new Error(`${text}: ${String(want)} / ${String(got)}`);
        expect(dumpProfile(got.profile), `${JSON.stringify(text)} chunk ${chunk}`).toBe(dumpRef(want.base));
      }
    }
  });

  it('agrees on long lines cut by many chunk boundaries', async () => {
    const r = rngOf(7);
    const names = Array.from({ length: 50 }, (_, i) => `f${i}_${'x'.repeat(i % 17)}`);
    const stacks = Array.from({ length: 300 }, () => Array.from({ length: 20 + Math.floor(r() * 60) }, () => names[Math.floor(r() * 7) ** 2 % 50]).join(';'));
    stacks.sort();
    const bytes = enc.encode(stacks.map((s, i) => `${s} ${1 + (i % 5)}\n`).join(''));
    for (const chunk of [7, 61, 1000, 4096]) {
      const { want, got } = await parseBoth(bytes, chunk);
      if (typeof want === 'string' || typeof got === 'string') throw new Error(`${String(want)} / ${String(got)}`);
      expect(dumpProfile(got.profile)).toBe(dumpRef(want.base));
    }
  });
});
