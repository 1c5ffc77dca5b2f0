import { useMemo, useState } from 'preact/hooks';
import { Fold } from './Fold';
import type { Diff } from '../model/diff-model';
import { isSampled, type Tab } from '../model/diff-view';
import { searchShares } from '../model/highlight';
import { displayKey, type MatchRules } from '../model/match-key';
import { describeTransform, type Transform } from '../model/transforms';
import { formatShare } from '../model/format-number';
import { diffColour, rgbaCss } from '../render/colours';
import { FULL_COLOUR_SHARE } from '../render/constants';
import type { Theme } from '../render/theme';
import { FOLDED_UNITS, type FoldedUnit, type ViewState } from './url-state';
import type { Compare } from '../model/comparison-state';

interface Props {
  diff: Diff;
  view: ViewState;
  onView: (patch: Partial<ViewState>) => void;
  highlight: Uint8Array | null;
  theme: Theme;
  /** What is loaded: one profile alone has no Diff or Sandwich tab. */
  compare: Compare;
  /** False when base and head are in units that do not compare: only shares of each run are offered. */
  unitsComparable: boolean;
}

const TABS: { id: Tab; label: string }[] = [
  { id: 'base', label: 'Base' },
  { id: 'head', label: 'Head' },
  { id: 'diff', label: 'Diff' },
  { id: 'sandwich', label: 'Sandwich' },
];

const RULES: { id: keyof MatchRules; label: string }[] = [
  { id: 'stripLineCol', label: 'ignore :line:col and V8 tiers (JS:* JS:^ JS:~)' },
  { id: 'stripRecursionSuffix', label: "ignore callgrind 'N / 'caller suffixes" },
  { id: 'stripAddresses', label: 'treat addresses and [unknown] as one' },
  { id: 'stripAnnotations', label: 'ignore _[k] / _[j] annotations' },
  { id: 'relativePaths', label: 'match files across checkouts (by their shortest unique trailing path)' },
];

