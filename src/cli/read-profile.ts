// One profile file read by the command: the worker's reader (parseStream) over the file's bytes.
import { openAsBlob, readFileSync, statSync } from 'node:fs';
import { parseStream, type ParsedFile } from '../../workers/parse';
import { ParseError, describeError, type ParseErrorInfo, type Profile } from '../model/profile';
import { printable, systemError } from './terminal-text';

/** A file this size or smaller is read in one call: from the page cache that takes milliseconds,
 * where a stream of 64 KiB chunks waits on the thread pool ~180 times for 12 MB (up to 200 ms on a
 * busy machine). Larger files stream, so a 1 GB folded file is never held whole. */
const WHOLE_BYTES = 256 << 20;
const CHUNK_BYTES = 8 << 20;

export class InputError extends Error {
  constructor(readonly info: ParseErrorInfo) {
    super(describeError(info));
  }
}

export interface ReadIo {
  stdin: () => Promise<Blob>;
  /** Where progress lines go, for files over 50 MB; null: no progress (stderr is not a terminal). */
  progress: ((line: string) => void) | null;
}

export const nameOf = (file: string) => (file === '-' ? 'stdin' : file.split(/[\\/]/).pop()!);

interface Source {
  size: number;
  stream: () => ReadableStream<Uint8Array>;
  whole: () => Promise<Uint8Array>;
}

async function open(file: string, io: ReadIo): Promise<Source> {
  if (file === '-') {
    const blob = await io.stdin();
    return { size: blob.size, stream: () => blob.stream(), whole: async () => new Uint8Array(await blob.arrayBuffer()) };
  }
  const size = statSync(file).size;
  if (size > WHOLE_BYTES) {
    const blob = await openAsBlob(file);
    return { size, stream: () => blob.stream(), whole: async () => new Uint8Array(await blob.arrayBuffer()) };
  }
  const b = readFileSync(file);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
  const stream = () =>
    new ReadableStream<Uint8Array>({
      // Views of the one read, a few MB each, so that progress still moves.
      start(c) {
        for (let i = 0; i < bytes.length; i += CHUNK_BYTES) c.enqueue(bytes.subarray(i, Math.min(bytes.length, i + CHUNK_BYTES)));
        c.close();
      },
    });
  return { size: bytes.length, stream, whole: async () => bytes };
}

async function readParsed(file: string, io: ReadIo): Promise<ParsedFile> {
  const name = nameOf(file);
  let source: Source;
  try {
    source = await open(file, io);
  } catch (e) {
    throw new InputError({ file: name, format: 'unknown', message: `cannot be read: ${systemError(e, 'no such file')}` });
  }
  const say = io.progress && source.size > 50e6 ? io.progress : null;
  const shownName = printable(name);
  // On a terminal the line is rewritten in place (\r, then erase to its end), and a last line says the
  // whole file was read, so the count never stops short of 100% on screen.
  let shown = -1;
  const onProgress = say
    ? (bytes: number) => {
        const pct = Math.min(99, Math.floor((100 * bytes) / source.size));
        if (pct > shown) say(`\r${shownName}: ${(shown = pct)}% of ${megabytes(source.size)}\x1b[K`);
      }
    : undefined;
  try {
    const parsed = await parseStream(source.stream(), name, { sizeHint: source.size }, onProgress, undefined, source.whole);
    say?.(`\r${shownName}: read ${megabytes(source.size)}\x1b[K\n`);
    return parsed;
  } catch (e) {
    say?.('\r\x1b[K');
    if (e instanceof ParseError) throw new InputError({ file: name, format: e.format, line: e.line, byte: e.byte, message: e.message });
    throw new InputError({ file: name, format: 'unknown', message: e instanceof Error ? e.message : String(e) });
  }
}

const megabytes = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** One side's profile. */
export async function readProfile(file: string, io: ReadIo): Promise<Profile> {
  const parsed = await readParsed(file, io);
  if (parsed.head) throw new InputError({ file: nameOf(file), format: parsed.format, message: 'this file holds both sides (a stack, then base and head counts): give it alone, as BOTH' });
  return parsed.profile;
}

/** Both sides from one differential folded file (stack, base count, head count). */
export async function readBoth(file: string, io: ReadIo): Promise<[Profile, Profile]> {
  const parsed = await readParsed(file, io);
  if (!parsed.head) throw new InputError({ file: nameOf(file), format: parsed.format, message: 'this file holds one profile, not both sides: give BASE and HEAD' });
  return [parsed.profile, parsed.head];
}
