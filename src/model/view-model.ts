// What every view shows of one comparison, derived in one place from the comparison
// state and the view settings (the way the Firefox Profiler derives per-thread data in
// selectors): no component decides on its own which tab, mode or tree applies.
import type { Diff } from './diff-model';
import type { Side } from './worker-api';
import type { ParseErrorInfo } from './profile';
import { compareOf, shownDiff, sideErrors, type Compare, type ComparisonState } from './comparison-state';
import { compareUnits, type UnitCheck } from './units';
import type { Mode, Tab } from './diff-view';
import { meetingPoint } from './shared-paths';

export interface ViewWarning {
  /** The side it is about; absent when it is about the pair. */
  side?: Side;
  text: string;
  /** A function (key) the warning offers to focus on. */
  focus?: { key: string; name: string };
}

export interface Comparable {
  compare: Compare | null;
  /** The diff to draw (the current one, or the previous one while the same files are diffed again). */
  diff: Diff | null;
  units: UnitCheck;
  errors: { side: Side; error: ParseErrorInfo }[];
  warnings: ViewWarning[];
}

export function comparable(s: ComparisonState): Comparable {
  const compare = compareOf(s);
  const diff = compare ? shownDiff(s) : null;
  const warnings: ViewWarning[] = [];
  for (const side of ['base', 'head'] as Side[]) {
    const cur = s[side];
    if (cur.status !== 'loaded') continue;
    for (const text of cur.info.incomplete) warnings.push({ side, text: `${cur.info.name} ${text}` });
  }
  let units: UnitCheck = { comparable: true, headFactor: 1 };
  if (compare === 'pair' && s.base.status === 'loaded' && s.head.status === 'loaded') {
    units = compareUnits(s.base.info, s.head.info);
    if (!units.comparable) warnings.push({ text: `${units.reason}. Flamediff compares them as shares of each run (proportional).` });
    const meet = diff ? meetingPoint(diff) : null;
    if (meet) {
      warnings.push({
        text: `Base and head share no call path from the top (the tools name the start-up frames differently), so every frame of the graph is new or removed; the table compares functions either way. Focused on ${meet.name}, which both run, both trees start at the same frame; below it, paths still differ where one tool sees frames the other does not (inlined calls).`,
        focus: meet,
      });
    }
  }
  const errors = sideErrors(s);
  if (s.diff.status === 'failed') errors.push({ side: 'head', error: s.diff.error });
  return { compare, diff, units, errors, warnings };
}

/** The tab and mode that apply: one profile alone has no diff; units that do not compare allow only shares. */
export function effectiveSettings<V extends { tab: Tab; mode: Mode }>(view: V, c: Pick<Comparable, 'compare' | 'units'>): V {
  let { tab, mode } = view;
  if (c.compare === 'base-only') tab = 'base';
  else if (c.compare === 'head-only') tab = 'head';
  if (!c.units.comparable) mode = 'proportional';
  return tab === view.tab && mode === view.mode ? view : { ...view, tab, mode };
}
