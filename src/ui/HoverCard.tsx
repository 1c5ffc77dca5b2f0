import type { FrameNumbers, Tab } from '../model/diff-view';
import { formatCost, formatPercent, formatShare, formatSigned } from '../model/format-number';

interface Props {
  frame: FrameNumbers;
  unit: string;
  tab: Tab;
  x: number;
  y: number;
}

/** Base / head / delta of the hovered frame. Names are untrusted text: rendered as text nodes only. */
export function HoverCard({ frame: f, unit, tab, x, y }: Props) {
  const cls = f.delta > 0 ? 'slower' : f.delta < 0 ? 'faster' : '';
  return (
    <div class="hover-card" data-testid="hover-card" role="tooltip" style={{ left: `${x}px`, top: `${y}px` }}>
      <div class="hc-name" data-testid="hc-name">
        {f.name}
        {f.presence !== 'both' && <span class={`badge ${f.presence}`}>{f.presence}</span>}
      </div>
      {f.file && <div class="hc-file muted">{f.file}</div>}
      <table>
        <thead>
          <tr>
            <th />
            <th>self</th>
            <th>total</th>
            <th>of run</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="hc-base">
            <th>base</th>
            <td data-value={f.baseSelf}>{formatCost(f.baseSelf, unit)}</td>
            <td data-value={f.baseTotal}>{formatCost(f.baseTotal, unit)}</td>
            <td>{formatShare(f.baseShare)}</td>
          </tr>
          <tr data-testid="hc-head">
            <th>head</th>
            <td data-value={f.headSelf}>{formatCost(f.headSelf, unit)}</td>
            <td data-value={f.headTotal}>{formatCost(f.headTotal, unit)}</td>
            <td>{formatShare(f.headShare)}</td>
          </tr>
          {tab === 'diff' && (
            <tr data-testid="hc-delta" class={cls}>
              <th>Δ</th>
              <td data-value={f.deltaSelf}>{formatSigned(f.deltaSelf, unit)}</td>
              <td data-value={f.delta}>{formatSigned(f.delta, unit)}</td>
              <td />
            </tr>
          )}
        </tbody>
      </table>
      {tab === 'diff' && (
        <div class={`hc-summary ${cls}`}>
          <span data-testid="hc-percent" data-value={f.percent}>
            {formatPercent(f.percent)}
          </span>{' '}
          change in this frame ·{' '}
          <span data-testid="hc-share" data-value={f.shareOfRun}>
            {formatPercent(f.shareOfRun)}
          </span>{' '}
          of the whole run
          {Number.isFinite(f.shareOfChange) && f.delta !== 0 && (
            <div class="muted" data-testid="hc-explains" data-value={f.shareOfChange}>
              {formatShare(f.shareOfChange)} of the run's total change
            </div>
          )}
        </div>
      )}
    </div>
  );
}
