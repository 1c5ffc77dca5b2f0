// Back and Forward walk through views: each view change is a browser history entry; typing a search is not.
import { test, expect } from '@playwright/test';
import { waitReady } from './helpers';

test('Back and Forward step through tabs, zoom and selection; a search typed in replaces its entry', async ({ page }) => {
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  const start = await page.evaluate(() => history.length);
  await page.getByTestId('tab-base').click();
  await waitReady(page);
  await page.getByTestId('tab-head').click();
  await waitReady(page);
  await page.getByTestId('search').fill('crc');
  await expect(page).toHaveURL(/q=crc/);
  expect(await page.evaluate(() => history.length)).toBe(start + 2);

  await page.goBack();
  await expect(page.getByTestId('tab-base')).toHaveAttribute('aria-selected', 'true');
  await expect(page).not.toHaveURL(/q=crc/);
  await page.goBack();
  await expect(page.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
  await waitReady(page);
  await page.goForward();
  await expect(page.getByTestId('tab-base')).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(page.getByTestId('tab-head')).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/q=crc/);

  // A selection in the table, then Back: nothing selected, the same graph.
  await page.getByTestId('tab-diff').click();
  await waitReady(page);
  const row = page.getByTestId('table-row').first();
  await row.click();
  await expect(page).toHaveURL(/fn=/);
  await expect(page.getByTestId('breadcrumbs')).not.toHaveAttribute('data-depth', '0');
  await page.goBack();
  await expect(page).not.toHaveURL(/fn=/);
  await expect(page.locator('[data-testid=table-row][aria-selected=true]')).toHaveCount(0);
  await waitReady(page);
  await expect(page.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
});
