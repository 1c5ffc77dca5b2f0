// V8 CPU profiles: `.cpuprofile` from `node --cpu-prof`, Chrome DevTools and the
// DevTools protocol's Profiler.stop (the Profiler.Profile type:
// https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile),
// the legacy format of node ≤ 10 / old DevTools (a nested `head` tree, absolute
// `timestamps`, startTime/endTime in seconds), and the CPU profiles inside Chrome
// traces (chrome-trace.ts).
//
// The file is one JSON document, so it is read whole and given to one JSON.parse
// (the fastest JSON reader a browser has); everything after it is linear passes
// over typed arrays, with no recursion (stacks reach 100k frames).
//
// Tree: `(root)` (a parentless node of that name) is the builder's own root, not a
// frame; `(program)`, `(idle)`, `(garbage collector)` stay frames. A function is
// (functionName, url): '(anonymous)' for an empty name, no file for an empty url;
// line and column are left out because base and head builds shift them. Nodes of
// one parent that differ only by line merge.
//
// Weights, in microseconds (the unit of startTime/endTime/timeDeltas):
// - sample i is taken at startTime + timeDeltas[0] + … + timeDeltas[i] (float64 sums
//   of integers: exact up to 2^53 µs); samples are stably sorted by that time, as
//   Chrome DevTools does, since negative deltas mean V8 wrote them out of order;
// - each sample weighs the time until the next one; the last one the time until
//   endTime. So the root total is endTime - (first sample's time): the lead-in from
//   startTime to the first sample, which no sample saw, is not counted (DevTools
//   also starts the profile at the first sample). Where endTime is missing or before
//   the last sample (traces have no endTime), the last sample weighs the mean interval;
// - legacy files: the timestamps are absolute; an extra timestamp after the last
//   sample is where it ends;
// - no timeDeltas/timestamps: every sample weighs (endTime - startTime) / samples;
//   with no usable times either, 1 each and the unit is 'samples'. No samples array
//   at all: each node's hitCount is its number of samples, weighted the same way.
// - each node also keeps the sum of its samples' squared weights (CallTree.selfSq, µs²), the
//   variance of its self between runs: a sample followed by a 225 ms gap weighs as much as 225
//   samples of 1 ms, yet it comes or goes as one, by its whole 225 ms (the 225 samples vary by
//   √225 · 1 ms = 15 ms), which no mean interval can say;
// - a sample naming a node id that is not in `nodes` is skipped and counted in the
//   warnings (its time is not attributed); if no sample names a known node, the
//   file is rejected.
//
// Dangling links are tolerated and counted, since real exports are cut (the
// corpus' trace files are): a child id not in `nodes` is ignored, and a node whose
// parent id is not in `nodes` hangs under the root (its stacks lack the missing
// frames). Duplicate ids, two different parents and cycles are rejected, and so are
// times and hit counts past a double (JSON's 1e999 parses as Infinity; a NaN weight
// would follow). JSON.parse gives no positions, so such an error is placed afterwards
// at the member it is about (the node's "id", the first "timeDeltas"…) by a scan of the text.
//
// Chrome traces: one part per CPU profile found (thread/session), most samples
// first. options.part picks one; the default (undefined) is part 0, the profile
// with the most samples; -1 sums them all into one tree.

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { readAll, type ByteChunks } from './lines';
import { readCpuprofileBytes, readTraceBytes, type CpuprofileColumns } from './cpuprofile-bytes';
import { jsonTooLarge, SIZE_LIMITS, type SizeLimits } from './size-limits';
import { cpuProfilesOfTrace, traceEventsOf } from './chrome-trace';
import { invalid, parseJson, placed } from './json-errors';

/** The fields of a Profiler.Profile this parser reads, as JSON.parse hands them over. */
export interface RawCpuProfile {
  nodes: unknown[];
  samples?: unknown;
  timeDeltas?: unknown;
  /** Legacy: absolute sample times in µs, sometimes one more than samples. */
  timestamps?: unknown;
  startTime?: unknown;
  endTime?: unknown;
}

interface RawNode {
  id?: unknown;
  callFrame?: RawFrame | null;
  children?: unknown;
  parent?: unknown;
  hitCount?: unknown;
}

interface RawFrame {
  functionName?: unknown;
  url?: unknown;
  scriptId?: unknown;
  lineNumber?: unknown;
  columnNumber?: unknown;
}

interface LegacyNode extends RawFrame {
  id?: unknown;
  hitCount?: unknown;
  children?: unknown;
}

