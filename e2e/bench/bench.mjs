// `npm run bench`: parser throughput, diff time and memory in Node, and end to end in
// headless Chromium against speedscope, on large real profiles. Prints the tables and
// writes BENCHMARKS.md (see its top for how to reproduce). Not part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LARGE_FILES, largePprof, longerCpuprofile, missingLargeFiles, scaledFolded } from './inputs.mjs';
import { serve } from './serve.mjs';
import { runEmpty, runFlamediff, runSpeedscope, runStartup, runTraced } from './browser-bench.mjs';
import { formatTraceSummary, summariseTrace } from './trace-summary.mjs';
import { hotFunctions, PARSER_ROOTS } from './cpu-profile-summary.mjs';
import { GOALS, renderMarkdown, renderConsole, renderingConsole, renderingSection } from './report.mjs';
import { RENDER_PORTS, runRendering } from './rendering.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// FLAMEDIFF_BENCH_OUT: another scratch directory, so two checkouts (or two runs) can bench at once.
const OUT = process.env.FLAMEDIFF_BENCH_OUT ? path.resolve(process.env.FLAMEDIFF_BENCH_OUT) : path.join(ROOT, 'bench-out');
const BUNDLE = path.join(OUT, 'node', 'worker-code.mjs');
const APP = path.join(OUT, 'app');
const SPEEDSCOPE = path.join(ROOT, 'node_modules', 'speedscope', 'dist', 'release');
const DEFAULT_LARGE = path.resolve(ROOT, '../shared-large');
/** Our own ports, away from vite (5173), vite preview (4173) and Playwright's. */
// FLAMEDIFF_BENCH_PORT: the first of four ports (app, files, and the rendering phase's two), for a second checkout.
const PORT_BASE = Number(process.env.FLAMEDIFF_BENCH_PORT ?? 4390);
const APP_PORT = PORT_BASE;
const FILES_PORT = PORT_BASE + 1;
/** The small pair of the start-up goal, as the app serves it (public/demo/). */
const SMALL_PAIR = { base: 'demo/c-crc-perf/base.folded', head: 'demo/c-crc-perf/head.folded' };

const USAGE = `usage: npm run bench -- [LARGE_DIR] [options]

LARGE_DIR  the output directory of ../shared/corpus/make-large.sh
           (default: $FLAMEDIFF_LARGE, else ${path.relative(ROOT, DEFAULT_LARGE)} beside the repository);
           the scaled folded files are made once into LARGE_DIR/scaled/
options:
  --no-huge          skip the 1 GB folded file (about half of the ~10 minutes)
  --runs N           Node runs per measurement (default 5)
  --browser-runs N   end-to-end runs per app and pair (default 3; the 1 GB file: --huge-runs, default 1)
  --no-node | --no-browser   skip a part
  --only ID,ID       only these cases (cpuprofile, folded, callgrind, callgrind-sep, folded-100M, folded-1G,
                     rendering); \`--only rendering\` alone rewrites only BENCHMARKS.md's rendering section
  --no-startup       skip the start-up runs (the empty app until usable, the small c-crc-perf pair by share link)
  --no-rendering     skip the rendering part (frame times and hover latency over 10k-1M-node trees, ~7 min)
  --render-rounds N  rounds of the rendering part (default 3)
  --cpu-prof         profile the Node part (node --cpu-prof into bench-out/cpu-prof/) and print the
                     hottest functions; BENCHMARKS.md is not written
  --trace            instead: one Flamediff run of the cpuprofile pair under Chromium's tracing with V8's
                     sampling profiler (an unminified build, bench-out/app-trace/), into
                     bench-out/trace-cpuprofile.json; prints where each thread's time went
  --out FILE         write the report there instead of BENCHMARKS.md
  --report-only      rewrite the report from the last run's bench-out/bench-results.json
environment: FLAMEDIFF_LARGE (LARGE_DIR), CHROMIUM_PATH (default /usr/bin/chromium, else Playwright's)`;