export function Toolbar({ diff, view, onView, highlight, compare, unitsComparable, theme }: Props) {
  const single = compare !== 'pair';
  // Base and Head colour frames by name, one profile alone has nothing to compare: the diff's colours, their legend and widths do not apply.
  const diffColours = !single && view.tab !== 'base' && view.tab !== 'head';
  const tabs = single ? TABS.filter((t) => t.id === (compare === 'base-only' ? 'base' : 'head')) : TABS;
  const [hide, setHide] = useState('');
  const pct = Math.round(FULL_COLOUR_SHARE * 100);
  const shares = useMemo(() => (highlight && view.search && !view.selected ? searchShares(diff, view.search) : null), [diff, highlight, view.search, view.selected]);
  const sampled = isSampled(diff);
  const setTransforms = (transforms: Transform[]) => onView({ transforms, zoom: null });
  const hasRecursion = view.transforms.some((t) => t.kind === 'collapse-recursion');
  const selectedName = view.selected ? displayKey(view.selected) : null;

  return (
    <div class="toolbar-wrap">
      <div class="toolbar">
        <div role="tablist" aria-label="View">
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              data-testid={`tab-${t.id}`}
              aria-selected={view.tab === t.id}
              class={view.tab === t.id ? 'active' : ''}
              onClick={() => onView({ tab: t.id, zoom: null })}
            >
              {t.label}
            </button>
          ))}
        </div>
        <Fold label="View" testid="view-options">
        {diffColours && (
          <>
            <label>
              widths{' '}
              <select data-testid="geometry" value={view.geometry} disabled={view.tab !== 'diff'} onChange={(e) => onView({ geometry: (e.target as HTMLSelectElement).value as ViewState['geometry'], zoom: null })}>
                <option value="head">head</option>
                <option value="base">base</option>
              </select>
            </label>
            <label>
              colour{' '}
              <select data-testid="colour-by" value={view.colourBy} onChange={(e) => onView({ colourBy: (e.target as HTMLSelectElement).value as ViewState['colourBy'] })}>
                <option value="self">self Δ</option>
                <option value="total">total Δ</option>
              </select>
            </label>
            {/* No word before it: the options name the colours, and the row must fit a 1280 px window with every option a sampled pair has. */}
            <label title="Diff colours: red/blue, or blue/orange (safe for red-green colour blindness); kept in the link">
              <select data-testid="palette" aria-label="palette" value={view.palette} onChange={(e) => onView({ palette: (e.target as HTMLSelectElement).value as ViewState['palette'] })}>
                <option value="rdbu">red/blue</option>
                <option value="blue-orange">blue/orange</option>
              </select>
            </label>
          </>
        )}
        <label>
          compare{' '}
          <select data-testid="mode" value={view.mode} disabled={single} onChange={(e) => onView({ mode: (e.target as HTMLSelectElement).value as ViewState['mode'] })}>
            <option value="absolute" disabled={!unitsComparable} title={unitsComparable ? undefined : 'base and head are in units that do not compare'}>
              absolute
            </option>
            <option value="proportional">share of run</option>
          </select>
        </label>
        {diff.head.events.length > 1 && (
          <label title="What the graph weighs: the callgrind event (derived events follow the recorded ones), the pprof sample type, the perf event">
            event{' '}
            <select data-testid="event" value={String(view.event ?? diff.head.eventIndex)} onChange={(e) => onView({ event: Number((e.target as HTMLSelectElement).value), zoom: null })}>
              {diff.head.events.map((ev, i) => (
                <option key={i} value={String(i)}>
                  {ev}
                </option>
              ))}
            </select>
          </label>
        )}
        {(diff.base.format === 'folded' || diff.head.format === 'folded') && (
          <label title="What the counts of a folded file are: samples, or time (stackcollapse-perf.pl over cpu-clock or task-clock periods gives nanoseconds). As read, counts that are all multiples of one period (1,001,001 at -F 999) are events, perf's event count, not samples">
            counts{' '}
            <select data-testid="folded-unit" value={view.unit ?? 'samples'} onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              onView({ unit: v === 'samples' ? null : (v as FoldedUnit), zoom: null });
            }}>
              <option value="samples">{view.unit ? 'as read' : foldedUnits(diff)}</option>
              {FOLDED_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </label>
        )}
        {diff.head.parts.length > 1 && (
          <label title="Which part of the file the graph shows: a callgrind part, a trace's thread, a speedscope profile; or all of them summed">
            part{' '}
            <select data-testid="part" value={String(view.part ?? diff.head.partIndex)} onChange={(e) => onView({ part: Number((e.target as HTMLSelectElement).value), zoom: null })}>
              <option value="-1">all, summed</option>
              {diff.head.parts.map((label, i) => (
                <option key={i} value={String(i)}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <select data-testid="orientation" aria-label="Orientation" value={view.flame ? 'flame' : 'icicle'} onChange={(e) => onView({ flame: (e.target as HTMLSelectElement).value === 'flame' })}>
            <option value="icicle">icicle</option>
            <option value="flame">flame</option>
          </select>
        </label>
        <label title="Bottom-up: the functions where time is spent at the root, their callers above them">
          <input type="checkbox" data-testid="inverted" checked={view.inverted} onChange={(e) => onView({ inverted: (e.target as HTMLInputElement).checked, zoom: null })} /> inverted
        </label>
        {sampled && !single && (
          <label title="Sampled profiles vary between identical runs: paint only changes beyond 3 standard deviations of the sample counts">
            <input type="checkbox" data-testid="noise" checked={view.noise} onChange={(e) => onView({ noise: (e.target as HTMLInputElement).checked })} /> hide noise
          </label>
        )}
        </Fold>
      </div>
      <div class="toolbar">
        <input
          type="search"
          data-testid="search"
          placeholder="Search frames (text or regex)"
          value={view.search}
          onInput={(e) => onView({ search: (e.target as HTMLInputElement).value, selected: null })}
        />
        {shares && (
          <span
            data-testid="search-share"
            data-estimated={shares.estimated ? '1' : undefined}
            class="muted shrink"
            title={`matches hold ${shares.estimated ? '≈' : ''}${formatShare(shares.base)} of base, ${shares.estimated ? '≈' : ''}${formatShare(shares.head)} of head${shares.estimated ? " (≈: callgrind's tree estimates where several functions' costs overlap)" : ''}`}
          >
            matches hold <b>{shares.estimated ? '≈' : ''}{formatShare(shares.base)}</b> of base, <b>{shares.estimated ? '≈' : ''}{formatShare(shares.head)}</b> of head
          </span>
        )}
        <details class="menu">
          <summary>Matching</summary>
          <div class="menu-body" data-testid="match-rules">
            <p class="muted">Frames are matched across base and head on a normalised name:</p>
            {RULES.map((r) => (
              <label key={r.id}>
                <input type="checkbox" checked={view.rules[r.id]} onChange={(e) => onView({ rules: { ...view.rules, [r.id]: (e.target as HTMLInputElement).checked } })} /> {r.label}
              </label>
            ))}
          </div>
        </details>
        <details class="menu">
          <summary>Transforms</summary>
          <div class="menu-body" data-testid="transforms">
            <label>
              <input
                type="checkbox"
                data-testid="collapse-recursion"
                checked={hasRecursion}
                onChange={(e) =>
                  setTransforms(
                    (e.target as HTMLInputElement).checked
                      ? [...view.transforms, { kind: 'collapse-recursion' }]
                      : view.transforms.filter((t) => t.kind !== 'collapse-recursion'),
                  )
                }
              />{' '}
              collapse recursion
            </label>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (hide.trim()) setTransforms([...view.transforms, { kind: 'hide', pattern: hide.trim() }]);
                setHide('');
              }}
            >
              <input value={hide} placeholder="hide frames matching…" onInput={(e) => setHide((e.target as HTMLInputElement).value)} /> <button type="submit">Hide</button>
            </form>
            {view.selected && (
              <div>
                <button data-testid="focus-selected" onClick={() => setTransforms([...view.transforms, { kind: 'focus', key: view.selected! }])}>
                  Focus on {selectedName}
                </button>{' '}
                <button data-testid="merge-selected" onClick={() => onView({ transforms: [...view.transforms, { kind: 'merge', key: view.selected! }], zoom: null, selected: null })}>
                  Merge {selectedName} into callers
                </button>
              </div>
            )}
            {!view.selected && <p class="muted">Select a function in the table to focus on it or merge it into its callers.</p>}
          </div>
        </details>
        {view.transforms.length > 0 && <span class="chips shrink">
        {view.transforms.map((t, i) => (
          <span class="chip" key={i}>
            {describeTransform(t, displayKey)}
            <button aria-label={`Remove ${describeTransform(t, displayKey)}`} onClick={() => setTransforms(view.transforms.filter((_, j) => j !== i))}>
              ×
            </button>
          </span>
        ))}
        </span>}
        <span class="spacer" />
        {diffColours && <span class="legend" data-testid="legend" aria-label="Colour legend">
          <i style={{ background: rgbaCss(diffColour(-FULL_COLOUR_SHARE, theme)) }} /> faster
          <i style={{ background: rgbaCss(diffColour(0, theme)) }} /> same
          <i style={{ background: rgbaCss(diffColour(FULL_COLOUR_SHARE, theme)) }} /> slower
          <i class="stripes" /> new/removed
          <span class="muted" title={`Full colour = a change of ${pct}% of the whole run`}> ({pct}%)</span>
        </span>}
      </div>
    </div>
  );
}

/** The units the folded sides were read in, as read (samples, or events for sums of sample periods). */
function foldedUnits(diff: Diff): string {
  return [...new Set([diff.base, diff.head].filter((s) => s.format === 'folded').map((s) => s.unit))].join(' / ');
}
