// "Every view tells the same truth": each numbered case of the issue, as a person sees it.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, hoverFrame, isBlue, isRed, pixelsAt, waitReady } from './helpers';

const rows = (page: Page) => page.getByTestId('table-row');

async function onlyRow(page: Page, pattern: string) {
  await page.getByTestId('table-filter').fill(pattern);
  await expect(rows(page)).toHaveCount(1);
  return rows(page).first();
}

/** The table's visible rows as [key, ...data-values]. */
async function tableDump(page: Page, n: number): Promise<string[][]> {
  await expect(rows(page).first()).toBeVisible();
  return page.evaluate((n) => {
    return [...document.querySelectorAll('[data-testid=table-row]')]
      .slice(0, n)
      .map((r) => [r.getAttribute('data-key') ?? '', ...[...r.querySelectorAll('[role=cell]')].slice(1).map((c) => c.getAttribute('data-value') ?? '')]);
  }, n);
}

async function drop(page: Page, files: { name: string; file: string }[]) {
  await page.locator('[data-testid=drop-base] input[type=file]').setInputFiles(
    files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: readFileSync(path.join(ROOT, f.file)) })),
  );
  await waitReady(page);
}

test('1. inverted: the first row holds each function\'s exact self cost, the same as the table', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const row = await onlyRow(page, '^sre_search$');
  const tableHeadSelf = Number(await row.locator('[role=cell]').nth(2).getAttribute('data-value'));
  expect(tableHeadSelf).toBeGreaterThan(3e9);
  await page.getByTestId('inverted').check();
  await waitReady(page);
  await hoverFrame(page, 'sre_search', { widest: true });
  await expect(page.getByTestId('hc-head').locator('td').first()).toHaveAttribute('data-value', String(tableHeadSelf));
  // The first row holds callgrind's own figure: no ≈. Top-down, the frame is the call tree's estimate, and says so.
  await expect(page.getByTestId('hc-estimated')).toHaveCount(0);
  await expect(page.getByTestId('hc-head').locator('td').first()).not.toContainText('≈');
  await page.screenshot({ path: 'test-results/truth-inverted.png' });
  await page.getByTestId('inverted').uncheck();
  await waitReady(page);
  await hoverFrame(page, 'sre_search', { widest: true });
  await expect(page.getByTestId('hc-estimated')).toContainText("callgrind records each function's cost");
  await expect(page.getByTestId('hc-head').locator('td').first()).toContainText('≈');
  await expect(page.getByTestId('hc-share')).toContainText('≈');
});

test('2. sandwich reads callers from the top-down tree, also when inverted is on', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await (await onlyRow(page, '^sre_search$')).click();
  await page.getByTestId('inverted').check();
  await page.getByTestId('tab-sandwich').click();
  await waitReady(page);
  // The callers pane is the first graph: sre_search's caller is there, read downwards from it.
  await hoverFrame(page, '_sre_SRE_Pattern_search');
  await page.screenshot({ path: 'test-results/truth-sandwich-inverted.png' });
});

test('3. a transform that removes nothing changes no number; the export adds up to its own header', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const before = await tableDump(page, 15);
  await page.goto('/?demo&tx=hide:xyz-no-such-frame&v=2');
  await waitReady(page);
  expect(await tableDump(page, 15)).toEqual(before);

  await page.goto('/?demo&tx=hide:%5Emain%24&v=2');
  await waitReady(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const selfSum = (side: 'base' | 'head') => exported.functions.reduce((s: number, f: { base: { self: number }; head: { self: number } }) => s + f[side].self, 0);
  expect(selfSum('base')).toBeCloseTo(exported.base.total, 0);
  expect(selfSum('head')).toBeCloseTo(exported.head.total, 0);
  expect(JSON.stringify(exported)).toContain('^main$');
});

test('4. a frame\'s colour and its card headline speak of the same change', async ({ page }) => {
  await page.goto('/');
  await drop(page, [
    { name: 'base.cpuprofile', file: 'test/fixtures/cpuprofile-js-json.base.cpuprofile' },
    { name: 'head.cpuprofile', file: 'test/fixtures/cpuprofile-js-json.head.cpuprofile' },
  ]);
  for (const colour of ['self', 'total']) {
    await page.getByTestId('colour-by').selectOption(colour);
    await waitReady(page);
    const at = await hoverFrame(page, 'get topSkus', { widest: true });
    const share = Number(await page.getByTestId('hc-share').getAttribute('data-value'));
    await expect(page.locator('.hc-summary')).toContainText(colour);
    const px = await pixelsAt(page, at.x, at.y + 5);
    const red = px.filter(isRed).length > px.length / 2;
    const blue = px.filter(isBlue).length > px.length / 2;
    if (red) expect(share, `${colour}: painted red`).toBeGreaterThan(0);
    if (blue) expect(share, `${colour}: painted blue`).toBeLessThan(0);
    await page.mouse.move(1, 1);
  }
});

