// Drives the two workers from the comparison state: base and head are read at once,
// one per worker (2 cores is the common case); for the diff, head's profile is
// transferred to the worker that holds base. Every result goes through `reduce`,
// which drops it when a newer load, read or diff has started since.
import * as Comlink from 'comlink';
import { profileTransferables, type ParseErrorInfo, type ParseOptions } from '../model/profile';
import type { Progress, Side, Source, WorkerApi } from '../model/worker-api';
import type { MatchRules } from '../model/match-key';
import { progressLabel } from '../model/progress-label';
import { whenIdle } from './when-idle';
import {
  EMPTY_COMPARISON,
  needsDiff,
  nextSeq,
  reduce,
  referencedIds,
  wantedDiff,
  type ComparisonEvent,
  type ComparisonState,
  type DiffTimings,
  type ProfileRef,
} from '../model/comparison-state';

interface Reader {
  api: Comlink.Remote<WorkerApi>;
  worker: Worker;
  /** Rejects when the worker dies (out of memory, a crash): comlink's pending calls would otherwise never settle. */
  died: Promise<never>;
  /** Files read here since the worker started (see recycleReaders). */
  reads: number;
}

class WorkerDied extends Error {}

function spawn(): Reader {
  const worker = new Worker(new URL('../../workers/worker.ts', import.meta.url), { type: 'module', name: 'flamediff-parser' });
  const died = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new WorkerDied(e.message || 'out of memory?'))),
  );
  died.catch(() => {});
  return { api: Comlink.wrap<WorkerApi>(worker), worker, died, reads: 0 };
}

const SIDES: Side[] = ['base', 'head'];

export class ComparisonDriver {
  /** Each side's worker, started on first use: the empty app's start-up does not share its cores with two workers starting. */
  private workers: Partial<Record<Side, Reader>> = {};
  private current: ComparisonState = EMPTY_COMPARISON;
  private listeners = new Set<(s: ComparisonState) => void>();
  private options: ParseOptions = {};
  private rules: MatchRules;
  /** Diffs run one at a time, in order: each checks afresh whether it is still wanted. */
  private diffQueue: Promise<void> = Promise.resolve();
  private diffQueued = false;
  /** A diff between its start and its end: the worker it runs in, and the one its head comes from, must stay. */
  private diffRunning = false;
  /** Each profile's read (ms, in its worker) and when the page learnt of it, for the diff's timings. */
  private reads = new Map<number, { ms: number; at: number }>();
  /** Settles once no worker is being replaced (recycleReaders): every call picks its worker after it. */
  private replacing: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(rules: MatchRules, options: ParseOptions = {}) {
    this.rules = rules;
    this.options = options;
  }

  private worker(side: Side): Reader {
    return (this.workers[side] ??= spawn());
  }

  /** Starts both workers now (when the page is idle), so the first drop does not wait for them. */
  warm(): void {
    for (const side of SIDES) this.worker(side);
  }

  get state(): ComparisonState {
    return this.current;
  }

