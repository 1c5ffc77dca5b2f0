import type { Diff } from '../model/diff-model';
import type { ViewSettings } from '../model/diff-view';
import { formatCost, formatPercent, formatSigned } from '../model/format-number';

/** Base total, head total and the overall change, in the unit of the run. */
export function Summary({ diff, settings }: { diff: Diff; settings: ViewSettings }) {
  const unit = diff.head.unit;
  const delta = diff.head.total - diff.base.total;
  const pct = diff.base.total > 0 ? delta / diff.base.total : NaN;
  const cls = delta > 0 ? 'slower' : delta < 0 ? 'faster' : '';
  const single = diff.head.name === diff.base.name;
  const skipped = diff.base.skippedLines + (single ? 0 : diff.head.skippedLines);
  const examples = single ? diff.base.warnings : [...diff.base.warnings.map((w) => `base ${w}`), ...diff.head.warnings.map((w) => `head ${w}`)];
  return (
    <div class="summary" data-testid="summary">
      <span>
        base <b data-testid="base-total" data-value={diff.base.total}>{formatCost(diff.base.total, unit)}</b>
      </span>
      <span>
        head <b data-testid="head-total" data-value={diff.head.total}>{formatCost(diff.head.total, unit)}</b>
      </span>
      <span class={cls}>
        change <b data-testid="total-change" data-value={delta}>{formatSigned(delta, unit)}</b> ({formatPercent(pct)})
      </span>
      <span class="muted">
        {settings.mode === 'proportional' ? 'proportional' : 'absolute'} · unit: {unit}
      </span>
      {skipped > 0 && (
        <span class="muted" title={examples.join('\n')} data-testid="skipped">
          {skipped} line{skipped === 1 ? '' : 's'} skipped
        </span>
      )}
    </div>
  );
}
