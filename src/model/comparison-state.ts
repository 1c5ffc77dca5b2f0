// Which profile each side holds, whether it loaded, and which diff is current: one
// value, changed only by the pure transitions below. Every asynchronous result carries
// the sequence number it was started under, and a result whose number is no longer
// current is dropped, so a slow earlier read or diff can never replace a newer one.
import type { Diff, SideInfo } from './diff-model';
import type { ParseErrorInfo } from './profile';
import type { Side, Source } from './worker-api';
import type { PairingRule } from './pairing';

/** A parsed profile in a worker: `id` names it there; `at` is the worker that holds it now, `reader` the one that keeps its original bytes. */
export interface ProfileRef {
  id: number;
  at: Side;
  reader: Side;
}

export type SideState =
  | { status: 'empty' }
  /** `reader`: the worker reading it (a side's own, or for a re-read the one that keeps its bytes). */
  | { status: 'loading'; seq: number; source: Source; reader: Side; progress: number | null; progressLabel: string | null }
  | {
      status: 'loaded';
      seq: number;
      source: Source;
      info: SideInfo;
      profile: ProfileRef;
      /** Head read from the base file's third column (FlameGraph's `stack base head` files). */
      fromBaseFile: boolean;
    }
  | { status: 'failed'; seq: number; source: Source; error: ParseErrorInfo };

/**
 * What a diff's inputs cost, for automation and the benchmark (`window.__flamediffTimings`).
 * ms, or `performance.now()` stamps (`…At`: ms since the navigation started).
 */
export interface DiffTimings {
  /** The slower side's read: its download and parse (they overlap), in its worker. */
  parseMs: number;
  /** The diff in its worker. */
  diffMs: number;
  baseParseMs?: number;
  headParseMs?: number;
  /** Moving head's profile to base's worker (0 when it was read there). */
  moveMs?: number;
  /** When the page learnt each side was read, and when the diff started and its result arrived. */
  loadedAt?: Partial<Record<Side, number>>;
  diffStartAt?: number;
  diffDoneAt?: number;
}

export type DiffState =
  | { status: 'none' }
  | { status: 'computing'; seq: number; baseId: number; headId: number; previous: Diff | null }
  | { status: 'ready'; seq: number; baseId: number; headId: number; diff: Diff; timings: DiffTimings }
  | { status: 'failed'; seq: number; baseId: number; headId: number; error: ParseErrorInfo };

export interface ComparisonState {
  /** The last sequence number handed out; every load, read and diff takes the next one. */
  seq: number;
  base: SideState;
  head: SideState;
  diff: DiffState;
  /** How the last two-file drop was split into base and head. */
  pairing: { rule: PairingRule; base: string; head: string; ignored: string[] } | null;
}

export const EMPTY_COMPARISON: ComparisonState = {
  seq: 0,
  base: { status: 'empty' },
  head: { status: 'empty' },
  diff: { status: 'none' },
  pairing: null,
};

export type ComparisonEvent =
  /** New sources for some sides (drop, picker, link, history); the other side keeps what it has. */
  | { type: 'load'; sources: Partial<Record<Side, Source>>; pairing?: ComparisonState['pairing'] }
  | { type: 'progress'; side: Side; seq: number; progress: number | null; label: string }
  | { type: 'loaded'; side: Side; seq: number; info: SideInfo; profile: ProfileRef; alsoHead?: { info: SideInfo; profile: ProfileRef } }
  | { type: 'failed'; side: Side; seq: number; error: ParseErrorInfo }
  /** Read the loaded files again (another callgrind event or part); their bytes are still in the workers. */
  /**
   * `sides`: the loaded sides to read again (all when absent; a side without the event asked for
   * keeps what it has). A side that failed to parse is read again from its source whatever `sides`
   * says: the failure may have been the option's (an event the file does not have).
   */
  | { type: 'reparse'; sides?: Side[] }
  | { type: 'swap' }
  | { type: 'clear'; side: Side }
  /** A diff of the current pair was started (`seq` from `nextSeq`). */
  | { type: 'diff-start'; seq: number; baseId: number; headId: number }
  | { type: 'diff-done'; seq: number; diff: Diff; timings: DiffTimings }
  | { type: 'diff-failed'; seq: number; error: ParseErrorInfo }
  /** Head's profile was moved into base's worker for the diff. */
  | { type: 'moved'; id: number; to: Side }
  /** Matching rules changed: the current diff is out of date. */
  | { type: 'rediff' }
  /** A worker stopped (out of memory, a crash): whatever it held or was reading is gone. */
  | { type: 'worker-died'; worker: Side; message: string };

const SIDES: Side[] = ['base', 'head'];

/** The sequence number the next asynchronous step should carry. */
export function nextSeq(s: ComparisonState): number {
  return s.seq + 1;
}