// Node ids index a table when they are this dense (V8 numbers them 1..n); a Map otherwise.
const MAX_ID_TABLE_SLACK = 8;
const ID_TABLE_MIN = 1 << 16;

const SNIFF_NODES = /"nodes"\s*:\s*\[/;

/** True when the first few KB look like a .cpuprofile, a legacy one, or a Chrome trace. */
export function sniffCpuprofile(text: string): boolean {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1).trimStart() : text.trimStart();
  if (t.startsWith('{')) {
    if (SNIFF_NODES.test(t) && /"(callFrame|samples|startTime|timeDeltas)"\s*:/.test(t)) return true;
    if (/"head"\s*:\s*\{/.test(t) && /"(functionName|callUID)"\s*:/.test(t)) return true;
    if (/"traceEvents"\s*:\s*\[/.test(t)) return true;
    // A DevTools trace export whose metadata fills the first few KB.
    return /^\{\s*"metadata"\s*:/.test(t) && /"source"\s*:\s*"DevTools"/.test(t);
  }
  // The Trace Event Format's array form: objects with a phase and a timestamp.
  return /^\[\s*\{/.test(t) && /"ph"\s*:/.test(t) && /"(ts|pid)"\s*:/.test(t);
}

/** Which reader: the byte reader with JSON.parse behind it (the app's), or one of them alone (tests). */
export type CpuprofileReader = 'auto' | 'bytes' | 'json';

export interface CpuprofileRead {
  /** Tests inject smaller limits. */
  limits?: SizeLimits;
  reader?: CpuprofileReader;
  /** The text's size, when known beforehand (nothing inflates or transcodes the bytes): read into one array made once. */
  expectedBytes?: number;
}

export async function parseCpuprofile(
  chunks: ByteChunks,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
  { limits = SIZE_LIMITS, reader = 'auto', expectedBytes }: CpuprofileRead = {},
): Promise<Profile> {
  return cpuprofileOfBytes(await readAll(chunks, onProgress, expectedBytes), name, options, limits, reader);
}

export function cpuprofileOfBytes(bytes: Uint8Array, name: string, options: ParseOptions = {}, limits: SizeLimits = SIZE_LIMITS, reader: CpuprofileReader = 'auto'): Profile {
  try {
    let declined = '';
    if (reader !== 'json') {
      const read = readCpuprofileBytes(bytes);
      const profile = read.ok ? profileOfColumns(read.columns, name) : null;
      if (profile) return profile;
      declined = read.ok ? 'its node ids are not numbered as V8 numbers them' : `${read.reason} (byte ${read.byte})`;
      if (!read.ok) {
        const trace = readTraceBytes(bytes);
        if (trace.ok) return profileOfTrace(trace.events, name, options);
        // Said of the reading that got further: a profile's reason, unless the file is a trace.
        if (/traceEvents|not one JSON object/.test(read.reason)) declined = `${trace.reason} (byte ${trace.byte})`;
      }
      if (reader === 'bytes') throw new ParseError('cpuprofile', `the byte reader declined: ${declined}`, { byte: read.ok ? 0 : read.byte });
    }
    // Past the longest string, only the byte reader can read the file.
    if (bytes.length > limits.jsonText) throw jsonTooLarge({ gzip: false, utf16: null, size: bytes.length }, limits, false, declined);
    return profileOf(parseJson(bytes), name, options);
  } catch (e) {
    // Found in the parsed value, which has no positions: placed in the text afterwards.
    if (e instanceof ParseError && e.line === undefined && e.byte === undefined) throw placed(e, bytes);
    throw e;
  }
}

function profileOf(json: unknown, name: string, options: ParseOptions): Profile {
  const events = traceEventsOf(json);
  if (events) return profileOfTrace(events, name, options);
  return profileOfObject(json, name);
}

function profileOfTrace(events: unknown[], name: string, options: ParseOptions): Profile {
  const found = cpuProfilesOfTrace(events);
  const part = options.part ?? 0;
  if (part < -1 || part >= found.length || !Number.isInteger(part)) {
    throw invalid(`part ${part} does not exist: the trace holds ${found.length} CPU profile(s)`, { key: 'traceEvents' });
  }
  const builder = new TreeBuilder(undefined, 'cpuprofile');
  let timed = true;
  for (let i = 0; i < found.length; i++) if (part === -1 || part === i) timed = addProfile(builder, found[i].raw, `${found[i].label}: `) && timed;
  const profile = builder.finish({ name, format: 'cpuprofile', unit: timed ? 'microseconds' : 'samples', parts: found.map((p) => p.label) });
  const samples = found.reduce((n, p, i) => n + (part === -1 || part === i ? samplesShown(p.raw) : 0), 0);
  return { ...withSampleWeight(profile, samples), partIndex: part };
}

function profileOfObject(json: unknown, name: string): Profile {
  if (json === null || typeof json !== 'object') {
    throw invalid(`the file is JSON (${json === null ? 'null' : typeof json}), not a CPU profile object`);
  }
  let obj = json as Record<string, unknown>;
  // Profiler.stop's result as saved from the protocol: {"profile": {...}}.
  if (!Array.isArray(obj.nodes) && !isObject(obj.head) && isObject(obj.profile)) obj = obj.profile as Record<string, unknown>;
  const builder = new TreeBuilder(Array.isArray(obj.nodes) ? obj.nodes.length : undefined, 'cpuprofile');
  let timed: boolean;
  if (Array.isArray(obj.nodes)) timed = addProfile(builder, obj as unknown as RawCpuProfile);
  else if (isObject(obj.head)) timed = addProfile(builder, legacyToRaw(obj));
  else {
    const keys = Object.keys(obj).slice(0, 8).join(', ');
    throw invalid(`the JSON has no "nodes" array (nor a legacy "head" tree, nor trace events), so it is not a V8 CPU profile (keys: ${keys || 'none'})`, { key: 'nodes' });
  }
  const profile = builder.finish({ name, format: 'cpuprofile', unit: timed ? 'microseconds' : 'samples' });
  return withSampleWeight(profile, samplesShown(obj as unknown as RawCpuProfile));
}

/** Samples the tree holds: those with a time, when timeDeltas is shorter (see addSamples). */
function samplesShown(raw: RawCpuProfile): number {
  return shownOf(samplesOf(raw));
}

function shownOf(s: SampleColumns): number {
  if (s.samples === null) return 0;
  return s.deltas !== null ? Math.min(s.samples.length, s.deltas.length) : s.samples.length;
}

/** A .cpuprofile read by the byte reader; null when its links are not V8's dense numbering (JSON.parse's reader takes those). */
function profileOfColumns(c: CpuprofileColumns, name: string): Profile | null {
  const builder = new TreeBuilder(c.nodeCount, 'cpuprofile');
  const funcs = new FuncCache(builder);
  const n = c.nodeCount;
  const func = new Int32Array(n);
  const frames: Linked['frames'] = new Map();
  // Functions by frame, resolved the first time a node names the frame (the order JSON.parse's reader registers them in).
  const frameFunc = new Int32Array(c.frameCount).fill(UNRESOLVED);
  for (let i = 0; i < n; i++) {
    const fr = c.frame[i];
    if (fr < 0) {
      func[i] = funcs.named('(anonymous)', null);
      continue;
    }
    let f = frameFunc[fr];
    if (f === UNRESOLVED) {
      const fn = c.frameName[fr] >= 0 ? c.strings[c.frameName[fr]] : '';
      const url = c.frameUrl[fr] >= 0 ? c.strings[c.frameUrl[fr]] : '';
      f = fn === '(root)' ? ROOT_NAMED : funcs.named(fn || anonymousName(url || null, c.frameLine[fr], c.frameColumn[fr]), url || null);
      frameFunc[fr] = f;
    }
    func[i] = f;
    if (f === ROOT_NAMED) frames.set(i, { functionName: '(root)', url: c.frameUrl[fr] >= 0 ? c.strings[c.frameUrl[fr]] : undefined });
  }
  const linked = linkDense(c, func, frames);
  if (linked === null) return null;
  const samples: SampleColumns = {
    samples: c.samples,
    deltas: c.timeDeltas !== null && c.timeDeltas.length > 0 ? c.timeDeltas : null,
    timestamps: null,
    startTime: c.startTime,
    endTime: c.endTime,
  };
  const timed = addLinked(builder, linked, c.samples === null ? hitCountsOf(c) : null, funcs, samples, '');
  const profile = builder.finish({ name, format: 'cpuprofile', unit: timed ? 'microseconds' : 'samples' });
  return withSampleWeight(profile, shownOf(samples));
}

/** One sample's weight on average (the sampling interval): marks the profile as sampled (its noise is read from tree.selfSq). */
function withSampleWeight(p: Profile, samples: number): Profile {
  const total = p.tree.total[0];
  return samples > 0 && total > 0 ? { ...p, sampleWeight: total / samples } : p;
}

function isObject(v: unknown): v is object {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------
// From parsed JSON to the tree

/** Old format: flatten the nested `head` tree (iteratively) into parent-linked nodes. */
function legacyToRaw(obj: Record<string, unknown>): RawCpuProfile {
  const nodes: RawNode[] = [];
  const stack: { node: LegacyNode; parent: unknown }[] = [{ node: obj.head as LegacyNode, parent: undefined }];
  let synthetic = 0;
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    if (!isObject(node)) throw invalid('a node of the legacy "head" tree is not an object', { key: 'head' });
    // Ids are what samples refer to; nodes without one get ids no sample can name.
    const id = typeof node.id === 'number' ? node.id : `legacy-${synthetic++}`;
    nodes.push({ id, callFrame: node, parent, hitCount: node.hitCount });
    const ch = node.children;
    if (Array.isArray(ch)) for (let k = ch.length - 1; k >= 0; k--) stack.push({ node: ch[k] as LegacyNode, parent: id });
  }
  // startTime/endTime are in seconds here, timestamps in microseconds.
  const sec = (v: unknown) => (typeof v === 'number' ? v * 1e6 : v);
  return { nodes, samples: obj.samples, timestamps: obj.timestamps, startTime: sec(obj.startTime), endTime: sec(obj.endTime) };
}

/** Id -> index in nodes[]: a table when ids are small integers, else a Map. */
class IdIndex {
  private constructor(
    private table: Int32Array | null,
    private map: Map<unknown, number> | null,
  ) {}

  static ofTable(table: Int32Array): IdIndex {
    return new IdIndex(table, null);
  }

  static scan(nodes: unknown[]): IdIndex {
    const n = nodes.length;
    let max = -1;
    let small = true;
    for (let i = 0; i < n; i++) {
      const id = (nodes[i] as RawNode | null)?.id;
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
        small = false;
        break;
      }
      if (id > max) max = id;
    }
    if (small && max < Math.max(ID_TABLE_MIN, n * MAX_ID_TABLE_SLACK)) {
      const t = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < n; i++) {
        const id = (nodes[i] as RawNode).id as number;
        if (t[id] !== -1) throw duplicate(id);
        t[id] = i;
      }
      return new IdIndex(t, null);
    }
    const m = new Map<unknown, number>();
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      if (!isObject(node)) throw invalid(`nodes[${i}] is not an object`, { key: 'nodes' });
      const id = (node as RawNode).id;
      if (id === undefined || id === null) throw invalid(`nodes[${i}] has no id`, { key: 'nodes' });
      if (m.has(id)) throw duplicate(id);
      m.set(id, i);
    }
    return new IdIndex(null, m);
  }

  /** Index of the node with this id, or -1. */
  get(id: unknown): number {
    const t = this.table;
    if (t !== null) return typeof id === 'number' && id >= 0 && id < t.length && Number.isInteger(id) ? t[id] : -1;
    return this.map!.get(id) ?? -1;
  }
}

function duplicate(id: unknown): ParseError {
  return invalid(`node id ${String(id)} appears twice in "nodes"`, { key: 'id', value: id, nth: 2 });
}

/**
 * An anonymous function is named by where it is, as DevTools shows it: `(anonymous) file.js:12:5`
 * (the url's last path segment, 1-based line and column), so distinct ones of one file stay distinct.
 * diff.ts matches them across base and head by their order within the file, never by the numbers.
 */
export function anonymousName(url: string | null, line: number, column: number): string {
  if (url === null || !(line >= 0)) return '(anonymous)';
  const file = url.slice(url.lastIndexOf('/') + 1) || url;
  return `(anonymous) ${file}:${line + 1}${column >= 0 ? `:${column + 1}` : ''}`;
}

/** A frame whose function is not looked up yet. */
const UNRESOLVED = -2;

/** func[i] of a parentless-looking node named (root): resolved once its parent is known. */
const ROOT_NAMED = -1;

/** The nodes as columns: each one's parent (index, -1 for a root) and function. */
interface Linked {
  ids: IdIndex;
  parent: Int32Array;
  func: Int32Array;
  /** Call frames of the nodes named (root), in case one has a parent and is a frame after all. */
  frames: Map<number, RawFrame | null | undefined>;
}

function hitCountsOf(nodes: unknown[] | CpuprofileColumns): Float64Array {
  const columns = Array.isArray(nodes) ? null : nodes;
  const n = columns ? columns.nodeCount : (nodes as unknown[]).length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = columns ? columns.hitCount[i] : (nodes as RawNode[])[i].hitCount;
    if (h === Infinity) throw invalid(`nodes[${i}] has a hitCount too large to be a number`, { key: 'id', value: columns ? columns.id[i] : (nodes as RawNode[])[i].id });
    if (typeof h === 'number' && h > 0) out[i] = h;
  }
  return out;
}

/**
 * Adds one profile's samples to `builder`. Returns false when the file has no
 * times, so the weights are sample counts.
 */
function addProfile(builder: TreeBuilder, raw: RawCpuProfile, label = ''): boolean {
  const funcs = new FuncCache(builder);
  const func = new Int32Array(raw.nodes.length);
  const frames: Linked['frames'] = new Map();
  for (let i = 0; i < raw.nodes.length; i++) {
    const frame = (raw.nodes[i] as RawNode | null)?.callFrame;
    if (frame?.functionName !== '(root)') func[i] = funcs.get(frame);
    else {
      func[i] = ROOT_NAMED;
      frames.set(i, frame);
    }
  }
  const columns = columnsOf(raw.nodes);
  const linked = (columns && linkDense(columns, func, frames)) ?? linkGeneral(raw.nodes, func, frames, builder);
  const hitCounts = Array.isArray(raw.samples) ? null : hitCountsOf(raw.nodes);
  // The node objects are nearly all of the parsed file and nothing below reads them.
  // Dropped before the next scavenge, they are not copied out of the young generation
  // (tens of milliseconds on a 20 MB profile); the caller's JSON is ours to change.
  raw.nodes = [];
  return addLinked(builder, linked, hitCounts, funcs, samplesOf(raw), label);
}

/** What addSamples reads of a profile, from JSON.parse's arrays or the byte reader's columns. */
interface SampleColumns {
  /** Null: no samples array (hit counts then). */
  samples: ArrayLike<unknown> | null;
  /** Null when absent or empty (no times). */
  deltas: ArrayLike<unknown> | null;
  timestamps: ArrayLike<unknown> | null;
  startTime: unknown;
  endTime: unknown;
}

function samplesOf(raw: RawCpuProfile): SampleColumns {
  return {
    samples: Array.isArray(raw.samples) ? raw.samples : null,
    deltas: Array.isArray(raw.timeDeltas) && raw.timeDeltas.length > 0 ? raw.timeDeltas : null,
    timestamps: Array.isArray(raw.timestamps) ? raw.timestamps : null,
    startTime: raw.startTime,
    endTime: raw.endTime,
  };
}

/**
 * The node columns of JSON.parse's node objects when they can be V8's layout (number ids, number
 * or absent parents and hit counts, arrays of numbers as children); null otherwise (linkGeneral).
 */
function columnsOf(nodes: unknown[]): CpuprofileColumns | null {
  const n = nodes.length;
  const id = new Float64Array(n);
  const parentId = new Float64Array(n);
  const hitCount = new Float64Array(n);
  const childStart = new Int32Array(n + 1);
  const kids: number[] = [];
  for (let i = 0; i < n; i++) {
    const node = nodes[i] as RawNode | null;
    if (node === null || typeof node !== 'object') return null;
    if (typeof node.id !== 'number') return null;
    id[i] = node.id;
    const p = node.parent;
    if (p === undefined || p === null) parentId[i] = NaN;
    else if (typeof p === 'number') parentId[i] = p;
    else return null;
    hitCount[i] = typeof node.hitCount === 'number' ? node.hitCount : NaN;
    childStart[i] = kids.length;
    const ch = node.children;
    if (ch !== undefined && ch !== null) {
      if (!Array.isArray(ch)) return null;
      for (let k = 0; k < ch.length; k++) {
        if (typeof ch[k] !== 'number') return null;
        kids.push(ch[k]);
      }
    }
  }
  childStart[n] = kids.length;
  const none = new Int32Array(0);
  const nothing = new Float64Array(0);
  // The frames are not read from these columns: addProfile resolves the node objects' callFrames itself.
  return {
    nodeCount: n,
    id,
    parentId,
    hitCount,
    childStart,
    childId: Float64Array.from(kids),
    frame: none,
    frameCount: 0,
    frameName: none,
    frameUrl: none,
    frameLine: nothing,
    frameColumn: nothing,
    strings: [],
    samples: null,
    timeDeltas: null,
    startTime: NaN,
    endTime: NaN,
  };
}

/** The tree of linked nodes and their samples, into `builder`; false when the weights are sample counts. */
function addLinked(builder: TreeBuilder, linked: Linked, hitCounts: Float64Array | null, funcs: FuncCache, samples: SampleColumns, label: string): boolean {
  const { ids, parent, func, frames } = linked;
  const n = parent.length;

  // Visit parents before children: V8 writes nodes in that order; otherwise walk from the roots.
  let order: Int32Array | null = null;
  for (let i = 0; i < n; i++) {
    if (parent[i] >= i) {
      order = topDownOrder(parent);
      break;
    }
  }

  // Builder node of each profile node.
  const bnode = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    const p = parent[i];
    let f = func[i];
    if (f === ROOT_NAMED) {
      if (p < 0) continue; // bnode[i] = 0: the builder's own root
      f = funcs.get(frames.get(i));
    }
    bnode[i] = builder.child(p < 0 ? 0 : bnode[p], f);
  }

  return addSamples(builder, samples, hitCounts, ids, bnode, label);
}