test('5. the table ranks by change beyond sampling noise: the no-change pair lists only noise', async ({ page }) => {
  await page.goto('/');
  await drop(page, [
    { name: 'base.folded', file: 'test/fixtures/c-crc-perf.base.folded' },
    { name: 'head.folded', file: 'test/fixtures/c-crc-perf-noise.head.folded' },
  ]);
  await expect(rows(page).first()).toHaveAttribute('data-noise', 'within');
  await expect(rows(page).first()).toContainText('noise');
  // The real regression pair still ranks its culprit first, beyond noise.
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  await expect(rows(page).first()).toHaveAttribute('data-key', 'crc32_update');
  await expect(rows(page).first()).not.toHaveAttribute('data-noise', 'within');
  await page.screenshot({ path: 'test-results/truth-noise.png' });
});

test('7. the zoom survives a matching-rule change: it is a path of keys, not a node number', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await (await onlyRow(page, '^sre_search$')).click();
  await waitReady(page);
  const crumbs = page.getByTestId('breadcrumbs');
  const depth = await crumbs.getAttribute('data-depth');
  expect(Number(depth)).toBeGreaterThan(3);
  const last = await crumbs.locator('button').last().getAttribute('title');
  expect(last).toBe('sre_search');
  await page.getByText('Matching').click();
  await page.getByText('ignore _[k] / _[j] annotations').click();
  await page.waitForFunction(() => document.documentElement.dataset.state === 'loading').catch(() => {});
  await waitReady(page);
  await expect(crumbs).toHaveAttribute('data-depth', depth!);
  await expect(crumbs.locator('button').last()).toHaveAttribute('title', 'sre_search');
});

test('8. a removed function selected in the table is shown where it has width, and the page says so', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await (await onlyRow(page, '^ucs1lib__two_way$')).click();
  await expect(page).toHaveURL(/geom=base/);
  await expect(page.getByRole('status')).toContainText('widths now follow base');
  await waitReady(page);
  await hoverFrame(page, 'ucs1lib__two_way');
  await expect(page.locator('.hc-sub')).toContainText('removed in head');
});

test('8. focus on a removed function draws base\'s widths instead of a blank graph', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const key = await (await onlyRow(page, '^ucs1lib__two_way$')).getAttribute('data-key');
  await page.goto(`/?demo&tx=${encodeURIComponent(`focus:${key}`)}&v=2`);
  await waitReady(page);
  await expect(page.getByTestId('geometry-note')).toBeVisible();
  expect((await page.evaluate(() => (window as unknown as { __flamediffRender: { rects: number } }).__flamediffRender)).rects).toBeGreaterThan(1);
  await hoverFrame(page, 'ucs1lib__two_way');
});

test('card wording: a new frame says "new in head" with its cost, never "n/a"', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await hoverFrame(page, 'sre_search', { widest: true });
  await expect(page.getByTestId('hover-card')).not.toContainText('n/a');
  await expect(page.locator('.hc-sub')).toContainText('new in head');
  await expect(page.locator('.hc-summary')).toContainText('of the overall run');
});

test('8. focus on a new function: shares stay shares of the whole base run, never ±0', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const row = await onlyRow(page, '^sre_search$');
  const key = await row.getAttribute('data-key');
  const headSelf = Number(await row.locator('[role=cell]').nth(2).getAttribute('data-value'));
  await page.goto(`/?demo&tx=${encodeURIComponent(`focus:${key}`)}&v=2`);
  await waitReady(page);
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', '1914742816');
  await expect(page.getByTestId('view-base-total')).toHaveAttribute('data-value', '0');
  const focused = await onlyRow(page, '^sre_search$');
  const share = Number(await focused.locator('[role=cell]').nth(5).getAttribute('data-value'));
  expect(share).toBeCloseTo(headSelf / 1914742816, 9);
  await hoverFrame(page, 'sre_search', { widest: true });
  // The widest frame holds most, not all, of the function's self: still a share of the whole run, far from ±0.
  const frameShare = Number(await page.getByTestId('hc-share').getAttribute('data-value'));
  expect(frameShare).toBeGreaterThan(1);
  expect(frameShare).toBeLessThanOrEqual(headSelf / 1914742816);
});

test('views with nothing to draw still settle: a sandwich without a selection, a hide that matches everything', async ({ page }) => {
  await page.goto('/?demo&tab=sandwich&v=2');
  await waitReady(page);
  await expect(page.getByTestId('sandwich')).toContainText('Select a function');
  await page.goto('/?demo&tx=hide:.&v=2');
  await waitReady(page);
  await expect(page.getByTestId('view-base-total')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', '1914742816');
});
