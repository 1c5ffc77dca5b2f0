// The renderer's figures: frame times of scripted zoom and pan, and hover latency, in
// headless Chromium over synthetic trees of 10k, 100k and 1M nodes and the real tsc
// cpuprofile pair. `npm run bench` runs it after the end-to-end part (`--only rendering`
// runs it alone); report.mjs prints it.
//
// Headless Chromium draws WebGL in software (SwiftShader, on the same two cores as
// everything else): absolute frame rates say little about a GPU machine, ratios between
// sizes within one run are what count.
//
// Per case, one browser and one page stay open for the whole phase; the rounds go
// round-robin over the cases so that the machine's noise falls on every size alike.
// Per page:
// 1. the densest view: rectangles drawn at the whole tree and at 2×–16× zoom around
//    three points (and scrolled down, for deep trees); the view with the most is "the spot";
// 2. zoom: 60 ctrl+wheel steps, 30 in then 30 out (×0.905 of the span each), at the spot;
// 3. pan: a drag of 60 moves back and forth (±300 px across, ±40 px down), at the spot's
//    zoom (at least 2×, where there is something to pan to);
// 4. still: the spot redrawn every frame without moving (ctrl+wheel of 0), which shows
//    what drawing its rectangles costs apart from layout;
// 5. hover: mousemoves to random points, each timed from its dispatch to the hover
//    card's content changing.
// The headline frame times pool zoom and pan.
// One event per animation frame, dispatched from inside requestAnimationFrame (see
// render-page.mjs). A frame's time is the gap between its rAF timestamp and the next;
// only frames in which the graph was drawn count (the gesture's re-layouts every 50 ms
// and its settling one included). The app's own `__flamediffRender.ms` (layout, buffer
// upload, draw submission on the main thread) is kept per draw.
import { chromium } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS } from './browser-bench.mjs';
import { syntheticFolded } from './render-inputs.mjs';
import { mulberry32 } from '../../test/prng.mjs';
import { graphInfo, installRecorder, measureHover, playGesture, setView } from './render-page.mjs';
import { serve } from './serve.mjs';

/** The rendering phase's own ports (the rest of the benchmark uses 4390 and 4391). */
const PORT_BASE = Number(process.env.FLAMEDIFF_BENCH_PORT ?? 4390);
export const RENDER_PORTS = { app: PORT_BASE + 2, files: PORT_BASE + 3 };
export const RENDER_GOALS = {
  frameRatio: 1.5, // 1M-node frame time / 10k-node frame time (median and p95)
  hoverMs: 16, // hover card updated within a frame (p95)
};
const SYNTHETIC = [
  { id: 'synthetic-10k', label: '10k', nodes: 10_000 },
  { id: 'synthetic-100k', label: '100k', nodes: 100_000 },
  { id: 'synthetic-1M', label: '1M', nodes: 1_000_000 },
];
const TSC = { id: 'tsc-cpuprofile', base: 'pairs/tsc-rxjs-cpuprofile/base.cpuprofile', head: 'pairs/tsc-rxjs-cpuprofile/head.cpuprofile' };
const VIEWPORT = { width: 1280, height: 800 };
const ZOOM_STEP_DELTA = 10; // ctrl+wheel deltaY: the span × exp(±0.1) per step
const GESTURE_STEPS = 60;
const HOVER_MOVES = 100;
const LOAD_TIMEOUT_MS = 300_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const zoomSteps = () => Array.from({ length: GESTURE_STEPS }, (_, k) => ({ type: 'zoom', deltaY: k < GESTURE_STEPS / 2 ? -ZOOM_STEP_DELTA : ZOOM_STEP_DELTA }));
const stillSteps = () => Array.from({ length: GESTURE_STEPS }, () => ({ type: 'zoom', deltaY: 0 }));
const panSteps = () => [
  { type: 'down', dx: 0, dy: 0 },
  ...Array.from({ length: GESTURE_STEPS }, (_, k) => {
    const a = (2 * Math.PI * (k + 1)) / GESTURE_STEPS;
    return { type: 'move', dx: Math.round(300 * Math.sin(a)), dy: Math.round(40 * Math.sin(2 * a)) };
  }),
  { type: 'up', dx: 0, dy: 0 },
];

