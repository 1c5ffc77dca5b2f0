// The offline, installable app, against the built dist/: installability as Chromium judges it,
// offline start from the service worker's cache, deployment under a path prefix, the update
// prompt, and history. Installability needs a persistent (non-incognito) profile.
import { test, expect, chromium, type BrowserContext, type LaunchOptions, type Page } from '@playwright/test';
import { mkdtempSync, readFile, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pairPath, ROOT, waitReady } from './helpers';

const DIST = path.join(ROOT, 'dist');
/** A GitHub Pages project site serves the app under /<repo>/; this server does the same on a port of its own. */
const PREFIX_PORT = 4381;
const PREFIX = '/some/prefix/';
const PREFIX_ORIGIN = `http://127.0.0.1:${PREFIX_PORT}`;


async function persistentContext(launchOptions: LaunchOptions, baseURL?: string): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flamediff-pwa-'));
  const context = await chromium.launchPersistentContext(dir, { ...launchOptions, baseURL, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the service worker that the app registered itself (src/client/pwa.ts) is active for
 * the page, and returns its scope. The spec never registers one: an app that stops registering it fails here.
 */
async function serviceWorkerActive(page: Page): Promise<string> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope ?? null), {
      message: 'the app registers its service worker (startPwa in src/client/pwa.ts)',
      timeout: 15_000,
    })
    .not.toBeNull();
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const sw = reg.active!;
    if (sw.state !== 'activated') await new Promise<void>((r) => sw.addEventListener('statechange', () => sw.state === 'activated' && r()));
    return reg.scope;
  });
}

async function installabilityErrors(context: BrowserContext, page: Page): Promise<unknown[]> {
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  return installabilityErrors;
}

test('the manifest is valid, its icons load, and Chromium finds the app installable', async ({ launchOptions, baseURL }) => {
  const { context, page, close } = await persistentContext(launchOptions, baseURL);
  try {
    const foreign: string[] = [];
    context.on('request', (r) => {
      if (!r.url().startsWith(`${baseURL}/`)) foreign.push(r.url());
    });
    await page.goto('/');
    expect(await serviceWorkerActive(page)).toBe(`${baseURL}/`);

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    // Chromium reports every ignored member here, file_handlers' included (a bad MIME type, an extension without a dot, an action out of scope).
    expect(manifest.errors).toEqual([]);
    const data = JSON.parse(manifest.data!);
    expect(data).toMatchObject({ name: 'Flamediff', short_name: 'Flamediff', display: 'standalone', start_url: '.', scope: '.' });
    expect(data.id).toBeUndefined(); // an id would resolve against the origin, merging every deployment on it into one app
    expect(manifest.manifest?.startUrl).toBe(`${baseURL}/`);
    expect(manifest.manifest?.id).toBe(`${baseURL}/`);
    const extensions = data.file_handlers.flatMap((h: { accept: Record<string, string[]> }) => Object.values(h.accept).flat()).sort();
    expect(extensions).toEqual(['.callgrind', '.collapsed', '.cpuprofile', '.folded', '.json', '.pb', '.pb.gz', '.pprof']);
    expect(extensions).not.toContain('.txt');

    const icons = await page.evaluate(async (list: { src: string; sizes: string; purpose: string }[]) => {
      const out = [];
      for (const icon of list) {
        const r = await fetch(new URL(icon.src, new URL('manifest.webmanifest', location.href)));
        const bitmap = await createImageBitmap(await r.blob());
        out.push({ purpose: icon.purpose, sizes: icon.sizes, type: r.headers.get('content-type'), actual: `${bitmap.width}x${bitmap.height}` });
      }
      return out;
    }, data.icons);
    expect(icons.map((i) => i.actual)).toEqual(icons.map((i) => i.sizes));
    expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    expect(icons.every((i) => i.type === 'image/png')).toBe(true);

    expect(await installabilityErrors(context, page)).toEqual([]);
    // No fonts, CDNs or analytics, and Workbox comes from dist/, not from a CDN.
    expect(foreign).toEqual([]);
  } finally {
    await close();
  }
});

