// Perf collapsed ("folded") stacks: one line per unique stack, `a;b;c 42`.
// Format as written by FlameGraph's stackcollapse-*.pl and inferno:
// https://github.com/brendangregg/FlameGraph#2-fold-stacks
// - the count follows the LAST run of whitespace (frames may contain spaces);
// - frames are separated by ';', but "; " stays inside a frame (Rust's `[T; _]`);
// - a line `stack base head` (FlameGraph's difffolded.pl) carries two counts:
//   such a file holds a whole base/head pair;
// - counts may be fractional; duplicate stacks are summed; a count that is a number but
//   negative or past a double is malformed (the tree builder rejects it, naming the line);
// - comments (`#`, `//`) and lines without a count are skipped and counted;
// - a last line without a count and without a line break after it is where a copy or a
//   download stopped: the profile says it looks truncated (it loads all the same).

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { ByteInterner, HASH_SEED, hashFinish, hashStep } from './byte-interner';
import { decodeUtf8, LineSplitter, type ByteChunks } from './lines';
import { grownInt32 } from '../../src/model/typed-arrays';

/** The least common weight of every count that reads as a sum of sample periods rather than a number of samples. */
const PERIOD_QUANTUM = 1000;

const SEMI = 59;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const SLASH = 47;

/** Folded text has no header; a line that ends in a count after a space is enough to claim it. */
export function sniffFolded(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('//'));
  if (lines.length === 0) return false;
  // The last line of a 4 KB window may be cut mid-way: judge by the complete ones.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  const good = complete.filter((l) => /\S\s+-?[0-9.]+(?:[eE][-+]?\d+)?(?:\s+-?[0-9.]+)?\s*$/.test(l)).length;
  return good > 0 && good >= complete.length / 2 && !text.trimStart().startsWith('{') && !text.trimStart().startsWith('[');
}

export interface FoldedResult {
  profile: Profile;
  /** Present when the file was FlameGraph's 3-column differential format. */
  head?: Profile;
}

export async function parseFolded(
  chunks: ByteChunks,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
): Promise<FoldedResult> {
  const reader = new FoldedReader();
  const lines = new LineSplitter();
  for await (const chunk of chunks) {
    lines.push(chunk);
    while (lines.next(reader.lookAhead(lines))) reader.line(lines);
    onProgress?.(lines.consumed);
  }
  lines.close();
  // After close, next() yields only the text after the last line break: a line nothing ended.
  while (lines.next()) reader.lastLine(lines);
  return reader.finish(name, options);
}

// Most of a folded file's cost is its bytes, so each is read as few times as possible. A perf
// file is sorted and most of a line repeats the line before it (in tsc's perf profile, 68 % of
// the bytes and 77 % of the frames): each line is first compared with the previous stack, eight
// bytes a step, before its end is searched for (the search then starts after the shared part),
// and the frames before the first difference keep their tree nodes without being read again.
// Each later frame is compared with the name that followed the previous frame's name last time;
// failing that, it is split off at its ';' four bytes a step, hashed on the way, and interned
// with that hash. A name is decoded to a string only the first time it is seen.
class FoldedReader {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new FoldedReader();

  private readonly base = new TreeBuilder(undefined, 'folded');
  private head: TreeBuilder | null = null;
  /** The line last skipped for lacking its count (or, in a differential file, one of its two). */
  private noCountLine = 0;
  private noCountOneOfTwo = false;
  private readonly interner = new ByteInterner();
  // Interned frame id -> FuncIndex in each builder.
  private readonly baseFuncOf: number[] = [];
  private readonly headFuncOf: number[] = [];
  private columns = 0; // 2 or 3 once the first valid line is seen
  // GCD of the integer counts: 1 for sample counts, the period for perf's cpu-clock nanoseconds
  // (1,001,001 per sample at -F 999); 0 once a fractional count shows there is no sample unit.
  private quantum = -1;

  // The previous stack: its bytes (the stack and the whitespace byte after it, which decides
  // whether a trailing ';' separates), and per frame, from the root: where the frame ends
  // (relative to the stack's start) and its node in each tree. A line only overwrites the
  // frames after those it shares with the previous one.
  private prevBuf: Uint8Array = new Uint8Array(0);
  private prevView: DataView = new DataView(this.prevBuf.buffer);
  private prevStart = 0;
  private prevLen = 0;
  private frames = 0;
  private ends = new Int32Array(256);
  private ids = new Int32Array(256);
  private baseNodes = new Int32Array(256);
  private headNodes = new Int32Array(256);
  // follower[id + 1] = 1 + the name that last followed name `id` in a stack (follower[0]: the
  // first frame of the last stack that had a new one); 0 = none yet.
  private follower = new Int32Array(1024);
  private frameHash = 0;
  // What lookAhead found: the coming line's start in aheadBuf, and its common prefix with the previous stack.
  private aheadBuf: Uint8Array | null = null;
  private aheadStart = -1;
  private ahead = 0;
  // A copy of the previous stack when it was in the line splitter's carry buffer, which
  // the next line cut by a chunk boundary overwrites.
  private own = new Uint8Array(256);
  private ownView = new DataView(this.own.buffer);

