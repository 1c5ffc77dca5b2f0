import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, readLink, writeLink } from './url-state';

const link = { base: ['https://x/base.out'], head: ['https://x/head.out'], demo: false };

describe('view state in the URL', () => {
  it('zoom is a path of match keys that round-trips, with a version', () => {
    const view = { ...DEFAULT_VIEW, zoom: ['main', 'parse/issue @ a.py', 'sre_search'], selected: 'sre_search' };
    const search = writeLink(link, view);
    expect(search).toContain('v=2');
    const back = readLink(search);
    expect(back.view.zoom).toEqual(view.zoom);
    expect(back.view.selected).toBe('sre_search');
    expect(back.legacyZoom).toBeNull();
    expect(writeLink(link, back.view)).toBe(search);
  });
  it('several runs per side: repeated base= and head=, in order', () => {
    const l = readLink('?base=r1.cpuprofile&base=r2.cpuprofile&base=r3.cpuprofile&head=h1.cpuprofile&head=h2.cpuprofile');
    expect([l.base, l.head]).toEqual([['r1.cpuprofile', 'r2.cpuprofile', 'r3.cpuprofile'], ['h1.cpuprofile', 'h2.cpuprofile']]);
    expect(writeLink(l, l.view)).toBe('?base=r1.cpuprofile&base=r2.cpuprofile&base=r3.cpuprofile&head=h1.cpuprofile&head=h2.cpuprofile');
  });
  it('a plain share link stays plain and gets the default rules', () => {
    expect(writeLink(link, DEFAULT_VIEW)).toBe(`?base=${encodeURIComponent(link.base[0])}&head=${encodeURIComponent(link.head[0])}`);
    expect(readLink('?base=a&head=b').view.rules).toEqual(DEFAULT_VIEW.rules);
  });
  it('version-1 links: a node-number zoom is kept for resolving, whole-path keys keep whole paths', () => {
    const old = readLink('?base=a&head=b&zoom=17&fn=crc32_update%20%40%20%2Fsrc%2Ftextstats.c&match=1110');
    expect(old.legacyZoom).toBe(17);
    expect(old.view.zoom).toBeNull();
    expect(old.view.rules.relativePaths).toBe(false);
    expect(old.view.rules.stripAnnotations).toBe(false);
    // Without keys to keep, an old link gets today's matching.
    expect(readLink('?base=a&head=b&match=1111').view.rules.relativePaths).toBe(true);
  });
});

describe('folded unit in the URL', () => {
  it('round-trips unit=ns and ignores units it does not know', () => {
    const v = { ...DEFAULT_VIEW, unit: 'ns' as const };
    const q = writeLink({ base: ['a.folded'], head: ['b.folded'], demo: false }, v);
    expect(q).toContain('unit=ns');
    expect(readLink(q).view.unit).toBe('ns');
    expect(readLink('?base=a&unit=parsecs').view.unit).toBeNull();
    expect(writeLink({ base: ['a'], head: [], demo: false }, DEFAULT_VIEW)).not.toContain('unit=');
  });
});

describe('palette in the URL', () => {
  it('round-trips palette=blue-orange, stays out of default links, and ignores palettes it does not know', () => {
    const q = writeLink({ base: ['a'], head: ['b'], demo: false }, { ...DEFAULT_VIEW, palette: 'blue-orange' });
    expect(q).toContain('palette=blue-orange');
    expect(readLink(q).view.palette).toBe('blue-orange');
    expect(writeLink({ base: ['a'], head: ['b'], demo: false }, DEFAULT_VIEW)).not.toContain('palette');
    expect(readLink('?base=a&palette=rainbow').view.palette).toBe('rdbu');
  });
});

describe('a history entry in the URL', () => {
  it('stands for local files (h=ID) and never beside profile URLs or the demo', () => {
    expect(writeLink({ base: [], head: [], demo: false, entry: 7 }, DEFAULT_VIEW)).toBe('?h=7');
    expect(readLink('?h=7&tab=base&v=2').entry).toBe(7);
    expect(writeLink({ base: ['https://x/a'], head: [], demo: false, entry: 7 }, DEFAULT_VIEW)).not.toContain('h=');
    expect(writeLink({ base: [], head: [], demo: true, entry: 7 }, DEFAULT_VIEW)).not.toContain('h=');
    for (const bad of ['0', '-1', 'x', '1e3', '']) expect(readLink(`?h=${bad}`).entry).toBeNull();
  });
});