export function reduce(s: ComparisonState, e: ComparisonEvent): ComparisonState {
  switch (e.type) {
    case 'load': {
      let seq = s.seq;
      const next = { ...s };
      for (const side of SIDES) {
        const source = e.sources[side];
        if (!source) continue;
        next[side] = { status: 'loading', seq: ++seq, source, reader: side, progress: null, progressLabel: null };
      }
      // A head that came from the base file's third column goes with it when base is replaced.
      if (e.sources.base && !e.sources.head && s.head.status === 'loaded' && s.head.fromBaseFile) next.head = { status: 'empty' };
      // A head column being read again with the replaced base file would wait for it forever.
      if (e.sources.base && !e.sources.head && s.head.status === 'loading' && s.base.status === 'loading' && s.head.seq === s.base.seq) next.head = { status: 'empty' };
      return { ...next, seq, diff: { status: 'none' }, pairing: e.pairing ?? null };
    }
    case 'progress': {
      const cur = s[e.side];
      if (cur.status !== 'loading' || cur.seq !== e.seq) return s;
      return { ...s, [e.side]: { ...cur, progress: e.progress, progressLabel: e.label } };
    }
    case 'loaded': {
      const cur = s[e.side];
      if (cur.status !== 'loading' || cur.seq !== e.seq) return s;
      const next: ComparisonState = { ...s, [e.side]: { status: 'loaded', seq: e.seq, source: cur.source, info: e.info, profile: e.profile, fromBaseFile: false } };
      if (e.side === 'base' && !e.alsoHead && s.head.status === 'loading' && s.head.seq === e.seq) next.head = { status: 'empty' };
      if (e.alsoHead && e.side === 'base') {
        // Only when no newer head is on its way: the newest choice of the user wins.
        const head = s.head;
        const newerHead = (head.status === 'loading' || head.status === 'loaded' || head.status === 'failed') && head.seq > e.seq;
        if (!newerHead) next.head = { status: 'loaded', seq: e.seq, source: cur.source, info: e.alsoHead.info, profile: e.alsoHead.profile, fromBaseFile: true };
      }
      return next;
    }
    case 'failed': {
      const cur = s[e.side];
      if (cur.status !== 'loading' || cur.seq !== e.seq) return s;
      const next: ComparisonState = { ...s, [e.side]: { status: 'failed', seq: e.seq, source: cur.source, error: e.error } };
      if (e.side === 'base' && s.head.status === 'loaded' && s.head.fromBaseFile) next.head = { status: 'empty' };
      // A head column being read again with this file fails with it.
      if (e.side === 'base' && s.head.status === 'loading' && s.head.seq === e.seq) next.head = { status: 'failed', seq: e.seq, source: s.head.source, error: e.error };
      return next;
    }
    case 'reparse': {
      let seq = s.seq;
      const next = { ...s };
      for (const side of SIDES) {
        const cur = s[side];
        if (cur.status === 'failed' && cur.error.format !== 'unknown') {
          next[side] = { status: 'loading', seq: ++seq, source: cur.source, reader: side, progress: null, progressLabel: null };
          continue;
        }
        if (cur.status !== 'loaded' || (e.sides && !e.sides.includes(side))) continue;
        // The base file's head column is read again with the base file, under its number.
        const withBase = cur.fromBaseFile && next.base.status === 'loading';
        next[side] = { status: 'loading', seq: withBase ? (next.base as { seq: number }).seq : ++seq, source: cur.source, reader: cur.profile.reader, progress: null, progressLabel: null };
      }
      const previous = s.diff.status === 'ready' ? s.diff.diff : s.diff.status === 'computing' ? s.diff.previous : null;
      return { ...next, seq, diff: previous && s.diff.status !== 'none' && s.diff.status !== 'failed' ? { ...s.diff, status: 'computing', seq: ++seq, previous } as DiffState : { status: 'none' } };
    }
    case 'swap': {
      if (s.base.status === 'loading' || s.head.status === 'loading') return s;
      const swapped = (x: SideState): SideState => (x.status === 'loaded' ? { ...x, fromBaseFile: false } : x);
      return { ...s, base: swapped(s.head), head: swapped(s.base), diff: { status: 'none' }, pairing: null };
    }
    case 'clear': {
      const next: ComparisonState = { ...s, [e.side]: { status: 'empty' }, diff: { status: 'none' } };
      if (e.side === 'base' && s.head.status === 'loaded' && s.head.fromBaseFile) next.head = { status: 'empty' };
      return next;
    }
    case 'diff-start': {
      const want = wantedDiff(s);
      if (!want || want.baseId !== e.baseId || want.headId !== e.headId || e.seq <= s.seq) return s;
      const previous = s.diff.status === 'ready' ? s.diff.diff : s.diff.status === 'computing' ? s.diff.previous : null;
      return { ...s, seq: e.seq, diff: { status: 'computing', seq: e.seq, baseId: e.baseId, headId: e.headId, previous } };
    }
    case 'diff-done': {
      if (s.diff.status !== 'computing' || s.diff.seq !== e.seq) return s;
      return { ...s, diff: { status: 'ready', seq: e.seq, baseId: s.diff.baseId, headId: s.diff.headId, diff: e.diff, timings: e.timings } };
    }
    case 'diff-failed': {
      if (s.diff.status !== 'computing' || s.diff.seq !== e.seq) return s;
      return { ...s, diff: { status: 'failed', seq: e.seq, baseId: s.diff.baseId, headId: s.diff.headId, error: e.error } };
    }
    case 'moved': {
      const next = { ...s };
      for (const side of SIDES) {
        const cur = s[side];
        if (cur.status === 'loaded' && cur.profile.id === e.id) next[side] = { ...cur, profile: { ...cur.profile, at: e.to } };
      }
      return next;
    }
    case 'rediff': {
      if (s.diff.status === 'none') return s;
      const previous = s.diff.status === 'ready' ? s.diff.diff : s.diff.status === 'computing' ? s.diff.previous : null;
      // Ids of -1 match no pair: `needsDiff` says a new diff is due, while the previous one stays on screen.
      return { ...s, diff: previous ? { status: 'computing', seq: -1, baseId: -1, headId: -1, previous } : { status: 'none' } };
    }
    case 'worker-died': {
      const next = { ...s };
      let touched = false;
      for (const side of SIDES) {
        const cur = s[side];
        // A side is read in the worker of its own name; a loaded profile may since have moved.
        const lost = (cur.status === 'loading' && cur.reader === e.worker) || (cur.status === 'loaded' && cur.profile.at === e.worker);
        if (!lost) continue;
        touched = true;
        next[side] = {
          status: 'failed',
          seq: cur.seq,
          source: cur.source,
          error: { file: cur.source.name, format: cur.status === 'loaded' ? cur.info.format : 'unknown', message: `the reader stopped (${e.message}); drop the file again to read it in a fresh one` },
        };
      }
      if (!touched) return s;
      return { ...next, diff: { status: 'none' } };
    }
  }
}

