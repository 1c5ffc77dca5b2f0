import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Comparison, type ComparisonOutcome } from '../client/comparison';
import type { Diff } from '../model/diff-model';
import { describeError, type ParseErrorInfo } from '../model/profile';
import type { Progress, Side, Source } from '../model/worker-api';
import { DEFAULT_MATCH_RULES } from '../model/match-key';
import { DEFAULT_SETTINGS, changeShare, frameNumbers, nodeLabel, widthsFor, type ViewSettings } from '../model/diff-view';
import { diffColour, nameColour } from '../render/colours';
import type { FlameData } from '../render/flame-renderer';
import { DropZone, progressLabel, type SideStatus } from './DropZone';
import { FlameGraph } from './FlameGraph';
import { HoverCard } from './HoverCard';
import { Summary } from './Summary';
import { Toolbar } from './Toolbar';
import { DEMO, nameFromUrl, readLink } from './url-state';

export type AppState = 'empty' | 'loading' | 'ready' | 'error';

export function App() {
  const comparison = useRef<Comparison | null>(null);
  if (!comparison.current) comparison.current = new Comparison();
  const [state, setState] = useState<AppState>('empty');
  const [errors, setErrors] = useState<ParseErrorInfo[]>([]);
  const [status, setStatus] = useState<Record<Side, SideStatus>>({ base: {}, head: {} });
  const [diff, setDiff] = useState<Diff | null>(null);
  const [settings, setSettings] = useState<ViewSettings>(() => ({ ...DEFAULT_SETTINGS, tab: readLink().tab ?? DEFAULT_SETTINGS.tab }));
  const [hover, setHover] = useState<{ node: number; x: number; y: number }>({ node: -1, x: 0, y: 0 });
  const [drawnDiff, setDrawnDiff] = useState<Diff | null>(null);
  const loadSeq = useRef(0);

  useEffect(() => {
    document.documentElement.dataset.state = state;
  }, [state]);

  const applyOutcome = (out: ComparisonOutcome) => {
    const sides = out.ok ? { base: out.base, head: out.head } : out.loaded;
    setStatus({ base: { info: sides.base?.result.side }, head: { info: sides.head?.result.side } });
    if (out.ok) {
      setErrors([]);
      setDiff(out.diff);
      (window as unknown as { __flamediffTimings?: unknown }).__flamediffTimings = out.timings;
    } else {
      setErrors(out.errors);
      setState('error');
    }
  };

  const load = useCallback(async (sources: Partial<Record<Side, Source>>) => {
    const seq = ++loadSeq.current;
    setState('loading');
    setErrors([]);
    setHover({ node: -1, x: 0, y: 0 });
    const onProgress = (side: Side, p: Progress) => {
      if (seq !== loadSeq.current) return;
      setStatus((s) => ({
        ...s,
        [side]: { ...s[side], progress: p.total ? p.bytes / p.total : 0, progressLabel: progressLabel(p.phase, p.bytes, p.total) },
      }));
    };
    const out = await comparison.current!.load(sources, DEFAULT_MATCH_RULES, onProgress);
    if (seq !== loadSeq.current) return;
    applyOutcome(out);
  }, []);

  // A share link (or the demo) loads on start.
  useEffect(() => {
    const link = readLink();
    const base = link.base ?? (link.demo ? DEMO.base : null);
    const head = link.head ?? (link.demo ? DEMO.head : null);
    const sources: Partial<Record<Side, Source>> = {};
    // Resolved here: the worker's own location is the script's, not the page's.
    const abs = (u: string) => new URL(u, location.href).href;
    if (base) sources.base = { kind: 'url', url: abs(base), name: nameFromUrl(base) };
    if (head) sources.head = { kind: 'url', url: abs(head), name: nameFromUrl(head) };
    if (base || head) void load(sources);
  }, []);

  const onFiles = useCallback(
    (side: Side, files: File[]) => {
      if (files.length >= 2) {
        // Two files at once: the older one (by modification time) is base.
        const [a, b] = [...files].sort((x, y) => x.lastModified - y.lastModified);
        void load({ base: { kind: 'blob', blob: a, name: a.name }, head: { kind: 'blob', blob: b, name: b.name } });
      } else void load({ [side]: { kind: 'blob', blob: files[0], name: files[0].name } });
    },
    [load],
  );

  // Dropping anywhere on the page works like dropping on the zones.
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) onFiles(diff ? 'head' : 'base', files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles, diff]);

  const swap = useCallback(async () => {
    const s = comparison.current!.sides;
    if (!s.base || !s.head) return;
    const [baseBlob, headBlob] = await Promise.all([comparison.current!.original('base'), comparison.current!.original('head')]);
    const toSource = (src: Source, blob: Blob | null): Source => (blob ? { kind: 'blob', blob, name: src.name } : src);
    void load({ base: toSource(s.head.source, headBlob), head: toSource(s.base.source, baseBlob) });
  }, [load]);

  const flameData: FlameData | null = useMemo(() => {
    if (!diff) return null;
    const s = settings;
    return {
      tree: diff.tree,
      widths: widthsFor(diff, s),
      colourOf: s.tab === 'diff' ? (n) => diffColour(changeShare(diff, n, s)) : (n) => nameColour(nodeLabel(diff, n)),
      labelOf: (n) => nodeLabel(diff, n),
    };
  }, [diff, settings]);

  const maxDepth = useMemo(() => (diff ? diff.tree.depth.reduce((m, d) => (d > m ? d : m), 0) : 0), [diff]);
  const hovered = useMemo(() => (diff && hover.node >= 0 ? frameNumbers(diff, hover.node, settings) : null), [diff, hover.node, settings]);

  const onDrawn = useCallback(
    (rects: number) => {
      if (diff && rects > 0 && drawnDiff !== diff) {
        setDrawnDiff(diff);
        setState((s) => (s === 'loading' ? 'ready' : s));
      }
    },
    [diff, drawnDiff],
  );

  const loaded = !!diff;
  return (
    <div class={`app ${loaded ? 'loaded' : 'start'}`}>
      <header>
        <h1>
          <span class="logo" aria-hidden="true">▤</span> Flamediff
        </h1>
        {diff && <Summary diff={diff} settings={settings} />}
      </header>
      <section class="inputs" aria-label="Profiles">
        <DropZone side="base" status={status.base} onFiles={onFiles} />
        <button class="swap" onClick={swap} disabled={!status.base.info || !status.head.info} title="Swap base and head">
          ⇄ Swap
        </button>
        <DropZone side="head" status={status.head} onFiles={onFiles} />
      </section>
      {errors.length > 0 && (
        <div class="error" role="alert">
          {errors.map((e, i) => (
            <div key={i}>
              <strong>Could not read {e.file || 'the profile'}.</strong> {describeError(e)}
            </div>
          ))}
        </div>
      )}
      {!loaded && state !== 'loading' && (
        <div class="intro">
          <p>
            Drop a <b>base</b> profile (before your change) and a <b>head</b> profile (after) to see where it got slower. Files never leave this
            browser.
          </p>
          <p>Reads valgrind callgrind, perf collapsed stacks and V8 .cpuprofile.</p>
          <p>
            <a href="?demo">Open the demo pair</a> (a CRC-32 that went from table-driven to bitwise).
          </p>
        </div>
      )}
      {diff && flameData && (
        <>
          <Toolbar diff={diff} settings={settings} onSettings={setSettings} />
          <FlameGraph
            data={flameData}
            shapeKey={`${settings.tab}:${settings.geometry}:${diff.tree.func.length}:${diff.base.name}:${diff.head.name}`}
            maxDepth={maxDepth}
            onDrawn={onDrawn}
            onHover={(node, x, y) => setHover({ node, x, y })}
            onError={(message) => {
              setErrors([{ file: '', format: 'unknown', message }]);
              setState('error');
            }}
          />
          {hovered && <HoverCard frame={hovered} unit={diff.head.unit} tab={settings.tab} x={hover.x + 14} y={hover.y + 14} />}
        </>
      )}
    </div>
  );
}
