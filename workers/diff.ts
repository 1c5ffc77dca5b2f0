// Pure diff: merge base and head call trees by call path, on matched keys.
import type { Profile } from '../src/model/profile';
import type { Diff, DiffFunctions, DiffTree, SideInfo, SideRuns } from '../src/model/diff-model';
import { TreeBuilder } from '../src/model/tree-builder';
import type { StringTable } from '../src/model/string-table';
import { matchKey, fileKeys, DEFAULT_MATCH_RULES, type MatchRules } from '../src/model/match-key';
import { functionTotals, runsPerFunction, subtreeTotals } from '../src/model/function-totals';

export function sideInfo(p: Profile): SideInfo {
  return {
    name: p.name,
    format: p.format,
    unit: p.unit,
    total: p.tree.total[0] ?? 0,
    events: p.events,
    eventIndex: p.eventIndex ?? 0,
    parts: p.parts,
    partIndex: p.partIndex ?? -1,
    skippedLines: p.warnings.skippedLines,
    warnings: p.warnings.examples,
    incomplete: p.warnings.incomplete ?? [],
    sampleWeight: p.sampleWeight,
  };
}

/** Diffs two profiles; `head` may be the same object as `base` for a single-profile view. */
export function diffProfiles(base: Profile, head: Profile, rules: MatchRules = DEFAULT_MATCH_RULES): Diff {
  const merged = new TreeBuilder();
  // A file's key depends on both sides' files (a moved checkout, two util.c in different directories).
  const baseFiles = filesOf(base);
  const headFiles = filesOf(head);
  // A side that names no file at all (folded stacks, perf script against a callgrind or pprof side)
  // can only be matched by name: a key with a file would match nothing of it.
  const byName = base !== head && (baseFiles.size === 0) !== (headFiles.size === 0);
  const files = rules.relativePaths && !byName ? fileKeys(baseFiles, headFiles) : null;
  // Merged function ids are interned by key, so siblings sort by key on both sides.
  const baseMap = mapFunctions(base, merged, rules, files?.base, byName);
  const headMap = mapFunctions(head, merged, rules, files?.head, byName);
  const baseNode = mapNodes(base, baseMap, merged);
  const headNode = mapNodes(head, headMap, merged);
  const { tree: shape, newIndex } = merged.finishTreeWithMap();
  const n = shape.func.length;

  const baseSelf = new Float64Array(n);
  const headSelf = new Float64Array(n);
  for (let i = 0; i < baseNode.length; i++) baseSelf[newIndex[baseNode[i]]] += base.tree.self[i];
  for (let i = 0; i < headNode.length; i++) headSelf[newIndex[headNode[i]]] += head.tree.self[i];
  const tree: DiffTree = {
    func: shape.func,
    parent: shape.parent,
    depth: shape.depth,
    subtreeEnd: shape.subtreeEnd,
    baseSelf,
    baseTotal: subtreeTotals(shape.parent, baseSelf),
    headSelf,
    headTotal: subtreeTotals(shape.parent, headSelf),
  };
  // Variances go where the costs went: the samples of a node are in one merged node.
  if (base.tree.selfSq) {
    tree.baseSelfSq = mergedColumn(n, baseNode, newIndex, base.tree.selfSq);
    tree.baseTotalSq = subtreeTotals(tree.parent, tree.baseSelfSq);
  }
  if (head.tree.selfSq) {
    tree.headSelfSq = mergedColumn(n, headNode, newIndex, head.tree.selfSq);
    tree.headTotalSq = subtreeTotals(tree.parent, tree.headSelfSq);
  }

  const funcCount = merged.funcCount;
  const strings = merged.strings;
  const functions: DiffFunctions = {
    name: new Int32Array(funcCount).fill(-1),
    file: new Int32Array(funcCount).fill(-1),
    key: new Int32Array(funcCount),
    ...sideFunctionTotals(tree, funcCount),
    ...sideFunctionVariances(tree, funcCount),
  };
  const keyOf = mergedKeys(merged);
  for (let f = 0; f < funcCount; f++) functions.key[f] = strings.intern(keyOf[f]);
  if (base.funcModule || head.funcModule) functions.module = new Int32Array(funcCount).fill(-1);
  for (const [p, map] of [[base, baseMap], [head, headMap]] as const) {
    for (let f = 0; f < map.length; f++) {
      const m = map[f];
      // A key with several spellings (callgrind's fib and fib'2, V8's tiers) is named by the
      // shortest (head's of equal ones): the function's own name, not one of its recursion levels.
      const name = p.strings[p.funcName[f]];
      const was = functions.name[m];
      if (was >= 0 && strings.values[was].length < name.length) continue;
      functions.name[m] = strings.intern(name);
      const file = p.funcFile[f];
      // A side without files (matched by name) does not erase the other side's file.
      if (file >= 0) functions.file[m] = strings.intern(p.strings[file]);
      const module = p.funcModule?.[f] ?? -1;
      if (module >= 0) functions.module![m] = strings.intern(p.strings[module]);
    }
  }
  applyExactCosts(base, baseMap, functions.baseSelf, functions.baseTotal);
  applyExactCosts(head, headMap, functions.headSelf, functions.headTotal);

  const { raw, baseFunc, headFunc } = rawRows(base, head, baseMap, headMap, functions.key, strings);
  const out: Diff = { strings: strings.values, tree, functions, raw, base: sideInfo(base), head: sideInfo(head) };
  if (base.runs || head.runs) {
    out.runs = {
      base: sideRuns(base, baseNode, baseMap, newIndex, tree.func, funcCount),
      head: sideRuns(head, headNode, headMap, newIndex, tree.func, funcCount),
    };
    out.rawRuns = { base: rawRunSelf(base, baseFunc), head: rawRunSelf(head, headFunc) };
  }
  return out;
}