  /**
   * Compares the coming line with the previous stack before the line is even found: the
   * bytes they share hold no line break (the previous stack has none), so the search for
   * the line's end starts after them, and `stack` reuses the comparison.
   */
  lookAhead(lines: LineSplitter): number {
    const s = lines.nextStart;
    if (s < 0 || this.frames === 0) {
      this.aheadStart = -1;
      return 0;
    }
    const buf = lines.chunk;
    this.aheadBuf = buf;
    this.aheadStart = s;
    this.ahead = commonPrefix(buf, lines.chunkView, s, this.prevBuf, this.prevView, this.prevStart, Math.min(this.prevLen + 1, buf.length - s));
    return this.ahead;
  }

  line(lines: LineSplitter): void {
    const buf = lines.buf;
    const start = lines.start;
    const end = trimEnd(buf, start, lines.end);
    if (end === start) return;
    const c0 = buf[start];
    if (c0 === HASH || (c0 === SLASH && buf[start + 1] === SLASH)) {
      this.base.skip(lines.line, 'comment');
      return;
    }
    const last = lastToken(buf, start, end);
    const count = last < 0 ? NaN : parseCount(buf, last, end);
    // Only "not a number" is junk here (in the words e2e/hostile.spec.ts reads); a negative
    // or infinite count is the builder's to reject.
    if (count !== count) {
      this.noCount(lines.line, last < 0 ? 'no count after the stack' : 'the count is not a non-negative number');
      return;
    }
    let stackEnd = trimEnd(buf, start, last);
    let baseCount = count;
    let headCount = 0;
    // Once the file is known to have two columns, the token before the count is part of
    // the stack and needs no look (looking would walk back over a whole stack without spaces).
    if (this.columns !== 2) {
      const prev = lastToken(buf, start, stackEnd);
      const prevCount = prev < 0 ? NaN : parseCount(buf, prev, stackEnd);
      const threeColumns = prevCount === prevCount && trimEnd(buf, start, prev) > start;
      if (this.columns === 0) {
        this.columns = threeColumns ? 3 : 2;
        if (this.columns === 3) this.head = new TreeBuilder(undefined, 'folded');
      }
      if (this.columns === 3) {
        if (!threeColumns) {
          this.noCount(lines.line, 'a differential file needs two counts on every line', true);
          return;
        }
        baseCount = prevCount;
        headCount = count;
        stackEnd = trimEnd(buf, start, prev);
      }
    }
    if (stackEnd === start) {
      this.base.skip(lines.line, 'empty stack');
      return;
    }
    const n = this.stack(buf, lines.view, start, stackEnd);
    if (lines.carried) this.keepOwnCopy();
    this.base.addSelf(this.baseNodes[n - 1], baseCount, lines.line);
    if (this.head) this.head.addSelf(this.headNodes[n - 1], headCount, lines.line);
    if (this.quantum !== 0) this.quantum = foldGcd(foldGcd(this.quantum, baseCount), headCount);
  }

  private noCount(line: number, why: string, oneOfTwo = false): void {
    this.noCountLine = line;
    this.noCountOneOfTwo = oneOfTwo;
    this.base.skip(line, why);
  }

  /** The file's last line, with no line break after it: when it lacks its count, the file was cut in it. */
  lastLine(lines: LineSplitter): void {
    this.line(lines);
    if (this.noCountLine !== lines.line) return;
    const text = decodeUtf8(lines.buf, lines.start, Math.min(lines.end, lines.start + 80));
    const preview = lines.end - lines.start > 80 ? `${text}…` : text;
    const lacks = this.noCountOneOfTwo ? 'one count instead of two' : 'no count';
    this.base.incomplete(
      `looks truncated: its last line (line ${lines.line.toLocaleString('en-US')}) ends with ${lacks} and no line break, as where a copy or a download stopped mid-line: "${preview}"`,
    );
  }