function parseArgs(argv) {
  const o = { large: null, huge: true, runs: 5, browserRuns: 3, hugeRuns: 1, node: true, browser: true, rendering: true, startup: true, renderRounds: 3, cpuProf: false, trace: false, only: null, out: null, reportOnly: false };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a.startsWith('--') && a.includes('=')) {
      // --only=rendering is --only rendering
      argv = [...argv.slice(0, i), a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1), ...argv.slice(i + 1)];
      a = argv[i];
    }
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer\n\n${USAGE}`);
      return v;
    };
    if (a === '--huge') o.huge = true;
    else if (a === '--no-huge') o.huge = false;
    else if (a === '--runs') o.runs = num();
    else if (a === '--browser-runs') o.browserRuns = num();
    else if (a === '--huge-runs') o.hugeRuns = num();
    else if (a === '--no-node') o.node = false;
    else if (a === '--no-startup') o.startup = false;
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--no-rendering') o.rendering = false;
    else if (a === '--render-rounds') o.renderRounds = num();
    else if (a === '--cpu-prof') o.cpuProf = true;
    else if (a === '--trace') o.trace = true;
    else if (a === '--report-only') o.reportOnly = true;
    else if (a === '--only') o.only = (argv[++i] ?? fail(USAGE)).split(',');
    else if (a === '--out') o.out = path.resolve(argv[++i] ?? fail(USAGE));
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (!a.startsWith('-') && o.large === null) o.large = path.resolve(a);
    else fail(`unknown argument ${a}\n\n${USAGE}`);
  }
  o.large ??= process.env.FLAMEDIFF_LARGE ? path.resolve(process.env.FLAMEDIFF_LARGE) : DEFAULT_LARGE;
  return o;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

const log = (m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function chromiumPath() {
  const p = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => existsSync(x));
  return p; // undefined: Playwright's own browser
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (/^model name\s*:\s*(.+)$/m.exec(cpuinfo) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = (/^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo) ?? [])[1];
  return {
    cpu: model.trim() + (mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadBefore: os.loadavg(),
    speedscope: JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'speedscope', 'package.json'), 'utf8')).version,
    ports: { app: APP_PORT, files: FILES_PORT },
  };
}

function vite(args) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`vite ${args.join(' ')} failed`);
}

function build() {
  log('building the worker code for Node (bench-out/node) and the app (bench-out/app)');
  vite(['build', '--config', 'e2e/bench/vite.bench.config.ts']);
  // Our own output directory: `npm run build`'s dist/ may be in use by others.
  vite(['build', '--outDir', APP, '--emptyOutDir', '--logLevel', 'warn']);
}

/** --trace: where the share link's time goes, thread by thread. */
async function trace(opts) {
  const dir = path.join(OUT, 'app-trace');
  log('building an unminified app (bench-out/app-trace)');
  vite(['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn', '--minify', 'false']);
  const app = await serve(APP_PORT, { '/': dir });
  const files = await serve(FILES_PORT, { '/large/': opts.large });
  const u = (rel) => encodeURIComponent(`http://127.0.0.1:${FILES_PORT}/large/${rel}`);
  const pairs = {
    cpuprofile: [LARGE_FILES.cpuprofileBase, LARGE_FILES.cpuprofileHead],
    folded: [LARGE_FILES.foldedBase, LARGE_FILES.foldedHead],
    callgrind: [LARGE_FILES.callgrindBase, LARGE_FILES.callgrindHead],
    'c-crc': null,
  };
  // --only picks the pairs (default the cpuprofile pair); c-crc is the small pair the app serves itself.
  const ids = (opts.only ?? ['cpuprofile']).filter((id) => id in pairs);
  try {
    for (const id of ids) {
      const tracePath = path.join(OUT, `trace-${id}.json`);
      log(`tracing one Flamediff run of the ${id} pair`);
      const link = pairs[id]
        ? `?base=${u(pairs[id][0])}&head=${u(pairs[id][1])}`
        : `?base=${encodeURIComponent(SMALL_PAIR.base)}&head=${encodeURIComponent(SMALL_PAIR.head)}`;
      const r = await runTraced({ executablePath: chromiumPath(), url: `http://127.0.0.1:${APP_PORT}/${link}`, timeoutMs: 180_000, tracePath });
      console.log(`\n${id}: data-state: ${r.states.map((s) => `${s.state} at ${Math.round(s.at)} ms`).join(', ')}${r.problems.length ? `; ${r.problems.join('; ')}` : ''}\n`);
      console.log(formatTraceSummary(summariseTrace(tracePath, { appDir: dir, pageUrl: `http://127.0.0.1:${APP_PORT}/` })));
      console.log(`\ntrace: ${path.relative(ROOT, tracePath)} (open it in chrome://tracing or Perfetto)`);
    }
  } finally {
    app.close();
    files.close();
  }
}

