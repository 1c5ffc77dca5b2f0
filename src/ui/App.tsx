import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Comparison, type ComparisonOutcome } from '../client/comparison';
import type { Diff } from '../model/diff-model';
import { describeError, type ParseErrorInfo } from '../model/profile';
import type { Progress, Side, Source } from '../model/worker-api';
import { encodeRules } from '../model/match-key';
import { applyTransforms, invertTree } from '../model/transforms';
import { functionMask, searchMask, widestNode } from '../model/highlight';
import { DropZone, progressLabel, type SideStatus } from './DropZone';
import { Summary } from './Summary';
import { Toolbar } from './Toolbar';
import { FunctionTable } from './FunctionTable';
import { DiffGraph } from './DiffGraph';
import { Sandwich } from './Sandwich';
import { DEMO, nameFromUrl, readLink, writeLink, type ViewState } from './url-state';
import { loadPixi, prewarmRenderer, type DrawStats, type FlameRenderer } from '../render/flame-renderer';
import { openHistory, toSources, type History } from '../store/history';
import { startPwa } from '../client/pwa';
import { consumeLaunchQueue } from '../client/launch-queue';
import { HistoryList } from './HistoryList';
import { UpdatePrompt } from './UpdatePrompt';

export type AppState = 'empty' | 'loading' | 'ready' | 'error';

