// End to end in headless Chromium: Flamediff's share link to its first drawn diff
// frame, against speedscope importing and drawing the head profile alone. Every run
// gets a fresh browser, so each renderer's peak memory is that run's own.
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { measureRendering } from './rendering.mjs';
import { TRACE_CATEGORIES } from './trace-summary.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const VIEWPORT = { width: 1280, height: 800 };
/** Speedscope has drawn when its WebGL draw calls have stopped for this long (it redraws while it settles). */
export const QUIET_MS = 500;
const POLL_MS = 100;

/**
 * Runs in every page before its own scripts: timestamps (performance.now(), i.e. ms
 * since the navigation started) of Flamediff's data-state, of speedscope's
 * document.title, and of every WebGL draw call.
 */
const INSTRUMENT = `(() => {
  const b = (window.__bench = { draws: 0, firstDraw: null, lastDraw: null, titleAt: null, title: null, state: null, stateAt: null, errors: [] });
  const wrap = (proto, names) => {
    if (!proto) return;
    for (const n of names) {
      const f = proto[n];
      if (typeof f !== 'function') continue;
      proto[n] = function (...args) {
        const t = performance.now();
        b.draws++;
        if (b.firstDraw === null) b.firstDraw = t;
        b.lastDraw = t;
        return f.apply(this, args);
      };
    }
  };
  wrap(self.WebGLRenderingContext && WebGLRenderingContext.prototype, ['drawArrays', 'drawElements']);
  wrap(self.WebGL2RenderingContext && WebGL2RenderingContext.prototype,
    ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements']);
  wrap(self.ANGLEInstancedArrays && ANGLEInstancedArrays.prototype, ['drawArraysInstancedANGLE', 'drawElementsInstancedANGLE']);
  const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(Document.prototype, 'title', {
    configurable: true,
    enumerable: title.enumerable,
    get() { return title.get.call(this); },
    set(v) {
      title.set.call(this, v);
      if (b.titleAt === null && / - speedscope$/.test(String(v))) { b.titleAt = performance.now(); b.title = String(v); }
    },
  });
  b.states = [];
  new MutationObserver(() => {
    const s = document.documentElement && document.documentElement.dataset.state;
    if (s && (!b.states.length || b.states[b.states.length - 1].state !== s)) b.states.push({ state: s, at: performance.now() });
    if (b.stateAt === null && (s === 'ready' || s === 'error')) { b.stateAt = performance.now(); b.state = s; }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  // Start-up: when both drop zones (with their file inputs) are in the page, and when the main thread
  // next runs a task after data-state=empty (an input event could be handled then); long tasks throughout.
  b.zonesAt = null; b.emptyAt = null; b.emptyTaskAt = null; b.longTasks = [];
  const zones = () => document.querySelector('[data-testid=drop-base] input[type=file]:not([disabled])') && document.querySelector('[data-testid=drop-head] input[type=file]:not([disabled])');
  const zonesObserver = new MutationObserver(() => {
    if (b.zonesAt === null && zones()) { b.zonesAt = performance.now(); zonesObserver.disconnect(); }
  });
  zonesObserver.observe(document, { subtree: true, childList: true });
  new MutationObserver(() => {
    if (b.emptyAt === null && document.documentElement.dataset.state === 'empty') {
      b.emptyAt = performance.now();
      if (b.zonesAt === null && zones()) b.zonesAt = b.emptyAt;
      setTimeout(() => { b.emptyTaskAt = performance.now(); }, 0);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longTasks.push({ at: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  addEventListener('error', (e) => b.errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => b.errors.push(String(e.reason && e.reason.message || e.reason)));
})();`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A `/proc/PID/status` field in bytes (the kernel writes kB). */
function statusBytes(status, field) {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
}

/** The processes under `root` (Chromium's zygote forks the renderers), with their type and memory from /proc. */
export function chromiumProcesses(root) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    try {
      // Chromium rewrites its children's command lines into one space-separated string.
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const type = (cmd.find((a) => a.startsWith('--type=')) ?? '').slice(7) || (/chrom/.test(cmd[0]) ? 'browser' : 'other');
      // Chromium's own UI pages (headless still starts one) are not the tab.
      const ui = cmd.includes('--top-chrome-webui') || cmd.includes('--extension-process');
      out.push({ pid, type: ui ? `${type} (ui)` : type, hwm: statusBytes(status, 'VmHWM'), rss: statusBytes(status, 'VmRSS') });
    } catch {
      // Gone.
    }
  }
  return out;
}

