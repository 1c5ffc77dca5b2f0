import { test, expect, chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, hoverFrame, isRed, pixelsAt, waitReady, widestInRow } from './helpers';

/** The perf pair: crc32_update is the one red frame. */
const DEMO = '/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded';

/** Pixels of the row under (x, y) that are near-white on a red frame: the label's glyphs. */
async function labelInk(page: Page, y: number): Promise<number> {
  const box = (await page.getByTestId('flamegraph').boundingBox())!;
  const px = await pixelsAt(page, box.x + 40, y, 5);
  return px.filter(([r, g, b]) => r > 235 && g > 200 && b > 200).length;
}

test('a lost WebGL context comes back with frames and labels', async ({ page }) => {
  await page.goto(DEMO);
  await waitReady(page);
  await expect(page.getByTestId('flamegraph')).toHaveAttribute('data-backend', 'webgl');
  const at = await hoverFrame(page, 'crc32_update', { widest: true });
  await page.mouse.move(0, 0);
  const inkBefore = await labelInk(page, at.y);
  expect(inkBefore, 'the crc32_update label is drawn in white on red').toBeGreaterThan(3);

  await page.evaluate(() => {
    const c = document.querySelector('[data-testid=flamegraph]') as HTMLCanvasElement;
    const gl = (c.getContext('webgl2') ?? c.getContext('webgl'))!;
    const ext = gl.getExtension('WEBGL_lose_context')!;
    (window as unknown as { __lose: WEBGL_lose_context }).__lose = ext;
    ext.loseContext();
  });
  await page.waitForTimeout(200);
  await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
  await expect(page.getByTestId('flamegraph')).toHaveAttribute('data-backend', 'webgl');
  await expect.poll(async () => (await pixelsAt(page, at.x, at.y + 5)).filter(isRed).length, { timeout: 10_000 }).toBeGreaterThan(12);
  await expect.poll(() => labelInk(page, at.y), { timeout: 10_000 }).toBeGreaterThan(3);
  await hoverFrame(page, 'crc32_update');
  await page.screenshot({ path: 'test-results/after-context-restore.png' });
});

test('the Canvas 2D renderer draws the same graph where WebGL is missing', async () => {
  // A browser with WebGL switched off, as on GPU-less machines.
  const browser = await chromium.launch({
    executablePath: test.info().project.use.launchOptions?.executablePath,
    args: [...(test.info().project.use.launchOptions?.args ?? []), '--disable-webgl', '--disable-3d-apis'],
  });
  try {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(DEMO);
    await waitReady(page);
    await expect(page.getByTestId('flamegraph')).toHaveAttribute('data-backend', 'canvas2d');
    const at = await hoverFrame(page, 'crc32_update', { widest: true });
    expect((await pixelsAt(page, at.x, at.y + 5)).filter(isRed).length).toBeGreaterThan(12);
    await page.mouse.move(0, 0);
    expect(await labelInk(page, at.y)).toBeGreaterThan(3);
    await page.screenshot({ path: 'test-results/canvas2d.png' });
  } finally {
    await browser.close();
  }
});

test('flame orientation puts the root at the bottom; breadcrumbs follow the zoom', async ({ page }) => {
  await page.goto(`${DEMO}&orient=flame`);
  await waitReady(page);
  const box = (await page.getByTestId('flamegraph').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 9);
  await expect(page.getByTestId('hc-name')).toHaveText('all');
  const at = await hoverFrame(page, 'checksum_blocks');
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('breadcrumbs')).toContainText('checksum_blocks');
  // Node index (zoom=12) or, in v=2 links, the zoomed call path (zoom=textstats%2F…): either names the zoom.
  await expect(page).toHaveURL(/[?&]zoom=[^&]+/);
  await page.getByTestId('breadcrumbs').getByRole('button', { name: 'all', exact: true }).click();
  await expect(page.getByTestId('breadcrumbs').getByRole('button')).toHaveCount(1);
  await expect(page).not.toHaveURL(/zoom=/);
});

const TSC = path.join(CORPUS, 'pairs/tsc-rxjs-cpuprofile-1ms');
test('zooms into a deep frame of a large real profile and back', async ({ page }) => {
  test.setTimeout(180_000);
  test.skip(!existsSync(TSC), 'needs ../shared/corpus (tsc-rxjs-cpuprofile-1ms pair)');
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(path.join(TSC, 'base.cpuprofile'));
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(path.join(TSC, 'head.cpuprofile'));
  await waitReady(page, 60_000);
  // Click our way down: each click zooms to the widest frame of the next row.
  const box = (await page.getByTestId('flamegraph').boundingBox())!;
  let depth = 0;
  for (let row = 1; row < 40; row++) {
    const scrollTop = Number(await page.locator('.flame-host').getAttribute('data-scroll-top'));
    const y = box.y + 9 + row * 18 - scrollTop;
    const hit = await widestInRow(page, y);
    if (!hit) {
      await page.screenshot({ path: 'test-results/deep-zoom-stuck.png' });
      break;
    }
    await page.mouse.click(hit.x, y);
    // A click on the frame already zoomed (a leaf spanning the view) goes no deeper: stop there.
    try {
      await expect(page.getByTestId('breadcrumbs')).toHaveAttribute('data-depth', String(depth + 1), { timeout: 3000 });
    } catch {
      await page.screenshot({ path: 'test-results/deep-zoom-stopped.png' });
      break;
    }
    depth++;
  }
  expect(depth).toBeGreaterThan(20);
  await page.screenshot({ path: 'test-results/deep-zoom.png' });
  await page.locator('.flame-host').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('breadcrumbs').getByRole('button')).toHaveCount(1);
  await expect(page).not.toHaveURL(/zoom=/);
});
