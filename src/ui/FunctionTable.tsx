import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import { columnValue, DEFAULT_SORT, tableOrder, withinNoise, type SortColumn, type TableSort } from '../model/function-table';
import { formatNumber, formatPercent, formatSignedNumber } from '../model/format-number';
import { isSampled, runTotals, type Mode } from '../model/diff-view';
import { runStats } from '../model/run-stats';

interface Props {
  diff: Diff;
  /** One profile alone: its own costs, no Δ columns. */
  single: boolean;
  mode: Mode;
  /** Rank and mark by the colours' sampling-noise model (sampled profiles). */
  noise: boolean;
  /** False when base and head units do not compare: Δ columns show changes of share, never amounts. */
  unitsComparable?: boolean;
  selected: string | null;
  onSelect: (key: string | null) => void;
  /** More controls for the table's tool row (the exports). */
  tools?: ComponentChildren;
}

const ROW = 22;
const OVERSCAN = 10;

/** Several runs per side: Δ self's interval (not a sort: the Δ columns already rank by its bound nearest zero). */
const INTERVAL_COLUMN = {
  id: 'interval' as const,
  label: 'Δ self interval',
  title: "Δ self's interval over the runs (Welch, the table's false-coverage-rate level: it excludes 0 exactly where the row is significant)",
};

const COLUMNS: { id: SortColumn | 'interval'; label: string; title: string }[] = [
  { id: 'name', label: 'Function', title: 'Function name (merged over all its call paths)' },
  { id: 'baseSelf', label: 'Base self', title: 'Self cost in base' },
  { id: 'headSelf', label: 'Head self', title: 'Self cost in head' },
  { id: 'deltaSelf', label: 'Δ self', title: 'Head self − base self' },
  { id: 'deltaTotal', label: 'Δ total', title: 'Head total − base total (stacks containing the function)' },
  { id: 'share', label: 'Δ of run', title: 'Δ self as a share of the whole base run' },
];

/**
 * Functions ranked by what explains the regression. Virtualised: only the
 * rows in view are in the DOM, so 100,000 functions scroll smoothly.
 */
