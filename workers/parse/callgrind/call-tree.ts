// From call graph to call tree (the flame graph's assumption). A call graph does not
// determine a call tree: when backup() is called from start() and end() and calls
// read() and write(), the graph cannot say which caller led to which callee. We
// assume, like speedscope, that every call of a function spends its time in the same
// proportions: a node of f weighing w gives its own self and each callee g the shares
// self(f)/D(f) and cost(f→g)/D(f) of w, where D(f) = self(f) + Σ_{g≠f} cost(f→g)
// (a call's cost is the inclusive cost callgrind wrote for it). The roots are the
// functions whose cost exceeds what their callers paid for them,
// root(f) = self(f) + Σ cost(f→g) − Σ cost(h→f), which add up to the file's total.
//
// Recursion is merged, not unrolled: a call to a function already on the node's path
// (f→f, or f→g→f) adds its weight back to that ancestor node, which hands it out again
// in the same proportions. Such a flow leaks out of every cycle, so the weight settles
// (a node is expanded at most MAX_EXPANSIONS times; what still comes back after that
// is spread over its subtree like the rest). Merged this way, with no other cut, each
// function's self summed over the tree would equal its exact self (it is the expected
// time of a Markov chain whose visits are D), and stacks never repeat a function
// within a cycle, so CPython's eval-loop recursion stays a few dozen frames deep.
//
// Bounds (the expansion is iterative, heaviest pending node first): a callee whose
// share would be under MIN_SHARE of the total stays in its caller's self (callgrind
// profiles of interpreters have hundreds of thousands of such light paths: this moves
// a few % of CPython's cost into callers, under 0.01% in the C programs we test);
// nodes MAX_DEPTH deep are not expanded; once MAX_NODES exist no node is created and
// the weight stays as self where it is. Weights are split by cumulative rounding, so
// integer costs give integer nodes and the root total equals the file's total
// exactly. Negative costs (hand-made files only) get no share; if the roots then do
// not add up to the total, the total is spread over them in proportion.
//
// Speed: the work is linear in the nodes made and the edges they look at (each expansion
// stops at its first callee too light to matter, the callees being sorted heaviest first),
// plus the walks up a node's path inside its cycle for the first call back into it. It is
// done by small functions of plain loops over typed arrays, so that V8 optimizes each on its
// own as soon as its loop is hot (one big function called once per file spends most of its
// time in the interpreter, between on-stack replacements and the deoptimizations they meet).

import type { TreeBuilder } from '../../../src/model/tree-builder';
import { IntPairMap } from '../../../src/model/int-pair-map';
import { stronglyConnected } from '../../../src/model/strongly-connected';
import { grownFloat64, grownInt32 } from '../../../src/model/typed-arrays';

/** Nodes lighter than this share of the total are not expanded (1 ppm: far below a pixel even zoomed in 100×). */
const MIN_SHARE = 1e-6;
/** Deeper nodes are not expanded (a safety net: merged recursion keeps real trees far shallower). */
const MAX_DEPTH = 1024;
/** The tree stops growing here (CPython's 1.5 MB profile needs ~34k nodes; tsc's cpuprofile has ~33k). */
const MAX_NODES = 200_000;
/**
 * Weight re-entering a node (recursion) expands it again; past this many expansions the
 * rest is spread like the first ones (a cycle without an exit would go on for ever).
 */
const MAX_EXPANSIONS = 64;

/** The call graph: each function's self cost, and the calls between functions with their inclusive cost. */
export interface CallGraph {
  self: Float64Array;
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array;
  /** The sum of the self costs. */
  total: number;
  /** Every cost (and every derived event's factor) is an integer: splits are rounded to integers. */
  integral: boolean;
}

/** The callees of each function, heaviest first: out[start[f] .. start[f + 1]), calls to itself left out. */
interface Callees {
  start: Int32Array;
  to: Int32Array;
  cost: Float64Array;
}

/** Expands the call graph into `b`'s tree (see the top of this file). Iterative and bounded. */
export function buildCallTree(b: TreeBuilder, g: CallGraph): void {
  const { self, total, integral } = g;
  if (total === 0) return;
  if (!(total > 0)) {
    b.addSelf(0, total);
    return;
  }
  const callees = calleesOf(self.length, g.from, g.to, g.cost);
  // share(f): what a node of f divides among its self and its callees, a call to itself
  // excluded (that weight is spread over the rest: recursion is merged into the node).
  const share = sharesOf(self, callees);
  const tree = new TreeArrays();
  const heap = new PendingHeap();
  if (!giveRoots(tree, heap, rootsOf(self, g.from, g.to, g.cost), total, integral)) {
    b.addSelf(0, total);
    return;
  }
  const scc = stronglyConnected(self.length, callees.start, callees.to);
  const leftover = new Float64Array(MAX_NODES + 1);
  expand(tree, heap, self, share, callees, scc, leftover, total * MIN_SHARE, integral);
  spreadLeftovers(tree, leftover, integral);
  copyInto(b, tree, integral);
}