/**
 * A side's runs on the merged tree (`node`: each of the profile's nodes' builder node; `funcMap`:
 * each of its functions' merged function). A profile of one run is that run: its tree's selfs.
 */
function sideRuns(p: Profile, node: Int32Array, funcMap: Int32Array, newIndex: Int32Array, func: Int32Array, funcCount: number): SideRuns {
  const n = func.length;
  const m = p.tree.func.length;
  const R = p.runs ? p.runs.totals.length : 1;
  const src = p.runs ? p.runs.self : p.tree.self;
  const srcSq = p.runs ? p.runs.selfSq : p.tree.selfSq;
  const nodeSelf = new Float64Array(R * n);
  const nodeSelfSq = srcSq ? new Float64Array(R * n) : undefined;
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < m; i++) {
      const at = r * n + newIndex[node[i]];
      nodeSelf[at] += src[r * m + i];
      if (nodeSelfSq) nodeSelfSq[at] += srcSq![r * m + i];
    }
  }
  return {
    names: p.runs ? p.runs.names : [p.name],
    totals: p.runs ? p.runs.totals.slice() : Float64Array.of(p.tree.total[0] ?? 0),
    sampleWeight: p.runs ? p.runs.sampleWeight.slice() : Float64Array.of(p.sampleWeight ?? 0),
    nodeSelf,
    nodeSelfSq,
    funcSelf: exactRunSelf(p, funcMap, funcCount, R) ?? runsPerFunction(nodeSelf, func, funcCount, R),
    funcSelfSq: nodeSelfSq ? runsPerFunction(nodeSelfSq, func, funcCount, R) : undefined,
  };
}

/**
 * Each run's exact self per merged function, where the format records it (callgrind): the figures
 * whose mean the table shows (applyExactCosts), so each interval is about the table's own Δ.
 */
function exactRunSelf(p: Profile, funcMap: Int32Array, funcCount: number, R: number): Float64Array | undefined {
  const src = p.runs ? p.runs.funcSelfExact : p.funcSelfExact;
  if (!src) return undefined;
  const m = funcMap.length;
  const out = new Float64Array(R * funcCount);
  for (let r = 0; r < R; r++) for (let f = 0; f < m; f++) out[r * funcCount + funcMap[f]] += src[r * m + f];
  return out;
}


/**
 * Each run's self of each export row (`func`: the row's function in `p`, -1 for none), run-major:
 * exact where the format records it, else the run's tree; their mean is the row's figure (rawTotals).
 */
function rawRunSelf(p: Profile, func: Int32Array): Float64Array {
  const R = p.runs ? p.runs.totals.length : 1;
  const F = p.funcName.length;
  const perRun =
    (p.runs ? p.runs.funcSelfExact : p.funcSelfExact) ??
    (p.runs ? runsPerFunction(p.runs.self, p.tree.func, F, R) : functionTotals(p.tree, F).self);
  const n = func.length;
  const out = new Float64Array(R * n);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) if (func[i] >= 0) out[r * n + i] = perRun[r * F + func[i]];
  return out;
}

/** Per raw function of one profile: self and total, exact where the format records them. */
function rawTotals(p: Profile): { self: Float64Array; total: Float64Array } {
  const t = functionTotals(p.tree, p.funcName.length);
  return { self: p.funcSelfExact ?? t.self, total: p.funcInclusive ?? t.total };
}

