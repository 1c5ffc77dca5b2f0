// The formats diff users hold besides the first three: pprof, speedscope JSON, raw perf script. Each loads by drop and by
// share link, and shows its known change; pprof's sample types and speedscope's profiles are picked in the toolbar.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, hoverFrame, viewOption, waitReady } from './helpers';

const FIX = path.join(ROOT, 'test/fixtures');

async function drop(page: Page, base: string, head?: string) {
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(path.join(FIX, base));
  if (head) await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(path.join(FIX, head));
  await waitReady(page);
}

/** Serves fixtures at /fixtures/NAME of the app's own origin, as a server holding the profiles would. */
async function serveFixtures(page: Page) {
  await page.context().route('**/fixtures/*', (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    return route.fulfill({ status: 200, body: readFileSync(path.join(FIX, name)), headers: { 'content-type': 'application/octet-stream' } });
  });
}

const rows = (page: Page) => page.getByTestId('table-row');

test('pprof CPU pair by drop: the known change tops the table and the verdict, in cpu/nanoseconds (pprof\'s default type)', async ({ page }) => {
  await drop(page, 'pprof-cpu.base.pb.gz', 'pprof-cpu.head.pb.gz');
  await expect(page.locator('html')).toHaveAttribute('data-compare', 'pair');
  await expect(page.getByTestId('verdict')).toContainText(/cpu\.checksum: \+\d+\.\d% of the base run · whole run \+\d+\.\d%/);
  await expect(rows(page).first()).toHaveAttribute('data-key', /cpu\.checksum/);
  const event = await viewOption(page, 'event');
  await expect(event.locator('option:checked')).toHaveText('cpu/nanoseconds');
  // Nanoseconds read as seconds and milliseconds, never as a 10-digit count.
  await expect(page.getByTestId('base-total')).toContainText(/^[\d.]+ (s|ms)$|base [\d.]+ (s|ms)/);
  // The other sample type: read again, in samples, the same function on top.
  await event.selectOption({ label: 'samples/count' });
  await expect(page).toHaveURL(/event=0/);
  await waitReady(page);
  await expect(page.getByTestId('base-total')).toContainText('samples');
  await expect(rows(page).first()).toHaveAttribute('data-key', /cpu\.checksum/);
});

test('pprof pair by share link, and a heap profile in bytes against a CPU profile is proportional only', async ({ page }) => {
  await serveFixtures(page);
  await page.goto('/?base=fixtures/pprof-cpu.base.pb.gz&head=fixtures/pprof-cpu.head.pb.gz');
  await waitReady(page);
  await expect(page.getByTestId('verdict')).toContainText('cpu.checksum');
  await expect(rows(page).first()).toHaveAttribute('data-key', /cpu\.checksum/);

  await page.goto('/?base=fixtures/pprof-cpu.base.pb.gz&head=fixtures/pprof-heap.pb.gz');
  await waitReady(page);
  await expect(page.getByTestId('warning').filter({ hasText: 'measured in' })).toContainText(/nanoseconds.*bytes|bytes.*nanoseconds/);
  await expect(page.getByTestId('total-change')).toHaveCount(0);

  // A heap profile against an allocations profile of the same run: both in bytes, but bytes in use are
  // not bytes allocated (their files' own default types). Said, and no change figure; the same type on
  // both sides compares again.
  await page.goto('/?base=fixtures/pprof-heap.pb.gz&head=fixtures/pprof-allocs.pb.gz');
  await waitReady(page);
  await expect(page.getByTestId('warning')).toContainText('bytes (inuse_space)');
  await expect(page.getByTestId('warning')).toContainText('bytes (alloc_space)');
  await expect(page.getByTestId('total-change')).toHaveCount(0);
  await (await viewOption(page, 'event')).selectOption({ label: 'inuse_space/bytes' });
  // The files are read again once the page has painted the choice: wait for what that read shows.
  await expect(page.getByTestId('total-change')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('warning')).toHaveCount(0);
  await waitReady(page);
});

test('perf script pair by drop: checksum got slower, one sample each by default', async ({ page }) => {
  await drop(page, 'perf-script-work.base.perf-script.txt', 'perf-script-work.head.perf-script.txt');
  await expect(page.getByTestId('verdict')).toContainText(/^checksum: \+/);
  await expect(rows(page).first()).toHaveAttribute('data-key', 'checksum');
  await expect(page.getByTestId('event').locator('option:checked')).toHaveText('cpu-clock (samples)');
  // The card names the DSO the function is in; the key does not (a library's path differs between machines).
  await hoverFrame(page, 'checksum');
  await expect(page.getByTestId('hc-module')).toHaveText(/^in \/.*\/head\/work$/);
});

test("speedscope: a file of several profiles opens its activeProfileIndex; the part picker reads another", async ({ page }) => {
  await serveFixtures(page);
  const file = JSON.parse(readFileSync(path.join(FIX, 'speedscope-perf-threads.speedscope.json'), 'utf8'));
  await page.goto('/?base=fixtures/speedscope-perf-threads.speedscope.json');
  await waitReady(page);
  const part = page.getByTestId('part');
  await expect(part.locator('option:checked')).toHaveText(new RegExp(file.profiles[file.activeProfileIndex ?? 0].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const before = await page.getByTestId('base-total').getAttribute('data-value');
  const other = file.activeProfileIndex === 0 ? 1 : 0;
  await part.selectOption(String(other));
  await expect(page).toHaveURL(new RegExp(`part=${other}`));
  await waitReady(page);
  await expect(page.getByTestId('base-total')).not.toHaveAttribute('data-value', before!);
  await part.selectOption('-1');
  await expect(page).toHaveURL(/part=all/);
  await waitReady(page);
});

test('speedscope pair by drop: the js-json change (normalizeSku) in microseconds', async ({ page }) => {
  await drop(page, 'speedscope-js-json.base.speedscope.json', 'speedscope-js-json.head.speedscope.json');
  await expect(page.getByTestId('verdict')).toContainText(/^normalizeSku: \+/);
});