  subscribe(listener: (s: ComparisonState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(e: ComparisonEvent): void {
    const next = reduce(this.current, e);
    if (next === this.current) return;
    this.current = next;
    for (const l of this.listeners) l(next);
    this.scheduleDiff();
  }

  /** Reads the given sides (both at once); the other side keeps what it holds. */
  /**
   * `options`: what the view asks for now. A file dropped just after another event was picked must be
   * read with it, though the page has not yet asked for the loaded files to be read again (reparse).
   */
  load(sources: Partial<Record<Side, Source>>, pairing?: ComparisonState['pairing'], options?: ParseOptions): void {
    if (options) this.options = options;
    this.dispatch({ type: 'load', sources, pairing });
    for (const side of SIDES) {
      const cur = this.current[side];
      if (!sources[side] || cur.status !== 'loading') continue;
      const source = sources[side]!;
      const options = this.options;
      void this.settleRead(side, cur.seq, side, (reader) =>
        reader.api.load(cur.seq, -cur.seq, source, options, Comlink.proxy((p: Progress) => this.progress(side, cur.seq, p))),
      );
    }
  }

  /**
   * Reads every loaded file again with other options (callgrind event or part), and every file that
   * failed to parse. `eventName`: the event picked, by name; each side reads its own index of it,
   * and a side that has no such event keeps what it shows (the units then say the sides differ).
   */
  reparse(options: ParseOptions, eventName: string | null = null): void {
    // The whole set: an option the view no longer names (counts back to samples) is dropped, not kept from before.
    this.options = options;
    const before = this.current;
    const optionsOf = (side: Side): ParseOptions | null => {
      const was = before[side];
      if (eventName === null || options.event === undefined || was.status !== 'loaded' || was.info.events.length === 0) return options;
      const event = was.info.events.indexOf(eventName);
      return event < 0 ? null : { ...options, event };
    };
    const sides = SIDES.filter((side) => before[side].status === 'loaded' && optionsOf(side) !== null);
    const failed = SIDES.filter((side) => { const was = before[side]; return was.status === 'failed' && was.error.format !== 'unknown'; });
    if (!sides.length && !failed.length) return;
    this.dispatch({ type: 'reparse', sides });
    for (const side of SIDES) {
      const was = before[side];
      const cur = this.current[side];
      if (cur.status !== 'loading') continue;
      if (was.status === 'failed') {
        const source = cur.source;
        void this.settleRead(side, cur.seq, side, (reader) =>
          reader.api.load(cur.seq, -cur.seq, source, options, Comlink.proxy((p: Progress) => this.progress(side, cur.seq, p))),
        );
        continue;
      }
      if (was.status !== 'loaded' || was.fromBaseFile) continue;
      const own = optionsOf(side)!;
      void this.settleRead(side, cur.seq, was.profile.reader, (reader) => reader.api.reparse(was.profile.id, cur.seq, -cur.seq, own));
    }
  }

  /** Other matching rules: the loaded profiles are diffed again. */
  rediff(rules: MatchRules): void {
    this.rules = rules;
    this.dispatch({ type: 'rediff' });
  }

  swap(): void {
    this.dispatch({ type: 'swap' });
  }

  clear(side: Side): void {
    this.dispatch({ type: 'clear', side });
  }

  /** The original bytes of what a side holds, for history; null for a head read from the base file's third column. */
  async original(side: Side): Promise<Blob | null> {
    const cur = this.current[side];
    if (cur.status !== 'loaded' || cur.fromBaseFile) return null;
    await this.replacing;
    return this.worker(cur.profile.reader).api.original(cur.profile.id);
  }

  private progress(side: Side, seq: number, p: Progress): void {
    this.dispatch({ type: 'progress', side, seq, progress: p.total ? p.bytes / p.total : null, label: progressLabel(p.phase, p.bytes, p.total) });
  }

  private async settleRead(side: Side, seq: number, worker: Side, call: (reader: Reader) => Promise<import('../model/worker-api').LoadResult>) {
    await this.replacing;
    const reader = this.worker(worker);
    reader.reads++;
    try {
      const r = await Promise.race([call(reader), reader.died]);
      if (!r.ok) {
        // Every error names its file, also those the worker could only report without one.
        const cur = this.current[side];
        const file = r.error.file || (cur.status === 'loading' && cur.seq === seq ? cur.source.name : '');
        return this.dispatch({ type: 'failed', side, seq, error: { ...r.error, file } });
      }
      const at = (id: number): ProfileRef => ({ id, at: worker, reader: worker });
      const read = { ms: r.ms, at: performance.now() };
      this.reads.set(seq, read);
      if (r.alsoHead) this.reads.set(-seq, read);
      this.dispatch({ type: 'loaded', side, seq, info: r.side, profile: at(seq), alsoHead: r.alsoHead ? { info: r.alsoHead, profile: at(-seq) } : undefined });
    } catch (e) {
      this.workerDied(worker, reader, e);
    }
  }

  private workerDied(worker: Side, reader: Reader, e: unknown): void {
    if (this.workers[worker] !== reader) return; // already replaced
    reader.worker.terminate();
    this.workers[worker] = spawn();
    this.dispatch({ type: 'worker-died', worker, message: e instanceof Error ? e.message : String(e) });
  }

  private scheduleDiff(): void {
    if (this.diffQueued || !needsDiff(this.current)) return;
    this.diffQueued = true;
    this.diffQueue = this.diffQueue.then(async () => {
      this.diffQueued = false;
      this.diffRunning = true;
      try {
        await this.runDiff();
      } finally {
        this.diffRunning = false;
      }
      this.scheduleDiff();
    });
  }

  private async runDiff(): Promise<void> {
    await this.replacing;
    if (!needsDiff(this.current)) return;
    const want = wantedDiff(this.current)!;
    const seq = nextSeq(this.current);
    this.dispatch({ type: 'diff-start', seq, baseId: want.baseId, headId: want.headId });
    const refOf = (id: number) => SIDES.map((s) => this.current[s]).find((x) => x.status === 'loaded' && x.profile.id === id) as
      | { profile: ProfileRef; info: { name: string } }
      | undefined;
    const base = refOf(want.baseId);
    const head = refOf(want.headId);
    if (!base || !head) return;
    const fail = (error: ParseErrorInfo) => this.dispatch({ type: 'diff-failed', seq, error });
    const where = base.profile.at;
    const reader = this.worker(where);
    const diffStartAt = performance.now();
    try {
      if (head.profile.at !== where) {
        const from = this.worker(head.profile.at);
        const profile = await Promise.race([from.api.take(want.headId), from.died]).catch((e) => {
          this.workerDied(head.profile.at, from, e);
          return null;
        });
        if (!profile) return fail({ file: head.info.name, format: 'unknown', message: 'the head profile is no longer loaded; drop it again' });
        await Promise.race([reader.api.adopt(want.headId, Comlink.transfer(profile, profileTransferables(profile))), reader.died]);
        this.dispatch({ type: 'moved', id: want.headId, to: where });
      }
      const started = performance.now();
      const r = await Promise.race([reader.api.diff(want.baseId, want.headId, this.rules), reader.died]);
      if (!r.ok) return fail(r.error);
      const b = this.reads.get(want.baseId);
      const h = this.reads.get(want.headId);
      const timings: DiffTimings = {
        parseMs: Math.max(b?.ms ?? 0, h?.ms ?? 0),
        diffMs: r.ms || performance.now() - started,
        baseParseMs: b?.ms,
        headParseMs: h?.ms,
        moveMs: started - diffStartAt,
        loadedAt: { base: b?.at, head: h?.at },
        diffStartAt,
        diffDoneAt: performance.now(),
      };
      this.dispatch({ type: 'diff-done', seq, diff: r.diff, timings });
      // What no side refers to any more is freed in both workers.
      for (const w of SIDES) void this.workers[w]?.api.keepOnly(this.liveIds(w));
      const live = new Set([...this.liveIds('base'), ...this.liveIds('head')]);
      for (const id of [...this.reads.keys()]) if (!live.has(id)) this.reads.delete(id);
      // Once the page is idle: a worker starting now would take a core from the diff's first frame.
      whenIdle(() => this.recycleReaders(), 1000, 200);
    } catch (e) {
      this.workerDied(where, reader, e);
    }
  }

  /**
   * After a diff, a worker that has read a file is replaced by a fresh one, which takes over what it
   * holds (a Blob, or profiles: typed arrays move, they are not copied). Reading leaves a worker's heap
   * grown, and the memory it freed is not given back to the system while the tab is busy; a worker's end
   * gives it back, the whole renderer's (headless Chromium 156, the two 16 MB .cpuprofile files: 145 MB
   * of private memory after the first frame, 76 MB once a worker has ended). Only one worker is replaced:
   * one holding no profile (head's, whose profile moved to base's for the diff) if there is one, else the
   * one that read. Nothing is replaced while a file is being read or a diff is wanted or running (the
   * page is idle while a worker diffs, so an idle callback can come mid-diff).
   */
  private recycleReaders(): void {
    if (this.diffQueued || this.diffRunning || needsDiff(this.current)) return;
    if (SIDES.some((s) => this.current[s].status === 'loading')) return;
    const held = (w: Side) => SIDES.some((s) => { const cur = this.current[s]; return cur.status === 'loaded' && cur.profile.at === w; });
    const candidates = SIDES.filter((w) => (this.workers[w]?.reads ?? 0) > 0);
    const w = candidates.find((x) => !held(x)) ?? candidates[0];
    if (!w) return;
    const old = this.workers[w];
    if (!old) return;
    this.replacing = (async () => {
      let fresh: Reader | null = null;
      try {
        const everything = await Promise.race([old.api.handOver(), old.died]);
        fresh = spawn();
        await Promise.race([fresh.api.adoptAll(Comlink.transfer(everything, [...new Set(everything.profiles.flatMap(([, p]) => profileTransferables(p)))])), fresh.died]);
      } catch (e) {
        // What it held is lost with it: the sides that referred to it say so, as when a worker dies.
        fresh?.worker.terminate();
        return this.workerDied(w, old, e);
      }
      if (this.workers[w] !== old || this.disposed) return fresh.worker.terminate();
      this.workers[w] = fresh;
      old.worker.terminate();
    })();
  }

  /** Ids a worker must keep: what the state refers to, and what reads in flight will store. */
  private liveIds(worker: Side): number[] {
    const ids = referencedIds(this.current, worker);
    for (const side of SIDES) {
      const cur = this.current[side];
      if (cur.status === 'loading' && cur.reader === worker) ids.push(cur.seq, -cur.seq);
    }
    return ids;
  }

  dispose(): void {
    this.disposed = true;
    for (const w of SIDES) this.workers[w]?.worker.terminate();
  }
}
