import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_RULES, decodeRules, encodeRules, fileKeys, matchKey, pathComponents, type MatchRules } from './match-key';
import { DEFAULT_VIEW, readLink, writeLink } from '../ui/url-state';

/** Keys of base's and head's files, in the order given. */
function keys(base: string[], head: string[]) {
  const k = fileKeys(base, head);
  return { base: base.map((f) => k.base.get(f)), head: head.map((f) => k.head.get(f)) };
}

const move = (files: string[], from: string, to: string) => files.map((f) => f.replace(from, to));

// A C project beside system headers and glibc's relative paths, as callgrind writes them.
const PROJECT = [
  '/build/base/src/main.c',
  '/build/base/src/a/util.c',
  '/build/base/src/b/util.c',
  '/build/base/include/stdlib.h',
  '/usr/include/stdlib.h',
  './string/../sysdeps/x86_64/multiarch/strlen-avx2.S',
  '???',
];

describe('file keys across checkouts', () => {
  it('a moved checkout gives the keys it gives unmoved', () => {
    const unmoved = keys(PROJECT, PROJECT);
    // The project's include/stdlib.h needs its checkout's directory to tell it from /usr/include's.
    expect(unmoved.base).toEqual(['main.c', 'a/util.c', 'b/util.c', 'base/include/stdlib.h', 'usr/include/stdlib.h', 'strlen-avx2.S', '???']);
    expect(unmoved.head).toEqual(unmoved.base);
    expect(keys(PROJECT, move(PROJECT, '/build/base/', '/build/pr-1842/'))).toEqual(unmoved);
    // Both moved, to other depths (CI builds each in its own directory): head's files are keyed where
    // base has them, so the one key that reaches into the checkout names base's.
    const base = move(PROJECT, '/build/base/', '/tmp/ci/8812/checkout/');
    const both = keys(base, move(PROJECT, '/build/base/', '/home/runner/w/'));
    expect(both).toEqual(keys(base, base));
    expect(both.head).toEqual([...unmoved.base.slice(0, 3), 'checkout/include/stdlib.h', ...unmoved.base.slice(4)]);
  });

  it('a key that has to reach into the checkout directory still matches after a move', () => {
    // stdlib.h is in the project's root and in /usr/include: unmoved, the project's is `base/stdlib.h`.
    const base = ['/build/base/stdlib.h', '/usr/include/stdlib.h', '/build/base/main.c'];
    const unmoved = keys(base, base);
    expect(unmoved.base).toEqual(['base/stdlib.h', 'include/stdlib.h', 'main.c']);
    expect(keys(base, move(base, '/build/base/', '/build/pr-1842/'))).toEqual(unmoved);
  });

  it('two util.c in different directories stay apart, each matched with its own', () => {
    const base = ['/w/src/a/util.c', '/w/src/b/util.c'];
    expect(keys(base, move(base, '/w/', '/v/'))).toEqual({ base: ['a/util.c', 'b/util.c'], head: ['a/util.c', 'b/util.c'] });
    // Head lost a/util.c: its b/util.c is still b's.
    expect(keys(base, ['/v/src/b/util.c'])).toEqual({ base: ['a/util.c', 'b/util.c'], head: ['b/util.c'] });
  });

  it('a file on one side only has a key of its own, the same whether the checkout moved or not', () => {
    const base = ['/w/src/main.c', '/w/src/a/util.c', '/w/src/a/list.c'];
    const head = ['/w/src/main.c', '/w/src/b/util.c', '/w/src/a/list.c', '/w/src/new.c'];
    // a/util.c removed and b/util.c added are different files: src/a/ is still there, so it did not move to b/.
    const unmoved = keys(base, head);
    expect(unmoved).toEqual({ base: ['main.c', 'a/util.c', 'list.c'], head: ['main.c', 'b/util.c', 'list.c', 'new.c'] });
    expect(keys(base, move(head, '/w/', '/build/pr-1842/'))).toEqual(unmoved);
  });

  it('a directory renamed as a whole is taken for a move, as a checkout is', () => {
    expect(keys(['/w/src/main.c', '/w/src/a/util.c'], ['/w/src/main.c', '/w/src/b/util.c']).head).toEqual(['main.c', 'util.c']);
  });

  it('a directory outside the checkout that both sides share does not stop the move', () => {
    // Head's checkout ends in the same `work/` as base's: the paths differ only in /build/ vs /tmp/, and /build/cache/ is in both.
    const base = ['/tmp/work/c/x.c', '/usr/include/x.c', '/build/cache/z.h'];
    const head = ['/build/work/c/x.c', '/usr/include/x.c', '/build/cache/z.h'];
    expect(keys(base, head)).toEqual({ base: ['c/x.c', 'include/x.c', 'z.h'], head: ['c/x.c', 'include/x.c', 'z.h'] });
  });

  it('a checkout inside the other one', () => {
    const base = ['/ws/src/x.c', '/ws/src/y.c', '/usr/include/x.c'];
    expect(keys(base, move(base, '/ws/', '/ws/pr/'))).toEqual(keys(base, base));
  });

  it('Windows paths and file:// URLs read as paths', () => {
    expect(pathComponents('C:\\build\\base\\src\\util.c')).toEqual(['C:', 'build', 'base', 'src', 'util.c']);
    expect(pathComponents('file:///C:/build/base/src/util.c')).toEqual(['C:', 'build', 'base', 'src', 'util.c']);
    expect(pathComponents('file:///tmp/my%20dir/bench.js')).toEqual(['tmp', 'my dir', 'bench.js']);
    expect(pathComponents('./elf/./elf/dl-debug.c')).toEqual(['elf', 'elf', 'dl-debug.c']);
    const base = ['C:\\build\\base\\src\\a\\util.c', 'C:\\build\\base\\src\\b\\util.c', 'C:\\build\\base\\main.c'];
    const head = ['D:\\ci\\pr-1842\\src\\a\\util.c', 'D:\\ci\\pr-1842\\src\\b\\util.c', 'D:\\ci\\pr-1842\\main.c'];
    expect(keys(base, head)).toEqual({ base: ['a/util.c', 'b/util.c', 'main.c'], head: ['a/util.c', 'b/util.c', 'main.c'] });
    expect(keys(['file:///tmp/w/js/bench.js'], ['file:///C:/ci/pr-1842/js/bench.js'])).toEqual({ base: ['bench.js'], head: ['bench.js'] });
  });

  it('module names that are not files (node:…) are kept whole', () => {
    expect(pathComponents('node:internal/modules/cjs/loader')).toBeNull();
    expect(keys(['node:internal/util', 'file:///w/util.js'], ['node:internal/util'])).toEqual({ base: ['node:internal/util', 'util.js'], head: ['node:internal/util'] });
  });

  it('matchKey puts the file key after the name; names without a file are untouched', () => {
    expect(matchKey("fib'2", null)).toBe('fib');
    expect(matchKey('crc32_update', 'textstats.c')).toBe('crc32_update @ textstats.c');
    expect(fileKeys([], []).base.size).toBe(0);
  });
});

