// Transforms applied to the merged tree, so base and head change the same way
// at once. Each rewrites call paths and rebuilds a depth-first tree.
//
// Figures. For folded stacks and cpuprofiles the tree is the data: after a transform their
// function figures are those of the transformed tree, exact by construction. For callgrind
// the tree is an estimate (a call graph does not determine a call tree: workers/parse/callgrind/call-tree.ts)
// while the function figures are callgrind's own, so a transform keeps a function's exact
// self where it removes or moves none of that function's own cost, and its exact total where
// no stack containing the function loses it; only the other figures are estimated, from the
// tree (see exactSide), and marked in `functions.estimated` (the table's "≈").
// The run totals after a transform are the sum of the function selfs: header, table and export agree.
//
// Noise. Where a side's samples weigh differently (cpuprofile) its tree carries each node's sum of
// squared sample weights (DiffTree.baseSelfSq…), the variance the noise model reads. Every transform
// moves a node's samples whole, to one node or out of the view, so that column goes where the node's
// self goes, exactly, and is summed as self is (subtree totals, function totals): nowhere does a
// cpuprofile side lose it. Sides that never had it keep the q·cost model: folded stacks (uniform
// weights) and callgrind (exact counts, no noise; exactSide's estimates scale costs, never variances).
import type { Diff, DiffFunctions, DiffTree, SideInfo, SideRuns } from './diff-model';
import type { CallTree } from './profile';
import { TreeBuilder } from './tree-builder';
import { functionTotals, runsPerFunction, subtreeTotals } from './function-totals';
import { displayKey } from './match-key';

export type Transform =
  /** A function met again deeper in its own stack is folded into its outermost frame (intermediate frames drop out). */
  | { kind: 'collapse-recursion' }
  /** Only direct recursion f → f is folded. */
  | { kind: 'collapse-direct-recursion' }
  /**
   * The function's frames disappear; their cost goes to their callers (a frame with no caller,
   * at the root, hands its own cost to nobody: that cost leaves the view).
   */
  | { kind: 'merge'; key: string }
  /** Only stacks through the function remain, rooted at it. */
  | { kind: 'focus'; key: string }
  /** Stacks through frames whose name matches the pattern are dropped (any spelling of the function, or its key's name). */
  | { kind: 'hide'; pattern: string };

export function encodeTransform(t: Transform): string {
  switch (t.kind) {
    case 'collapse-recursion':
      return 'rec';
    case 'collapse-direct-recursion':
      return 'drec';
    case 'merge':
      return `merge:${t.key}`;
    case 'focus':
      return `focus:${t.key}`;
    case 'hide':
      return `hide:${t.pattern}`;
  }
}

export function decodeTransform(s: string): Transform | null {
  if (s === 'rec') return { kind: 'collapse-recursion' };
  if (s === 'drec') return { kind: 'collapse-direct-recursion' };
  const i = s.indexOf(':');
  if (i < 0) return null;
  const arg = s.slice(i + 1);
  switch (s.slice(0, i)) {
    case 'merge':
      return { kind: 'merge', key: arg };
    case 'focus':
      return { kind: 'focus', key: arg };
    case 'hide':
      return { kind: 'hide', pattern: arg };
  }
  return null;
}

export function describeTransform(t: Transform, display: (key: string) => string = (k) => k): string {
  switch (t.kind) {
    case 'collapse-recursion':
      return 'collapse recursion';
    case 'collapse-direct-recursion':
      return 'collapse direct recursion';
    case 'merge':
      return `merge ${display(t.key)} into callers`;
    case 'focus':
      return `focus on ${display(t.key)}`;
    case 'hide':
      return `hide /${t.pattern}/`;
  }
}

/** A case-insensitive pattern; text that is not a valid regular expression matches literally. */
export function patternRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

// ---------------------------------------------------------------------------------------------
// Views of a diff made here remember what they were made from, so that an export (which must
// describe the transformed view) and the sandwich (which must read the non-inverted tree) can
// find it again whichever view the UI hands them.

interface Provenance {
  /** The diff as loaded (no transform). */
  source: Diff;
  transforms: Transform[];
}
const provenance = new WeakMap<Diff, Provenance>();
/** An inverted tree → the diff it was inverted from. */
const invertedFrom = new WeakMap<Diff, Diff>();
/** Trees whose first row holds each function's own figures, not the tree's (inverted trees, a sandwich's callers). */
const functionFirstRow = new WeakSet<Diff>();

/**
 * Whether a frame's figures are callgrind's own rather than the call tree's estimate: the call
 * graph gives each function's cost and its calls' costs, not how a callee's cost splits over its
 * callers' stacks, so a frame of a callgrind tree is an estimate, except the whole run of the file
 * as loaded and a first-row frame that holds its function's figures (inverted, callers).
 */
export function frameIsExact(d: Diff, node: number): boolean {
  if (!hasExactCosts(d.base) && !hasExactCosts(d.head)) return true;
  if (node === 0) return transformsOf(d).length === 0;
  return functionFirstRow.has(d) && d.tree.depth[node] === 1;
}

/** The transforms that made `d` from the diff as loaded ([] for that diff, or one not made here). */
export function transformsOf(d: Diff): Transform[] {
  return provenance.get(d)?.transforms ?? [];
}

/** The diff as loaded that `d` (a transformed or inverted view made here) comes from; `d` itself otherwise. */
export function untransformedOf(d: Diff): Diff {
  return provenance.get(d)?.source ?? invertedFrom.get(d) ?? d;
}

/** The non-inverted diff of a view: `d` itself unless it was made by invertTree. */
export function nonInvertedOf(d: Diff): Diff {
  return invertedFrom.get(d) ?? d;
}

/**
 * `transforms` applied to `d`, one after the other. An inverted view is transformed as its
 * non-inverted tree (a transform of a bottom-up tree has no meaning). No transform: `d` itself.
 */
export function applyTransforms(d: Diff, transforms: Transform[]): Diff {
  d = nonInvertedOf(d);
  if (transforms.length === 0) return d;
  const from = provenance.get(d) ?? { source: d, transforms: [] };
  let out = d;
  for (const t of transforms) out = applyOne(out, t);
  // A view of its own even when nothing changed (same columns), so that it can say which transforms made it.
  if (out === d) out = { ...d };
  provenance.set(out, { source: from.source, transforms: [...from.transforms, ...transforms] });
  return out;
}

