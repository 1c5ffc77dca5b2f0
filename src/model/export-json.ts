// The export contract (README): schema flamediff.diff/1.
import type { Diff } from './diff-model';
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
}

export interface ExportedDiff {
  schema: 'flamediff.diff/1';
  unit: string;
  base: ExportedSide;
  head: ExportedSide;
  /** The transforms of the view, in order, as the URL's `tx` values (`hide:^main$`, `rec`…); [] for none. */
  transforms: string[];
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
  for (let i = 0; i < f.name.length; i++) {
    const row: ExportedFunction = {
      name: view.strings[f.name[i]],
      file: f.file[i] < 0 ? null : view.strings[f.file[i]],
      key: view.strings[f.key[i]],
      base: { self: f.baseSelf[i], total: f.baseTotal[i] },
      head: { self: f.headSelf[i], total: f.headTotal[i] },
    };
    if (f.estimated?.[i]) row.estimated = true;
    const names = namesOf.get(f.key[i]);
    if (names) row.names = names;
    rows.push(row);
  }
  rows.sort((a, b) => Math.abs(b.head.self - b.base.self) - Math.abs(a.head.self - a.base.self) || (a.key < b.key ? -1 : 1));
  return {
    schema: 'flamediff.diff/1',
    unit: view.head.unit,
    base: { name: view.base.name, format: view.base.format, unit: view.base.unit, total: view.base.total },
    head: { name: view.head.name, format: view.head.format, unit: view.head.unit, total: view.head.total },
    transforms: applied.map(encodeTransform),
    functions: rows,
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
