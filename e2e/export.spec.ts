// The graph as an image for a pull request: a header that says what was compared, the legend,
// and the frames as drawn; PNG at 2×, SVG with text as text and every name escaped.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, hoverFrame, waitReady } from './helpers';

const EDGE = path.join(ROOT, 'test/fixtures/cpuprofile-js-edge-names.cpuprofile');

async function download(page: Page, testid: string): Promise<Buffer> {
  const dl = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const d = await dl;
  expect(d.suggestedFilename()).toBe(`flamediff.${testid.replace('export-', '')}`);
  return readFileSync((await d.path())!);
}

/** Parses an SVG in the page (as a browser reading the file would): its texts, rect count, and any parse error. */
function readSvg(page: Page, svg: string) {
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      width: Number(doc.documentElement.getAttribute('width')),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      rects: doc.querySelectorAll('rect').length,
      foreign: doc.querySelectorAll('script, foreignObject, image, a').length,
      fills: [...doc.querySelectorAll('rect')].map((r) => r.getAttribute('fill')),
    };
  }, svg);
}

/** Width, height and how many pixels of the PNG's top band (its header) differ from its top-left pixel. */
function readPng(page: Page, png: Buffer, headerPx: number) {
  return page.evaluate(
    async ({ b64, headerPx }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, img.width, headerPx).data;
      let ink = 0;
      let red = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 120) ink++;
        if (d[i] > 150 && d[i] - d[i + 1] > 80 && d[i] - d[i + 2] > 80) red++;
      }
      const all = g.getImageData(0, 0, img.width, img.height).data;
      let redAll = 0;
      for (let i = 0; i < all.length; i += 4) if (all[i] > 150 && all[i] - all[i + 1] > 80 && all[i] - all[i + 2] > 80) redAll++;
      return { width: img.width, height: img.height, corner: [d[0], d[1], d[2]], ink, red, redAll };
    },
    { b64: png.toString('base64'), headerPx },
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`PNG and SVG of the demo (${scheme}): files, totals, verdict, unit, mode and legend above the graph`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    await page.goto('/?demo');
    await waitReady(page);
    const verdict = (await page.getByTestId('verdict').textContent())!.trim();
    const graph = (await page.getByTestId('flamegraph').boundingBox())!;

    const svg = await readSvg(page, (await download(page, 'export-svg')).toString('utf8'));
    expect(svg.error).toBeNull();
    expect(svg.root).toBe('svg');
    expect(svg.foreign).toBe(0);
    expect(svg.width).toBe(Math.round(graph.width));
    expect(svg.texts[0]).toBe('base.callgrind.out → head.callgrind.out');
    expect(svg.texts[1]).toBe('base 1,914,742,816 Ir (callgrind) · head 4,111,921,848 Ir (callgrind) · change +2,197,179,032 Ir (+114.8%)');
    expect(svg.texts[2], 'the verdict line, word for word as the page says it').toBe(verdict);
    expect(svg.texts[3]).toBe('Diff · unit: Ir · absolute · colour: self Δ · widths: head · Flamediff');
    expect(svg.texts.slice(4, 8)).toEqual(['faster', 'same', 'slower', 'new/removed']);
    // The frames, labelled as on screen: sre_search among them, in the theme's surface.
    expect(svg.texts).toContain('sre_search');
    expect(svg.texts).toContain('_PyEval_EvalFrameDefault');
    expect(svg.rects).toBeGreaterThan(200);
    expect(svg.fills[0]).toBe(scheme === 'dark' ? '#0d1117' : '#ffffff');

    const png = await download(page, 'export-png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const img = await readPng(page, png, 2 * 100);
    expect(img.width, 'twice the graph width').toBe(2 * Math.round(graph.width));
    expect(img.corner).toEqual(scheme === 'dark' ? [13, 17, 23] : [255, 255, 255]);
    expect(img.ink, 'header text in the top band').toBeGreaterThan(2000);
    expect(img.red, 'the verdict line is in the slower colour').toBeGreaterThan(100);
    expect(img.redAll, 'sre_search is painted red below the header').toBeGreaterThan(img.red + 20_000);
    await context.close();
  });
}

