// "Never a fake answer": each case of the issue, as a person sees it in the built app.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, hoverFrame } from './helpers';

const file = (rel: string) => readFileSync(path.join(ROOT, rel));
const PERF_BASE = file('public/demo/c-crc-perf/base.folded');
const PERF_HEAD = file('public/demo/c-crc-perf/head.folded');
const CG_BASE = file('test/fixtures/callgrind-c-crc.base.out');
const CPU_HEAD = file('test/fixtures/cpuprofile-js-json.head.cpuprofile');
const sum = (buf: Buffer) =>
  buf
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));

interface DropFile {
  name: string;
  bytes: Buffer;
  lastModified?: number;
}

/** A real drop: Files with the given names and times in a DataTransfer, dispatched on the target. */
async function drop(page: Page, selector: string, files: DropFile[]) {
  const payload = files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64'), lastModified: f.lastModified ?? 1_700_000_000_000 }));
  await page.evaluate(
    ({ selector, payload }) => {
      const dt = new DataTransfer();
      for (const f of payload) {
        const bin = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bin], f.name, { lastModified: f.lastModified }));
      }
      const target = selector === 'body' ? document.body : document.querySelector(selector)!;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { selector, payload },
  );
}

/** Ready or in error, with no side still being read (a drop's error can come before the next drop's read starts). */
async function settled(page: Page) {
  await page.waitForTimeout(50);
  await page.waitForFunction(
    () => ['ready', 'error'].includes(document.documentElement.dataset.state ?? '') && !document.querySelector('[data-status=loading]'),
    null,
    { timeout: 30_000 },
  );
}

const compare = (page: Page) => page.evaluate(() => document.documentElement.dataset.compare ?? null);

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => document.documentElement.dataset.state === 'empty');
});

test.describe('1. a failed side is never replaced by the other', () => {
  test('random binary as base, good head: head alone, base error stays, no change figure', async ({ page }) => {
    await drop(page, '[data-testid=drop-base]', [{ name: 'garbage.bin', bytes: random }]);
    await drop(page, '[data-testid=drop-head]', [{ name: 'head.folded', bytes: PERF_HEAD }]);
    await settled(page);
    await expect(page.locator('[role=alert] [data-side=base]')).toContainText('garbage.bin');
    await expect(page.locator('[data-testid=single-side]')).toHaveText('head only');
    await expect(page.locator('[data-testid=total-change]')).toHaveCount(0);
    await expect(page.locator('[data-testid=tab-diff]')).toHaveCount(0);
    expect(await compare(page)).toBe('head-only');
    await expect(page.locator('[data-testid=head-total]')).toHaveAttribute('data-value', String(sum(PERF_HEAD)));
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe('ready');
    await page.screenshot({ path: 'test-results/trust-head-only.png' });
  });

  test('one file alone is "base only", never a ±0 diff with itself', async ({ page }) => {
    await drop(page, '[data-testid=drop-base]', [{ name: 'base.folded', bytes: PERF_BASE }]);
    await settled(page);
    expect(await compare(page)).toBe('base-only');
    await expect(page.locator('[data-testid=single-side]')).toHaveText('base only');
    await expect(page.locator('[data-testid=total-change]')).toHaveCount(0);
    await expect(page.locator('[data-testid=function-table] [role=columnheader]')).toHaveCount(2);
  });

  test('good base, truncated cpuprofile head: head error shown, no change figure', async ({ page }) => {
    await drop(page, '[data-testid=drop-base]', [{ name: 'base.folded', bytes: PERF_BASE }]);
    await drop(page, '[data-testid=drop-head]', [{ name: 'head.cpuprofile', bytes: CPU_HEAD.subarray(0, CPU_HEAD.length >> 1) }]);
    await settled(page);
    await expect(page.locator('[role=alert] [data-side=head]')).toContainText('head.cpuprofile');
    await expect(page.locator('[role=alert] [data-side=head]')).toContainText('cpuprofile');
    await expect(page.locator('[data-testid=total-change]')).toHaveCount(0);
    expect(await compare(page)).toBe('base-only');
  });

  test('two bad files: both errors, together', async ({ page }) => {
    await drop(page, '[data-testid=drop-base]', [{ name: 'one.bin', bytes: random }]);
    await drop(page, '[data-testid=drop-head]', [{ name: 'two.cpuprofile', bytes: Buffer.from('{"nodes": [') }]);
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe('error');
    await expect(page.locator('[role=alert] [data-side=base]')).toContainText('one.bin');
    await expect(page.locator('[role=alert] [data-side=head]')).toContainText('two.cpuprofile');
    expect(await compare(page)).toBeNull();
    await expect(page.locator('[data-testid=flamegraph]')).toHaveCount(0);
  });

  test('an error stays until its side is replaced', async ({ page }) => {
    await drop(page, '[data-testid=drop-base]', [{ name: 'bad.bin', bytes: random }]);
    await settled(page);
    await drop(page, '[data-testid=drop-head]', [{ name: 'head.folded', bytes: PERF_HEAD }]);
    await settled(page);
    await expect(page.locator('[role=alert] [data-side=base]')).toBeVisible();
    await drop(page, '[data-testid=drop-base]', [{ name: 'base.folded', bytes: PERF_BASE }]);
    await page.waitForFunction(() => document.documentElement.dataset.compare === 'pair');
    await settled(page);
    await expect(page.locator('[role=alert]')).toHaveCount(0);
    await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', String(sum(PERF_HEAD) - sum(PERF_BASE)));
  });
});