const isSmallId = (v: unknown, cap: number): v is number => typeof v === 'number' && v >= 0 && v < cap && (v | 0) === v;

/**
 * The common case in one pass over the node columns: integer ids below 2n + 1024 (V8 numbers
 * them 1..n), each listed once, no dangling link. Null for anything else, which linkGeneral
 * then reads (and reports) in full.
 */
function linkDense(c: CpuprofileColumns, func: Int32Array, frames: Linked['frames']): Linked | null {
  const n = c.nodeCount;
  const cap = 2 * n + 1024;
  const index = new Int32Array(cap).fill(-1); // id -> node index
  const listedBy = new Int32Array(cap).fill(-1); // id -> index of the node whose children list it
  const idOf = new Int32Array(n);
  const { id: ids, parentId, childStart, childId } = c;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!isSmallId(id, cap) || index[id] !== -1) return null;
    index[id] = i;
    idOf[i] = id;
    const p = parentId[i];
    if (p === p && !isSmallId(p, cap)) return null;
    for (let k = childStart[i]; k < childStart[i + 1]; k++) {
      const ch = childId[k];
      if (!isSmallId(ch, cap) || listedBy[ch] !== -1) return null;
      listedBy[ch] = i;
    }
  }
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let p = listedBy[idOf[i]];
    const q = parentId[i];
    if (q === q) {
      const qi = index[q];
      if (qi < 0 || (p >= 0 && p !== qi)) return null;
      p = qi;
    }
    parent[i] = p;
  }
  for (let k = 0; k < cap; k++) if (listedBy[k] >= 0 && index[k] < 0) return null;
  return { ids: IdIndex.ofTable(index), parent, func, frames };
}

