// Line splitting over a stream of byte chunks, without ever building one big
// string: a 1 GB profile must not need a 1 GB string (V8 strings stop near 512 MB).

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
  let carry: Uint8Array = new Uint8Array(0);
  let carryLen = 0;
  let line = 0;
  let consumed = 0;
  let carryOffset = 0;
  for await (const chunk of chunks) {
    let start = 0;
    const n = chunk.length;
    if (carryLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        ({ carry, carryLen } = append(carry, carryLen, chunk, 0, n));
        consumed += n;
        onProgress?.(consumed);
        continue;
      }
      ({ carry, carryLen } = append(carry, carryLen, chunk, 0, nl));
      let end = carryLen;
      if (end > 0 && carry[end - 1] === CR) end--;
      onLine(carry, 0, end, ++line, carryOffset);
      carryLen = 0;
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && chunk[end - 1] === CR) end--;
      onLine(chunk, start, end, ++line, consumed + start);
      start = nl + 1;
    }
    if (start < n) {
      carryOffset = consumed + start;
      ({ carry, carryLen } = append(carry, carryLen, chunk, start, n));
    }
    consumed += n;
    onProgress?.(consumed);
  }
  if (carryLen > 0) {
    let end = carryLen;
    if (carry[end - 1] === CR) end--;
    onLine(carry, 0, end, ++line, carryOffset);
  }
  return line;
}

function append(carry: Uint8Array, carryLen: number, src: Uint8Array, start: number, end: number): { carry: Uint8Array; carryLen: number } {
  const need = carryLen + (end - start);
  if (need > carry.length) {
    const bigger = new Uint8Array(Math.max(need, carry.length * 2, 256));
    bigger.set(carry.subarray(0, carryLen));
    carry = bigger;
  }
  carry.set(src.subarray(start, end), carryLen);
  return { carry, carryLen: need };
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
export async function readAll(chunks: ByteChunks, onProgress?: (bytes: number) => void): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    parts.push(c);
    total += c.length;
    onProgress?.(total);
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII names are the common case and TextDecoder's per-call cost dominates them.
  if (end - start < 64) {
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
