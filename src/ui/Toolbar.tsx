import type { Diff } from '../model/diff-model';
import type { ViewSettings, Tab } from '../model/diff-view';
import { exportDiff } from '../model/export-json';
import { diffColour } from '../render/colours';
import { rgbaCss } from '../render/colours';
import { FULL_COLOUR_SHARE } from '../render/constants';

interface Props {
  diff: Diff;
  settings: ViewSettings;
  onSettings: (s: ViewSettings) => void;
}

const TABS: { id: Tab; label: string }[] = [
  { id: 'base', label: 'Base' },
  { id: 'head', label: 'Head' },
  { id: 'diff', label: 'Diff' },
];

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Toolbar({ diff, settings, onSettings }: Props) {
  const set = (patch: Partial<ViewSettings>) => onSettings({ ...settings, ...patch });
  const pct = Math.round(FULL_COLOUR_SHARE * 100);
  return (
    <div class="toolbar">
      <div role="tablist" aria-label="View">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            data-testid={`tab-${t.id}`}
            aria-selected={settings.tab === t.id}
            class={settings.tab === t.id ? 'active' : ''}
            onClick={() => set({ tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {settings.tab === 'diff' && (
        <>
          <label>
            widths follow{' '}
            <select data-testid="geometry" value={settings.geometry} onChange={(e) => set({ geometry: (e.target as HTMLSelectElement).value as ViewSettings['geometry'] })}>
              <option value="head">head</option>
              <option value="base">base (shows removed code)</option>
            </select>
          </label>
          <label>
            colour by{' '}
            <select data-testid="colour-by" value={settings.colourBy} onChange={(e) => set({ colourBy: (e.target as HTMLSelectElement).value as ViewSettings['colourBy'] })}>
              <option value="self">self Δ</option>
              <option value="total">total Δ</option>
            </select>
          </label>
          <label>
            compare{' '}
            <select data-testid="mode" value={settings.mode} onChange={(e) => set({ mode: (e.target as HTMLSelectElement).value as ViewSettings['mode'] })}>
              <option value="absolute">absolute</option>
              <option value="proportional">proportional (share of each run)</option>
            </select>
          </label>
          <span class="legend" aria-label="Colour legend">
            <i style={{ background: rgbaCss(diffColour(-FULL_COLOUR_SHARE)) }} /> faster
            <i style={{ background: rgbaCss(diffColour(0)) }} /> same
            <i style={{ background: rgbaCss(diffColour(FULL_COLOUR_SHARE)) }} /> slower
            <span class="muted"> (full colour = {pct}% of the run)</span>
          </span>
        </>
      )}
      <span class="spacer" />
      <button
        data-testid="export-json"
        onClick={() => download('flamediff.json', JSON.stringify(exportDiff(diff), null, 1), 'application/json')}
      >
        Export JSON
      </button>
    </div>
  );
}
