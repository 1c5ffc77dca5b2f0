import { describe, expect, it } from 'vitest';
import { parseFolded } from './parse/folded';
import { chunksOf } from './parse/lines';
import { scaleProfile } from './scale-profile';
import { diffProfiles } from './diff';

const parseText = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;

describe('scaleProfile', () => {
  it('converts every weight and keeps the tree', async () => {
    const p = await parseText('a;b 3\na 2\n');
    const s = scaleProfile(p, 1000, 'nanoseconds');
    expect(s.unit).toBe('nanoseconds');
    expect(s.tree.total[0]).toBe(5000);
    expect([...s.tree.self]).toEqual([...p.tree.self].map((v) => v * 1000));
    expect(s.tree.func).toBe(p.tree.func);
    expect(p.tree.total[0]).toBe(5); // the original is untouched
    // Variances (sums of squared weights) scale by the square.
    const withSq = { ...p, tree: { ...p.tree, selfSq: p.tree.self.map((v) => v * 2) } };
    expect([...scaleProfile(withSq, 1000, 'nanoseconds').tree.selfSq!]).toEqual([...p.tree.self].map((v) => v * 2 * 1e6));
    const d = diffProfiles(p, scaleProfile(p, 1, p.unit));
    expect(d.head.total).toBe(d.base.total);
  });
});
