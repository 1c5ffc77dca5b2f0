import type { Format } from './profile';

/** One side's summary. */
export interface SideInfo {
  name: string;
  format: Format;
  unit: string;
  /** Root total, in `unit`. */
  total: number;
  events: string[];
  parts: string[];
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
}

/** Functions merged over all their call paths, matched by key. */
export interface DiffFunctions {
  /** StringIndex of the raw name (head's spelling when both sides have it). */
  name: Int32Array;
  /** StringIndex of the file, or -1. */
  file: Int32Array;
  /** StringIndex of the normalised key base and head were matched on. */
  key: Int32Array;
  baseSelf: Float64Array;
  baseTotal: Float64Array;
  headSelf: Float64Array;
  headTotal: Float64Array;
  /**
   * 1 where a function's figures are an estimate rather than the tool's exact cost (a transform
   * redistributed callgrind's cost over a call tree that the call graph does not determine); absent = all exact.
   */
  estimated?: Uint8Array;
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
}

export function diffTransferables(d: Diff): ArrayBuffer[] {
  const t = d.tree;
  const cols = (f: DiffFunctions) => [f.name, f.file, f.key, f.baseSelf, f.baseTotal, f.headSelf, f.headTotal, ...(f.estimated ? [f.estimated] : [])];
  const arrays = [t.func, t.parent, t.depth, t.subtreeEnd, t.baseSelf, t.baseTotal, t.headSelf, t.headTotal, ...cols(d.functions), ...cols(d.raw)];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
