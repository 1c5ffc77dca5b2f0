// Tables for the console and BENCHMARKS.md from bench-out/bench-results.json's shape.
// Sizes and rates are decimal: 1 MB = 10^6 bytes, MB/s = 10^6 bytes per second.
import { QUIET_MS } from './browser-bench.mjs';

/** Issue 13's goals. "Tab memory" is the renderer plus the GPU process. */
export const GOALS = {
  e2eRatio: 0.5, // share link -> first diff frame of each large pair, vs speedscope drawing the head file alone
  e2eFormats: ['cpuprofile', 'folded', 'callgrind'],
  tabPeakOverSpeedscope: 1, // tab peak for the pair / speedscope's tab peak for one file
  startupMs: 300, // navigation -> data-state=empty with the drop zones usable (built app)
  smallPairMs: 500, // c-crc-perf pair by share link -> first diff frame
  memoryOverInputs: 3, // tab peak above about:blank / bytes of both inputs
  memoryCases: ['cpuprofile', 'folded'],
  callgrindShareOfScan: 0.5, // callgrind parse rate / byte-scan rate
  callgrindCases: ['callgrind', 'callgrind-sep'],
  cpuprofileOverJson: 1.0, // cpuprofile parse time / TextDecoder + JSON.parse time
  foldedShareOfScan: 0.5, // folded parse rate / byte-scan rate
  pprofShareOfScan: null, // issue 14 asks for the figure (MB/s vs a byte scan), with no target
  reportOverWorker: 1.3, // issue 17: `flamediff report BASE HEAD` (the command, wall time) / the app's worker parse + diff of the same files
  reportCases: ['cpuprofile', 'folded', 'callgrind'],
};

/** about:blank's renderer + GPU process: what a tab costs before any page. */
const blankTab = (baselines) => {
  const m = baselines?.blank?.memory;
  return m ? (m.tabPeak ?? (m.rendererPeak ?? 0) + (m.gpuPeak ?? 0)) : 0;
};

const mb = (b) => (b == null ? '–' : (b / 1e6).toFixed(b >= 100e6 ? 0 : 1));
const ms = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const rate = (bytes, t) => (t ? Math.round(bytes / 1e3 / t).toLocaleString('en-US') : '–');
const x2 = (r) => (r == null || !isFinite(r) ? '–' : `${r.toFixed(2)}×`);
const pct = (r) => (r == null ? '–' : `${Math.round(r * 100)} %`);
/** One line for a table cell. */
const clean = (s) => String(s).replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
const runsList = (xs) => xs.map((v) => (v == null ? 'fail' : Math.round(v))).join(', ');

