import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../workers/diff';
import { parseFolded } from '../../workers/parse/folded';
import { chunksOf } from '../../workers/parse/lines';
import { applyTransforms, decodeTransform, encodeTransform, type Transform } from './transforms';
import type { Diff } from './diff-model';

const folded = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;

function dump(d: Diff): string {
  const t = d.tree;
  const out: string[] = [];
  for (let i = 1; i < t.func.length; i++) {
    // Frames a transform left without cost stay in the arrays but are never drawn.
    if (t.baseTotal[i] === 0 && t.headTotal[i] === 0) continue;
    out.push(`${'  '.repeat(t.depth[i] - 1)}${d.strings[d.functions.name[t.func[i]]]} ${t.baseTotal[i]}/${t.headTotal[i]}`);
  }
  return out.join('\n');
}

async function run(base: string, head: string, tx: Transform[]) {
  return applyTransforms(diffProfiles(await folded(base), await folded(head)), tx);
}

describe('transforms', () => {
  it('collapses indirect recursion into the outermost frame on both sides', async () => {
    const d = await run('a;f;g;f;h 2\n', 'a;f;g;f;g;f;h 3\n', [{ kind: 'collapse-recursion' }]);
    expect(dump(d)).toBe(['a 2/3', '  f 2/3', '    h 2/3'].join('\n'));
  });

  it('collapses only direct recursion when asked', async () => {
    const d = await run('a;f;f;g;f 2\n', 'a;f 1\n', [{ kind: 'collapse-direct-recursion' }]);
    expect(dump(d)).toBe(['a 2/1', '  f 2/1', '    g 2/0', '      f 2/0'].join('\n'));
  });

  it('merges a function into its callers, keeping its cost', async () => {
    const d = await run('a;m;b 2\na;m 1\n', 'a;m;b 4\n', [{ kind: 'merge', key: 'm' }]);
    expect(dump(d)).toBe(['a 3/4', '  b 2/4'].join('\n'));
    expect(d.base.total).toBe(3);
  });

  it('focuses on a function: only stacks through it, rooted at it', async () => {
    const d = await run('a;f;x 2\nb;f;y 1\nc 5\n', 'a;f;x 1\n', [{ kind: 'focus', key: 'f' }]);
    expect(dump(d)).toBe(['f 3/1', '  x 2/1', '  y 1/0'].join('\n'));
    expect(d.base.total).toBe(3);
  });

  it('hides stacks through frames matching a pattern', async () => {
    const d = await run('a;gc;x 2\na;y 1\n', 'a;GC 4\na;y 1\n', [{ kind: 'hide', pattern: '^gc$' }]);
    expect(dump(d)).toBe(['a 1/1', '  y 1/1'].join('\n'));
  });

  it('round-trips through the URL encoding', () => {
    for (const t of [{ kind: 'collapse-recursion' }, { kind: 'merge', key: 'a;b:c' }, { kind: 'hide', pattern: 'x|y' }] as Transform[]) {
      expect(decodeTransform(encodeTransform(t))).toEqual(t);
    }
  });
});

describe('sandwich callers', () => {
  it('reads call paths upwards from the function, weighted by its totals', async () => {
    const { callersOf } = await import('./transforms');
    const d = diffProfiles(await folded('a;f;x 2\nb;f 1\nb;c;f;f 4\n'), await folded('a;f 5\n'));
    const c = callersOf(d, 'f')!;
    expect(dump(c)).toBe(['f 7/5', '  a 2/5', '  b 1/0', '  c 4/0', '    b 4/0'].join('\n'));
  });
});

describe('inverted tree', () => {
  it('roots are where self time is spent, children their callers', async () => {
    const { invertTree } = await import('./transforms');
    const d = diffProfiles(await folded('a;b;c 2\na;c 1\na 4\n'), await folded('a;b;c 3\n'));
    expect(dump(invertTree(d))).toBe(['a 4/0', 'c 3/3', '  a 1/0', '  b 2/3', '    a 2/3'].join('\n'));
  });
});
