// The fuzz suite's worker-thread entry (bundled by fuzz-pool.ts): parses one case per
// message and answers with what came out, checked here so no profile crosses threads.
// A case runs on a thread of its own because only terminating that thread stops a
// synchronous infinite loop; a timer on the thread that loops never fires.
import { parentPort, workerData } from 'node:worker_threads';
import { ParseError, type ParseOptions, type Profile } from '../../src/model/profile';
import { parseStream } from '../../workers/parse/index';
import { parseFolded } from '../../workers/parse/folded';
import { parseCallgrind } from '../../workers/parse/callgrind';
import { parseCpuprofile } from '../../workers/parse/cpuprofile';
import { parsePprof } from '../../workers/parse/pprof';
import { parseSpeedscope } from '../../workers/parse/speedscope';
import { parsePerfScript } from '../../workers/parse/perf-script';
import { chunksOf } from '../../workers/parse/lines';

/** How the bytes reach the parser: the app's entry (detection included), or one parser directly. */
export type FuzzMode = 'stream' | 'folded' | 'callgrind' | 'cpuprofile' | 'pprof' | 'speedscope' | 'perf-script';

export interface FuzzCase {
  id: number;
  bytes: Uint8Array;
  name: string;
  mode: FuzzMode;
  /** Chunk sizes, cycled (a stream rarely hands over equal chunks). */
  chunks: number[];
  options?: ParseOptions;
}

export type FuzzOutcome =
  | { kind: 'profile'; format: string; nodes: number; total: number; skipped: number; incomplete: number; problems: string[] }
  | {
      kind: 'error';
      /** The thrown value's constructor name: anything but ParseError is a bug. */
      type: string;
      format?: string;
      line?: number;
      byte?: number;
      message: string;
      stack?: string;
    };

export async function runCase(c: FuzzCase): Promise<FuzzOutcome> {
  try {
    if (c.mode === 'stream') {
      const r = await parseStream(streamOf(c.bytes, c.chunks), c.name, c.options);
      const problems = checkProfile(r.profile, 'profile');
      if (r.profile.format !== r.format) problems.push(`format ${r.format} but the profile says ${r.profile.format}`);
      if (r.head) problems.push(...checkProfile(r.head, 'head'));
      return summary(r.format, r.profile, problems);
    }
    const chunks = chunksVaried(c.bytes, c.chunks);
    if (c.mode === 'folded') {
      const r = await parseFolded(chunks, c.name, c.options);
      const problems = checkProfile(r.profile, 'profile');
      if (r.head) problems.push(...checkProfile(r.head, 'head'));
      return summary('folded', r.profile, problems);
    }
    const parse = { callgrind: parseCallgrind, cpuprofile: parseCpuprofile, pprof: parsePprof, speedscope: parseSpeedscope, 'perf-script': parsePerfScript }[c.mode];
    const p = await parse(chunks, c.name, c.options);
    return summary(c.mode, p, checkProfile(p, 'profile'));
  } catch (e) {
    if (e instanceof ParseError) return { kind: 'error', type: 'ParseError', format: e.format, line: e.line, byte: e.byte, message: e.message, stack: e.stack };
    if (e instanceof Error) return { kind: 'error', type: e.constructor?.name ?? e.name, message: `${e.name}: ${e.message}`, stack: e.stack };
    return { kind: 'error', type: typeof e, message: String(e) };
  }
}

function summary(format: string, p: Profile, problems: string[]): FuzzOutcome {
  return { kind: 'profile', format, nodes: p.tree.func.length, total: p.tree.total[0], skipped: p.warnings.skippedLines, incomplete: p.warnings.incomplete?.length ?? 0, problems };
}

/**
 * What every profile must satisfy, whatever it was read from: a well-formed
 * depth-first tree with finite, non-negative weights whose root total is the sum of
 * the selves. Returns the violations (the first few of each kind).
 */
