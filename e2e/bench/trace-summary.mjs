// Where a page's time goes, from a Chromium trace taken with V8's sampling profiler
// on (`npm run bench -- --trace`): per thread of the tab's renderer, the hottest
// functions by self time (with their source module, read from the unminified
// build's `// path` module comments) and a timeline of what each thread ran.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const TRACE_CATEGORIES = [
  '-*',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing', // navigationStart
  'disabled-by-default-v8.cpu_profiler',
  'loading',
  'toplevel',
];

/** Source module of every line of a bundle (rolldown opens every module with a `// path` comment). */
export function moduleLines(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const out = [];
  let current = path.basename(file);
  for (const l of text.split('\n')) {
    const m = /^\/\/ ((?:src|workers|e2e|node_modules)\/\S+\.(?:m?js|tsx?))$/.exec(l);
    if (m) current = m[1].replace(/^node_modules\//, '');
    out.push(current);
  }
  return out;
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);

/**
 * `appDir`: the built app the trace ran (for module names); `pageUrl`: a prefix of the
 * page's URL, to find its renderer. Returns { threads, timeline, bucketMs }.
 */
export function summariseTrace(tracePath, { appDir, pageUrl, top = 12, bucketMs = 250 }) {
  const raw = JSON.parse(readFileSync(tracePath, 'utf8'));
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const nav = events.find((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').startsWith(pageUrl));
  if (!nav) throw new Error(`no navigation to ${pageUrl} in ${tracePath}`);
  const pid = nav.pid;
  const t0 = nav.ts;
  const threadName = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.pid === pid) threadName.set(e.tid, e.args.name);

  const files = new Map();
  const where = (cf) => {
    if (!cf.url) return '';
    const file = cf.url.replace(/[?#].*$/, '').replace(/^.*\//, '');
    if (!files.has(file)) files.set(file, appDir ? moduleLines(path.join(appDir, 'assets', file)) : null);
    return files.get(file)?.[cf.lineNumber] ?? file;
  };

  const profiles = new Map();
  for (const e of events) {
    if (e.pid !== pid || (e.name !== 'Profile' && e.name !== 'ProfileChunk')) continue;
    let p = profiles.get(e.id);
    if (!p) profiles.set(e.id, (p = { tid: e.tid, nodes: new Map(), samples: [], deltas: [], start: 0 }));
    const d = e.args?.data ?? {};
    if (e.name === 'Profile') p.start = d.startTime;
    for (const n of d.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    p.samples.push(...(d.cpuProfile?.samples ?? []));
    p.deltas.push(...(d.timeDeltas ?? []));
  }

  const threads = [];
  const timeline = new Map(); // bucket -> thread -> { busy, fn -> us }
  const names = new Map();
  for (const p of profiles.values()) {
    const thread = `${threadName.get(p.tid) ?? p.tid}`.replace('DedicatedWorker thread', 'worker').replace('CrRendererMain', 'main');
    const label = names.has(thread) ? `${thread} ${names.get(thread) + 1}` : thread;
    names.set(thread, (names.get(thread) ?? 0) + 1);
    const self = new Map();
    let busy = 0;
    let t = p.start;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      const cf = p.nodes.get(p.samples[i])?.callFrame ?? {};
      if (IDLE.has(cf.functionName)) continue;
      const us = Math.max(0, p.deltas[i + 1] ?? 0);
      const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`.trim();
      self.set(key, (self.get(key) ?? 0) + us);
      busy += us;
      const b = Math.floor((t - t0) / 1000 / bucketMs);
      if (!timeline.has(b)) timeline.set(b, new Map());
      const tb = timeline.get(b);
      if (!tb.has(label)) tb.set(label, { busy: 0, fns: new Map() });
      const x = tb.get(label);
      x.busy += us;
      x.fns.set(key, (x.fns.get(key) ?? 0) + us);
    }
    if (busy < 20_000) continue;
    threads.push({
      thread: label,
      busyMs: busy / 1000,
      hot: [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, us]) => ({ name, ms: us / 1000 })),
    });
  }
  threads.sort((a, b) => b.busyMs - a.busyMs);
  const rows = [...timeline.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, tb]) => ({
      atMs: b * bucketMs,
      threads: [...tb.entries()]
        .filter(([, x]) => x.busy >= 10_000)
        .map(([thread, x]) => ({ thread, busyMs: x.busy / 1000, top: [...x.fns.entries()].sort((a, c) => c[1] - a[1])[0][0] })),
    }))
    .filter((r) => r.threads.length);
  const requests = events
    .filter((e) => e.pid === pid && e.name === 'ResourceSendRequest')
    .map((e) => ({ atMs: (e.ts - t0) / 1000, url: e.args?.data?.url ?? '' }));
  return { threads, timeline: rows, bucketMs, requests };
}

export function formatTraceSummary(s) {
  const lines = [];
  for (const t of s.threads) {
    lines.push(`${t.thread}: ${Math.round(t.busyMs)} ms on the CPU; hottest by self time:`);
    for (const h of t.hot) lines.push(`  ${Math.round(h.ms).toString().padStart(6)} ms  ${h.name}`);
  }
  lines.push(`\nrequests (ms since the navigation started):`);
  for (const r of s.requests) lines.push(`  ${Math.round(r.atMs).toString().padStart(6)}  ${r.url.slice(0, 140)}`);
  lines.push(`\ntimeline (${s.bucketMs} ms steps; per thread: CPU ms, hottest function):`);
  for (const r of s.timeline) {
    lines.push(`  ${String(r.atMs).padStart(6)}  ${r.threads.map((t) => `${t.thread} ${Math.round(t.busyMs)}: ${t.top}`).join(' | ')}`);
  }
  return lines.join('\n');
}
