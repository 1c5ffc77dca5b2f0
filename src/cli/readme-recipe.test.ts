// The README's CI recipe, run as it stands: its shell steps (all but those marked "(GitHub only)"),
// in a scratch project, with the packed tarball, on the CodSpeed pair. And the command as a
// package: `npm pack`, installed offline, run through its bin.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The `run: |` blocks of the CI section's YAML, step by step, with their step's first line. */
export function recipeSteps(readme: string): { name: string; script: string }[] {
  const section = readme.slice(readme.indexOf('## Comparing profiles in CI'));
  const yaml = section.slice(section.indexOf('```yaml') + 7, section.indexOf('```', section.indexOf('```yaml') + 7));
  const lines = yaml.split('\n');
  const steps: { name: string; script: string }[] = [];
  let step = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*- (name|uses):/.test(l)) step = l.trim();
    const m = /^(\s*)run: \|\s*$/.exec(l);
    if (!m) continue;
    const body: string[] = [];
    const indent = m[1].length + 2;
    for (i++; i < lines.length && (lines[i].trim() === '' || lines[i].length - lines[i].trimStart().length >= indent); i++) body.push(lines[i].slice(indent));
    i--;
    steps.push({ name: step, script: body.join('\n') });
  }
  return steps;
}

let tgz = '';
beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-pack-'));
  // `npm pack` runs prepack, which builds the command.
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  tgz = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
}, 120_000);

describe('the command as a package', () => {
  it('installs from the tarball with nothing else, and its bin reports', () => {
    const proj = mkdtempSync(path.join(tmpdir(), 'flamediff-proj-'));
    writeFileSync(path.join(proj, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tgz], { cwd: proj });
    const r = spawnSync(path.join(proj, 'node_modules/.bin/flamediff'), ['report', path.join(root, 'test/fixtures/c-crc-perf.base.folded'), path.join(root, 'test/fixtures/c-crc-perf.head.folded')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\*\*crc32\\_update\*\*: \+/m);
    expect(readdirSync(path.join(proj, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['flamediff']);
    const bin = path.join(proj, 'node_modules/.bin/flamediff');

    // Every file that fails is named, the others are not.
    const bad = spawnSync(bin, ['report', path.join(root, 'no-such.callgrind.out'), path.join(root, 'index.html')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('flamediff report: no-such.callgrind.out: cannot be read: no such file');
    expect(bad.stderr).toMatch(/flamediff report: index\.html.*not a profile Flamediff reads/);
  }, 120_000);

  // `script` (util-linux) gives the command a terminal; elsewhere the test cannot make one.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('shows progress for a file over 50 MB on a terminal, and none when stderr is a pipe', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'flamediff-progress-'));
    const small = path.join(root, 'test/fixtures/c-crc-perf.head.folded');
    // A long perf run: the fixture's stacks, repeated under more roots, until past 50 MB.
    const lines = readFileSync(small, 'utf8').trimEnd().split('\n');
    const parts: string[] = [];
    let bytes = 0;
    for (let run = 0; bytes < 55e6; run++) for (const l of lines) bytes += parts[parts.push(`run${run};${l}\n`) - 1].length;
    const big = path.join(work, 'long-run.folded');
    writeFileSync(big, parts.join(''));
    const bin = path.join(root, 'cli-dist/flamediff.mjs');
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const onTerminal = (args: string[]) =>
      spawnSync('script', ['-qec', `${quote(process.execPath)} ${quote(bin)} report ${args.map(quote).join(' ')} > /dev/null`, '/dev/null'], { encoding: 'utf8' }).stdout;

    const shown = onTerminal([big, small]);
    const updates = shown.split('\r').filter((u) => u.startsWith('long-run.folded: '));
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const pcts = updates.filter((u) => / of 55\.\d MB/.test(u)).map((u) => Number(/: (\d+)%/.exec(u)![1]));
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(pcts.every((p) => p < 100)).toBe(true);
    // The terminal turns each \n into \r\n.
    expect(updates.at(-1)).toMatch(/^long-run\.folded: read 55\.\d MB\x1b\[K$/);
    expect(shown).toMatch(/long-run\.folded: read 55\.\d MB\x1b\[K\r?\n/);
    // The small file says nothing; the report itself went to stdout (here /dev/null).
    expect(shown).not.toContain('c-crc-perf');

    // An error after a progress line starts on a clean line.
    const failing = onTerminal([big, path.join(root, 'index.html')]);
    expect(failing).toMatch(/\r\x1b\[K\r?\nflamediff report: index\.html|read 55\.\d MB\x1b\[K\r?\n\r?flamediff report: index\.html/);

    const piped = spawnSync(process.execPath, [bin, 'report', big, small], { encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('| Function');
  }, 120_000);
});

describe("the README's CI recipe", () => {
  it('its steps run as written: the summary holds the verdict, the SVG is kept, the gate fails a +114.8% run', () => {
    const steps = recipeSteps(readFileSync(path.join(root, 'README.md'), 'utf8'));
    const runnable = steps.filter((s) => !s.name.includes('(GitHub only)'));
    expect(runnable.map((s) => s.name)).toEqual(['- name: Install flamediff', '- name: Report']);
    const work = mkdtempSync(path.join(tmpdir(), 'flamediff-recipe-'));
    writeFileSync(path.join(work, 'package.json'), '{"private":true}');
    // What the GitHub-only steps would have made: the two profiles (here, the CodSpeed pair).
    for (const side of ['base', 'head']) copyFileSync(path.join(root, `public/demo/py-parse-issue/${side}.callgrind.out`), path.join(work, `${side}.callgrind.out`));
    const env = {
      ...process.env,
      FLAMEDIFF_TGZ: tgz,
      FLAMEDIFF_APP: 'https://flamediff.example.com/',
      PROFILES_URL: 'https://my-profiles.example.com/0123abc',
      GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
      npm_config_offline: 'true',
    };
    const results = runnable.map((s) => spawnSync('bash', ['-e', '-c', s.script], { cwd: work, env, encoding: 'utf8' }));
    expect(results[0].status, results[0].stderr).toBe(0);
    expect(results[1].status, results[1].stderr).toBe(1);
    expect(results[1].stderr).toContain('head is 114.8% slower than base, above --fail-above 5%');
    const summary = readFileSync(path.join(work, 'summary.md'), 'utf8');
    expect(summary).toContain('**sre\\_search** (new in head): +173.5% of the base run · whole run +114.8%');
    const link = /\[Open the differential flame graph\]\(([^)]+)\)/.exec(summary)![1];
    const u = new URL(link);
    expect([u.origin, u.searchParams.get('base'), u.searchParams.get('fn')]).toEqual(['https://flamediff.example.com', 'https://my-profiles.example.com/0123abc/base.callgrind.out', expect.stringMatching(/^sre_search/)]);
    expect(existsSync(path.join(work, 'flamediff.svg'))).toBe(true);
    expect(readFileSync(path.join(work, 'flamediff.svg'), 'utf8')).toContain('sre_search (new in head)');
  }, 120_000);
});
