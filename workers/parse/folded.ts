// Perf collapsed ("folded") stacks: one line per unique stack, `a;b;c 42`.
// Format as written by FlameGraph's stackcollapse-*.pl and inferno:
// https://github.com/brendangregg/FlameGraph#2-fold-stacks
// - the count follows the LAST run of whitespace (frames may contain spaces);
// - frames are separated by ';', but "; " stays inside a frame (Rust's `[T; _]`);
// - a line `stack base head` (FlameGraph's difffolded.pl) carries two counts:
//   such a file holds a whole base/head pair;
// - counts may be fractional; duplicate stacks are summed;
// - comments (`#`, `//`) and lines without a count are skipped and counted.

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { ByteInterner } from './byte-interner';
import { decodeUtf8, forEachLine, type ByteChunks } from './lines';

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
  const base = new TreeBuilder();
  let head: TreeBuilder | null = null;
  const interner = new ByteInterner();
  const baseFuncOf: number[] = [];
  const headFuncOf: number[] = [];
  let columns = 0; // 2 or 3 once the first valid line is seen
  // GCD of the integer counts: 1 for sample counts, the period for perf's cpu-clock nanoseconds
  // (1,001,001 per sample at -F 999); 0 once a fractional count shows there is no sample unit.
  let quantum = -1;

  // Nodes of the previous line's stack: sorted folded files share long prefixes.
  let prevIds = new Int32Array(256);
  let prevBase = new Int32Array(256);
  let prevHead = new Int32Array(256);
  let prevLen = 0;
  let ids = new Int32Array(256);

  const newName = (id: number, buf: Uint8Array, s: number, e: number) => {
    const frame = decodeUtf8(buf, s, e);
    baseFuncOf[id] = base.funcIndex(frame);
    if (head) headFuncOf[id] = head.funcIndex(frame);
  };

  await forEachLine(
    chunks,
    (buf, start, end, line) => {
      // Trim trailing whitespace.
      while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
      if (end === start) return;
      const c0 = buf[start];
      if (c0 === HASH || (c0 === SLASH && buf[start + 1] === SLASH)) {
        base.skip(line, 'comment');
        return;
      }
      const last = lastToken(buf, start, end);
      const count = last < 0 ? NaN : parseCount(buf, last, end);
      if (!(count >= 0) || !isFinite(count)) {
        base.skip(line, last < 0 ? 'no count after the stack' : 'the count is not a non-negative number');
        return;
      }
      let stackEnd = trimEnd(buf, start, last);
      let baseCount = count;
      let headCount = 0;
      const prev = lastToken(buf, start, stackEnd);
      const prevCount = prev < 0 ? NaN : parseCount(buf, prev, stackEnd);
      const threeColumns = prevCount >= 0 && isFinite(prevCount) && trimEnd(buf, start, prev) > start;
      if (columns === 0) {
        columns = threeColumns ? 3 : 2;
        if (columns === 3) head = new TreeBuilder();
      }
      if (columns === 3) {
        if (!threeColumns) {
          base.skip(line, 'a differential file needs two counts on every line');
          return;
        }
        baseCount = prevCount;
        headCount = count;
        stackEnd = trimEnd(buf, start, prev);
      }
      if (stackEnd === start) {
        base.skip(line, 'empty stack');
        return;
      }
      // Split into frames and intern each by its bytes.
      let n = 0;
      let fs = start;
      for (let i = start; i <= stackEnd; i++) {
        if (i === stackEnd || (buf[i] === SEMI && buf[i + 1] !== SPACE)) {
          if (n === ids.length) ids = grow(ids);
          ids[n++] = interner.intern(buf, fs, i, newName);
          fs = i + 1;
        }
      }
      // Reuse the previous line's nodes for the shared prefix.
      let shared = 0;
      while (shared < n && shared < prevLen && prevIds[shared] === ids[shared]) shared++;
      if (n > prevIds.length) {
        prevIds = grow(prevIds, n);
        prevBase = grow(prevBase, n);
        prevHead = grow(prevHead, n);
      }
      let bNode = shared === 0 ? 0 : prevBase[shared - 1];
      let hNode = shared === 0 ? 0 : prevHead[shared - 1];
      for (let i = shared; i < n; i++) {
        const id = ids[i];
        prevIds[i] = id;
        bNode = base.child(bNode, baseFuncOf[id]);
        prevBase[i] = bNode;
        if (head) {
          hNode = head.child(hNode, headFuncOf[id]);
          prevHead[i] = hNode;
        }
      }
      prevLen = n;
      if (quantum !== 0) quantum = foldGcd(foldGcd(quantum, baseCount), headCount);
      base.addSelf(bNode, baseCount);
      if (head) head.addSelf(hNode, headCount);
    },
    onProgress,
  );

  if (columns === 0 && base.warnings.skippedLines === 0) throw new ParseError('folded', 'the file is empty', { byte: 0 });
  if (columns === 0) {
    throw new ParseError('folded', `no line has the form "frame;frame;… count" (${base.warnings.skippedLines} lines skipped; ${base.warnings.examples[0]})`, {
      line: 1,
    });
  }
  const unit = options.unit ?? 'samples';
  const sampleWeight = quantum > 0 ? quantum : undefined;
  const profile = base.finish({ name, format: 'folded', unit, sampleWeight });
  if (!head) return { profile };
  const h: TreeBuilder = head;
  return {
    profile: { ...profile, name: `${name} (base column)` },
    head: { ...h.finish({ name: `${name} (head column)`, format: 'folded', unit, sampleWeight }), warnings: profile.warnings },
  };
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
  let a = g;
  let b = v;
  while (b) [a, b] = [b, a % b];
  return a;
}

function grow(a: Int32Array<ArrayBuffer>, min = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(a.length * 2, min));
  b.set(a);
  return b;
}