function rawRows(base: Profile, head: Profile, baseMap: Int32Array, headMap: Int32Array, keyString: Int32Array, strings: StringTable): { raw: DiffFunctions; baseFunc: Int32Array; headFunc: Int32Array } {
  const b = rawTotals(base);
  const h = base === head ? b : rawTotals(head);
  // Raw functions of each side per merged key.
  const group = (map: Int32Array) => {
    const g = new Map<number, number[]>();
    map.forEach((m, f) => (g.get(m) ?? g.set(m, []).get(m)!).push(f));
    return g;
  };
  const bg = group(baseMap);
  const hg = group(headMap);
  const rows: { name: string; file: number; key: number; bf: number; hf: number }[] = [];
  const fileOf = (p: Profile, f: number) => (p.funcFile[f] < 0 ? -1 : strings.intern(p.strings[p.funcFile[f]]));
  const nameOf = (p: Profile, f: number) => p.strings[p.funcName[f]];
  for (const m of new Set([...bg.keys(), ...hg.keys()])) {
    const bs = bg.get(m) ?? [];
    const hs = hg.get(m) ?? [];
    if (bs.length <= 1 && hs.length <= 1) {
      const f = hs.length ? hs[0] : bs[0];
      const p = hs.length ? head : base;
      rows.push({ name: nameOf(p, f), file: fileOf(p, f), key: m, bf: bs[0] ?? -1, hf: hs[0] ?? -1 });
      continue;
    }
    const headByName = new Map(hs.map((f) => [nameOf(head, f), f]));
    for (const f of bs) {
      const n = nameOf(base, f);
      const hf = headByName.get(n) ?? -1;
      headByName.delete(n);
      rows.push({ name: n, file: fileOf(base, f), key: m, bf: f, hf });
    }
    for (const [n, f] of headByName) rows.push({ name: n, file: fileOf(head, f), key: m, bf: -1, hf: f });
  }
  const n = rows.length;
  const out: DiffFunctions = {
    name: new Int32Array(n),
    file: new Int32Array(n),
    key: new Int32Array(n),
    baseSelf: new Float64Array(n),
    baseTotal: new Float64Array(n),
    headSelf: new Float64Array(n),
    headTotal: new Float64Array(n),
  };
  const baseFunc = Int32Array.from(rows, (r) => r.bf);
  const headFunc = Int32Array.from(rows, (r) => r.hf);
  rows.forEach((r, i) => {
    out.name[i] = strings.intern(r.name);
    out.file[i] = r.file;
    out.key[i] = keyString[r.key];
    if (r.bf >= 0) {
      out.baseSelf[i] = b.self[r.bf];
      out.baseTotal[i] = b.total[r.bf];
    }
    if (r.hf >= 0) {
      out.headSelf[i] = h.self[r.hf];
      out.headTotal[i] = h.total[r.hf];
    }
  });
  return { raw: out, baseFunc, headFunc };
}

/** The files `p`'s functions name, raw. */
function filesOf(p: Profile): Set<string> {
  const out = new Set<string>();
  for (const file of p.funcFile) if (file >= 0) out.add(p.strings[file]);
  return out;
}

/**
 * The merged function of every function of `p`; `fileKey` maps its raw files to their keys (else
 * files match as written); `byName`: keys are names alone (the other side has no files).
 */
function mapFunctions(p: Profile, merged: TreeBuilder, rules: MatchRules, fileKey: Map<string, string> | undefined, byName: boolean): Int32Array {
  const map = new Int32Array(p.funcName.length);
  const anonymous = rules.stripLineCol ? anonymousOrdinals(p) : null;
  for (let f = 0; f < map.length; f++) {
    const file = p.funcFile[f] < 0 || byName ? null : p.strings[p.funcFile[f]];
    const name = anonymous?.get(f) ?? p.strings[p.funcName[f]];
    map[f] = merged.funcIndex(matchKey(name, file === null ? null : (fileKey?.get(file) ?? file), rules));
  }
  return map;
}

/** `(anonymous) bench.js:68:43`, as the cpuprofile reader names an anonymous function by its position. */
const ANONYMOUS = '(anonymous) ';
/** Its position: the leftmost `:line` or `:line:column` that ends the name. */
const POSITION = /:(\d+)(?::(\d+))?$/;

/**
 * Anonymous functions have no name to match on, and their line numbers shift with every edit above
 * them (the js-json pair's comparator moves from :68:43 to :66:43): they are matched by their order
 * of position within their file instead, `(anonymous) #2` being the second of its file in both sides.
 */