function table(headers, rows, align) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '–')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r) => '| ' + r.map((c, i) => (align?.[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (align?.[i] === 'r' ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

function parserTable(rows) {
  const out = [];
  const notes = [];
  for (const r of rows) {
    if (!r.node) continue;
    if (r.node.error) {
      out.push([r.id, r.format, mb(r.bytes), `failed: ${clean(r.node.error).slice(0, 120)}`, '', '', '', '', '']);
      continue;
    }
    for (const f of r.node.files) {
      const limit = r.format === 'cpuprofile' ? 'TextDecoder + JSON.parse' : 'byte scan';
      const vs = r.format === 'cpuprofile' ? x2(f.parseMedianMs / f.limitMedianMs) + ' the time' : pct(f.limitMedianMs / f.parseMedianMs) + ' of the rate';
      const app = f.app?.ok ? 'yes' : f.app ? `NO: ${clean(f.app.message ?? '').slice(0, 60)}…` : '–';
      out.push([`${r.id}: ${f.label}`, r.format, mb(f.bytes), rate(f.bytes, f.parseMedianMs), limit, rate(f.bytes, f.limitMedianMs), vs, runsList(f.parseMs), app]);
      if (f.parseOnlyMedianMs != null) notes.push(`${f.label}: JSON.parse alone (text already decoded) ${rate(f.bytes, f.parseOnlyMedianMs)} MB/s`);
    }
  }
  return (
    table(['input', 'format', 'MB', 'parser MB/s', 'limit', 'limit MB/s', 'parser vs limit', 'parser runs, ms', 'app entry reads it'], out, [, , 'r', 'r', , 'r', 'r']) +
    (notes.length ? '\n\n' + notes.map((n) => `- ${n}`).join('\n') : '')
  );
}

function nodeMemoryTable(rows) {
  const out = [];
  for (const r of rows) {
    const n = r.node;
    if (!n || n.error) continue;
    const work = n.memory.peakRss - n.memory.loaded.rss;
    out.push([
      r.id,
      mb(n.inputBytes),
      `${n.nodes.map((x) => x.toLocaleString('en-US')).join(' / ')} → ${n.diffNodes?.toLocaleString('en-US') ?? '–'}`,
      ms(n.diffMedianMs),
      mb(n.memory.peakRss),
      x2(n.memory.peakRss / n.inputBytes),
      mb(work),
      x2(work / n.inputBytes),
    ]);
  }
  return table(
    ['case', 'input MB', 'tree nodes base / head → diff', 'diff ms', 'peak RSS MB', '÷ input', 'peak − RSS with input read, MB', '÷ input'],
    out,
    [, 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function e2eTimeTable(rows) {
  const out = [];
  for (const r of rows) {
    const e = r.e2e;
    if (!e) continue;
    const fd = e.flamediffMs != null ? `${ms(e.flamediffMs)} (${runsList(e.flamediffRuns)})` : `fails: ${clean(e.flamediffErrors.join('; ')).slice(0, 110)}…`;
    const ss = e.speedscopeMs != null ? `${ms(e.speedscopeMs)} (${runsList(e.speedscopeRuns)})` : `fails: ${clean(e.speedscopeErrors.join('; ')).slice(0, 110)}…`;
    out.push([
      r.id,
      mb(r.bytes),
      fd,
      e.flamediffMs != null ? `${ms(e.loadingAt)} / ${ms(e.parseMs)} / ${ms(e.diffMs)}${e.diffDoneAt != null ? ` / ${ms(e.diffDoneAt)}` : ''}` : '–',
      `${r.browser.speedscopeFile} (${mb(e.speedscopeBytes)} MB)`,
      ms(e.speedscopeImportMs),
      ss,
      x2(e.ratio),
    ]);
  }
  return table(
    ['pair', 'inputs MB', 'Flamediff: link → first diff frame, ms (runs)', 'app start / parse / diff / diff in page at, ms', 'speedscope: one file', 'import ms', 'drawn ms (runs)', 'Flamediff ÷ speedscope'],
    out,
    [, 'r', 'r', 'r', , 'r', 'r', 'r'],
  );
}

function e2eMemoryTable(rows, baselines) {
  const blank = blankTab(baselines);
  const out = [];
  for (const r of rows) {
    const e = r.e2e;
    if (!e) continue;
    const f = e.flamediffTabPeak;
    const s = e.speedscopeTabPeak;
    out.push([
      r.id,
      mb(r.bytes),
      `${mb(e.flamediffPeak)} + ${mb(e.flamediffGpuPeak)} = ${mb(f)}`,
      f == null ? '–' : x2(f / r.bytes),
      f == null ? '–' : mb(f - blank),
      f == null ? '–' : x2((f - blank) / r.bytes),
      mb(e.flamediffAnonPeak),
      mb(e.flamediffBrowserPeak),
      s == null ? '–' : `${mb(e.speedscopePeak)} + ${mb(e.speedscopeGpuPeak)} = ${mb(s)} (${x2(s / e.speedscopeBytes)} its file)`,
      f == null || s == null ? '–' : x2(f / s),
    ]);
  }
  return table(
    ['pair', 'inputs MB', 'Flamediff tab peak MB: renderer + GPU', '÷ inputs', 'above about:blank MB', '÷ inputs', 'renderer private peak MB', 'browser process peak MB', 'speedscope tab peak MB: renderer + GPU', 'Flamediff ÷ speedscope'],
    out,
    [, 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function startupTable(st) {
  if (!st) return null;
  return table(
    ['measure', 'ms, median (runs)', ''],
    [
      [
        'navigation → `data-state=empty`, both drop zones in the page (built app, no profile)',
        st.emptyMs != null ? `${ms(st.emptyMs)} (${runsList(st.emptyRuns)})` : `fails: ${clean(st.emptyErrors.join('; ')).slice(0, 100)}`,
        `first contentful paint ${ms(st.fcpMs)}; the next task ran at ${ms(st.taskAfterEmptyMs)}; longest task in the 2 s after ${ms(st.longestTaskAfterMs)} ms`,
      ],
      [
        'c-crc-perf pair by share link → first diff frame (`data-state=ready`)',
        st.smallPairMs != null ? `${ms(st.smallPairMs)} (${runsList(st.smallPairRuns)})` : `fails: ${clean(st.smallPairErrors.join('; ')).slice(0, 100)}`,
        `loading from ${ms(st.smallPairLoadingAt)} ms; \`${st.link.replace(/^https?:\/\/[^/]+/, '')}\``,
      ],
    ],
    [, 'r'],
  );
}

/** [goal, target, measured, verdict] rows. */
export function goalRows(results) {
  const rows = results.rows;
  const by = (id) => rows.find((r) => r.id === id);
  const verdict = (ok) => (ok == null ? 'not measured' : ok ? 'met' : 'MISSED');
  const out = [];
  for (const id of GOALS.e2eFormats) {
    const e = by(id)?.e2e;
    if (!e) continue;
    out.push([
      `share link → first diff frame, large ${id} pair, vs speedscope drawing the head file alone`,
      `≤ ${GOALS.e2eRatio}×`,
      e.ratio == null ? '–' : `${x2(e.ratio)} (${ms(e.flamediffMs)} vs ${ms(e.speedscopeMs)} ms)`,
      verdict(e.ratio == null ? null : e.ratio <= GOALS.e2eRatio),
    ]);
  }
  for (const id of GOALS.e2eFormats) {
    const e = by(id)?.e2e;
    if (!e) continue;
    const f = e.flamediffTabPeak;
    const s = e.speedscopeTabPeak;
    const r = f != null && s ? f / s : null;
    out.push([
      `tab peak (renderer + GPU process), ${id} pair, vs speedscope's for the head file alone`,
      `≤ ${GOALS.tabPeakOverSpeedscope}×`,
      r == null ? '–' : `${x2(r)} (${mb(f)} vs ${mb(s)} MB)`,
      verdict(r == null ? null : r <= GOALS.tabPeakOverSpeedscope),
    ]);
  }
  const st = results.startup;
  if (st) {
    out.push([
      'start-up: navigation → `data-state=empty`, drop zones usable (built app)',
      `≤ ${GOALS.startupMs} ms`,
      st.emptyMs == null ? 'fails' : `${ms(st.emptyMs)} ms (next task at ${ms(st.taskAfterEmptyMs)} ms)`,
      verdict(st.emptyMs == null ? null : st.emptyMs <= GOALS.startupMs),
    ]);
    out.push([
      'c-crc-perf pair by share link → first diff frame',
      `≤ ${GOALS.smallPairMs} ms`,
      st.smallPairMs == null ? 'fails' : `${ms(st.smallPairMs)} ms`,
      verdict(st.smallPairMs == null ? null : st.smallPairMs <= GOALS.smallPairMs),
    ]);
  } else out.push(['start-up (empty app; c-crc-perf pair by share link)', `≤ ${GOALS.startupMs} ms; ≤ ${GOALS.smallPairMs} ms`, 'not run', 'not measured']);
  const blank = blankTab(results.baselines);
  for (const id of GOALS.memoryCases) {
    const r = by(id);
    const f = r?.e2e?.flamediffTabPeak;
    if (!f || r.e2e.flamediffMs == null) continue;
    const m = (f - blank) / r.bytes;
    out.push([
      `tab peak (renderer + GPU process) above about:blank vs both inputs (${id})`,
      `≤ ${GOALS.memoryOverInputs}×`,
      `${x2(m)} (${mb(f - blank)} MB for ${mb(r.bytes)} MB; ${mb(f)} MB in all)`,
      verdict(m <= GOALS.memoryOverInputs),
    ]);
  }
  const shareRow = (id, what, target) => {
    const r = by(id);
    if (!r?.node?.files) return;
    const shares = r.node.files.map((f) => f.limitMedianMs / f.parseMedianMs);
    const rates = r.node.files.map((f) => `${((f.bytes ?? r.bytes) / 1e6 / (f.parseMedianMs / 1e3)).toFixed(0)} MB/s`).join(', ');
    if (target === null) out.push([`${what} parse rate vs byte scan (${id})`, 'figure', `${shares.map(pct).join(', ')} (${rates})`, 'reported']);
    else out.push([`${what} parse rate vs byte scan (${id})`, `≥ ${pct(target)}`, shares.map(pct).join(', '), verdict(Math.min(...shares) >= target)]);
  };
  for (const id of GOALS.callgrindCases) shareRow(id, 'callgrind', GOALS.callgrindShareOfScan);
  const cp = by('cpuprofile');
  if (cp?.node?.files) {
    const rs = cp.node.files.map((f) => f.parseMedianMs / f.limitMedianMs);
    out.push(['cpuprofile parse time vs TextDecoder + JSON.parse (base, head)', `≤ ${GOALS.cpuprofileOverJson.toFixed(1)}×`, rs.map(x2).join(', '), verdict(Math.max(...rs) <= GOALS.cpuprofileOverJson)]);
  }
  for (const id of ['folded', 'folded-100M', 'folded-1G']) shareRow(id, 'folded', GOALS.foldedShareOfScan);
  shareRow('pprof', 'pprof (inflated protobuf)', GOALS.pprofShareOfScan);
  for (const id of GOALS.reportCases) {
    const r = by(id);
    const n = r?.node;
    if (!n?.report?.medianMs) continue;
    // The worker is the app's: a fresh one per file, cold code, both sides read side by side, then the diff
    // (its own timings, in the same bench run). The Node rows below say where the command's time goes.
    const e = r.e2e;
    if (e?.parseMs != null && e.diffMs != null) {
      const worker = e.parseMs + e.diffMs;
      const x = n.report.medianMs / worker;
      out.push([`flamediff report (the command, wall time, Node start included) vs the app's worker parse + diff, same files (${id})`, `≤ ${GOALS.reportOverWorker}×`, `${x2(x)} (${ms(n.report.medianMs)} vs ${ms(e.parseMs)} + ${ms(e.diffMs)} ms)`, verdict(x <= GOALS.reportOverWorker)]);
    } else out.push([`flamediff report vs the app's worker parse + diff (${id})`, `≤ ${GOALS.reportOverWorker}×`, 'browser not run', 'not measured']);
    if (n.files) {
      const warm = n.files.reduce((t, f) => t + f.parseMedianMs, 0) + (n.diffMedianMs ?? 0);
      const start = n.report.nodeStartMs;
      out.push([
        `flamediff report vs the parsers' warm medians in Node, one file after the other (${id})`,
        'figure',
        `${x2(n.report.medianMs / warm)} (${ms(n.report.medianMs)} vs ${ms(warm)} ms${n.firstPassMs ? `; first, cold pass ${ms(n.firstPassMs)} ms` : ''}${start ? `; \`node -e ''\` alone ${ms(start)} ms` : ''})`,
        'reported',
      ]);
    }
  }
  const loads = (id, what) => {
    const e = by(id)?.e2e;
    if (!e) {
      out.push([what, 'loads', 'not run (--no-huge)', 'not measured']);
      return;
    }
    out.push([
      what,
      'loads',
      e.flamediffMs != null
        ? `loads in ${ms(e.flamediffMs)} ms, tab peak ${mb(e.flamediffTabPeak)} MB; speedscope ${e.speedscopeMs != null ? `${ms(e.speedscopeMs)} ms` : `fails (${clean(e.speedscopeErrors.join('; ')).slice(0, 100)})`}`
        : `fails: ${clean(e.flamediffErrors.join('; ')).slice(0, 160)}`,
      verdict(e.flamediffMs != null),
    ]);
  };
  loads('cpuprofile-700M', 'a 700 MB .cpuprofile loads (share link; past the longest string)');
  const huge = by('folded-1G');
  if (huge?.e2e) {
    const e = huge.e2e;
    out.push([
      'a pair of two different 1 GB folded files loads (share link)',
      'loads',
      e.flamediffMs != null
        ? `loads in ${ms(e.flamediffMs)} ms, tab peak ${mb(e.flamediffTabPeak)} MB; speedscope ${e.speedscopeMs != null ? `${ms(e.speedscopeMs)} ms` : `fails (${clean(e.speedscopeErrors.join('; ')).slice(0, 100)})`}`
        : `fails: ${clean(e.flamediffErrors.join('; ')).slice(0, 160)}`,
      verdict(e.flamediffMs != null),
    ]);
  } else out.push(['the 1 GB folded file loads', 'loads', 'not run (--no-huge)', 'not measured']);
  out.push(...renderingGoalRows(results.rendering));
  return out;
}

const PENDING_RENDERING =
  'Not measured in this run. `npm run bench -- --only rendering` measures it alone (`e2e/bench/rendering.mjs`) and rewrites this section.';

/** RELAYOUT_INTERVAL_MS in src/render/constants.ts. */
const RELAYOUT_MS = 50;
const HOVER_NOTE =
  'a mousemove to a random point of the densest view (dispatched in the page), timed to the hover card\'s content changing ' +
  '(a MutationObserver on text and elements, not the card\'s position); moves that land on empty space or leave the card as it was do not count; ' +
  'a frame between moves.';

/** "whole tree" or "8× around 25 %", and the scroll. */
function viewName(v) {
  if (!v) return '–';
  const z = v.zoom > 0 ? `${2 ** v.zoom}× around ${Math.round(v.anchor * 100)} %` : 'whole tree';
  return v.scrollTop > 0 ? `${z}, ${Math.round(v.scrollTop)} px down` : z;
}
const num = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const pair = (a, b) => `${ms(a)} / ${ms(b)}`;

/** [goal, target, measured, verdict] rows of the rendering phase (none when it did not run). */
export function renderingGoalRows(rendering) {
  const g = rendering?.goals;
  if (!g) return [];
  const verdict = (ok) => (ok == null ? 'not measured' : ok ? 'met' : 'MISSED');
  const ratioOk = g.frameRatioMedian == null ? null : g.frameRatioMedian <= g.targets.frameRatio && g.frameRatioP95 <= g.targets.frameRatio;
  return [
    [
      'frame time during zoom and pan, 1M-node tree vs 10k (median, p95; headless SwiftShader)',
      `≤ ${g.targets.frameRatio}×`,
      g.frameRatioMedian == null ? '–' : `${x2(g.frameRatioMedian)}, ${x2(g.frameRatioP95)} (mean ${x2(g.frameRatioMean)})`,
      verdict(ratioOk),
    ],
    [
      'hover: mousemove → hover card updated, p95, 1M-node tree (worst of all trees)',
      `≤ ${g.targets.hoverMs} ms`,
      g.hoverP95At1M == null ? '–' : `${ms(g.hoverP95At1M)} ms (${ms(g.hoverP95Worst)} ms)`,
      verdict(g.hoverP95At1M == null ? null : g.hoverP95At1M <= g.targets.hoverMs),
    ],
  ];
}

function renderingTable(rendering) {
  const rows = rendering.cases.map((c) => {
    const s = c.summary;
    if (!s) return [c.id, num(c.nodes), `failed: ${clean(c.error ?? 'no runs').slice(0, 100)}`, '', '', '', '', '', ''];
    const still = s.gestures.still;
    return [
      c.id,
      num(c.nodes),
      `${viewName(s.spot)}: ${num(s.maxRects)}`,
      `${pair(s.frames.median, s.frames.p95)} (${ms(s.frames.mean)})`,
      `${num(s.rects.median)} / ${num(s.rects.max)}`,
      pair(s.relayoutMs.median, s.relayoutMs.p95),
      pair(s.moveMs.median, s.moveMs.p95),
      still ? `${ms(still.frames.median)} (${num(still.rects.median)} rects)` : '–',
      pair(s.hover.median, s.hover.p95),
    ];
  });
  return table(
    ['tree', 'nodes', 'densest view: rects', 'frame ms, median / p95 (mean)', 'rects per frame, median / max', 'main thread, re-layout ms', 'main thread, by transform ms', 'still: frame ms', 'hover ms, median / p95'],
    rows,
    [, 'r', , 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function gestureTable(rendering) {
  const rows = [];
  for (const c of rendering.cases) {
    if (!c.summary) continue;
    for (const [name, g] of Object.entries(c.summary.gestures)) {
      const perFrame = g.drawsPerFrame == null ? '–' : g.drawsPerFrame.toFixed(2);
      rows.push([c.id, name, viewName(g.view), g.frames.n, ms(g.frames.median), ms(g.frames.p95), ms(g.frames.max), `${num(g.rects.median)} / ${num(g.rects.max)}`, perFrame, pair(g.drawMs.median, g.drawMs.p95)]);
    }
  }
  return table(
    ['tree', 'gesture', 'starting view', 'frames', 'median ms', 'p95 ms', 'max ms', 'rects, median / max', 'draws per frame', 'app draw ms, median / p95'],
    rows,
    [, , , 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function probeLine(c) {
  const p = c.summary?.probes;
  if (!p) return null;
  const best = (z) => Math.max(...p.filter((x) => x.zoom === z && !x.scrollTop).map((x) => x.rects));
  const zooms = [...new Set(p.map((x) => x.zoom))].sort((a, b) => a - b);
  const scrolled = p.filter((x) => x.scrollTop > 0).map((x) => `${Math.round(x.scrollTop)} px down ${num(x.rects)}`);
  return `${c.id}: ${zooms.map((z) => `${z ? `${2 ** z}×` : 'whole'} ${num(best(z))}`).join(', ')}${scrolled.length ? `; ${scrolled.join(', ')}` : ''}`;
}

/** The "Rendering (frame times)" section's body (after its heading). */
export function renderingSection(rendering) {
  if (!rendering?.cases?.length) return PENDING_RENDERING;
  const r = rendering;
  const goals = renderingGoalRows(r);
  const failed = r.cases.filter((c) => c.problems?.length).map((c) => `- ${c.id}: ${clean(c.problems.slice(0, 3).join('; ')).slice(0, 300)}`);
  return `\`e2e/bench/rendering.mjs\`; \`npm run bench -- --only rendering\` runs this part alone and rewrites this section. Run ${r.date ?? '–'},
${r.minutes != null ? `${r.minutes.toFixed(1)} min, ` : ''}load average ${r.loadBefore ? r.loadBefore.map((x) => x.toFixed(1)).join(', ') : '–'} before and ${r.loadAfter ? r.loadAfter.map((x) => x.toFixed(1)).join(', ') : '–'} after; ${r.chromium ?? ''} headless,
${r.viewport.width}×${r.viewport.height}, WebGL in software (SwiftShader): compare sizes, not frame rates. ${r.rounds} round${r.rounds === 1 ? '' : 's'}, round-robin over the trees (one page per tree,
open throughout), pooled.

${table(['goal', 'target', 'measured', ''], goals)}

${renderingTable(r)}

- **Trees**: \`synthetic-*\`: random recursive trees (\`e2e/bench/render-inputs.mjs\`: a node's parent uniform among the earlier
  ones, ~ln n levels deep, n/10 function names, distinct among siblings) as one folded profile (\`?base=\` alone);
  \`tsc-cpuprofile\`: the real tsc pair as a diff. Nodes: the tree the app draws (for the pair, the diff's).
- **Densest view**: rectangles drawn at the whole tree, at 2×–16× zoom around 25, 50 and 75 % of the width, and scrolled
  down half a graph and a graph; the view with the most is where the gestures start.
- **Frame ms**: in the page, one event per animation frame dispatched from \`requestAnimationFrame\`; a frame's time is the
  gap to the next rAF timestamp, counting only frames in which the graph was drawn (moves by transform, the re-layouts every
  ${RELAYOUT_MS} ms of a gesture and its settling one). Pooled over zoom (60 ctrl+wheel steps, 30 in then 30 out, the span ×0.905 per step,
  at the densest view) and pan (a drag of 60 moves, ±300 px across and ±40 px down, at the densest view's zoom, 2× at least).
- **Rects per frame**: \`__flamediffRender.rects\` of each draw. **Main thread**: \`__flamediffRender.ms\` (layout, labels, buffer
  upload, draw submission): draws that placed labels are re-layouts, the others moves by transform.
- **Draws per frame**: the app draws on each event and on its ${RELAYOUT_MS} ms settling timer, not once per animation frame: when frames
  take longer than ${RELAYOUT_MS} ms the timer fires between two events, and a frame carries two draws (mean over the frames that drew).
- **Still**: the densest view redrawn every frame without moving (60 ctrl+wheel events of 0): the frame time of its rectangles alone.
- **Hover ms**: ${HOVER_NOTE}

Per gesture:

${gestureTable(r)}

Rectangles at the views tried (the most per zoom level):

${r.cases.map(probeLine).filter(Boolean).map((l) => `- ${l}`).join('\n')}
${failed.length ? `\nProblems seen:\n\n${failed.join('\n')}` : ''}`.trimEnd();
}

export function renderingConsole(rendering) {
  if (!rendering?.cases?.length) return null;
  return 'Rendering (headless Chromium, SwiftShader)\n' + renderingTable(rendering) + '\n\n' + table(['goal', 'target', 'measured', ''], renderingGoalRows(rendering));
}

function baselineLine(b) {
  if (!b) return '';
  const t = (m) => `${mb(m.rendererPeak)} + ${mb(m.gpuPeak)} MB`;
  return `Empty pages, tab peak (renderer + GPU process): about:blank ${t(b.blank.memory)}, Flamediff with no profile ${t(b.flamediff.memory)}, speedscope with no profile ${t(b.speedscope.memory)}.`;
}

export function renderConsole(results) {
  const { rows, baselines, machine: m } = results;
  const parts = [`\nFlamediff benchmarks — ${m.date}, ${m.cpu}, ${m.cores} cores, node ${m.node}, ${m.chromium ?? ''}\n`];
  if (rows.some((r) => r.node)) parts.push('Parser throughput (Node, median)\n' + parserTable(rows), 'Diff and memory (Node)\n' + nodeMemoryTable(rows));
  if (rows.some((r) => r.e2e)) parts.push('End to end (headless Chromium, medians)\n' + e2eTimeTable(rows), 'Memory (headless Chromium)\n' + e2eMemoryTable(rows, baselines) + '\n' + baselineLine(baselines));
  const st = startupTable(results.startup);
  if (st) parts.push('Start-up (headless Chromium, medians)\n' + st);
  const rendering = renderingConsole(results.rendering);
  if (rendering) parts.push(rendering);
  parts.push('Goals\n' + table(['goal', 'target', 'measured', ''], goalRows(results)));
  return parts.join('\n\n');
}

export function renderMarkdown(results) {
  const { rows, baselines, machine: m, options: o } = results;
  const scaled = rows.filter((r) => r.scaled);
  return `# Benchmarks

Written by \`npm run bench\` (\`e2e/bench/bench.mjs\`); change the script, not this file. Not part of \`npm test\`.

## Reproduce

\`\`\`sh
npm ci
bash ../shared/corpus/make-large.sh ../shared-large   # the large real profiles, 2-4 min (npm registry, valgrind, perf)
npm run bench                                         # ~10 min on 2 cores; prints the tables, rewrites this file
\`\`\`

- The large directory is the first argument or \`FLAMEDIFF_LARGE\` (default \`../shared-large\`): \`npm run bench -- /path/to/large\`.
  Without its files the script says how to make them and exits with status 2.
- \`--no-huge\` skips the 1 GB file (about half the time); \`--only ID,…\` runs some cases; \`--runs N\` (Node, default 5), \`--browser-runs N\` (default 3),
  \`--no-node\`, \`--no-browser\`, \`--cpu-prof\` (profiles the Node part, prints the hottest functions, writes nothing here),
  \`--trace\` (one traced Flamediff run: where each thread's time goes), \`--out FILE\`, \`--report-only\` (rewrites this
  file from \`bench-out/bench-results.json\`). Chromium: \`CHROMIUM_PATH\`, else \`/usr/bin/chromium\`, else Playwright's.
- It builds its own copies of the worker code (\`bench-out/node/\`, a Vite SSR build of \`e2e/bench/worker-code.ts\`) and of the
  app (\`bench-out/app/\`), and serves them on 127.0.0.1:${m.ports.app} (app) and :${m.ports.files} (profiles, speedscope ${m.speedscope}'s \`dist/release\`, CORS).
  Raw figures of every run: \`bench-out/bench-results.json\`.

## Machine

| | |
|---|---|
| CPU | ${m.cpu}, ${m.cores} cores |
| memory | ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB |
| OS | ${m.os} |
| Node | ${m.node} |
| Chromium | ${m.chromium ?? '–'} (\`${m.chromiumPath}\`), headless, SwiftShader WebGL |
| date | ${m.date} |
| load average (1, 5, 15 min) | before ${m.loadBefore.map((x) => x.toFixed(1)).join(', ')}; after ${m.loadAfter.map((x) => x.toFixed(1)).join(', ')} (a shared, noisy machine: ratios within one run are what count) |
| run | ${m.minutes.toFixed(1)} min; Node runs ${o.runs}, browser runs ${o.browserRuns} per app and pair${o.huge ? `, 1 GB file ${o.hugeRuns}` : ''} |

## Goals

${table(['goal', 'target', 'measured', ''], goalRows(results))}

## Parser throughput (Node)

The worker's own parsers (\`parseCpuprofile\`, \`parseFolded\`, \`parseCallgrind\`), fed 64 KiB chunks of a \`Uint8Array\` as
\`Blob.stream()\` gives them, against a limit timed on the same bytes in the same process, alternately; medians of ${o.runs} runs.

${parserTable(rows)}

- **TextDecoder + JSON.parse**: the bytes decoded to one string and given to \`JSON.parse\`: the least any reader of the bytes
  does before building anything.
- **byte scan**: one loop over the \`Uint8Array\` that finds every line break, every frame separator (\`;\` in folded
  stacks, \`=\` in callgrind) and the value of each line's last number (the count), making no strings.
- **app entry reads it**: what \`parseStream\` (the worker's entry: format sniffing, then the parser) makes of the file's first
  64 KiB. "NO" means the app refuses the file, whatever its parser's speed here.

## Diff and memory (Node)

One pass in a fresh process: read the input files, parse each, diff (a single file is diffed with itself, as the app's
one-profile view does). Peak RSS is \`process.resourceUsage().maxRSS\`, which includes the input bytes (the browser
keeps them too, as the Blob it re-reads); \`process.memoryUsage()\` after each step is in \`bench-out/bench-results.json\`.
Diff time: median of ${o.runs} \`diffProfiles(base, head)\` on profiles parsed once.

${nodeMemoryTable(rows)}

## End to end (headless Chromium)

A fresh headless Chromium per run, 1280×800; Flamediff and speedscope alternate (A B A B), medians of the runs that
succeeded. Times are \`performance.now()\` in the page, i.e. from the start of the navigation.

- **Flamediff**: the share link \`/?base=<url>&head=<url>\` (a single file: \`?base=\` alone) until \`<html data-state>\`
  becomes \`ready\`, which the app sets once the first frame of the diff is drawn. "app start" is when it first shows
  \`loading\` (it has started fetching); parse (the slower side's worker: its download and parse, which overlap) and diff
  (in base's worker) are the app's own \`window.__flamediffTimings\`; "diff in page at" is when the diff reached the page
  (\`diffDoneAt\`): from there to the first frame is the main thread's.
- **speedscope**: \`index.html#profileURL=<url>\` of the head file alone. "import" is when it sets \`document.title\`;
  "drawn" is its last WebGL draw call before ${QUIET_MS} ms without one (an init script wraps the WebGL draw methods).

${e2eTimeTable(rows)}

### Memory

- **tab peak** (issue 13: "memory is the renderer plus the GPU process"): \`VmHWM\` (the kernel's record of peak resident
  memory) of the tab's renderer process — which runs the page's workers too — plus that of the GPU process (WebGL's
  buffers and textures, canvases' backing stores; SwiftShader keeps them in its own memory), each the largest read from
  \`/proc\` every 50 ms during the run and once it is done (Chromium resets \`VmHWM\` while a page runs, so a reading at the
  end alone misses the parse's peak; the run ends after the first frame, once the graph is on its final backend: WebGL
  follows a Canvas 2D first frame) and summed (the two need not peak at the same moment, so the sum can exceed any instant's total).
  The tab's renderer is the largest renderer under the browser process. Both include Chromium's own pages shared with
  its zygote: an empty tab already has most of it, so "above about:blank" subtracts an about:blank tab's renderer + GPU peak.
- **renderer private peak**: the renderer's largest \`RssAnon\` (heaps and array buffers, no shared pages) seen sampling \`/proc\` every 50 ms
  (the kernel's counters are approximate to a few MB, so it can exceed the tab peak by that much).
- **browser process peak**: Chromium keeps a \`Blob\`'s bytes there, outside the tab; for scale.

${e2eMemoryTable(rows, baselines)}

${baselineLine(baselines)}

### Start-up

A fresh headless Chromium per run (no HTTP cache, no service worker yet: a first visit), the built app.
"Usable" is \`<html data-state=empty>\` with both drop zones' file inputs in the page (the app sets the state in a layout
effect, after its handlers are attached); "the next task" is a \`setTimeout(0)\` queued then: when an input event could
first be handled. The small pair is the app's own demo files (\`public/demo/c-crc-perf/\`, ~100 kB), same origin.

${startupTable(results.startup) ?? 'Not run (\`--no-startup\` or \`--no-browser\`).'}

## Rendering (frame times)

${renderingSection(results.rendering)}

## Inputs

From \`../shared/corpus/make-large.sh\` (see its header): a \`node --cpu-prof\` pair of \`tsc\` compiling rxjs
(TypeScript 5.8.3 → 5.9.3), the \`perf\` folded pair of the same runs, a callgrind pair of CPython running a stdlib tour,
and the same base run with \`--separate-callers=4\`.
${scaled.length ? `The scaled folded files are **concatenated renamed copies** of the real folded pair, made once into \`LARGE/scaled/\` by
\`e2e/bench/inputs.mjs\`: copy *k* of every line has its root frame prefixed with \`copyk/\`, so every stack stays unique
(the tree grows with the file, as a real file this size would) and copy *k* of base meets copy *k* of head in the diff.` : ''}

| case | what | files | MB |
|---|---|---|---:|
${rows.map((r) => `| ${r.id} | ${r.title} | ${[r.base, r.head].filter(Boolean).map((p) => `\`${p.split('/').slice(-2).join('/')}\``).join(', ')} | ${mb(r.bytes)} |`).join('\n')}
`;
}
