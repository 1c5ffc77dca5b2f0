// The report for a pull request comment, in Markdown: the app's verdict in the app's words,
// the whole run's change, and the top changes ranked as the app's table ranks them.
// Function names are untrusted: nothing in one can break the table, quote code or mention anyone.
import { rawRowsByKey, type Diff } from './diff-model';
import { DEFAULT_SORT, columnValue, tableOrder, withinNoise } from './function-table';
import { formatCost, formatPercent, formatSigned, formatSignedNumber, formatNumber } from './format-number';
import { describeVerdict, type Verdict } from './verdict';
import { runStats } from './run-stats';
import { isSampled } from './diff-view';

/**
 * A name as Markdown text: `|` would end a table cell, backticks open code, `<`, `>` and `&` make
 * HTML, `@` a mention, `[`/`]` and `*`/`_` links and emphasis, a newline a new line.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!~])/g, '\\$1')
    .replace(/@/g, '&#64;');
}

export interface ReportInput {
  diff: Diff;
  verdict: Verdict;
  unitsComparable: boolean;
  /** Rows of the table. */
  top: number;
  /** A share link to the view (with the verdict's function selected), or null. */
  link: string | null;
}

export function reportMarkdown({ diff: d, verdict, unitsComparable, top, link }: ReportInput): string {
  const out: string[] = [];
  const unit = d.head.unit;
  // The app's words: the name in bold, the rest as describeVerdict says it.
  const said = describeVerdict(verdict);
  const line = verdict.kind === 'function' ? `**${escapeMarkdown(verdict.name)}**${escapeMarkdown(said.slice(verdict.name.length))}` : escapeMarkdown(said);
  out.push(`### Flamediff: ${escapeMarkdown(d.base.name)} → ${escapeMarkdown(d.head.name)}`, '');
  out.push(line, '');
  const delta = d.head.total - d.base.total;
  out.push(
    unitsComparable
      ? `Whole run: base ${formatCost(d.base.total, d.base.unit)} → head ${formatCost(d.head.total, d.head.unit)}, ${formatSigned(delta, unit)} (${formatPercent(d.base.total > 0 ? delta / d.base.total : NaN)}).`
      : `Whole run: base ${formatCost(d.base.total, d.base.unit)}, head ${formatCost(d.head.total, d.head.unit)}: no overall change figure, the units differ.`,
    '',
  );
  const stats = d.runs ? runStats(d, 'absolute') : null;
  const mode = unitsComparable ? 'absolute' : 'proportional';
  const order = tableOrder(d, DEFAULT_SORT, '', mode, true);
  const rows = Array.from(order.slice(0, top));
  if (rows.length) {
    const headers = ['Function', 'Base self', 'Head self', 'Δ self', ...(stats ? ['Δ self interval'] : []), 'Δ of run'];
    out.push(`| ${headers.join(' | ')} |`, `|${headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    const fn = d.functions;
    const spellings = namesByKey(d);
    for (const f of rows) {
      const isNew = fn.baseTotal[f] === 0 && fn.headTotal[f] > 0;
      const isRemoved = fn.headTotal[f] === 0 && fn.baseTotal[f] > 0;
      const noise = withinNoise(d, f, mode);
      // A key of several names (fib and fib'2) is one row here and several in --json: say whose sum it is.
      const others = (spellings.get(fn.key[f]) ?? []).filter((s) => s !== d.strings[fn.name[f]]);
      const sum = others.length ? `with ${others.slice(0, 2).map(escapeMarkdown).join(', ')}${others.length > 2 ? ` and ${others.length - 2} more` : ''}` : '';
      const marks = [isNew ? 'new' : '', isRemoved ? 'removed' : '', sum, noise ? (stats ? 'within run-to-run variation' : 'within noise') : ''].filter(Boolean);
      const name = `${escapeMarkdown(d.strings[fn.name[f]])}${marks.length ? ` _(${marks.join(', ')})_` : ''}`;
      const dSelf = columnValue(d, f, 'deltaSelf', mode);
      const share = columnValue(d, f, 'share', mode);
      const cells = [
        name,
        formatNumber(fn.baseSelf[f], d.base.unit),
        formatNumber(fn.headSelf[f], unit),
        unitsComparable ? formatSignedNumber(dSelf, unit) : formatPercent(dSelf / d.base.total, 2),
        ...(stats ? [`${formatSignedNumber(stats.funcSelf.lo[f], unit)} … ${formatSignedNumber(stats.funcSelf.hi[f], unit)}`] : []),
        formatPercent(share, 2),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
    out.push(
      stats
        ? `${stats.runs.base} vs ${stats.runs.head} runs: intervals are Welch's, at the table's false-coverage-rate level; a change is significant where its interval excludes 0.`
        : isSampled(d)
          ? 'Ranked by the part of each change beyond sampling noise (3σ of Poisson noise on the sample counts).'
          : 'Exact counts: every difference is real.',
      '',
    );
  }
  // Parentheses and spaces would end a Markdown link's target early: percent-encoded, the URL means the same.
  if (link) out.push(`[Open the differential flame graph](${link.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`, '');
  return out.join('\n');
}

/** The raw names (the export's rows) of each key with more than one. */
function namesByKey(d: Diff): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [key, rows] of rawRowsByKey(d.raw)) {
    const names = [...new Set(rows.map((r) => d.strings[d.raw.name[r]]))];
    if (names.length > 1) out.set(key, names);
  }
  return out;
}