/**
 * The view that `transforms` (all of the view's transforms) make of the diff `d` came from:
 * `d` may be the diff as loaded or any view of it made here (transformed, inverted).
 */
export function viewWithTransforms(d: Diff, transforms: Transform[]): Diff {
  return applyTransforms(untransformedOf(d), transforms);
}

function funcOfKey(d: Diff, key: string): number {
  const f = d.functions;
  for (let i = 0; i < f.key.length; i++) if (d.strings[f.key[i]] === key) return i;
  return -1;
}

/**
 * The functions a hide pattern matches: by any name the files give them (`fib` and `fib'2` are one
 * function, one frame in the merged tree) or by the name of their match key.
 */
function hiddenFunctions(d: Diff, re: RegExp): Uint8Array {
  const F = d.functions.key.length;
  const hidden = new Uint8Array(F);
  const test = (s: number) => re.test(d.strings[s]);
  const funcOfKeyString = new Map<number, number>();
  for (let f = 0; f < F; f++) {
    funcOfKeyString.set(d.functions.key[f], f);
    if (test(d.functions.name[f]) || re.test(displayKey(d.strings[d.functions.key[f]]))) hidden[f] = 1;
  }
  for (let r = 0; r < d.raw.key.length; r++) {
    const f = funcOfKeyString.get(d.raw.key[r]);
    if (f !== undefined && !hidden[f] && test(d.raw.name[r])) hidden[f] = 1;
  }
  return hidden;
}

/** Whether a side's function figures are the tool's own rather than the tree's (callgrind's exact costs). */
export function hasExactCosts(side: SideInfo): boolean {
  return side.format === 'callgrind';
}

/** One side's columns of a diff. */
interface Side {
  /** Tree columns, per node. */
  self: Float64Array;
  total: Float64Array;
  /** Function figures (the table's). */
  fSelf: Float64Array;
  fTotal: Float64Array;
  /** Variances (unit²) of the node selfs and totals and of the function figures, where the side has them (DiffTree.baseSelfSq). */
  selfSq?: Float64Array;
  totalSq?: Float64Array;
  fSelfSq?: Float64Array;
  fTotalSq?: Float64Array;
  exact: boolean;
  runTotal: number;
}

function sideOf(d: Diff, which: 'base' | 'head'): Side {
  const t = d.tree;
  const f = d.functions;
  return which === 'base'
    ? {
        self: t.baseSelf, total: t.baseTotal, fSelf: f.baseSelf, fTotal: f.baseTotal,
        selfSq: t.baseSelfSq, totalSq: t.baseTotalSq, fSelfSq: f.baseSelfSq, fTotalSq: f.baseTotalSq,
        exact: hasExactCosts(d.base), runTotal: d.base.total,
      }
    : {
        self: t.headSelf, total: t.headTotal, fSelf: f.headSelf, fTotal: f.headTotal,
        selfSq: t.headSelfSq, totalSq: t.headTotalSq, fSelfSq: f.headSelfSq, fTotalSq: f.headTotalSq,
        exact: hasExactCosts(d.head), runTotal: d.head.total,
      };
}

/** Both sides' variance columns, named as DiffTree names them (only the sides that have them). */
function treeVariances(base: { selfSq?: Float64Array; totalSq?: Float64Array }, head: { selfSq?: Float64Array; totalSq?: Float64Array }) {
  const out: Pick<DiffTree, 'baseSelfSq' | 'baseTotalSq' | 'headSelfSq' | 'headTotalSq'> = {};
  if (base.selfSq && base.totalSq) [out.baseSelfSq, out.baseTotalSq] = [base.selfSq, base.totalSq];
  if (head.selfSq && head.totalSq) [out.headSelfSq, out.headTotalSq] = [head.selfSq, head.totalSq];
  return out;
}

/** Both sides' function variances, named as DiffFunctions names them (only the sides that have them). */
function functionVariances(base: { fSelfSq?: Float64Array; fTotalSq?: Float64Array }, head: { fSelfSq?: Float64Array; fTotalSq?: Float64Array }) {
  const out: Pick<DiffFunctions, 'baseSelfSq' | 'baseTotalSq' | 'headSelfSq' | 'headTotalSq'> = {};
  if (base.fSelfSq && base.fTotalSq) [out.baseSelfSq, out.baseTotalSq] = [base.fSelfSq, base.fTotalSq];
  if (head.fSelfSq && head.fTotalSq) [out.headSelfSq, out.headTotalSq] = [head.fSelfSq, head.fTotalSq];
  return out;
}

function treeShape(t: DiffTree, self: Float64Array, total: Float64Array): CallTree {
  return { func: t.func, parent: t.parent, depth: t.depth, subtreeEnd: t.subtreeEnd, self, total };
}

/**
 * Each node's share of its function's self figure (`fSelf`): the parts of a function's self
 * that reached it through each call path.
 *
 * Where the figures are the tree's own (folded, cpuprofile) the shares are the tree's selfs.
 * Where they are exact and the tree an estimate (callgrind), a function's exact self is
 * distributed over its nodes in proportion to the tree's estimate of their self, so that its
 * nodes' shares add up to the exact figure; a function the tree gives no self at all (its calls
 * were too light to expand: their cost stayed in the caller's node) in proportion to its nodes'
 * totals; a function with no node of any weight gets no share: its cost is known but not where.
 */
export function selfShares(tree: DiffTree, self: Float64Array, total: Float64Array, fSelf: Float64Array, exact: boolean): Float64Array {
  if (!exact) return self;
  const F = fSelf.length;
  const n = tree.func.length;
  const s = new Float64Array(F);
  const p = new Float64Array(F);
  for (let i = 1; i < n; i++) {
    s[tree.func[i]] += self[i];
    p[tree.func[i]] += total[i];
  }
  const ratio = new Float64Array(F);
  const byTotal = new Uint8Array(F);
  for (let f = 0; f < F; f++) {
    if (s[f] !== 0) ratio[f] = fSelf[f] / s[f];
    else if (p[f] !== 0) {
      ratio[f] = fSelf[f] / p[f];
      byTotal[f] = 1;
    }
  }
  const share = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const f = tree.func[i];
    share[i] = (byTotal[f] ? total[i] : self[i]) * ratio[f];
  }
  return share;
}

