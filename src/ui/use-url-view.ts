import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { readLink, writeLink, type ViewState } from './url-state';

export interface Link {
  base: string | null;
  head: string | null;
  demo: boolean;
}

/** The view and the profile URLs, read from the address once and written back on every change. */
export function useUrlView() {
  const initial = useMemo(() => readLink(), []);
  const [view, setView] = useState<ViewState>(initial.view);
  const [link, setLink] = useState<Link>({ base: initial.base, head: initial.head, demo: initial.demo });
  useEffect(() => {
    const search = writeLink(link, view);
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  }, [link, view]);
  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);
  return { initial, view, update, link, setLink };
}
