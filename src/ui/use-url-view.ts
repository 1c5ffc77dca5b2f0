import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { readLink, writeLink, type ViewState } from './url-state';

export interface Link {
  /** Each side's profile URLs (several: several runs); empty for local files. */
  base: string[];
  head: string[];
  demo: boolean;
  /** The history entry that stands for local files (see url-state's `h`). */
  entry: number | null;
}

/**
 * The view and the profile URLs, read from the address once and written back on every change. A
 * change of the view (tab, zoom, selection, transforms, mode, …) is a browser history entry, so
 * Back and Forward walk through views; typing a search and loading other files replace the entry.
 */
export function useUrlView() {
  const initial = useMemo(() => readLink(), []);
  const [view, setView] = useState<ViewState>(initial.view);
  const [link, setLink] = useState<Link>({ base: initial.base, head: initial.head, demo: initial.demo, entry: initial.entry });
  const written = useRef({ link, view });
  useEffect(() => {
    const search = writeLink(link, view);
    const before = written.current;
    written.current = { link, view };
    if (search === location.search) return;
    const url = `${location.pathname}${search}${location.hash}`;
    // A step is a change of the view other than its search text, with the same files.
    const sameFiles = writeLink(before.link, before.view) === writeLink(link, before.view);
    const step = sameFiles && writeLink(link, { ...view, search: before.view.search }) !== writeLink(link, before.view);
    if (step) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }, [link, view]);
  useEffect(() => {
    // Back or Forward: the view the entry holds (its files stay: loading others replaces the entry).
    const onPop = () => {
      const v = readLink().view;
      written.current = { link: written.current.link, view: v };
      setView(v);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);
  return { initial, view, update, link, setLink };
}