const DROP = -2;

/** Where each node of `d.tree` goes under `t`: a node of the builder, 0 (the root: its cost leaves the view) or DROP. */
function mapNodes(d: Diff, t: Transform, target: number, hidden: Uint8Array | null): { b: TreeBuilder; map: Int32Array } {
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  // Function indices stay those of d: interning the keys in order gives 0..F-1, and sorts siblings by key.
  const b = new TreeBuilder();
  for (let f = 0; f < F; f++) b.funcIndex(d.strings[d.functions.key[f]] + '\u0001' + f);
  const map = new Int32Array(n);
  map[0] = 0;
  // For recursion: the mapped node of each function's outermost active frame, with a depth count.
  const activeNode = new Int32Array(F).fill(-1);
  const activeCount = new Int32Array(F);
  const open: number[] = [];
  const exit = (i: number) => {
    const f = tree.func[i];
    if (f >= 0 && map[i] !== DROP && --activeCount[f] === 0) activeNode[f] = -1;
  };
  for (let i = 1; i < n; i++) {
    while (open.length && tree.subtreeEnd[open[open.length - 1]] <= i) exit(open.pop()!);
    const f = tree.func[i];
    const pm = map[tree.parent[i]];
    let m: number;
    if (pm === DROP) m = DROP;
    else if (hidden && hidden[f]) m = DROP;
    else if (t.kind === 'merge' && f === target) m = pm; // a frame with no caller (pm = 0) hands its self to nobody
    else if (t.kind === 'focus') {
      if (activeCount[target] > 0) m = b.child(pm, f);
      else if (f === target) m = b.child(0, f);
      else m = 0; // outside the focus: mapped to the root, its own cost leaves the view
    } else if (t.kind === 'collapse-recursion' && activeCount[f] > 0) m = activeNode[f];
    else if (t.kind === 'collapse-direct-recursion' && b.funcOfNode(pm) === f) m = pm;
    else m = b.child(pm, f);
    map[i] = m;
    if (f >= 0 && m !== DROP) {
      if (activeCount[f]++ === 0) activeNode[f] = m;
    }
    open.push(i);
  }
  return { b, map };
}

/** What a transform does to the part of a function's exact cost that the tree does not show (its "unseen" cost, see exactSide). */
const enum Fate {
  /** Removed with the function (hidden). */
  Drop,
  /** Kept whole: every stack of the function stays (a focus on it). */
  Keep,
  /** Kept as much as the view keeps of the surplus, where that cost is (see exactSide). */
  Scale,
  /** Merged into the callers its frames were merged into (none: it leaves the view). */
  Follow,
}

function hiddenFate(t: Transform, f: number, target: number, hidden: Uint8Array | null): Fate {
  if (hidden) return hidden[f] ? Fate.Drop : Fate.Scale;
  if (t.kind === 'merge') return f === target ? Fate.Follow : Fate.Scale;
  if (t.kind === 'focus') return f === target ? Fate.Keep : Fate.Scale;
  return Fate.Scale;
}

/** One side's figures after a transform. */
interface SideResult {
  self: Float64Array;
  total: Float64Array;
  fSelf: Float64Array;
  fTotal: Float64Array;
  /** The variances moved as the costs were (sides that have them: see Side). */
  selfSq?: Float64Array;
  totalSq?: Float64Array;
  fSelfSq?: Float64Array;
  fTotalSq?: Float64Array;
  runTotal: number;
  /** Per function: its self or its total is not what it was. */
  changed: Uint8Array;
  /** Per function: its figures are an estimate (exact side only). */
  estimated: Uint8Array | null;
}

/** What one transform did to the nodes of `tree` (shared by both sides). */
interface Moves {
  tree: DiffTree;
  shape: CallTree;
  /** Each old node's new node, or -1 where its cost leaves the view (the root keeps its own). */
  to: Int32Array;
  t: Transform;
  target: number;
  hidden: Uint8Array | null;
  F: number;
}

/**
 * A transform of the merged tree. Each node's cost goes to the node it maps to, or leaves the
 * view (hidden, outside a focus, a root frame merged into callers it does not have). Function
 * figures: see treeSide and exactSide.
 */
function applyOne(d: Diff, t: Transform): Diff {
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  const target = t.kind === 'merge' || t.kind === 'focus' ? funcOfKey(d, t.key) : -1;
  if ((t.kind === 'merge' || t.kind === 'focus') && target < 0) return d;
  let hidden: Uint8Array | null = null;
  if (t.kind === 'hide') hidden = hiddenFunctions(d, patternRegExp(t.pattern));
  const { b, map } = mapNodes(d, t, target, hidden);
  const sides = [sideOf(d, 'base'), sideOf(d, 'head')];
  // Every node kept in a place of its own: the tree is unchanged, and so is every figure, unless the
  // transform removes a function the tree has no frame of (its cost is known, not where it is).
  if (b.nodeCount === n) {
    let same = true;
    for (const s of sides) {
      if (!s.exact) continue;
      for (let f = 0; same && f < F; f++) {
        const fate = hiddenFate(t, f, target, hidden);
        if (s.fSelf[f] !== 0 && (fate === Fate.Drop || fate === Fate.Follow)) same = false;
      }
    }
    if (same) return d;
  }

  const { tree: shape, newIndex } = b.finishTreeWithMap();
  const to = new Int32Array(n);
  for (let i = 0; i < n; i++) to[i] = map[i] === DROP || (i > 0 && map[i] === 0) ? -1 : newIndex[map[i]];
  const moves: Moves = { tree, shape, to, t, target, hidden, F };
  const results = sides.map((s) => (s.exact ? exactSide(moves, s) : treeSide(moves, s)));

  const [rb, rh] = results;
  const out: DiffTree = {
    func: shape.func,
    parent: shape.parent,
    depth: shape.depth,
    subtreeEnd: shape.subtreeEnd,
    baseSelf: rb.self,
    baseTotal: rb.total,
    headSelf: rh.self,
    headTotal: rh.total,
    ...treeVariances(rb, rh),
  };
  let estimated: Uint8Array | undefined = d.functions.estimated ? d.functions.estimated.slice() : undefined;
  for (const r of results) {
    if (!r.estimated) continue;
    estimated ??= new Uint8Array(F);
    for (let f = 0; f < F; f++) estimated[f] |= r.estimated[f];
  }
  const changed = new Uint8Array(F);
  for (let f = 0; f < F; f++) changed[f] = rb.changed[f] | rh.changed[f];
  const { baseSelfSq: _bs, baseTotalSq: _bt, headSelfSq: _hs, headTotalSq: _ht, ...columns } = d.functions;
  const functions: DiffFunctions = {
    ...columns,
    baseSelf: rb.fSelf,
    baseTotal: rb.fTotal,
    headSelf: rh.fSelf,
    headTotal: rh.fTotal,
    ...functionVariances(rb, rh),
    estimated,
  };
  if (!estimated) delete functions.estimated;
  const { raw, rows } = transformRaw(d, functions, changed);
  const runs = d.runs && { base: moveRuns(moves, d.runs.base, d.functions.baseSelf, rb.fSelf), head: moveRuns(moves, d.runs.head, d.functions.headSelf, rh.fSelf) };
  return {
    ...d,
    tree: out,
    functions,
    raw,
    base: { ...d.base, total: rb.runTotal },
    head: { ...d.head, total: rh.runTotal },
    runs,
    rawRuns: runs && d.rawRuns && { base: moveRawRuns(rows, d.rawRuns.base, runs.base, F), head: moveRawRuns(rows, d.rawRuns.head, runs.head, F) },
  };
}

