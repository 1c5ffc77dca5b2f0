// A frame named by its call path instead of its node number, for the URL's zoom: node numbers
// change with every rebuild of the tree (a matching rule, a transform, another event), a path
// of match keys names the same frame in any of them, or says how much of it is left.
import type { Diff } from './diff-model';

/** The match keys from the root's child down to `node` ([] for the root or a node not in the tree). */
export function nodePath(d: Diff, node: number): string[] {
  const t = d.tree;
  if (!Number.isInteger(node) || node <= 0 || node >= t.func.length) return [];
  const keys: string[] = [];
  for (let n = node; n > 0; n = t.parent[n]) keys.push(d.strings[d.functions.key[t.func[n]]]);
  return keys.reverse();
}

export interface PathNode {
  /** The node the whole path leads to, or (complete: false) the deepest node of its longest existing prefix; 0 (the root) when not even the first key exists. */
  node: number;
  /** How many keys of the path were found, from the root down. */
  matched: number;
  /** Whether the whole path exists. */
  complete: boolean;
}

/** The node a path of match keys leads to, walked from the root; where it breaks off, the deepest node reached. */
export function nodeOfPath(d: Diff, keys: readonly string[]): PathNode {
  const t = d.tree;
  if (t.func.length === 0) return { node: -1, matched: 0, complete: keys.length === 0 };
  // Function index of each key (keys are unique in the function table).
  const funcOf = new Map<string, number>();
  for (let f = 0; f < d.functions.key.length; f++) funcOf.set(d.strings[d.functions.key[f]], f);
  let node = 0;
  let matched = 0;
  for (const key of keys) {
    const f = funcOf.get(key);
    if (f === undefined) break;
    let next = -1;
    // Children of `node`: each next sibling starts where the previous subtree ends.
    for (let c = node + 1; c < t.subtreeEnd[node]; c = t.subtreeEnd[c]) {
      if (t.func[c] === f) {
        next = c;
        break;
      }
    }
    if (next < 0) break;
    node = next;
    matched++;
  }
  return { node, matched, complete: matched === keys.length };
}

/** A path as one URL value: each key percent-encoded (so it holds no '/'), joined by '/'. */
export function encodeNodePath(keys: readonly string[]): string {
  return keys.map(encodeURIComponent).join('/');
}

/** The inverse of encodeNodePath; malformed escapes are read literally. */
export function decodeNodePath(s: string): string[] {
  if (s === '') return [];
  return s.split('/').map((k) => {
    try {
      return decodeURIComponent(k);
    } catch {
      return k;
    }
  });
}
