// The one profile model every parser produces and every view consumes.
// Plain objects of typed arrays (comlink clones class instances as bare
// properties, and typed arrays can be transferred instead of copied).

export type Format = 'callgrind' | 'folded' | 'cpuprofile' | 'pprof' | 'speedscope' | 'perf-script';

/** Index into Profile.strings. */
export type StringIndex = number;
/** Index into the function table (Profile.funcName / funcFile). */
export type FuncIndex = number;
/** Index into a call tree's node columns, in depth-first order; node 0 is the synthetic root. */
export type NodeIndex = number;

/**
 * A call tree in depth-first order: a subtree is the index range
 * [i, subtreeEnd[i]), and totals are one reverse loop over self.
 */
export interface CallTree {
  /** FuncIndex of each node; -1 for the root. */
  func: Int32Array;
  /** NodeIndex of the parent; -1 for the root. */
  parent: Int32Array;
  /** Depth, root = 0. */
  depth: Int32Array;
  /** NodeIndex one past the last node of this node's subtree. */
  subtreeEnd: Int32Array;
  /** Cost spent in this node itself, in the profile's unit (float64: counts reach 2^53). */
  self: Float64Array;
  /** self plus every descendant's self, in the profile's unit. */
  total: Float64Array;
  /**
   * Sum of the squared weights of the samples in this node itself, in unit² (µs² for a cpuprofile):
   * the variance of self between identical runs (compound Poisson, Σw²), where samples weigh
   * differently (cpuprofile: the time until the next sample). Absent where every sample weighs the
   * same (folded: the variance is sampleWeight · self, which Σw² would equal) or counts are exact (callgrind).
   */
  selfSq?: Float64Array;
}

/** Skipped-but-tolerated input, shown to the user. */
export interface ParseWarnings {
  skippedLines: number;
  /** First few examples of what was skipped, with line numbers. */
  examples: string[];
  /**
   * Signs that the file is incomplete (cut short, a write interrupted), each a sentence that
   * names the figures, e.g. "looks truncated: costs read add up to 38,934 Ir, its totals: line says 249,979,994".
   * The file still loads; the app shows these as a visible warning for its side.
   */
  incomplete?: string[];
}

export interface Profile {
  /** File name (or URL) the profile came from. */
  name: string;
  format: Format;
  /** Unit of every weight: 'samples', 'microseconds', or a callgrind event name such as 'Ir'. */
  unit: string;
  /** Interned strings: function names and file names. */
  strings: string[];
  /** StringIndex of each function's name, raw as the file writes it. */
  funcName: Int32Array;
  /** StringIndex of each function's file; -1 where the format has none. */
  funcFile: Int32Array;
  /**
   * StringIndex of the binary or library each function is in (perf script's DSO), -1 where unknown;
   * shown beside the name, never matched on (a library's path differs between machines).
   */
  funcModule?: Int32Array;
  tree: CallTree;
  /**
   * Exact inclusive cost per function where the format records it (callgrind),
   * indexed by FuncIndex; otherwise undefined and derived from the tree.
   */
  funcInclusive?: Float64Array;
  /** Exact self cost per function where the tree may be approximate (callgrind). */
  funcSelfExact?: Float64Array;
  /** Every event/column the file offers (callgrind `events:`, pprof sample types); the selected one is `unit`. */
  events: string[];
  /** Index into `events` of the one the weights are, when the format chose it (pprof's default sample type); else ParseOptions.event ?? 0. */
  eventIndex?: number;
  /** Parts/threads the file holds, when more than one (callgrind `part:`, trace threads, speedscope profiles). */
  parts: string[];
  /** Index into `parts` of the one read, -1 for all summed (absent: all summed, as callgrind reads them). */
  partIndex?: number;
  warnings: ParseWarnings;
  /**
   * Weight of one sample, in `unit`, for sampled profiles (folded, cpuprofile; the mean interval
   * where samples weigh differently); undefined for deterministic counts (callgrind). Says that the
   * profile is sampled, and gives the variance of a cost c as sampleWeight · c where `tree.selfSq` is absent.
   */
  sampleWeight?: number;
  /**
   * Several runs of one side merged (workers/merge-runs.ts): the tree holds their mean per run
   * (widths are a typical run), and these columns each run's own figures, so a difference can be
   * told from run-to-run variation. Absent for one run.
   */
  runs?: ProfileRuns;
}

export interface ProfileRuns {
  names: string[];
  /** Run r's self of node i at [r·nodes + i], in the unit. */
  self: Float64Array;
  /** Run r's Σw² of node i (where samples weigh differently, as CallTree.selfSq), same layout. */
  selfSq?: Float64Array;
  /**
   * Run r's exact self of function f at [r·functions + f] (FuncIndex of the merged profile), where
   * every run records it (callgrind's funcSelfExact): the tree's selfs are only an estimate of it.
   */
  funcSelfExact?: Float64Array;
  /** Each run's whole total, and its weight of one sample (0: exact counts). */
  totals: Float64Array;
  sampleWeight: Float64Array;
}

/** Options the user can change; a parser ignores what does not apply to it. */
export interface ParseOptions {
  /** Callgrind: index into `events:` (derived events follow the raw ones). Default 0. */
  event?: number;
  /** Callgrind parts / trace threads: index into Profile.parts, or -1 for all summed. Default -1. */
  part?: number;
  /** Folded: the unit to declare instead of 'samples'. */
  unit?: string;
  /** Size of the input in bytes when known beforehand (a file, a Content-Length): lets a reader refuse what cannot fit. */
  sizeHint?: number;
}

/** A malformed input: which file, which format, where, and why. */
export interface ParseErrorInfo {
  file: string;
  format: Format | 'unknown';
  /** 1-based line, where the format is line-oriented. */
  line?: number;
  /** 0-based byte offset, where known. */
  byte?: number;
  message: string;
  /** 'download' when the bytes never arrived (network, CORS, HTTP status). */
  stage?: 'download' | 'parse';
}

export class ParseError extends Error {
  readonly format: Format | 'unknown';
  readonly line?: number;
  readonly byte?: number;
  constructor(format: Format | 'unknown', message: string, where: { line?: number; byte?: number } = {}) {
    super(message);
    this.name = 'ParseError';
    this.format = format;
    this.line = where.line;
    this.byte = where.byte;
  }
}

export function describeError(e: ParseErrorInfo): string {
  const where = e.line !== undefined ? ` at line ${e.line}` : e.byte !== undefined ? ` at byte ${e.byte}` : '';
  const format = e.format === 'unknown' ? '' : ` (${e.format})`;
  return `${e.file}${format}${where}: ${e.message}`;
}

/** The buffers of a profile, for Comlink.transfer: moved between threads, never copied. */
export function profileTransferables(p: Profile): ArrayBuffer[] {
  const t = p.tree;
  const arrays: ArrayBufferView[] = [t.func, t.parent, t.depth, t.subtreeEnd, t.self, t.total, p.funcName, p.funcFile];
  if (t.selfSq) arrays.push(t.selfSq);
  if (p.funcModule) arrays.push(p.funcModule);
  if (p.funcInclusive) arrays.push(p.funcInclusive);
  if (p.funcSelfExact) arrays.push(p.funcSelfExact);
  if (p.runs) arrays.push(...[p.runs.self, p.runs.selfSq, p.runs.funcSelfExact, p.runs.totals, p.runs.sampleWeight].filter((a): a is Float64Array => a !== undefined));
  // A column may share its buffer with another (a subarray): list each buffer once.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