export function App() {
  const comparison = useRef<Comparison | null>(null);
  if (!comparison.current) comparison.current = new Comparison();
  const initial = useMemo(() => readLink(), []);
  const [state, setState] = useState<AppState>('empty');
  const [errors, setErrors] = useState<ParseErrorInfo[]>([]);
  const [status, setStatus] = useState<Record<Side, SideStatus>>({ base: {}, head: {} });
  const [diff, setDiff] = useState<Diff | null>(null);
  const [view, setView] = useState<ViewState>(initial.view);
  /** Profile URLs of a link (local files can't be linked). */
  const [link, setLink] = useState({ base: initial.base, head: initial.head, demo: initial.demo });
  const drawnDiff = useRef<Diff | null>(null);
  const renderer = useRef<FlameRenderer | null>(null);
  const loadSeq = useRef(0);
  const [store, setStore] = useState<History | null>(null);
  const storeRef = useRef<History | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void startPwa();
    let opened: History | null = null;
    void openHistory().then((h) => {
      opened = storeRef.current = h;
      setStore(h);
    });
    return () => opened?.close();
  }, []);

  /** Keeps the comparison (its original bytes) in history, so it reopens offline. */
  const keep = async () => {
    const h = storeRef.current;
    const c = comparison.current!;
    const s = c.sides;
    if (!h?.available) return;
    const [base, head] = await Promise.all([s.base ? c.original('base') : null, s.head ? c.original('head') : null]);
    const url = (side: Side) => {
      const src = s[side]?.source;
      return src?.kind === 'url' ? src.url : undefined;
    };
    const r = await h.add(
      {
        base: base && s.base ? { name: s.base.source.name, format: s.base.result.side.format } : undefined,
        head: head && s.head && !s.head.result.alsoLoadedHead ? { name: s.head.source.name, format: s.head.result.side.format } : undefined,
        source: { baseUrl: url('base'), headUrl: url('head') },
      },
      { base: base ?? undefined, head: head && !s.head?.result.alsoLoadedHead ? head : undefined },
    );
    if (!r.ok) setNotice(`Not kept in history: ${r.reason}`);
  };

  useEffect(() => {
    document.documentElement.dataset.state = state;
  }, [state]);

  // File names are untrusted text: document.title takes them as text, never as markup.
  useEffect(() => {
    document.title = diff ? `${diff.base.name} → ${diff.head.name} · Flamediff` : 'Flamediff';
  }, [diff]);

  // The URL follows the view, so a copied link reproduces it.
  useEffect(() => {
    const search = writeLink(link, view);
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  }, [link, view]);

  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);

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

  const load = useCallback(async (sources: Partial<Record<Side, Source>>, keepView = false) => {
    const seq = ++loadSeq.current;
    setState('loading');
    setErrors([]);
    if (!keepView) setView((v) => ({ ...v, zoom: null, selected: null }));
    const onProgress = (side: Side, p: Progress) => {
      if (seq !== loadSeq.current) return;
      setStatus((s) => ({
        ...s,
        [side]: { ...s[side], progress: p.total ? p.bytes / p.total : 0, progressLabel: progressLabel(p.phase, p.bytes, p.total) },
      }));
    };
    let out = await comparison.current!.load(sources, view.rules, onProgress);
    if (seq !== loadSeq.current) return;
    if (!out.ok && out.errors.every((e) => e.stage === 'download')) {
      // Offline, or the server is gone: a link's comparison may still be in history.
      const fallback = await fromHistoryByUrl(sources);
      if (fallback && seq === loadSeq.current) {
        out = await comparison.current!.load(fallback, view.rules, onProgress);
        if (out.ok) setNotice('The profile URLs could not be downloaded: showing the copy kept in history.');
      }
    }
    if (seq !== loadSeq.current) return;
    applyOutcome(out);
    if (out.ok) void keep();
  }, [view.rules]);

  const fromHistoryByUrl = async (sources: Partial<Record<Side, Source>>): Promise<Partial<Record<Side, Source>> | null> => {
    const h = storeRef.current ?? (await openHistory());
    const baseUrl = sources.base?.kind === 'url' ? sources.base.url : undefined;
    const headUrl = sources.head?.kind === 'url' ? sources.head.url : undefined;
    if (!h.available || (!baseUrl && !headUrl)) return null;
    const entry = (await h.list()).find((e) => !e.damaged && e.source?.baseUrl === baseUrl && e.source?.headUrl === headUrl);
    if (!entry) return null;
    const got = await h.get(entry.id);
    return got.ok ? toSources(got) : null;
  };

  const openFromHistory = useCallback(
    async (id: number) => {
      const got = await storeRef.current!.get(id);
      if (!got.ok) {
        setErrors([{ file: '', format: 'unknown', message: got.reason }]);
        setState('error');
        return;
      }
      const baseUrl = got.entry.source?.baseUrl;
      const headUrl = got.entry.source?.headUrl;
      setLink({ base: baseUrl ?? null, head: headUrl ?? null, demo: false });
      void load(toSources(got));
    },
    [load],
  );

  // A share link (or the demo) loads on start, with the view it carries.
  useEffect(() => {
    const base = initial.base ?? (initial.demo ? DEMO.base : null);
    const head = initial.head ?? (initial.demo ? DEMO.head : null);
    const sources: Partial<Record<Side, Source>> = {};
    // Resolved here: the worker's own location is the script's, not the page's.
    const abs = (u: string) => new URL(u, location.href).href;
    if (base) sources.base = { kind: 'url', url: abs(base), name: nameFromUrl(base) };
    if (head) sources.head = { kind: 'url', url: abs(head), name: nameFromUrl(head) };
    comparison.current!.setOptions({ event: initial.view.event });
    if (base || head) void load(sources, true);
    // While the workers download and parse, the renderer's code loads and WebGL starts.
    if (base || head) prewarmRenderer();
    else void loadPixi();
  }, []);

  // Another callgrind event: both files are read again with it (their bytes are still in the workers).
  const firstEvent = useRef(view.event);
  useEffect(() => {
    if (view.event === firstEvent.current) return;
    firstEvent.current = view.event;
    if (!diff) return;
    setState('loading');
    void comparison.current!.reparse({ event: view.event }, view.rules).then(applyOutcome);
  }, [view.event]);

  // Other matching rules: diff again in the worker (the profiles are still there).
  const rulesKey = encodeRules(view.rules);
  const firstRules = useRef(rulesKey);
  useEffect(() => {
    if (rulesKey === firstRules.current && !diff) return;
    firstRules.current = rulesKey;
    if (!diff) return;
    setState('loading');
    void comparison.current!.rediff(view.rules).then(applyOutcome);
  }, [rulesKey]);

  const onFiles = useCallback(
    (side: Side, files: File[]) => {
      setLink({ base: null, head: null, demo: false });
      if (files.length >= 2) {
        // Two files at once: the older one (by modification time) is base.
        const [a, b] = [...files].sort((x, y) => x.lastModified - y.lastModified);
        void load({ base: { kind: 'blob', blob: a, name: a.name }, head: { kind: 'blob', blob: b, name: b.name } });
      } else void load({ [side]: { kind: 'blob', blob: files[0], name: files[0].name } });
    },
    [load],
  );

  // Files opened with the installed app from the operating system.
  const onLaunch = useRef((_: File[]) => {});
  onLaunch.current = (files) => onFiles(diff ? 'head' : 'base', files);
  useEffect(() => {
    consumeLaunchQueue(
      (files) => onLaunch.current(files),
      (message) => setErrors([{ file: '', format: 'unknown', message }]),
    );
  }, []);

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
    setLink((l) => ({ base: l.head, head: l.base, demo: false }));
    void load({ base: toSource(s.head.source, headBlob), head: toSource(s.base.source, baseBlob) });
  }, [load]);

  // Transforms apply to both sides at once, on the merged tree.
  const transformed = useMemo(() => (diff ? applyTransforms(diff, view.transforms) : null), [diff, view.transforms]);
  const shown = useMemo(() => (transformed && view.inverted ? invertTree(transformed) : transformed), [transformed, view.inverted]);
  const highlight = useMemo(() => {
    if (!shown) return null;
    return (view.selected ? functionMask(shown, view.selected) : null) ?? searchMask(shown, view.search);
  }, [shown, view.selected, view.search]);

  const selectFunction = useCallback(
    (key: string | null) => {
      if (!shown || !key) return update({ selected: null });
      const mask = functionMask(shown, key);
      const widths = view.geometry === 'base' || view.tab === 'base' ? shown.tree.baseTotal : shown.tree.headTotal;
      const node = mask ? widestNode(mask, widths) : -1;
      update({ selected: key, zoom: node > 0 ? node : null });
    },
    [shown, view.geometry, view.tab],
  );

  const onDrawn = useCallback(
    (stats: DrawStats) => {
      // For automation and the benchmark: what the last frame cost.
      (window as unknown as { __flamediffRender?: DrawStats }).__flamediffRender = stats;
      if (diff && stats.rects > 0 && drawnDiff.current !== diff) {
        drawnDiff.current = diff;
        setState((s) => (s === 'loading' ? 'ready' : s));
      } else if (diff && drawnDiff.current === diff) setState((s) => (s === 'loading' ? 'ready' : s));
    },
    [diff],
  );

  const onGraphError = useCallback((message: string) => {
    setErrors([{ file: '', format: 'unknown', message }]);
    setState('error');
  }, []);

  const loaded = !!shown;
  return (
    <div class={`app ${loaded ? 'loaded' : 'start'}`}>
      <header>
        <h1>
          <span class="logo" aria-hidden="true">▤</span> Flamediff
        </h1>
        {shown && <Summary diff={shown} settings={view} />}
      </header>
      <section class="inputs" aria-label="Profiles">
        <DropZone side="base" status={status.base} onFiles={onFiles} />
        <button class="swap" onClick={swap} disabled={!status.base.info || !status.head.info} title="Swap base and head">
          ⇄ Swap
        </button>
        <DropZone side="head" status={status.head} onFiles={onFiles} />
      </section>
      {notice && (
        <div class="notice" role="status">
          {notice} <button onClick={() => setNotice(null)}>Dismiss</button>
        </div>
      )}
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
            Demos: <a href="?demo">CodSpeed's parse_pr example</a> (callgrind: <code>str.find</code> replaced by a regular expression) ·{' '}
            <a href="?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded">a CRC-32 made bitwise</a> (perf samples).
          </p>
          <HistoryList history={store} onOpen={openFromHistory} />
        </div>
      )}
      {shown && (
        <>
          <Toolbar
            diff={shown}
            view={view}
            onView={update}
            highlight={highlight}
            linkable={!!(link.base || link.head || link.demo)}
            snapshot={() => renderer.current?.toDataURL() ?? null}
          />
          <div class="main">
            {view.tab === 'sandwich' ? (
              <Sandwich diff={shown} view={view} onDrawn={onDrawn} onError={onGraphError} />
            ) : (
              <DiffGraph
                diff={shown}
                view={view}
                highlight={highlight}
                onZoom={(zoom) => update({ zoom })}
                onDrawn={onDrawn}
                onError={onGraphError}
                onRenderer={(r) => (renderer.current = r)}
              />
            )}
            {transformed && <FunctionTable diff={transformed} selected={view.selected} onSelect={selectFunction} />}
          </div>
        </>
      )}
      <UpdatePrompt />
    </div>
  );
}