/** The view with the most rectangles: whole tree, 2×–16× around three points, scrolled down. */
async function findSpot(page) {
  const info = await page.evaluate(graphInfo);
  const probes = [];
  const probe = async (v) => {
    const r = await page.evaluate(setView, v);
    probes.push({ ...v, scrollTop: r.scrollTop, rects: r.rects, labels: r.labels });
    return r;
  };
  await probe({ zoom: 0, anchor: 0.5, scrollTop: 0 });
  for (const zoom of [1, 2, 3, 4]) for (const anchor of [0.25, 0.5, 0.75]) await probe({ zoom, anchor, scrollTop: 0 });
  // Deep trees: half a graph and a whole graph down.
  for (const k of [1, 2]) {
    const r = await probe({ zoom: 0, anchor: 0.5, scrollTop: Math.round(k * info.height * 0.5) });
    if (r.scrollTop < k * info.height * 0.5) break; // the tree ends there
  }
  const best = probes.reduce((b, p) => (p.rects > b.rects ? p : b));
  // Zoom around the point where zooming in keeps the most (when the whole tree is densest).
  const anchor = best.zoom > 0 ? best.anchor : probes.filter((p) => p.zoom === 1).reduce((b, p) => (p.rects > b.rects ? p : b)).anchor;
  return { spot: { zoom: best.zoom, anchor, scrollTop: best.scrollTop, rects: best.rects }, probes, graph: info };
}

/**
 * Measures one round on a Flamediff page in the ready state: frames of a zoom and a pan
 * gesture and of the densest view redrawn in place, and hover latency; raw figures,
 * summarised by summariseRendering.
 * `spot` (from the first round) skips the search for the densest view.
 *
 * Also called by browser-bench.mjs on every end-to-end page, without options: those
 * runs time the share link and memory, and the rendering phase measures pages of its
 * own, so there it returns null.
 */
export async function measureRendering(page, opts) {
  if (!opts) return null;
  await page.evaluate(installRecorder);
  const found = opts.spot ? null : await findSpot(page);
  const spot = opts.spot ?? found.spot;
  const out = { spot, probes: found?.probes ?? null, graph: found?.graph ?? null, gestures: {} };

  await page.evaluate(setView, spot);
  out.gestures.zoom = { view: spot, ...(await page.evaluate(playGesture, { steps: zoomSteps(), anchor: spot.anchor })) };

  const panView = { ...spot, zoom: Math.max(1, spot.zoom) };
  const settled = await page.evaluate(setView, panView);
  out.gestures.pan = { view: { ...panView, rects: settled.rects }, ...(await page.evaluate(playGesture, { steps: panSteps(), anchor: spot.anchor })) };

  // The same view redrawn every frame (ctrl+wheel of 0: no movement, the gesture's usual
  // draws): the frame time of the spot's rectangles alone, without the zoom changing them.
  await page.evaluate(setView, spot);
  out.gestures.still = { view: spot, ...(await page.evaluate(playGesture, { steps: stillSteps(), anchor: spot.anchor })) };

  await page.evaluate(setView, spot);
  const rand = mulberry32(1000 + (opts.round ?? 0));
  out.hover = await page.evaluate(measureHover, { moves: HOVER_MOVES, randoms: Array.from({ length: HOVER_MOVES * 6 * 2 }, rand), maxAttempts: HOVER_MOVES * 6 });
  return out;
}