  /**
   * Walks the stack buf[start, end) into the trees and makes it the previous stack;
   * returns its frame count (its leaf nodes are baseNodes/headNodes[count - 1]).
   * Frames are split at every ';' that is not followed by a space; empty frames count.
   */
  private stack(buf: Uint8Array, view: DataView, start: number, end: number): number {
    const len = end - start;
    const ends = this.ends;
    let k = 0;
    if (this.frames > 0) {
      // d = the length of the common prefix of both stacks, each with the byte after it
      // (lookAhead compared further, or the line was cut by a chunk boundary and is new here).
      const cmpLen = Math.min(len, this.prevLen) + 1;
      const d =
        buf === this.aheadBuf && start === this.aheadStart
          ? Math.min(this.ahead, cmpLen)
          : commonPrefix(buf, view, start, this.prevBuf, this.prevView, this.prevStart, cmpLen);
      // A previous frame ending at e is the same frame here when this line has the same
      // boundaries up to e: bytes up to e + 1 decide them, so e + 1 < d settles it, and a
      // frame ending at d - 1 or d is checked against this line's own bytes.
      const frames = this.frames;
      while (k < frames && ends[k] + 1 < d) k++;
      if (k < frames) {
        const e = ends[k];
        const boundary = e === len || (e < len && buf[start + e] === SEMI && buf[start + e + 1] !== SPACE);
        // At e = d, a ';' at d - 1 followed by this line's byte d (not the space that
        // made it part of the previous frame) would end a frame here one byte earlier.
        if (e <= d && boundary && !(e === d && buf[start + d - 1] === SEMI)) k++;
      }
    }
    this.prevBuf = buf;
    this.prevView = view;
    this.prevStart = start;
    this.prevLen = len;
    const from = k === 0 ? 0 : ends[k - 1] + 1;
    this.frames = from > len ? k : this.split(buf, view, start, start + from, end, k);
    return this.frames;
  }

  /** Splits buf[from, end) into frames, numbered from `n`, interning each; returns the frame count. */
  private split(buf: Uint8Array, view: DataView, start: number, from: number, end: number, n: number): number {
    let fs = from;
    for (;;) {
      // Call sequences repeat: first try the name that followed the previous frame's name the
      // last time. A right guess costs one comparison of the bytes, instead of a pass that finds
      // the frame's end and hashes it, then a lookup that compares them anyway.
      const prev = n === 0 ? -1 : this.ids[n - 1];
      let id = this.follower[prev + 1] - 1;
      let fe = 0;
      if (id >= 0) {
        fe = fs + this.interner.lengthOf(id);
        const ends = fe === end || (fe < end && buf[fe] === SEMI && buf[fe + 1] !== SPACE);
        // A name ending in ';' (from a "…; " at the end of a stack) would split here.
        if (!ends || (fe > fs && buf[fe - 1] === SEMI) || !this.interner.sameAs(id, buf, fs)) id = -1;
      }
      if (id < 0) {
        fe = this.frameEnd(buf, view, fs, end);
        id = this.intern(buf, fs, fe, this.frameHash);
        this.follower[prev + 1] = id + 1;
      }
      this.frame(start, fe, id, n++);
      if (fe === end) return n;
      fs = fe + 1;
    }
  }

  /**
   * The end of the frame that starts at fs (the next ';' not followed by a space, or the stack's
   * end), reading four bytes a step; leaves the frame's hash (hashBytes) in frameHash.
   */
  private frameEnd(buf: Uint8Array, view: DataView, fs: number, end: number): number {
    let i = fs;
    let h = HASH_SEED;
    for (;;) {
      if (i + 4 > end) {
        // The last 0–3 bytes of the stack.
        while (i < end && !(buf[i] === SEMI && buf[i + 1] !== SPACE)) h = hashStep(h, buf[i++]);
        break;
      }
      const w = view.getInt32(i, true);
      // Is there a ';' (0x3b) among the four bytes? The classic has-a-zero-byte test on w ^ ';;;;'.
      const x = w ^ 0x3b3b3b3b;
      if ((((x - 0x01010101) | 0) & ~x & 0x80808080) !== 0) {
        let j = i;
        while (j < i + 4 && !(buf[j] === SEMI && buf[j + 1] !== SPACE)) j++;
        if (j < i + 4) {
          for (; i < j; i++) h = hashStep(h, buf[i]);
          break;
        }
        // Only "; " here, which stays inside the frame.
      }
      h = hashStep(h, w);
      i += 4;
    }
    this.frameHash = hashFinish(h, i - fs);
    return i;
  }

