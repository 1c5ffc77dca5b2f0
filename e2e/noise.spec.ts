// Sampling noise of cpuprofiles, whose samples each weigh the time until the next one: a change is
// judged by the squares of its samples' weights (Σw²), not by a mean interval, so a sample followed by
// a long gap cannot pass for a real change, and the table's first row is one the pair really made.
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { CORPUS, HAVE_CORPUS, ROOT, waitReady } from './helpers';

const rows = (page: Page) => page.getByTestId('table-row');

async function dropPair(page: Page, base: string, head: string) {
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(base);
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(head);
  await waitReady(page, 60_000);
  await expect(rows(page).first()).toBeVisible();
}

/** The row of the function whose name is exactly `name`, found through the table's filter. */
async function rowOf(page: Page, name: string) {
  await page.getByTestId('table-filter').fill(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await expect(rows(page)).toHaveCount(1);
  return rows(page).first();
}

test('js-json cpuprofile pair: the first row is beyond noise and is a function the edit changed', async ({ page }) => {
  const fixtures = path.join(ROOT, 'test/fixtures');
  await dropPair(page, path.join(fixtures, 'cpuprofile-js-json.base.cpuprofile'), path.join(fixtures, 'cpuprofile-js-json.head.cpuprofile'));
  // The corpus README: head's normalizeSku got slower (~3 % → ~13 % of self samples) and the sort
  // comparator, an anonymous arrow of bench.js, faster (704 → 254 samples).
  const first = rows(page).first();
  await expect(first).not.toHaveAttribute('data-noise', 'within');
  // The comparator is matched by its order among bench.js's anonymous functions: `(anonymous) #k`.
  expect(await first.getAttribute('data-key')).toMatch(/^(normalizeSku|\(anonymous\) #\d+) @ bench\.js$/);
  const firstDelta = Number(await first.locator('[role=cell]').nth(3).getAttribute('data-value'));
  expect(Math.abs(firstDelta)).toBeGreaterThan(300_000); // µs: normalizeSku 96.9 → 482.7 ms
  await expect(await rowOf(page, 'normalizeSku')).not.toHaveAttribute('data-noise', 'within');
  // A function new in head, 55 ms in 18 samples, one of them followed by a 29.9 ms gap: σ ≈ 31 ms, so
  // +55 ms is within 3σ. Read as 18 samples of the mean interval (1.5 ms) it looked real.
  const regexp = await rowOf(page, 'RegExp: ^-+|-+$');
  await expect(regexp).toHaveAttribute('data-noise', 'within');
  await page.screenshot({ path: 'test-results/noise-js-json.png' });
});

test('tsc pair (../shared/corpus only: skipped where it is absent): addRange, two samples and a 224.8 ms gap, is within noise and not the first row', async ({ page }) => {
  test.skip(!HAVE_CORPUS, '../shared/corpus is absent: the tsc pair is not in this repository');
  test.setTimeout(120_000);
  const pair = path.join(CORPUS, 'pairs/tsc-rxjs-cpuprofile-1ms');
  await dropPair(page, path.join(pair, 'base.cpuprofile'), path.join(pair, 'head.cpuprofile'));
  const first = rows(page).first();
  await expect(first).not.toHaveAttribute('data-key', /^addRange /);
  // No self change of this pair passes 3σ: the rows within noise come by |Δ| counted in effective samples,
  // wrapSafe first (72.9 → 91.1 ms in 68 → 76 light samples); addRange's 2 samples count for 2 ms.
  await expect(first).toHaveAttribute('data-key', /^wrapSafe /);
  await expect(first).toHaveAttribute('data-noise', 'within');
  const addRange = await rowOf(page, 'addRange');
  await expect(addRange).toHaveAttribute('data-noise', 'within');
  await expect(addRange).toContainText('noise');
  // Its figures are the tools' own all the same: 225.7 → 4.6 ms.
  expect(Math.round(Number(await addRange.locator('[role=cell]').nth(1).getAttribute('data-value')) / 100) / 10).toBe(225.7);
});