test('2. a truncated callgrind file loads with a visible warning naming both figures', async ({ page }) => {
  const cut = CG_BASE.subarray(0, Math.floor(CG_BASE.length * 0.6));
  await drop(page, '[data-testid=drop-base]', [{ name: 'cut.callgrind.out', bytes: cut }]);
  await settled(page);
  const warning = page.locator('[data-testid=warning][data-side=base]');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(/truncated/i);
  await expect(warning).toContainText('249,979,994');
});

test('3. different units: proportional only, both units named, no change figure', async ({ page }) => {
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.folded', bytes: PERF_BASE }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.cpuprofile', bytes: CPU_HEAD }]);
  await page.waitForFunction(() => document.documentElement.dataset.compare === 'pair');
  await settled(page);
  const warning = page.locator('[data-testid=warning]').filter({ hasText: 'events' });
  await expect(warning).toContainText('microseconds');
  await expect(page.locator('[data-testid=total-change]')).toHaveCount(0);
  await expect(page.locator('[data-testid=mode]')).toHaveValue('proportional');
  await expect(page.locator('[data-testid=mode] option', { hasText: 'absolute' })).toBeDisabled();
  // The verdict names a function by its share but states no whole-run figure across units.
  await expect(page.getByTestId('verdict')).toContainText('whole run: no figure, the units differ');
  await page.screenshot({ path: 'test-results/trust-units.png' });
});

test.describe('4. pairs are assigned by name first', () => {
  test('head.folded and base.folded dropped together, equal times, head first', async ({ page }) => {
    await drop(page, 'body', [
      { name: 'head.folded', bytes: PERF_HEAD },
      { name: 'base.folded', bytes: PERF_BASE },
    ]);
    await settled(page);
    await expect(page.locator('[data-testid=file-base]')).toContainText('base.folded');
    await expect(page.locator('[data-testid=file-head]')).toContainText('head.folded');
    await expect(page.locator('[data-testid=pairing]')).toHaveAttribute('data-rule', 'name');
    await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', String(sum(PERF_HEAD) - sum(PERF_BASE)));
    // Swap is one click, and the figure follows.
    await page.locator('[data-testid=pairing] button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=file-base]')?.textContent?.includes('head.folded'));
    await settled(page);
    await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', String(sum(PERF_BASE) - sum(PERF_HEAD)));
  });

  test('no names to go by: the older file is base, and the notice says so', async ({ page }) => {
    await drop(page, 'body', [
      { name: 'x.folded', bytes: PERF_HEAD, lastModified: 2_000_000_000_000 },
      { name: 'y.folded', bytes: PERF_BASE, lastModified: 1_000_000_000_000 },
    ]);
    await settled(page);
    await expect(page.locator('[data-testid=file-base]')).toContainText('y.folded');
    await expect(page.locator('[data-testid=pairing]')).toHaveAttribute('data-rule', 'time');
  });

  test('a third file gets a message, never silence', async ({ page }) => {
    await drop(page, 'body', [
      { name: 'base.folded', bytes: PERF_BASE },
      { name: 'head.folded', bytes: PERF_HEAD },
      { name: 'notes.txt', bytes: Buffer.from('hello') },
    ]);
    await settled(page);
    await expect(page.getByRole('status')).toContainText('notes.txt');
  });

  test('the file picker takes two files at once', async ({ page }) => {
    await page.locator('[data-testid=drop-base] input[type=file]').setInputFiles([
      { name: 'after.folded', mimeType: 'text/plain', buffer: PERF_HEAD },
      { name: 'before.folded', mimeType: 'text/plain', buffer: PERF_BASE },
    ]);
    await settled(page);
    await expect(page.locator('[data-testid=file-base]')).toContainText('before.folded');
    await expect(page.locator('[data-testid=file-head]')).toContainText('after.folded');
  });
});