/** The calls to other functions with a positive cost, grouped by caller, heaviest first (ties: by callee). */
function calleesOf(nFunc: number, from: Int32Array, to: Int32Array, cost: Float64Array): Callees {
  const start = new Int32Array(nFunc + 1);
  let n = 0;
  for (let e = 0; e < from.length; e++) {
    if (cost[e] > 0 && from[e] !== to[e]) {
      start[from[e] + 1]++;
      n++;
    }
  }
  for (let f = 0; f < nFunc; f++) start[f + 1] += start[f];
  const fill = start.slice(0, nFunc);
  const outTo = new Int32Array(n);
  const outCost = new Float64Array(n);
  for (let e = 0; e < from.length; e++) {
    if (!(cost[e] > 0 && from[e] !== to[e])) continue;
    const k = fill[from[e]]++;
    outTo[k] = to[e];
    outCost[k] = cost[e];
  }
  for (let f = 0; f < nFunc; f++) if (start[f + 1] - start[f] > 1) sortCallees(outTo, outCost, start[f], start[f + 1]);
  return { start, to: outTo, cost: outCost };
}

/** Sorts [lo, hi) by cost, heaviest first, then by callee (a caller has each callee once, so the order is total). */
function sortCallees(to: Int32Array, cost: Float64Array, lo: number, hi: number): void {
  if (hi - lo <= 24) {
    for (let i = lo + 1; i < hi; i++) {
      const t = to[i];
      const c = cost[i];
      let j = i - 1;
      while (j >= lo && (cost[j] < c || (cost[j] === c && to[j] > t))) {
        to[j + 1] = to[j];
        cost[j + 1] = cost[j];
        j--;
      }
      to[j + 1] = t;
      cost[j + 1] = c;
    }
    return;
  }
  const idx: number[] = [];
  for (let i = lo; i < hi; i++) idx.push(i);
  idx.sort((x, y) => cost[y] - cost[x] || to[x] - to[y]);
  const t = idx.map((i) => to[i]);
  const c = idx.map((i) => cost[i]);
  for (let k = 0; k < t.length; k++) {
    to[lo + k] = t[k];
    cost[lo + k] = c[k];
  }
}

function sharesOf(self: Float64Array, callees: Callees): Float64Array {
  const share = new Float64Array(self.length);
  for (let f = 0; f < self.length; f++) share[f] = Math.max(0, self[f]);
  const { start, cost } = callees;
  for (let f = 0; f < self.length; f++) for (let k = start[f]; k < start[f + 1]; k++) share[f] += cost[k];
  return share;
}

/** root(f): its own cost beyond what its callers paid for it. */
function rootsOf(self: Float64Array, from: Int32Array, to: Int32Array, cost: Float64Array): Float64Array {
  const root = Float64Array.from(self);
  for (let e = 0; e < from.length; e++) {
    root[from[e]] += cost[e];
    root[to[e]] -= cost[e];
  }
  return root;
}

/**
 * The total spread over the positive root weights (exactly them when they add up), as pending
 * weight of the root's children; what rounding leaves stays in the root. False when no root weight is positive.
 */
function giveRoots(tree: TreeArrays, heap: PendingHeap, root: Float64Array, total: number, integral: boolean): boolean {
  let rootSum = 0;
  for (let f = 0; f < root.length; f++) if (root[f] > 0) rootSum += root[f];
  if (!(rootSum > 0)) return false;
  let cum = 0;
  let given = 0;
  for (let f = 0; f < root.length; f++) {
    if (!(root[f] > 0)) continue;
    cum += root[f];
    const upTo = integral ? Math.round(total * (cum / rootSum)) : total * (cum / rootSum);
    const w = upTo - given;
    given = upTo;
    if (w !== 0) heap.give(tree.child(0, f), w);
  }
  tree.self[0] += total - given;
  return true;
}