/** Each run's self of the transformed export rows: a kept raw row's own, a changed key's row its function's. */
function moveRawRuns(rows: RawRow[], before: Float64Array, runs: SideRuns, F: number): Float64Array {
  const R = runs.totals.length;
  const n0 = before.length / R;
  const n = rows.length;
  const out = new Float64Array(R * n);
  rows.forEach(({ from, f }, i) => {
    for (let k = 0; k < R; k++) out[k * n + i] = from >= 0 ? before[k * n0 + from] : runs.funcSelf[k * F + f];
  });
  return out;
}

/**
 * Each run's columns where the transform moves the nodes, as the mean's (treeSide): its samples go
 * where their node goes. A function's self per run is kept where the view keeps the function's
 * figure (`before` → `after`, the shown means: exact ones stay exact); elsewhere it is summed afresh
 * from the moved tree and centred on the figure shown, so that a function's interval is always
 * about the Δ the table shows (an exact side's figure is not the moved tree's: see exactSide).
 * Run totals stay those of the whole runs as measured, as shares always are.
 */
function moveRuns(m: Moves, r: SideRuns, before: Float64Array, after: Float64Array): SideRuns {
  const R = r.totals.length;
  const n = m.tree.func.length;
  const n2 = m.shape.func.length;
  const F = m.F;
  const move = (col: Float64Array) => {
    const out = new Float64Array(R * n2);
    for (let k = 0; k < R; k++) out.set(scatterTo(m, col.subarray(k * n, (k + 1) * n)), k * n2);
    return out;
  };
  const nodeSelf = move(r.nodeSelf);
  const nodeSelfSq = r.nodeSelfSq && move(r.nodeSelfSq);
  const moved = runsPerFunction(nodeSelf, m.shape.func, F, R);
  const funcSelf = new Float64Array(R * F);
  for (let f = 0; f < F; f++) {
    if (after[f] === before[f]) {
      for (let k = 0; k < R; k++) funcSelf[k * F + f] = r.funcSelf[k * F + f];
      continue;
    }
    let mean = 0;
    for (let k = 0; k < R; k++) mean += moved[k * F + f] / R;
    for (let k = 0; k < R; k++) funcSelf[k * F + f] = after[f] + (moved[k * F + f] - mean);
  }
  return {
    ...r,
    nodeSelf,
    nodeSelfSq,
    // Transforms read the top-down tree, whose totals are subtree sums.
    nodeTotal: undefined,
    nodeTotalSq: undefined,
    funcSelf,
    funcSelfSq: nodeSelfSq && runsPerFunction(nodeSelfSq, m.shape.func, F, R),
  };
}

function scatterTo(m: Moves, w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(m.shape.func.length);
  for (let i = 0; i < m.to.length; i++) if (m.to[i] >= 0) out[m.to[i]] += w[i];
  return out;
}

/** The transformed tree's columns for one side, and which functions' figures a transform changes. */
function moveSide(m: Moves, s: Side) {
  const { tree, shape, to, F } = m;
  const n = tree.func.length;
  const self = scatterTo(m, s.self);
  const total = subtreeTotals(shape.parent, self);
  const newShape: CallTree = { ...shape, self, total };
  const oldShape = treeShape(tree, s.self, s.total);
  // Stacks with cost (a node with self) that contain each function, before and after: a transform
  // only ever removes frames from a stack, so equal counts mean that no stack lost the function.
  const weighted = new Float64Array(n);
  for (let i = 1; i < n; i++) weighted[i] = s.self[i] !== 0 ? 1 : 0;
  const before = functionTotals(oldShape, F, weighted, subtreeTotals(tree.parent, weighted)).total;
  const weightedAfter = scatterTo(m, weighted);
  const after = functionTotals(newShape, F, weightedAfter, subtreeTotals(shape.parent, weightedAfter)).total;
  const totalChanged = new Uint8Array(F);
  for (let f = 0; f < F; f++) if (before[f] !== after[f]) totalChanged[f] = 1;
  // A function's own cost: kept in its frames, moved into another function's frames (merge), or gone.
  const selfChanged = new Uint8Array(F);
  const lost = new Uint8Array(F);
  for (let i = 1; i < n; i++) {
    if (!weighted[i]) continue;
    const f = tree.func[i];
    const j = to[i];
    if (j < 0) selfChanged[f] = lost[f] = 1;
    else if (shape.func[j] !== f) selfChanged[f] = lost[f] = selfChanged[shape.func[j]] = 1;
  }
  return { self, total, newShape, oldShape, selfChanged, totalChanged, lost };
}

/**
 * Folded stacks and cpuprofiles: the tree is the data, so the figures are the transformed tree's,
 * exact; a function the transform leaves alone keeps its figures bit for bit.
 */