/** Any ids, any links: parents from `children` and/or `parent`, which must agree; dangling links counted. */
function linkGeneral(nodes: unknown[], func: Int32Array, frames: Linked['frames'], builder: TreeBuilder): Linked {
  const n = nodes.length;
  const ids = IdIndex.scan(nodes);
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const node = nodes[i] as RawNode;
    if (!isObject(node)) throw invalid(`nodes[${i}] is not an object`, { key: 'nodes' });
    const p = node.parent;
    if (p !== undefined && p !== null) {
      const pi = ids.get(p);
      if (pi < 0) builder.skip(0, `node ${String(node.id)} has parent id ${String(p)}, which is not in "nodes": its stacks start at the root`);
      else if (parent[i] === -1) parent[i] = pi;
      else if (parent[i] !== pi) throw invalid(`node ${String(node.id)} has two parents`, { key: 'id', value: node.id });
    }
    const ch = node.children;
    if (Array.isArray(ch)) {
      for (let k = 0; k < ch.length; k++) {
        const c = ids.get(ch[k]);
        if (c < 0) builder.skip(0, `node ${String(node.id)} lists child id ${String(ch[k])}, which is not in "nodes"`);
        else if (parent[c] === -1) parent[c] = i;
        else if (parent[c] !== i) throw invalid(`node ${String(ch[k])} has two parents`, { key: 'id', value: ch[k] });
      }
    }
  }
  return { ids, parent, func, frames };
}

