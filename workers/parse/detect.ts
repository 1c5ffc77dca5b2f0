// From raw bytes to the right parser: gzip found by its magic bytes, UTF-16
// by its byte-order mark, the format by content, never by file name.
import { ParseError, type Format } from '../../src/model/profile';
import { chunksOfStream, type ByteChunks } from './lines';
import { sniffFolded } from './folded';
import { sniffSpeedscope } from './speedscope';
import { sniffPerfScript } from './perf-script';
import { sniffPprof } from './pprof';
import type { ByteSource } from './size-limits';
import { joinedBytes } from '../../src/model/typed-arrays';

const SNIFF_BYTES = 4096;
/**
 * Sniffers judge complete lines, and a real perf stack line can be longer than
 * SNIFF_BYTES (4.4 kB in the tsc profiles): past it, reading goes on to the first
 * line break, up to this bound.
 */
const SNIFF_MAX_BYTES = 1 << 20;

export interface Sniffers {
  callgrind?: (text: string) => boolean;
  cpuprofile?: (text: string) => boolean;
}

export interface OpenedBytes {
  /** The first bytes of the text (UTF-8), for detection. */
  head: Uint8Array;
  /** All of the text, the head included. */
  chunks: ByteChunks;
  gzip: boolean;
  utf16: ByteSource['utf16'];
  /** Compressed bytes handed to the decompressor so far (0 when not gzip). */
  compressedBytes: () => number;
  /** Stops reading the stream (its bytes are read another way); `chunks` is then not to be read. */
  cancel: () => Promise<void>;
}

/** A stream of the file's text as UTF-8 bytes, gunzipped and transcoded as needed. */
export async function openBytes(stream: ReadableStream<Uint8Array>): Promise<OpenedBytes> {
  let { head, rest } = await peek(stream);
  let gzip = false;
  let utf16: ByteSource['utf16'] = null;
  // Bytes handed to the decompressor so far: a damaged stream is reported at (or just past) where it broke.
  let fed = 0;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    const counted = rest.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          fed += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
    rest = mapErrors(counted.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>), (e) => {
      // The engine's own words ("unexpected end of file", "incorrect data check") say which; they vary by browser.
      const why = e instanceof Error ? e.message : String(e);
      return new ParseError('unknown', `the gzip data is damaged or cut short (${why || 'decompression failed'}), by byte ${fed} of the compressed file`, { byte: fed });
    });
    ({ head, rest } = await peek(rest));
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    const encoding = head[0] === 0xff ? 'utf-16le' : 'utf-16be';
    utf16 = encoding;
    rest = rest
      .pipeThrough(new TextDecoderStream(encoding) as unknown as ReadableWritablePair<string, Uint8Array>)
      .pipeThrough(new TextEncoderStream());
    ({ head, rest } = await peek(rest));
  }
  return { head, chunks: chunksOfStream(rest), gzip, utf16, compressedBytes: () => fed, cancel: () => rest.cancel().catch(() => {}) };
}

/**
 * The same stream, failing with what `error` makes of the source's failure: the
 * decompressor throws a bare TypeError (Error in Node), which would reach the user
 * without saying which file or where.
 */
function mapErrors(stream: ReadableStream<Uint8Array>, error: (e: unknown) => Error): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        controller.error(error(e));
        return;
      }
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** The first bytes of a stream, and a stream that still yields all of it. */
async function peek(stream: ReadableStream<Uint8Array>): Promise<{ head: Uint8Array; rest: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const seen: Uint8Array[] = [];
  let size = 0;
  let done = false;
  const LF = 10;
  let sawLineBreak = false;
  while (size < SNIFF_BYTES || (!sawLineBreak && size < SNIFF_MAX_BYTES)) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    if (r.value.length === 0) continue;
    seen.push(r.value);
    size += r.value.length;
    if (!sawLineBreak) sawLineBreak = r.value.includes(LF);
  }
  const all = joinedBytes(seen);
  // The window: SNIFF_BYTES, stretched to the end of the first line when that is longer.
  const firstBreak = all.indexOf(LF);
  const head = all.subarray(0, Math.max(SNIFF_BYTES, Math.min(firstBreak + 1, SNIFF_MAX_BYTES)));
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of seen) controller.enqueue(c);
      if (done) controller.close();
    },
    async pull(controller) {
      if (done) return;
      const r = await reader.read();
      if (r.done) {
        done = true;
        controller.close();
      } else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, rest };
}


