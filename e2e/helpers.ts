// Shared by the e2e specs: real files, independent reference numbers, pixels.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
export const HAVE_CORPUS = existsSync(path.join(CORPUS, 'manifest.json'));

/** A real pair: from ../shared/corpus when present, else the copy the project ships in public/demo. */
export function pairPath(pair: string, side: 'base' | 'head', ext: string): string {
  const shared = path.join(CORPUS, 'pairs', pair, `${side}.${ext}`);
  return existsSync(shared) ? shared : path.join(ROOT, 'public', 'demo', pair, `${side}.${ext}`);
}

export async function waitReady(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.state ?? ''), null, { timeout });
  const state = await page.evaluate(() => document.documentElement.dataset.state);
  if (state === 'error') throw new Error(`app is in error state: ${await page.getByRole('alert').innerText()}`);
  const render = await page.evaluate(() => JSON.stringify((window as unknown as { __flamediffRender?: unknown }).__flamediffRender ?? null));
  expect(state, `last draw: ${render}`).toBe('ready');
  // The first frame may be on Canvas 2D while WebGL starts: the tests hold on to the canvas, so they wait for the final one.
  await page.waitForFunction(() => document.documentElement.dataset.renderer !== 'settling', null, { timeout });
}

/**
 * Folded stacks read independently of the app's parser: per call path,
 * self (lines whose stack is exactly the path) and total (lines under it).
 */
export function foldedPaths(file: string): { self: Map<string, number>; total: Map<string, number>; leafSelf: Map<string, number>; sum: number } {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const leafSelf = new Map<string, number>();
  let sum = 0;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const sp = line.lastIndexOf(' ');
    if (!line || sp < 0) continue;
    const count = Number(line.slice(sp + 1));
    const frames = line.slice(0, sp).split(';');
    sum += count;
    const leaf = frames[frames.length - 1];
    leafSelf.set(leaf, (leafSelf.get(leaf) ?? 0) + count);
    const full = frames.join(';');
    self.set(full, (self.get(full) ?? 0) + count);
    for (let i = 1; i <= frames.length; i++) {
      const p = frames.slice(0, i).join(';');
      total.set(p, (total.get(p) ?? 0) + count);
    }
  }
  return { self, total, leafSelf, sum };
}

/**
 * Scans the canvas row by row (synthetic mouse moves inside the page, so a
 * whole scan takes a moment) until the hover card names `name`; with `widest`
 * it finds the widest such frame. Then moves the real pointer there.
 */
export async function hoverFrame(page: Page, name: string, opts: { widest?: boolean; step?: number } = {}): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(
    async ({ name, widest, step }) => {
      const canvas = document.querySelector('[data-testid=flamegraph]') as HTMLCanvasElement;
      const box = canvas.getBoundingClientRect();
      // A macrotask without setTimeout's 4 ms clamp: Preact has rendered the card by then.
      const channel = new MessageChannel();
      const tick = () => new Promise<void>((r) => {
        channel.port1.onmessage = () => r();
        channel.port2.postMessage(0);
      });
      let best: { x: number; y: number; width: number } | null = null;
      for (let y = box.top + 9; y < box.bottom; y += 18) {
        let run = null as { x0: number; x1: number } | null;
        for (let x = box.left + 2; x < box.right; x += step) {
          canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
          await tick();
          const card = document.querySelector('[data-testid=hc-name]') as HTMLElement | null;
          const here = !!card && (card.firstChild?.textContent ?? '').trim() === name;
          if (here) run = run ? { ...run, x1: x } : { x0: x, x1: x };
          if ((!here || x + step >= box.right) && run) {
            const width = run.x1 - run.x0;
            if (!best || width > best.width) best = { x: (run.x0 + run.x1) / 2, y, width };
            run = null;
            if (!widest) return best;
          }
        }
      }
      return best;
    },
    { name, widest: !!opts.widest, step: opts.step ?? 8 },
  );
  if (!found) throw new Error(`no frame named ${name} found under the pointer`);
  await page.mouse.move(found.x, found.y);
  await expect(page.getByTestId('hc-name')).toContainText(name);
  return { x: found.x, y: found.y };
}