function treeSide(m: Moves, s: Side): SideResult {
  const F = m.F;
  const { self, total, newShape, selfChanged, totalChanged } = moveSide(m, s);
  const ft = functionTotals(newShape, F, self, total);
  const fSelf = new Float64Array(F);
  const fTotal = new Float64Array(F);
  const changed = new Uint8Array(F);
  let any = false;
  for (let f = 0; f < F; f++) {
    fSelf[f] = selfChanged[f] ? ft.self[f] : s.fSelf[f];
    fTotal[f] = totalChanged[f] ? ft.total[f] : s.fTotal[f];
    if ((changed[f] = selfChanged[f] | totalChanged[f])) any = true;
  }
  const result: SideResult = { self, total, fSelf, fTotal, runTotal: any ? sumOf(fSelf) : s.runTotal, changed, estimated: null };
  if (s.selfSq) {
    // The samples go where their node goes: their squares too, summed the same way.
    const selfSq = scatterTo(m, s.selfSq);
    const totalSq = subtreeTotals(m.shape.parent, selfSq);
    const fq = functionTotals(newShape, F, selfSq, totalSq);
    for (let f = 0; f < F; f++) {
      if (s.fSelfSq && !selfChanged[f]) fq.self[f] = s.fSelfSq[f];
      if (s.fTotalSq && !totalChanged[f]) fq.total[f] = s.fTotalSq[f];
    }
    Object.assign(result, { selfSq, totalSq, fSelfSq: fq.self, fTotalSq: fq.total });
  }
  return result;
}

/**
 * Callgrind: the function figures are callgrind's exact ones and the tree an estimate of where
 * they were spent. A node's tree self is read as two parts: the function's own cost, up to its
 * exact self (the tree's self scaled down to it where the tree gives the function more), and a
 * surplus: the cost of callees the parser did not expand (calls too light), left in their
 * caller's node, at the right place under the wrong name. A function the tree gives less than
 * its exact self has the rest "unseen": those light calls. Unseen and surplus are the same cost
 * (they add up to the same figure), so a transform keeps as much of each function's unseen cost
 * as it keeps of the surplus; where it sits, of all the surplus, no one can tell (the tree's
 * callers of a function are its heavy call sites, not the light ones).
 *
 * - A function none of whose own cost the transform removes or moves, and whose unseen cost it
 *   keeps whole, keeps its exact self; where no stack containing it loses it, its exact total.
 * - Otherwise self = its own cost still in its frames + what merge moved into its frames + its
 *   unseen cost × the share of the surplus the view keeps (all of it in a focus on the function,
 *   none when it is hidden; merged, it follows its frames into their callers); total = the exact
 *   total × the part that stays of its tree total plus its unseen cost; and the function is
 *   marked estimated.
 *   On the CodSpeed pair, hiding `main` leaves 1,738,000 Ir of the exact 1,738,112 (run total −
 *   main's inclusive cost); spreading the unseen cost as the function's own frames go gave 2,056,119.
 * - Estimates are whole counts: a change under half a count is none, an estimate under half a
 *   count is 0 (no table of 1s), the others are rounded cumulatively so that (merge) they add up.
 */