test('once cached, the app and the demo pair load with the network off', async ({ launchOptions, baseURL }) => {
  const { context, page, close } = await persistentContext(launchOptions, baseURL);
  try {
    await page.goto('/');
    await serviceWorkerActive(page);
    await page.reload(); // the worker controls pages loaded after it activated

    await context.setOffline(true);
    const fromNetwork: string[] = [];
    context.on('response', (r) => {
      if (!r.fromServiceWorker()) fromNetwork.push(r.url());
    });
    await page.goto('/?demo');
    await waitReady(page);
    await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', /^\d+/);
    // Share links are navigations too: the shell comes from the cache whatever the query.
    await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded&tab=diff');
    await waitReady(page);
    expect(fromNetwork).toEqual([]);
  } finally {
    await close();
  }
});

test.describe('served under a path prefix', () => {
  let server: Server;
  let deployment = 1;
  const outside: string[] = [];
  const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.webmanifest': 'application/manifest+json',
    '.map': 'application/json',
  };

  test.beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', PREFIX_ORIGIN);
      if (!url.pathname.startsWith(PREFIX)) {
        outside.push(url.pathname);
        res.writeHead(404).end();
        return;
      }
      const rel = decodeURIComponent(url.pathname.slice(PREFIX.length)) || 'index.html';
      const file = path.join(DIST, rel);
      if (!file.startsWith(DIST + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      readFile(file, (err, body) => {
        if (err) {
          res.writeHead(404).end();
          return;
        }
        // A redeploy: the service worker script changes byte-wise, so the browser installs it as an update.
        const out = rel === 'sw.js' && deployment > 1 ? Buffer.concat([body, Buffer.from(`\n// deployment ${deployment}\n`)]) : body;
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/plain', 'cache-control': 'no-cache' }).end(out);
      });
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(PREFIX_PORT, '127.0.0.1', resolve));
  });

  test.afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  test('the worker is scoped to the prefix, the app installs, loads a share link and starts offline', async ({ launchOptions }) => {
    const { context, page, close } = await persistentContext(launchOptions);
    try {
      await page.goto(`${PREFIX_ORIGIN}${PREFIX}?demo`);
      await waitReady(page);
      expect(await serviceWorkerActive(page)).toBe(`${PREFIX_ORIGIN}${PREFIX}`);
      expect(await installabilityErrors(context, page)).toEqual([]);

      await context.setOffline(true);
      await page.goto(`${PREFIX_ORIGIN}${PREFIX}?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded`);
      await waitReady(page);
      await context.setOffline(false);
      // Nothing is asked for outside the prefix: not even /favicon.ico (index.html links its icon, and Vite makes the link relative).
      expect(outside).toEqual([]);
    } finally {
      await close();
    }
  });

  test('a new deployment shows the update prompt; Reload switches to it', async ({ launchOptions }) => {
    const { page, close } = await persistentContext(launchOptions);
    deployment = 1;
    try {
      await page.goto(`${PREFIX_ORIGIN}${PREFIX}`);
      await serviceWorkerActive(page);
      await page.reload();
      await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
      await expect(page.getByTestId('update-prompt')).toHaveCount(0);

      deployment = 2;
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await expect(page.getByTestId('update-prompt')).toContainText('A new version is available');
      await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
      await expect(page.getByTestId('update-prompt')).toHaveCount(0);
      expect(await page.evaluate(async () => !(await navigator.serviceWorker.getRegistration())!.waiting)).toBe(true);
    } finally {
      deployment = 1;
      await close();
    }
  });
});

