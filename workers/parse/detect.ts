// From raw bytes to the right parser: gzip found by its magic bytes, UTF-16
// by its byte-order mark, the format by content, never by file name.
import { ParseError, type Format } from '../../src/model/profile';
import { chunksOfStream, type ByteChunks } from './lines';
import { sniffFolded } from './folded';

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

/** A stream of the file's text as UTF-8 bytes, gunzipped and transcoded as needed. */
export async function openBytes(stream: ReadableStream<Uint8Array>): Promise<{ head: Uint8Array; chunks: ByteChunks; gzip: boolean }> {
  let { head, rest } = await peek(stream);
  let gzip = false;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    // Bytes handed to the decompressor so far: a damaged stream is reported at (or just past) where it broke.
    let fed = 0;
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
    rest = rest
      .pipeThrough(new TextDecoderStream(encoding) as unknown as ReadableWritablePair<string, Uint8Array>)
      .pipeThrough(new TextEncoderStream());
    ({ head, rest } = await peek(rest));
  }
  return { head, chunks: chunksOfStream(rest), gzip };
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
  const all = concat(seen);
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

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Which format the first bytes are, or throws a ParseError saying what the file looks like instead. */
export function detectFormat(head: Uint8Array, _fileName: string, sniffers: Sniffers): Format {
  if (head.length === 0) throw new ParseError('unknown', 'the file is empty', { byte: 0 });
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // Callgrind's header lines and a profile's JSON structure are definitive; folded text, which
  // has no header, is the fallback. So the file name never has to break a tie.
  if (sniffers.callgrind?.(text)) return 'callgrind';
  if (sniffers.cpuprofile?.(text)) return 'cpuprofile';
  if (sniffFolded(text)) return 'folded';
  throw new ParseError('unknown', `not a profile Flamediff reads (callgrind, perf collapsed stacks, V8 .cpuprofile): ${describeBytes(head, text)}`, {
    byte: 0,
  });
}

function describeBytes(head: Uint8Array, text: string): string {
  let control = 0;
  for (let i = 0; i < Math.min(head.length, 512); i++) {
    const c = head[i];
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  if (control > 8) return 'it looks like binary data';
  const t = text.trimStart();
  // Sniffing reads whole lines up to 1 MB: past that much blank, there is nothing to judge by.
  if (t === '') return `its first ${head.length} bytes are blank`;
  if (t.startsWith('{') || t.startsWith('[')) return 'it is JSON, but not a CPU profile';
  if (/^<(!doctype|html)/i.test(t)) return 'it is an HTML page';
  const first = t.split(/\r?\n/, 1)[0].slice(0, 60);
  return `the first line is "${first}"`;
}
