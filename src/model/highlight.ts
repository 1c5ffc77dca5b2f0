// Which frames a search or a selected function lights up, and how much of each run they hold.
import type { Diff } from './diff-model';
import { hasExactCosts, nonInvertedOf, patternRegExp } from './transforms';

function searchedFunctions(d: Diff, search: string): Uint8Array {
  const re = patternRegExp(search);
  const F = d.functions.name.length;
  const fnMatch = new Uint8Array(F);
  for (let f = 0; f < F; f++) fnMatch[f] = re.test(d.strings[d.functions.name[f]]) ? 1 : 0;
  return fnMatch;
}

/** 1 for every node whose function name matches the search (substring, or a regular expression). */
export function searchMask(d: Diff, search: string): Uint8Array | null {
  if (!search) return null;
  return nodeMask(d, searchedFunctions(d, search));
}

/**
 * What share of each side's run the stacks through a matching function hold, the same whatever
 * the view (inverted or not): read from the top-down tree, where a function's stacks are its
 * frames' subtrees. Callgrind's tree is an estimate of its call graph: one matching function
 * takes callgrind's own inclusive cost (the table's total); several are the tree's estimate of
 * their union, and say so (`estimated`).
 */
export function searchShares(view: Diff, search: string): { base: number; head: number; estimated: boolean } | null {
  if (!search) return null;
  const d = nonInvertedOf(view);
  const fnMatch = searchedFunctions(d, search);
  const shares = maskShares(d, nodeMask(d, fnMatch));
  const exact = hasExactCosts(d.base) || hasExactCosts(d.head);
  if (!exact) return { ...shares, estimated: false };
  let only = -1;
  for (let f = 0; f < fnMatch.length; f++) {
    if (!fnMatch[f]) continue;
    if (only >= 0) return { ...shares, estimated: true };
    only = f;
  }
  if (only < 0) return { ...shares, estimated: false };
  const fn = d.functions;
  return {
    base: d.base.total > 0 ? fn.baseTotal[only] / d.base.total : 0,
    head: d.head.total > 0 ? fn.headTotal[only] / d.head.total : 0,
    estimated: !!fn.estimated?.[only],
  };
}

/** 1 for every node of the function with this key. */
export function functionMask(d: Diff, key: string): Uint8Array | null {
  const F = d.functions.key.length;
  const fnMatch = new Uint8Array(F);
  let any = false;
  for (let f = 0; f < F; f++) if (d.strings[d.functions.key[f]] === key) fnMatch[f] = 1, (any = true);
  return any ? nodeMask(d, fnMatch) : null;
}

function nodeMask(d: Diff, fnMatch: Uint8Array): Uint8Array {
  const t = d.tree;
  const mask = new Uint8Array(t.func.length);
  for (let i = 1; i < mask.length; i++) mask[i] = fnMatch[t.func[i]];
  return mask;
}

/** Share of each run in matched frames, nested matches counted once (only the outermost is summed). */
export function maskShares(d: Diff, mask: Uint8Array): { base: number; head: number } {
  const t = d.tree;
  let base = 0;
  let head = 0;
  for (let i = 1; i < mask.length; ) {
    if (mask[i]) {
      base += t.baseTotal[i];
      head += t.headTotal[i];
      i = t.subtreeEnd[i];
    } else i++;
  }
  return { base: d.base.total > 0 ? base / d.base.total : 0, head: d.head.total > 0 ? head / d.head.total : 0 };
}

/** The widest node in the mask under these widths, or -1. */
export function widestNode(mask: Uint8Array, widths: Float64Array): number {
  let best = -1;
  for (let i = 1; i < mask.length; i++) if (mask[i] && (best < 0 || widths[i] > widths[best])) best = i;
  return best;
}