test.describe('history', () => {
  const BASE = pairPath('c-crc-perf', 'base', 'folded');
  const HEAD = pairPath('c-crc-perf', 'head', 'folded');

  test('a comparison is kept, listed with its files, and reopens with one click', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('history'), 'the start screen lists the history (HistoryList)').toBeVisible();
    await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(BASE);
    await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(HEAD);
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    const baseTotal = await page.getByTestId('base-total').getAttribute('data-value');

    await page.goto('/');
    const item = page.getByTestId('history-item').first();
    await expect(item).toContainText('base.folded');
    await expect(item).toContainText('head.folded');
    await item.getByTestId('history-open').click();
    await waitReady(page);
    await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', baseTotal!);

    // Opening it again does not add a copy (same files replace the entry).
    await page.goto('/');
    await expect(page.getByTestId('history-item')).toHaveCount(1);
    await page.getByTestId('history-clear').click();
    await page.getByTestId('history-clear-confirm').click();
    await expect(page.getByTestId('history-item')).toHaveCount(0);
  });

  test('an entry shows its verdict, and a rename (untrusted text, as text) survives a reload and a reopen', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(BASE);
    await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(HEAD);
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    const verdict = (await page.getByTestId('verdict').innerText()).trim();

    await page.goto('/');
    const item = page.getByTestId('history-item').first();
    await expect(item.getByTestId('history-verdict')).toHaveText(verdict);
    await expect(item.locator('time')).toHaveText(/just now|seconds? ago|now/);
    await item.getByTestId('history-rename').click();
    const input = item.getByTestId('history-rename-input');
    await expect(input).toBeFocused();
    await input.fill('CRC <img src=x onerror=alert(1)> bitwise');
    await input.press('Enter');
    await expect(item.getByTestId('history-open')).toHaveText('CRC <img src=x onerror=alert(1)> bitwise');
    await expect(page.locator('.history img')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('history-renamed.png') });

    await page.reload();
    await expect(page.getByTestId('history-open').first()).toHaveText('CRC <img src=x onerror=alert(1)> bitwise');
    await page.getByTestId('history-open').first().click();
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    await page.goto('/');
    await expect(page.getByTestId('history-item')).toHaveCount(1);
    await expect(page.getByTestId('history-open').first()).toHaveText('CRC <img src=x onerror=alert(1)> bitwise');
    // Escape leaves the name as it was.
    await page.getByTestId('history-rename').first().click();
    await page.getByTestId('history-rename-input').fill('nope');
    await page.getByTestId('history-rename-input').press('Escape');
    await expect(page.getByTestId('history-open').first()).toHaveText('CRC <img src=x onerror=alert(1)> bitwise');
  });

  test('a local file dropped over a share link: the address names the history entry, and a reload reopens both sides', async ({ page }) => {
    await page.goto('/?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded');
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles({ name: 'local-head.folded', mimeType: 'text/plain', buffer: Buffer.from('main;work 7\n') });
    await page.waitForFunction(() => document.querySelector('[data-testid=file-head]')?.textContent?.includes('local-head.folded'));
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    await expect(page).toHaveURL(/[?&]h=\d+/);
    await expect(page).not.toHaveURL(/[?&]base=/);
    await page.reload();
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-compare', 'pair');
    await expect(page.getByTestId('head-total')).toHaveAttribute('data-value', '7');
    await expect(page.getByTestId('drop-base')).toContainText('base.folded');
  });

  test('a reload after dropping local files reopens them from history, in the same view', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles([BASE, HEAD]);
    await waitReady(page);
    await expect(page.locator('html')).toHaveAttribute('data-history', 'kept');
    await expect(page).toHaveURL(/[?&]h=\d+/);
    const baseTotal = await page.getByTestId('base-total').getAttribute('data-value');
    await page.getByTestId('tab-base').click();
    await waitReady(page);
    await expect(page).toHaveURL(/tab=base/);

    await page.reload();
    await waitReady(page);
    await expect(page.getByTestId('base-total')).toHaveAttribute('data-value', baseTotal!);
    await expect(page.getByTestId('tab-base')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('drop-base')).toContainText('base.folded');

    // The entry deleted (here, from the start screen): the old address says so and shows the start screen, never another comparison.
    const withEntry = page.url();
    await page.goto('/');
    await page.getByTestId('history-delete').first().click();
    await expect(page.getByTestId('history-item')).toHaveCount(0);
    await page.goto(withEntry);
    await expect(page.getByText('Could not open this comparison')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-state', 'empty');
    await expect(page).not.toHaveURL(/[?&]h=/);
  });

  test('without IndexedDB, history says it is off and the app still works', async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    await page.goto('/');
    await expect(page.getByTestId('history-off')).toContainText('History is off:');
    await page.getByTestId('drop-base').locator('input[type=file]').setInputFiles(BASE);
    await page.getByTestId('drop-head').locator('input[type=file]').setInputFiles(HEAD);
    await waitReady(page);
  });
});
