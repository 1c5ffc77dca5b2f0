// The whole view lives in the URL, so a link reproduces what its author saw.
// Only the profile URLs given here are ever fetched.
import { DEFAULT_SETTINGS, type ViewSettings } from '../model/diff-view';
import { DEFAULT_MATCH_RULES, decodeRules, encodeRules, type MatchRules } from '../model/match-key';
import { decodeTransform, encodeTransform, type Transform } from '../model/transforms';

export interface ViewState extends ViewSettings {
  rules: MatchRules;
  transforms: Transform[];
  /** Search text: frames whose name contains it (or matches it as a regular expression) are highlighted. */
  search: string;
  /** Key of the function selected in the table. */
  selected: string | null;
  /** Node the graph is zoomed to (deterministic for the same files and settings). */
  zoom: number | null;
  /** Callgrind event index, per side alike. */
  event: number;
  /** Root at the bottom (flame) instead of the top (icicle). */
  flame: boolean;
  /** Bottom-up: roots are where time is spent, children their callers. */
  inverted: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  ...DEFAULT_SETTINGS,
  rules: DEFAULT_MATCH_RULES,
  transforms: [],
  search: '',
  selected: null,
  zoom: null,
  event: 0,
  flame: false,
  inverted: false,
};

export interface LinkState {
  base: string | null;
  head: string | null;
  demo: boolean;
  view: ViewState;
}

const pick = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);

export function readLink(search: string = location.search): LinkState {
  const q = new URLSearchParams(search);
  const zoom = Number(q.get('zoom'));
  const event = Number(q.get('event'));
  return {
    base: q.get('base'),
    head: q.get('head'),
    demo: q.has('demo'),
    view: {
      tab: pick(q.get('tab'), ['base', 'head', 'diff', 'sandwich'] as const, DEFAULT_VIEW.tab),
      geometry: pick(q.get('geom'), ['head', 'base'] as const, DEFAULT_VIEW.geometry),
      colourBy: pick(q.get('colour'), ['self', 'total'] as const, DEFAULT_VIEW.colourBy),
      mode: q.get('mode') === 'prop' ? 'proportional' : 'absolute',
      noise: q.get('noise') !== '0',
      rules: decodeRules(q.get('match')),
      transforms: q.getAll('tx').map(decodeTransform).filter((t): t is Transform => t !== null),
      search: q.get('q') ?? '',
      selected: q.get('fn'),
      zoom: q.has('zoom') && Number.isInteger(zoom) && zoom > 0 ? zoom : null,
      event: Number.isInteger(event) && event > 0 ? event : 0,
      flame: q.get('orient') === 'flame',
      inverted: q.get('inv') === '1',
    },
  };
}

/** The query string for a link: profile URLs first, then only what differs from the defaults. */
export function writeLink(link: { base: string | null; head: string | null; demo: boolean }, v: ViewState): string {
  const q = new URLSearchParams();
  if (link.demo && !link.base && !link.head) q.set('demo', '');
  if (link.base) q.set('base', link.base);
  if (link.head) q.set('head', link.head);
  if (v.tab !== DEFAULT_VIEW.tab) q.set('tab', v.tab);
  if (v.geometry !== DEFAULT_VIEW.geometry) q.set('geom', v.geometry);
  if (v.colourBy !== DEFAULT_VIEW.colourBy) q.set('colour', v.colourBy);
  if (v.mode !== DEFAULT_VIEW.mode) q.set('mode', 'prop');
  if (!v.noise) q.set('noise', '0');
  const rules = encodeRules(v.rules);
  if (rules !== encodeRules(DEFAULT_VIEW.rules)) q.set('match', rules);
  for (const t of v.transforms) q.append('tx', encodeTransform(t));
  if (v.search) q.set('q', v.search);
  if (v.selected) q.set('fn', v.selected);
  if (v.zoom !== null) q.set('zoom', String(v.zoom));
  if (v.event) q.set('event', String(v.event));
  if (v.flame) q.set('orient', 'flame');
  if (v.inverted) q.set('inv', '1');
  const s = q.toString().replace(/^demo=(&|$)/, 'demo$1');
  return s ? `?${s}` : '';
}

/**
 * The bundled demo pair: CodSpeed's parse_pr example under callgrind. Base finds "fixes #N" with
 * str.find, head with re.compile(...).search: head executes 2.1× the instructions.
 */
export const DEMO = { base: 'demo/py-parse-issue/base.callgrind.out', head: 'demo/py-parse-issue/head.callgrind.out' };

/** A file name for a URL: its last path segment. */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url, location.href);
    return decodeURIComponent(u.pathname.split('/').pop() || u.hostname);
  } catch {
    return url;
  }
}