/** The expansion proper: heaviest pending node first, until no weight is pending. */
function expand(
  tree: TreeArrays,
  heap: PendingHeap,
  self: Float64Array,
  share: Float64Array,
  callees: Callees,
  scc: Int32Array,
  leftover: Float64Array,
  minWeight: number,
  integral: boolean,
): void {
  const expanded = new Uint8Array(MAX_NODES + 1);
  const { start, to: outTo, cost: outCost } = callees;
  while (heap.size > 0) {
    const node = heap.pop();
    const w = heap.take(node);
    if (w === 0) continue;
    const f = tree.func[node];
    const d = share[f];
    const first = start[f];
    const last = start[f + 1];
    if (d <= 0 || first === last || tree.depth[node] >= MAX_DEPTH) {
      tree.self[node] += w;
      continue;
    }
    if (w < minWeight || expanded[node] >= MAX_EXPANSIONS) {
      // A light node stays a leaf; a light re-entry into a node already expanded is
      // spread over its subtree afterwards, as its first weight was spread.
      if (expanded[node]) leftover[node] += w;
      else tree.self[node] += w;
      continue;
    }
    // A node's routes are made by its own expansions: at its first, it has none to look up.
    const again = expanded[node]++ > 0;
    // Cumulative rounding: self first, then each callee, heaviest first; the parts add
    // up to w. A callee lighter than minWeight stays in this node's self.
    let acc = Math.max(0, self[f]);
    let mark = integral ? Math.round(w * (acc / d)) : w * (acc / d);
    let passed = 0;
    for (let k = first; k < last; k++) {
      // Sorted: once a callee's share is light (by more than rounding), so are the rest.
      if ((w * outCost[k]) / d + 1 < minWeight) break;
      acc += outCost[k];
      const upTo = k === last - 1 ? w : integral ? Math.round(w * (acc / d)) : w * (acc / d);
      const cw = upTo - mark;
      mark = upTo;
      if (cw < minWeight) continue;
      const g = outTo[k];
      let target = again ? tree.route(node, g) : -1;
      if (target < 0) {
        // A call back into a function already on the path re-enters that node. Only a
        // function of the same strongly connected component can be on the path.
        if (scc[g] === scc[f]) target = reentered(tree, node, g, scc);
        if (target < 0) {
          if (tree.count >= MAX_NODES) continue;
          target = tree.newChild(node, g);
        }
      }
      passed += cw;
      heap.give(target, cw);
    }
    tree.self[node] += w - passed;
  }
}

/** The nearest ancestor of `node` that is a node of `g`, within their cycle (then remembered as the route); -1 when none. */
function reentered(tree: TreeArrays, node: number, g: number, scc: Int32Array): number {
  const parent = tree.parent;
  const func = tree.func;
  const c = scc[g];
  for (let a = parent[node]; a > 0 && scc[func[a]] === c; a = parent[a]) {
    if (func[a] === g) {
      tree.setRoute(node, g, a);
      return a;
    }
  }
  return -1;
}

/**
 * Adds each node's leftover weight to its subtree in proportion to what the subtree
 * holds: bottom-up sums, then a top-down split of each node's new total (cumulative
 * rounding again, so integer totals stay exact).
 */
function spreadLeftovers(tree: TreeArrays, leftover: Float64Array, integral: boolean): void {
  const n = tree.count;
  let any = false;
  for (let i = 0; i < n; i++) if (leftover[i] !== 0) any = true;
  if (!any) return;
  const held = new Float64Array(n); // self + children's held, before leftovers
  const withLeft = new Float64Array(n); // the same with every leftover below included
  sumUp(n, tree.parent, tree.self, leftover, held, withLeft);
  // Children lists, in creation order.
  const childStart = new Int32Array(n + 1);
  const kids = new Int32Array(Math.max(0, n - 1));
  childrenOf(n, tree.parent, childStart, kids);
  splitDown(n, tree.self, held, withLeft, childStart, kids, integral);
}

function sumUp(n: number, parent: Int32Array, self: Float64Array, leftover: Float64Array, held: Float64Array, withLeft: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    held[i] += self[i];
    withLeft[i] += self[i] + leftover[i];
    const p = parent[i];
    if (p >= 0) {
      held[p] += withLeft[i];
      withLeft[p] += withLeft[i];
    }
  }
}

function childrenOf(n: number, parent: Int32Array, childStart: Int32Array, kids: Int32Array): void {
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  for (let i = 1; i < n; i++) kids[fill[parent[i]]++] = i;
}

