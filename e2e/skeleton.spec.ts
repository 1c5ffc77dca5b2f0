import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { foldedPaths, hoverFrame, isRed, pairPath, pixelsAt, waitReady } from './helpers';

const BASE = pairPath('c-crc-perf', 'base', 'folded');
const HEAD = pairPath('c-crc-perf', 'head', 'folded');

/** The widest call path ending in `name`, with its numbers, computed from the files without the app. */
function widestPath(name: string) {
  const b = foldedPaths(BASE);
  const h = foldedPaths(HEAD);
  let best = '';
  for (const [p, v] of h.total) if (p.split(';').pop() === name && v > (h.total.get(best) ?? -1)) best = p;
  return {
    path: best,
    baseSelf: b.self.get(best) ?? 0,
    baseTotal: b.total.get(best) ?? 0,
    headSelf: h.self.get(best) ?? 0,
    headTotal: h.total.get(best) ?? 0,
    baseRun: b.sum,
    headRun: h.sum,
  };
}

async function cardValue(page: import('@playwright/test').Page, row: string, col: number): Promise<number> {
  return Number(await page.getByTestId(row).locator('td').nth(col).getAttribute('data-value'));
}

test('drop the real c-crc-perf pair, hover crc32_update, read exact numbers and see red', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-state', 'empty');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(BASE);
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(HEAD);
  await waitReady(page);

  const expected = widestPath('crc32_update');
  expect(expected.path).toContain('checksum_blocks;crc32_update');
  const at = await hoverFrame(page, 'crc32_update', { widest: true });
  expect(await cardValue(page, 'hc-base', 0)).toBe(expected.baseSelf);
  expect(await cardValue(page, 'hc-base', 1)).toBe(expected.baseTotal);
  expect(await cardValue(page, 'hc-head', 0)).toBe(expected.headSelf);
  expect(await cardValue(page, 'hc-head', 1)).toBe(expected.headTotal);
  expect(await cardValue(page, 'hc-delta', 1)).toBe(expected.headTotal - expected.baseTotal);
  // The headline speaks of what the colour paints: self Δ by default, as a share of the whole base run.
  const share = Number(await page.getByTestId('hc-share').getAttribute('data-value'));
  expect(share).toBeCloseTo((expected.headSelf - expected.baseSelf) / expected.baseRun, 12);
  await expect(page.getByTestId('hc-share')).toHaveText(`+${(((expected.headSelf - expected.baseSelf) / expected.baseRun) * 100).toFixed(1)}%`);

  // The pixels under the pointer are red (most of a 5×5 patch; a label glyph may cover a few).
  const px = await pixelsAt(page, at.x, at.y + 5);
  expect(px.filter(isRed).length, `pixels: ${JSON.stringify(px.slice(0, 3))}`).toBeGreaterThan(px.length / 2);
  await page.screenshot({ path: 'test-results/skeleton-hover.png' });
});

test('dropping two files at once fills both sides, the older one as base; Swap exchanges them', async ({ page }) => {
  await page.goto('/');
  const now = Date.now();
  const dataTransfer = await page.evaluateHandle(
    ({ base, head, now }) => {
      const dt = new DataTransfer();
      // Head is given first but is newer: the app must still take the older file as base.
      dt.items.add(new File([head], 'head.folded', { lastModified: now }));
      dt.items.add(new File([base], 'base.folded', { lastModified: now - 60_000 }));
      return dt;
    },
    { base: readFileSync(BASE, 'utf8'), head: readFileSync(HEAD, 'utf8'), now },
  );
  await page.getByTestId('drop-base').dispatchEvent('drop', { dataTransfer });
  await waitReady(page);
  await expect(page.getByTestId('drop-base')).toContainText('base.folded');
  await expect(page.getByTestId('drop-head')).toContainText('head.folded');
  const b = foldedPaths(BASE);
  const h = foldedPaths(HEAD);
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', String(b.sum));
  await expect(page.getByTestId('head-total')).toHaveAttribute('data-value', String(h.sum));

  await page.getByTestId('swap').click();
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', String(h.sum));
  await waitReady(page);
});

test('a share link loads the pair and the export has exact per-function self costs', async ({ page }) => {
  const started = Date.now();
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  const ms = Date.now() - started;
  test.info().annotations.push({ type: 'share link to first frame (ms)', description: String(ms) });
  console.log(`share link -> first drawn frame: ${ms} ms`);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const file = await (await download).path();
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(json.schema).toBe('flamediff.diff/2');
  expect(json.unit).toBe('events');
  const b = foldedPaths(BASE);
  const h = foldedPaths(HEAD);
  expect(json.base).toEqual({ name: 'base.folded', format: 'folded', unit: 'events', total: b.sum });
  expect(json.head).toEqual({ name: 'head.folded', format: 'folded', unit: 'events', total: h.sum });
  // Every function's self cost equals the sum of its leaf counts, exactly, on both sides.
  const names = new Set([...b.leafSelf.keys(), ...h.leafSelf.keys()]);
  for (const name of names) {
    const row = json.functions.find((f: { name: string }) => f.name === name);
    expect(row, name).toBeDefined();
    expect(row.base.self, `${name} base`).toBe(b.leafSelf.get(name) ?? 0);
    expect(row.head.self, `${name} head`).toBe(h.leafSelf.get(name) ?? 0);
    expect(row.file).toBeNull();
  }
  expect(json.functions[0].name).toBe('crc32_update');
});

test('switching tabs redraws; Base shows base widths', async ({ page }) => {
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  await page.getByTestId('tab-base').click();
  await expect(page.getByTestId('tab-base')).toHaveAttribute('aria-selected', 'true');
  await hoverFrame(page, 'crc32_update', { widest: true });
  await expect(page.getByTestId('hc-delta')).toHaveCount(0);
});
