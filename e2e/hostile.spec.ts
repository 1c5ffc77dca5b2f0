import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, hoverFrame, waitReady } from './helpers';

const FIX = path.join(ROOT, 'test/fixtures');
const EDGE = path.join(FIX, 'cpuprofile-js-edge-names.cpuprofile');

async function dropOne(page: Page, name: string, bytes: Buffer | string) {
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}

async function expectError(page: Page, parts: RegExp[]) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.state ?? ''));
  await expect(page.locator('html')).toHaveAttribute('data-state', 'error');
  // An earlier file's error may still be shown for a moment: the assertions retry until this file's is.
  const alert = page.getByRole('alert');
  for (const p of parts) await expect(alert).toContainText(p);
}

test('a frame named <img src=x onerror=…> is shown as text everywhere, never as HTML', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(EDGE);
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(EDGE);
  await waitReady(page);
  const name = '<img src=x onerror=alert(1)>';
  await page.getByTestId('table-filter').fill('onerror');
  await expect(page.locator('[data-testid=table-row] .name').first()).toHaveText(name);
  await page.getByTestId('table-row').first().click();
  await hoverFrame(page, name);
  await expect(page.getByTestId('hc-name')).toHaveText(name);
  expect(await page.locator('img').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(await page.title()).toBe('cpuprofile-js-edge-names.cpuprofile → cpuprofile-js-edge-names.cpuprofile · Flamediff');
});

test('a truncated cpuprofile says where it ends', async ({ page }) => {
  await page.goto('/');
  const full = readFileSync(path.join(FIX, 'cpuprofile-js-json.base.cpuprofile'));
  await dropOne(page, 'cut.cpuprofile', full.subarray(0, Math.floor(full.length / 2)));
  await expectError(page, [/cut\.cpuprofile/, /cpuprofile/, /byte \d+|line \d+/, /truncated|ends/i]);
});

test('random bytes, an empty file and an HTML page get clear errors, and a later good file still loads', async ({ page }) => {
  await page.goto('/');
  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  await dropOne(page, 'noise.bin', random);
  await expectError(page, [/noise\.bin/, /binary/i]);
  await dropOne(page, 'empty.folded', '');
  await expectError(page, [/empty\.folded/, /empty/i]);
  await dropOne(page, 'page.html', '<!doctype html><html><body>not a profile</body></html>');
  await expectError(page, [/page\.html/, /HTML/]);
  // Nothing is lost by an error: a good file afterwards loads.
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(path.join(FIX, 'c-crc-perf.base.folded'));
  await expect(page.getByRole('alert')).toHaveCount(0);
  await waitReady(page);
});

test('junk lines in a folded file are skipped, counted and located', async ({ page }) => {
  await page.goto('/');
  await dropOne(page, 'junk.folded', 'a;b 1\nTHIS IS A BAD LINE\na;c 2\n');
  await waitReady(page);
  const skipped = page.getByText('1 line skipped');
  await expect(skipped).toBeVisible();
  await expect(skipped).toHaveAttribute('title', /^line 2: the count is not a non-negative number$/);
});

test('while a pair loads by share link, the only requests are the page origin and the two profile URLs', async ({ page, baseURL }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  await page.waitForTimeout(500);
  const origin = new URL(baseURL!).origin;
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign).toEqual([]);
  expect(requests.filter((u) => u.includes('/demo/c-crc-perf/')).sort()).toEqual([`${origin}/demo/c-crc-perf/base.folded`, `${origin}/demo/c-crc-perf/head.folded`]);
});

test('a share link with a non-http URL is refused without fetching', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/?base=file:///etc/passwd');
  await expectError(page, [/only http\(s\) URLs/]);
  expect(requests.filter((u) => u.startsWith('file:'))).toEqual([]);
});

test('the built app runs under its Content-Security-Policy with no violation', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  await hoverFrame(page, 'crc32_update');
  await page.getByTestId('export-png').click();
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
