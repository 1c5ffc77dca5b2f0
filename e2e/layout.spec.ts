// Any window from 800×600 up, light and dark: the graph keeps its room, the verdict stays in view,
// the page never scrolls sideways, and nothing moves when search results or transform chips appear.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, countInk, hoverFrame, pixelsAt, waitReady } from './helpers';

const SIZES = [
  { width: 800, height: 600 },
  { width: 1024, height: 640 },
  { width: 1920, height: 1080 },
];
const SCREENS = path.join(ROOT, 'test-results', 'screens');

/** Where the parts of the page are, in CSS px. */
async function geometry(page: Page) {
  return page.evaluate(() => {
    const box = (sel: string) => {
      const el = document.querySelector(sel);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    const root = document.scrollingElement!;
    return {
      graph: box('.main > .flame-host'),
      verdict: box('[data-testid=verdict]'),
      table: box('[data-testid=function-table]'),
      scrollWidth: root.scrollWidth,
      scrollHeight: root.scrollHeight,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
    };
  });
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`${size.width}×${size.height} ${scheme}: graph ≥ 250 px, verdict and table in view, no page scroll`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: size, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto('/?demo');
      await waitReady(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      const g = await geometry(page);
      expect(g.graph!.height).toBeGreaterThanOrEqual(250);
      expect(g.verdict!.top).toBeGreaterThanOrEqual(0);
      expect(g.verdict!.bottom).toBeLessThanOrEqual(g.graph!.top);
      await expect(page.getByTestId('verdict')).toBeInViewport({ ratio: 1 });
      expect(g.scrollWidth, 'no horizontal page scroll').toBeLessThanOrEqual(g.innerWidth);
      expect(g.scrollHeight, 'the page itself does not scroll: graph and table share the window').toBeLessThanOrEqual(g.innerHeight);
      expect(g.table!.top).toBeLessThan(g.innerHeight - 40);
      // Every column of the table, "Δ of run" included, is inside the window.
      const lastHeader = await page.locator('.tr.head .td').last().boundingBox();
      expect(lastHeader!.x + lastHeader!.width).toBeLessThanOrEqual(g.innerWidth);
      // The page's colours follow the scheme.
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(bg).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
      await page.screenshot({ path: path.join(SCREENS, `demo-${size.width}x${size.height}-${scheme}.png`) });
      await context.close();
    });
  }
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`${size.width}×${size.height} ${scheme}: a hurried user's round: verdict, card, keys, tabs, Back, export, all inside the window`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: size, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto('/?demo');
      await waitReady(page);
      const inside = async (testid: string) => {
        const b = (await page.getByTestId(testid).boundingBox())!;
        expect(b, testid).not.toBeNull();
        expect(b.x, `${testid} left`).toBeGreaterThanOrEqual(0);
        expect(b.y, `${testid} top`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${testid} right`).toBeLessThanOrEqual(size.width + 0.5);
        expect(b.y + b.height, `${testid} bottom`).toBeLessThanOrEqual(size.height + 0.5);
      };
      // The verdict selects and zooms to its function; the selected row is in view in the table.
      await page.getByTestId('verdict').locator('button').click();
      await expect(page.getByTestId('breadcrumbs')).not.toHaveAttribute('data-depth', '0');
      await expect(page.locator('[data-testid=table-row][aria-selected=true]')).toBeInViewport();
      // The hover card of a frame near the window's corner stays inside the window.
      const canvas = (await page.getByTestId('flamegraph').boundingBox())!;
      await page.mouse.move(canvas.x + canvas.width - 4, canvas.y + 9);
      await expect(page.getByTestId('hover-card')).toBeVisible();
      await inside('hover-card');
      await page.screenshot({ path: path.join(SCREENS, `round-card-${size.width}x${size.height}-${scheme}.png`) });
      await page.mouse.move(0, 0);
      // Keys: Ctrl+F reaches the search, ? lists the keys inside the window.
      await page.keyboard.press('Control+f');
      await expect(page.getByTestId('search')).toBeFocused();
      await page.keyboard.press('Escape');
      await page.locator('body').click({ position: { x: 2, y: size.height - 2 } });
      await page.keyboard.press('?');
      await expect(page.getByTestId('key-list')).toBeVisible();
      await inside('key-list');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('key-list')).toBeHidden();
      // The Head tab shows one profile's colours, Back returns to the diff as it was.
      await page.getByTestId('tab-head').click();
      await waitReady(page);
      await expect(page.getByTestId('legend')).toHaveCount(0);
      await page.goBack();
      await waitReady(page);
      await expect(page.getByTestId('tab-diff')).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('breadcrumbs')).not.toHaveAttribute('data-depth', '0');
      // The image of this view downloads.
      const dl = page.waitForEvent('download');
      await page.getByTestId('export-png').click();
      expect((await dl).suggestedFilename()).toBe('flamediff.png');
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(size.width);
      await context.close();
    });
  }
}

test('800×600: view options fold into a menu that opens, works and closes; at 1920 they are inline', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.goto('/?demo');
  await waitReady(page);
  const fold = page.getByTestId('view-options');
  await expect(fold).toHaveAttribute('data-fold', 'closed');
  await expect(page.getByTestId('mode')).toBeHidden();
  await page.getByTestId('view-options-toggle').click();
  await expect(fold).toHaveAttribute('data-fold', 'open');
  await page.getByTestId('mode').selectOption('proportional');
  await expect(page).toHaveURL(/mode=prop/);
  await page.screenshot({ path: path.join(SCREENS, 'view-menu-800x600.png') });
  await page.keyboard.press('Escape');
  await expect(fold).toHaveAttribute('data-fold', 'closed');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(fold).toHaveAttribute('data-fold', 'inline');
  await expect(page.getByTestId('mode')).toBeVisible();
  await context.close();
});

test('at 1280×720 every option of a sampled pair (unit picker and noise included) stays inline', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
  await waitReady(page);
  await expect(page.getByTestId('view-options')).toHaveAttribute('data-fold', 'inline');
  for (const id of ['geometry', 'colour-by', 'palette', 'mode', 'folded-unit', 'orientation', 'inverted', 'noise']) await expect(page.getByTestId(id)).toBeVisible();
  await context.close();
});

test('800×600: search results and transform chips appear without moving the graph', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.goto('/?demo');
  await waitReady(page);
  const before = (await geometry(page)).graph!;
  await page.getByTestId('search').fill('sre_');
  await expect(page.getByTestId('search-share')).toBeVisible();
  expect((await geometry(page)).graph!.top).toBe(before.top);
  await page.getByTestId('search').fill('');
  await page.locator('summary', { hasText: 'Transforms' }).click();
  await page.getByTestId('collapse-recursion').check();
  await page.locator('[data-testid=transforms] input[placeholder^=hide]').fill('xyz_nothing');
  await page.locator('[data-testid=transforms] button[type=submit]').click();
  await expect(page.locator('.chip')).toHaveCount(2);
  await waitReady(page);
  const after = await geometry(page);
  expect(after.graph!.top).toBe(before.top);
  expect(after.graph!.height).toBe(before.height);
  expect(after.scrollWidth).toBeLessThanOrEqual(after.innerWidth);
  await context.close();
});

test('the split between graph and table drags, stays after a reload, and the graph keeps 250 px', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/?demo');
  await waitReady(page);
  const g0 = await geometry(page);
  const bar = (await page.getByTestId('splitter').boundingBox())!;
  await page.mouse.move(bar.x + 200, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + 200, bar.y - 60, { steps: 4 });
  await page.mouse.up();
  const g1 = await geometry(page);
  expect(g1.table!.height).toBeGreaterThan(g0.table!.height + 40);
  expect(g1.graph!.height).toBeLessThan(g0.graph!.height - 40);
  // Far past the graph's minimum: the graph keeps 250 px.
  await page.mouse.move(bar.x + 200, bar.y - 60);
  await page.mouse.down();
  await page.mouse.move(bar.x + 200, 0, { steps: 4 });
  await page.mouse.up();
  expect((await geometry(page)).graph!.height).toBeGreaterThanOrEqual(250);
  await page.reload();
  await waitReady(page);
  const g2 = await geometry(page);
  expect(Math.abs(g2.graph!.height - 250)).toBeLessThanOrEqual(2);
  // Keys move it too; a double click gives the default back.
  await page.getByTestId('splitter').focus();
  await page.keyboard.press('ArrowDown');
  expect((await geometry(page)).graph!.height).toBeGreaterThan(g2.graph!.height + 10);
  await page.getByTestId('splitter').dblclick();
  expect(Math.abs((await geometry(page)).graph!.height - g0.graph!.height)).toBeLessThanOrEqual(2);
  await context.close();
});

test('the scheme button steps system → dark → light → system, kept across a reload', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/?demo');
  await waitReady(page);
  const button = page.getByTestId('scheme-button');
  await expect(button).toHaveAttribute('data-choice', 'system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await waitReady(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(button).toHaveAttribute('data-choice', 'dark');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await button.click();
  await expect(button).toHaveAttribute('data-choice', 'system');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await context.close();
});

for (const palette of ['rdbu', 'blue-orange'] as const) {
  test(`dark mode paints the graph dark, and palette=${palette} paints a slower frame in its own colour`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    await page.goto(palette === 'rdbu' ? '/?demo' : `/?demo&palette=${palette}`);
    await waitReady(page);
    const canvas = (await page.getByTestId('flamegraph').boundingBox())!;
    // The verdict zooms to sre_search (new in head, +173% of the base run): the most slower frame there is.
    await page.getByTestId('verdict').click();
    const at = await hoverFrame(page, 'sre_search');
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('hover-card')).toHaveCount(0);
    // Below that leaf the graph is empty: the page's dark surface (13, 17, 23), not white.
    const clip = { x: canvas.x, y: at.y + 20, width: canvas.width, height: Math.min(30, canvas.y + canvas.height - at.y - 22) };
    expect(clip.height).toBeGreaterThan(5);
    expect(await countInk(page, clip, 40), 'dark pixels below the leaf').toBeGreaterThan(clip.width * clip.height * 0.9);
    const px = await pixelsAt(page, canvas.x + canvas.width * 0.6, at.y, 4);
    const orange = ([r, g, b]: number[]) => r > 200 && g > 80 && g < 180 && b < 80;
    const red = ([r, g, b]: number[]) => r > 200 && g < 100 && b < 100;
    const want = palette === 'rdbu' ? red : orange;
    const other = palette === 'rdbu' ? orange : red;
    expect(px.filter(want).length, JSON.stringify(px.slice(0, 6))).toBeGreaterThan(px.length / 4);
    expect(px.filter(other).length).toBe(0);
    // The legend speaks of the same colours.
    const slower = await page.locator('[data-testid=legend] i').nth(2).evaluate((el) => getComputedStyle(el).backgroundColor);
    const rgb = slower.match(/\d+/g)!.map(Number);
    expect(want(rgb), slower).toBe(true);
    // And so does the text that says slower: the verdict line.
    const said = await page.getByTestId('verdict').evaluate((el) => getComputedStyle(el).color);
    expect(said).toBe(palette === 'rdbu' ? 'rgb(255, 123, 114)' : 'rgb(245, 154, 35)');
    await context.close();
  });
}

const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical violation (${scheme}, start page and loaded demo)`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1024, height: 640 } });
    const page = await context.newPage();
    const check = async (where: string) => {
      // Evaluated over the debugging protocol, so the app's Content-Security-Policy stays as it is.
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad, `${where}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
    };
    await page.goto('/');
    await page.waitForFunction(() => document.documentElement.dataset.state === 'empty');
    await check('start page');
    await page.goto('/?demo');
    await waitReady(page);
    await check('demo');
    await context.close();
  });
}
