// The command-line report and the browser say the same: its --json is the app's JSON export of
// the default view, number for number.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, waitReady } from './helpers';

for (const pair of ['c-crc-perf/base.folded c-crc-perf/head.folded', 'py-parse-issue/base.callgrind.out py-parse-issue/head.callgrind.out']) {
  const [base, head] = pair.split(' ');
  test(`flamediff report --json equals the browser's export: ${pair}`, async ({ page }) => {
    await page.goto(`/?base=demo/${base}&head=demo/${head}`);
    await waitReady(page);
    const dl = page.waitForEvent('download');
    await page.getByTestId('export-json').click();
    const browser = JSON.parse(readFileSync((await (await dl).path())!, 'utf8'));
    const r = spawnSync('npm', ['run', '--silent', 'report', '--', path.join(ROOT, 'public/demo', base), path.join(ROOT, 'public/demo', head), '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    expect(cli).toEqual(browser);
  });
}

/** The command's --svg for a pair, as a browser reads the file: parse errors, texts, anything active. */
async function commandSvg(page: import('@playwright/test').Page, base: string, head: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-cli-svg-'));
  const file = path.join(dir, 'diff.svg');
  const r = spawnSync('npm', ['run', '--silent', 'report', '--', base, head, '--svg', file], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const svg = readFileSync(file, 'utf8');
  const read = await page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      titles: [...doc.querySelectorAll('g > title')].map((t) => t.textContent ?? ''),
      rects: doc.querySelectorAll('rect').length,
      active: doc.querySelectorAll('script, foreignObject, image, a, img, iframe').length,
      handlers: [...doc.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    };
  }, svg);
  return { svg, ...read };
}

test('flamediff report --svg is an SVG a browser parses: the verdict as text, hostile names as text, nothing active', async ({ page }) => {
  await page.goto('/');
  const demo = (f: string) => path.join(ROOT, 'public/demo', f);
  const codspeed = await commandSvg(page, demo('py-parse-issue/base.callgrind.out'), demo('py-parse-issue/head.callgrind.out'));
  expect(codspeed.error).toBeNull();
  expect(codspeed.root).toBe('svg');
  expect(codspeed.texts).toContain('sre_search (new in head): +173.5% of the base run · whole run +114.8%');
  expect(codspeed.rects).toBeGreaterThan(50);
  expect(codspeed.titles.find((t) => t.startsWith('sre_search (new in head)\n'))).toContain('self ≈+166.1% of the overall run (≈+3,180,786,249 Ir)');
  expect([codspeed.active, codspeed.handlers]).toEqual([0, 0]);

  const edge = path.join(ROOT, 'test/fixtures/cpuprofile-js-edge-names.cpuprofile');
  const hostile = await commandSvg(page, edge, edge);
  expect(hostile.error).toBeNull();
  // Labels are cut to their frame; the tooltip holds the whole name, as text.
  expect(hostile.titles.some((t) => t.startsWith('<img src=x onerror=alert(1)>\n'))).toBe(true);
  expect([hostile.active, hostile.handlers]).toEqual([0, 0]);

  // Drawn as an image, the way an artifact viewer shows it: look at test-results/report-svg.png.
  await page.goto('about:blank');
  await page.setContent(`<img id="g" src="data:image/svg+xml;base64,${Buffer.from(codspeed.svg).toString('base64')}">`);
  const size = await page.locator('#g').evaluate((img: HTMLImageElement) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]));
  expect(size[0]).toBeGreaterThan(600);
  expect(size[1]).toBeGreaterThan(100);
  await page.locator('#g').screenshot({ path: path.join(ROOT, 'test-results/report-svg.png') });
});