function exactSide(m: Moves, s: Side): SideResult {
  // No variances here: exact counts have no sampling noise (and no selfSq column to move).
  const { tree, to, F, t, target, hidden } = m;
  const n = tree.func.length;
  const moved = moveSide(m, s);
  const { self, total, newShape, oldShape, selfChanged, totalChanged, lost } = moved;
  // Own part of each node (a ratio per function) and the unseen cost of each function.
  const treeSelf = new Float64Array(F);
  for (let i = 1; i < n; i++) treeSelf[tree.func[i]] += s.self[i];
  const ownRatio = new Float64Array(F);
  const unseen = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    ownRatio[f] = treeSelf[f] > 0 && s.fSelf[f] > 0 ? Math.min(1, s.fSelf[f] / treeSelf[f]) : 0;
    unseen[f] = s.fSelf[f] - ownRatio[f] * treeSelf[f];
  }
  const keptOwn = new Float64Array(F);
  const movedIn = new Float64Array(F);
  let surplus = 0;
  let surplusKept = 0;
  for (let i = 1; i < n; i++) {
    const w = s.self[i];
    if (w === 0) continue;
    const f = tree.func[i];
    const own = w * ownRatio[f];
    surplus += w - own;
    const j = to[i];
    if (j < 0) continue;
    surplusKept += w - own;
    const g = m.shape.func[j];
    if (g === f) keptOwn[f] += own;
    else movedIn[g] += own;
  }
  const keptOfRun = s.total[0] !== 0 ? total[0] / s.total[0] : 1;
  const surplusShare = surplus !== 0 ? surplusKept / surplus : keptOfRun;
  let movedTotal = 0;
  for (let f = 0; f < F; f++) movedTotal += movedIn[f];
  const unseenKept = new Float64Array(F);
  let followers = 0;
  for (let f = 0; f < F; f++) {
    if (unseen[f] === 0) continue;
    const fate = hiddenFate(t, f, target, hidden);
    if (fate === Fate.Follow) followers += unseen[f];
    let kept = 0;
    if (fate === Fate.Keep) kept = unseen[f];
    else if (fate === Fate.Scale) kept = surplusShare === 1 ? unseen[f] : unseen[f] * surplusShare;
    unseenKept[f] = kept;
    if (kept !== unseen[f]) selfChanged[f] = lost[f] = 1;
  }
  // A merged function's unseen cost goes where its visible cost went, in the same proportions.
  if (followers !== 0 && movedTotal !== 0) {
    for (let g = 0; g < F; g++) {
      if (movedIn[g] === 0) continue;
      movedIn[g] += (followers * movedIn[g]) / movedTotal;
      selfChanged[g] = 1;
    }
  }

  const integral = isIntegral(s.fSelf) && isIntegral(s.fTotal);
  const fSelf = s.fSelf.slice();
  const fTotal = s.fTotal.slice();
  let acc = 0;
  let accRounded = 0;
  for (let f = 0; f < F; f++) {
    if (!selfChanged[f]) continue;
    let v = (lost[f] ? keptOwn[f] : ownRatio[f] * treeSelf[f]) + unseenKept[f] + movedIn[f];
    if (integral) {
      if (Math.abs(v - s.fSelf[f]) < 0.5) {
        selfChanged[f] = 0;
        continue;
      }
      // Dust (a share of unseen cost spread thin over many functions) is no cost: no rows of 1.
      if (Math.abs(v) < 0.5) v = 0;
      acc += v;
      const r = Math.round(acc);
      v = r - accRounded;
      accRounded = r;
    }
    fSelf[f] = v;
  }
  // A focus keeps its function's exact total, and the view is that function's stacks: the estimated
  // selfs are scaled to what the exact ones leave of it, so that the view's run is that total (the
  // tree's estimate of the stacks came out 0.8% short of it on the CodSpeed pair's sre_search).
  if (t.kind === 'focus' && target >= 0) {
    let fixed = 0;
    let est = 0;
    for (let f = 0; f < F; f++) {
      if (selfChanged[f] && f !== target) est += fSelf[f];
      else fixed += fSelf[f];
    }
    const rest = s.fTotal[target] - fixed;
    if (est > 0 && rest >= 0 && rest !== est) {
      const scale = rest / est;
      let sum = 0;
      let rounded = 0;
      for (let f = 0; f < F; f++) {
        if (!selfChanged[f] || f === target) continue;
        sum += fSelf[f] * scale;
        const r = integral ? Math.round(sum) : sum;
        fSelf[f] = r - rounded;
        rounded = r;
      }
    }
  }
  const treeBefore = functionTotals(oldShape, F, s.self, s.total).total;
  const treeAfter = functionTotals(newShape, F, self, total).total;
  for (let f = 0; f < F; f++) {
    if (!totalChanged[f] && !selfChanged[f]) continue;
    // Its stacks in the tree and its unseen cost (stacks the tree does not have), as much as the view keeps.
    const before = treeBefore[f] + unseen[f];
    const ratio = before !== 0 ? (treeAfter[f] + unseenKept[f]) / before : 1;
    let v = s.fTotal[f] * ratio;
    if (integral) v = Math.round(v);
    // A function the tree has no frame of and whose self was dust: its total is dust too.
    if (treeBefore[f] === 0 && fSelf[f] === 0 && selfChanged[f]) v = 0;
    if (v < fSelf[f]) v = fSelf[f];
    if (v === s.fTotal[f]) totalChanged[f] = 0;
    fTotal[f] = v;
  }
  const changed = new Uint8Array(F);
  let estimated: Uint8Array | null = null;
  let any = false;
  for (let f = 0; f < F; f++) {
    changed[f] = selfChanged[f] | totalChanged[f];
    if (!changed[f]) {
      fSelf[f] = s.fSelf[f];
      fTotal[f] = s.fTotal[f];
      continue;
    }
    any = true;
    // Nothing left of it is no estimate: it has left the view.
    if (fSelf[f] !== 0 || fTotal[f] !== 0) (estimated ??= new Uint8Array(F))[f] = 1;
  }
  return { self, total, fSelf, fTotal, runTotal: any ? sumOf(fSelf) : s.runTotal, changed, estimated };
}

function sumOf(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  return sum;
}

function isIntegral(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isInteger(a[i])) return false;
  return true;
}

/**
 * The export's rows (one per raw name) after a transform: rows of a key the transform left alone
 * keep the tools' own per-raw-name figures; a key whose figures changed becomes ONE row with the
 * key's transformed figures (named as the table names it), since the merged tree a transform
 * works on no longer tells a key's raw names apart (fib and fib'2, JS:*f and JS:~f): splitting
 * the figure between them would be a guess, where one row is exact (folded, cpuprofile) or the
 * table's own estimate (callgrind). A changed key left with no cost at all has left the view: no row.
 */
function transformRaw(d: Diff, functions: DiffFunctions, changed: Uint8Array): { raw: DiffFunctions; rows: RawRow[] } {
  const raw = d.raw;
  const funcOfKeyString = new Map<number, number>();
  for (let f = 0; f < functions.key.length; f++) funcOfKeyString.set(functions.key[f], f);
  const rows: RawRow[] = [];
  const emitted = new Uint8Array(functions.key.length);
  for (let r = 0; r < raw.key.length; r++) {
    const f = funcOfKeyString.get(raw.key[r]) ?? -1;
    if (f < 0 || !changed[f]) rows.push({ from: r, f: -1 });
    else if (!emitted[f]) {
      emitted[f] = 1;
      if (functions.baseSelf[f] !== 0 || functions.baseTotal[f] !== 0 || functions.headSelf[f] !== 0 || functions.headTotal[f] !== 0) rows.push({ from: -1, f });
    }
  }
  const m = rows.length;
  const out: DiffFunctions = {
    name: new Int32Array(m),
    file: new Int32Array(m),
    key: new Int32Array(m),
    baseSelf: new Float64Array(m),
    baseTotal: new Float64Array(m),
    headSelf: new Float64Array(m),
    headTotal: new Float64Array(m),
  };
  let estimated: Uint8Array | undefined;
  rows.forEach(({ from, f }, i) => {
    const src = from >= 0 ? raw : functions;
    const j = from >= 0 ? from : f;
    out.name[i] = src.name[j];
    out.file[i] = src.file[j];
    out.key[i] = src.key[j];
    out.baseSelf[i] = src.baseSelf[j];
    out.baseTotal[i] = src.baseTotal[j];
    out.headSelf[i] = src.headSelf[j];
    out.headTotal[i] = src.headTotal[j];
    if (src.estimated?.[j]) (estimated ??= new Uint8Array(m))[i] = 1;
  });
  if (estimated) out.estimated = estimated;
  return { raw: out, rows };
}

/** An export row after a transform: the raw row it keeps (`from`), or the changed function it stands for (`f`); the other -1. */
interface RawRow {
  from: number;
  f: number;
}

/**
 * The callers of a function as a tree rooted at it (the top half of a sandwich view), read
 * from the non-inverted tree (an inverted view is read as the tree it was inverted from).
 * The root frame holds the function's own figures, self and total as the table shows them
 * (exact for callgrind); below it each caller path carries the part of the function's total
 * that reached it through that path (its total; self 0). Under recursion only the outermost
 * frame of the function on a stack counts, so every stack is counted once, as in its total.
 * Where the function's total is the tree's (folded, cpuprofile) the parts are the totals of
 * those outermost frames; where it is callgrind's exact inclusive cost, that cost is
 * distributed over them in proportion to the tree's estimate.
 */