export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What to read of a screenshot's pixels: all of them (small clips), or a count of those of one kind. */
type PixelQuery = { kind: 'pixels' } | { kind: 'tinted'; threshold: number } | { kind: 'ink'; below: number };

/**
 * Decodes a real screenshot of `clip` in a scratch page (WebGL canvases can't be read back) and
 * answers `query` there, so only the answer crosses back.
 */
async function readScreen<T>(page: Page, clip: Clip, query: PixelQuery): Promise<T> {
  const png = await page.screenshot({ clip });
  const ctx = await page.context().newPage();
  try {
    return (await ctx.evaluate(
      async ({ b64, query }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        if (query.kind === 'pixels') {
          const out: number[][] = [];
          for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
          return out;
        }
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (query.kind === 'tinted' ? Math.abs(d[i] - d[i + 2]) > query.threshold : Math.min(d[i], d[i + 1], d[i + 2]) < query.below) n++;
        }
        return n;
      },
      { b64: png.toString('base64'), query },
    )) as T;
  } finally {
    await ctx.close();
  }
}

/** RGBA of the screen pixels around (x, y). */
export function pixelsAt(page: Page, x: number, y: number, radius = 2): Promise<number[][]> {
  return readScreen(page, { x: x - radius, y: y - radius, width: radius * 2 + 1, height: radius * 2 + 1 }, { kind: 'pixels' });
}

export const isRed = ([r, g, b]: number[]) => r > 150 && r - g > 80 && r - b > 80;
export const isBlue = ([r, , b]: number[]) => b > 120 && b - r > 60;

/** How many screen pixels in `clip` are coloured away from grey: |r − b| > threshold (red or blue frames). */
export function countTinted(page: Page, clip: Clip, threshold: number): Promise<number> {
  return readScreen(page, clip, { kind: 'tinted', threshold });
}

/** How many screen pixels in `clip` are darker than a white background (any channel below `below`). */
export function countInk(page: Page, clip: Clip, below = 245): Promise<number> {
  return readScreen(page, clip, { kind: 'ink', below });
}

/** The centre of the widest frame in the row at clientY `y` (scanned with synthetic moves), or null. */
export async function widestInRow(page: Page, y: number, step = 6): Promise<{ x: number; w: number } | null> {
  return page.evaluate(
    async ({ y, step }) => {
      const host = document.querySelector('.flame-host') as HTMLElement;
      const box = host.getBoundingClientRect();
      const channel = new MessageChannel();
      const tick = () =>
        new Promise<void>((r) => {
          channel.port1.onmessage = () => r();
          channel.port2.postMessage(0);
        });
      let best: { x: number; w: number } | null = null;
      let run: number | null = null;
      let name = '';
      const close = (x: number) => {
        if (run !== null && (!best || x - run > best.w)) best = { x: (run + x) / 2, w: x - run };
      };
      for (let x = box.left + 1; x < box.right; x += step) {
        host.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
        await tick();
        const n = document.querySelector('[data-testid=hc-name]')?.firstChild?.textContent ?? '';
        if (n && n === name && run !== null) continue;
        close(x);
        run = n ? x : null;
        name = n;
      }
      close(box.right - 1);
      return best;
    },
    { y, step },
  );
}

/**
 * A control of the View options: where the row has no room for them all (a pprof pair's event
 * picker at 1280 px), they fold into the View menu, which this opens first.
 */
export async function viewOption(page: Page, testid: string) {
  const fold = page.getByTestId('view-options');
  if ((await fold.getAttribute('data-fold')) === 'closed') {
    await page.getByTestId('view-options-toggle').click();
    await expect(fold).toHaveAttribute('data-fold', 'open');
  }
  return page.getByTestId(testid);
}
