// The export contract (README): schema flamediff.diff/1.
import type { Diff } from './diff-model';

export interface ExportedSide {
  name: string;
  format: string;
  total: number;
}

export interface ExportedFunction {
  name: string;
  file: string | null;
  key: string;
  base: { self: number; total: number };
  head: { self: number; total: number };
}

export interface ExportedDiff {
  schema: 'flamediff.diff/1';
  unit: string;
  base: ExportedSide;
  head: ExportedSide;
  functions: ExportedFunction[];
}

/** One row per function as the files name it, merged over all its call paths; rows by |Δ self| descending. */
export function exportDiff(d: Diff): ExportedDiff {
  const f = d.raw;
  const rows: ExportedFunction[] = [];
  for (let i = 0; i < f.name.length; i++) {
    rows.push({
      name: d.strings[f.name[i]],
      file: f.file[i] < 0 ? null : d.strings[f.file[i]],
      key: d.strings[f.key[i]],
      base: { self: f.baseSelf[i], total: f.baseTotal[i] },
      head: { self: f.headSelf[i], total: f.headTotal[i] },
    });
  }
  rows.sort((a, b) => Math.abs(b.head.self - b.base.self) - Math.abs(a.head.self - a.base.self) || (a.key < b.key ? -1 : 1));
  return {
    schema: 'flamediff.diff/1',
    unit: d.head.unit,
    base: { name: d.base.name, format: d.base.format, total: d.base.total },
    head: { name: d.head.name, format: d.head.format, total: d.head.total },
    functions: rows,
  };
}