/** The cases, each with what Node and the browser run. */
function cases(large, opts) {
  const L = (rel) => path.join(large, rel);
  const list = [
    { id: 'cpuprofile', title: 'tsc cpuprofile pair', format: 'cpuprofile', base: L(LARGE_FILES.cpuprofileBase), head: L(LARGE_FILES.cpuprofileHead) },
    { id: 'folded', title: 'tsc perf folded pair', format: 'folded', base: L(LARGE_FILES.foldedBase), head: L(LARGE_FILES.foldedHead) },
    { id: 'callgrind', title: 'CPython callgrind pair', format: 'callgrind', base: L(LARGE_FILES.callgrindBase), head: L(LARGE_FILES.callgrindHead) },
    { id: 'callgrind-sep', title: 'callgrind --separate-callers=4', format: 'callgrind', base: L(LARGE_FILES.callgrindSeparate), head: null, noBrowser: true },
  ];
  const s100 = scaledFolded(large, '100M', ['base', 'head'], log);
  list.push({ id: 'folded-100M', title: 'folded ×copies, 100 MB pair', format: 'folded', base: s100.base, head: s100.head, scaled: true });
  const pprof = largePprof(large, log);
  if (pprof) list.push({ id: 'pprof', title: 'Go heap profile (pprof), every allocation sampled', format: 'pprof', base: pprof, head: null, scaled: true, noBrowser: true });
  if (opts.huge) {
    const s1g = scaledFolded(large, '1G', ['base', 'head'], log);
    list.push({ id: 'folded-1G', title: 'folded ×copies, a pair of two 1 GB files', format: 'folded', base: s1g.base, head: s1g.head, scaled: true, huge: true });
    const c700 = longerCpuprofile(large, log);
    list.push({ id: 'cpuprofile-700M', title: 'tsc cpuprofile, a longer run of 700 MB', format: 'cpuprofile', base: c700, head: null, scaled: true, huge: true, noNode: true });
  }
  for (const c of list) c.bytes = statSync(c.base).size + (c.head ? statSync(c.head).size : 0);
  return opts.only ? list.filter((c) => opts.only.includes(c.id)) : list;
}