/** Parents-first order of a parent-linked forest, by an explicit-stack walk; rejects cycles. */
function topDownOrder(parent: Int32Array): Int32Array {
  const n = parent.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) start[parent[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) children[fill[parent[i]]++] = i;
  const order = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  let next = 0;
  for (let i = 0; i < n; i++) if (parent[i] < 0) stack[sp++] = i;
  while (sp > 0) {
    const i = stack[--sp];
    order[next++] = i;
    for (let c = start[i]; c < start[i + 1]; c++) stack[sp++] = children[c];
  }
  if (next < n) throw invalid(`the nodes' parent links form a cycle (${n - next} nodes are not under a root)`, { key: 'nodes' });
  return order;
}

/**
 * FuncIndex of a call frame. Hashing every node's url and name dominated the walk
 * (urls are long, and every node has its own string objects), so frames are first
 * looked up by (scriptId, line, column), which are small, and the name and url
 * found there are only compared: equal name and url is the same function, wherever
 * the position hint came from. Anything else takes the (url, name) map behind.
 */
class FuncCache {
  private byUrl = new Map<string | null, Map<string, number>>();
  private byPosition = new Map<number, { name: unknown; url: unknown; line: unknown; column: unknown; f: number }>();
  constructor(private builder: TreeBuilder) {}