async function openCase(exe, url, problems) {
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message.slice(0, 300)}`));
  page.on('crash', () => problems.push('the tab crashed'));
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.state), null, { timeout: LOAD_TIMEOUT_MS, polling: 200 });
  const state = await page.evaluate(() => document.documentElement.dataset.state);
  if (state !== 'ready') {
    const alert = await page.locator('[role=alert]').first().innerText({ timeout: 2000 }).catch(() => 'error state');
    throw new Error(alert);
  }
  const readyMs = Date.now() - started;
  // Frames are timed on the final backend (the first frame may be Canvas 2D while WebGL starts).
  await page.waitForFunction(() => document.documentElement.dataset.renderer !== 'settling', null, { timeout: LOAD_TIMEOUT_MS, polling: 200 });
  // Let the rest of the page (the function table) settle before timing frames.
  await sleep(1500);
  return { browser, page, readyMs, version: browser.version() };
}

/** Tree nodes of the diff the app draws, with the worker's own code (the Node bundle), if built. */
async function diffNodes(bundle, base, head) {
  if (!bundle || !existsSync(bundle)) return null;
  const code = await import(pathToFileURL(bundle).href);
  const parse = (file) => code.parseCpuprofile(code.chunksOf(new Uint8Array(readFileSync(file)), 1 << 16), path.basename(file));
  const b = await parse(base);
  const h = await parse(head);
  return code.diffProfiles(b, h).tree.parent.length;
}

/**
 * The whole phase: inputs, servers, one browser per case, `rounds` rounds.
 * opts: { executablePath, appDir, outDir, large, rounds, bundle, log, ids (only these cases) }
 */
export async function runRendering({ executablePath, appDir, outDir, large, rounds = 3, bundle = null, log = () => {}, ids = null }) {
  const inputs = path.join(outDir, 'render-inputs');
  const list = SYNTHETIC.filter((s) => !ids || ids.includes(s.id)).map((s) => ({ ...s, ...syntheticFolded(inputs, s.label, s.nodes, log), title: `synthetic random tree, ${s.label} nodes (one profile)` }));
  const tscBase = large && path.join(large, TSC.base);
  const tscHead = large && path.join(large, TSC.head);
  if ((!ids || ids.includes(TSC.id)) && tscBase && existsSync(tscBase) && existsSync(tscHead)) {
    list.push({ id: TSC.id, title: 'tsc cpuprofile pair (diff)', base: tscBase, head: tscHead, nodes: await diffNodes(bundle, tscBase, tscHead).catch(() => null) });
  }
  const app = await serve(RENDER_PORTS.app, { '/': appDir });
  const files = await serve(RENDER_PORTS.files, { '/render/': inputs, ...(large ? { '/large/': large } : {}) });
  const fileUrl = (p) =>
    p.startsWith(inputs + path.sep)
      ? `http://127.0.0.1:${RENDER_PORTS.files}/render/${encodeURIComponent(path.basename(p))}`
      : `http://127.0.0.1:${RENDER_PORTS.files}/large/${path.relative(large, p).split(path.sep).map(encodeURIComponent).join('/')}`;
  const open = [];
  const started = Date.now();
  const result = { rounds, viewport: VIEWPORT, date: new Date().toISOString(), loadBefore: os.loadavg(), ports: RENDER_PORTS, cases: [] };
  try {
    for (const c of list) {
      const url = `http://127.0.0.1:${RENDER_PORTS.app}/?base=${encodeURIComponent(fileUrl(c.file ?? c.base))}` + (c.head ? `&head=${encodeURIComponent(fileUrl(c.head))}` : '');
      const r = { id: c.id, title: c.title, nodes: c.nodes, url, problems: [], runs: [], error: null };
      result.cases.push(r);
      log(`rendering: loading ${c.id}`);
      try {
        const o = await openCase(executablePath, url, r.problems);
        open.push({ r, ...o });
        r.readyMs = o.readyMs;
        result.chromium = `Chromium ${o.version}`;
        log(`  ready in ${(o.readyMs / 1000).toFixed(1)} s`);
      } catch (e) {
        r.error = String(e?.message ?? e).split('\n')[0];
        log(`  failed: ${r.error}`);
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const o of open) {
        log(`rendering: round ${round + 1}/${rounds}: ${o.r.id}`);
        try {
          const m = await measureRendering(o.page, { round, spot: o.r.runs[0]?.spot });
          o.r.runs.push(m);
          const s = summariseRun(m);
          log(`  frames ${fmt(s.frames.median)} / ${fmt(s.frames.p95)} ms (median / p95), ${s.rects.median} rects, hover ${fmt(s.hover.median)} / ${fmt(s.hover.p95)} ms`);
        } catch (e) {
          o.r.error = String(e?.message ?? e).split('\n')[0];
          log(`  failed: ${o.r.error}`);
        }
      }
    }
  } finally {
    for (const o of open) await o.browser.close().catch(() => {});
    app.close();
    files.close();
  }
  result.loadAfter = os.loadavg();
  result.minutes = (Date.now() - started) / 60_000;
  return summariseRendering(result);
}

const fmt = (x) => (x == null ? '–' : x.toFixed(1));