export function callersOf(d: Diff, key: string): Diff | null {
  d = nonInvertedOf(d);
  const target = funcOfKey(d, key);
  if (target < 0) return null;
  const tree = d.tree;
  const n = tree.func.length;
  const b = keyBuilder(d);
  const leafNode: number[] = [];
  const outer: number[] = [];
  const rootNode = b.child(0, target);
  for (let i = 1; i < n; ) {
    if (tree.func[i] !== target) {
      i++;
      continue;
    }
    // Outermost occurrence: its subtree holds any deeper recursion, counted once here.
    let node = rootNode;
    for (let p = tree.parent[i]; p > 0; p = tree.parent[p]) node = b.child(node, tree.func[p]);
    leafNode.push(node);
    outer.push(i);
    i = tree.subtreeEnd[i];
  }
  const [bs, hs] = [sideOf(d, 'base'), sideOf(d, 'head')];
  const weights = [bs, hs].map((s) => {
    let sum = 0;
    for (const i of outer) sum += s.total[i];
    const scale = s.exact && sum !== 0 ? s.fTotal[target] / sum : 1;
    return outer.map((i) => s.total[i] * scale);
  });
  // A caller path's part is the samples of the stacks through it: their variance is their squares' sum.
  const squares = [bs, hs].map((s) => (s.totalSq ? outer.map((i) => s.totalSq![i]) : undefined));
  const { tree: shape, newIndex } = b.finishTreeWithMap();
  const out = pathTree(shape, newIndex, leafNode, weights[0], weights[1], squares[0], squares[1]);
  // The function's own frame: its figures; the callers: the parts of its total (no self).
  const r = newIndex[rootNode];
  out.baseSelf.fill(0);
  out.headSelf.fill(0);
  out.baseSelf[r] = bs.fSelf[target];
  out.headSelf[r] = hs.fSelf[target];
  out.baseTotal[r] = out.baseTotal[0] = bs.fTotal[target];
  out.headTotal[r] = out.headTotal[0] = hs.fTotal[target];
  for (const [selfSq, totalSq, s] of [[out.baseSelfSq, out.baseTotalSq, bs], [out.headSelfSq, out.headTotalSq, hs]] as const) {
    if (!selfSq || !totalSq) continue;
    selfSq.fill(0);
    selfSq[r] = s.fSelfSq?.[target] ?? 0;
    totalSq[r] = totalSq[0] = s.fTotalSq?.[target] ?? totalSq[r];
  }
  const runs = d.runs && {
    base: callerRuns(d.runs.base, tree, out, newIndex, leafNode, outer, r, target, d.functions.key.length),
    head: callerRuns(d.runs.head, tree, out, newIndex, leafNode, outer, r, target, d.functions.key.length),
  };
  const callers = { ...d, tree: out, runs };
  functionFirstRow.add(callers);
  return callers;
}

/**
 * A side's runs on a tree of call paths (the inverted tree, a sandwich's callers), whose totals are
 * not subtree sums of selfs: `run` fills one run's self row of the m frames and returns its totals,
 * from a column of the source tree's nodes and of the functions. The same for Σw² where kept.
 */
function pathTreeRuns(r: SideRuns, m: number, run: (col: Float64Array, funcCol: Float64Array, k: number, self: Float64Array) => Float64Array): SideRuns {
  const R = r.totals.length;
  const build = (col: Float64Array, funcCol: Float64Array) => {
    const self = new Float64Array(R * m);
    const total = new Float64Array(R * m);
    for (let k = 0; k < R; k++) total.set(run(col, funcCol, k, self.subarray(k * m, (k + 1) * m)), k * m);
    return { self, total };
  };
  const main = build(r.nodeSelf, r.funcSelf);
  const sq = r.nodeSelfSq && r.funcSelfSq ? build(r.nodeSelfSq, r.funcSelfSq) : null;
  return { ...r, nodeSelf: main.self, nodeTotal: main.total, nodeSelfSq: sq?.self, nodeTotalSq: sq?.total };
}

/**
 * Each run's columns on the inverted tree, as the mean's: each original node's self is a leaf
 * part carried by its callers' path (their totals); a first-row frame holds its function's self
 * (self = total). Runs read tree selfs: their function figures are the tree's (runsPerFunction).
 */
function invertedRuns(r: SideRuns, n: number, out: DiffTree, newIndex: Int32Array, leafNode: number[], leafFrom: number[], firstRow: (f: number) => number, F: number): SideRuns {
  const m = out.func.length;
  return pathTreeRuns(r, m, (col, funcCol, k, self) => {
    const leaf = new Float64Array(m);
    for (let j = 0; j < leafNode.length; j++) leaf[newIndex[leafNode[j]]] += col[k * n + leafFrom[j]];
    const t = subtreeTotals(out.parent, leaf);
    t[0] = 0;
    for (let f = 0; f < F; f++) {
      const at = firstRow(f);
      if (at < 0) continue;
      self[at] = t[at] = funcCol[k * F + f];
      t[0] += funcCol[k * F + f];
    }
    return t;
  });
}

/**
 * Each run's columns on a sandwich's callers tree: each outermost frame of the function carries
 * its subtree's cost in that run up its callers' path; the root frame holds the function's self
 * and, as total, the sum of those parts.
 */
function callerRuns(r: SideRuns, tree: DiffTree, out: DiffTree, newIndex: Int32Array, leafNode: number[], outer: number[], root: number, target: number, F: number): SideRuns {
  const n = tree.func.length;
  const m = out.func.length;
  return pathTreeRuns(r, m, (col, funcCol, k, self) => {
    const leaf = new Float64Array(m);
    for (let j = 0; j < outer.length; j++) {
      let sum = 0;
      for (let i = outer[j]; i < tree.subtreeEnd[outer[j]]; i++) sum += col[k * n + i];
      leaf[newIndex[leafNode[j]]] += sum;
    }
    const t = subtreeTotals(out.parent, leaf);
    t[0] = t[root];
    self[root] = funcCol[k * F + target];
    return t;
  });
}

