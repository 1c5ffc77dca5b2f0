import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, countTinted, hoverFrame, pairPath, pixelsAt, waitReady } from './helpers';

const BASE = pairPath('c-crc-perf', 'base', 'folded');
const HEAD = pairPath('c-crc-perf', 'head', 'folded');
const NOISE_HEAD = path.join(ROOT, 'test/fixtures/c-crc-perf-noise.head.folded');
const LINK = '/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded';

const rows = (page: Page) => page.getByTestId('table-row');
/** Waits until the table's top row is `key` (sorting re-renders asynchronously). */
const expectFirst = (page: Page, key: string) => expect(rows(page).first()).toHaveAttribute('data-key', key);

/** Per function name: self (leaf counts) and "total" (lines whose stack contains it), from the file alone. */
function functionSums(file: string) {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sum = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp < 0) continue;
    const count = Number(line.slice(sp + 1));
    const frames = line.slice(0, sp).split(';');
    sum += count;
    self.set(frames[frames.length - 1], (self.get(frames[frames.length - 1]) ?? 0) + count);
    for (const f of new Set(frames)) total.set(f, (total.get(f) ?? 0) + count);
  }
  return { self, total, sum };
}

test('the table ranks crc32_update first, sorts, filters, and a row click zooms to its frame', async ({ page }) => {
  await page.goto(LINK);
  await waitReady(page);
  await expectFirst(page, 'crc32_update');

  // Sort by base self: the top row is the function with the most base self cost, computed from the file.
  const b = functionSums(BASE);
  const topBase = [...b.self].sort((x, y) => y[1] - x[1])[0];
  await page.getByTestId('sort-baseSelf').click();
  await expectFirst(page, topBase[0]);
  await expect(rows(page).first().locator('[role=cell]').nth(1)).toHaveAttribute('data-value', String(topBase[1]));
  await page.getByTestId('sort-baseSelf').click();
  await expect(page.getByTestId('sort-baseSelf')).toContainText('▲');
  expect(Number(await rows(page).first().locator('[role=cell]').nth(1).getAttribute('data-value'))).toBeLessThan(topBase[1]);

  await page.getByTestId('table-filter').fill('lookup');
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().click();
  await expect(page).toHaveURL(/fn=lookup_or_insert/);
  await expect(page).toHaveURL(/zoom=[^&]+/);
  await waitReady(page);
  // Zoomed to the function's widest frame: it now spans the canvas, so the middle of its row is it.
  await hoverFrame(page, 'lookup_or_insert');
  const h = functionSums(HEAD);
  await expect(page.getByTestId('hc-head').locator('td').nth(1)).toHaveAttribute('data-value', String(h.total.get('lookup_or_insert')));

  // Keyboard: the next row down becomes the selection.
  await page.getByTestId('table-filter').fill('');
  await page.getByTestId('sort-deltaSelf').click();
  await expectFirst(page, 'crc32_update');
  await page.getByTestId('function-table').locator('.tbody').focus();
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/fn=crc32_update/);
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
});

test('search highlights matches and says what share of base and head they hold', async ({ page }) => {
  await page.goto(LINK);
  await waitReady(page);
  await page.getByTestId('search').fill('msort');
  const b = functionSums(BASE);
  const h = functionSums(HEAD);
  const share = (n: number) => `${((n) * 100).toFixed(1)}%`;
  const text = `matches hold ${share(b.total.get('msort_with_tmp')! / b.sum)} of base, ${share(h.total.get('msort_with_tmp')! / h.sum)} of head`;
  await expect(page.getByTestId('search-share')).toHaveText(text);
  await expect(page).toHaveURL(/q=msort/);
});

test('merging a function into its callers moves its cost to them', async ({ page }) => {
  await page.goto(`${LINK}&fn=lookup_or_insert`);
  await waitReady(page);
  const cell = async (key: string, col: number) =>
    Number(await page.locator(`[data-testid=table-row][data-key="${key}"] [role=cell]`).nth(col).getAttribute('data-value'));
  await page.getByTestId('table-filter').fill('^(zähle_wörter|lookup_or_insert)$');
  const before = { caller: await cell('zähle_wörter', 2), callee: await cell('lookup_or_insert', 2) };
  await page.getByText('Transforms').click();
  await page.getByTestId('merge-selected').click();
  await expect(page).toHaveURL(/tx=merge%3Alookup_or_insert/);
  await expect(page.locator('[data-testid=table-row][data-key="lookup_or_insert"]')).toHaveCount(0);
  // lookup_or_insert is only called from zähle_wörter in this program.
  expect(await cell('zähle_wörter', 2)).toBe(before.caller + before.callee);
});

