// The keys a profiler's users reach for: Ctrl/Cmd+F to search, ? for the list, numbers for the tabs, r for recursion.
import { test, expect } from '@playwright/test';
import { waitReady } from './helpers';

test('Ctrl+F focuses the search box instead of the browser find, and typing searches', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await page.getByTestId('flamegraph').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type('sre_search');
  await expect(page).toHaveURL(/q=sre_search/);
  // Typed into the box, digits and r stay text: no tab change, no transform.
  await page.keyboard.type(' 3r');
  await expect(page.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
  await expect(page).not.toHaveURL(/tx=/);
});

test('? opens the key list, Escape closes it; the header button opens it too', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  const list = page.getByTestId('key-list');
  await expect(list).toBeHidden();
  await page.keyboard.press('Shift+?');
  await expect(list).toBeVisible();
  await expect(list).toContainText('search frames');
  await expect(list.locator('kbd', { hasText: 'Ctrl F' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('key-list.png') });
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await page.getByTestId('keys-button').click();
  await expect(list).toBeVisible();
  await page.getByTestId('key-list-close').click();
  await expect(list).toBeHidden();
});

test('1–4 pick Base, Head, Diff, Sandwich; r collapses recursion and back', async ({ page }) => {
  await page.goto('/?demo');
  await waitReady(page);
  await page.keyboard.press('1');
  await expect(page.getByTestId('tab-base')).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/tab=base/);
  await page.keyboard.press('4');
  await expect(page.getByTestId('tab-sandwich')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('3');
  await expect(page.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('r');
  await expect(page).toHaveURL(/tx=rec/);
  await waitReady(page);
  await page.keyboard.press('r');
  await expect(page).not.toHaveURL(/tx=/);
});

test('on the empty page Ctrl+F is the browser\'s own (no search box to take it), ? still lists the keys', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-state', 'empty');
  const prevented = await page.evaluate(() => {
    const e = new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(prevented).toBe(false);
  await page.keyboard.press('Shift+?');
  await expect(page.getByTestId('key-list')).toBeVisible();
});
