import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, hoverFrame, waitReady } from './helpers';

const FIX = path.join(ROOT, 'test/fixtures');
const rows = (page: Page) => page.getByTestId('table-row');

test('the demo is the CodSpeed pair: sre_search explains the regression, read from callgrind', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  // The pair's totals as callgrind records them (the manifest's callgrind_annotate figures).
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', '1914742816');
  await expect(page.getByTestId('head-total')).toHaveAttribute('data-value', '4111921848');
  await expect(rows(page).first()).toHaveAttribute('data-key', /^sre_search @ .*sre\.c$/);
  await expect(rows(page).first().locator('[role=cell]').nth(2)).toHaveAttribute('data-value', '3321351500');
  await expect(rows(page).first()).toContainText('new');
  await expect(rows(page).nth(1)).toHaveAttribute('data-key', /^ucs1lib__two_way @ /);
  await expect(rows(page).nth(1)).toContainText('removed');
  await rows(page).first().click();
  await hoverFrame(page, 'sre_search');
  await expect(page.getByTestId('hover-card')).toContainText('new');
  await page.screenshot({ path: 'test-results/codspeed-demo.png' });
  const top5 = await rows(page).evaluateAll((els) => els.slice(0, 5).map((e) => `${e.getAttribute('data-key')} ${e.querySelectorAll('[role=cell]')[3].textContent}`));
  console.log(`CodSpeed pair, top rows by Δ self:\n  ${top5.join('\n  ')}`);
});

test('the event picker re-reads callgrind files with another event', async ({ page }) => {
  const file = path.join(FIX, 'callgrind-c-crc-cachesim.base.out');
  const text = readFileSync(file, 'utf8');
  const events = text.match(/^events: (.*)$/m)![1].split(' ');
  const totals = text.match(/^totals: (.*)$/m)![1].split(' ').map(Number);
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(file);
  await waitReady(page);
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', String(totals[0]));
  const k = events.indexOf('Dr');
  await page.getByTestId('event').selectOption(String(k));
  await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', String(totals[k]));
  await expect(page.getByTestId('summary')).toContainText('unit: Dr');
  await expect(page).toHaveURL(new RegExp(`event=${k}`));
  await waitReady(page);
});

test('a callgrind file cut inside a call loads what is complete and says it looks truncated', async ({ page }) => {
  const full = readFileSync(path.join(FIX, 'callgrind-c-crc.base.out'), 'utf8');
  // Cut inside a "calls=" line pair: the call has no cost line after it.
  const at = full.indexOf('\ncalls=', full.length / 2);
  const cut = full.slice(0, at + '\ncalls=3 '.length);
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles({ name: 'cut.callgrind.out', mimeType: 'text/plain', buffer: Buffer.from(cut) });
  await waitReady(page);
  const line = cut.split('\n').length;
  const warning = page.locator('[data-testid=warning][data-side=base]');
  await expect(warning).toContainText('cut.callgrind.out');
  await expect(warning).toContainText('looks truncated');
  await expect(warning).toContainText(new RegExp(`line (${line - 1}|${line}|${line + 1})\\b`));
  await expect(warning).toContainText('249,979,994');
});
