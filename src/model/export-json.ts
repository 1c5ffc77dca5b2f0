// The export contract (README): schema flamediff.diff/2 (/1's fields, unchanged, plus each
// function's runs, interval and significance).
import type { Diff } from './diff-model';
import { noiseShare, runTotals } from './diff-view';
import { perRun, runStats } from './run-stats';
import { encodeTransform, transformsOf, untransformedOf, viewWithTransforms, type Transform } from './transforms';

export interface ExportedSide {
  name: string;
  format: string;
  /** This side's unit (differs from the other's only when the units do not compare: see the README's unit table). */
  unit: string;
  /** The run's total in the exported view: the sum of `self` over the rows of this side. */
  total: number;
}

export interface ExportedFunction {
  name: string;
  file: string | null;
  key: string;
  base: { self: number; total: number };
  head: { self: number; total: number };
  /** Present (true) where the figures are an estimate: a transform changed a callgrind function's cost (the table's "≈"). */
  estimated?: true;
  /**
   * Present where this row stands for several raw names of one key (a transform changed the
   * key's figures, and the transformed tree no longer tells its raw names apart): those names.
   */
  names?: string[];
  /** Self per run (one each for one run against one run). */
  runs: { base: number[]; head: number[] };
  /** Δ self's interval, in the unit: the runs' FCR-adjusted Welch interval, or ±3σ of one run's sampling noise (`interval` below). */
  interval: [number, number];
  /** The interval excludes 0. */
  significant: boolean;
}

export interface ExportedIntervals {
  /** `welch-fcr`: several runs on a side; `sampling-noise-3sigma`: one run each, sampled; `exact`: one run each of exact counts (no noise). */
  method: 'welch-fcr' | 'sampling-noise-3sigma' | 'exact';
  /** Two-sided level of every row's interval (0.9973 for 3σ, 1 for exact counts). */
  level: number;
  runs: { base: number; head: number };
}

export interface ExportedDiff {
  schema: 'flamediff.diff/2';
  unit: string;
  base: ExportedSide;
  head: ExportedSide;
  /** The transforms of the view, in order, as the URL's `tx` values (`hide:^main$`, `rec`…); [] for none. */
  transforms: string[];
  /** How the rows' intervals were made. */
  intervals: ExportedIntervals;
  functions: ExportedFunction[];
}

/**
 * The comparison as the view shows it: one row per function as the files name it, merged over all
 * its call paths; rows by |Δ self| descending; header totals the view's run totals (the sum of the
 * rows' self). `transforms`, when given, are all of the view's transforms, applied to the diff `d`
 * comes from (`d` may be the diff as loaded or a view of it made by transforms.ts); without them
 * `d` is exported as it stands, with the transforms that made it.
 *
 * Rows: a key no transform changed keeps its raw rows and the tools' own figures (callgrind_annotate's
 * for callgrind); a key whose figures a transform changed is one row with the view's figures
 * (`names` lists its raw names when it had several), and is left out when nothing of it remains.
 */
export function exportDiff(d: Diff, transforms?: Transform[]): ExportedDiff {
  const view = transforms ? viewWithTransforms(d, transforms) : d;
  const applied = transforms ?? transformsOf(view);
  const f = view.raw;
  const namesOf = mergedNames(view);
  const rows: ExportedFunction[] = [];
  const intervals = intervalsOf(view);
  for (let i = 0; i < f.name.length; i++) {
    const row: ExportedFunction = {
      name: view.strings[f.name[i]],
      file: f.file[i] < 0 ? null : view.strings[f.file[i]],
      key: view.strings[f.key[i]],
      base: { self: f.baseSelf[i], total: f.baseTotal[i] },
      head: { self: f.headSelf[i], total: f.headTotal[i] },
      ...intervals.row(f.key[i], f.baseSelf[i], f.headSelf[i]),
    };
    if (f.estimated?.[i]) row.estimated = true;
    const names = namesOf.get(f.key[i]);
    if (names) row.names = names;
    rows.push(row);
  }
  rows.sort((a, b) => Math.abs(b.head.self - b.base.self) - Math.abs(a.head.self - a.base.self) || (a.key < b.key ? -1 : 1));
  return {
    schema: 'flamediff.diff/2',
    unit: view.head.unit,
    base: { name: view.base.name, format: view.base.format, unit: view.base.unit, total: view.base.total },
    head: { name: view.head.name, format: view.head.format, unit: view.head.unit, total: view.head.total },
    transforms: applied.map(encodeTransform),
    intervals: intervals.header,
    functions: rows,
  };
}

