// Strongly connected components of a directed graph given as adjacency lists (CSR): which
// nodes lie on a common cycle. Iterative, so that a graph 100k nodes deep needs no call stack.

/**
 * The component of each of the `n` nodes (iterative Tarjan), numbered in the order they are
 * completed (a component's successors first). Node v's successors are to[start[v] .. start[v + 1]).
 */
export function stronglyConnected(n: number, start: Int32Array, to: Int32Array): Int32Array {
  const comp = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callStack = new Int32Array(n);
  const edgeAt = new Int32Array(n);
  let sp = 0;
  let next = 0;
  let comps = 0;
  for (let r = 0; r < n; r++) {
    if (index[r] >= 0) continue;
    let csp = 0;
    callStack[csp++] = r;
    index[r] = low[r] = next++;
    stack[sp++] = r;
    onStack[r] = 1;
    edgeAt[r] = start[r];
    while (csp > 0) {
      const v = callStack[csp - 1];
      if (edgeAt[v] < start[v + 1]) {
        const w = to[edgeAt[v]++];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          edgeAt[w] = start[w];
          callStack[csp++] = w;
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      csp--;
      if (csp > 0) {
        const u = callStack[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = comps;
        } while (w !== v);
        comps++;
      }
    }
  }
  return comp;
}