test('5. a 3-column file fills both sides; a new head then replaces its head column', async ({ page }) => {
  const threeColumn = Buffer.from('main;work 10 20\nmain;idle 5 5\n');
  await drop(page, '[data-testid=drop-base]', [{ name: 'diff.folded', bytes: threeColumn }]);
  await settled(page);
  await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', '10');
  await drop(page, '[data-testid=drop-head]', [{ name: 'other.folded', bytes: Buffer.from('main;work 40\n') }]);
  await page.waitForFunction(() => document.querySelector('[data-testid=file-head]')?.textContent?.includes('other.folded'));
  await settled(page);
  await expect(page.locator('[data-testid=head-total]')).toHaveAttribute('data-value', '40');
  await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', '25');
});

test('5. a worker is never replaced while a diff is in flight (idle work held, then run mid-diff)', async ({ page }) => {
  // The readers' recycling waits for the page to be idle, and the page is idle while a worker diffs.
  // Here idle callbacks are held, and run exactly when the diff asks head's worker for its profile.
  await page.addInitScript(() => {
    const w = window as unknown as { __idle: (() => void)[]; __armed: boolean; __ran: number };
    w.__idle = [];
    w.__armed = false;
    w.__ran = 0;
    window.requestIdleCallback = ((f: IdleRequestCallback) => w.__idle.push(() => f({ didTimeout: true, timeRemaining: () => 0 }))) as unknown as typeof requestIdleCallback;
    window.cancelIdleCallback = () => {};
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
      post.apply(this, args);
      const msg = args[0] as { type?: string; path?: string[] } | null;
      if (w.__armed && msg?.type === 'APPLY' && msg.path?.[0] === 'take') {
        w.__armed = false;
        for (const f of w.__idle.splice(0)) f();
        w.__ran++;
      }
    } as Worker['postMessage'];
  });
  await page.goto('/');
  await page.waitForFunction(() => document.documentElement.dataset.state === 'empty');
  await drop(page, 'body', [
    { name: 'base.folded', bytes: PERF_BASE },
    { name: 'head.folded', bytes: PERF_HEAD },
  ]);
  await settled(page);
  for (let round = 1; round <= 3; round++) {
    const head = Buffer.concat(Array.from({ length: round * 5 }, () => PERF_HEAD));
    await page.evaluate(() => ((window as unknown as { __armed: boolean }).__armed = true));
    await drop(page, '[data-testid=drop-head]', [{ name: `head-${round}.folded`, bytes: head }]);
    await page.waitForFunction((n) => (window as unknown as { __ran: number }).__ran === n, round);
    await settled(page);
    await expect(page.locator('[data-testid=file-head]')).toContainText(`head-${round}.folded`);
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe('ready');
    await expect(page.locator('[data-testid=head-total]')).toHaveAttribute('data-value', String(sum(head)));
  }
});