/**
 * Each row's runs and Δ self interval. With several runs, those of its key (the table's family,
 * absolute: the export's figures are amounts); with one run each, the colours' noise model: ±3σ of
 * sampling noise (NOISE_SIGMAS), or the exact Δ for exact counts.
 */
function intervalsOf(d: Diff) {
  const stats = runStats(d, 'absolute');
  const fOfKey = new Map<number, number>();
  d.functions.key.forEach((k, f) => fOfKey.set(k, f));
  const F = d.functions.key.length;
  if (stats && d.runs) {
    const runs = d.runs;
    return {
      header: { method: 'welch-fcr', level: 1 - stats.funcSelf.alpha, runs: stats.runs } as ExportedIntervals,
      row(key: number, _b: number, _h: number) {
        const fi = fOfKey.get(key);
        if (fi === undefined) return { runs: { base: [_b], head: [_h] }, interval: [_h - _b, _h - _b] as [number, number], significant: false };
        return {
          runs: { base: perRun(runs.base, 'funcSelf', F, fi), head: perRun(runs.head, 'funcSelf', F, fi) },
          interval: [stats.funcSelf.lo[fi], stats.funcSelf.hi[fi]] as [number, number],
          significant: stats.funcSelf.significant[fi] === 1,
        };
      },
    };
  }
  const sampled = !!(d.base.sampleWeight && d.head.sampleWeight);
  const B = runTotals(d).base;
  return {
    header: { method: sampled ? 'sampling-noise-3sigma' : 'exact', level: sampled ? 0.9973 : 1, runs: { base: 1, head: 1 } } as ExportedIntervals,
    row(key: number, b: number, h: number) {
      const fi = fOfKey.get(key);
      const delta = h - b;
      // noiseShare is 3σ as a share of the base run; a raw row of a key with several names takes its own figures' noise.
      const fn = d.functions;
      const bq = fi === undefined ? undefined : fn.baseSelfSq?.[fi];
      const hq = fi === undefined ? undefined : fn.headSelfSq?.[fi];
      const band = sampled ? noiseShare(b, h, d, 'absolute', bq, hq) * B : 0;
      return {
        runs: { base: [b], head: [h] },
        interval: [delta - band, delta + band] as [number, number],
        significant: sampled ? Math.abs(delta) > band : delta !== 0,
      };
    },
  };
}

/** Keys (StringIndex) whose several raw rows of the diff as loaded are one row in `view`: their raw names. */
function mergedNames(view: Diff): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const source = untransformedOf(view);
  if (source === view || source.strings !== view.strings) return out;
  const rowsIn = (raw: Diff['raw']) => {
    const m = new Map<number, number[]>();
    for (let r = 0; r < raw.key.length; r++) (m.get(raw.key[r]) ?? m.set(raw.key[r], []).get(raw.key[r])!).push(r);
    return m;
  };
  const before = rowsIn(source.raw);
  const after = rowsIn(view.raw);
  for (const [key, rows] of after) {
    const was = before.get(key) ?? [];
    if (rows.length !== 1 || was.length <= 1) continue;
    out.set(key, [...new Set(was.map((r) => source.strings[source.raw.name[r]]))]);
  }
  return out;
}

/**
 * The export of exactly this view (the browser's JSON button, and the report's --json). One profile
 * alone is not compared with itself: the side that is not loaded is null in the header and in every
 * row, and `compare` says which side is there.
 */
export function exportView(diff: Diff, transforms: Transform[], compare: 'pair' | 'base-only' | 'head-only', mode: 'absolute' | 'proportional') {
  const out = { ...exportDiff(diff, transforms), compare, mode };
  if (compare === 'pair') return out;
  const missing = compare === 'base-only' ? 'head' : 'base';
  // One profile has no Δ: no interval, no significance, and the runs of the side that is there only.
  return {
    ...out,
    [missing]: null,
    functions: out.functions.map(({ interval: _i, significant: _s, ...f }) => ({ ...f, [missing]: null, runs: { ...f.runs, [missing]: null } })),
  };
}
