// The benchmark's inputs: the large real profiles of ../shared/corpus/make-large.sh,
// plus folded files scaled up to 100 MB and 1 GB from the real folded pair.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Every make-large.sh output the benchmark reads, relative to the large directory. */
export const LARGE_FILES = {
  cpuprofileBase: 'pairs/tsc-rxjs-cpuprofile/base.cpuprofile',
  cpuprofileHead: 'pairs/tsc-rxjs-cpuprofile/head.cpuprofile',
  foldedBase: 'pairs/tsc-rxjs-perf/base.folded',
  foldedHead: 'pairs/tsc-rxjs-perf/head.folded',
  callgrindBase: 'pairs/py-stdlib-tour-callgrind/base.callgrind.out',
  callgrindHead: 'pairs/py-stdlib-tour-callgrind/head.callgrind.out',
  callgrindSeparate: 'callgrind/callgrind.out.stdlib-tour-separate-callers',
};

export function missingLargeFiles(dir) {
  return Object.values(LARGE_FILES).filter((f) => !existsSync(path.join(dir, f)));
}

/** Scaled files: decimal megabytes, as every size in the report. */
export const SCALED = {
  '100M': 100e6,
  '1G': 1e9,
};

/**
 * Writes `${dir}/scaled/{base,head}-${label}.folded`: whole copies of the real folded
 * base (head) file, each line's root frame prefixed with its copy number (`copy7/node`),
 * so stacks stay unique and copy k of base meets copy k of head in a diff. Files are
 * made once and reused while the sources keep their sizes (SCALED.txt records them).
 * Returns the paths; `sides` picks which of base/head to make.
 */
export function scaledFolded(largeDir, label, sides = ['base', 'head'], log = () => {}) {
  const target = SCALED[label];
  const outDir = path.join(largeDir, 'scaled');
  mkdirSync(outDir, { recursive: true });
  const out = {};
  for (const side of sides) {
    const src = path.join(largeDir, side === 'base' ? LARGE_FILES.foldedBase : LARGE_FILES.foldedHead);
    const dest = path.join(outDir, `${side}-${label}.folded`);
    const stamp = `${dest}.source`;
    const srcSize = statSync(src).size;
    const want = `${path.basename(src)} ${srcSize} bytes x${Math.ceil(target / srcSize)}`;
    out[side] = dest;
    if (existsSync(dest) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) continue;
    log(`making ${path.relative(largeDir, dest)} (${want})`);
    writeCopies(src, dest, Math.ceil(target / srcSize));
    writeFileSync(stamp, want + '\n');
  }
  return out;
}

function writeCopies(src, dest, copies) {
  const lines = readFileSync(src, 'latin1').split('\n').filter((l) => l.trim() !== '');
  const tmp = `${dest}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (let k = 1; k <= copies; k++) {
      // latin1 round-trips any byte sequence, so UTF-8 frame names come out unchanged.
      const text = lines.map((l) => `copy${k}/${l}`).join('\n') + '\n';
      writeSync(fd, Buffer.from(text, 'latin1'));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
}
