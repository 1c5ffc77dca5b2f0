// Line splitting over a stream of byte chunks, without ever building one big
// string: a 1 GB profile must not need a 1 GB string (V8 strings stop near 512 MB).
import { joinedBytes } from '../../src/model/typed-arrays';

export type ByteChunks = AsyncIterable<Uint8Array>;

/** Called once per line; [start, end) excludes the line break (LF or CRLF). `line` is 1-based. */
export type LineHandler = (buf: Uint8Array, start: number, end: number, line: number, byteOffset: number) => void;

const LF = 10;
const CR = 13;

/** Feeds every line of `chunks` to `onLine`; `onProgress` gets the bytes consumed so far. */
export async function forEachLine(
  chunks: ByteChunks,
  onLine: LineHandler,
  onProgress?: (bytes: number) => void,
): Promise<number> {
  const lines = new LineSplitter();
  for await (const chunk of chunks) {
    lines.push(chunk);
    while (lines.next()) onLine(lines.buf, lines.start, lines.end, lines.line, lines.byteOffset);
    onProgress?.(lines.consumed);
  }
  lines.close();
  while (lines.next()) onLine(lines.buf, lines.start, lines.end, lines.line, lines.byteOffset);
  return lines.line;
}

const NO_BYTES = new Uint8Array(0);

/**
 * Lines pulled one at a time, for parsers whose per-line work is small enough that a
 * callback per line shows in a profile:
 *
 *     for await (const chunk of chunks) { lines.push(chunk); while (lines.next()) use(lines) }
 *     lines.close(); while (lines.next()) use(lines)
 *
 * The current line is buf[start, end), without its line break (LF or CRLF). It is a view
 * into the pushed chunk, or into a carry buffer when a chunk boundary cuts it (`carried`);
 * the carry buffer is reused for the next cut line, the chunks are not (a stream's reader
 * owns each chunk it is given), so a line in a chunk stays readable after `next()`.
 */
export class LineSplitter {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new LineSplitter();

  buf: Uint8Array = NO_BYTES;
  /** A DataView over `buf`'s bytes, at the same indices: for reading four bytes at once. */
  view: DataView = new DataView(NO_BYTES.buffer);
  start = 0;
  end = 0;
  /** 1-based number of the current line. */
  line = 0;
  /** Offset of the current line's first byte in the stream. */
  byteOffset = 0;
  /** The current line is in the carry buffer, which the next cut line overwrites. */
  carried = false;

  /** The chunk pushed last, and a DataView of it. */
  chunk: Uint8Array = NO_BYTES;
  chunkView: DataView = this.view;
  private chunkOffset = 0; // stream offset of chunk[0]
  private pos = 0; // next unread index in chunk
  private closed = false;
  private carry = new Uint8Array(256);
  private carryView = new DataView(this.carry.buffer);
  private carryLen = 0;
  private carryOffset = 0; // stream offset of carry[0]

  /** Bytes pushed so far. */
  get consumed(): number {
    return this.chunkOffset + this.chunk.length;
  }

  /** The next chunk; call once `next()` has returned false for the previous one. */
  push(chunk: Uint8Array): void {
    this.chunkOffset += this.chunk.length;
    this.chunk = chunk;
    this.chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pos = 0;
  }

  /** No more chunks: the text after the last line break becomes the last line. */
  close(): void {
    this.closed = true;
  }

  /** Where in `chunk` the next line starts, when it starts there (no cut line pending); else -1. */
  get nextStart(): number {
    return this.carryLen === 0 && this.pos < this.chunk.length ? this.pos : -1;
  }

  /**
   * Moves to the next complete line; false when the pushed bytes hold no more. A parser that
   * has looked at the coming line (from `nextStart`) may say how many of its first bytes it
   * knows to hold no line break, and they are not searched again.
   */
  next(noBreakIn = 0): boolean {
    const chunk = this.chunk;
    const pos = this.pos;
    const nl = chunk.indexOf(LF, this.carryLen === 0 ? pos + noBreakIn : pos);
    if (nl < 0) {
      if (pos < chunk.length) {
        if (this.carryLen === 0) this.carryOffset = this.chunkOffset + pos;
        this.append(pos, chunk.length);
        this.pos = chunk.length;
      }
      return this.closed && this.carryLen > 0 && this.takeCarry();
    }
    this.pos = nl + 1;
    if (this.carryLen > 0) {
      this.append(pos, nl);
      return this.takeCarry();
    }
    this.buf = chunk;
    this.view = this.chunkView;
    this.start = pos;
    this.end = nl > pos && chunk[nl - 1] === CR ? nl - 1 : nl;
    this.byteOffset = this.chunkOffset + pos;
    this.carried = false;
    this.line++;
    return true;
  }

  private takeCarry(): boolean {
    const n = this.carryLen;
    this.buf = this.carry;
    this.view = this.carryView;
    this.start = 0;
    this.end = n > 0 && this.carry[n - 1] === CR ? n - 1 : n;
    this.byteOffset = this.carryOffset;
    this.carried = true;
    this.carryLen = 0;
    this.line++;
    return true;
  }

  private append(start: number, end: number): void {
    const need = this.carryLen + (end - start);
    if (need > this.carry.length) {
      const bigger = new Uint8Array(Math.max(need, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
      this.carryView = new DataView(bigger.buffer);
    }
    this.carry.set(this.chunk.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }
}

/** One Uint8Array as a stream of chunks, for tests and for bytes already in memory. */
export async function* chunksOf(bytes: Uint8Array, chunkSize = 1 << 20): ByteChunks {
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
}

/** A ReadableStream of bytes as an async iterable (Chromium lacks ReadableStream[Symbol.asyncIterator] before 124, Safari still). */
export async function* chunksOfStream(stream: ReadableStream<Uint8Array>): ByteChunks {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.length) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** All chunks joined into one buffer (for JSON formats, which need the whole text). */
/**
 * Every chunk in one array. With the size known beforehand (`expected`: a File's size, a
 * Content-Length, when nothing inflates the bytes) the array is made once and filled, so the
 * file is never held twice; otherwise the chunks are kept and joined at the end.
 */
export async function readAll(chunks: ByteChunks, onProgress?: (bytes: number) => void, expected?: number): Promise<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return new Uint8Array(0);
  const second = await it.next();
  // A single chunk is the whole already (a Blob read in one, parseStream's `whole`): taken as it is, not copied.
  if (second.done) {
    onProgress?.(first.value.length);
    return first.value;
  }
  chunks = (async function* () {
    yield first.value;
    yield second.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  if (expected !== undefined && expected > 0) {
    let out = new Uint8Array(expected);
    let total = 0;
    for await (const c of chunks) {
      if (total + c.length > out.length) {
        const bigger = new Uint8Array(Math.max(out.length * 2, total + c.length));
        bigger.set(out.subarray(0, total));
        out = bigger;
      }
      out.set(c, total);
      total += c.length;
      onProgress?.(total);
    }
    return total === out.length ? out : out.subarray(0, total);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    parts.push(c);
    total += c.length;
    onProgress?.(total);
  }
  return joinedBytes(parts);
}

const utf8 = new TextDecoder('utf-8');
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  // TextDecoder's per-call cost dominates very short names: join those from char codes. Only
  // below 13 characters, where V8 joins strings by copying; longer joins make ropes, which the
  // first hash or comparison of the string (Map keys, the sort by name) must flatten again.
  if (end - start <= 12) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}
