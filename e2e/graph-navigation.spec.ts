// Panning stops at the graph's edges, the hover card never outlives the frame under a still
// pointer, and both drawing backends mark new/removed frames with the same stripes.
import { test, expect, type Page } from '@playwright/test';
import { countInk, hoverFrame, pixelsAt, waitReady, type Clip } from './helpers';

/** CodSpeed's parse_pr pair (callgrind): head's frames under sre_search are new, base's under ucs1lib__two_way removed. */
const DEMO = '/?demo';
/** The perf pair: checksum_blocks is a shallow subtree (crc32_update under it), sorted_words's msort recursion is 38 deep. */
const CRC = '/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded';
/** More than enough to cross any of these graphs: each step is 100 CssPx (Chromium's pixel-mode wheel). */
const STEPS = 25;
const ROW = 18;

type Box = Clip;

/** Screen pixels in `clip` that are not the canvas's white background: frames and labels (the hover card hidden). */
async function ink(page: Page, clip: Box): Promise<number> {
  // Through the CSSOM: the page's CSP refuses the stylesheet screenshot({ style }) would inject.
  const card = (hidden: boolean) =>
    page.evaluate((hidden) => {
      const el = document.querySelector('[data-testid=hover-card]') as HTMLElement | null;
      if (el) el.style.visibility = hidden ? 'hidden' : '';
    }, hidden);
  await card(true);
  try {
    return await countInk(page, clip);
  } finally {
    await card(false);
  }
}

/** The name on the hover card, or null when there is none. */
const cardName = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-testid=hc-name]')?.firstChild?.textContent?.trim() ?? null);

/**
 * The card as the gesture left it, then the card a fresh mousemove at the same point gives:
 * they must agree, or the card describes a frame that is no longer under the pointer.
 */
async function cardVsPointer(page: Page, at: { x: number; y: number }): Promise<{ shown: string | null; under: string | null }> {
  const shown = await cardName(page);
  const under = await page.evaluate(async ({ x, y }) => {
    const canvas = document.querySelector('[data-testid=flamegraph]') as HTMLCanvasElement;
    canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    return document.querySelector('[data-testid=hc-name]')?.firstChild?.textContent?.trim() ?? null;
  }, at);
  return { shown, under };
}

async function wheel(page: Page, dx: number, dy: number, steps = STEPS): Promise<void> {
  for (let i = 0; i < steps; i++) await page.mouse.wheel(dx, dy);
  // The last relayout comes RELAYOUT_INTERVAL_MS (50 ms) after the gesture settles.
  await page.waitForTimeout(250);
}

/** Frames on screen after a gesture, and a card that is true to what is under the pointer. */
async function expectGraphAt(page: Page, box: Box, at: { x: number; y: number }, what: string): Promise<void> {
  const drawn = await ink(page, box);
  if (drawn < box.width * box.height * 0.01) await page.screenshot({ path: test.info().outputPath(`blank-${what.replace(/\W+/g, '-')}.png`) });
  expect(drawn, `${what}: frames under the canvas`).toBeGreaterThan(box.width * box.height * 0.01);
  const card = await cardVsPointer(page, at);
  expect(card.shown, `${what}: the card names what is under the pointer`).toBe(card.under);
}

const strip = (box: Box, top: number): Box => ({ x: box.x, y: box.y + top, width: box.width, height: ROW - 1 });

