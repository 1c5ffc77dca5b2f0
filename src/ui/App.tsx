import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Diff } from '../model/diff-model';
import type { Side, Source } from '../model/worker-api';
import { displayKey, encodeRules } from '../model/match-key';
import { applyTransforms, invertTree } from '../model/transforms';
import { functionMask, searchMask, widestNode } from '../model/highlight';
import { planDrop } from '../model/pairing';
import { bundleRuns, runsName } from '../model/runs-bundle';
import { nodeOfPath, nodePath } from '../model/node-path';
import { comparable, effectiveSettings } from '../model/view-model';
import { needsDiff } from '../model/comparison-state';
import { describeVerdict, verdictOf } from '../model/verdict';
import { DropZone } from './DropZone';
import { Summary } from './Summary';
import { Toolbar } from './Toolbar';
import { ExportButtons } from './ExportButtons';
import { exportImage } from './export-image';
import { Splitter } from './Splitter';
import { nextChoice, useColorScheme } from './color-scheme';
import { themeFor } from '../render/theme';
import { FunctionTable } from './FunctionTable';
import { DiffGraph } from './DiffGraph';
import { Sandwich } from './Sandwich';
import { Notices } from './Notices';
import { DEMO, nameFromUrl } from './url-state';
import type { DrawStats, FlameRenderer } from '../render/flame-renderer';
import { toSources } from '../store/history';
import { startPwa } from '../client/pwa';
import { whenIdle } from '../client/when-idle';
import { consumeLaunchQueue } from '../client/launch-queue';
import { HistoryList } from './HistoryList';
import { UpdatePrompt } from './UpdatePrompt';
import { KeyList } from './KeyList';
import { isTyping, keyAction, tabsFor } from './keys';
import { useComparison } from './use-comparison';
import { useHistory } from './use-history';
import { useUrlView } from './use-url-view';

export type AppState = 'empty' | 'loading' | 'ready' | 'error';

