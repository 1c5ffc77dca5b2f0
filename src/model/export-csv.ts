// The ranked table as CSV (RFC 4180 quoting), in the table's default order.
import type { Diff } from './diff-model';
import { DEFAULT_SORT, columnValue, tableOrder } from './function-table';
import type { Mode } from './diff-view';
import { encodeTransform, transformsOf, viewWithTransforms, type Transform } from './transforms';

function cell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // A leading = + - @ would make spreadsheets evaluate a function name as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The table of the view: `transforms`, when given, are all of the view's transforms, applied to the
 * diff `d` comes from (as exportDiff). Columns after `unit`: `estimated` (1 where the row's figures
 * are an estimate, the table's "≈"; else 0) and `transforms` (the view's transforms as a JSON array
 * of the URL's `tx` values, the same on every row). `delta_self_share_of_run` is the table's "Δ of
 * run", in the view's `mode`: of the whole base run as measured, whatever the transforms.
 */
export function exportCsv(d: Diff, transforms?: Transform[], mode: Mode = 'absolute'): string {
  const view = transforms ? viewWithTransforms(d, transforms) : d;
  const applied = JSON.stringify((transforms ?? transformsOf(view)).map(encodeTransform));
  const f = view.functions;
  const lines = [
    ['name', 'file', 'key', 'base_self', 'head_self', 'delta_self', 'base_total', 'head_total', 'delta_total', 'delta_self_share_of_run', 'unit', 'estimated', 'transforms'].join(','),
  ];
  for (const i of tableOrder(view, DEFAULT_SORT, '')) {
    const dSelf = f.headSelf[i] - f.baseSelf[i];
    lines.push(
      [
        cell(view.strings[f.name[i]]),
        cell(f.file[i] < 0 ? null : view.strings[f.file[i]]),
        cell(view.strings[f.key[i]]),
        f.baseSelf[i],
        f.headSelf[i],
        dSelf,
        f.baseTotal[i],
        f.headTotal[i],
        f.headTotal[i] - f.baseTotal[i],
        columnValue(view, i, 'share', mode),
        cell(view.head.unit),
        f.estimated?.[i] ? 1 : 0,
        cell(applied),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
