// The whole view lives in the URL, so a link reproduces what its author saw.
// Only the profile URLs given here are ever fetched.
import { DEFAULT_SETTINGS, type ViewSettings } from '../model/diff-view';
import { DEFAULT_MATCH_RULES, decodeRules, encodeRules, type MatchRules } from '../model/match-key';
import { decodeTransform, encodeTransform, type Transform } from '../model/transforms';
import { decodeNodePath, encodeNodePath } from '../model/node-path';

import type { Palette } from '../render/theme';

export interface ViewState extends ViewSettings {
  rules: MatchRules;
  transforms: Transform[];
  /** Search text: frames whose name contains it (or matches it as a regular expression) are highlighted. */
  search: string;
  /** Key of the function selected in the table. */
  selected: string | null;
  /** The frame the graph is zoomed to, as its call path of match keys (survives rebuilt trees). */
  zoom: string[] | null;
  /** Event or sample type (callgrind events, pprof sample types, perf events), per side alike; null: the file's own default. */
  event: number | null;
  /** Part of a file holding several (callgrind parts, trace threads, speedscope profiles); -1 all summed; null: the file's own default. */
  part: number | null;
  /** What a folded file's counts are (`stackcollapse-perf.pl` over cpu-clock periods: ns); null: samples. */
  unit: FoldedUnit | null;
  /** Root at the bottom (flame) instead of the top (icicle). */
  flame: boolean;
  /** Diff colours (see Palette). */
  palette: Palette;
  /** Bottom-up: roots are where time is spent, children their callers. */
  inverted: boolean;
}

/** Units a folded file's counts may be declared in, besides samples (the time units of units.ts). */
export const FOLDED_UNITS = ['ns', 'µs', 'ms', 's'] as const;
export type FoldedUnit = (typeof FOLDED_UNITS)[number];

export const DEFAULT_VIEW: ViewState = {
  ...DEFAULT_SETTINGS,
  rules: DEFAULT_MATCH_RULES,
  transforms: [],
  search: '',
  selected: null,
  zoom: null,
  event: null,
  part: null,
  unit: null,
  flame: false,
  palette: 'rdbu',
  inverted: false,
};

export interface LinkState {
  /** Profile URLs of each side: several are several runs of it (`?base=u1&base=u2`). */
  base: string[];
  head: string[];
  demo: boolean;
  /** A comparison of local files kept in history (`h=ID`): a reload reopens it from there. */
  entry: number | null;
  view: ViewState;
  /** A link of version 1 zoomed by node number: resolved against the first diff it loads, then written as a path. */
  legacyZoom: number | null;
}

/**
 * The version of the view parameters. 1 (no `v=`): `zoom` was a node number and `match` four bits; file keys were
 * whole paths, so such links keep `relativePaths` off unless they say otherwise. 2: `zoom` is a path of match keys.
 */
export const LINK_VERSION = 2;

const pick = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);

export function readLink(search: string = location.search): LinkState {
  const q = new URLSearchParams(search);
  const version = Number(q.get('v')) || 1;
  const zoomText = q.get('zoom');
  const legacyZoom = version < 2 && zoomText !== null && /^\d+$/.test(zoomText) && Number(zoomText) > 0 ? Number(zoomText) : null;
  const event = q.get('event') === null ? NaN : Number(q.get('event'));
  const part = q.get('part') === 'all' ? -1 : q.get('part') === null ? NaN : Number(q.get('part'));
  let rules = decodeRules(q.get('match'));
  // Version 1 links named functions by their whole file paths (fn=, tx=merge:…): keep reading those that way.
  const namesKeys = q.has('fn') || q.getAll('tx').some((t) => /^(merge|focus):/.test(t));
  if (version < 2 && namesKeys && !/paths/.test(q.get('match') ?? '')) rules = { ...rules, relativePaths: false };
  return {
    legacyZoom,
    base: q.getAll('base').filter(Boolean),
    head: q.getAll('head').filter(Boolean),
    demo: q.has('demo'),
    entry: /^[1-9]\d{0,15}$/.test(q.get('h') ?? '') ? Number(q.get('h')) : null,
    view: {
      tab: pick(q.get('tab'), ['base', 'head', 'diff', 'sandwich'] as const, DEFAULT_VIEW.tab),
      geometry: pick(q.get('geom'), ['head', 'base'] as const, DEFAULT_VIEW.geometry),
      colourBy: pick(q.get('colour'), ['self', 'total'] as const, DEFAULT_VIEW.colourBy),
      mode: q.get('mode') === 'prop' ? 'proportional' : 'absolute',
      noise: q.get('noise') !== '0',
      rules,
      transforms: q.getAll('tx').map(decodeTransform).filter((t): t is Transform => t !== null),
      search: q.get('q') ?? '',
      selected: q.get('fn'),
      zoom: version >= 2 && zoomText ? decodeNodePath(zoomText) : null,
      event: Number.isInteger(event) && event >= 0 ? event : null,
      part: Number.isInteger(part) && part >= -1 ? part : null,
      unit: FOLDED_UNITS.includes(q.get('unit') as FoldedUnit) ? (q.get('unit') as FoldedUnit) : null,
      flame: q.get('orient') === 'flame',
      palette: q.get('palette') === 'blue-orange' ? 'blue-orange' : 'rdbu',
      inverted: q.get('inv') === '1',
    },
  };
}

/** The query string for a link: profile URLs first, then only what differs from the defaults. */
export function writeLink(link: { base: string[]; head: string[]; demo: boolean; entry?: number | null }, v: ViewState): string {
  const q = new URLSearchParams();
  const none = !link.base.length && !link.head.length;
  if (link.demo && none) q.set('demo', '');
  for (const u of link.base) q.append('base', u);
  for (const u of link.head) q.append('head', u);
  // Local files have no URL: the history entry they were kept in stands for them, in this browser only.
  if (link.entry && none && !link.demo) q.set('h', String(link.entry));
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
  if (v.zoom !== null && v.zoom.length) q.set('zoom', encodeNodePath(v.zoom));
  if (v.event !== null) q.set('event', String(v.event));
  if (v.part !== null) q.set('part', v.part === -1 ? 'all' : String(v.part));
  if (v.unit !== null) q.set('unit', v.unit);
  if (v.flame) q.set('orient', 'flame');
  if (v.palette !== 'rdbu') q.set('palette', v.palette);
  if (v.inverted) q.set('inv', '1');
  if ([...q.keys()].some((k) => k !== 'demo' && k !== 'base' && k !== 'head' && k !== 'h')) q.set('v', String(LINK_VERSION));
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