/**
 * The tab's renderer process runs its dedicated workers too; it is the largest
 * renderer (the others are an idle spare, or none). Two figures for it:
 * - rendererPeak: VmHWM, the kernel's peak of resident memory, the largest seen
 *   sampling it every SAMPLE_MS (Chromium resets it while a page runs: a reading at
 *   the end alone misses the parse's peak). It includes the pages of Chromium's own
 *   code and data shared with its zygote (an about:blank tab is already ~120 MB).
 * - rendererAnonPeak: the largest RssAnon (private memory: heaps, array buffers)
 *   seen by sampling /proc every SAMPLE_MS; a spike shorter than that can be missed.
 * The GPU process is reported apart and added to the renderer (tabPeak: each process's own
 * peak, summed; they need not peak at once). The browser process is reported apart (Blob bytes live there).
 */
const SAMPLE_MS = 50;

class MemorySampler {
  constructor(root) {
    this.root = root;
    this.anonPeak = new Map();
    this.hwmPeak = new Map();
    this.pids = [];
    this.lastScan = 0;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample() {
    if (Date.now() - this.lastScan > 1000) {
      this.pids = chromiumProcesses(this.root)
        .filter((p) => p.type === 'renderer' || p.type === 'gpu-process')
        .map((p) => p.pid);
      this.lastScan = Date.now();
    }
    for (const pid of this.pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const anon = statusBytes(status, 'RssAnon');
        const hwm = statusBytes(status, 'VmHWM');
        if (anon > (this.anonPeak.get(pid) ?? 0)) this.anonPeak.set(pid, anon);
        if (hwm > (this.hwmPeak.get(pid) ?? 0)) this.hwmPeak.set(pid, hwm);
      } catch {
        // Gone.
      }
    }
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    const procs = chromiumProcesses(this.root);
    const peak = (p) => (p ? Math.max(p.hwm, this.hwmPeak.get(p.pid) ?? 0) : null);
    const renderers = procs.filter((p) => p.type === 'renderer').sort((a, b) => peak(b) - peak(a));
    const tab = renderers[0];
    const gpu = procs.find((p) => p.type === 'gpu-process');
    return {
      rendererPeak: peak(tab),
      rendererAnonPeak: tab ? (this.anonPeak.get(tab.pid) ?? null) : null,
      renderers: renderers.length,
      browserPeak: procs.find((p) => p.type === 'browser')?.hwm ?? null,
      // The GPU process holds WebGL's buffers and textures (SwiftShader: in its own memory), and canvases' backing stores.
      gpuPeak: peak(gpu),
      gpuAnonPeak: gpu ? (this.anonPeak.get(gpu.pid) ?? null) : null,
      // "The tab's memory" of issue 13: the renderer plus the GPU process.
      tabPeak: tab ? peak(tab) + (peak(gpu) ?? 0) : null,
    };
  }
}