for (const flame of [false, true]) {
  const orient = flame ? 'flame' : 'icicle';
  /** Wheel deltaY that scrolls towards the deep rows: down in an icicle, up in a flame. */
  const deeper = flame ? -100 : 100;
  /** The row at the viewport's edge where the deepest frames end up, and the one where the root is. */
  const farEdge = (box: Box) => strip(box, flame ? 0 : box.height - ROW);
  const rootEdge = (box: Box) => strip(box, flame ? box.height - ROW : 0);

  test(`${orient}: ${STEPS} wheel steps each way keep the graph on screen and the card true (whole graph)`, async ({ page }) => {
    await page.goto(`${DEMO}${flame ? '&orient=flame' : ''}`);
    await waitReady(page);
    const box = (await page.getByTestId('flamegraph').boundingBox())!;
    const at = await hoverFrame(page, 'run_mod');
    await page.screenshot({ path: test.info().outputPath(`nav-${orient}-start.png`) });

    await wheel(page, 0, deeper);
    await page.screenshot({ path: test.info().outputPath(`nav-${orient}-deep.png`) });
    await expectGraphAt(page, box, at, `${orient}, ${STEPS} steps deeper`);
    // Stopped at the edge: the deepest frames drawn sit in the last row, not above empty space.
    expect(await ink(page, farEdge(box)), 'the deepest drawn row is at the edge').toBeGreaterThan(10);

    await wheel(page, 0, -deeper);
    await expectGraphAt(page, box, at, `${orient}, ${STEPS} steps back`);
    expect(await ink(page, rootEdge(box)), 'the root spans its row again').toBeGreaterThan(box.width * (ROW - 1) * 0.9);

    for (const dx of [100, -100]) {
      await wheel(page, dx, 0);
      await expectGraphAt(page, box, at, `${orient}, ${STEPS} steps sideways (${dx})`);
      expect(await ink(page, rootEdge(box))).toBeGreaterThan(box.width * (ROW - 1) * 0.9);
    }
  });

  /** After scrolling towards the deep rows: the deepest drawn row at the far edge, or, when every row fits, no scroll at all. */
  const expectStoppedDeep = async (page: Page, box: Box, what: string) => {
    const scrollTop = Number(await page.locator('.flame-host').getAttribute('data-scroll-top'));
    if (scrollTop > 0) expect(await ink(page, farEdge(box)), `${what}: the deepest drawn row is at the edge`).toBeGreaterThan(10);
    else expect(await ink(page, rootEdge(box)), `${what}: the graph fits, the root stays at its edge`).toBeGreaterThan(box.width * (ROW - 1) * 0.9);
    return scrollTop;
  };

  // checksum_blocks's subtree fits in the canvas (nothing to scroll to); sorted_words's msort recursion does not.
  for (const [frame, inside, fits] of [
    ['checksum_blocks', 'crc32_update', true],
    ['sorted_words', 'msort_with_tmp', false],
  ] as const) {
    test(`${orient}: wheel and drag stop at the edges of a zoomed frame (${frame})`, async ({ page }) => {
      await page.goto(`${CRC}${flame ? '&orient=flame' : ''}`);
      await waitReady(page);
      const box = (await page.getByTestId('flamegraph').boundingBox())!;
      const zoom = await hoverFrame(page, frame);
      await page.mouse.click(zoom.x, zoom.y);
      await expect(page.getByTestId('breadcrumbs')).toContainText(frame);
      const at = await hoverFrame(page, inside);

      await wheel(page, 0, deeper);
      await page.screenshot({ path: test.info().outputPath(`nav-${orient}-${frame}-deep.png`) });
      await expectGraphAt(page, box, at, `${orient} zoomed, ${STEPS} steps deeper`);
      const scrollTop = await expectStoppedDeep(page, box, `${orient} zoomed, ${STEPS} steps deeper`);
      expect(scrollTop === 0, `${frame} fits in the canvas`).toBe(fits);

      for (const dx of [100, -100]) {
        await wheel(page, dx, 0);
        await expectGraphAt(page, box, at, `${orient} zoomed, ${STEPS} steps sideways (${dx})`);
        await expectStoppedDeep(page, box, `${orient} zoomed, ${STEPS} steps sideways (${dx})`);
      }

      // Drag the graph towards the deep rows by several canvas heights, in strokes of 150 px, and sideways.
      const y0 = box.y + box.height / 2;
      const end = { x: at.x + 300, y: y0 + (flame ? 150 : -150) };
      for (let i = 0; i < 8; i++) {
        await page.mouse.move(at.x, y0);
        await page.mouse.down();
        await page.mouse.move(end.x, end.y, { steps: 5 });
        await page.mouse.up();
      }
      await page.waitForTimeout(250);
      await page.screenshot({ path: test.info().outputPath(`nav-${orient}-${frame}-dragged.png`) });
      await expectGraphAt(page, box, end, `${orient} zoomed, dragged`);
      await expectStoppedDeep(page, box, `${orient} zoomed, dragged`);

      await wheel(page, 0, -deeper);
      await expectGraphAt(page, box, end, `${orient} zoomed, ${STEPS} steps back`);
      expect(await ink(page, rootEdge(box)), 'the root is back at its edge').toBeGreaterThan(box.width * (ROW - 1) * 0.9);
    });
  }
}