export function FunctionTable({ diff, single, mode, noise, unitsComparable = true, selected, onSelect, tools }: Props) {
  const withInterval = !single && !!diff.runs;
  const baseColumns = withInterval ? [...COLUMNS.slice(0, 4), INTERVAL_COLUMN, ...COLUMNS.slice(4)] : COLUMNS;
  const columns = single ? COLUMNS.filter((c) => c.id === 'name' || c.id === 'baseSelf').map((c) => (c.id === 'baseSelf' ? { ...c, label: 'Self', title: 'Self cost' } : c)) : baseColumns;
  const [sort, setSort] = useState<TableSort>(DEFAULT_SORT);
  const [filter, setFilter] = useState('');
  const [scroll, setScroll] = useState(0);
  const [height, setHeight] = useState(300);
  const body = useRef<HTMLDivElement>(null);
  const effectiveSort = single && sort.column !== 'name' ? { column: 'baseSelf' as const, descending: sort.column === 'baseSelf' ? sort.descending : true } : sort;
  const [significantOnly, setSignificantOnly] = useState(false);
  // Several runs per side: each function's Δ self has an interval (the table is one family).
  const stats = !single && diff.runs ? runStats(diff, mode) : null;
  const ranked = useMemo(() => tableOrder(diff, effectiveSort, filter, mode, noise && !single), [diff, effectiveSort.column, effectiveSort.descending, filter, mode, noise, single]);
  const order = useMemo(() => (stats && significantOnly ? ranked.filter((f) => stats.funcSelf.significant[f] === 1) : ranked), [ranked, stats, significantOnly]);
  const sampled = (isSampled(diff) || !!stats) && noise && !single;
  const unit = diff.head.unit;
  // Shares are of the whole base run, as "Δ of run" and the card have them, whatever the transforms.
  const runBase = runTotals(diff).base;
  const fn = diff.functions;
  const keyOf = (f: number) => diff.strings[fn.key[f]];
  const selectedRow = useMemo(() => {
    if (!selected) return -1;
    for (let i = 0; i < order.length; i++) if (keyOf(order[i]) === selected) return i;
    return -1;
  }, [order, selected]);

  useEffect(() => {
    const el = body.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the selected row in view when it changes (keyboard or graph click).
  useEffect(() => {
    const el = body.current;
    if (!el || selectedRow < 0) return;
    const top = selectedRow * ROW;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
  }, [selectedRow]);

  const first = Math.max(0, Math.floor(scroll / ROW) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((scroll + height) / ROW) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const f = order[i];
    const dSelf = columnValue(diff, f, 'deltaSelf', mode);
    const dTotal = columnValue(diff, f, 'deltaTotal', mode);
    const share = columnValue(diff, f, 'share', mode);
    const isNew = !single && fn.baseTotal[f] === 0 && fn.headTotal[f] > 0;
    const isRemoved = !single && fn.headTotal[f] === 0 && fn.baseTotal[f] > 0;
    const key = keyOf(f);
    const noisy = sampled && withinNoise(diff, f, mode);
    // A transform spread callgrind's exact cost over an estimated call tree: say so on the figure.
    const approx = fn.estimated?.[f] ? '≈' : '';
    rows.push(
      <div
        key={f}
        role="row"
        aria-selected={key === selected}
        data-testid="table-row"
        data-key={key}
        data-noise={noisy ? 'within' : undefined}
        data-significant={stats ? String(stats.funcSelf.significant[f] === 1) : undefined}
        title={noisy ? (stats ? "This change is within run-to-run variation: its interval includes 0" : 'This change is within sampling noise: identical runs differ this much') : approx ? "≈: an estimate (a transform moved callgrind's cost over a call tree the call graph does not determine)" : undefined}
        class={`tr ${key === selected ? 'selected' : ''} ${noisy ? 'noisy' : ''}`}
        style={{ top: `${i * ROW}px` }}
        onClick={() => onSelect(key === selected ? null : key)}
      >
        <span role="cell" class="td name" title={fn.file[f] >= 0 ? `${diff.strings[fn.name[f]]}\n${diff.strings[fn.file[f]]}` : diff.strings[fn.name[f]]}>
          {diff.strings[fn.name[f]]}
          {isNew && <span class="badge new">new</span>}
          {isRemoved && <span class="badge removed">removed</span>}
          {noisy && <span class="badge noise">noise</span>}
        </span>
        <span role="cell" class="td num" data-value={fn.baseSelf[f]} data-estimated={approx ? '1' : undefined}>{approx}{formatNumber(fn.baseSelf[f], diff.base.unit)}</span>
        {!single && <>
        <span role="cell" class="td num" data-value={fn.headSelf[f]} data-estimated={approx ? '1' : undefined}>{approx}{formatNumber(fn.headSelf[f], unit)}</span>
        <span role="cell" class={`td num ${dSelf > 0 ? 'slower' : dSelf < 0 ? 'faster' : ''}`} data-value={unitsComparable ? dSelf : dSelf / runBase}>
          {unitsComparable ? formatSignedNumber(dSelf, unit) : formatPercent(dSelf / runBase, 2)}
        </span>
        {stats && <IntervalCell lo={stats.funcSelf.lo[f]} hi={stats.funcSelf.hi[f]} significant={stats.funcSelf.significant[f] === 1} scale={stats.proportional ? runBase : 1} unit={unit} asShare={!unitsComparable} runBase={runBase} />}
        <span role="cell" class={`td num ${dTotal > 0 ? 'slower' : dTotal < 0 ? 'faster' : ''}`} data-value={unitsComparable ? dTotal : dTotal / runBase}>
          {unitsComparable ? formatSignedNumber(dTotal, unit) : formatPercent(dTotal / runBase, 2)}
        </span>
        <span role="cell" class={`td num ${share > 0 ? 'slower' : share < 0 ? 'faster' : ''}`} data-value={share}>{formatPercent(share, 2)}</span>
        </>}
      </div>,
    );
  }

  const move = (delta: number) => {
    if (!order.length) return;
    const next = Math.max(0, Math.min(order.length - 1, (selectedRow < 0 ? -1 : selectedRow) + delta));
    onSelect(keyOf(order[next]));
  };

  return (
    <section class="table-panel" aria-label="Functions ranked by change">
      <div class="table-tools">
        <input
          type="search"
          data-testid="table-filter"
          placeholder="Filter functions (text or /regex/)"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value.replace(/^\/(.*)\/$/, '$1'))}
        />
        <span class="muted" data-testid="table-count">
          {order.length.toLocaleString('en-US')} functions · costs in {unitsComparable || single ? unit : `${diff.base.unit} (base) and ${unit} (head); Δ as change of share of each run`}
        </span>
        {stats && (
          <label class="muted sig-filter" title="Only the functions whose Δ self interval excludes 0 (false-discovery rate 5% over the table)">
            <input type="checkbox" data-testid="significant-only" checked={significantOnly} onChange={(e) => setSignificantOnly((e.target as HTMLInputElement).checked)} /> significant ({stats.funcSelf.count}) · {stats.runs.base} vs {stats.runs.head} runs
          </label>
        )}
        <span class="spacer" />
        {tools}
      </div>
      <div class={`table ${single ? 'single' : ''} ${withInterval ? 'with-interval' : ''}`} role="grid" aria-rowcount={order.length} data-testid="function-table">
        <div class="tr head" role="row">
          {columns.map((c) => (
            <span key={c.id} role="columnheader" class={`td ${c.id === 'name' ? 'name' : 'num'}`} aria-sort={sort.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              {c.id === 'interval' ? <span class="th-label" title={c.title}>{c.label}</span> : <button
                class={sort.column === c.id ? 'sorted' : ''}
                title={c.title}
                data-testid={`sort-${c.id}`}
                onClick={() => {
                  const id = c.id as SortColumn;
                  setSort((s) => (s.column === id ? { column: id, descending: !s.descending } : { column: id, descending: id !== 'name' }));
                }}
              >
                {c.label}
                {sort.column === c.id ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </button>}
            </span>
          ))}
        </div>
        <div
          class="tbody"
          role="rowgroup"
          aria-label="Functions: arrow keys move the selection"
          ref={body}
          tabIndex={0}
          onScroll={(e) => setScroll((e.target as HTMLDivElement).scrollTop)}
          onKeyDown={(e) => {
            const page = Math.max(1, Math.floor(height / ROW) - 1);
            if (e.key === 'ArrowDown') move(1);
            else if (e.key === 'ArrowUp') move(-1);
            else if (e.key === 'PageDown') move(page);
            else if (e.key === 'PageUp') move(-page);
            else if (e.key === 'Home') move(-order.length);
            else if (e.key === 'End') move(order.length);
            else if (e.key === 'Escape') onSelect(null);
            else return;
            e.preventDefault();
          }}
        >
          <div style={{ height: `${order.length * ROW}px`, position: 'relative' }}>{rows}</div>
        </div>
      </div>
    </section>
  );
}

function IntervalCell({ lo, hi, significant, scale, unit, asShare, runBase }: { lo: number; hi: number; significant: boolean; scale: number; unit: string; asShare: boolean; runBase: number }) {
  // Proportional families are in shares of each run: shown as base's unit, as the Δ columns are.
  const [a, b] = [lo * scale, hi * scale];
  const show = (v: number) => (asShare ? formatPercent(v / runBase, 2) : formatSignedNumber(v, unit));
  return (
    <span role="cell" class={`td num interval ${significant ? (lo > 0 ? 'slower' : 'faster') : 'muted'}`} data-lo={a} data-hi={b} data-testid="interval">
      {show(a)} … {show(b)}
    </span>
  );
}
