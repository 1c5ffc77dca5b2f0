// The benchmark's inputs: the large real profiles of ../shared/corpus/make-large.sh,
// plus folded files scaled up to 100 MB and 1 GB from the real folded pair.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

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

/**
 * `${dir}/scaled/base-700M.cpuprofile`: the real tsc base profile as a longer run of the same program (its
 * samples and time deltas repeated until the file is 700 MB), which no single string can hold: only the
 * byte reader loads it. Made once, reused while the source keeps its size.
 */
export function longerCpuprofile(largeDir, log = () => {}) {
  const src = path.join(largeDir, LARGE_FILES.cpuprofileBase);
  const dest = path.join(largeDir, 'scaled', 'base-700M.cpuprofile');
  const stamp = `${dest}.source`;
  const want = `${path.basename(src)} ${statSync(src).size} bytes to 700 MB`;
  if (existsSync(dest) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return dest;
  mkdirSync(path.dirname(dest), { recursive: true });
  log(`making ${path.relative(largeDir, dest)} (${want})`);
  const p = JSON.parse(readFileSync(src, 'utf8'));
  const head = JSON.stringify({ nodes: p.nodes, startTime: p.startTime }).slice(0, -1);
  const samples = p.samples.join(',');
  const deltas = p.timeDeltas.join(',');
  const reps = Math.max(1, Math.ceil((700e6 - head.length) / (samples.length + deltas.length + 2)));
  const span = p.timeDeltas.reduce((a, b) => a + b, 0);
  const tmp = `${dest}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    // Each repetition runs as long as the original; endTime keeps the original's tail after the last sample.
    writeSync(fd, `${head},"endTime":${p.startTime + span * reps + (p.endTime - p.startTime - span)},"samples":[`);
    for (let r = 0; r < reps; r++) writeSync(fd, (r ? ',' : '') + samples);
    writeSync(fd, '],"timeDeltas":[');
    for (let r = 0; r < reps; r++) writeSync(fd, (r ? ',' : '') + deltas);
    writeSync(fd, ']}');
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
  writeFileSync(stamp, want + '\n');
  return dest;
}

/**
 * `${dir}/scaled/heap-big.pb`: a Go heap profile of ~700,000 allocation stacks (test/fixtures/pprof-src/big,
 * made by Go itself), stored inflated so the parser reads it as the worker does after gunzip. Null where
 * there is no Go toolchain: the pprof row is then left out.
 */
export function largePprof(largeDir, log = () => {}) {
  const dest = path.join(largeDir, 'scaled', 'heap-big.pb');
  if (existsSync(dest)) return dest;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    log('no Go toolchain: the pprof row is left out (apt-get install golang-go)');
    return null;
  }
  mkdirSync(path.dirname(dest), { recursive: true });
  log(`making ${path.relative(largeDir, dest)} (go run test/fixtures/pprof-src/big)`);
  const gz = `${dest}.gz`;
  const run = spawnSync('go', ['run', '.', gz, '700000', '4'], { cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/pprof-src/big'), stdio: 'inherit' });
  if (run.status !== 0) throw new Error('go run test/fixtures/pprof-src/big failed');
  writeFileSync(dest, gunzipSync(readFileSync(gz)));
  return dest;
}