test('the image says what the view is: zoom, transforms, inverted, Head tab without the diff legend; Sandwich has no single graph', async ({ page }) => {
  await page.goto('/?demo&tx=hide:%5Ecfunction_call%24&inv=1');
  await waitReady(page);
  const svg = await readSvg(page, (await download(page, 'export-svg')).toString('utf8'));
  expect(svg.error).toBeNull();
  expect(svg.texts[3]).toContain('inverted (callers below)');
  expect(svg.texts[3]).toMatch(/hide .*cfunction_call/);
  await page.getByTestId('verdict').locator('button').click();
  const zoomed = await readSvg(page, (await download(page, 'export-svg')).toString('utf8'));
  expect(zoomed.texts[3]).toContain('zoomed to sre_search');
  await page.getByTestId('tab-head').click();
  await waitReady(page);
  const head = await readSvg(page, (await download(page, 'export-svg')).toString('utf8'));
  expect(head.texts.slice(0, 4).join('\n')).not.toContain('sre_search (new in head)');
  expect(head.texts[2]).toMatch(/^Head profile · unit: Ir/);
  expect(head.texts).not.toContain('slower');
  await page.getByTestId('tab-sandwich').click();
  await expect(page.getByTestId('export-png')).toBeDisabled();
  await expect(page.getByTestId('export-svg')).toBeDisabled();
});

test('hostile names stay text in the SVG: it parses, has no script, and says the names as they are', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(EDGE);
  await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(EDGE);
  await waitReady(page);
  // Zoomed to the <img …> frame (a click on its row), so its whole name fits in the label.
  await page.locator('[data-testid=function-table] [data-key^="<img"]').first().click();
  const raw = (await download(page, 'export-svg')).toString('utf8');
  const svg = await readSvg(page, raw);
  expect(svg.error).toBeNull();
  expect(svg.foreign).toBe(0);
  expect(raw).not.toMatch(/<img|<script/i);
  // There as text, escaped once.
  expect(svg.texts).toContain('<img src=x onerror=alert(1)>');
  expect(raw).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(svg.texts.filter((t) => t.includes('&lt;') || t.includes('&amp;'))).toEqual([]);
});

test("each frame of the SVG carries its hover card as a tooltip, with the card's words and figures", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?demo');
  await waitReady(page);
  for (const inverted of [false, true]) {
    if (inverted) {
      await page.getByTestId('inverted').check();
      await waitReady(page);
    }
    const name = inverted ? 'sre_search' : '_PyEval_EvalFrameDefault';
    await hoverFrame(page, name, { widest: true });
    const card = page.getByTestId('hover-card');
    await expect(card).toBeVisible();
    const cells = async (testid: string) => (await card.getByTestId(testid).locator('td').allTextContents()).map((t) => t.trim());
    const share = (await card.getByTestId('hc-share').textContent())!.trim();
    const base = await cells('hc-base');
    const head = await cells('hc-head');
    const delta = await cells('hc-delta');

    const svg = (await download(page, 'export-svg')).toString('utf8');
    const titles = await page.evaluate((svg) => [...new DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('g > title')].map((t) => t.textContent ?? ''), svg);
    // The widest frame of that name is the one hovered; its tooltip is the card, line for line.
    const mine = titles.filter((t) => t.split('\n')[0].replace(/ \((new|removed) in head\)$/, '') === name);
    expect(mine.length, `a tooltip for ${name}`).toBeGreaterThan(0);
    const match = mine.find((t) => t.includes(`base: self ${base[0]} · total ${base[1]} · ${base[2]} of its run`));
    expect(match, `one of ${mine.length} tooltips for ${name} has the card's base row`).toBeDefined();
    expect(match).toContain(`head: self ${head[0]} · total ${head[1]} · ${head[2]} of its run`);
    expect(match).toContain(`Δ: self ${delta[0]} · total ${delta[1]} · ${delta[2]} of its run`);
    expect(match).toContain(` ${share} of the overall run`);
  }
});
