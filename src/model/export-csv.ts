// The ranked table as CSV (RFC 4180 quoting), in the table's default order.
import type { Diff } from './diff-model';
import { DEFAULT_SORT, tableOrder } from './function-table';

function cell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // A leading = + - @ would make spreadsheets evaluate a function name as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function exportCsv(d: Diff): string {
  const f = d.functions;
  const lines = [['name', 'file', 'key', 'base_self', 'head_self', 'delta_self', 'base_total', 'head_total', 'delta_total', 'delta_self_share_of_run', 'unit'].join(',')];
  for (const i of tableOrder(d, DEFAULT_SORT, '')) {
    const dSelf = f.headSelf[i] - f.baseSelf[i];
    lines.push(
      [
        cell(d.strings[f.name[i]]),
        cell(f.file[i] < 0 ? null : d.strings[f.file[i]]),
        cell(d.strings[f.key[i]]),
        f.baseSelf[i],
        f.headSelf[i],
        dSelf,
        f.baseTotal[i],
        f.headTotal[i],
        f.headTotal[i] - f.baseTotal[i],
        d.base.total > 0 ? dSelf / d.base.total : '',
        cell(d.head.unit),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