test('the no-change pair paints nothing strong; the real regression is full red', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(BASE);
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(NOISE_HEAD);
  await waitReady(page);
  const box = (await page.getByTestId('flamegraph').boundingBox())!;
  await page.mouse.move(0, 0);
  // Neutral is (217,217,217); full red (214,48,30): a quarter of full strength moves r − b by about 46.
  expect(await countTinted(page, box, 50)).toBe(0);

  await page.getByTestId('noise').uncheck();
  await waitReady(page);
  expect(await countTinted(page, box, 50), 'without the noise model some frames show').toBeGreaterThan(0);

  // The same defaults on the real regression: crc32_update at full strength.
  await page.goto(LINK);
  await waitReady(page);
  const at = await hoverFrame(page, 'crc32_update', { widest: true });
  const px = await pixelsAt(page, at.x, at.y + 5);
  expect(px.filter(([r, g, b]) => Math.abs(r - 214) < 12 && Math.abs(g - 48) < 12 && Math.abs(b - 30) < 12).length).toBeGreaterThan(px.length / 2);
});

test('sandwich shows callers and callees of the selected function', async ({ page }) => {
  await page.goto(`${LINK}&fn=crc32_update&tab=sandwich`);
  await waitReady(page);
  await expect(page.getByTestId('sandwich')).toContainText('Callers of crc32_update');
  await expect(page.getByTestId('sandwich').locator('canvas')).toHaveCount(2);
  await hoverFrame(page, 'checksum_blocks');
  await page.screenshot({ path: 'test-results/sandwich.png' });
});

test('CSV and PNG exports', async ({ page }) => {
  await page.goto(LINK);
  await waitReady(page);
  const csvDl = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await csvDl).path(), 'utf8').split('\r\n');
  expect(csv[0]).toBe('name,file,key,base_self,head_self,delta_self,base_total,head_total,delta_total,delta_self_share_of_run,unit,estimated,transforms');
  expect(csv[1].startsWith('crc32_update,,crc32_update,')).toBe(true);
  const pngDl = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const png = readFileSync(await (await pngDl).path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.length).toBeGreaterThan(5000);
});

test('a link reproduces the view it was copied from', async ({ page, browser }) => {
  await page.goto(LINK);
  await waitReady(page);
  await page.getByTestId('tab-diff').click();
  await page.getByTestId('mode').selectOption('proportional');
  await page.getByTestId('colour-by').selectOption('total');
  await page.getByTestId('search').fill('rng');
  await page.getByText('Matching').click();
  await page.getByText('ignore _[k] / _[j] annotations').click();
  await expect(page).toHaveURL(/match=-annotations/);
  await expect(page).toHaveURL(/q=rng/);
  await waitReady(page);
  const url = page.url();
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(url);
  await waitReady(p2);
  await expect(p2.getByTestId('mode')).toHaveValue('proportional');
  await expect(p2.getByTestId('colour-by')).toHaveValue('total');
  await expect(p2.getByTestId('search')).toHaveValue('rng');
  await expect(p2.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
  expect(p2.url()).toBe(url);
  await other.close();
});

test('Base and Head show only what applies to one profile: no diff legend, no diff colour or width pickers', async ({ page }) => {
  await page.goto(LINK);
  await waitReady(page);
  await page.getByTestId('tab-diff').click();
  await waitReady(page);
  for (const id of ['legend', 'colour-by', 'geometry']) await expect(page.getByTestId(id)).toBeVisible();
  for (const tab of ['base', 'head'] as const) {
    await page.getByTestId(`tab-${tab}`).click();
    await waitReady(page);
    for (const id of ['legend', 'colour-by', 'geometry']) await expect(page.getByTestId(id), `${id} in ${tab}`).toHaveCount(0);
    // The table still compares the two: its mode stays.
    await expect(page.getByTestId('mode')).toBeEnabled();
  }
  await page.getByTestId('tab-sandwich').click();
  await expect(page.getByTestId('legend')).toBeVisible();
});

test('folded counts declared as nanoseconds (stackcollapse-perf.pl over cpu-clock periods) show as time, kept in the link', async ({ page }) => {
  await page.goto(LINK);
  await waitReady(page);
  const total = page.getByTestId('base-total');
  const raw = Number(await total.getAttribute('data-value'));
  await expect(total).toContainText('events');
  await page.getByTestId('folded-unit').selectOption('ns');
  await expect(page).toHaveURL(/unit=ns/);
  await waitReady(page);
  await expect(total).not.toContainText('events');
  // The same counts, now read as nanoseconds: 1e9 of them are a second.
  await expect(total).toHaveAttribute('data-value', String(raw));
  await expect(total).toContainText(raw >= 1e9 ? ' s' : ' ms');
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('folded-unit')).toHaveValue('ns');
  await expect(page.getByTestId('base-total')).not.toContainText('events');
  // Back to the counts as read: sums of one period (1,001,001 each) are events, never "822,822,822 samples".
  await expect(page.getByTestId('folded-unit').locator('option[value=samples]')).toHaveText('as read');
  await page.getByTestId('folded-unit').selectOption('samples');
  await expect(page).not.toHaveURL(/unit=/);
  await waitReady(page);
  await expect(page.getByTestId('base-total')).toContainText('822,822,822 events');
  await expect(page.getByTestId('folded-unit').locator('option[value=samples]')).toHaveText('events');
});