/** The diff the current sides call for: both loaded, or one loaded alone with nothing else on its way. */
export function wantedDiff(s: ComparisonState): { baseId: number; headId: number; single: Side | null } | null {
  const { base, head } = s;
  if (base.status === 'loading' || head.status === 'loading') return null;
  if (base.status === 'loaded' && head.status === 'loaded') return { baseId: base.profile.id, headId: head.profile.id, single: null };
  if (base.status === 'loaded') return { baseId: base.profile.id, headId: base.profile.id, single: 'base' };
  if (head.status === 'loaded') return { baseId: head.profile.id, headId: head.profile.id, single: 'head' };
  return null;
}

/** True when the driver should start a diff now. */
export function needsDiff(s: ComparisonState): boolean {
  const want = wantedDiff(s);
  if (!want) return false;
  const d = s.diff;
  if (d.status === 'none') return true;
  return d.baseId !== want.baseId || d.headId !== want.headId;
}

export type Compare = 'pair' | 'base-only' | 'head-only';

/** What the shown diff compares, from the sides (never from the diff's own names). */
export function compareOf(s: ComparisonState): Compare | null {
  const want = wantedDiff(s);
  if (!want) return null;
  return want.single === null ? 'pair' : want.single === 'base' ? 'base-only' : 'head-only';
}

/** The diff to draw: the current one, or while the same files are diffed again, the previous one. */
export function shownDiff(s: ComparisonState): Diff | null {
  if (s.diff.status === 'ready') return s.diff.diff;
  if (s.diff.status === 'computing') return s.diff.previous;
  return null;
}

/** Errors to show, one per failed side, base first. */
export function sideErrors(s: ComparisonState): { side: Side; error: ParseErrorInfo }[] {
  const out: { side: Side; error: ParseErrorInfo }[] = [];
  for (const side of SIDES) {
    const cur = s[side];
    if (cur.status === 'failed') out.push({ side, error: cur.error });
  }
  return out;
}

/** Profile ids each worker must keep (profiles it holds, originals it read); everything else can go. */
export function referencedIds(s: ComparisonState, worker: Side): number[] {
  const ids = new Set<number>();
  for (const side of SIDES) {
    const cur = s[side];
    if (cur.status === 'loaded' && (cur.profile.at === worker || cur.profile.reader === worker)) ids.add(cur.profile.id);
  }
  return [...ids];
}