test('5. a file replaced while it loads: only the newest is shown', async ({ page }) => {
  const big = Buffer.concat(Array.from({ length: 40 }, () => PERF_HEAD));
  await drop(page, '[data-testid=drop-head]', [{ name: 'slow-head.folded', bytes: big }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.folded', bytes: PERF_HEAD }]);
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.folded', bytes: PERF_BASE }]);
  await page.waitForFunction(() => document.documentElement.dataset.compare === 'pair');
  await settled(page);
  await page.waitForTimeout(500);
  await expect(page.locator('[data-testid=file-head]')).toContainText('head.folded');
  await expect(page.locator('[data-testid=head-total]')).toHaveAttribute('data-value', String(sum(PERF_HEAD)));
});

test('6. a gzipped file names gzip and its real cause', async ({ page }) => {
  await drop(page, '[data-testid=drop-base]', [{ name: 'cut.cpuprofile.gz', bytes: gzipSync(CPU_HEAD.subarray(0, 5000)) }]);
  await settled(page);
  await expect(page.locator('[role=alert] [data-side=base]')).toContainText('cut.cpuprofile.gz');
  await expect(page.locator('[role=alert] [data-side=base]')).not.toContainText('empty');
});

test('5. a file dropped just after another event is picked is read with that event', async ({ page }) => {
  const cachesim = file('test/fixtures/callgrind-c-crc-cachesim.base.out');
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.callgrind.out', bytes: cachesim }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.callgrind.out', bytes: cachesim }]);
  await settled(page);
  const irTotal = Number(await page.locator('[data-testid=head-total]').getAttribute('data-value'));
  // Dr picked, and a new head dropped once the page has rendered the choice but before it has asked
  // for the loaded files to be read again (that waits for the next paint).
  await page.evaluate(async (b64) => {
    const select = document.querySelector<HTMLSelectElement>('[data-testid=event]')!;
    select.value = '1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'new-head.callgrind.out'));
    document.querySelector('[data-testid=drop-head]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, cachesim.toString('base64'));
  await page.waitForFunction(() => document.querySelector('[data-testid=file-head]')?.textContent?.includes('new-head'));
  await settled(page);
  await expect(page.locator('[data-testid=event]')).toHaveValue('1');
  await expect(page.locator('[data-testid=warning]')).toHaveCount(0);
  await expect(page.locator('[data-testid=head-total]')).toContainText('Dr');
  await expect(page.locator('[data-testid=total-change]')).toHaveAttribute('data-value', '0');
  expect(Number(await page.locator('[data-testid=head-total]').getAttribute('data-value'))).not.toBe(irTotal);
});

test('an event one side lacks never costs that side its profile; the event back reads both again', async ({ page }) => {
  // Base has Ir only, head (cache simulation) Ir, Dr and more.
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.callgrind.out', bytes: CG_BASE }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.callgrind.out', bytes: file('test/fixtures/callgrind-c-crc-cachesim.base.out') }]);
  await settled(page);
  const baseIr = await page.locator('[data-testid=base-total]').getAttribute('data-value');
  await page.locator('[data-testid=event]').selectOption({ label: 'Dr' });
  await settled(page);
  // Base keeps its Ir and says nothing false: the units are named as different, no change figure.
  await expect(page.locator('[role=alert] [data-side]')).toHaveCount(0);
  expect(await compare(page)).toBe('pair');
  await expect(page.locator('[data-testid=base-total]')).toHaveAttribute('data-value', baseIr!);
  await expect(page.locator('[data-testid=warning]')).toContainText('Ir');
  await expect(page.locator('[data-testid=warning]')).toContainText('Dr');
  await expect(page.locator('[data-testid=total-change]')).toHaveCount(0);
  await page.locator('[data-testid=event]').selectOption({ label: 'Ir' });
  await settled(page);
  await expect(page.locator('[data-testid=warning]')).toHaveCount(0);
  await expect(page.locator('[data-testid=base-total]')).toHaveAttribute('data-value', baseIr!);
  await expect(page.locator('[data-testid=total-change]')).toHaveCount(1);
});

test('a side that failed under an event it lacks is read again when another event is picked', async ({ page }) => {
  const cachesim = file('test/fixtures/callgrind-c-crc-cachesim.base.out');
  // An old link's event=1 (Dr): the Ir-only base cannot be read with it.
  await page.goto('/?event=1');
  await page.waitForFunction(() => document.documentElement.dataset.state === 'empty');
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.callgrind.out', bytes: CG_BASE }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.callgrind.out', bytes: cachesim }]);
  await settled(page);
  await expect(page.locator('[role=alert] [data-side=base]')).toContainText('there is no event #1');
  expect(await compare(page)).toBe('head-only');
  await page.locator('[data-testid=event]').selectOption({ label: 'Ir' });
  await settled(page);
  await expect(page.locator('[role=alert] [data-side]')).toHaveCount(0);
  expect(await compare(page)).toBe('pair');
  await expect(page.locator('[data-testid=total-change]')).toHaveCount(1);
});

test('callgrind base, perf head: the functions match by name; the graph, whose call paths never meet at the top, says so and offers to focus on main', async ({ page }) => {
  await drop(page, '[data-testid=drop-base]', [{ name: 'base.callgrind.out', bytes: CG_BASE }]);
  await drop(page, '[data-testid=drop-head]', [{ name: 'head.folded', bytes: PERF_HEAD }]);
  await page.waitForFunction(() => document.documentElement.dataset.compare === 'pair');
  await settled(page);
  // The table: crc32_update is one row with both sides, not a new and a removed one.
  const crc = page.locator('[data-testid=table-row][data-key="crc32_update"]');
  await expect(crc).toHaveCount(1);
  await expect(crc).not.toContainText('new');
  await expect(crc).toContainText('25,172,504');
  const warning = page.locator('[data-testid=warning]').filter({ hasText: 'share no call path' });
  await expect(warning).toBeVisible();
  await warning.getByTestId('warning-focus').click();
  await expect(page).toHaveURL(/tx=focus%3Amain/);
  await settled(page);
  await expect(warning).toHaveCount(0);
  // Under main the trees meet: crc32_update's frame is in both.
  await hoverFrame(page, 'crc32_update', { widest: true });
  await expect(page.getByTestId('hover-card')).toBeVisible();
  await expect(page.getByTestId('hover-card')).not.toContainText('new in head');
  // Shares of each run (the units differ): the card says it in the verdict's words, not "of the overall run".
  await expect(page.locator('.hc-summary')).toContainText('in its share of the run');
  await expect(page.getByTestId('verdict')).toContainText('in its share of the run');
  await page.screenshot({ path: 'test-results/trust-meeting-point.png' });
});
