// What a tab can read, decided before reading: refusing with figures beats a dead tab.
//
// Measured here (headless Chromium 156, 24 GB machine, BENCHMARKS.md): a 1 GB folded file
// loads with the tab peaking at 2.2 GB, since folded and callgrind text is read as a stream
// and only unique stacks stay. A .cpuprofile is JSON, read whole into one byte buffer; the
// byte reader (cpuprofile-bytes.ts) reads it from there at any size up to `jsonBytes`. Only
// a file it declines goes to JSON.parse, and V8 cannot make a string longer than 2^29 − 24
// UTF-16 units (about 512 MB of text): `jsonText` is that reader's limit.
//
// The size known up front (a File's size, a Content-Length) is that of the bytes as they
// come, which is not the text's size when they come gzipped (a 30 MB .cpuprofile.gz can
// inflate to 700 MB) or as UTF-16 (two bytes a character). So the text is also counted as it
// is read, and reading stops, with the same figures, the moment it passes the limit: past
// it, Chromium's TextDecoder does not throw but returns an empty string (Chromium 156,
// 600 MB of ASCII: length 0), which used to surface as "the file is empty".
import { ParseError, type Format } from '../../src/model/profile';
import type { ByteChunks } from './lines';

/** The longest string V8 can build (2^29 − 24 code units). */
export const V8_MAX_STRING = 2 ** 29 - 24;

/** The most bytes of one JSON profile the worker reads into memory (4 GiB). */
export const MAX_JSON_BYTES = 2 ** 32;

export interface SizeLimits {
  /** The most bytes of text (UTF-8, as the parser reads it) JSON.parse may be given. */
  jsonText: number;
  /** The most bytes of text a JSON profile may have at all (the byte reader's limit). */
  jsonBytes: number;
}

export const SIZE_LIMITS: SizeLimits = { jsonText: V8_MAX_STRING, jsonBytes: MAX_JSON_BYTES };

/** How the bytes came: what a size-limit message must say about them. */
export interface ByteSource {
  gzip: boolean;
  utf16: 'utf-16le' | 'utf-16be' | null;
  /** Bytes of the file as it came (before gunzip and transcoding), when known beforehand. */
  size?: number;
  /** Compressed bytes read so far (gzip only). */
  compressedBytes?: () => number;
}

export function formatMB(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(0)} MB`;
  // Only injected test limits are this small.
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} kB` : `${bytes} bytes`;
}

/** Throws a ParseError naming the size and the limit when the file is known beforehand to be too large to read in a tab. */
export function checkSize(format: Format, source: ByteSource, limits: SizeLimits = SIZE_LIMITS): void {
  const size = source.size;
  if (format !== 'cpuprofile' || !size) return;
  // Gzip inflates, never shrinks by more than its header; UTF-16 holds a character in two bytes,
  // and each is at least one byte of UTF-8.
  const text = source.utf16 ? (size - 2) / 2 : size;
  if (text > limits.jsonBytes) throw jsonTooLarge(source, limits, false);
}

/** The chunks of a JSON profile's text, failing with the figures once they add up past the limit. */
export async function* capJsonText(chunks: ByteChunks, source: ByteSource, limits: SizeLimits = SIZE_LIMITS): ByteChunks {
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.length;
    if (read > limits.jsonBytes) throw jsonTooLarge(source, limits, true);
    yield chunk;
  }
}

/**
 * `reading`: found while reading (the text is "more than" the limit), or beforehand from the size.
 * `declined`: why the byte reader did not read a file past JSON.parse's limit; absent when the file
 * is past the byte reader's own.
 */
export function jsonTooLarge(source: ByteSource, limits: SizeLimits, reading: boolean, declined?: string): ParseError {
  if (declined !== undefined) {
    return new ParseError(
      'cpuprofile',
      `this .cpuprofile is ${formatMB(source.size!)} of JSON in a layout the byte reader does not read (${declined}), ` +
        `and the JSON.parse reader behind it needs the file as one string, which browsers stop at about ${formatMB(limits.jsonText)}. ` +
        'Record a shorter profile, raise the sampling interval (node --cpu-prof-interval), or convert it to folded stacks, which Flamediff reads as a stream.',
      { byte: 0 },
    );
  }
  const limit = formatMB(limits.jsonBytes);
  let what: string;
  if (source.gzip) {
    const compressed = source.compressedBytes?.();
    what = !reading
      ? `this .cpuprofile is ${formatMB(source.size!)} even gzipped, and inflates to more`
      : source.size !== undefined
        ? `this .cpuprofile came gzipped: its ${formatMB(source.size)} inflate to more than ${limit} of JSON text`
        : `this .cpuprofile came gzipped: ${compressed !== undefined ? `the first ${formatMB(compressed)} of it inflate` : 'it inflates'} to more than ${limit} of JSON text`;
  } else if (source.utf16) {
    what = reading
      ? `this .cpuprofile is UTF-16 text of more than ${limit} (as UTF-8)`
      : `this .cpuprofile is ${formatMB(source.size!)} of UTF-16: ${formatMB((source.size! - 2) / 2)} of text`;
  } else {
    what = reading ? `this .cpuprofile is more than ${limit}` : `this .cpuprofile is ${formatMB(source.size!)}`;
  }
  return new ParseError(
    'cpuprofile',
    `${what}: a JSON profile is read whole into memory, and Flamediff reads at most ${limit} of one. ` +
      'Record a shorter profile, raise the sampling interval (node --cpu-prof-interval), or convert it to folded stacks, which Flamediff reads as a stream.',
    { byte: 0 },
  );
}