function splitDown(
  n: number,
  self: Float64Array,
  held: Float64Array,
  withLeft: Float64Array,
  childStart: Int32Array,
  kids: Int32Array,
  integral: boolean,
): void {
  const target = new Float64Array(n);
  target[0] = withLeft[0];
  for (let i = 0; i < n; i++) {
    const t = target[i];
    const h = held[i];
    if (!(h > 0)) {
      self[i] = t;
      for (let k = childStart[i]; k < childStart[i + 1]; k++) target[kids[k]] = 0;
      continue;
    }
    let acc = self[i];
    let mark = integral ? Math.round(t * (acc / h)) : t * (acc / h);
    self[i] = mark;
    const end = childStart[i + 1];
    for (let k = childStart[i]; k < end; k++) {
      const c = kids[k];
      acc += withLeft[c];
      const upTo = k === end - 1 ? t : integral ? Math.round(t * (acc / h)) : t * (acc / h);
      target[c] = upTo - mark;
      mark = upTo;
    }
    if (end === childStart[i]) self[i] = t;
  }
}

/** The nodes into the builder, in creation order (so they keep their numbers), then their self weights. */
function copyInto(b: TreeBuilder, tree: TreeArrays, integral: boolean): void {
  const { parent, func, self } = tree;
  for (let n = 1; n < tree.count; n++) b.child(parent[n], func[n]);
  // Splits of integer costs are exact; those of fractional ones (non-valgrind writers) can leave a
  // node a rounding error below zero, which is no negative cost for the builder to refuse.
  for (let n = 0; n < tree.count; n++) if (self[n] !== 0) b.addSelf(n, integral || self[n] > 0 ? self[n] : 0);
}

/** The tree as it grows: nodes in creation order (a parent before its children). */
class TreeArrays {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new TreeArrays();

  count = 1;
  parent = new Int32Array(1024).fill(-1);
  func = new Int32Array(1024).fill(-1);
  depth = new Int32Array(1024);
  self = new Float64Array(1024);
  /** Where a call from a node to a function goes: its child, or an ancestor it re-enters. */
  private routes = new IntPairMap(1024);

  route(node: number, func: number): number {
    return this.routes.get(node, func);
  }

  /** Sets the route of a call that has none yet. */
  setRoute(node: number, func: number, to: number): void {
    this.routes.add(node, func, to);
  }

  child(parent: number, func: number): number {
    const found = this.routes.get(parent, func);
    return found >= 0 ? found : this.newChild(parent, func);
  }

  /** The child of `parent` for `func`, which the caller knows has no route. */
  newChild(parent: number, func: number): number {
    const n = this.count++;
    if (n === this.parent.length) {
      this.parent = grownInt32(this.parent);
      this.func = grownInt32(this.func);
      this.depth = grownInt32(this.depth);
      this.self = grownFloat64(this.self);
    }
    this.parent[n] = parent;
    this.func[n] = func;
    this.depth[n] = this.depth[parent] + 1;
    this.routes.add(parent, func, n);
    return n;
  }
}

/**
 * Pending weight per node, in a binary max-heap of (node, weight when pushed); a node
 * pushed again before it is expanded is expanded once, with the sum (its later entries find 0).
 * An entry is two neighbouring doubles, its key then its node, so that each level of a
 * sift costs one cache line where two arrays cost two.
 */
class PendingHeap {
  static readonly keptAlive = new PendingHeap();

  size = 0;
  private pending = new Float64Array(1024);
  private heap = new Float64Array(2048);

  give(node: number, weight: number): void {
    if (node >= this.pending.length) this.pending = grownFloat64(this.pending, node + 1);
    const key = (this.pending[node] += weight);
    if (2 * this.size === this.heap.length) this.heap = grownFloat64(this.heap);
    const heap = this.heap;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[2 * parent] >= key) break;
      heap[2 * i] = heap[2 * parent];
      heap[2 * i + 1] = heap[2 * parent + 1];
      i = parent;
    }
    heap[2 * i] = key;
    heap[2 * i + 1] = node;
  }

  /** The node on top (its pending weight is `take`n apart). */
  pop(): number {
    const heap = this.heap;
    const top = heap[1];
    const size = --this.size;
    const lastKey = heap[2 * size];
    const lastNode = heap[2 * size + 1];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && heap[2 * c + 2] > heap[2 * c]) c++;
      if (heap[2 * c] <= lastKey) break;
      heap[2 * i] = heap[2 * c];
      heap[2 * i + 1] = heap[2 * c + 1];
      i = c;
    }
    heap[2 * i] = lastKey;
    heap[2 * i + 1] = lastNode;
    return top;
  }

  /** The node's pending weight, now 0. */
  take(node: number): number {
    const w = this.pending[node];
    this.pending[node] = 0;
    return w;
  }
}
