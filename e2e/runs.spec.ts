// Several runs per side: real `node --cpu-prof` runs (test/fixtures/runs), five per side, by
// share link and by drop; what is significant is what the intervals say, and nothing else.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, countTinted, hoverFrame, waitReady } from './helpers';

const RUNS = path.join(ROOT, 'test/fixtures/runs');
const K = [1, 2, 3, 4, 5];

async function serveRuns(page: Page) {
  await page.context().route('**/runs/*/*.cpuprofile', (route) => {
    const [set, file] = new URL(route.request().url()).pathname.split('/').slice(-2);
    return route.fulfill({ status: 200, body: readFileSync(path.join(RUNS, set, file)), headers: { 'content-type': 'application/json' } });
  });
}

const link = (base: string, head: string) =>
  '/?' + [...K.map((k) => `base=runs/${base}/run-${k}.cpuprofile`), ...K.map((k) => `head=runs/${head}/run-${k}.cpuprofile`)].join('&');

test('5 + 5 runs by share link: mixHash, 30% more work, is the verdict and the one significant row', async ({ page }) => {
  await serveRuns(page);
  await page.goto(link('slower-base', 'slower-head'));
  await waitReady(page);
  await expect(page.getByTestId('file-base')).toContainText('run-1.cpuprofile + 4 more (5 runs)');
  await expect(page.getByTestId('file-head')).toContainText('(5 runs)');
  await expect(page.getByTestId('verdict')).toContainText(/^mixHash: \+\d+\.\d% of the base run · whole run [+−]\d+\.\d%.* · 5 vs 5 runs$/);
  const first = page.getByTestId('table-row').first();
  await expect(first).toHaveAttribute('data-key', /^mixHash/);
  await expect(first).toHaveAttribute('data-significant', 'true');
  // The interval column: above zero for mixHash.
  const lo = Number(await first.getByTestId('interval').getAttribute('data-lo'));
  expect(lo).toBeGreaterThan(0);
  // "significant" keeps that row alone.
  await page.getByTestId('significant-only').check();
  await expect(page.getByTestId('table-row')).toHaveCount(1);
  await page.getByTestId('significant-only').uncheck();
  // The card: the interval of the colour's quantity (self Δ) and a tick per run per side.
  await hoverFrame(page, 'mixHash');
  const card = page.getByTestId('hc-interval');
  await expect(card).toContainText(/interval \+[\d.]+ ms … \+[\d.]+ ms, 5 vs 5 runs/);
  await expect(card).toHaveAttribute('data-significant', 'true');
  await expect(page.getByTestId('hc-strip').locator('line.tick')).toHaveCount(10);
  // The card's is the frame's (the graph's family), the table's the function's: both above zero.
  expect(Number(await card.getAttribute('data-lo'))).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('runs-slower.png') });
  // The export: schema /2, the runs and interval of every row, mixHash the one significant.
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const json = JSON.parse(readFileSync((await (await dl).path())!, 'utf8'));
  expect([json.schema, json.intervals.method, json.intervals.runs]).toEqual(['flamediff.diff/2', 'welch-fcr', { base: 5, head: 5 }]);
  const marked = json.functions.filter((f: { significant: boolean }) => f.significant);
  expect(marked.map((f: { name: string }) => f.name)).toEqual(['mixHash']);
  expect(marked[0].interval[0]).toBeCloseTo(lo, 6);
  expect(marked[0].runs.base).toHaveLength(5);
});

test("inverted, with runs: mixHash's first-row frame has its interval, sieve none", async ({ page }) => {
  await serveRuns(page);
  await page.goto(link('slower-base', 'slower-head') + '&inv=1');
  await waitReady(page);
  await hoverFrame(page, 'mixHash');
  await expect(page.getByTestId('hc-interval')).toHaveAttribute('data-significant', 'true');
  await expect(page.getByTestId('hc-interval')).toContainText('5 vs 5 runs');
  await hoverFrame(page, 'sieve');
  await expect(page.getByTestId('hc-interval')).toHaveAttribute('data-significant', 'false');
});

test('10 files dropped at once, named base-N and head-N, are 5 runs per side', async ({ page }) => {
  await page.goto('/');
  const files = (set: string, side: string) => K.map((k) => ({ name: `${side}-${k}.cpuprofile`, mimeType: 'application/json', buffer: readFileSync(path.join(RUNS, set, `run-${k}.cpuprofile`)) }));
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles([...files('slower-head', 'head'), ...files('slower-base', 'base')]);
  await waitReady(page);
  await expect(page.getByTestId('file-base')).toContainText('base-1.cpuprofile + 4 more (5 runs)');
  await expect(page.getByTestId('file-head')).toContainText('head-1.cpuprofile + 4 more (5 runs)');
  await expect(page.getByTestId('verdict')).toContainText(/^mixHash: .* · 5 vs 5 runs$/);
  // Kept in history as the set: a reload reopens the five runs of each side.
  await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('file-base')).toContainText('(5 runs)');
  await expect(page.getByTestId('verdict')).toContainText(/^mixHash: .* · 5 vs 5 runs$/);
});

test('runs of one side in different units: a clear error for that side', async ({ page }) => {
  await page.goto('/');
  const run1 = readFileSync(path.join(RUNS, 'slower-base', 'run-1.cpuprofile'));
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles([
    { name: 'base-1.cpuprofile', mimeType: 'application/json', buffer: run1 },
    { name: 'base-2.folded', mimeType: 'text/plain', buffer: Buffer.from('main;f 10\nmain;g 5\n') },
  ]);
  await expect(page.getByRole('alert')).toContainText(/the runs of one side must share a unit: base-1\.cpuprofile is in microseconds, base-2\.folded in samples/);
  await expect(page.getByTestId('drop-base')).toHaveAttribute('data-status', 'failed');
});

test('5 + 5 runs of the same program: nothing beyond run-to-run variation', async ({ page }) => {
  await serveRuns(page);
  await page.goto(link('same-base', 'same-head'));
  await waitReady(page);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'none');
  await expect(page.getByTestId('verdict')).toContainText(/^no change beyond run-to-run variation · whole run .* · 5 vs 5 runs$/);
  await expect(page.locator('[data-testid=table-row][data-significant=true]')).toHaveCount(0);
  // Nothing is painted: every frame is within its interval.
  const box = (await page.getByTestId('flamegraph').boundingBox())!;
  await page.mouse.move(0, 0);
  expect(await countTinted(page, box, 50)).toBe(0);
  // Without the intervals (hide noise off) the largest raw difference is named instead.
  await page.getByTestId('noise').uncheck();
  await waitReady(page);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'function');
});
