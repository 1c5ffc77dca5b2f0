import { describe, expect, it } from 'vitest';
import {
  EMPTY_COMPARISON,
  compareOf,
  needsDiff,
  nextSeq,
  reduce,
  referencedIds,
  shownDiff,
  sideErrors,
  wantedDiff,
  type ComparisonEvent,
  type ComparisonState,
} from './comparison-state';
import type { Diff, SideInfo } from './diff-model';
import type { Side, Source } from './worker-api';

const src = (name: string): Source => ({ kind: 'url', url: `https://x/${name}`, name });
const info = (name: string, unit = 'samples'): SideInfo => ({ name, format: 'folded', unit, total: 10, events: [], eventIndex: 0, parts: [], partIndex: -1, skippedLines: 0, warnings: [], incomplete: [] });
const fakeDiff = (tag: string) => ({ tag }) as unknown as Diff;
const run = (s: ComparisonState, ...events: ComparisonEvent[]) => events.reduce(reduce, s);
const seqOf = (s: ComparisonState, side: Side) => (s[side] as { seq: number }).seq;
const loaded = (s: ComparisonState, side: Side, name = `${side}.folded`, at: Side = side): ComparisonState =>
  reduce(s, { type: 'loaded', side, seq: seqOf(s, side), info: info(name), profile: { id: seqOf(s, side), at, reader: at } });
/** Starts and finishes the diff the state wants, as the driver does. */
const diffed = (s: ComparisonState, tag = 'd'): ComparisonState => {
  const w = wantedDiff(s)!;
  const seq = nextSeq(s);
  return run(s, { type: 'diff-start', seq, ...w }, { type: 'diff-done', seq, diff: fakeDiff(tag), timings: { parseMs: 0, diffMs: 0 } });
};

