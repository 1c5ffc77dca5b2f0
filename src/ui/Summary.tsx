import type { Diff } from '../model/diff-model';
import type { ViewSettings } from '../model/diff-view';
import type { Compare } from '../model/comparison-state';
import type { UnitCheck } from '../model/units';
import { formatCost, formatPercent, formatSigned } from '../model/format-number';

interface Props {
  /** The whole run as loaded: the header speaks of it, whatever the transforms. */
  diff: Diff;
  /** The transformed view, when transforms apply: its totals are shown beside the run's. */
  view: Diff | null;
  compare: Compare;
  units: UnitCheck;
  settings: ViewSettings;
  /** The whole run's change is within its noise (the verdict's test): not painted as slower or faster, and said. */
  withinNoise?: string | null;
}

/** Run totals and, only when both sides loaded in units that compare, the overall change. */
export function Summary({ diff, view, compare, units, settings, withinNoise = null }: Props) {
  if (compare !== 'pair') {
    const info = diff.base; // one profile: both columns are it
    return (
      <div class="summary" data-testid="summary">
        <span class="single-side" data-testid="single-side" data-side={compare === 'base-only' ? 'base' : 'head'}>
          {compare === 'base-only' ? 'base only' : 'head only'}
        </span>
        <span>
          {compare === 'base-only' ? 'base' : 'head'}{' '}
          <b data-testid={compare === 'base-only' ? 'base-total' : 'head-total'} data-value={info.total}>
            {formatCost(info.total, info.unit)}
          </b>
        </span>
        <span class="muted">
          {compare === 'base-only' ? 'add a head profile to compare' : 'add a base profile to compare'} · unit: {info.unit}
        </span>
        <Skipped diff={diff} single />
      </div>
    );
  }
  const delta = diff.head.total - diff.base.total;
  const pct = diff.base.total > 0 ? delta / diff.base.total : NaN;
  // A side that looks cut short makes the change a figure of part of a run: said beside it, not painted.
  const cut = (['base', 'head'] as const).filter((side) => diff[side].incomplete.length > 0);
  const cls = withinNoise || cut.length ? '' : delta > 0 ? 'slower' : delta < 0 ? 'faster' : '';
  return (
    <div class="summary" data-testid="summary">
      <span>
        base <b data-testid="base-total" data-value={diff.base.total}>{formatCost(diff.base.total, diff.base.unit)}</b>
      </span>
      <span>
        head <b data-testid="head-total" data-value={diff.head.total}>{formatCost(diff.head.total, diff.head.unit)}</b>
      </span>
      {units.comparable ? (
        <span class={cls}>
          change <b data-testid="total-change" data-value={delta}>{formatSigned(delta, diff.head.unit)}</b> ({formatPercent(pct)})
          {withinNoise && <span class="muted" data-testid="total-change-noise"> within {withinNoise}</span>}
          {cut.length > 0 && (
            <span class="muted" data-testid="total-change-incomplete">
              {' '}
              of {cut.join(' and ')} as read: {cut.length > 1 ? 'both look' : 'it looks'} cut short (see the warning)
            </span>
          )}
        </span>
      ) : (
        <span class="muted" data-testid="no-change-figure">
          no overall change figure: the units differ
        </span>
      )}
      <span class="muted">
        {settings.mode === 'proportional' ? 'proportional' : 'absolute'} · unit: {units.comparable ? diff.head.unit : `${diff.base.unit} / ${diff.head.unit}`}
      </span>
      {view && (
        <span class="muted" data-testid="view-totals">
          in this view: base <span data-testid="view-base-total" data-value={view.base.total}>{formatCost(view.base.total, diff.base.unit)}</span> · head{' '}
          <span data-testid="view-head-total" data-value={view.head.total}>{formatCost(view.head.total, diff.head.unit)}</span>
        </span>
      )}
      <Skipped diff={diff} single={false} />
    </div>
  );
}

function Skipped({ diff, single }: { diff: Diff; single: boolean }) {
  const skipped = diff.base.skippedLines + (single ? 0 : diff.head.skippedLines);
  const examples = single ? diff.base.warnings : [...diff.base.warnings.map((w) => `base ${w}`), ...diff.head.warnings.map((w) => `head ${w}`)];
  if (skipped === 0) return null;
  return (
    <span class="muted" title={examples.join('\n')} data-testid="skipped">
      {skipped} line{skipped === 1 ? '' : 's'} skipped
    </span>
  );
}
