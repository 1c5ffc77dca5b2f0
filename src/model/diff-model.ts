import type { Format } from './profile';

/** One side's summary. */
export interface SideInfo {
  name: string;
  format: Format;
  unit: string;
  /** Root total, in `unit`. */
  total: number;
  events: string[];
  /** Index into `events` of the one read (the file's default unless the view chose another). */
  eventIndex: number;
  parts: string[];
  /** Index into `parts` of the one read, -1 for all of them summed. */
  partIndex: number;
  skippedLines: number;
  warnings: string[];
  /** Signs the file is incomplete (see ParseWarnings.incomplete); empty when none. */
  incomplete: string[];
  /** Weight of one sample in `unit`; undefined for deterministic counts (callgrind). */
  sampleWeight?: number;
}

/**
 * The merged call tree of base and head, depth-first, children in key order.
 * A node present on one side only has zeros on the other.
 */
export interface DiffTree {
  /** Index into DiffFunctions; -1 for the root. */
  func: Int32Array;
  /** NodeIndex of the parent; -1 for the root. */
  parent: Int32Array;
  depth: Int32Array;
  /** One past the last node of the subtree. */
  subtreeEnd: Int32Array;
  /** Cost in the node itself / with descendants, per side, in the unit. */
  baseSelf: Float64Array;
  baseTotal: Float64Array;
  headSelf: Float64Array;
  headTotal: Float64Array;
  /**
   * Variance between identical runs of each node's self / total, per side, in unit²: the sum of the
   * squared weights of the samples in the node (CallTree.selfSq) / in its subtree. Only for a side
   * whose samples weigh differently (cpuprofile); absent, the variance is sampleWeight · cost.
   */
  baseSelfSq?: Float64Array;
  baseTotalSq?: Float64Array;
  headSelfSq?: Float64Array;
  headTotalSq?: Float64Array;
}

/** Functions merged over all their call paths, matched by key. */
export interface DiffFunctions {
  /** StringIndex of the raw name (head's spelling when both sides have it). */
  name: Int32Array;
  /** StringIndex of the file, or -1. */
  file: Int32Array;
  /** StringIndex of the normalised key base and head were matched on. */
  key: Int32Array;
  /** StringIndex of the binary or library (perf script's DSO), -1 where unknown; absent when no side has one. */
  module?: Int32Array;
  baseSelf: Float64Array;
  baseTotal: Float64Array;
  headSelf: Float64Array;
  headTotal: Float64Array;
  /**
   * 1 where a function's figures are an estimate rather than the tool's exact cost (a transform
   * redistributed callgrind's cost over a call tree that the call graph does not determine); absent = all exact.
   */
  estimated?: Uint8Array;
  /**
   * Variance of each function's self / total between identical runs, per side, in unit²: the sum of
   * the squared weights of its self samples / of the samples of the stacks that contain it (each
   * once under recursion). As DiffTree's: only for a side whose samples weigh differently, and only
   * in `Diff.functions` (the export's raw rows carry none).
   */
  baseSelfSq?: Float64Array;
  baseTotalSq?: Float64Array;
  headSelfSq?: Float64Array;
  headTotalSq?: Float64Array;
}

export interface Diff {
  strings: string[];
  tree: DiffTree;
  /** Functions merged by match key (the ranked table). */
  functions: DiffFunctions;
  /**
   * Functions as the files name them (the export): one row per raw name, with the
   * tools' exact figures; `key` says which rows the table merges. A raw name of one
   * side pairs with the other side's same name, or with its only name of the same key.
   */
  raw: DiffFunctions;
  base: SideInfo;
  head: SideInfo;
  /**
   * Several runs on a side (Profile.runs), as each run's figures on this tree and function table.
   * Both sides are present when either has several runs (a side of one run is its one run).
   * Absent for one run against one run: the sampling-noise model applies.
   */
  runs?: { base: SideRuns; head: SideRuns };
  /**
   * With runs: each run's self of each `raw` row, run-major ([r·rows + i]), so that a row of a key
   * with several raw names (fib and fib'2) has an interval of its own figures, not of its key's.
   */
  rawRuns?: { base: Float64Array; head: Float64Array };
}

/** One side's runs, laid out run-major: run r's value of node (or function) i at [r·count + i]. */
export interface SideRuns {
  names: string[];
  /** Each run's whole total (as measured, whatever the view), and its weight of one sample (0: exact counts). */
  totals: Float64Array;
  sampleWeight: Float64Array;
  nodeSelf: Float64Array;
  /** Σw² per node and run where samples weigh differently (CallTree.selfSq). */
  nodeSelfSq?: Float64Array;
  /**
   * Each run's node totals where they are not the subtree sums of nodeSelf (the inverted tree and
   * a sandwich's callers, whose frames carry parts of a function's cost); absent: subtree sums.
   */
  nodeTotal?: Float64Array;
  nodeTotalSq?: Float64Array;
  funcSelf: Float64Array;
  funcSelfSq?: Float64Array;
}

/** The export's rows (Diff.raw) of each key (StringIndex), in row order. */
export function rawRowsByKey(raw: DiffFunctions): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let r = 0; r < raw.key.length; r++) (out.get(raw.key[r]) ?? out.set(raw.key[r], []).get(raw.key[r])!).push(r);
  return out;
}

export function runCount(s: SideRuns): number {
  return s.totals.length;
}

function runArrays(r: SideRuns): ArrayBufferView[] {
  return [r.totals, r.sampleWeight, r.nodeSelf, r.funcSelf, ...[r.nodeSelfSq, r.funcSelfSq, r.nodeTotal, r.nodeTotalSq].filter((a): a is Float64Array => a !== undefined)];
}

export function diffTransferables(d: Diff): ArrayBuffer[] {
  const t = d.tree;
  const present = (...a: (ArrayBufferView | undefined)[]) => a.filter((x): x is ArrayBufferView => x !== undefined);
  const cols = (f: DiffFunctions) => [f.name, f.file, f.key, f.baseSelf, f.baseTotal, f.headSelf, f.headTotal, ...present(f.estimated, f.baseSelfSq, f.baseTotalSq, f.headSelfSq, f.headTotalSq)];
  const arrays = [
    t.func, t.parent, t.depth, t.subtreeEnd, t.baseSelf, t.baseTotal, t.headSelf, t.headTotal,
    ...present(t.baseSelfSq, t.baseTotalSq, t.headSelfSq, t.headTotalSq),
    ...cols(d.functions), ...cols(d.raw),
    ...(d.runs ? [...runArrays(d.runs.base), ...runArrays(d.runs.head)] : []),
    ...(d.rawRuns ? [d.rawRuns.base, d.rawRuns.head] : []),
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
