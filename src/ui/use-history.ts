import { useEffect, useRef, useState } from 'preact/hooks';
import { openHistory, toSources, type History } from '../store/history';
import type { ComparisonDriver } from '../client/comparison';
import type { ComparisonState } from '../model/comparison-state';
import type { Side, Source } from '../model/worker-api';

export interface HistoryHandle {
  store: History | null;
  /** Keeps the comparison's original bytes, so it reopens offline; resolves to a reason when it could not. */
  /** Kept: its entry's id; not kept: why; null when there was nothing to keep or history is off. */
  keep: (state: ComparisonState, driver: ComparisonDriver, verdict?: string) => Promise<{ id: number } | { reason: string } | null>;
  /** The newest kept comparison of these share-link URLs, as sources, or null. */
  byUrl: (sources: Partial<Record<Side, Source>>) => Promise<Partial<Record<Side, Source>> | null>;
}

export function useHistory(): HistoryHandle {
  const [store, setStore] = useState<History | null>(null);
  const ref = useRef<History | null>(null);
  useEffect(() => {
    let opened: History | null = null;
    void openHistory().then((h) => {
      opened = ref.current = h;
      setStore(h);
    });
    return () => opened?.close();
  }, []);

  const keep = async (s: ComparisonState, driver: ComparisonDriver, verdict?: string): Promise<{ id: number } | { reason: string } | null> => {
    const h = ref.current;
    if (!h?.available) return null;
    const side = async (x: Side) => {
      const cur = s[x];
      if (cur.status !== 'loaded' || cur.fromBaseFile) return null;
      const blob = await driver.original(x);
      return blob ? { blob, name: cur.source.name, format: cur.info.format, url: cur.source.kind === 'url' ? cur.source.url : undefined } : null;
    };
    const [base, head] = await Promise.all([side('base'), side('head')]);
    if (!base && !head) return null;
    // A loaded side whose bytes are not its own file (the columns of a 3-column file, swapped) cannot be
    // reopened as it is shown: keeping it would reopen something else.
    const unkept = (['base', 'head'] as Side[]).find((x) => s[x].status === 'loaded' && !(s[x] as { fromBaseFile: boolean }).fromBaseFile && !(x === 'base' ? base : head));
    if (unkept) return { reason: `the ${unkept} profile is a column of another file and cannot be reopened on its own` };
    const r = await h.add(
      {
        base: base ? { name: base.name, format: base.format } : undefined,
        head: head ? { name: head.name, format: head.format } : undefined,
        source: { baseUrl: base?.url, headUrl: head?.url },
        verdict,
      },
      { base: base?.blob, head: head?.blob },
    );
    return r.ok ? { id: r.id } : { reason: r.reason };
  };

  const byUrl = async (sources: Partial<Record<Side, Source>>) => {
    const h = ref.current ?? (await openHistory());
    const baseUrl = sources.base?.kind === 'url' ? sources.base.url : undefined;
    const headUrl = sources.head?.kind === 'url' ? sources.head.url : undefined;
    if (!h.available || (!baseUrl && !headUrl)) return null;
    const entry = (await h.list()).find((e) => !e.damaged && e.source?.baseUrl === baseUrl && e.source?.headUrl === headUrl);
    if (!entry) return null;
    const got = await h.get(entry.id);
    return got.ok ? toSources(got) : null;
  };

  return { store, keep, byUrl };
}
