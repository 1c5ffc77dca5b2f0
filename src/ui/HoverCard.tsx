import type { FrameHeadline, FrameNumbers, FrameRuns, Tab } from '../model/diff-view';
import { formatCost, formatPercent, formatShare, formatSigned } from '../model/format-number';
import { ESTIMATED_BY_TRANSFORM, ESTIMATED_BY_TREE, noiseNote, presenceLabel, shareWords } from '../model/frame-title';

interface Props {
  frame: FrameNumbers;
  /** The change the frame's colour paints (same quantity and mode). */
  headline: FrameHeadline;
  units: { base: string; head: string };
  tab: Tab;
  /** One profile alone: a single row of its own, no Δ. */
  single: boolean;
  /** False when the units differ: no Δ amounts, only the change of share. */
  unitsComparable?: boolean;
  x: number;
  y: number;
}

/**
 * Base / head / Δ of the hovered frame. The headline says in words what the colour shows:
 * the same quantity, as a share of the whole base run. Names are untrusted text: rendered as text nodes only.
 */
export function HoverCard({ frame: f, headline: hl, units, tab, single, unitsComparable = true, x, y }: Props) {
  const showDiff = tab === 'diff' && !single;
  const cls = hl.shareOfRun > 0 ? 'slower' : hl.shareOfRun < 0 ? 'faster' : '';
  const quantity = hl.quantity === 'self' ? 'self' : 'total';
  const presence = presenceLabel(f);
  const noise = noiseNote(hl);
  const approx = f.estimated || f.treeEstimate ? '≈' : '';
  return (
    <div class="hover-card" data-testid="hover-card" role="tooltip" style={{ left: `${x}px`, top: `${y}px` }}>
      <div class="hc-name" data-testid="hc-name">
        {f.name}
        {showDiff && presence && <span class={`badge ${f.presence}`}>{presence}</span>}
      </div>
      {f.file && <div class="hc-file muted">{f.file}</div>}
      {f.module && (
        <div class="hc-module muted" data-testid="hc-module">
          in {f.module}
        </div>
      )}
      {f.estimated ? (
        <div class="muted" data-testid="hc-estimated">
          {ESTIMATED_BY_TRANSFORM}
        </div>
      ) : (
        f.treeEstimate && (
          <div class="muted" data-testid="hc-estimated">
            {ESTIMATED_BY_TREE}
          </div>
        )
      )}
      {showDiff && (
        <div class={`hc-summary ${cls}`}>
          {quantity} <span data-testid="hc-share" data-value={hl.shareOfRun}>{approx}{formatPercent(hl.shareOfRun)}</span> {shareWords(hl.mode)}
          {unitsComparable && <> ({approx}{formatSigned(hl.delta, units.base)})</>}
          {noise && <span class="muted"> · {noise}</span>}
        </div>
      )}
      {showDiff && hl.runs && <RunsLine runs={hl.runs} unit={units.base} asShare={!unitsComparable} />}
      {showDiff && (
        <div class="muted hc-sub">
          {f.presence === 'new' ? (
            <>new in head: {approx}{formatCost(hl.quantity === 'self' ? f.headSelf : f.headTotal, units.head)} {quantity}</>
          ) : f.presence === 'removed' ? (
            <>removed in head: it had {approx}{formatCost(hl.quantity === 'self' ? f.baseSelf : f.baseTotal, units.base)} {quantity} in base</>
          ) : unitsComparable && Number.isFinite(hl.percent) ? (
            <>
              this frame's {quantity}: <span data-testid="hc-percent" data-value={hl.percent}>{approx}{formatPercent(hl.percent)}</span> vs base
            </>
          ) : null}
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th />
            <th>self</th>
            <th>total</th>
            <th title="The frame's total as a share of its own run">share of its run</th>
          </tr>
        </thead>
        <tbody>
          {(!single || tab === 'base') && (
            <tr data-testid="hc-base">
              <th>base</th>
              <td data-value={f.baseSelf}>{approx}{formatCost(f.baseSelf, units.base)}</td>
              <td data-value={f.baseTotal}>{approx}{formatCost(f.baseTotal, units.base)}</td>
              <td>{formatShare(f.baseShare)}</td>
            </tr>
          )}
          {(!single || tab === 'head') && (
            <tr data-testid="hc-head">
              <th>head</th>
              <td data-value={f.headSelf}>{approx}{formatCost(f.headSelf, units.head)}</td>
              <td data-value={f.headTotal}>{approx}{formatCost(f.headTotal, units.head)}</td>
              <td>{formatShare(f.headShare)}</td>
            </tr>
          )}
          {showDiff && unitsComparable && (
            <tr data-testid="hc-delta" class={cls}>
              <th>Δ</th>
              <td data-value={f.deltaSelf}>{approx}{formatSigned(f.deltaSelf, units.base)}</td>
              <td data-value={f.delta}>{approx}{formatSigned(f.delta, units.base)}</td>
              <td>{formatPercent(f.headShare - f.baseShare)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Δ's interval over the runs, and a strip with one tick per run per side (base above, head below). */
function RunsLine({ runs, unit, asShare }: { runs: FrameRuns; unit: string; asShare: boolean }) {
  const all = [...runs.base, ...runs.head];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const W = 160;
  const x = (v: number) => (max > min ? 4 + ((v - min) / (max - min)) * (W - 8) : W / 2);
  return (
    <div class="hc-runs" data-testid="hc-interval" data-lo={runs.lo} data-hi={runs.hi} data-significant={String(runs.significant)}>
      <div>
        {asShare ? 'interval of the change of share' : <>interval {formatSigned(runs.lo, unit)} … {formatSigned(runs.hi, unit)}</>}, {runs.base.length} vs {runs.head.length} runs
        {!runs.significant && <span class="muted"> (includes 0)</span>}
      </div>
      <svg class="hc-strip" width={W} height={22} role="img" aria-label={`each run: base ${runs.base.map((v) => formatCost(v, unit)).join(', ')}; head ${runs.head.map((v) => formatCost(v, unit)).join(', ')}`} data-testid="hc-strip">
        <line x1={0} x2={W} y1={6} y2={6} class="axis" />
        <line x1={0} x2={W} y1={16} y2={16} class="axis" />
        {runs.base.map((v, i) => <line key={`b${i}`} x1={x(v)} x2={x(v)} y1={2} y2={10} class="tick base" />)}
        {runs.head.map((v, i) => <line key={`h${i}`} x1={x(v)} x2={x(v)} y1={12} y2={20} class="tick head" />)}
      </svg>
    </div>
  );
}