async function withBrowser(executablePath, fn) {
  const server = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    const problems = [];
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('crash', () => problems.push('the tab crashed'));
    page.on('console', (m) => {
      // A missing favicon or manifest is not the run's problem.
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text().slice(0, 300)}`);
    });
    const sampler = new MemorySampler(server.process().pid);
    try {
      return await fn(page, () => sampler.stop(), problems, browser.version(), browser);
    } finally {
      sampler.stop();
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

async function benchState(page) {
  try {
    return await page.evaluate(() => ({ ...window.__bench, now: performance.now() }));
  } catch {
    return null; // navigating, or crashed
  }
}

/** Flamediff: the share link, until <html data-state> is ready (first diff frame drawn) or error. */
export async function runFlamediff({ executablePath, url, timeoutMs }) {
  return withBrowser(executablePath, async (page, memoryOf, problems, version) => {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    let b = null;
    while (Date.now() - started < timeoutMs) {
      b = await benchState(page);
      if (b?.stateAt != null || problems.includes('the tab crashed')) break;
      await sleep(POLL_MS);
    }
    // The time is the first frame's; the memory includes the WebGL drawer that may follow it (data-renderer=settling).
    let settledAt = null;
    if (b?.state === 'ready') {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const r = await page.evaluate(() => [document.documentElement.dataset.renderer ?? null, performance.now()]).catch(() => null);
        if (!r || r[0] !== 'settling') {
          settledAt = r?.[1] ?? null;
          break;
        }
        await sleep(POLL_MS);
      }
      await sleep(300);
    }
    const memory = memoryOf();
    const ok = b?.state === 'ready';
    let error = null;
    if (!ok) {
      error = b?.state === 'error' ? await page.locator('[role=alert]').first().innerText({ timeout: 2000 }).catch(() => 'error state') : 'timed out';
      if (problems.length) error += ` (${problems.join('; ')})`;
    }
    const timings = await page.evaluate(() => window.__flamediffTimings ?? null).catch(() => null);
    const rendering = ok ? await measureRendering(page) : null;
    const loadingAt = b?.states?.find((x) => x.state === 'loading')?.at ?? null;
    return { ok, ms: ok ? b.stateAt : null, settledAt, loadingAt, states: b?.states ?? [], error, timings, draws: b?.draws ?? 0, memory, rendering, chromium: version, wallMs: Date.now() - started };
  });
}

/** Speedscope, `index.html#profileURL=…`: import done when it sets document.title; drawn when its draw calls stop. */
export async function runSpeedscope({ executablePath, url, timeoutMs }) {
  return withBrowser(executablePath, async (page, memoryOf, problems, version) => {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    let b = null;
    let drawn = false;
    while (Date.now() - started < timeoutMs) {
      b = await benchState(page);
      if (problems.some((p) => p.startsWith('dialog') || p === 'the tab crashed')) break;
      if (b?.titleAt != null) {
        const last = Math.max(b.titleAt, b.lastDraw ?? 0);
        if (b.lastDraw != null && b.lastDraw > b.titleAt && b.now - last >= QUIET_MS) {
          drawn = true;
          break;
        }
        // No draw call at all after the import (should not happen): give up waiting after 10 s.
        if (b.now - last >= 10_000) break;
      }
      await sleep(POLL_MS);
    }
    const memory = memoryOf();
    const ok = drawn;
    const error = ok ? null : problems.length ? problems.join('; ') : b?.titleAt != null ? 'imported but drew nothing' : 'timed out';
    return {
      ok,
      importMs: b?.titleAt ?? null,
      ms: ok ? b.lastDraw : null,
      title: b?.title ?? null,
      error,
      draws: b?.draws ?? 0,
      memory,
      chromium: version,
      wallMs: Date.now() - started,
    };
  });
}

/**
 * Start-up: the built app with no profile, until <html data-state=empty> with both drop zones in the
 * page; then `settleMs` more, to see the long tasks that follow (while one runs, a drop waits).
 */
export async function runStartup({ executablePath, url, timeoutMs = 30_000, settleMs = 2000 }) {
  return withBrowser(executablePath, async (page, memoryOf, problems, version) => {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    let b = null;
    while (Date.now() - started < timeoutMs) {
      b = await benchState(page);
      if (b?.emptyAt != null && b.zonesAt != null && b.emptyTaskAt != null) break;
      await sleep(20);
    }
    await sleep(settleMs);
    b = (await benchState(page)) ?? b;
    const memory = memoryOf();
    const ok = b?.emptyAt != null && b.zonesAt != null;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { responseEnd: n?.responseEnd ?? null, domContentLoaded: n?.domContentLoadedEventEnd ?? null, load: n?.loadEventEnd ?? null, fcp: fcp?.startTime ?? null };
    }).catch(() => null);
    return {
      ok,
      ms: ok ? Math.max(b.emptyAt, b.zonesAt) : null,
      emptyAt: b?.emptyAt ?? null,
      zonesAt: b?.zonesAt ?? null,
      taskAfterEmptyAt: b?.emptyTaskAt ?? null,
      longTasks: b?.longTasks ?? [],
      nav,
      error: ok ? null : problems.length ? problems.join('; ') : 'no empty state with drop zones',
      memory,
      chromium: version,
    };
  });
}

/** An app's page with no profile: the renderer's memory before any input. */
export async function runEmpty({ executablePath, url, settleMs = 2000 }) {
  return withBrowser(executablePath, async (page, memoryOf, _problems, version) => {
    await page.goto(url, { waitUntil: 'load' });
    await sleep(settleMs);
    return { memory: memoryOf(), chromium: version };
  });
}

/** One Flamediff run under Chromium's tracing with V8's sampling profiler on, into `tracePath`. */
export async function runTraced({ executablePath, url, timeoutMs, tracePath }) {
  return withBrowser(executablePath, async (page, memoryOf, problems, version, browser) => {
    await browser.startTracing(page, { path: tracePath, categories: TRACE_CATEGORIES });
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    let b = null;
    while (Date.now() - started < timeoutMs) {
      b = await benchState(page);
      if (b?.stateAt != null) break;
      await sleep(POLL_MS);
    }
    await browser.stopTracing();
    memoryOf();
    return { ok: b?.state === 'ready', ms: b?.stateAt ?? null, states: b?.states ?? [], problems, chromium: version };
  });
}