  get(frame: RawFrame | null | undefined): number {
    if (!frame) return this.byName('(anonymous)', null);
    const { functionName, url, scriptId, lineNumber, columnNumber } = frame;
    // Only a hint (name and url are compared), so a small-integer hash will do.
    const key = typeof lineNumber === 'number' && typeof columnNumber === 'number' ? (Number(scriptId) * 1000003 + lineNumber * 4099 + columnNumber) & 0x3fffffff : -1;
    const hit = this.byPosition.get(key);
    // An anonymous function is named by its position, so for one the position must match too.
    if (hit !== undefined && hit.name === functionName && hit.url === url && (functionName !== '' || (hit.line === lineNumber && hit.column === columnNumber))) return hit.f;
    const file = typeof url === 'string' && url !== '' ? url : null;
    const f = this.byName(typeof functionName === 'string' && functionName !== '' ? functionName : anonymousName(file, num(lineNumber), num(columnNumber)), file);
    if (hit === undefined) this.byPosition.set(key, { name: functionName, url, line: lineNumber, column: columnNumber, f });
    return f;
  }

  /** The function of a (name, url) already normalised: '(anonymous)' for no name, null for no url. */
  named(name: string, url: string | null): number {
    return this.byName(name, url);
  }

  private byName(name: string, url: string | null): number {
    let names = this.byUrl.get(url);
    if (names === undefined) {
      names = new Map();
      this.byUrl.set(url, names);
    }
    let f = names.get(name);
    if (f === undefined) {
      f = this.builder.funcIndex(name, url);
      names.set(name, f);
    }
    return f;
  }
}

