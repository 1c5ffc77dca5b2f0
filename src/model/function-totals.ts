import type { CallTree } from './profile';

/**
 * Per-function self and total over a depth-first tree whose `func` column
 * indexes a table of `funcCount` functions. A function's total is the cost of
 * the stacks that contain it, each stack counted once under recursion: a node
 * adds its total only when no ancestor is the same function.
 */
export function functionTotals(
  tree: CallTree,
  funcCount: number,
  self: Float64Array = tree.self,
  total: Float64Array = tree.total,
): { self: Float64Array; total: Float64Array } {
  const fSelf = new Float64Array(funcCount);
  const fTotal = new Float64Array(funcCount);
  const active = new Int32Array(funcCount);
  const n = tree.func.length;
  const open = new Int32Array(n);
  let sp = 0;
  for (let i = 0; i < n; i++) {
    while (sp > 0 && tree.subtreeEnd[open[sp - 1]] <= i) {
      const f = tree.func[open[--sp]];
      if (f >= 0) active[f]--;
    }
    const f = tree.func[i];
    if (f >= 0) {
      fSelf[f] += self[i];
      if (active[f] === 0) fTotal[f] += total[i];
      active[f]++;
    }
    open[sp++] = i;
  }
  return { self: fSelf, total: fTotal };
}

/**
 * Each node's `self` plus all its descendants', for a depth-first tree given by its
 * `parent` column (a child comes after its parent): one reverse loop.
 */
export function subtreeTotals(parent: Int32Array, self: ArrayLike<number>): Float64Array {
  const n = parent.length;
  const total = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    total[i] += self[i];
    const p = parent[i];
    if (p >= 0) total[p] += total[i];
  }
  return total;
}

/** Each run's node column summed per function (self figures: no recursion to count once). */
export function runsPerFunction(col: Float64Array, func: Int32Array, funcCount: number, runs: number): Float64Array {
  const n = func.length;
  const out = new Float64Array(runs * funcCount);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < n; i++) {
      const f = func[i];
      if (f >= 0) out[r * funcCount + f] += col[r * n + i];
    }
  }
  return out;
}
