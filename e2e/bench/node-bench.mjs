// One benchmark case in a fresh Node process (so its peak RSS is its own):
//   node --expose-gc e2e/bench/node-bench.mjs '<json>'   (bench.mjs starts it)
// json: { format, files: [{ label, path }], runs, diff: boolean, bundle }
// Prints one JSON line: memory of one pass (parse every file, then diff), then
// timings: each file parsed `runs` times alternately with its limit on the same bytes,
// and the diff `runs` times.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const code = await import(pathToFileURL(spec.bundle).href);

/** Blob.stream() hands out 64 KiB chunks in Node and in Chromium; the parsers get the same. */
const CHUNK = 1 << 16;
const gc = globalThis.gc ?? (() => {});
const now = () => performance.now();
const mem = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
};

async function parse(bytes, name) {
  const chunks = code.chunksOf(bytes, CHUNK);
  switch (spec.format) {
    case 'folded':
      return (await code.parseFolded(chunks, name)).profile;
    case 'callgrind':
      return code.parseCallgrind(chunks, name);
    case 'cpuprofile':
      return code.parseCpuprofile(chunks, name);
    case 'pprof':
      return code.parsePprof(chunks, name);
  }
  throw new Error(`unknown format ${spec.format}`);
}

const utf8 = new TextDecoder('utf-8');

/** The JSON limit: the bytes decoded and given to JSON.parse, as any reader of the bytes must. */
function jsonLimit(bytes) {
  const t0 = now();
  const text = utf8.decode(bytes);
  const t1 = now();
  const json = JSON.parse(text);
  const t2 = now();
  if (!json) throw new Error('empty JSON');
  return { ms: t2 - t0, parseOnlyMs: t2 - t1 };
}

/**
 * The line-format limit: one pass over the bytes that finds every line break, every
 * frame separator (`;` in folded stacks, `=` in callgrind's key lines) and the value of
 * each line's last number (a folded count, a callgrind cost), making no strings.
 */
function scanLimit(bytes) {
  const sep = spec.format === 'folded' ? 59 : 61;
  const t0 = now();
  let lines = 0;
  let seps = 0;
  let sum = 0;
  let num = 0;
  // Most bytes of a frame name are letters above both separators: one compare for them.
  for (let i = 0, n = bytes.length; i < n; i++) {
    const c = bytes[i];
    if (c <= sep) {
      if (c === sep) seps++;
      else if (c === 10) {
        lines++;
        sum += num;
        num = 0;
      } else if (c >= 48 && c <= 57) num = num * 10 + (c - 48);
      else num = 0;
    } else num = 0;
  }
  const ms = now() - t0;
  if (lines + seps + sum < 0) throw new Error('unreachable');
  return { ms, lines, separators: seps };
}

const limit = spec.format === 'cpuprofile' ? jsonLimit : scanLimit;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * What the app's own entry (parseStream: sniffing, then the parser) makes of the file's
 * first 64 KiB: the parsers above are called directly, so this shows whether the app
 * would read the file at all. A parse error past the sniffing (a JSON text cut short)
 * still means the format was recognised.
 */
async function appEntry(bytes, name) {
  try {
    const r = await code.parseStream(new Blob([bytes.subarray(0, 1 << 16)]).stream(), name);
    return { format: r.format, ok: true };
  } catch (e) {
    return { format: e.format ?? 'unknown', ok: e.format === spec.format && !/not supported/.test(e.message), message: String(e.message) };
  }
}

const before = mem();
const files = spec.files.map((f) => {
  const b = readFileSync(f.path);
  // A plain Uint8Array, as a worker gets from Blob.stream(), not a Node Buffer.
  return { ...f, bytes: new Uint8Array(b.buffer, b.byteOffset, b.length) };
});
const loaded = mem();

// ---- memory of one pass, as the app does it: parse each file, then diff.
// Timed too: this first pass is what a fresh worker does (cold code), as the app's workers and the command do.
const profiles = [];
const steps = [];
const firstStart = now();
for (const f of files) {
  profiles.push(await parse(f.bytes, f.label));
  steps.push({ after: `parse ${f.label}`, ...mem() });
}
let diffNodes = null;
if (spec.diff) {
  const d = code.diffProfiles(profiles[0], profiles[profiles.length - 1]);
  diffNodes = d.tree.func.length;
  steps.push({ after: 'diff', ...mem() });
}
const firstPassMs = now() - firstStart;
const peakRss = process.resourceUsage().maxRSS * 1024;
const nodes = profiles.map((p) => p.tree.func.length);
const functions = profiles.map((p) => p.funcName.length);
const skipped = profiles.map((p) => p.warnings.skippedLines);
profiles.length = 0;
gc();

// ---- throughput: parser and limit alternately on the same bytes.
const results = [];
for (const f of files) {
  const parseMs = [];
  const limitMs = [];
  const parseOnlyMs = [];
  let limitInfo = null;
  for (let r = 0; r < spec.runs; r++) {
    gc();
    let t0 = now();
    const p = await parse(f.bytes, f.label);
    parseMs.push(now() - t0);
    if (!p.tree.func.length) throw new Error('empty tree');
    gc();
    limitInfo = limit(f.bytes);
    limitMs.push(limitInfo.ms);
    if (limitInfo.parseOnlyMs !== undefined) parseOnlyMs.push(limitInfo.parseOnlyMs);
  }
  results.push({
    label: f.label,
    app: await appEntry(f.bytes, f.label),
    path: f.path,
    bytes: f.bytes.length,
    parseMs,
    limitMs,
    parseOnlyMs: parseOnlyMs.length ? parseOnlyMs : undefined,
    parseMedianMs: median(parseMs),
    limitMedianMs: median(limitMs),
    parseOnlyMedianMs: parseOnlyMs.length ? median(parseOnlyMs) : undefined,
    lines: limitInfo.lines,
  });
}

// ---- diff time, on profiles parsed once.
let diffMs = null;
if (spec.diff) {
  const base = await parse(files[0].bytes, files[0].label);
  const head = files.length > 1 ? await parse(files[1].bytes, files[1].label) : base;
  diffMs = [];
  for (let r = 0; r < spec.runs; r++) {
    gc();
    const t0 = now();
    code.diffProfiles(base, head);
    diffMs.push(now() - t0);
  }
}

console.log(
  JSON.stringify({
    inputBytes: files.reduce((n, f) => n + f.bytes.length, 0),
    memory: { before, loaded, steps, peakRss },
    nodes,
    functions,
    skipped,
    diffNodes,
    diffMs,
    diffMedianMs: diffMs ? median(diffMs) : null,
    firstPassMs,
    files: results,
  }),
);
