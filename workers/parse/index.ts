// One entry point for every format: bytes in, Profile out (or a ParseError).
import { ParseError, type Profile, type ParseOptions, type Format } from '../../src/model/profile';
import { detectFormat, openBytes } from './detect';
import { parseFolded } from './folded';
import { chunksOf } from './lines';
import { capJsonText, checkSize, SIZE_LIMITS, type ByteSource, type SizeLimits } from './size-limits';
import { parseCallgrind, sniffCallgrind } from './callgrind';
import { parseCpuprofile, sniffCpuprofile } from './cpuprofile';
import { parseSpeedscope } from './speedscope';
import { parsePerfScript } from './perf-script';
import { parsePprof } from './pprof';

export interface ParsedFile {
  format: Format;
  profile: Profile;
  /** A folded 3-column differential file carries the head side too. */
  head?: Profile;
}

/** Formats read whole into one array (JSON, protobuf), not as a stream of lines. */
const READ_WHOLE = new Set<Format>(['cpuprofile', 'speedscope', 'pprof']);

/**
 * `limits` is for tests, which cannot afford the real ones (512 MB of text). `whole`: the same bytes
 * as the stream in one array, read apart from it (the Blob a file or a download is kept in). A format
 * read whole takes them so when nothing inflates or transcodes them: the stream's chunks would each
 * be a new buffer, garbage once copied into the whole, and the tab would hold the file about twice
 * until the collector runs (headless Chromium 156, two 16 MB .cpuprofile files: 63 MB of private
 * memory read in one, 95 MB read as a stream).
 */
export async function parseStream(
  stream: ReadableStream<Uint8Array>,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
  limits: SizeLimits = SIZE_LIMITS,
  whole?: () => Promise<Uint8Array>,
): Promise<ParsedFile> {
  const opened = await openBytes(stream);
  const { head, gzip, utf16, compressedBytes } = opened;
  const source: ByteSource = { gzip, utf16, size: options.sizeHint, compressedBytes };
  const format = detectFormat(head, name, { callgrind: sniffCallgrind, cpuprofile: sniffCpuprofile }, source);
  checkSize(format, source, limits);
  let chunks = opened.chunks;
  if (whole && !gzip && !utf16 && READ_WHOLE.has(format)) {
    // One chunk, the whole file: readAll takes it as it is.
    await opened.cancel();
    const bytes = await whole();
    chunks = chunksOf(bytes, Math.max(1, bytes.length));
  }
  try {
    switch (format) {
      case 'folded': {
        const r = await parseFolded(chunks, name, options, onProgress);
        return { format, profile: r.profile, head: r.head };
      }
      case 'callgrind':
        return { format, profile: await parseCallgrind(chunks, name, options, onProgress) };
      case 'cpuprofile':
        return { format, profile: await parseCpuprofile(capJsonText(chunks, source, limits), name, options, onProgress, { limits, expectedBytes: gzip || utf16 ? undefined : options.sizeHint }) };
      case 'perf-script':
        return { format, profile: await parsePerfScript(chunks, name, options, onProgress) };
      case 'speedscope':
        return { format, profile: await parseSpeedscope(chunks, name, gzip || utf16 ? { ...options, sizeHint: undefined } : options, onProgress, limits) };
      case 'pprof':
        return { format, profile: await parsePprof(chunks, name, options, onProgress) };
    }
  } catch (e) {
    // A failure of the container (a gzip stream that breaks mid-way) is only known as 'unknown' where it is found.
    if (e instanceof ParseError) throw e.format === 'unknown' ? new ParseError(format, e.message, { line: e.line, byte: e.byte }) : e;
    // A parser bug or an exhausted resource must still name the file and format.
    throw new ParseError(format, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}