describe('matching rules in links', () => {
  const all: MatchRules[] = [];
  const ids = Object.keys(DEFAULT_MATCH_RULES) as (keyof MatchRules)[];
  for (let bits = 0; bits < 1 << ids.length; bits++) all.push(Object.fromEntries(ids.map((id, i) => [id, !!(bits & (1 << i))])) as unknown as MatchRules);

  it('writes only the rules that differ from the defaults, by name', () => {
    expect(encodeRules(DEFAULT_MATCH_RULES)).toBe('');
    expect(encodeRules({ ...DEFAULT_MATCH_RULES, stripLineCol: false, relativePaths: false })).toBe('-linecol.-paths');
    expect(encodeRules({ ...DEFAULT_MATCH_RULES, stripAnnotations: false })).toBe('-annotations');
  });

  it('reads back every combination of rules', () => {
    for (const r of all) expect(decodeRules(encodeRules(r))).toEqual(r);
  });

  it('reads old 4-bit links as the same four rules, newer rules at their defaults', () => {
    expect(decodeRules('1111')).toEqual(DEFAULT_MATCH_RULES);
    expect(decodeRules('1110')).toEqual({ ...DEFAULT_MATCH_RULES, stripAnnotations: false });
    expect(decodeRules('0101')).toEqual({ ...DEFAULT_MATCH_RULES, stripLineCol: false, stripAddresses: false });
  });

  it('reads hand-written values: commas, an explicit + (a space once URL-decoded), unknown names ignored', () => {
    expect(decodeRules('-linecol,-paths')).toEqual({ ...DEFAULT_MATCH_RULES, stripLineCol: false, relativePaths: false });
    expect(decodeRules('-paths. paths')).toEqual(DEFAULT_MATCH_RULES);
    expect(decodeRules('-recursion.-nosuchrule')).toEqual({ ...DEFAULT_MATCH_RULES, stripRecursionSuffix: false });
    expect(decodeRules(null)).toEqual(DEFAULT_MATCH_RULES);
    expect(decodeRules('')).toEqual(DEFAULT_MATCH_RULES);
  });

  it('a link carries them unescaped and reproduces them', () => {
    const rules = { ...DEFAULT_MATCH_RULES, stripAnnotations: false, relativePaths: false };
    const q = writeLink({ base: ['b.out'], head: ['h.out'], demo: false }, { ...DEFAULT_VIEW, rules });
    expect(q).toContain('match=-annotations.-paths');
    expect(readLink(q).view.rules).toEqual(rules);
    expect(writeLink({ base: ['b.out'], head: [], demo: false }, DEFAULT_VIEW)).not.toContain('match=');
  });
});
