// The export contract (README): schema flamediff.diff/2 (/1's fields, unchanged, plus each
// function's runs, interval and significance).
import type { Diff } from './diff-model';
import { isSampled, noiseShare, runTotals } from './diff-view';
import { perRun, runStats } from './run-stats';
import { rawRowsByKey, runCount, type SideRuns } from './diff-model';
import { compareFamily, type RunBlock } from './stats/family';
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
  /**
   * Present where this row is one of several raw names of one key (callgrind's fib and fib'2,
   * V8's tiers): the key's figures, the one row the app's table and the report's Markdown show for
   * them (the sum of the rows' self), with the key's runs and interval. The row's own `runs` and
   * `interval` are of its own figures.
   */
  group?: {
    names: string[];
    base: { self: number; total: number };
    head: { self: number; total: number };
    runs: { base: number[]; head: number[] };
    interval: [number, number];
    significant: boolean;
  };
}

export interface ExportedIntervals {
  /** `welch-fcr`: several runs on a side; `sampling-noise-3sigma`: one run each, a side sampled (an exact side adds none); `exact`: one run each of exact counts (no noise). */
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
  const groups = groupsOf(f);
  const fOfKey = new Map<number, number>();
  view.functions.key.forEach((k, fi) => fOfKey.set(k, fi));
  const intervals = intervalsOf(view, groups, fOfKey);
  for (let i = 0; i < f.name.length; i++) {
    const row: ExportedFunction = {
      name: view.strings[f.name[i]],
      file: f.file[i] < 0 ? null : view.strings[f.file[i]],
      key: view.strings[f.key[i]],
      base: { self: f.baseSelf[i], total: f.baseTotal[i] },
      head: { self: f.headSelf[i], total: f.headTotal[i] },
      ...intervals.row(i, f.baseSelf[i], f.headSelf[i]),
    };
    if (f.estimated?.[i]) row.estimated = true;
    const names = namesOf.get(f.key[i]);
    if (names) row.names = names;
    const group = groups.get(f.key[i]);
    const fi = fOfKey.get(f.key[i]);
    if (group && fi !== undefined) {
      const fn = view.functions;
      row.group = {
        names: group.map((r) => view.strings[f.name[r]]),
        base: { self: fn.baseSelf[fi], total: fn.baseTotal[fi] },
        head: { self: fn.headSelf[fi], total: fn.headTotal[fi] },
        ...intervals.key(fi),
      };
    }
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

/** Keys (StringIndex) with several export rows: their rows. */
function groupsOf(raw: Diff['raw']): Map<number, number[]> {
  const byKey = rawRowsByKey(raw);
  for (const [key, rows] of byKey) if (rows.length < 2) byKey.delete(key);
  return byKey;
}

interface RowInterval {
  runs: { base: number[]; head: number[] };
  interval: [number, number];
  significant: boolean;
}

/**
 * Each row's runs and Δ self interval, and each key's (`key`, the table's row). With several runs,
 * a key's are the table's family (absolute: the export's figures are amounts); a row that is its
 * key's only row takes its key's, and the rows of a key with several names are a family of their
 * own, of each row's own runs. With one run each, the colours' noise model: ±3σ of sampling noise
 * (NOISE_SIGMAS), or the exact Δ for exact counts.
 */
function intervalsOf(
  d: Diff,
  groups: Map<number, number[]>,
  fOfKey: Map<number, number>,
): { header: ExportedIntervals; row(i: number, b: number, h: number): RowInterval; key(f: number): RowInterval } {
  const stats = runStats(d, 'absolute');
  const F = d.functions.key.length;
  const fn = d.functions;
  if (stats && d.runs) {
    const runs = d.runs;
    const key = (fi: number): RowInterval => ({
      runs: { base: perRun(runs.base, 'funcSelf', F, fi), head: perRun(runs.head, 'funcSelf', F, fi) },
      interval: [stats.funcSelf.lo[fi], stats.funcSelf.hi[fi]],
      significant: stats.funcSelf.significant[fi] === 1,
    });
    const own = groupedRowIntervals(d, groups);
    return {
      header: { method: 'welch-fcr', level: 1 - stats.funcSelf.alpha, runs: stats.runs },
      row(i: number, b: number, h: number) {
        const grouped = own?.get(i);
        if (grouped) return grouped;
        const fi = fOfKey.get(d.raw.key[i]);
        if (fi === undefined) return { runs: { base: [b], head: [h] }, interval: [h - b, h - b], significant: false };
        return key(fi);
      },
      key,
    };
  }
  const sampled = isSampled(d);
  const B = runTotals(d).base;
  const noise = (b: number, h: number, fi: number | undefined): RowInterval => {
    const delta = h - b;
    // noiseShare is 3σ as a share of the base run; a raw row of a key with several names takes its own figures' noise.
    const bq = fi === undefined ? undefined : fn.baseSelfSq?.[fi];
    const hq = fi === undefined ? undefined : fn.headSelfSq?.[fi];
    const band = sampled ? noiseShare(b, h, d, 'absolute', bq, hq) * B : 0;
    return {
      runs: { base: [b], head: [h] },
      interval: [delta - band, delta + band],
      significant: sampled ? Math.abs(delta) > band : delta !== 0,
    };
  };
  return {
    header: { method: sampled ? 'sampling-noise-3sigma' : 'exact', level: sampled ? 0.9973 : 1, runs: { base: 1, head: 1 } },
    row: (i, b, h) => noise(b, h, groups.has(d.raw.key[i]) ? undefined : fOfKey.get(d.raw.key[i])),
    key: (fi) => noise(fn.baseSelf[fi], fn.headSelf[fi], fi),
  };
}

/** With runs, the rows of keys with several names: Welch intervals of their own runs, FCR-controlled among themselves. */
function groupedRowIntervals(d: Diff, groups: Map<number, number[]>): Map<number, RowInterval> | null {
  if (!d.runs || !d.rawRuns || groups.size === 0) return null;
  const rows = [...groups.values()].flat();
  const n = d.raw.key.length;
  const m = rows.length;
  const block = (s: SideRuns, all: Float64Array): RunBlock => {
    const R = runCount(s);
    const values = new Float64Array(R * m);
    for (let r = 0; r < R; r++) rows.forEach((i, j) => (values[r * m + j] = all[r * n + i]));
    return { runs: R, values, totals: s.totals, sampleWeight: s.sampleWeight };
  };
  const b = block(d.runs.base, d.rawRuns.base);
  const h = block(d.runs.head, d.rawRuns.head);
  const fam = compareFamily(b, h, m);
  const out = new Map<number, RowInterval>();
  const column = (x: RunBlock, j: number) => Array.from({ length: x.runs }, (_, r) => x.values[r * m + j]);
  rows.forEach((i, j) => out.set(i, { runs: { base: column(b, j), head: column(h, j) }, interval: [fam.lo[j], fam.hi[j]], significant: fam.significant[j] === 1 }));
  return out;
}

/** Keys (StringIndex) whose several raw rows of the diff as loaded are one row in `view`: their raw names. */
function mergedNames(view: Diff): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const source = untransformedOf(view);
  if (source === view || source.strings !== view.strings) return out;
  const before = rawRowsByKey(source.raw);
  const after = rawRowsByKey(view.raw);
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