describe('comparison state', () => {
  it('loads both sides, then wants a pair diff', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } });
    expect([s.base.status, s.head.status]).toEqual(['loading', 'loading']);
    expect(needsDiff(s)).toBe(false);
    s = loaded(s, 'base');
    expect(needsDiff(s)).toBe(false); // head still on its way
    s = loaded(s, 'head');
    expect(compareOf(s)).toBe('pair');
    s = diffed(s);
    expect(shownDiff(s)).toEqual(fakeDiff('d'));
    expect(needsDiff(s)).toBe(false);
  });

  it('a failed base is never replaced by head: head alone, base error kept', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('bad.bin'), head: src('h') } });
    s = reduce(s, { type: 'failed', side: 'base', seq: seqOf(s, 'base'), error: { file: 'bad.bin', format: 'unknown', message: 'not a profile' } });
    s = loaded(s, 'head');
    expect(compareOf(s)).toBe('head-only');
    expect(wantedDiff(s)).toMatchObject({ single: 'head' });
    expect(sideErrors(s).map((e) => e.side)).toEqual(['base']);
    // Errors of both sides are shown together.
    let t = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('x'), head: src('y') } });
    t = reduce(t, { type: 'failed', side: 'head', seq: seqOf(t, 'head'), error: { file: 'y', format: 'unknown', message: 'bad' } });
    t = reduce(t, { type: 'failed', side: 'base', seq: seqOf(t, 'base'), error: { file: 'x', format: 'unknown', message: 'bad' } });
    expect(sideErrors(t).map((e) => e.error.file)).toEqual(['x', 'y']);
    expect(compareOf(t)).toBeNull();
  });

  it('one file alone is base only, with no diff of a side against nothing', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b') } });
    s = loaded(s, 'base');
    expect(compareOf(s)).toBe('base-only');
    expect(wantedDiff(s)).toEqual({ baseId: seqOf(s, 'base'), headId: seqOf(s, 'base'), single: 'base' });
  });

  it('a failed side keeps its error until that side is replaced', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b') } });
    s = reduce(s, { type: 'failed', side: 'base', seq: seqOf(s, 'base'), error: { file: 'b', format: 'unknown', message: 'x' } });
    s = reduce(s, { type: 'load', sources: { head: src('h') } });
    expect(sideErrors(s)).toHaveLength(1);
    s = reduce(s, { type: 'load', sources: { base: src('b2') } });
    expect(sideErrors(s)).toHaveLength(0);
  });

  it('stale results are dropped: a slow earlier read cannot replace a newer one', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { head: src('old') } });
    const oldSeq = seqOf(s, 'head');
    s = reduce(s, { type: 'load', sources: { head: src('new') } });
    const after = reduce(s, { type: 'loaded', side: 'head', seq: oldSeq, info: info('old'), profile: { id: oldSeq, at: 'head', reader: 'head' } });
    expect(after).toBe(s);
    const failedLate = reduce(s, { type: 'failed', side: 'head', seq: oldSeq, error: { file: 'old', format: 'unknown', message: 'x' } });
    expect(failedLate).toBe(s);
    const progressLate = reduce(s, { type: 'progress', side: 'head', seq: oldSeq, progress: 0.5, label: 'x' });
    expect(progressLate).toBe(s);
  });

  it('a stale diff result is dropped (a rediff or a new load started since)', () => {
    let s = loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head');
    const w = wantedDiff(s)!;
    const first = nextSeq(s);
    s = reduce(s, { type: 'diff-start', seq: first, ...w });
    s = reduce(s, { type: 'rediff' });
    expect(needsDiff(s)).toBe(true);
    const second = nextSeq(s);
    s = reduce(s, { type: 'diff-start', seq: second, ...w });
    s = reduce(s, { type: 'diff-done', seq: first, diff: fakeDiff('old rules'), timings: { parseMs: 0, diffMs: 0 } });
    expect(s.diff.status).toBe('computing');
    s = reduce(s, { type: 'diff-done', seq: second, diff: fakeDiff('new rules'), timings: { parseMs: 0, diffMs: 0 } });
    expect(shownDiff(s)).toEqual(fakeDiff('new rules'));
    // A diff of a pair that is no longer current is refused at its start.
    const t = reduce(s, { type: 'load', sources: { head: src('h2') } });
    expect(reduce(t, { type: 'diff-start', seq: nextSeq(t), ...w })).toBe(t);
  });

  it('a rediff keeps the previous diff on screen until the new one is ready', () => {
    let s = diffed(loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head'), 'first');
    s = reduce(s, { type: 'rediff' });
    expect(shownDiff(s)).toEqual(fakeDiff('first'));
    s = diffed(s, 'second');
    expect(shownDiff(s)).toEqual(fakeDiff('second'));
  });

  it('reparse reads every loaded file again under new numbers; results of the old reads are dropped', () => {
    let s = diffed(loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head'));
    const oldBase = seqOf(s, 'base');
    s = reduce(s, { type: 'reparse' });
    expect([s.base.status, s.head.status]).toEqual(['loading', 'loading']);
    expect(seqOf(s, 'base')).toBeGreaterThan(oldBase);
    expect(reduce(s, { type: 'loaded', side: 'base', seq: oldBase, info: info('b'), profile: { id: oldBase, at: 'base', reader: 'base' } })).toBe(s);
    // A load during the reparse wins over it.
    const reparseHead = seqOf(s, 'head');
    s = reduce(s, { type: 'load', sources: { head: src('newer') } });
    expect(reduce(s, { type: 'loaded', side: 'head', seq: reparseHead, info: info('h'), profile: { id: reparseHead, at: 'head', reader: 'head' } })).toBe(s);
  });

  it('reparse: a side left out keeps what it shows; a side that failed to parse is read again from its source', () => {
    let s = diffed(loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head'));
    const kept = s.base;
    s = reduce(s, { type: 'reparse', sides: ['head'] });
    expect([s.base, s.head.status]).toEqual([kept, 'loading']);
    // Base fails under an event it lacks (an old link's event=1); another event reads it again, from its source.
    s = reduce(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b') } }), { type: 'failed', side: 'base', seq: 1, error: { file: 'b', format: 'callgrind', message: 'there is no event #1' } });
    s = reduce(s, { type: 'reparse', sides: [] });
    expect(s.base).toMatchObject({ status: 'loading', source: src('b'), reader: 'base' });
    // A download that failed is not the options' doing: it stays failed.
    s = reduce(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b') } }), { type: 'failed', side: 'base', seq: 1, error: { file: 'b', format: 'unknown', message: 'HTTP 404' } });
    expect(reduce(s, { type: 'reparse' }).base.status).toBe('failed');
  });

  it('3-column file fills both sides; a new head then replaces its head column', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('diff.folded') } });
    const seq = seqOf(s, 'base');
    s = reduce(s, { type: 'loaded', side: 'base', seq, info: info('diff.folded'), profile: { id: seq, at: 'base', reader: 'base' }, alsoHead: { info: info('diff.folded (head column)'), profile: { id: -seq, at: 'base', reader: 'base' } } });
    expect(s.head).toMatchObject({ status: 'loaded', fromBaseFile: true });
    expect(wantedDiff(s)).toEqual({ baseId: seq, headId: -seq, single: null });
    s = diffed(s);
    s = reduce(s, { type: 'load', sources: { head: src('new-head.folded') } });
    s = loaded(s, 'head', 'new-head.folded');
    const w = wantedDiff(s)!;
    expect(w.baseId).toBe(seq);
    expect(w.headId).toBe(seqOf(s, 'head'));
    expect(needsDiff(s)).toBe(true);
    // Replacing base drops the head column it brought, but not a head of its own.
    let t = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('diff.folded') } });
    const ts = seqOf(t, 'base');
    t = reduce(t, { type: 'loaded', side: 'base', seq: ts, info: info('d'), profile: { id: ts, at: 'base', reader: 'base' }, alsoHead: { info: info('d (head column)'), profile: { id: -ts, at: 'base', reader: 'base' } } });
    t = reduce(t, { type: 'load', sources: { base: src('other.folded') } });
    expect(t.head.status).toBe('empty');
  });

  it('swap during load is refused; after load it exchanges the sides and wants a new diff', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } });
    expect(reduce(s, { type: 'swap' })).toBe(s);
    s = diffed(loaded(loaded(s, 'base'), 'head'));
    const b = seqOf(s, 'base');
    const h = seqOf(s, 'head');
    s = reduce(s, { type: 'swap' });
    expect(wantedDiff(s)).toEqual({ baseId: h, headId: b, single: null });
    expect(shownDiff(s)).toBeNull();
  });

  it('worker death fails what that worker held or was reading, and nothing else', () => {
    let s = loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head');
    s = diffed(reduce(s, { type: 'moved', id: seqOf(s, 'head'), to: 'base' }));
    // Head's profile now lives in base's worker: the head worker dying loses nothing loaded.
    expect(reduce(s, { type: 'worker-died', worker: 'head', message: 'oom' })).toBe(s);
    const t = reduce(s, { type: 'worker-died', worker: 'base', message: 'oom' });
    expect([t.base.status, t.head.status]).toEqual(['failed', 'failed']);
    expect(sideErrors(t)[0].error.message).toMatch(/reader stopped/);
    expect(compareOf(t)).toBeNull();
    // A read in flight in the dying worker fails; its late result is then dropped.
    let u = reduce(s, { type: 'load', sources: { head: src('h2') } });
    u = reduce(u, { type: 'worker-died', worker: 'head', message: 'oom' });
    expect(u.head.status).toBe('failed');
    expect(u.base.status).toBe('loaded');
    expect(compareOf(u)).toBe('base-only');
  });

  it('referenced ids name the profiles a worker must keep', () => {
    let s = loaded(loaded(reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } }), 'base'), 'head');
    s = reduce(s, { type: 'moved', id: seqOf(s, 'head'), to: 'base' });
    expect(referencedIds(s, 'base').sort()).toEqual([seqOf(s, 'base'), seqOf(s, 'head')].sort());
    expect(referencedIds(s, 'head')).toEqual([seqOf(s, 'head')]); // its original bytes stay there
  });

  it('restore from a link whose server is gone: the download failures give way to history blobs', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('b'), head: src('h') } });
    s = reduce(s, { type: 'failed', side: 'base', seq: seqOf(s, 'base'), error: { file: 'b', format: 'unknown', message: 'offline', stage: 'download' } });
    s = reduce(s, { type: 'failed', side: 'head', seq: seqOf(s, 'head'), error: { file: 'h', format: 'unknown', message: 'offline', stage: 'download' } });
    const blob = (name: string): Source => ({ kind: 'blob', blob: new Blob(['a 1\n']), name });
    s = reduce(s, { type: 'load', sources: { base: blob('b'), head: blob('h') } });
    expect(sideErrors(s)).toHaveLength(0);
    s = loaded(loaded(s, 'base'), 'head');
    expect(compareOf(s)).toBe('pair');
  });

  it('a 3-column file read again, then a new base: its head column does not wait forever', () => {
    let s = reduce(EMPTY_COMPARISON, { type: 'load', sources: { base: src('diff.folded') } });
    const seq = seqOf(s, 'base');
    s = reduce(s, { type: 'loaded', side: 'base', seq, info: info('diff.folded'), profile: { id: seq, at: 'base', reader: 'base' }, alsoHead: { info: info('d (head column)'), profile: { id: -seq, at: 'base', reader: 'base' } } });
    s = reduce(s, { type: 'reparse' });
    expect(seqOf(s, 'head')).toBe(seqOf(s, 'base'));
    s = reduce(s, { type: 'load', sources: { base: src('other.folded') } });
    expect(s.head.status).toBe('empty');
    s = loaded(s, 'base', 'other.folded');
    expect(compareOf(s)).toBe('base-only');
  });
});
