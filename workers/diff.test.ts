import { describe, expect, it } from 'vitest';
import { diffProfiles } from './diff';
import { parseFolded } from './parse/folded';
import { chunksOf } from './parse/lines';
import type { Diff } from '../src/model/diff-model';

const folded = async (text: string) => (await parseFolded(chunksOf(new TextEncoder().encode(text)), 'x')).profile;

function dump(d: Diff): string {
  const t = d.tree;
  const out: string[] = [];
  for (let i = 1; i < t.func.length; i++) {
    const name = d.strings[d.functions.name[t.func[i]]];
    out.push(`${'  '.repeat(t.depth[i] - 1)}${name} base ${t.baseSelf[i]}/${t.baseTotal[i]} head ${t.headSelf[i]}/${t.headTotal[i]}`);
  }
  return out.join('\n');
}

function fn(d: Diff, name: string) {
  const f = d.functions;
  const i = [...f.name].findIndex((s) => d.strings[s] === name);
  expect(i).toBeGreaterThanOrEqual(0);
  return { baseSelf: f.baseSelf[i], baseTotal: f.baseTotal[i], headSelf: f.headSelf[i], headTotal: f.headTotal[i], key: d.strings[f.key[i]] };
}

describe('diff', () => {
  it('merges by call path; a missing side is zero (new and removed frames)', async () => {
    const d = diffProfiles(await folded('a;b 3\na;c 1\n'), await folded('a;b 5\na;d 2\n'));
    expect(dump(d)).toBe(
      ['a base 0/4 head 0/7', '  b base 3/3 head 5/5', '  c base 1/1 head 0/0', '  d base 0/0 head 2/2'].join('\n'),
    );
    expect(d.base.total).toBe(4);
    expect(d.head.total).toBe(7);
  });

  it('merges functions over call paths and counts recursion once in totals', async () => {
    const d = diffProfiles(await folded('a;f;f;g 2\nb;f 1\n'), await folded('a;f 4\n'));
    expect(fn(d, 'f')).toMatchObject({ baseSelf: 1, baseTotal: 3, headSelf: 4, headTotal: 4 });
    expect(fn(d, 'g')).toMatchObject({ baseSelf: 2, baseTotal: 2, headSelf: 0, headTotal: 0 });
  });

  it('matches JIT names whose line numbers moved', async () => {
    const d = diffProfiles(await folded('main;JS:*makeOrder /x/bench.js:22:19 10\n'), await folded('main;JS:*makeOrder /x/bench.js:23:19 12\n'));
    expect(d.tree.func.length).toBe(3);
    expect(fn(d, 'JS:*makeOrder /x/bench.js:23:19')).toMatchObject({ baseSelf: 10, headSelf: 12, key: 'JS:makeOrder /x/bench.js' });
  });

  it('diffing a profile with itself gives zero deltas everywhere', async () => {
    const p = await folded('a;b;c 3\na;b 1\nx 5\n');
    const d = diffProfiles(p, p);
    for (let i = 0; i < d.tree.func.length; i++) expect(d.tree.headTotal[i]).toBe(d.tree.baseTotal[i]);
  });
});
