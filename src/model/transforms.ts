// Transforms applied to the merged tree, so base and head change the same way
// at once. Each rewrites call paths and rebuilds a depth-first tree.
import type { Diff, DiffTree } from './diff-model';
import { TreeBuilder } from './tree-builder';
import { functionTotals } from './function-totals';

export type Transform =
  /** A function met again deeper in its own stack is folded into its outermost frame (intermediate frames drop out). */
  | { kind: 'collapse-recursion' }
  /** Only direct recursion f → f is folded. */
  | { kind: 'collapse-direct-recursion' }
  /** The function's frames disappear; their cost goes to their callers. */
  | { kind: 'merge'; key: string }
  /** Only stacks through the function remain, rooted at it. */
  | { kind: 'focus'; key: string }
  /** Stacks through frames whose name matches the pattern are dropped. */
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

export function applyTransforms(d: Diff, transforms: Transform[]): Diff {
  let out = d;
  for (const t of transforms) out = applyOne(out, t);
  return out;
}

function funcOfKey(d: Diff, key: string): number {
  const f = d.functions;
  for (let i = 0; i < f.key.length; i++) if (d.strings[f.key[i]] === key) return i;
  return -1;
}

const DROP = -2;

function applyOne(d: Diff, t: Transform): Diff {
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  const target = t.kind === 'merge' || t.kind === 'focus' ? funcOfKey(d, t.key) : -1;
  if ((t.kind === 'merge' || t.kind === 'focus') && target < 0) return d;
  let hidden: Uint8Array | null = null;
  if (t.kind === 'hide') {
    const re = patternRegExp(t.pattern);
    hidden = new Uint8Array(F);
    for (let f = 0; f < F; f++) hidden[f] = re.test(d.strings[d.functions.name[f]]) ? 1 : 0;
  }

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
    else if (t.kind === 'merge' && f === target) m = pm;
    else if (t.kind === 'focus') {
      if (activeCount[target] > 0) m = b.child(pm, f);
      else if (f === target) m = b.child(0, f);
      else m = 0; // outside the focus: kept as the root, its own cost dropped below
    } else if (t.kind === 'collapse-recursion' && activeCount[f] > 0) m = activeNode[f];
    else if (t.kind === 'collapse-direct-recursion' && b.funcOfNode(pm) === f) m = pm;
    else m = b.child(pm, f);
    map[i] = m;
    if (f >= 0 && m !== DROP) {
      if (activeCount[f]++ === 0) activeNode[f] = m;
    }
    open.push(i);
  }

  const leafNode: number[] = [];
  const leafBase: number[] = [];
  const leafHead: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = map[i];
    // Focus drops the cost of stacks that never enter the focused function.
    if (m === DROP || (t.kind === 'focus' && m === 0)) continue;
    leafNode.push(m);
    leafBase.push(tree.baseSelf[i]);
    leafHead.push(tree.headSelf[i]);
  }
  const out = withLeafWeights(d, b, leafNode, leafBase, leafHead).tree;
  const shapeForTotals = { ...out, self: out.baseSelf, total: out.baseTotal };
  const bt = functionTotals(shapeForTotals, F, out.baseSelf, out.baseTotal);
  const ht = functionTotals(shapeForTotals, F, out.headSelf, out.headTotal);
  return {
    ...d,
    tree: out,
    functions: { ...d.functions, baseSelf: bt.self, baseTotal: bt.total, headSelf: ht.self, headTotal: ht.total },
    base: { ...d.base, total: out.baseTotal[0] },
    head: { ...d.head, total: out.headTotal[0] },
  };
}

/**
 * The callers of a function as a tree rooted at it (the top half of a
 * sandwich view): each outermost frame of the function contributes its total
 * along its call path, read upwards.
 */
export function callersOf(d: Diff, key: string): Diff | null {
  const target = funcOfKey(d, key);
  if (target < 0) return null;
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  const b = new TreeBuilder();
  for (let f = 0; f < F; f++) b.funcIndex(d.strings[d.functions.key[f]] + '\u0001' + f);
  const leafBase: number[] = [];
  const leafHead: number[] = [];
  const leafNode: number[] = [];
  for (let i = 1; i < n; ) {
    if (tree.func[i] !== target) {
      i++;
      continue;
    }
    // Outermost occurrence: its subtree holds any deeper recursion, counted once here.
    let node = b.child(0, target);
    for (let p = tree.parent[i]; p > 0; p = tree.parent[p]) node = b.child(node, tree.func[p]);
    leafNode.push(node);
    leafBase.push(tree.baseTotal[i]);
    leafHead.push(tree.headTotal[i]);
    i = tree.subtreeEnd[i];
  }
  return withLeafWeights(d, b, leafNode, leafBase, leafHead);
}

/**
 * The inverted (bottom-up) tree: roots are the functions where time is spent
 * (self cost), their children the callers. Every node's self cost is carried
 * along its call path read upwards.
 */
export function invertTree(d: Diff): Diff {
  const tree = d.tree;
  const n = tree.func.length;
  const F = d.functions.key.length;
  const b = new TreeBuilder();
  for (let f = 0; f < F; f++) b.funcIndex(d.strings[d.functions.key[f]] + '\u0001' + f);
  const leafNode: number[] = [];
  const leafBase: number[] = [];
  const leafHead: number[] = [];
  for (let i = 1; i < n; i++) {
    if (tree.baseSelf[i] === 0 && tree.headSelf[i] === 0) continue;
    let node = 0;
    for (let p = i; p > 0; p = tree.parent[p]) node = b.child(node, tree.func[p]);
    leafNode.push(node);
    leafBase.push(tree.baseSelf[i]);
    leafHead.push(tree.headSelf[i]);
  }
  return withLeafWeights(d, b, leafNode, leafBase, leafHead);
}

function withLeafWeights(d: Diff, b: TreeBuilder, leafNode: number[], leafBase: number[], leafHead: number[]): Diff {
  const { tree: shape, newIndex } = b.finishTreeWithMap();
  const size = shape.func.length;
  const out: DiffTree = {
    func: shape.func,
    parent: shape.parent,
    depth: shape.depth,
    subtreeEnd: shape.subtreeEnd,
    baseSelf: new Float64Array(size),
    baseTotal: new Float64Array(size),
    headSelf: new Float64Array(size),
    headTotal: new Float64Array(size),
  };
  for (let k = 0; k < leafNode.length; k++) {
    out.baseSelf[newIndex[leafNode[k]]] += leafBase[k];
    out.headSelf[newIndex[leafNode[k]]] += leafHead[k];
  }
  for (let i = size - 1; i >= 0; i--) {
    out.baseTotal[i] += out.baseSelf[i];
    out.headTotal[i] += out.headSelf[i];
    const p = out.parent[i];
    if (p >= 0) {
      out.baseTotal[p] += out.baseTotal[i];
      out.headTotal[p] += out.headTotal[i];
    }
  }
  return { ...d, tree: out };
}
