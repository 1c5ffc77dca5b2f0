// What a tab can read, decided before reading: refusing with figures beats a dead tab.
//
// Measured here (headless Chromium 156, 24 GB machine, BENCHMARKS.md): a 1 GB folded file
// loads with the tab peaking at 2.2 GB, since folded and callgrind text is read as a stream
// and only unique stacks stay. A .cpuprofile is JSON and must be parsed whole: V8 cannot make
// a string longer than 2^29 − 24 UTF-16 units (about 512 MB of text), and JSON.parse's
// objects take several times the text's size on top of it.
import { ParseError, type Format } from '../../src/model/profile';

/** The longest string V8 can build (2^29 − 24 code units). */
export const V8_MAX_STRING = 2 ** 29 - 24;
export function formatMB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** Throws a ParseError naming the size and the limit when the file cannot be read in a tab. */
export function checkSize(format: Format, size: number | undefined): void {
  if (format !== 'cpuprofile' || !size) return;
  if (size > V8_MAX_STRING) {
    throw new ParseError(
      'cpuprofile',
      `this .cpuprofile is ${formatMB(size)}: a JSON profile has to be read as one string, and browsers stop strings at about 512 MB. ` +
        `Record a shorter profile, raise the sampling interval (node --cpu-prof-interval), or convert it to folded stacks, which Flamediff reads as a stream.`,
      { byte: 0 },
    );
  }
}
