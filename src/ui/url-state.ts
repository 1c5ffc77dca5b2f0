// What a link carries. Only profile URLs given here are ever fetched.
import type { Tab } from '../model/diff-view';

export interface LinkState {
  base: string | null;
  head: string | null;
  demo: boolean;
  tab: Tab | null;
}

export function readLink(search: string = location.search): LinkState {
  const q = new URLSearchParams(search);
  const tab = q.get('tab');
  return {
    base: q.get('base'),
    head: q.get('head'),
    demo: q.has('demo'),
    tab: tab === 'base' || tab === 'head' || tab === 'diff' ? tab : null,
  };
}

/** The bundled demo pair (the c-crc-perf pair: head's CRC-32 went from table-driven to bitwise). */
export const DEMO = { base: 'demo/c-crc-perf/base.folded', head: 'demo/c-crc-perf/head.folded' };

/** A file name for a URL: its last path segment. */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url, location.href);
    return decodeURIComponent(u.pathname.split('/').pop() || u.hostname);
  } catch {
    return url;
  }
}
