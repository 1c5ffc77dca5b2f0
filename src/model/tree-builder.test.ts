import { describe, expect, it } from 'vitest';
import { TreeBuilder } from './tree-builder';
import { ParseError, type CallTree } from './profile';

/** A tree as `name self total` lines indented by depth, from the finished columns. */
function dump(b: TreeBuilder, t: CallTree): string {
  const lines: string[] = [];
  for (let i = 1; i < t.func.length; i++) lines.push(`${'  '.repeat(t.depth[i] - 1)}${b.funcNameOf(t.func[i])} ${t.self[i]} ${t.total[i]}`);
  return lines.join('\n');
}

/** The finished tree's invariants (parents first, subtrees as ranges, totals as sums): the first one broken, or null. */
function shapeError(t: CallTree): string | null {
  const n = t.func.length;
  if (t.parent[0] !== -1 || t.subtreeEnd[0] !== n) return 'root';
  for (let i = 1; i < n; i++) {
    const p = t.parent[i];
    if (!(p < i) || t.depth[i] !== t.depth[p] + 1 || t.subtreeEnd[i] > t.subtreeEnd[p]) return `node ${i}`;
  }
  for (let i = 0; i < n; i++) {
    let sum = t.self[i];
    for (let c = i + 1; c < t.subtreeEnd[i]; c = t.subtreeEnd[c]) {
      if (t.parent[c] !== i) return `children of ${i}`;
      sum += t.total[c];
    }
    if (Math.abs(t.total[i] - sum) > 1e-9) return `total of ${i}`;
  }
  return null;
}

