// One entry point for every format: bytes in, Profile out (or a ParseError).
import { ParseError, type Profile, type ParseOptions, type Format } from '../../src/model/profile';
import { detectFormat, openBytes } from './detect';
import { parseFolded } from './folded';
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

/** `limits` is for tests, which cannot afford the real ones (512 MB of text). */
export async function parseStream(
  stream: ReadableStream<Uint8Array>,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
  limits: SizeLimits = SIZE_LIMITS,
): Promise<ParsedFile> {
  const { head, chunks, gzip, utf16, compressedBytes } = await openBytes(stream);
  const source: ByteSource = { gzip, utf16, size: options.sizeHint, compressedBytes };
  const format = detectFormat(head, name, { callgrind: sniffCallgrind, cpuprofile: sniffCpuprofile }, source);
  checkSize(format, source, limits);
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