export function checkProfile(p: Profile, label: string): string[] {
  const out: string[] = [];
  const say = (s: string) => {
    if (out.length < 8) out.push(`${label}: ${s}`);
  };
  const t = p.tree;
  const n = t.func.length;
  if (n < 1) return [`${label}: the tree has no root`];
  for (const [k, a] of Object.entries({ parent: t.parent, depth: t.depth, subtreeEnd: t.subtreeEnd, self: t.self, total: t.total })) {
    if (a.length !== n) say(`tree.${k} has ${a.length} entries for ${n} nodes`);
  }
  if (out.length) return out;
  if (t.parent[0] !== -1 || t.depth[0] !== 0 || t.subtreeEnd[0] !== n) say('the root is not node 0 spanning the tree');
  const nFunc = p.funcName.length;
  let sumSelf = 0;
  for (let i = 0; i < n; i++) {
    const s = t.self[i];
    const tot = t.total[i];
    if (!Number.isFinite(s) || s < 0) say(`node ${i} has self ${s}`);
    if (!Number.isFinite(tot) || tot < 0) say(`node ${i} has total ${tot}`);
    sumSelf += s;
    if (i === 0) continue;
    const q = t.parent[i];
    if (!(q >= 0 && q < i)) say(`node ${i} has parent ${q}`);
    else if (t.depth[i] !== t.depth[q] + 1) say(`node ${i} has depth ${t.depth[i]} under a parent of depth ${t.depth[q]}`);
    if (!(t.subtreeEnd[i] > i && t.subtreeEnd[i] <= n)) say(`node ${i} has subtreeEnd ${t.subtreeEnd[i]}`);
    if (!(t.func[i] >= 0 && t.func[i] < nFunc)) say(`node ${i} has function ${t.func[i]} of ${nFunc}`);
  }
  const total = t.total[0];
  // Sums in another order differ by rounding only (integer weights are exact below 2^53).
  if (!(Math.abs(total - sumSelf) <= 1e-9 * Math.max(1, Math.abs(total)))) say(`root total ${total} is not the sum of self ${sumSelf}`);
  for (let f = 0; f < nFunc; f++) {
    if (!(p.funcName[f] >= 0 && p.funcName[f] < p.strings.length)) say(`function ${f} has name ${p.funcName[f]}`);
    if (!(p.funcFile[f] >= -1 && p.funcFile[f] < p.strings.length)) say(`function ${f} has file ${p.funcFile[f]}`);
  }
  for (const [k, a] of Object.entries({ funcInclusive: p.funcInclusive, funcSelfExact: p.funcSelfExact })) {
    if (!a) continue;
    if (a.length !== nFunc) say(`${k} has ${a.length} entries for ${nFunc} functions`);
    for (let f = 0; f < a.length; f++) if (!Number.isFinite(a[f])) say(`${k}[${f}] is ${a[f]}`);
  }
  if (p.sampleWeight !== undefined && !(Number.isFinite(p.sampleWeight) && p.sampleWeight > 0)) say(`sampleWeight ${p.sampleWeight}`);
  if (!(Number.isInteger(p.warnings.skippedLines) && p.warnings.skippedLines >= 0)) say(`skippedLines ${p.warnings.skippedLines}`);
  // A sign of a cut is a sentence with its figures, never an empty list.
  const incomplete = p.warnings.incomplete;
  if (incomplete !== undefined && (!Array.isArray(incomplete) || incomplete.length === 0 || !incomplete.every((x) => typeof x === 'string' && /looks truncated/.test(x) && /\d/.test(x)))) {
    say(`warnings.incomplete ${JSON.stringify(incomplete)?.slice(0, 200)}`);
  }
  if (typeof p.unit !== 'string' || p.unit === '') say(`unit ${JSON.stringify(p.unit)}`);
  return out;
}

function streamOf(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let i = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= bytes.length) {
        controller.close();
        return;
      }
      const size = Math.max(1, sizes[k++ % sizes.length]);
      // A copy, as a real stream hands over fresh buffers (a parser may keep what it is given).
      controller.enqueue(bytes.slice(i, i + size));
      i += size;
    },
  });
}

async function* chunksVaried(bytes: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  if (sizes.length === 1) {
    yield* chunksOf(bytes, Math.max(1, sizes[0]));
    return;
  }
  let k = 0;
  for (let i = 0; i < bytes.length; ) {
    const size = Math.max(1, sizes[k++ % sizes.length]);
    yield bytes.subarray(i, i + size);
    i += size;
  }
}

// Only as the pool's worker (workerData says so): vitest's own threads have a parentPort too.
if (parentPort && (workerData as { fuzzRunner?: boolean } | null)?.fuzzRunner) {
  const port = parentPort;
  port.on('message', (c: FuzzCase) => {
    const started = performance.now();
    void runCase(c).then((outcome) => port.postMessage({ id: c.id, outcome, ms: performance.now() - started }));
  });
}