/**
 * The inverted (bottom-up) tree, as the Firefox Profiler's inverted call tree: the first row
 * below the root is the functions themselves, each holding its whole self cost (self = total =
 * the function's self figure, the table's and the export's: callgrind's exact one); below
 * them their callers, read upwards, each carrying the part of that cost that reached it through
 * that path (its total; self 0). The parts are each node's share of its function's self
 * (selfShares: the tree's selfs for folded and cpuprofile; callgrind's exact self in proportion
 * to the tree's estimate), so the callers of a function add up to its first-row figure, except
 * for a callgrind function the tree has no place for at all: it stands in the first row alone.
 */
export function invertTree(d: Diff): Diff {
  if (invertedFrom.has(d)) return d;
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  const [bs, hs] = [sideOf(d, 'base'), sideOf(d, 'head')];
  const bShare = selfShares(tree, bs.self, bs.total, bs.fSelf, bs.exact);
  const hShare = selfShares(tree, hs.self, hs.total, hs.fSelf, hs.exact);
  const b = keyBuilder(d);
  const first = new Int32Array(F).fill(-1);
  const leafNode: number[] = [];
  const leafFrom: number[] = [];
  const leafBase: number[] = [];
  const leafHead: number[] = [];
  // The variances of the parts: the squares of the samples of each node (tree sides only: exact sides have none).
  const leafBaseSq: number[] | undefined = bs.selfSq ? [] : undefined;
  const leafHeadSq: number[] | undefined = hs.selfSq ? [] : undefined;
  for (let i = 1; i < n; i++) {
    if (bShare[i] === 0 && hShare[i] === 0) continue;
    const f = tree.func[i];
    if (first[f] < 0) first[f] = b.child(0, f);
    let node = first[f];
    for (let p = tree.parent[i]; p > 0; p = tree.parent[p]) node = b.child(node, tree.func[p]);
    leafNode.push(node);
    leafFrom.push(i);
    leafBase.push(bShare[i]);
    leafHead.push(hShare[i]);
    leafBaseSq?.push(bs.selfSq![i]);
    leafHeadSq?.push(hs.selfSq![i]);
  }
  for (let f = 0; f < F; f++) if (first[f] < 0 && (bs.fSelf[f] !== 0 || hs.fSelf[f] !== 0)) first[f] = b.child(0, f);
  const { tree: shape, newIndex } = b.finishTreeWithMap();
  const out = pathTree(shape, newIndex, leafNode, leafBase, leafHead, leafBaseSq, leafHeadSq);
  out.baseSelf.fill(0);
  out.headSelf.fill(0);
  out.baseTotal[0] = out.headTotal[0] = 0;
  for (let f = 0; f < F; f++) {
    if (first[f] < 0) continue;
    const r = newIndex[first[f]];
    out.baseSelf[r] = out.baseTotal[r] = bs.fSelf[f];
    out.headSelf[r] = out.headTotal[r] = hs.fSelf[f];
    out.baseTotal[0] += bs.fSelf[f];
    out.headTotal[0] += hs.fSelf[f];
  }
  // The same for the variances: a first-row frame holds its function's self samples, no more.
  for (const [selfSq, totalSq, s] of [[out.baseSelfSq, out.baseTotalSq, bs], [out.headSelfSq, out.headTotalSq, hs]] as const) {
    if (!selfSq || !totalSq) continue;
    selfSq.fill(0);
    totalSq[0] = 0;
    for (let f = 0; f < F; f++) {
      if (first[f] < 0) continue;
      const r = newIndex[first[f]];
      selfSq[r] = totalSq[r] = s.fSelfSq?.[f] ?? totalSq[r];
      totalSq[0] += selfSq[r];
    }
  }
  const firstRow = (f: number) => (first[f] < 0 ? -1 : newIndex[first[f]]);
  const runs = d.runs && {
    base: invertedRuns(d.runs.base, n, out, newIndex, leafNode, leafFrom, firstRow, F),
    head: invertedRuns(d.runs.head, n, out, newIndex, leafNode, leafFrom, firstRow, F),
  };
  const inverted = { ...d, tree: out, runs };
  invertedFrom.set(inverted, d);
  functionFirstRow.add(inverted);
  const from = provenance.get(d);
  if (from) provenance.set(inverted, from);
  return inverted;
}

/** A builder whose function indices are d's (interned in order), siblings sorted by key. */
function keyBuilder(d: Diff): TreeBuilder {
  const b = new TreeBuilder();
  for (let f = 0; f < d.functions.key.length; f++) b.funcIndex(d.strings[d.functions.key[f]] + '\u0001' + f);
  return b;
}

/**
 * A DiffTree of the builder's shape whose nodes get the given weights as self; totals summed up to
 * the root. A side's squared weights (`leafBaseSq`, `leafHeadSq`: the variances of those weights),
 * where given, are summed the same way into its variance columns.
 */
function pathTree(
  shape: CallTree,
  newIndex: Int32Array,
  leafNode: number[],
  leafBase: number[],
  leafHead: number[],
  leafBaseSq?: number[],
  leafHeadSq?: number[],
): DiffTree {
  const size = shape.func.length;
  const column = (weights: number[]) => {
    const self = new Float64Array(size);
    for (let k = 0; k < leafNode.length; k++) self[newIndex[leafNode[k]]] += weights[k];
    return self;
  };
  const baseSelf = column(leafBase);
  const headSelf = column(leafHead);
  const out: DiffTree = {
    func: shape.func,
    parent: shape.parent,
    depth: shape.depth,
    subtreeEnd: shape.subtreeEnd,
    baseSelf,
    baseTotal: subtreeTotals(shape.parent, baseSelf),
    headSelf,
    headTotal: subtreeTotals(shape.parent, headSelf),
  };
  if (leafBaseSq) {
    out.baseSelfSq = column(leafBaseSq);
    out.baseTotalSq = subtreeTotals(shape.parent, out.baseSelfSq);
  }
  if (leafHeadSq) {
    out.headSelfSq = column(leafHeadSq);
    out.headTotalSq = subtreeTotals(shape.parent, out.headSelfSq);
  }
  return out;
}