function anonymousOrdinals(p: Profile): Map<number, string> | null {
  const byFile = new Map<number, { f: number; line: number; column: number }[]>();
  for (let f = 0; f < p.funcName.length; f++) {
    const name = p.strings[p.funcName[f]];
    const m = name.startsWith(ANONYMOUS) ? POSITION.exec(name) : null;
    if (!m) continue;
    const list = byFile.get(p.funcFile[f]) ?? byFile.set(p.funcFile[f], []).get(p.funcFile[f])!;
    list.push({ f, line: Number(m[1]), column: m[2] === undefined ? 0 : Number(m[2]) });
  }
  if (byFile.size === 0) return null;
  const out = new Map<number, string>();
  for (const list of byFile.values()) {
    list.sort((a, b) => a.line - b.line || a.column - b.column);
    list.forEach(({ f }, k) => out.set(f, `(anonymous) #${k + 1}`));
  }
  return out;
}

/** The merged builder node of every node of `p`'s tree (parents come before children in DFS order). */
function mapNodes(p: Profile, funcMap: Int32Array, merged: TreeBuilder): Int32Array {
  const t = p.tree;
  const out = new Int32Array(t.func.length);
  out[0] = 0;
  for (let i = 1; i < out.length; i++) out[i] = merged.child(out[t.parent[i]], funcMap[t.func[i]]);
  return out;
}

function mergedKeys(merged: TreeBuilder): string[] {
  const out: string[] = [];
  for (let f = 0; f < merged.funcCount; f++) out.push(merged.funcNameOf(f));
  return out;
}

/** A column of one side's tree summed into the merged tree's nodes (`node`: each node's merged builder node). */
function mergedColumn(n: number, node: Int32Array, newIndex: Int32Array, column: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < node.length; i++) out[newIndex[node[i]]] += column[i];
  return out;
}

/** Per function, the variances of self and total of the sides whose tree has them (see DiffFunctions.baseSelfSq). */
function sideFunctionVariances(tree: DiffTree, funcCount: number): Pick<DiffFunctions, 'baseSelfSq' | 'baseTotalSq' | 'headSelfSq' | 'headTotalSq'> {
  const out: Pick<DiffFunctions, 'baseSelfSq' | 'baseTotalSq' | 'headSelfSq' | 'headTotalSq'> = {};
  if (tree.baseSelfSq && tree.baseTotalSq) {
    const b = functionTotals(treeOf(tree), funcCount, tree.baseSelfSq, tree.baseTotalSq);
    out.baseSelfSq = b.self;
    out.baseTotalSq = b.total;
  }
  if (tree.headSelfSq && tree.headTotalSq) {
    const h = functionTotals(treeOf(tree), funcCount, tree.headSelfSq, tree.headTotalSq);
    out.headSelfSq = h.self;
    out.headTotalSq = h.total;
  }
  return out;
}

function treeOf(tree: DiffTree) {
  return { func: tree.func, parent: tree.parent, depth: tree.depth, subtreeEnd: tree.subtreeEnd, self: tree.baseSelf, total: tree.baseTotal };
}

function sideFunctionTotals(tree: DiffTree, funcCount: number) {
  const shape = treeOf(tree);
  const b = functionTotals(shape, funcCount, tree.baseSelf, tree.baseTotal);
  const h = functionTotals(shape, funcCount, tree.headSelf, tree.headTotal);
  return { baseSelf: b.self, baseTotal: b.total, headSelf: h.self, headTotal: h.total };
}

/**
 * Where the format records exact per-function costs (callgrind), they win over
 * the tree's: the tree is an approximation of a call graph. Inclusive costs are
 * only summed where one raw function maps to the key, since inclusive costs of
 * two raw functions of one key (fib and fib'2) overlap.
 */
function applyExactCosts(p: Profile, map: Int32Array, self: Float64Array, total: Float64Array): void {
  if (!p.funcSelfExact && !p.funcInclusive) return;
  const count = new Int32Array(self.length);
  for (let f = 0; f < map.length; f++) count[map[f]]++;
  if (p.funcSelfExact) {
    const seen = new Uint8Array(self.length);
    for (let f = 0; f < map.length; f++) {
      const m = map[f];
      if (!seen[m]) {
        self[m] = 0;
        seen[m] = 1;
      }
      self[m] += p.funcSelfExact[f];
    }
  }
  if (p.funcInclusive) {
    for (let f = 0; f < map.length; f++) if (count[map[f]] === 1) total[map[f]] = p.funcInclusive[f];
  }
}