describe('TreeBuilder', () => {
  it('finds a child again, whether it is its parent’s first or a later one', () => {
    const b = new TreeBuilder();
    const [x, y, z] = ['x', 'y', 'z'].map((s) => b.funcIndex(s));
    const a = b.child(0, x);
    const c = b.child(0, y);
    const d = b.child(0, z);
    expect(new Set([a, c, d]).size).toBe(3);
    expect([b.child(0, x), b.child(0, y), b.child(0, z)]).toEqual([a, c, d]);
    expect(b.child(a, x)).not.toBe(a);
    expect(b.child(a, x)).toBe(b.child(a, x));
    expect(b.nodeCount).toBe(5);
  });

  it('lays the tree out depth-first, children in name order, with totals', () => {
    const b = new TreeBuilder();
    const f = (s: string) => b.funcIndex(s);
    b.addStack([f('main'), f('zeta')], 2, 1);
    b.addStack([f('main'), f('alpha'), f('b')], 3, 2);
    b.addStack([f('main'), f('Beta')], 2, 0.5);
    b.addStack([f('main')], 1, 4);
    b.addStack([f('main'), f('alpha'), f('a')], 3, 3);
    const t = b.finishTree();
    expect(dump(b, t)).toBe(['main 4 10.5', '  Beta 0.5 0.5', '  alpha 0 5', '    a 3 3', '    b 2 2', '  zeta 1 1'].join('\n'));
    expect(shapeError(t)).toBeNull();
  });

  it('keeps functions of the same name and another file apart, ordered by name then by index', () => {
    const b = new TreeBuilder();
    const one = b.funcIndex('f', 'one.c');
    const two = b.funcIndex('f', 'two.c');
    const bare = b.funcIndex('f');
    expect(new Set([one, two, bare]).size).toBe(3);
    expect(b.funcIndex('f', 'one.c')).toBe(one);
    expect(b.funcIndex('f')).toBe(bare);
    b.child(0, bare);
    b.child(0, two);
    b.child(0, one);
    expect(Array.from(b.finishTree().func.subarray(1))).toEqual([one, two, bare]);
  });

  it('maps every builder node to its place, through growth of every table', () => {
    const b = new TreeBuilder();
    const funcs = Array.from({ length: 300 }, (_, i) => b.funcIndex(`f${(i * 7919) % 300}`));
    // A wide root, wide inner nodes and long chains: first children and later ones.
    const nodes: number[] = [0];
    const parentOf: number[] = [-1];
    let seed = 1;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const parent = nodes[seed % nodes.length];
      const node = b.child(parent, funcs[seed % funcs.length]);
      b.addSelf(node, 1);
      if (node === nodes.length) {
        nodes.push(node);
        parentOf.push(parent);
      }
    }
    const { tree, newIndex } = b.finishTreeWithMap();
    expect(tree.func.length).toBe(b.nodeCount);
    expect(tree.total[0]).toBe(20_000);
    expect(shapeError(tree)).toBeNull();
    let wrong = 0;
    for (let n = 1; n < b.nodeCount; n++) if (tree.func[newIndex[n]] !== b.funcOfNode(n) || tree.parent[newIndex[n]] !== newIndex[parentOf[n]]) wrong++;
    expect(wrong).toBe(0);
    // Siblings in name order.
    let unordered = 0;
    for (let i = 0; i < tree.func.length; i++) {
      let prev: string | null = null;
      for (let c = i + 1; c < tree.subtreeEnd[i]; c = tree.subtreeEnd[c]) {
        const name = b.funcNameOf(tree.func[c]);
        if (prev !== null && !(prev < name)) unordered++;
        prev = name;
      }
    }
    expect(unordered).toBe(0);
  });

  it('is the one place weights are checked: negative, non-finite, or a sum past a double, a ParseError at the line', () => {
    const rejected = (add: (b: TreeBuilder, node: number) => void): ParseError => {
      const b = new TreeBuilder(undefined, 'folded');
      const node = b.child(0, b.funcIndex('f'));
      try {
        add(b, node);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        return e as ParseError;
      }
      throw new Error('accepted');
    };
    const negative = rejected((b, n) => b.addSelf(n, -1, 7));
    expect(negative).toMatchObject({ format: 'folded', line: 7, message: 'a negative weight (-1): costs and counts must be 0 or more' });
    expect(rejected((b, n) => b.addSelf(n, NaN, 3))).toMatchObject({ line: 3, message: 'a weight that is not a finite number (NaN)' });
    expect(rejected((b, n) => b.addSelf(n, Infinity, 4))).toMatchObject({ line: 4, message: 'a weight that is not a finite number (Infinity)' });
    expect(rejected((b, n) => b.addSelf(n, -Infinity, 4)).message).toMatch(/^a negative weight/);
    // Each finite, the sum not: refused at the weight that tips it, with both figures.
    const sum = rejected((b, n) => {
      b.addSelf(n, 1e308, 1);
      b.addSelf(0, 1.7e308, 2);
    });
    expect(sum).toMatchObject({ line: 2, message: 'the weights add up past the largest number a double holds (1.80e+308): 1.00e+308 so far, then 1.70e+308' });
    expect(rejected((b) => b.addStack([b.funcIndex('g')], 1, -2, 9))).toMatchObject({ line: 9 });
    // Without a line (a JSON profile), the error has none; the parser places it.
    expect(rejected((b, n) => b.addSelf(n, -1)).line).toBeUndefined();
    // Zero, -0 and the largest double itself are weights.
    const b = new TreeBuilder();
    const n = b.child(0, b.funcIndex('f'));
    b.addSelf(n, 0, 1);
    b.addSelf(n, -0, 2);
    b.addSelf(n, Number.MAX_VALUE, 3);
    expect(b.finishTree().total[0]).toBe(Number.MAX_VALUE);
  });

  it('collects the sentences that say the input looks incomplete, and has none otherwise', () => {
    const b = new TreeBuilder();
    expect(b.warnings.incomplete).toBeUndefined();
    b.incomplete('looks truncated: 1 of 2');
    b.incomplete('part 2 looks truncated');
    expect(b.warnings.incomplete).toEqual(['looks truncated: 1 of 2', 'part 2 looks truncated']);
    expect(b.finish({ name: 'x', format: 'folded', unit: 'samples' }).warnings.incomplete).toEqual(['looks truncated: 1 of 2', 'part 2 looks truncated']);
  });

  it('keeps the squares of weighted samples beside self, in depth-first places, through growth; none unless asked', () => {
    const b = new TreeBuilder();
    const f = (s: string) => b.funcIndex(s);
    const zeta = b.addStack([f('main'), f('zeta')], 2, 0);
    // Made before the column exists (the first addSamples makes it), and after it through a regrowth.
    b.addSamples(zeta, 1, 225);
    b.addSamples(zeta, 2, 1);
    const alpha = b.child(b.child(0, f('main')), f('alpha'));
    b.addSamples(alpha, 3, 2);
    const many = Array.from({ length: 3000 }, (_, i) => b.child(0, f(`n${i}`)));
    for (const n of many) b.addSamples(n, 1, 0.5);
    const t = b.finishTree();
    const at = (name: string) => [...t.func].findIndex((x) => x >= 0 && b.funcNameOf(x) === name);
    expect([t.self[at('zeta')], t.selfSq![at('zeta')]]).toEqual([227, 225 * 225 + 2]);
    expect([t.self[at('alpha')], t.selfSq![at('alpha')]]).toEqual([6, 12]);
    expect(t.selfSq![at('main')]).toBe(0);
    expect(t.selfSq![at('n2999')]).toBe(0.25);
    expect(t.selfSq!.length).toBe(t.self.length);
    // Folded and callgrind add plain weights: no column (their variance is sampleWeight · self).
    const plain = new TreeBuilder();
    plain.addStack([plain.funcIndex('a')], 1, 3);
    expect(plain.finishTree().selfSq).toBeUndefined();
  });

  it('finishes a 100k-deep chain without recursion', () => {
    const b = new TreeBuilder();
    const funcs = [b.funcIndex('a'), b.funcIndex('b')];
    const stack = Array.from({ length: 100_000 }, (_, i) => funcs[i % 2]);
    b.addStack(stack, stack.length, 1);
    const t = b.finishTree();
    expect(t.depth[t.depth.length - 1]).toBe(100_000);
    expect(t.total[0]).toBe(1);
    expect(t.subtreeEnd[1]).toBe(t.func.length);
  });
});
