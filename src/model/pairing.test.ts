import { describe, expect, it } from 'vitest';
import { pairFiles, planDrop, sideNamed } from './pairing';

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
  it('reads the names people and browsers give copies: spaces, brackets, numbers at a word\'s end', () => {
    expect(['head (1).folded', 'head1.folded', 'pr1842.folded', 'my profile after.json', 'feature-x.cpuprofile'].map(sideNamed)).toEqual(['head', 'head', 'head', 'head', 'head']);
    expect(['base1.folded', 'baseline.cpuprofile', 'main (2).folded', 'before[1].out'].map(sideNamed)).toEqual(['base', 'base', 'base', 'base']);
    expect(sideNamed('run2.folded')).toBe(null);
  });
  it('one file naming its side and the other nothing: the name decides, whatever the times', () => {
    expect(pairFiles([f('head.folded', 1), f('x.folded', 9)])).toMatchObject({ base: { name: 'x.folded' }, head: { name: 'head.folded' }, rule: 'name' });
    expect(pairFiles([f('x.folded', 1), f('baseline.folded', 9)])).toMatchObject({ base: { name: 'baseline.folded' }, head: { name: 'x.folded' }, rule: 'name' });
    expect(pairFiles([f('main.folded', 9), f('feature.folded', 1)])).toMatchObject({ base: { name: 'main.folded' }, rule: 'name' });
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

describe('planDrop: several runs per side', () => {
  const names = (fs: { name: string }[]) => fs.map((x) => x.name);
  it('every name says a side: runs per side, by name', () => {
    const p = planDrop([f('base-1.cpuprofile'), f('head-1.cpuprofile'), f('base-2.cpuprofile'), f('head-2.cpuprofile'), f('base-3.cpuprofile')], 'base');
    expect(p!.kind).toBe('runs');
    if (p!.kind !== 'runs') return;
    expect([names(p!.base), names(p!.head), p!.rule]).toEqual([['base-1.cpuprofile', 'base-2.cpuprofile', 'base-3.cpuprofile'], ['head-1.cpuprofile', 'head-2.cpuprofile'], 'name']);
  });
  it('two files of one side are two runs of it, never base against head', () => {
    const p = planDrop([f('before.1.folded', 5), f('before.2.folded', 1)], 'head');
    expect(p!.kind === 'runs' && [names(p!.base), names(p!.head)]).toEqual([['before.1.folded', 'before.2.folded'], []]);
  });
  it('three or more unnamed files are runs of the zone they were dropped on; two are a pair, as always', () => {
    const p = planDrop([f('r1.folded'), f('r2.folded'), f('r3.folded')], 'head');
    expect(p!.kind === 'runs' && [names(p!.base), names(p!.head), p!.rule]).toEqual([[], ['r1.folded', 'r2.folded', 'r3.folded'], 'zone']);
    expect(planDrop([f('a.folded', 1), f('b.folded', 2)], 'head')!.kind).toBe('pair');
    expect(planDrop([f('a.folded')], 'head')).toEqual({ kind: 'one', side: 'head', file: f('a.folded') });
  });
  it('named runs and unnamed files: the unnamed are not read, and returned to be said', () => {
    const p = planDrop([f('base-1.pb'), f('base-2.pb'), f('head-1.pb'), f('notes.txt')], 'base');
    expect(p!.kind === 'runs' && [names(p!.base), names(p!.head), names(p!.ignored)]).toEqual([['base-1.pb', 'base-2.pb'], ['head-1.pb'], ['notes.txt']]);
    // One of each and an unnamed file: the pair, with the third said (as before).
    expect(planDrop([f('base.pb'), f('head.pb'), f('notes.txt')], 'base')!.kind).toBe('pair');
  });
});
