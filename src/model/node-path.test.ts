import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../workers/diff';
import { parseFolded } from '../../workers/parse/folded';
import { chunksOf } from '../../workers/parse/lines';
import { applyTransforms, invertTree } from './transforms';
import { decodeNodePath, encodeNodePath, nodeOfPath, nodePath } from './node-path';
import type { Diff } from './diff-model';

const folded = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;
const pair = async (base: string, head: string) => diffProfiles(await folded(base), await folded(head));

/** The node whose path of raw names (head's spelling) is `names`. */
function nodeNamed(d: Diff, names: string[]): number {
  const t = d.tree;
  for (let i = 1; i < t.func.length; i++) {
    const path: string[] = [];
    for (let n = i; n > 0; n = t.parent[n]) path.unshift(d.strings[d.functions.name[t.func[n]]]);
    if (path.join(';') === names.join(';')) return i;
  }
  return -1;
}

describe('node paths', () => {
  it('names a node by the match keys from the root down, and finds it again', async () => {
    const d = await pair('main;parse;lex 3\nmain;eval 2\n', 'main;parse;lex 4\nmain;parse;JS:*tok /a.js:1:2 1\n');
    const lex = nodeNamed(d, ['main', 'parse', 'lex']);
    expect(nodePath(d, lex)).toEqual(['main', 'parse', 'lex']);
    expect(nodeOfPath(d, ['main', 'parse', 'lex'])).toEqual({ node: lex, matched: 3, complete: true });
    // Keys, not raw names: the line:col a JIT frame carries is not part of its path.
    const tok = nodeNamed(d, ['main', 'parse', 'JS:*tok /a.js:1:2']);
    expect(nodePath(d, tok)).toEqual(['main', 'parse', 'JS:tok /a.js']);
    expect(nodeOfPath(d, nodePath(d, tok)).node).toBe(tok);
    for (let i = 1; i < d.tree.func.length; i++) expect(nodeOfPath(d, nodePath(d, i))).toEqual({ node: i, matched: d.tree.depth[i], complete: true });
  });

  it('the root and nodes outside the tree have the empty path; the empty path is the root', async () => {
    const d = await pair('a;b 1\n', 'a;b 1\n');
    expect(nodePath(d, 0)).toEqual([]);
    expect(nodePath(d, 99)).toEqual([]);
    expect(nodePath(d, -1)).toEqual([]);
    expect(nodeOfPath(d, [])).toEqual({ node: 0, matched: 0, complete: true });
  });

  it('a path that breaks off gives the deepest node of its existing prefix, and says so', async () => {
    const d = await pair('main;parse;lex 3\n', 'main;parse;lex 3\n');
    const parse = nodeNamed(d, ['main', 'parse']);
    expect(nodeOfPath(d, ['main', 'parse', 'gone', 'lex'])).toEqual({ node: parse, matched: 2, complete: false });
    expect(nodeOfPath(d, ['nothing'])).toEqual({ node: 0, matched: 0, complete: false });
    // A key that exists, but not at that place.
    expect(nodeOfPath(d, ['main', 'lex'])).toEqual({ node: nodeNamed(d, ['main']), matched: 1, complete: false });
  });

  it('survives what a node number does not: a transform that rebuilds the tree', async () => {
    const d = await pair('main;a;x 1\nmain;b;lex 3\nmain;c;y 1\n', 'main;a;x 1\nmain;b;lex 5\nmain;c;y 1\n');
    const lex = nodeNamed(d, ['main', 'b', 'lex']);
    const path = nodePath(d, lex);
    const hidden = applyTransforms(d, [{ kind: 'hide', pattern: '^a$' }]);
    // The number now points elsewhere; the path still finds lex.
    expect(nodeNamed(hidden, ['main', 'b', 'lex'])).not.toBe(lex);
    expect(nodeOfPath(hidden, path)).toEqual({ node: nodeNamed(hidden, ['main', 'b', 'lex']), matched: 3, complete: true });
    // Merged away, the frame is gone: the deepest existing prefix is given.
    const merged = applyTransforms(d, [{ kind: 'merge', key: 'b' }]);
    expect(nodeOfPath(merged, path)).toEqual({ node: nodeNamed(merged, ['main']), matched: 1, complete: false });
  });

  it('works on an inverted tree: the path reads upwards from the function', async () => {
    const d = invertTree(await pair('main;parse;lex 3\nmain;lex 1\n', 'main;parse;lex 3\n'));
    const node = nodeOfPath(d, ['lex', 'parse', 'main']);
    expect(node.complete).toBe(true);
    expect(nodePath(d, node.node)).toEqual(['lex', 'parse', 'main']);
    expect(d.tree.baseTotal[node.node]).toBe(3);
  });

  it('round-trips through one URL value, whatever the keys hold', () => {
    const keys = ['main @ /src/a b.c', 'x/y;z', "fib'2", '%41', 'ünïcode', ''];
    expect(decodeNodePath(encodeNodePath(keys))).toEqual(keys);
    expect(decodeNodePath(encodeNodePath([]))).toEqual([]);
    expect(encodeNodePath(['a/b', 'c'])).toBe('a%2Fb/c');
    expect(decodeNodePath('bad%E0%A4/ok')).toEqual(['bad%E0%A4', 'ok']);
  });
});
