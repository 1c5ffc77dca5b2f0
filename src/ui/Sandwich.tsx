import { useMemo } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import { applyTransforms, callersOf } from '../model/transforms';
import type { ViewState } from './url-state';
import { DiffGraph } from './DiffGraph';
import { displayKey } from '../model/match-key';
import type { DrawStats } from '../render/flame-renderer';
import type { Theme } from '../render/theme';

interface Props {
  diff: Diff;
  view: ViewState;
  onDrawn: (stats: DrawStats) => void;
  onError: (message: string) => void;
  theme?: Theme;
}

/** The selected function's callers (read upwards from it) and callees, each with its deltas. */
export function Sandwich({ diff, view, onDrawn, onError, theme }: Props) {
  const key = view.selected;
  const callers = useMemo(() => (key ? callersOf(diff, key) : null), [diff, key]);
  const callees = useMemo(() => (key ? applyTransforms(diff, [{ kind: 'focus', key }]) : null), [diff, key]);
  if (!key || !callers || !callees) {
    return <div class="sandwich-empty muted" data-testid="sandwich">Select a function in the table below to see its callers and callees.</div>;
  }
  const sub = { ...view, tab: 'diff' as const, zoom: null };
  // A caller's width is the function's total through it: colour by that total's change.
  const callerView = { ...sub, colourBy: 'total' as const };
  return (
    <div class="sandwich" data-testid="sandwich">
      <div class="sandwich-title">
        Callers of <code>{displayKey(key)}</code> <span class="muted">(read downwards: who called it)</span>
      </div>
      <div class="sandwich-pane">
        <DiffGraph diff={callers} view={callerView} highlight={null} onZoom={() => {}} onDrawn={onDrawn} onError={onError} label="Callers" theme={theme} />
      </div>
      <div class="sandwich-title">
        Callees of <code>{displayKey(key)}</code>
      </div>
      <div class="sandwich-pane">
        <DiffGraph diff={callees} view={sub} highlight={null} onZoom={() => {}} onDrawn={onDrawn} onError={onError} label="Callees" theme={theme} />
      </div>
    </div>
  );
}