function runNodeCase(c, opts) {
  const files = [{ label: path.basename(c.base), path: c.base }];
  if (c.head) files.push({ label: path.basename(c.head), path: c.head });
  const spec = { format: c.format, files, runs: opts.runs, diff: true, bundle: BUNDLE };
  const flags = ['--expose-gc', '--max-old-space-size=16384'];
  if (opts.cpuProf) {
    mkdirSync(path.join(OUT, 'cpu-prof'), { recursive: true });
    flags.push('--cpu-prof', `--cpu-prof-dir=${path.join(OUT, 'cpu-prof')}`, `--cpu-prof-name=${c.id}.cpuprofile`);
  }
  const r = spawnSync(process.execPath, [...flags, path.join(ROOT, 'e2e/bench/node-bench.mjs'), JSON.stringify(spec)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status} ${r.signal ?? ''}`).trim().split('\n').slice(0, 6).join(' ') };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  if (opts.cpuProf) {
    const prof = path.join(OUT, 'cpu-prof', `${c.id}.cpuprofile`);
    out.hot = hotFunctions(prof, BUNDLE);
    out.hotInParsers = hotFunctions(prof, BUNDLE, 12, PARSER_ROOTS);
  }
  return out;
}

async function runBrowser(list, opts, exe) {
  const app = await serve(APP_PORT, { '/': APP });
  const files = await serve(FILES_PORT, { '/large/': opts.large, '/speedscope/': SPEEDSCOPE });
  const fileUrl = (p) => `http://127.0.0.1:${FILES_PORT}/large/${path.relative(opts.large, p).split(path.sep).map(encodeURIComponent).join('/')}`;
  const out = { baselines: {}, cases: {} };
  try {
    log('browser: empty pages (memory baselines)');
    out.baselines.blank = await runEmpty({ executablePath: exe, url: 'about:blank' });
    out.baselines.flamediff = await runEmpty({ executablePath: exe, url: `http://127.0.0.1:${APP_PORT}/` });
    out.baselines.speedscope = await runEmpty({ executablePath: exe, url: `http://127.0.0.1:${FILES_PORT}/speedscope/index.html` });
    out.chromium = out.baselines.blank.chromium;
    if (opts.startup) {
      // Start-up, issue 13: the built app with no profile until it is usable (data-state=empty, drop zones),
      // and the small c-crc-perf pair by share link (the app's own demo files) until its first diff frame.
      out.startup = { empty: [], smallPair: [], smallPairLink: `http://127.0.0.1:${APP_PORT}/?base=${encodeURIComponent(SMALL_PAIR.base)}&head=${encodeURIComponent(SMALL_PAIR.head)}` };
      for (let i = 0; i < opts.browserRuns; i++) {
        log(`browser: start-up run ${i + 1}/${opts.browserRuns}: empty app, then the c-crc-perf pair`);
        out.startup.empty.push(await runStartup({ executablePath: exe, url: `http://127.0.0.1:${APP_PORT}/` }));
        out.startup.smallPair.push(await runFlamediff({ executablePath: exe, url: out.startup.smallPairLink, timeoutMs: 60_000 }));
        const e = out.startup.empty.at(-1);
        const p = out.startup.smallPair.at(-1);
        log(`  empty ${e.ok ? `${Math.round(e.ms)} ms` : e.error}; c-crc-perf pair ${p.ok ? `${Math.round(p.ms)} ms` : p.error}`);
      }
    }
    for (const c of list.filter((x) => !x.noBrowser)) {
      const runs = c.huge ? opts.hugeRuns : opts.browserRuns;
      const timeoutMs = c.huge ? 900_000 : 180_000;
      const link = `http://127.0.0.1:${APP_PORT}/?base=${encodeURIComponent(fileUrl(c.base))}` + (c.head ? `&head=${encodeURIComponent(fileUrl(c.head))}` : '');
      const ssFile = c.head ?? c.base;
      const ssUrl = `http://127.0.0.1:${FILES_PORT}/speedscope/index.html#profileURL=${encodeURIComponent(fileUrl(ssFile))}`;
      const r = { flamediff: [], speedscope: [], link, speedscopeFile: path.basename(ssFile) };
      // A B A B: the machine's noise falls on both apps alike.
      for (let i = 0; i < runs; i++) {
        log(`browser: ${c.id} run ${i + 1}/${runs}: flamediff`);
        r.flamediff.push(await runFlamediff({ executablePath: exe, url: link, timeoutMs }));
        log(`browser: ${c.id} run ${i + 1}/${runs}: speedscope (${r.speedscopeFile})`);
        r.speedscope.push(await runSpeedscope({ executablePath: exe, url: ssUrl, timeoutMs }));
        const f = r.flamediff.at(-1);
        const s = r.speedscope.at(-1);
        log(`  flamediff ${f.ok ? `${Math.round(f.ms)} ms` : f.error}; speedscope ${s.ok ? `${Math.round(s.ms)} ms` : s.error}`);
      }
      out.cases[c.id] = r;
    }
  } finally {
    app.close();
    files.close();
  }
  return out;
}

const peak = (runs, key) => (runs.length ? Math.max(...runs.map((r) => r.memory[key] ?? 0)) : null);

/** Start-up medians: the empty app until usable, the c-crc-perf pair until its first diff frame. */
function summariseStartup(st) {
  if (!st) return null;
  const okE = st.empty.filter((r) => r.ok);
  const okP = st.smallPair.filter((r) => r.ok);
  return {
    emptyMs: median(okE.map((r) => r.ms)),
    emptyRuns: st.empty.map((r) => (r.ok ? r.ms : null)),
    emptyErrors: [...new Set(st.empty.filter((r) => !r.ok).map((r) => r.error))],
    taskAfterEmptyMs: median(okE.map((r) => r.taskAfterEmptyAt)),
    fcpMs: median(okE.map((r) => r.nav?.fcp)),
    // The longest task in the 2 s after the app was usable: a drop then waits that long.
    longestTaskAfterMs: median(okE.map((r) => Math.max(0, ...r.longTasks.filter((t) => t.at + t.ms > r.ms).map((t) => t.ms)))),
    smallPairMs: median(okP.map((r) => r.ms)),
    smallPairRuns: st.smallPair.map((r) => (r.ok ? r.ms : null)),
    smallPairErrors: [...new Set(st.smallPair.filter((r) => !r.ok).map((r) => r.error))],
    smallPairLoadingAt: median(okP.map((r) => r.loadingAt)),
    link: st.smallPairLink,
  };
}

/** Medians and ratios the report and the goals read. */
function summarise(list, node, browser) {
  const rows = [];
  for (const c of list) {
    const n = node?.[c.id];
    const b = browser?.cases?.[c.id];
    const row = { ...c, node: n, browser: b };
    if (b) {
      const okF = b.flamediff.filter((r) => r.ok);
      const okS = b.speedscope.filter((r) => r.ok);
      row.e2e = {
        flamediffMs: median(okF.map((r) => r.ms)),
        flamediffRuns: b.flamediff.map((r) => (r.ok ? r.ms : null)),
        flamediffErrors: [...new Set(b.flamediff.filter((r) => !r.ok).map((r) => r.error))],
        parseMs: median(okF.map((r) => r.timings?.parseMs)),
        diffMs: median(okF.map((r) => r.timings?.diffMs)),
        diffDoneAt: median(okF.map((r) => r.timings?.diffDoneAt)),
        loadingAt: median(okF.map((r) => r.loadingAt)),
        // Peaks of the runs that got to the end: a failed run's memory says nothing.
        flamediffPeak: peak(okF, 'rendererPeak'),
        flamediffAnonPeak: peak(okF, 'rendererAnonPeak'),
        flamediffBrowserPeak: peak(okF, 'browserPeak'),
        flamediffGpuPeak: peak(okF, 'gpuPeak'),
        flamediffTabPeak: peak(okF, 'tabPeak'),
        speedscopeImportMs: median(okS.map((r) => r.importMs)),
        speedscopeMs: median(okS.map((r) => r.ms)),
        speedscopeRuns: b.speedscope.map((r) => (r.ok ? r.ms : null)),
        speedscopeErrors: [...new Set(b.speedscope.filter((r) => !r.ok).map((r) => r.error))],
        speedscopePeak: peak(okS, 'rendererPeak'),
        speedscopeAnonPeak: peak(okS, 'rendererAnonPeak'),
        speedscopeGpuPeak: peak(okS, 'gpuPeak'),
        speedscopeTabPeak: peak(okS, 'tabPeak'),
        speedscopeBytes: statSync(c.head ?? c.base).size,
        rendering: okF.find((r) => r.rendering)?.rendering ?? null,
      };
      row.e2e.ratio = row.e2e.flamediffMs != null && row.e2e.speedscopeMs ? row.e2e.flamediffMs / row.e2e.speedscopeMs : null;
    }
    rows.push(row);
  }
  return rows;
}

/** `node cli-dist/flamediff.mjs report BASE HEAD`, `runs` times: wall ms of each; alternated with
 * `node -e ''`, Node's own start, which no command run by Node can go under. */
function runReport(c, opts) {
  const runs = [];
  const nodeStart = [];
  for (let r = 0; r < opts.runs; r++) {
    let t0 = performance.now();
    spawnSync(process.execPath, ['-e', ''], { cwd: ROOT });
    nodeStart.push(performance.now() - t0);
    t0 = performance.now();
    const out = spawnSync(process.execPath, [path.join(ROOT, 'cli-dist/flamediff.mjs'), 'report', c.base, c.head], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    const t = performance.now() - t0;
    if (out.status !== 0) return { error: out.stderr.trim().slice(0, 300), runs };
    runs.push(t);
  }
  return { runs, medianMs: median(runs), nodeStartMs: median(nodeStart) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.reportOnly) {
    const results = JSON.parse(readFileSync(path.join(OUT, 'bench-results.json'), 'utf8'));
    console.log(renderConsole(results));
    writeFileSync(opts.out ?? path.join(ROOT, 'BENCHMARKS.md'), renderMarkdown(results));
    return;
  }
  const missing = missingLargeFiles(opts.large);
  if (missing.length) {
    fail(
      `The large profiles are missing from ${opts.large}:\n  ${missing.join('\n  ')}\n\n` +
        `Make them (2-4 minutes; needs the npm registry, valgrind and perf) with:\n` +
        `  bash ../shared/corpus/make-large.sh ${path.relative(ROOT, opts.large) || '.'}\n` +
        `then run \`npm run bench\` again (or pass another directory: \`npm run bench -- DIR\`, FLAMEDIFF_LARGE=DIR).\n\n${USAGE}`,
    );
  }
  const started = Date.now();
  const info = machine();
  mkdirSync(OUT, { recursive: true });
  if (opts.trace) return trace(opts);
  build();
  const list = cases(opts.large, opts);

  let node = null;
  if (opts.node) {
    node = {};
    // The 700 MB profile has no Node limit to time against (TextDecoder + JSON.parse cannot make its string): browser only.
    for (const c of list.filter((x) => !x.noNode)) {
      log(`node: ${c.id} (${(c.bytes / 1e6).toFixed(1)} MB, ${opts.runs} runs)`);
      node[c.id] = runNodeCase(c, opts);
      if (node[c.id].error) log(`  failed: ${node[c.id].error}`);
    }
    // The command-line report on the same pairs: the whole command, as CI runs it.
    const pairs = list.filter((x) => GOALS.reportCases.includes(x.id) && x.head && !node[x.id]?.error);
    if (pairs.length) {
      vite(['build', '--config', 'src/cli/vite.cli.config.ts', '--logLevel', 'warn']);
      for (const c of pairs) {
        log(`report: ${c.id} (${opts.runs} runs of flamediff report)`);
        node[c.id].report = runReport(c, opts);
      }
    }
  }

  let browser = null;
  const exe = chromiumPath();
  if (opts.browser && !opts.cpuProf && list.some((c) => !c.noBrowser)) browser = await runBrowser(list, opts, exe);

  let rendering = null;
  if (opts.rendering && opts.browser && !opts.cpuProf && (!opts.only || opts.only.includes('rendering'))) {
    log(`rendering: frame times and hover latency, ${opts.renderRounds} rounds (ports ${RENDER_PORTS.app}, ${RENDER_PORTS.files})`);
    rendering = await runRendering({ executablePath: exe, appDir: APP, outDir: OUT, large: opts.large, rounds: opts.renderRounds, bundle: BUNDLE, log });
  }

  info.chromium = browser?.chromium ?? (exe ? execFileSync(exe, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() : null);
  info.chromiumPath = exe ?? "Playwright's";
  info.loadAfter = os.loadavg();
  info.minutes = (Date.now() - started) / 60_000;
  const rows = summarise(list, node, browser);
  const startup = summariseStartup(browser?.startup);
  const results = { machine: info, options: { ...opts, large: opts.large }, rows, baselines: browser?.baselines ?? null, startup, startupRuns: browser?.startup ?? null, goals: GOALS, rendering };
  if (rendering && !rows.length) return writeRenderingOnly(rendering, opts);
  writeFileSync(path.join(OUT, 'bench-results.json'), JSON.stringify(results, null, 1));

  console.log(renderConsole(results));
  if (opts.cpuProf) {
    const show = (list) => list.map((h) => `  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.selfMs.toFixed(0).padStart(6)} ms  ${h.name}  ${h.where}`).join('\n');
    for (const r of rows.filter((x) => x.node?.hot)) {
      console.log(`\n${r.id}: hottest functions by self time, whole process (bench-out/cpu-prof/${r.id}.cpuprofile):\n${show(r.node.hot)}`);
      console.log(`${r.id}: the same inside the parsers (${PARSER_ROOTS.join(', ')}; GC is counted apart, above):\n${show(r.node.hotInParsers)}`);
    }
    return;
  }
  const out = opts.out ?? path.join(ROOT, 'BENCHMARKS.md');
  writeFileSync(out, renderMarkdown(results));
  log(`wrote ${path.relative(process.cwd(), out) || out} and bench-out/bench-results.json in ${info.minutes.toFixed(1)} min`);
}

/**
 * `--only rendering`: the other sections keep the last full run's figures. The rendering
 * figures join the last run's bench-results.json (so --report-only keeps them) and replace
 * the rendering section of the report in place.
 */
function writeRenderingOnly(rendering, opts) {
  const json = path.join(OUT, 'bench-results.json');
  if (existsSync(json)) {
    const last = JSON.parse(readFileSync(json, 'utf8'));
    writeFileSync(json, JSON.stringify({ ...last, rendering }, null, 1));
  } else writeFileSync(path.join(OUT, 'rendering-results.json'), JSON.stringify(rendering, null, 1));
  console.log('\n' + renderingConsole(rendering));
  const out = opts.out ?? path.join(ROOT, 'BENCHMARKS.md');
  const heading = '## Rendering (frame times)\n';
  const md = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const at = md.indexOf(heading);
  const section = `${heading}\n${renderingSection(rendering)}\n`;
  let next = at < 0 ? -1 : md.indexOf('\n## ', at + heading.length);
  if (next >= 0) next += 1;
  const updated = at < 0 ? `${md}${md && !md.endsWith('\n') ? '\n' : ''}\n${section}` : md.slice(0, at) + section + (next >= 0 ? '\n' + md.slice(next) : '');
  writeFileSync(out, updated);
  log(`rewrote the rendering section of ${path.relative(process.cwd(), out) || out}${existsSync(json) ? ' and added it to bench-out/bench-results.json' : ''}`);
}

await main();