  /** The id of the name buf[fs, fe) with hash h, decoding it the first time it is seen. */
  private intern(buf: Uint8Array, fs: number, fe: number, h: number): number {
    const id = this.interner.internHashed(buf, fs, fe, h);
    if (id === this.baseFuncOf.length) {
      const name = decodeUtf8(buf, fs, fe);
      this.baseFuncOf.push(this.base.funcIndex(name));
      if (this.head) this.headFuncOf.push(this.head.funcIndex(name));
      if (id + 2 > this.follower.length) this.follower = grownInt32(this.follower);
    }
    return id;
  }

  /** Frame number n of the stack at `start` ends at fe and has name `id`. */
  private frame(start: number, fe: number, id: number, n: number): void {
    if (n === this.ends.length) {
      this.ends = grownInt32(this.ends);
      this.ids = grownInt32(this.ids);
      this.baseNodes = grownInt32(this.baseNodes);
      this.headNodes = grownInt32(this.headNodes);
    }
    this.ends[n] = fe - start;
    this.ids[n] = id;
    this.baseNodes[n] = this.base.child(n === 0 ? 0 : this.baseNodes[n - 1], this.baseFuncOf[id]);
    if (this.head) this.headNodes[n] = this.head.child(n === 0 ? 0 : this.headNodes[n - 1], this.headFuncOf[id]);
  }

  private keepOwnCopy(): void {
    const len = this.prevLen + 1;
    if (len > this.own.length) {
      this.own = new Uint8Array(Math.max(len, this.own.length * 2));
      this.ownView = new DataView(this.own.buffer);
    }
    this.own.set(this.prevBuf.subarray(this.prevStart, this.prevStart + len));
    this.prevBuf = this.own;
    this.prevView = this.ownView;
    this.prevStart = 0;
  }

  finish(name: string, options: ParseOptions): FoldedResult {
    const base = this.base;
    if (this.columns === 0 && base.warnings.skippedLines === 0) throw new ParseError('folded', 'the file is empty', { byte: 0 });
    if (this.columns === 0) {
      throw new ParseError('folded', `no line has the form "frame;frame;… count" (${base.warnings.skippedLines} lines skipped; ${base.warnings.examples[0]})`, {
        line: 1,
      });
    }
    // Counts that are all multiples of one large number are not numbers of samples but the sums of
    // their periods: perf's cpu-clock at -F 999 weighs each sample 1,001,001 ns, and "822,822,822
    // samples" would be false by that factor. perf calls these sums the event count.
    const unit = options.unit ?? (this.quantum >= PERIOD_QUANTUM ? 'events' : 'samples');
    const sampleWeight = this.quantum > 0 ? this.quantum : undefined;
    const profile = base.finish({ name, format: 'folded', unit, sampleWeight });
    if (!this.head) return { profile };
    return {
      profile: { ...profile, name: `${name} (base column)` },
      // One file's skipped lines are said once (with the base column), not once per column; a cut file is cut for both.
      head: { ...this.head.finish({ name: `${name} (head column)`, format: 'folded', unit, sampleWeight }), warnings: { skippedLines: 0, examples: [], incomplete: profile.warnings.incomplete } },
    };
  }
}

/** Length of the common prefix of a[as, as + max) and b[bs, bs + max); av and bv are DataViews of a and b. */
function commonPrefix(a: Uint8Array, av: DataView, as: number, b: Uint8Array, bv: DataView, bs: number, max: number): number {
  let d = 0;
  // Eight bytes a step, as two 32-bit words (the widest integer a DataView reads without a BigInt).
  while (d + 8 <= max && ((av.getInt32(as + d) ^ bv.getInt32(bs + d)) | (av.getInt32(as + d + 4) ^ bv.getInt32(bs + d + 4))) === 0) d += 8;
  while (d < max && a[as + d] === b[bs + d]) d++;
  return d;
}

/** Start of the last whitespace-separated token in [start, end), or -1 when there is no whitespace. */
function lastToken(buf: Uint8Array, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) {
    const c = buf[i];
    if (c === SPACE || c === TAB) return i + 1 < end ? i + 1 : -1;
  }
  return -1;
}

function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  return end;
}

/** Decimal count; integers without allocating, anything else through Number(). NaN when not a number. */
function parseCount(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  let i = start;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === end && end > start && end - start < 16) return v;
  const s = decodeUtf8(buf, start, end);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

/** Running GCD of integer counts; -1 = none seen yet, 0 = some count was not an integer. */
function foldGcd(g: number, v: number): number {
  if (v === 0 || g === 0) return g;
  if (!Number.isInteger(v) || v > Number.MAX_SAFE_INTEGER) return 0;
  if (g < 0) return v;
  if (v % g === 0) return g;
  let a = g;
  let b = v;
  while (b) [a, b] = [b, a % b];
  return a;
}

