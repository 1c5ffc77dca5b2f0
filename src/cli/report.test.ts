// The report on real pairs, in process (the built command and the tarball: report-package.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { report, parseArgs, shareLink } from './report';
import { escapeMarkdown } from '../model/report-markdown';

const root = path.resolve(__dirname, '../..');
const at = (rel: string) => path.join(root, rel);

async function run(args: string[], stdin = new Blob([])) {
  let out = '';
  let err = '';
  const status = await report(args, { stdin: async () => stdin, stdout: (s) => (out += s), stderr: (s) => (err += s), progress: false });
  return { status, out, err };
}

describe('flamediff report', () => {
  it('the CodSpeed pair: the verdict in the app\'s words, the whole run, sre_search first', async () => {
    const r = await run([at('public/demo/py-parse-issue/base.callgrind.out'), at('public/demo/py-parse-issue/head.callgrind.out')]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('**sre\\_search** (new in head): +173.5% of the base run · whole run +114.8%');
    expect(r.out).toContain('Whole run: base 1,914,742,816 Ir → head 4,111,921,848 Ir, +2,197,179,032 Ir (+114.8%).');
    expect(r.out.split('\n').find((l) => l.startsWith('| ') && !l.startsWith('| Function') && !l.startsWith('| ---'))).toMatch(/^\| sre\\_search _\(new\)_ \| 0 \| 3,321,351,500 \| \+3,321,351,500 \| \+173\.46% \|$/);
  });

  it('c-crc callgrind and perf pairs: crc32_update explains the change', async () => {
    for (const [b, h] of [['test/fixtures/callgrind-c-crc.base.out', 'test/fixtures/callgrind-c-crc.head.out'], ['test/fixtures/c-crc-perf.base.folded', 'test/fixtures/c-crc-perf.head.folded']]) {
      const r = await run([at(b), at(h)]);
      expect(r.status, r.err).toBe(0);
      expect(r.out).toMatch(/^\*\*crc32\\_update\*\*: \+/m);
    }
  });

  it('--json is the app\'s export of the default view', async () => {
    const r = await run([at('test/fixtures/c-crc-perf.base.folded'), at('test/fixtures/c-crc-perf.head.folded'), '--json']);
    const j = JSON.parse(r.out);
    expect([j.schema, j.compare, j.mode, j.functions[0].name, j.functions[0].significant]).toEqual(['flamediff.diff/2', 'pair', 'absolute', 'crc32_update', true]);
  });

  it('a key of several names (fib and fib\'2) is one row in the Markdown, its sum; --json keeps the names apart and gives that sum as their group', async () => {
    const pair = [at('public/demo/py-parse-issue/base.callgrind.out'), at('public/demo/py-parse-issue/head.callgrind.out')];
    const md = (await run([...pair, '--top', '3'])).out;
    expect(md).toContain("| \\_PyEval\\_EvalFrameDefault _(with \\_PyEval\\_EvalFrameDefault'2)_ | 199,628,878 | 170,579,344 | −29,049,534 | −1.52% |");
    const j = JSON.parse((await run([...pair, '--json'])).out);
    const rows = j.functions.filter((f: { key: string }) => f.key === '_PyEval_EvalFrameDefault @ ceval.c');
    expect(rows.map((f: { name: string }) => f.name).sort()).toEqual(['_PyEval_EvalFrameDefault', "_PyEval_EvalFrameDefault'2"]);
    for (const f of rows) {
      expect(f.group.base.self).toBe(199628878);
      expect(f.group.head.self).toBe(170579344);
      expect(f.group.interval).toEqual([-29049534, -29049534]);
      expect(f.interval).toEqual([f.head.self - f.base.self, f.head.self - f.base.self]);
    }
    expect(rows.reduce((s: number, f: { base: { self: number } }) => s + f.base.self, 0)).toBe(199628878);
    // A key of one name has no group.
    expect(j.functions.find((f: { name: string }) => f.name === 'sre_search').group).toBeUndefined();
  });

  it('several callgrind runs: each --json row\'s interval is about its own Δ, its group\'s about the table\'s', async () => {
    const [b, h] = [at('test/fixtures/callgrind-c-crc.base.out'), at('test/fixtures/callgrind-c-crc.head.out')];
    const j = JSON.parse((await run(['--base', b, '--base', at('test/fixtures/callgrind-c-crc-instr.base.out'), '--head', h, '--head', h, '--json'])).out);
    type Row = { name: string; base: { self: number }; head: { self: number }; interval: [number, number]; runs: { base: number[]; head: number[] }; group?: Row };
    const outside = (f: Row) => {
      const d = f.head.self - f.base.self;
      return d < f.interval[0] - 1e-6 || d > f.interval[1] + 1e-6;
    };
    const rows: Row[] = j.functions;
    expect(rows.filter(outside).map((f) => f.name)).toEqual([]);
    expect(rows.filter((f) => f.group && outside(f.group)).map((f) => f.name)).toEqual([]);
    const mean = (v: number[]) => v.reduce((a, x) => a + x, 0) / v.length;
    for (const f of rows) expect([mean(f.runs.base), mean(f.runs.head)]).toEqual([f.base.self, f.head.self]);
  });

  it('callgrind base, perf head: matched by name, shares of each run, and the head\'s sampling noise is not called exact', async () => {
    const r = await run([at('test/fixtures/callgrind-c-crc.base.out'), at('test/fixtures/c-crc-perf.head.folded'), '--top', '40']);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/^\*\*zähle\\_wörter\*\*: −28\.3% in its share of the run · whole run: no figure, the units differ$/m);
    expect(r.out).toMatch(/^\| crc32\\_update \| 25,172,504 \| 384,384,384 \| \+25\.42% \| \+25\.42% \|$/m);
    expect(r.out).not.toContain('Exact counts');
    expect(r.out).toContain('beyond sampling noise');
    // A function both sides have is one row, neither new nor removed.
    expect(r.out).not.toMatch(/crc32\\_update _\((new|removed)\)_/);
  });

  it('skipped lines are said, on stderr and above the Markdown; a differential file\'s once', async () => {
    const r = await run(['-'], new Blob(['a;b 10 12\na;c 5\na;d 3 4\n']));
    expect(r.status).toBe(0);
    const note = 'base (stdin (base column)): 1 line skipped (line 2: a differential file needs two counts on every line)';
    expect(r.err).toBe(`flamediff report: warning: ${note}\n`);
    expect(r.out.startsWith(`> **Note:** ${escapeMarkdown(note)}.\n\n### Flamediff`)).toBe(true);
  });

  it('--fail-above: 1 above the threshold, 0 under it or faster, 2 where units do not compare', async () => {
    const pair = [at('test/fixtures/c-crc-perf.base.folded'), at('test/fixtures/c-crc-perf.head.folded')]; // +31.6%
    expect((await run([...pair, '--fail-above', '5'])).status).toBe(1);
    expect((await run([...pair, '--fail-above', '40'])).status).toBe(0);
    expect((await run([pair[1], pair[0], '--fail-above', '0'])).status).toBe(0);
    const mixed = await run([at('test/fixtures/cpuprofile-js-json.base.cpuprofile'), pair[1], '--fail-above', '5']);
    expect(mixed.status).toBe(2);
    expect(mixed.err).toContain('base is measured in microseconds and head in events');
    // Several runs: only a significant change fails. The no-change runs never do, whatever the threshold.
    const R = at('test/fixtures/runs');
    const runs = (set: string, flag: string) => [1, 2, 3, 4, 5].flatMap((k) => [flag, `${R}/${set}/run-${k}.cpuprofile`]);
    expect((await run([...runs('same-base', '--base'), ...runs('same-head', '--head'), '--fail-above', '0'])).status).toBe(0);
    const slower = await run([...runs('slower-base', '--base'), ...runs('slower-head', '--head'), '--fail-above', '1']);
    expect(slower.out).toMatch(/^\*\*mixHash\*\*: .* · 5 vs 5 runs$/m);
    expect(slower.out).toContain('| Δ self interval |');
  });

  it('bad input: exit 2 with the app\'s error text; stdin and gzip read like files', async () => {
    const bad = await run([at('test/fixtures/c-crc-perf.base.folded'), '-'], new Blob(['<html>not a profile</html>']));
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/^flamediff report: stdin .*not a profile Flamediff reads/);
    const gz = new Blob([await new Response(new Blob([readFileSync(at('test/fixtures/c-crc-perf.head.folded'))]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()]);
    const ok = await run([at('test/fixtures/c-crc-perf.base.folded'), '-'], gz);
    expect(ok.status, ok.err).toBe(0);
    expect(ok.out).toMatch(/^\*\*crc32\\_update\*\*/m);
    const one = await run([at('test/fixtures/c-crc-perf.base.folded')]);
    expect([one.status, one.err]).toEqual([2, expect.stringContaining('this file holds one profile, not both sides: give BASE and HEAD')]);
    const missing = await run([at('no-such.folded'), at('test/fixtures/c-crc-perf.head.folded')]);
    expect([missing.status, missing.err]).toEqual([2, 'flamediff report: no-such.folded: cannot be read: no such file\n']);
    expect((await run(['--nope'])).err).toContain('unknown option --nope');
  });

  it('one differential folded file (stack, base count, head count) gives both sides, as in the app', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-both-'));
    const file = path.join(dir, 'diff.folded');
    writeFileSync(file, 'main;work 10 20\nmain;idle 5 5\n');
    const r = await run([file, '--json']);
    expect(r.status, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect([j.base.total, j.head.total, j.functions[0].name]).toEqual([15, 25, 'work']);
    expect((await run([file, file])).err).toContain('this file holds both sides (a stack, then base and head counts): give it alone, as BOTH');
  });

  it('hostile names cannot break the table, quote code, write HTML or mention anyone', async () => {
    const edge = at('test/fixtures/cpuprofile-js-edge-names.cpuprofile');
    const r = await run([edge, edge, '--top', '500']);
    for (const line of r.out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Function'))) {
      expect(line.replace(/\\\|/g, '').split('|').length, line).toBe(7);
    }
    expect(r.out).not.toMatch(/<img|<\/|(^|[^\\])`|(^|[^&#\d])@\w/);
    expect(escapeMarkdown('a|b `c` <d> & @e [f](g) *h*')).toBe('a\\|b \\`c\\` &lt;d&gt; &amp; &#64;e \\[f\\](g) \\*h\\*');
  });

  it('--link builds the share link by URL resolution, the verdict\'s function selected', () => {
    const o = parseArgs(['a', 'b', '--link', 'https://ci.example/app/', '--base-url', '../art/base one.out', '--head-url', 'https://cdn.example/h.out?x=1&y=2']);
    if (o === 'help') throw new Error('help');
    const u = new URL(shareLink(o, 'sre_search @ Modules/_sre/sre.c'));
    expect(u.origin + u.pathname).toBe('https://ci.example/app/');
    expect(u.searchParams.getAll('base')).toEqual(['https://ci.example/art/base%20one.out']);
    expect(u.searchParams.getAll('head')).toEqual(['https://cdn.example/h.out?x=1&y=2']);
    expect(u.searchParams.get('fn')).toBe('sre_search @ Modules/_sre/sre.c');
  });

  it('--link: a relative app address is named as the fault; a ) in a URL cannot end the Markdown link', async () => {
    const pair = [at('test/fixtures/c-crc-perf.base.folded'), at('test/fixtures/c-crc-perf.head.folded')];
    const bad = await run([...pair, '--link', 'flamediff/', '--base-url', 'b.folded', '--head-url', 'h.folded']);
    expect([bad.status, bad.out]).toEqual([2, '']);
    expect(bad.err).toContain('--link flamediff/ is not a URL: give the whole address, https://…');
    const r = await run([...pair, '--link', 'https://ci.example/app/', '--base-url', 'https://cdn.example/run (1)/b.folded', '--head-url', 'h.folded']);
    const target = /\[Open the differential flame graph\]\(([^)]*)\)/.exec(r.out)![1];
    expect(target).not.toMatch(/[()\s]/);
    expect(new URL(target).searchParams.get('base')).toBe('https://cdn.example/run%20(1)/b.folded');
  });

  it('--svg writes the diff view as SVG: it parses, holds the verdict, names escaped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-svg-'));
    const file = path.join(dir, 'diff.svg');
    const r = await run([at('public/demo/py-parse-issue/base.callgrind.out'), at('public/demo/py-parse-issue/head.callgrind.out'), '--svg', file]);
    expect(r.status).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>sre_search (new in head): +173.5% of the base run · whole run +114.8%</text>');
    expect(svg).toContain('>sre_search</text>');
    // Well-formed enough for any XML reader: every element closed, no raw markup in text.
    const opened = (svg.match(/<(?!\/)(?![^>]*\/>)[a-z]+[^>]*>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
    const nowhere = await run([at('test/fixtures/c-crc-perf.base.folded'), at('test/fixtures/c-crc-perf.head.folded'), '--svg', path.join(dir, 'no/such/dir.svg')]);
    expect([nowhere.status, nowhere.out]).toEqual([2, '']);
    expect(nowhere.err).toBe(`flamediff report: --svg ${path.join(dir, 'no/such/dir.svg')}: cannot be written: no such directory\n`);
    const edge = at('test/fixtures/cpuprofile-js-edge-names.cpuprofile');
    await run([edge, edge, '--svg', file]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/<img|<script/);
  });
});

describe('flamediff report options', () => {
  const usage = (args: string[]) => {
    try {
      parseArgs(args);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  it('refuses values a hurried user mistypes, instead of reading them as something else', () => {
    // A negative gate would fail a faster head.
    expect(usage(['a', 'b', '--fail-above', '-50'])).toMatch(/--fail-above takes a percentage of 0 or more/);
    expect(usage(['a', 'b', '--fail-above', ''])).toBe('--fail-above needs a value');
    expect(usage(['a', 'b', '--top', ''])).toBe('--top needs a value');
    expect(usage(['a', 'b', '--svg', '--json'])).toBe('--svg needs a value');
    expect(usage(['a', 'b', 'c'])).toBe('too many profiles: c (give BASE and HEAD, or one differential file)');
    expect(usage(['a', '--base', 'b', '--head', 'c'])).toBe('give BASE and HEAD, or --base and --head, not both');
    const o = parseArgs(['a', 'b', '--fail-above', '5%', '--svg', '-']);
    expect(o !== 'help' && [o.failAbove, o.svg]).toEqual([5, '-']);
  });
});

describe('flamediff report on a file cut short', () => {
  it('says so first, and the gate refuses to judge it (exit 2) instead of failing or passing on half a run', async () => {
    const whole = readFileSync(at('test/fixtures/callgrind-c-crc.base.out'));
    const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-cut-'));
    const cut = path.join(dir, 'cut.callgrind.out');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const head = at('test/fixtures/callgrind-c-crc.head.out');
    const r = await run([cut, head]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^> \*\*Warning:\*\* base \(cut\.callgrind\.out\): looks truncated: .+\. This report compares only what was read\.\n/);
    expect(r.err).toMatch(/^flamediff report: warning: base \(cut\.callgrind\.out\): looks truncated: .*totals: line/);
    const gate = await run([cut, head, '--fail-above', '5']);
    expect(gate.status).toBe(2);
    expect(gate.err).toContain('flamediff report: --fail-above cannot be applied: base looks cut short');
    // A whole pair says nothing of the kind.
    const fine = await run([at('test/fixtures/callgrind-c-crc.base.out'), head]);
    expect(fine.out).not.toContain('Warning');
    expect(fine.err).toBe('');
  });
});

describe('flamediff report on a base with no cost', () => {
  it('refuses it (exit 2) instead of calling the change +100% of nothing', async () => {
    const r = await run(['-', at('test/fixtures/c-crc-perf.head.folded'), '--fail-above', '5'], new Blob(['main;a 0\nmain;b 0\n']));
    expect(r.status).toBe(2);
    expect(r.err).toContain('the base profile holds no cost (its total is 0');
    expect(r.out).toBe('');
  });
});

describe('flamediff report error text', () => {
  it('shows a file\'s control bytes as \\xNN, so a hostile file cannot drive the terminal', async () => {
    const r = await run(['-', at('test/fixtures/c-crc-perf.head.folded')], new Blob(['\x1b]0;owned\x07\x1b[2J not a profile\n']));
    expect(r.status).toBe(2);
    expect(r.err).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(r.err).toContain('\\x1b');
  });
});
