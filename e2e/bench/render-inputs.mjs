// Synthetic folded profiles for the rendering benchmark: one random tree of a given
// number of nodes, written once into bench-out/render-inputs/ and reused.
//
// The tree is a random recursive tree (node i's parent is uniform among nodes 0..i-1):
// balanced-ish, about ln(n) levels deep on average and e·ln(n) at most (14 and ~37 at
// 1M nodes), a few huge subtrees and many small ones, as call trees go. Sibling frames
// have distinct names (else the folded parser would merge them); a function name is
// reused across the tree (n/10 names), as functions are called from many places.
// Every leaf has a self cost, a fifth of the inner frames too, so the file has about
// 0.6 lines per node.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../test/prng.mjs';

/** Bump when the generator changes: the name is the cache key. */
const GENERATOR = 1;

/** `nodes` tree nodes in the app, counting the root `all` the parser adds. */
export function syntheticFolded(dir, label, nodes, log = () => {}) {
  const file = path.join(dir, `synthetic-${label}-g${GENERATOR}.folded`);
  if (existsSync(file)) return { file, nodes };
  mkdirSync(dir, { recursive: true });
  log(`writing ${path.basename(file)} (${nodes.toLocaleString('en-US')} nodes)`);
  const n = nodes - 1; // the parser's `all` is the last one
  const rand = mulberry32(0x5eed + n);
  const parent = new Int32Array(n);
  const childCount = new Int32Array(n);
  parent[0] = -1;
  for (let i = 1; i < n; i++) {
    parent[i] = Math.floor(rand() * i);
    childCount[parent[i]]++;
  }
  // Children lists (CSR), in index order; parents precede children, so depth-first order is a walk.
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) first[i + 1] = first[i] + childCount[i];
  const fill = first.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) children[fill[parent[i]]++] = i;

  // Names: distinct among siblings, drawn from a pool of n/10 functions in 40 modules.
  const pool = Math.max(200, Math.round(n / 10));
  const nameIndex = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const used = new Set();
    for (let c = first[p]; c < first[p + 1]; c++) {
      let k = Math.floor(rand() * pool);
      while (used.has(k)) k = (k + 1) % pool;
      used.add(k);
      nameIndex[children[c]] = k;
    }
  }
  const nameOf = (i) => (i === 0 ? 'main' : `mod${nameIndex[i] % 40}.fn_${nameIndex[i].toString(36)}`);
  // Self costs: every leaf, and a fifth of the inner frames; log-uniform 1..1000 samples.
  const selfOf = (i) => (childCount[i] === 0 || rand() < 0.2 ? Math.max(1, Math.round(Math.exp(rand() * Math.log(1000)))) : 0);

  const tmp = `${file}.partial`;
  const fd = openSync(tmp, 'w');
  let buf = '';
  const flush = () => {
    writeSync(fd, buf);
    buf = '';
  };
  // Depth-first, iterative: the stack holds [node, next child cursor]; `names` is the path.
  const stackNode = [0];
  const stackCursor = [first[0]];
  const names = [nameOf(0)];
  const s0 = selfOf(0);
  if (s0) buf += `${names[0]} ${s0}\n`;
  while (stackNode.length) {
    const top = stackNode.length - 1;
    const p = stackNode[top];
    const c = stackCursor[top];
    if (c === first[p + 1]) {
      stackNode.pop();
      stackCursor.pop();
      names.pop();
      continue;
    }
    stackCursor[top] = c + 1;
    const child = children[c];
    stackNode.push(child);
    stackCursor.push(first[child]);
    names.push(nameOf(child));
    const self = selfOf(child);
    if (self) {
      buf += `${names.join(';')} ${self}\n`;
      if (buf.length > 1 << 20) flush();
    }
  }
  flush();
  closeSync(fd);
  renameSync(tmp, file);
  return { file, nodes };
}
