// The answer at a glance: one line above the graph names the function that explains the change.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ROOT, waitReady } from './helpers';

test('the verdict names sre_search on the CodSpeed pair, and a click selects and zooms to it', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveText('sre_search (new in head): +173.5% of the base run · whole run +114.8%');
  await verdict.locator('button').click();
  await expect(page).toHaveURL(/fn=sre_search/);
  await expect(page.getByTestId('breadcrumbs')).not.toHaveAttribute('data-depth', '0');
  await expect(page.locator('[data-testid=table-row][aria-selected=true]')).toHaveAttribute('data-key', /^sre_search/);
});

test('the no-change pair says there is no change beyond sampling noise', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid=drop-base] input[type=file]').setInputFiles([
    path.join(ROOT, 'test/fixtures/c-crc-perf.base.folded'),
    path.join(ROOT, 'test/fixtures/c-crc-perf-noise.head.folded'),
  ]);
  await waitReady(page);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'none');
  await expect(page.getByTestId('verdict')).toContainText('no change beyond sampling noise');
});
