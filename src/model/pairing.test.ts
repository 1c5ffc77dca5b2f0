import { describe, expect, it } from 'vitest';
import { pairFiles, sideNamed } from './pairing';

const f = (name: string, lastModified = 0) => ({ name, lastModified });

describe('pairing two dropped files', () => {
  it('reads base/head words split on . - _', () => {
    expect(sideNamed('base.folded')).toBe('base');
    expect(sideNamed('prof-after.cpuprofile')).toBe('head');
    expect(sideNamed('callgrind.out.MASTER')).toBe('base');
    expect(sideNamed('pr_1842.callgrind.out')).toBe('head');
    expect(sideNamed('profile.folded')).toBe(null);
    expect(sideNamed('new-main.folded')).toBe(null); // says both
    expect(sideNamed('oldest.folded')).toBe(null); // whole tokens only
    expect(sideNamed('/tmp/head/x.folded')).toBe(null); // the file name, not its folder
  });
  it('names win over times and order: head first with equal times', () => {
    const p = pairFiles([f('head.folded', 5), f('base.folded', 5)])!;
    expect([p.base.name, p.head.name, p.rule]).toEqual(['base.folded', 'head.folded', 'name']);
    const q = pairFiles([f('after.txt', 1), f('before.txt', 9)])!;
    expect([q.base.name, q.rule]).toEqual(['before.txt', 'name']);
  });
  it('then modification time, then drop order', () => {
    expect(pairFiles([f('a', 9), f('b', 1)])).toMatchObject({ base: { name: 'b' }, rule: 'time' });
    expect(pairFiles([f('a', 1), f('b', 1)])).toMatchObject({ base: { name: 'a' }, head: { name: 'b' }, rule: 'order' });
    expect(pairFiles([f('base.a', 1), f('base.b', 2)])).toMatchObject({ base: { name: 'base.a' }, rule: 'time' });
  });
  it('a third file is returned as ignored, never dropped silently', () => {
    const p = pairFiles([f('x', 1), f('head.folded', 3), f('base.folded', 2)])!;
    expect(p.rule).toBe('name');
    expect(p.ignored.map((x) => x.name)).toEqual(['x']);
    expect(pairFiles([f('a', 1), f('b', 2), f('c', 3)])!.ignored.map((x) => x.name)).toEqual(['c']);
    expect(pairFiles([f('a')])).toBeNull();
  });
});