/** Nearest-rank percentile of the values (null when there are none). */
export function percentile(xs, p) {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const stats = (xs) => ({ n: xs.length, mean: mean(xs), median: percentile(xs, 50), p95: percentile(xs, 95), max: xs.length ? Math.max(...xs) : null });

/**
 * A gesture's frames: the gap from each rAF timestamp to the next, for the frames in
 * which the graph was drawn; and its draws, split into re-layouts (the only draws that
 * place labels) and moves by transform (labels 0).
 */
function gestureFigures(g) {
  const frames = [];
  const drawsPerFrame = [];
  for (let k = 0; k + 1 < g.frames.length; k++) {
    const a = g.frames[k];
    const b = g.frames[k + 1];
    const draws = g.draws.filter((d) => d.t >= a && d.t < b).length;
    if (draws) {
      frames.push(b - a);
      drawsPerFrame.push(draws);
    }
  }
  const relayouts = g.draws.filter((d) => d.labels > 0);
  const moves = g.draws.filter((d) => d.labels === 0);
  return {
    frames,
    drawsPerFrame,
    rects: g.draws.map((d) => d.rects),
    relayoutMs: relayouts.map((d) => d.ms),
    moveMs: moves.map((d) => d.ms),
    drawMs: g.draws.map((d) => d.ms),
  };
}

/** The gestures the headline frame times pool ("still" is apart: it says what the rectangles alone cost). */
const MOVING = ['zoom', 'pan'];

function summariseRun(m) {
  const parts = MOVING.map((g) => gestureFigures(m.gestures[g]));
  const all = (k) => parts.flatMap((p) => p[k]);
  return { frames: stats(all('frames')), rects: stats(all('rects')), hover: stats(m.hover.latencies) };
}

/** Pools every round's frames (and hovers) per case and gesture; the ratios against the 10k tree. */
export function summariseRendering(result) {
  for (const c of result.cases) {
    if (!c.runs.length) continue;
    const byGesture = {};
    for (const name of Object.keys(c.runs[0].gestures)) {
      const figs = c.runs.map((m) => gestureFigures(m.gestures[name]));
      const pool = (k) => figs.flatMap((f) => f[k]);
      byGesture[name] = {
        view: c.runs[0].gestures[name].view,
        frames: stats(pool('frames')),
        drawsPerFrame: mean(pool('drawsPerFrame')),
        rects: stats(pool('rects')),
        relayoutMs: stats(pool('relayoutMs')),
        moveMs: stats(pool('moveMs')),
        drawMs: stats(pool('drawMs')),
      };
    }
    const figs = c.runs.flatMap((m) => MOVING.map((g) => gestureFigures(m.gestures[g])));
    const pool = (k) => figs.flatMap((f) => f[k]);
    const hovers = c.runs.flatMap((m) => m.hover.latencies);
    c.summary = {
      spot: c.runs[0].spot,
      maxRects: Math.max(...c.runs[0].probes.map((p) => p.rects)),
      probes: c.runs[0].probes,
      graph: c.runs[0].graph,
      gestures: byGesture,
      frames: stats(pool('frames')),
      drawsPerFrame: mean(pool('drawsPerFrame')),
      rects: stats(pool('rects')),
      relayoutMs: stats(pool('relayoutMs')),
      moveMs: stats(pool('moveMs')),
      drawMs: stats(pool('drawMs')),
      hover: {
        ...stats(hovers),
        unchanged: c.runs.reduce((n, m) => n + m.hover.unchanged, 0),
        empty: c.runs.reduce((n, m) => n + m.hover.empty, 0),
        distinctNames: Math.max(...c.runs.map((m) => m.hover.distinctNames)),
      },
    };
  }
  const small = result.cases.find((c) => c.id === 'synthetic-10k')?.summary;
  const large = result.cases.find((c) => c.id === 'synthetic-1M')?.summary;
  result.goals = {
    targets: RENDER_GOALS,
    frameRatioMedian: small && large ? large.frames.median / small.frames.median : null,
    frameRatioP95: small && large ? large.frames.p95 / small.frames.p95 : null,
    // Frames come in whole vsync intervals (16.7 ms): a median moves by steps, the mean does not.
    frameRatioMean: small && large ? large.frames.mean / small.frames.mean : null,
    relayoutRatioMedian: small && large ? large.relayoutMs.median / small.relayoutMs.median : null,
    hoverP95At1M: large?.hover.p95 ?? null,
    hoverP95Worst: Math.max(...result.cases.filter((c) => c.summary).map((c) => c.summary.hover.p95 ?? 0)),
  };
  return result;
}