export function App() {
  const scheme = useColorScheme();
  const { initial, view, update, link, setLink } = useUrlView();
  const theme = themeFor(scheme.scheme === 'dark', view.palette);
  // Text that says slower or faster (header, verdict, table) takes the palette's colours too.
  useLayoutEffect(() => {
    document.documentElement.dataset.palette = view.palette;
  }, [view.palette]);
  const [state, driver] = useComparison(initial.view.rules, readOptions(initial.view));
  // The view as last rendered, for handlers that outlive their render (a drop read with the event just picked).
  const viewNow = useRef(view);
  viewNow.current = view;
  const history = useHistory();
  const renderer = useRef<FlameRenderer | null>(null);
  const [drawn, setDrawn] = useState<{ diff: Diff; tab: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [graphError, setGraphError] = useState<string | null>(null);
  const [kept, setKept] = useState<'saving' | 'kept' | 'not-kept' | null>(null);
  const [keysOpen, setKeysOpen] = useState(false);

  const fromLink = !!(initial.base.length || initial.head.length || initial.demo);

  const c = useMemo(() => comparable(state), [state]);
  const chosen = effectiveSettings(view, c);
  // Both sides read but the diff not yet started is loading too (never `empty` between the two).
  const loading = state.base.status === 'loading' || state.head.status === 'loading' || state.diff.status === 'computing' || needsDiff(state);

  // Transforms apply to both sides at once, on the merged tree; the sandwich always reads the top-down tree.
  const transformed = useMemo(() => (c.diff ? applyTransforms(c.diff, view.transforms) : null), [c.diff, view.transforms]);
  const shown = useMemo(() => (transformed && view.inverted ? invertTree(transformed) : transformed), [transformed, view.inverted]);
  // A view where head has no cost at all (focus on a removed function) is drawn with base's widths, and says so.
  const headEmpty = !!shown && chosen.tab === 'diff' && chosen.geometry === 'head' && shown.tree.headTotal[0] === 0 && shown.tree.baseTotal[0] > 0;
  const settings = headEmpty ? { ...chosen, geometry: 'base' as const } : chosen;
  // The answer in one line, from the table's own figures (transforms applied, noise as the colours see it).
  const cutSides = c.diff ? (['base', 'head'] as const).filter((side) => c.diff![side].incomplete.length > 0) : [];
  const verdict = useMemo(() => (transformed && c.compare === 'pair' ? verdictOf(transformed, settings.mode, settings.noise, c.units.comparable) : null), [transformed, c.compare, settings.mode, settings.noise, c.units.comparable]);
  // The zoom is kept as a call path; the graph wants the node it names in the tree shown now.
  const zoomNode = useMemo(() => (shown && view.zoom ? nodeOfPath(shown, view.zoom).node : null), [shown, view.zoom]);
  const zoomTo = useCallback((node: number | null) => update({ zoom: shown && node !== null && node > 0 ? nodePath(shown, node) : null }), [shown]);
  // A version-1 link's node number names a node of the first tree it loads.
  const legacyZoom = useRef(initial.legacyZoom);
  useEffect(() => {
    if (!shown || legacyZoom.current === null || loading) return;
    const node = legacyZoom.current;
    legacyZoom.current = null;
    if (node < shown.tree.func.length) update({ zoom: nodePath(shown, node) });
  }, [shown, loading]);
  const highlight = useMemo(() => {
    if (!shown) return null;
    return (view.selected ? functionMask(shown, view.selected) : null) ?? searchMask(shown, view.search);
  }, [shown, view.selected, view.search]);

  // Ready once what is on screen now was drawn: the shown tree in the current tab (a sandwich without a selection draws nothing).
  // A view with no cost left (a hide that matches everything) draws no frame: it is shown as it is.
  const nothingToDraw = (settings.tab === 'sandwich' && !view.selected) || (!!shown && shown.tree.baseTotal[0] === 0 && shown.tree.headTotal[0] === 0);
  const isDrawn = nothingToDraw || (!!drawn && drawn.diff === shown && drawn.tab === settings.tab);
  const appState: AppState = graphError
    ? 'error'
    : shown && !loading && isDrawn
      ? 'ready'
      : loading || shown
        ? 'loading'
        : c.errors.length
          ? 'error'
          : 'empty';
  // Set before the browser paints (a layout effect), so automation never reads a state the page no longer shows.
  useLayoutEffect(() => {
    const root = document.documentElement;
    root.dataset.state = appState;
    if (c.compare && shown) root.dataset.compare = c.compare;
    else delete root.dataset.compare;
    // A comparison ready but not yet handed to history is being saved: never the last one's "kept".
    const pending = state.diff.status === 'ready' && `${state.diff.baseId}:${state.diff.headId}` !== keptIds.current;
    const history = pending ? 'saving' : kept;
    if (history) root.dataset.history = history;
    else delete root.dataset.history;
  }, [appState, c.compare, shown, kept, state.diff]);

  // The service worker precaches the whole app (every chunk, the demo files): it waits until the first
  // frame is drawn (or the empty app is up), so its downloads do not compete with the share link's.
  const pwaStarted = useRef(false);
  useEffect(() => {
    if (pwaStarted.current || !(appState === 'ready' || appState === 'error' || (appState === 'empty' && !fromLink))) return;
    pwaStarted.current = true;
    whenIdle(() => void startPwa(), 2000, 500);
  }, [appState]);

  // The workers start on first use; on an empty page, once it is idle, so that a drop finds them up.
  useEffect(() => {
    if (appState !== 'empty') return;
    return whenIdle(() => driver.warm(), 2000, 500);
  }, [appState === 'empty']);

  // The page's keys (keys.ts); the graph and the table handle their own while focused.
  const keyContext = useRef({ tabs: tabsFor(null), view });
  keyContext.current = { tabs: shown ? tabsFor(c.compare) : [], view };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const { tabs, view: v } = keyContext.current;
      const a = keyAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(document.activeElement) }, tabs);
      if (!a) return;
      e.preventDefault();
      if (a.kind === 'search') {
        const box = document.querySelector<HTMLInputElement>('[data-testid=search]');
        box?.focus();
        box?.select();
      } else if (a.kind === 'keys') setKeysOpen((o) => !o);
      else if (a.kind === 'tab') update({ tab: a.tab, zoom: null });
      else {
        const on = v.transforms.some((t) => t.kind === 'collapse-recursion');
        update({ transforms: on ? v.transforms.filter((t) => t.kind !== 'collapse-recursion') : [...v.transforms, { kind: 'collapse-recursion' }], zoom: null });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // File names are untrusted text: document.title takes them as text, never as markup.
  useEffect(() => {
    const name = (s: Side) => (state[s].status === 'loaded' ? (state[s] as { info: { name: string } }).info.name : null);
    const [b, h] = [name('base'), name('head')];
    document.title = c.compare === 'pair' ? `${b} → ${h} · Flamediff` : c.compare ? `${b ?? h} · Flamediff` : 'Flamediff';
  }, [state, c.compare]);

  useEffect(() => {
    if (state.diff.status === 'ready') (window as unknown as { __flamediffTimings?: unknown }).__flamediffTimings = state.diff.timings;
  }, [state.diff]);

  // Every new comparison (not a re-diff of the same files) is kept in history, once its first frame is
  // on screen: reading the files back and hashing them must not hold up that frame.
  const keptIds = useRef('');
  useEffect(() => {
    if (state.diff.status !== 'ready' || (appState !== 'ready' && appState !== 'error')) return;
    const ids = `${state.diff.baseId}:${state.diff.headId}`;
    if (ids === keptIds.current) return;
    keptIds.current = ids;
    setKept('saving');
    const said = verdict ? describeVerdict(verdict) : undefined;
    // A side not downloaded from the link (a file dropped over a share link) has no URL either.
    const fromLink = (side: Side) => {
      const x = state[side];
      return x.status === 'loaded' && (x.source.kind === 'url' || x.source.kind === 'urls');
    };
    const local = !link.demo && !(fromLink('base') && fromLink('head'));
    void afterFrame().then(() => history.keep(state, driver, said)).then(
      (r) => {
        const reason = r && 'reason' in r ? r.reason : null;
        setKept(reason ? 'not-kept' : 'kept');
        if (reason) setNotice(`Not kept in history: ${reason}`);
        // Local files have no URL: the entry stands for them in the address, so a reload reopens them.
        if (r && 'id' in r && local && keptIds.current === ids) setLink((l) => (l.demo ? l : { ...l, base: [], head: [], entry: r.id }));
      },
      () => setKept('not-kept'),
    );
  }, [state.diff, appState]);

  const load = useCallback(
    (sources: Partial<Record<Side, Source>>, opts: { keepView?: boolean; pairing?: Parameters<typeof driver.load>[1] } = {}) => {
      setGraphError(null);
      if (!opts.keepView) update({ zoom: null, selected: null });
      driver.load(sources, opts.pairing, readOptions(viewNow.current));
    },
    [driver],
  );

  // A share link whose server is unreachable reopens from history, when it was kept there.
  const linkSources = useRef<Partial<Record<Side, Source>> | null>(null);
  useEffect(() => {
    const want = linkSources.current;
    if (!want) return;
    const sides = (Object.keys(want) as Side[]).filter((s) => want[s]);
    if (sides.some((s) => state[s].status === 'loading')) return;
    const downloadFailed = sides.every((s) => state[s].status === 'failed' && (state[s] as { error: { stage?: string } }).error.stage === 'download');
    linkSources.current = null;
    if (!downloadFailed) return;
    void history.byUrl(want).then((fallback) => {
      if (!fallback) return;
      setNotice('The profile URLs could not be downloaded: showing the copy kept in history.');
      load(fallback, { keepView: true });
    });
  }, [state.base, state.head]);

  // A share link (or the demo) loads on start, with the view it carries: in a layout effect, so the
  // workers get their URLs before the first paint, not after it (a passive effect waits for a frame).
  useLayoutEffect(() => {
    const base = initial.base.length ? initial.base : initial.demo ? [DEMO.base] : [];
    const head = initial.head.length ? initial.head : initial.demo ? [DEMO.head] : [];
    const sources: Partial<Record<Side, Source>> = {};
    // Resolved here: the worker's own location is the script's, not the page's.
    const abs = (u: string) => new URL(u, location.href).href;
    // Several URLs for a side (`?base=u1&base=u2`) are several runs of it.
    const source = (urls: string[]): Source =>
      urls.length === 1 ? { kind: 'url', url: abs(urls[0]), name: nameFromUrl(urls[0]) } : { kind: 'urls', urls: urls.map(abs), name: runsName(urls.map(nameFromUrl)) };
    if (base.length) sources.base = source(base);
    if (head.length) sources.head = source(head);
    if (base.length || head.length) {
      linkSources.current = sources;
      load(sources, { keepView: true });
    }
  }, []);

  // Another event, part or folded unit: the loaded files are read again with it (their bytes are still in the workers).
  const firstRead = useRef(`${view.event}:${view.part}:${view.unit}`);
  useEffect(() => {
    const key = `${view.event}:${view.part}:${view.unit}`;
    if (key === firstRead.current) return;
    firstRead.current = key;
    // The picker lists head's events: each side reads the one of that name.
    const shown = state.diff.status === 'ready' ? state.diff.diff : state.diff.status === 'computing' ? state.diff.previous : null;
    driver.reparse(readOptions(view), view.event !== null ? (shown?.head.events[view.event] ?? null) : null);
  }, [view.event, view.part, view.unit]);

  // Other matching rules: the loaded profiles are diffed again.
  const rulesKey = encodeRules(view.rules);
  const firstRules = useRef(rulesKey);
  useEffect(() => {
    if (rulesKey === firstRules.current) return;
    firstRules.current = rulesKey;
    driver.rediff(view.rules);
  }, [rulesKey]);

  const openFromHistory = useCallback(
    async (id: number, keepView = false) => {
      const got = await history.store!.get(id);
      if (!got.ok) {
        setLink((l) => (l.entry === id ? { ...l, entry: null } : l));
        return setNotice(`Could not open this comparison: ${got.reason}`);
      }
      setLink({ base: got.entry.source?.baseUrl ? [got.entry.source.baseUrl] : [], head: got.entry.source?.headUrl ? [got.entry.source.headUrl] : [], demo: false, entry: got.entry.id });
      load(toSources(got), { keepView });
    },
    [history.store, load],
  );

  // A reload of local files (`h=ID`): reopened from history, in the view the address holds.
  const entryOpened = useRef(false);
  useEffect(() => {
    if (entryOpened.current || !history.store || initial.entry === null || fromLink) return;
    entryOpened.current = true;
    if (!history.store.available) return setNotice('This link names a comparison kept in history, but history is off in this browser.');
    void openFromHistory(initial.entry, true);
  }, [history.store]);

  const onFiles = useCallback(
    (side: Side, files: File[]) => {
      const blob = (f: File): Source => ({ kind: 'blob', blob: f, name: f.name });
      const plan = planDrop(files, side);
      if (plan?.kind === 'pair') {
        const pair = plan.pairing;
        setLink({ base: [], head: [], demo: false, entry: null });
        if (pair.ignored.length) setNotice(`Flamediff compares two profiles: ${pair.ignored.map((f) => f.name).join(', ')} ${pair.ignored.length === 1 ? 'was' : 'were'} not read.`);
        load(
          { base: blob(pair.base), head: blob(pair.head) },
          { pairing: { rule: pair.rule, base: pair.base.name, head: pair.head.name, ignored: pair.ignored.map((f) => f.name) } },
        );
      } else if (plan?.kind === 'one') {
        setLink((l) => ({ ...l, [side]: [], demo: false, entry: null }));
        load({ [side]: blob(plan.file) });
      } else if (plan?.kind === 'runs') {
        // Several runs of a side: one bundle, one source (its runs are parsed and merged in the worker).
        const sources: Partial<Record<Side, Source>> = {};
        for (const s of ['base', 'head'] as const) {
          const runs = plan[s];
          if (runs.length === 1) sources[s] = blob(runs[0]);
          else if (runs.length > 1) sources[s] = { kind: 'blob', blob: bundleRuns(runs.map((f) => ({ name: f.name, blob: f }))), name: runsName(runs.map((f) => f.name)) };
        }
        setLink((l) => ({ ...l, ...(sources.base ? { base: [] } : {}), ...(sources.head ? { head: [] } : {}), demo: false, entry: null }));
        if (plan.ignored.length) setNotice(`Which side ${plan.ignored.length === 1 ? 'this file is' : 'these files are'} could not be told from the names: ${plan.ignored.map((f) => f.name).join(', ')}; not read (name them base… and head…, or drop each side's runs on its zone).`);
        load(sources);
      }
    },
    [load],
  );

  // One file dropped on the page (not on a zone) fills base first, then head.
  const freeSide = (): Side => (state.base.status === 'loaded' || state.base.status === 'loading' ? 'head' : 'base');
  const onPageFiles = useRef((_: File[]) => {});
  onPageFiles.current = (files) => onFiles(freeSide(), files);

  // Files opened with the installed app from the operating system.
  useEffect(() => {
    consumeLaunchQueue(
      (files) => onPageFiles.current(files),
      (message) => setNotice(message),
    );
  }, []);

  // Dropping anywhere on the page works like dropping on the zones. A layout effect: in place
  // before data-state says "empty", so automation that drops as soon as it reads it is heard.
  useLayoutEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) onPageFiles.current(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  const swap = useCallback(() => {
    setLink((l) => ({ base: l.head, head: l.base, demo: false, entry: null }));
    update({ zoom: null });
    driver.swap();
  }, [driver]);

  const selectFunction = useCallback(
    (key: string | null) => {
      if (!shown || !key) return update({ selected: null });
      const mask = functionMask(shown, key);
      const baseWidths = settings.geometry === 'base' || settings.tab === 'base';
      const widths = baseWidths ? shown.tree.baseTotal : shown.tree.headTotal;
      let node = mask ? widestNode(mask, widths) : -1;
      // A function removed in head has no width under head's widths: show it where it has some, and say so.
      if (mask && settings.tab === 'diff' && !baseWidths && !(node > 0 && widths[node] > 0)) {
        const inBase = widestNode(mask, shown.tree.baseTotal);
        if (inBase > 0 && shown.tree.baseTotal[inBase] > 0) {
          setNotice(`${displayKey(key)} has no cost in head: widths now follow base, so it can be seen.`);
          return update({ selected: key, zoom: nodePath(shown, inBase), geometry: 'base' });
        }
      }
      update({ selected: key, zoom: node > 0 ? nodePath(shown, node) : null });
    },
    [shown, settings.geometry, settings.tab],
  );

  const onDrawn = useCallback(
    (stats: DrawStats) => {
      // For automation and the benchmark: what the last frame cost.
      (window as unknown as { __flamediffRender?: DrawStats }).__flamediffRender = stats;
      if (shown && stats.rects > 0) setDrawn((d) => (d && d.diff === shown && d.tab === settings.tab ? d : { diff: shown, tab: settings.tab }));
    },
    [shown, settings.tab],
  );

  const onGraphError = useCallback((message: string) => setGraphError(message), []);

  const linkable = (['base', 'head'] as Side[]).every((s) => state[s].status !== 'loaded' || link[s].length > 0 || link.demo) && !!(link.base.length || link.head.length || link.demo);
  const loaded = !!shown;
  return (
    <div class={`app ${loaded ? 'loaded' : 'start'}`}>
      <header>
        <h1>
          <span class="logo" aria-hidden="true">▤</span> <span class="title">Flamediff</span>
        </h1>
        {shown && c.diff && c.compare && (
          <Summary
            diff={c.diff}
            view={view.transforms.length && transformed ? transformed : null}
            compare={c.compare}
            units={c.units}
            settings={settings}
            withinNoise={verdict?.wholeWithinNoise ? (verdict.runs ? 'run-to-run variation' : 'sampling noise') : null}
          />
        )}
        <button class="keys-button link" data-testid="keys-button" onClick={() => setKeysOpen(true)} title="Keyboard shortcuts (?)" aria-keyshortcuts="?">
          <span class="keys-word">Keys </span><kbd>?</kbd>
        </button>
        <button
          class="scheme-button link"
          data-testid="scheme-button"
          data-choice={scheme.choice}
          onClick={() => scheme.setChoice(nextChoice(scheme.choice))}
          title={`Colours: ${scheme.choice === 'system' ? `as the system (${scheme.scheme})` : scheme.choice}. Click for ${nextChoice(scheme.choice) === 'system' ? 'the system’s' : nextChoice(scheme.choice)}.`}
          aria-label={`Colour scheme: ${scheme.choice}`}
        >
          {scheme.choice === 'system' ? '◐' : scheme.choice === 'dark' ? '☾' : '☀'}
        </button>
      </header>
      <section class="inputs" aria-label="Profiles">
        <DropZone side="base" state={state.base} onFiles={onFiles} />
        <button class="swap" data-testid="swap" onClick={swap} disabled={state.base.status !== 'loaded' || state.head.status !== 'loaded'} title="Swap base and head">
          ⇄ Swap
        </button>
        <DropZone side="head" state={state.head} onFiles={onFiles} />
      </section>
      {headEmpty && (
        <div class="notice" data-testid="geometry-note">
          Nothing of this view runs in head: widths follow base, so what head removed can be seen.
        </div>
      )}
      <Notices
        errors={c.errors}
        graphError={graphError}
        warnings={c.warnings}
        pairing={state.pairing}
        notice={notice}
        onDismiss={() => setNotice(null)}
        onSwap={state.base.status === 'loaded' && state.head.status === 'loaded' ? swap : null}
        onFocus={view.transforms.some((t) => t.kind === 'focus') ? null : (key) => update({ transforms: [...view.transforms, { kind: 'focus', key }], zoom: null })}
      />
      {!loaded && !loading && (
        <div class="intro">
          <p>
            Drop a <b>base</b> profile (before your change) and a <b>head</b> profile (after) to see where it got slower. Files never leave this
            browser.
          </p>
          <p>Reads valgrind callgrind, perf collapsed stacks, raw perf script, V8 .cpuprofile and Chrome traces, pprof (Go, Pyroscope, Parca) and speedscope JSON.</p>
          <p>
            Demos: <a href="?demo">CodSpeed's parse_pr example</a> (callgrind: <code>str.find</code> replaced by a regular expression) ·{' '}
            <a href="?base=demo/c-crc-perf/base.folded&head=demo/c-crc-perf/head.folded">a CRC-32 made bitwise</a> (perf samples).
          </p>
          <HistoryList history={history.store} onOpen={openFromHistory} />
        </div>
      )}
      {shown && transformed && c.compare && (
        <>
          <Toolbar
            diff={shown}
            view={settings}
            compare={c.compare}
            unitsComparable={c.units.comparable}
            onView={update}
            highlight={highlight}
            theme={theme}
          />
          {c.compare === 'pair' && verdict && settings.tab === 'diff' && (
            <div class={`verdict ${verdict.kind === 'function' ? (verdict.share > 0 ? 'slower' : 'faster') : ''}`} data-testid="verdict" data-kind={verdict.kind} title={describeVerdict(verdict)}>
              {verdict.kind === 'function' ? (
                <button class="link" data-key={verdict.key} onClick={() => selectFunction(verdict.key)} title="Select it in the table and zoom to its widest frame">
                  {describeVerdict(verdict)}
                </button>
              ) : (
                describeVerdict(verdict)
              )}
              {cutSides.length > 0 && (
                <span class="muted" data-testid="verdict-incomplete">
                  {' '}
                  · {cutSides.join(' and ')} {cutSides.length > 1 ? 'look' : 'looks'} cut short: this compares what was read
                </span>
              )}
            </div>
          )}
          <div class="main">
            {settings.tab === 'sandwich' ? (
              <Sandwich diff={transformed} view={settings} onDrawn={onDrawn} onError={onGraphError} theme={theme} />
            ) : (
              <DiffGraph
                diff={shown}
                view={{ ...settings, zoom: zoomNode }}
                single={c.compare !== 'pair'}
                unitsComparable={c.units.comparable}
                highlight={highlight}
                onZoom={zoomTo}
                onDrawn={onDrawn}
                onError={onGraphError}
                onRenderer={(r) => (renderer.current = r)}
                theme={theme}
              />
            )}
            <Splitter />
            <FunctionTable diff={transformed} single={c.compare !== 'pair'} mode={settings.mode} noise={settings.noise} unitsComparable={c.units.comparable} selected={view.selected} onSelect={selectFunction}
              tools={<ExportButtons diff={shown} view={settings} compare={c.compare} linkable={linkable} image={
                settings.tab === 'sandwich'
                  ? null
                  : (kind) => exportImage(kind, { renderer: renderer.current, run: c.diff!, shown, view: { ...view, ...settings }, compare: c.compare!, unitsComparable: c.units.comparable, verdict, zoomNode })
              } />} />
          </div>
        </>
      )}
      <UpdatePrompt />
      <KeyList open={keysOpen} onClose={() => setKeysOpen(false)} />
    </div>
  );
}

/** What the parsers are asked for: an event, a part and a folded unit only where the view chose one (else each file's own default). */
function readOptions(v: { event: number | null; part: number | null; unit: string | null }): { event?: number; part?: number; unit?: string } {
  return { ...(v.event !== null ? { event: v.event } : {}), ...(v.part !== null ? { part: v.part } : {}), ...(v.unit !== null ? { unit: v.unit } : {}) };
}

/** Resolves once the frame being prepared now has been handed to the compositor. */
function afterFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