/** A finite number, or NaN (missing): 1e999 in the JSON is Infinity. */
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** `label` opens the sentence of a warning (the trace's part; empty for a .cpuprofile). */
function addSamples(builder: TreeBuilder, raw: SampleColumns, hitCounts: Float64Array | null, ids: IdIndex, bnode: Int32Array, label: string): boolean {
  const startTime = num(raw.startTime);
  const endTime = num(raw.endTime);
  const samples = raw.samples;

  if (samples === null) {
    // No samples array: hitCount per node, the time spread evenly over the hits.
    const h = hitCounts!;
    let hits = 0;
    for (let i = 0; i < h.length; i++) hits += h[i];
    const per = hits > 0 && endTime > startTime ? (endTime - startTime) / hits : 1;
    if (!Number.isFinite(hits) || !Number.isFinite(per)) throw invalid('the hit counts or the profile times add up past the largest number a double holds', { key: 'hitCount' });
    for (let i = 0; i < h.length; i++) if (h[i] > 0) builder.addSamples(bnode[i], h[i], per);
    return hits === 0 || endTime > startTime;
  }

  let m = samples.length;
  if (m === 0) return true;
  // An empty timeDeltas is no times at all, as when it is missing.
  const deltas = raw.deltas;
  // V8 writes one delta per sample. Other lengths are a profile whose arrays were cut apart
  // (a trace that lost chunks, a tool that stopped writing): only the samples that have a
  // time are shown, and the last of them is not stretched to endTime over the missing ones.
  let cutShort = false;
  if (deltas && deltas.length !== m) {
    const n = (x: number) => x.toLocaleString('en-US');
    const short = Math.min(m, deltas.length);
    builder.incomplete(
      `${label}looks truncated: "samples" has ${n(m)} entries and "timeDeltas" ${n(deltas.length)}, where each sample has its delta; ` +
        (m > deltas.length ? `the last ${n(m - short)} samples, which have no time, are left out` : `the ${n(deltas.length - short)} deltas past the last sample are ignored`),
    );
    cutShort = m > deltas.length;
    m = short;
  }
  // Builder node of each sample (-1: unknown id) and, in the same pass, its time.
  const where = new Int32Array(m);
  const stamps = !deltas && raw.timestamps !== null && raw.timestamps.length >= m ? raw.timestamps : null;
  const time = deltas || stamps ? new Float64Array(m) : null;
  let t = Number.isFinite(startTime) ? startTime : 0;
  let inOrder = true;
  let known = 0;
  for (let k = 0; k < m; k++) {
    const i = ids.get(samples[k]);
    if (i >= 0) {
      where[k] = bnode[i];
      known++;
    } else {
      where[k] = -1;
      builder.skip(0, `sample ${k} names node id ${String(samples[k])}, which is not in "nodes"`);
    }
    if (time !== null) {
      const d = deltas !== null ? deltas[k] : stamps![k];
      const key = deltas ? 'timeDeltas' : 'timestamps';
      if (typeof d !== 'number') throw invalid(`${key}[${k}] is not a number`, { key });
      const prev = t;
      t = deltas !== null ? t + d : d;
      // 1e999 parses as Infinity, and big deltas add up to it: times past a double would make NaN weights.
      if (!Number.isFinite(t)) throw invalid(`${key}[${k}] puts sample ${k} past the largest time a double holds`, { key });
      time[k] = t;
      if (t < prev && k > 0) inOrder = false;
    }
  }
  if (known === 0) throw invalid(`none of the ${m} samples names a node in "nodes"`, { key: 'samples' });

  if (time === null) {
    const per = endTime > startTime ? (endTime - startTime) / m : 1;
    if (!Number.isFinite(per)) throw invalid('the profile spans more time than a double holds', { key: 'endTime' });
    for (let k = 0; k < m; k++) if (where[k] >= 0) builder.addSamples(where[k], 1, per);
    return endTime > startTime;
  }

  // Legacy files may carry one more timestamp: where the last sample ends; so does a delta past the last sample.
  let end = stamps !== null && stamps.length > m ? num(stamps[m]) : deltas !== null && deltas.length > m ? time[m - 1] + num(deltas[m]) : NaN;
  const sorted = inOrder ? null : sortedByTime(time);
  const first = sorted ? time[sorted[0]] : time[0];
  const last = sorted ? time[sorted[m - 1]] : time[m - 1];
  if (!(end >= last)) end = endTime >= last && !cutShort ? endTime : m > 1 ? last + (last - first) / (m - 1) : last;
  // Each weight is at most the span, and they add up to it.
  if (!Number.isFinite(end - first)) throw invalid('the samples span more time than a double holds', { key: deltas ? 'timeDeltas' : 'timestamps' });

  if (sorted === null) {
    for (let k = 0; k < m; k++) {
      const w = (k + 1 < m ? time[k + 1] : end) - time[k];
      if (where[k] >= 0) builder.addSamples(where[k], 1, w);
    }
  } else {
    for (let j = 0; j < m; j++) {
      const k = sorted[j];
      const w = (j + 1 < m ? time[sorted[j + 1]] : end) - time[k];
      if (where[k] >= 0) builder.addSamples(where[k], 1, w);
    }
  }
  return true;
}

/**
 * Sample indices stably sorted by time. V8 writes a handful of samples a few
 * microseconds out of order, so an insertion sort (no callback per comparison)
 * finishes in about one pass; a badly shuffled file falls back to Array sort.
 */
function sortedByTime(time: Float64Array): Uint32Array {
  const m = time.length;
  const order = new Uint32Array(m);
  for (let j = 0; j < m; j++) order[j] = j;
  let budget = 8 * m + 1024;
  for (let j = 1; j < m; j++) {
    const k = order[j];
    const t = time[k];
    let q = j - 1;
    while (q >= 0 && time[order[q]] > t) {
      order[q + 1] = order[q];
      q--;
      if (--budget < 0) {
        for (let i = 0; i < m; i++) order[i] = i;
        return order.sort((a, b) => time[a] - time[b] || a - b);
      }
    }
    order[q + 1] = k;
  }
  return order;
}
