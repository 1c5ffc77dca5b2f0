import { useCallback, useMemo, useState } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import { frameHeadline, frameNumbers, nodeLabel, type ViewSettings } from '../model/diff-view';
import { LIGHT_THEME, type Theme } from '../render/theme';
import type { DrawStats, FlameData, FlameRenderer } from '../render/flame-renderer';
import { FlameGraph } from './FlameGraph';
import { diffFlameData } from './flame-data';
import { HoverCard } from './HoverCard';

interface Props {
  diff: Diff;
  view: ViewSettings & { zoom: number | null; flame: boolean };
  /** Frames to light up (others dim); null = all. */
  highlight: Uint8Array | null;
  onZoom: (node: number | null) => void;
  onDrawn: (stats: DrawStats) => void;
  onError: (message: string) => void;
  onRenderer?: (r: FlameRenderer | null) => void;
  label?: string;
  /** One profile alone: its own numbers, no Δ. */
  single?: boolean;
  unitsComparable?: boolean;
  /** The graph's colours (light red/blue when absent). */
  theme?: Theme;
}

/** Breadcrumbs beyond this many show as "… N more": the nearest levels matter most. */
const MAX_CRUMBS = 8;

/** A flame graph of a diff with its hover card: Base, Head or Diff colouring. */
export function DiffGraph({ diff, view, highlight, onZoom, onDrawn, onError, onRenderer, label, single = false, unitsComparable = true, theme = LIGHT_THEME }: Props) {
  const [hover, setHover] = useState<{ node: number; x: number; y: number }>({ node: -1, x: 0, y: 0 });
  const settings = { tab: view.tab, geometry: view.geometry, colourBy: view.colourBy, mode: view.mode, noise: view.noise };
  const data: FlameData = useMemo(() => diffFlameData(diff, settings, highlight, theme), [diff, view.tab, view.geometry, view.colourBy, view.mode, view.noise, highlight, theme]);
  const hovered = useMemo(
    () => (hover.node >= 0 && hover.node < diff.tree.func.length ? { frame: frameNumbers(diff, hover.node, settings), headline: frameHeadline(diff, hover.node, settings) } : null),
    [diff, hover.node, view.mode, view.colourBy, view.noise],
  );
  const onHover = useCallback((node: number, x: number, y: number) => setHover({ node, x, y }), []);
  const tab = view.tab === 'sandwich' ? 'diff' : view.tab;
  const crumbs = useMemo(() => {
    const out: number[] = [];
    for (let n = view.zoom ?? -1; n > 0 && n < diff.tree.parent.length; n = diff.tree.parent[n]) out.unshift(n);
    return out;
  }, [diff, view.zoom]);
  return (
    <>
      {/* Always present, so zooming never shifts the graph under the pointer. */}
      {(
        <nav class="crumbs" aria-label="Zoom path" data-testid="breadcrumbs" data-depth={crumbs.length}>
          <button onClick={() => onZoom(null)} aria-current={view.zoom === null ? 'true' : undefined}>
            all
          </button>
          {crumbs.length > MAX_CRUMBS && <span class="muted">… {crumbs.length - MAX_CRUMBS} more</span>}
          {crumbs.slice(-MAX_CRUMBS).map((n) => (
            <button key={n} onClick={() => onZoom(n)} aria-current={n === view.zoom ? 'true' : undefined} title={nodeLabel(diff, n)}>
              {nodeLabel(diff, n)}
            </button>
          ))}
        </nav>
      )}
      <FlameGraph
        data={data}
        label={label}
        flame={view.flame}
        zoomNode={view.zoom}
        onZoom={onZoom}
        onRenderer={onRenderer}
        shapeKey={`${tab}:${view.geometry}:${diff.tree.func.length}:${diff.base.name}:${diff.head.name}:${diff.base.total}`}
        onDrawn={onDrawn}
        onHover={onHover}
        onError={onError}
      />
      {hovered && (
        <HoverCard
          frame={hovered.frame}
          headline={hovered.headline}
          units={{ base: diff.base.unit, head: diff.head.unit }}
          tab={tab}
          single={single}
          unitsComparable={unitsComparable}
          x={Math.min(hover.x + 14, window.innerWidth - 470)}
          y={hover.y + 14 + 160 > window.innerHeight ? hover.y - 170 : hover.y + 14}
        />
      )}
    </>
  );
}