/**
 * Which format the first bytes are, or throws a ParseError saying what the file looks like instead.
 * `source` says how the bytes came, so that "empty" is not said of a gzip or UTF-16 file without saying which.
 */
export function detectFormat(head: Uint8Array, _fileName: string, sniffers: Sniffers, source?: Pick<ByteSource, 'gzip' | 'utf16'>): Format {
  if (head.length === 0) {
    const why = source?.gzip ? ': its gzip data inflates to nothing' : source?.utf16 ? ': it holds only a UTF-16 byte-order mark' : '';
    throw new ParseError('unknown', `the file is empty${why}`, { byte: 0 });
  }
  // pprof is binary protobuf: judged on the bytes, before any text format reads them as text.
  if (sniffPprof(head)) return 'pprof';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // Callgrind's header lines and a profile's JSON structure are definitive; folded text, which
  // has no header, is the fallback. So the file name never has to break a tie.
  if (sniffers.callgrind?.(text)) return 'callgrind';
  if (sniffSpeedscope(text)) return 'speedscope';
  if (sniffers.cpuprofile?.(text)) return 'cpuprofile';
  if (sniffPerfScript(text)) return 'perf-script';
  if (sniffFolded(text)) return 'folded';
  throw new ParseError('unknown', `not a profile Flamediff reads (callgrind, perf collapsed stacks, V8 .cpuprofile, pprof, speedscope JSON, perf script): ${describeBytes(head, text)}`, {
    byte: 0,
  });
}

/** Other compressions by their magic bytes: Flamediff gunzips, and nothing else. */
function compression(head: Uint8Array): string | null {
  const at = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const only = ': Flamediff reads gzip (.gz), and nothing else compressed';
  if (at(0x1f, 0x8b, 0x08)) return 'it is gzip data inside gzip (compressed twice): gunzip it once first';
  if (at(0x28, 0xb5, 0x2f, 0xfd)) return `it is zstd-compressed${only}`;
  if (at(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return `it is xz-compressed${only}`;
  // "BZh", the block size 1-9, then the first block's magic (the digits of pi).
  if (at(0x42, 0x5a, 0x68) && head[3] >= 0x31 && head[3] <= 0x39 && head[4] === 0x31 && head[5] === 0x41 && head[6] === 0x59) return `it is bzip2-compressed${only}`;
  if (at(0x50, 0x4b, 0x03, 0x04)) return 'it is a zip archive: extract the profile from it first';
  return null;
}

/** ASCII text in UTF-16 has a zero in every other byte: without a byte-order mark it is read as bytes, and fails as binary. */
function utf16WithoutBom(head: Uint8Array): string | null {
  const n = Math.min(head.length, 512) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  // 90 %: a few non-ASCII characters (ä, 计) have no zero byte; binary data has zeros on both sides.
  const le = oddZero >= 0.9 * pairs && evenZero <= 0.1 * pairs;
  const be = evenZero >= 0.9 * pairs && oddZero <= 0.1 * pairs;
  if (!le && !be) return null;
  return `it looks like UTF-16 ${le ? 'LE' : 'BE'} text without a byte-order mark, which is needed to read UTF-16: save it as UTF-8, or as UTF-16 with a byte-order mark`;
}

function describeBytes(head: Uint8Array, text: string): string {
  const compressed = compression(head);
  if (compressed) return compressed;
  let control = 0;
  for (let i = 0; i < Math.min(head.length, 512); i++) {
    const c = head[i];
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  if (control > 8) return utf16WithoutBom(head) ?? 'it looks like binary data';
  const t = text.trimStart();
  // Sniffing reads whole lines up to 1 MB: past that much blank, there is nothing to judge by.
  if (t === '') return `its first ${head.length} bytes are blank`;
  if (t.startsWith('{') || t.startsWith('[')) return 'it is JSON, but not a CPU profile';
  if (/^<(!doctype|html)/i.test(t)) return 'it is an HTML page';
  const first = t.split(/\r?\n/, 1)[0].slice(0, 60);
  return `the first line is "${first}"`;
}
