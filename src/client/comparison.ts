// Drives the workers: base and head are read at once in two workers (2 cores
// is the common case), then head's profile is transferred to base's worker for the diff.
import * as Comlink from 'comlink';
import type { Diff } from '../model/diff-model';
import { profileTransferables, type ParseErrorInfo, type ParseOptions } from '../model/profile';
import type { LoadResult, Progress, Side, Source, WorkerApi } from '../model/worker-api';
import type { MatchRules } from '../model/match-key';

interface Reader {
  api: Comlink.Remote<WorkerApi>;
  worker: Worker;
  /** Rejects when the worker dies (out of memory, a crash): comlink's pending calls would otherwise never settle. */
  died: Promise<never>;
}

function spawn(): Reader {
  const worker = new Worker(new URL('../../workers/worker.ts', import.meta.url), { type: 'module', name: 'flamediff-parser' });
  const died = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'the worker stopped (out of memory?)'))),
  );
  died.catch(() => {});
  return { api: Comlink.wrap<WorkerApi>(worker), worker, died };
}

export interface LoadedSide {
  source: Source;
  result: LoadResult & { ok: true };
}

export type ComparisonOutcome =
  | { ok: true; diff: Diff; base: LoadedSide | null; head: LoadedSide | null; timings: { parseMs: number; diffMs: number } }
  | { ok: false; errors: ParseErrorInfo[]; loaded: Partial<Record<Side, LoadedSide>> };

export class Comparison {
  private workers: Record<Side, Reader> = { base: spawn(), head: spawn() };
  private loaded: Partial<Record<Side, LoadedSide>> = {};
  private options: Record<Side, ParseOptions> = { base: {}, head: {} };
  /** Reads in flight per side: a diff waits for the other side's read that started before it (base dropped, then head). */
  private inflight: Partial<Record<Side, Promise<unknown>>> = {};

  /** Reads whichever sides are given (both at once), then diffs what is loaded. */
  async load(
    sources: Partial<Record<Side, Source>>,
    rules: MatchRules,
    onProgress: (side: Side, p: Progress) => void,
  ): Promise<ComparisonOutcome> {
    const sides = (Object.keys(sources) as Side[]).filter((s) => sources[s]);
    const others = (['base', 'head'] as Side[]).filter((s) => !sides.includes(s)).map((s) => this.inflight[s]);
    const reads = sides.map((side) => {
      const read = Promise.race([
        this.workers[side].api.load(side, sources[side]!, this.options[side], Comlink.proxy((p: Progress) => onProgress(side, p))),
        this.workers[side].died,
      ])
        .catch((e: unknown) => this.workerDied(side, sources[side]!, e))
        .then((r) => {
          // Recorded as soon as this side is read, so a diff waiting on it sees it.
          if (r.ok) {
            this.loaded[side] = { source: sources[side]!, result: r };
            if (r.alsoLoadedHead) this.loaded.head = { source: sources[side]!, result: { ...r, side: { ...r.side, name: `${r.side.name} (head column)` } } };
          }
          return r;
        });
      this.inflight[side] = read;
      return read;
    });
    const results = await Promise.all(reads);
    await Promise.all(others.map((p) => p?.catch(() => {})));
    sides.forEach((side, i) => {
      if (this.inflight[side] === reads[i]) delete this.inflight[side];
    });
    const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    if (errors.length) return { ok: false, errors, loaded: { ...this.loaded } };
    return this.rediff(rules);
  }

  private diffing: Promise<unknown> = Promise.resolve();

  /** Diffs again with other matching rules (or after a re-read); one diff at a time, in call order. */
  rediff(rules: MatchRules): Promise<ComparisonOutcome> {
    const next = this.diffing.then(() => this.diffNow(rules));
    this.diffing = next.catch(() => {});
    return next;
  }

  private async diffNow(rules: MatchRules): Promise<ComparisonOutcome> {
    const base = this.loaded.base ?? null;
    const head = this.loaded.head ?? null;
    // The head profile moves (transferred) to the base worker; the head worker keeps its bytes for re-reading.
    if (base && head && !base.result.alsoLoadedHead) {
      const profile = await this.workers.head.api.take('head');
      if (profile) await this.workers.base.api.adopt('head', Comlink.transfer(profile, profileTransferables(profile)));
    }
    const target = base ? this.workers.base.api : this.workers.head.api;
    const r = await target.diff(rules);
    if (!r.ok) return { ok: false, errors: [r.error], loaded: { ...this.loaded } };
    const parseMs = Math.max(base?.result.ms ?? 0, head?.result.ms ?? 0);
    return { ok: true, diff: r.diff, base, head, timings: { parseMs, diffMs: r.ms } };
  }

  /** Re-reads every loaded side with other options (callgrind event or part, folded unit), both at once, then diffs. */
  async reparse(options: ParseOptions, rules: MatchRules): Promise<ComparisonOutcome> {
    const sides = (['base', 'head'] as Side[]).filter((s) => this.loaded[s] && !(s === 'head' && this.loaded.head?.result.alsoLoadedHead));
    const results = await Promise.all(
      sides.map((side) => {
        this.options[side] = { ...this.options[side], ...options };
        return this.workers[side].api.reparse(side, this.options[side]);
      }),
    );
    const errors: ParseErrorInfo[] = [];
    sides.forEach((side, i) => {
      const r = results[i];
      if (r.ok) this.loaded[side] = { ...this.loaded[side]!, result: r };
      else errors.push(r.error);
    });
    if (errors.length) return { ok: false, errors, loaded: { ...this.loaded } };
    return this.rediff(rules);
  }

  /** Options the next load uses (a link's event, say). */
  setOptions(options: ParseOptions): void {
    this.options = { base: { ...this.options.base, ...options }, head: { ...this.options.head, ...options } };
  }

  get sides(): Partial<Record<Side, LoadedSide>> {
    return this.loaded;
  }

  async original(side: Side): Promise<Blob | null> {
    return this.workers[side].api.original(side);
  }

  /** A worker that crashed (out of memory, usually) is replaced so the next file gets a fresh one. */
  private workerDied(side: Side, source: Source, e: unknown): LoadResult {
    this.workers[side].worker.terminate();
    this.workers[side] = spawn();
    delete this.loaded[side];
    return {
      ok: false,
      error: {
        file: source.name,
        format: 'unknown',
        message: `the reader stopped while reading this file (${e instanceof Error ? e.message : String(e)}); a fresh one will read the next file`,
      },
    };
  }

  dispose(): void {
    this.workers.base.worker.terminate();
    this.workers.head.worker.terminate();
  }
}