/**
 * Pixels of a striped frame, split in two tones: the frame's colour and its stripes (each within a
 * few levels: the compositor dithers by one). `diagonal` is the share of pixels whose up-right
 * neighbour has the same tone: 1 for "/" stripes.
 */
async function stripes(page: Page, x: number, y: number): Promise<{ tones: number[][]; shares: number[]; diagonal: number }> {
  const r = 6;
  const px = await pixelsAt(page, x, y, r);
  const side = 2 * r + 1;
  const dist = (a: number[], b: number[]) => Math.max(...[0, 1, 2].map((c) => Math.abs(a[c] - b[c])));
  const key = (p: number[]) => p.slice(0, 3).join(',');
  const counts = new Map<string, number>();
  for (const p of px) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k.split(',').map(Number));
  const first = byCount[0];
  const second = byCount.find((c) => dist(c, first) > 6) ?? first;
  const tone = (p: number[]) => (dist(p, first) <= 3 ? 0 : dist(p, second) <= 3 ? 1 : 2);
  const shares = [0, 1].map((t) => px.filter((p) => tone(p) === t).length / px.length);
  let same = 0;
  let pairs = 0;
  for (let j = 1; j < side; j++)
    for (let i = 0; i + 1 < side; i++) {
      pairs++;
      if (tone(px[j * side + i]) === tone(px[(j - 1) * side + i + 1])) same++;
    }
  return { tones: [first, second], shares, diagonal: same / pairs };
}

/** Label glyph pixels at the left of a frame: white ones (light label) or near-black ones (dark label). */
async function labelGlyphs(page: Page, x: number, y: number): Promise<{ white: number; dark: number }> {
  const px = await pixelsAt(page, x, y, 8);
  return {
    white: px.filter(([r, g, b]) => r > 235 && g > 220 && b > 220).length,
    dark: px.filter(([r, g, b]) => r < 60 && g < 60 && b < 60).length,
  };
}

test('WebGL and Canvas 2D draw the same stripes on a new frame, under a readable label', async ({ page }) => {
  const seen: Record<string, Awaited<ReturnType<typeof stripes>>> = {};
  for (const renderer of ['canvas', 'webgl'] as const) {
    await page.goto(`${DEMO}${renderer === 'canvas' ? '&renderer=canvas' : ''}`);
    await waitReady(page);
    await expect(page.getByTestId('flamegraph')).toHaveAttribute('data-backend', renderer === 'canvas' ? 'canvas2d' : 'webgl');
    // sre_search is new in head: striped, and the reddest frame (it holds most of head's added cost).
    const at = await hoverFrame(page, 'sre_search', { widest: true });
    const frame = await page.evaluate(async ({ x, y }) => {
      // The frame's left edge: walk left until the card names something else.
      const canvas = document.querySelector('[data-testid=flamegraph]') as HTMLCanvasElement;
      let left = x;
      for (; left > 0; left -= 2) {
        canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: left, clientY: y, bubbles: true }));
        await new Promise((r) => setTimeout(r, 0));
        if (document.querySelector('[data-testid=hc-name]')?.firstChild?.textContent?.trim() !== 'sre_search') break;
      }
      return { left: left + 2 };
    }, at);
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('hover-card')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath(`stripes-${renderer}.png`) });
    const s = await stripes(page, at.x, at.y);
    seen[renderer] = s;
    expect(s.shares[0], `${renderer}: the frame's own colour`).toBeGreaterThan(0.4);
    expect(s.shares[1] ?? 0, `${renderer}: a second tone, the stripes (3 px in 8)`).toBeGreaterThan(0.2);
    expect(s.shares[0] + (s.shares[1] ?? 0), `${renderer}: nothing else in the frame`).toBeGreaterThan(0.97);
    expect(s.diagonal, `${renderer}: the stripes run "/" as in the legend`).toBeGreaterThan(0.95);
    const glyphs = await labelGlyphs(page, frame.left + 30, at.y);
    expect(glyphs.white + glyphs.dark, `${renderer}: the label is drawn over the stripes`).toBeGreaterThan(10);
  }
  const [gl, cv] = [seen.webgl, seen.canvas];
  for (let t = 0; t < 2; t++)
    for (let c = 0; c < 3; c++) expect(Math.abs(gl.tones[t][c] - cv.tones[t][c]), `tone ${t} channel ${c}: ${gl.tones[t]} vs ${cv.tones[t]}`).toBeLessThanOrEqual(4);
});
