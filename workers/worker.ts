// The worker entry: exposes the API over comlink and nothing else.
import * as Comlink from 'comlink';
import { ParseError, profileTransferables, type ParseErrorInfo, type ParseOptions, type Profile } from '../src/model/profile';
import type { DiffResult, Held, LoadResult, ProfileId, Progress, Source, WorkerApi } from '../src/model/worker-api';
import { diffTransferables } from '../src/model/diff-model';
import { parseStream } from './parse';
import { sideInfo } from './diff';
import { compareProfiles } from './compare';
import { pacedProgress } from './progress-pace';
import { fetchSource, type Download } from './fetch-source';
import { mergeRuns } from './merge-runs';
import { bundleRuns, splitRuns, type Run } from '../src/model/runs-bundle';

/** A run's name from its URL: the last path segment. */
function nameOfUrl(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? url);
  } catch {
    return url;
  }
}

/** Parsed profiles by id: read here, or adopted from the other worker for a diff. */
const profiles = new Map<ProfileId, Profile>();
/** What each profile read here came from; kept after its profile moves to the other worker, for re-reading. */
const originals = new Map<ProfileId, { blob: Blob; name: string }>();

function errorInfo(e: unknown, file: string): ParseErrorInfo {
  if (e instanceof ParseError) return { file, format: e.format, line: e.line, byte: e.byte, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { file, format: 'unknown', message };
}

/**
 * Reads `stream` under `id`. `original` is the Blob it comes from (a dropped file, or the download
 * being kept as it arrives), kept for re-reading and history; formats read whole take it in one read
 * (parseStream's `whole`) rather than as the stream's chunks.
 */
async function read(
  id: ProfileId,
  headId: ProfileId,
  stream: ReadableStream<Uint8Array>,
  size: number | undefined,
  original: Promise<Blob>,
  name: string,
  options: ParseOptions,
  onProgress?: (p: Progress) => void,
  downloadFailed: () => Error | null = () => null,
): Promise<LoadResult> {
  const started = performance.now();
  // Only a Blob already whole (a file, history, a re-read) can be a bundle of runs: a download is parsed as it arrives.
  if (size !== undefined) {
    const blob = await original;
    const runs = await splitRuns(blob).catch(() => null);
    if (runs) return readRuns(id, blob, runs, name, options, started);
  }
  try {
    const report = size ? pacedProgress(onProgress) : undefined;
    const whole = async () => new Uint8Array(await (await original).arrayBuffer());
    const parsed = await parseStream(stream, name, { ...options, sizeHint: size ?? options.sizeHint }, report && ((bytes) => report({ phase: 'parse', bytes, total: size })), undefined, whole);
    const blob = await original;
    profiles.set(id, parsed.profile);
    originals.set(id, { blob, name });
    if (parsed.head) profiles.set(headId, parsed.head);
    const p = parsed.profile;
    return {
      ok: true,
      side: sideInfo(p),
      nodes: p.tree.func.length,
      functions: p.funcName.length,
      alsoHead: parsed.head ? sideInfo(parsed.head) : null,
      ms: performance.now() - started,
    };
  } catch (e) {
    const failed = downloadFailed();
    if (failed) return { ok: false, error: { ...errorInfo(failed, name), stage: 'download' } };
    return { ok: false, error: errorInfo(e, name) };
  }
}

/** Several runs of one side (a bundle): each parsed in turn, then merged into one profile with each run's columns. */
async function readRuns(id: ProfileId, bundle: Blob, runs: Run[], name: string, options: ParseOptions, started: number): Promise<LoadResult> {
  const parsed: Profile[] = [];
  for (const run of runs) {
    try {
      const whole = async () => new Uint8Array(await run.blob.arrayBuffer());
      const r = await parseStream(run.blob.stream(), run.name, { ...options, sizeHint: run.blob.size }, undefined, undefined, whole);
      if (r.head) throw new ParseError(r.format, 'a file of two columns (base and head) cannot be one run of a side: drop it alone');
      parsed.push(r.profile);
    } catch (e) {
      return { ok: false, error: errorInfo(e, run.name) };
    }
  }
  try {
    const p = mergeRuns(parsed);
    profiles.set(id, p);
    originals.set(id, { blob: bundle, name });
    return { ok: true, side: sideInfo(p), nodes: p.tree.func.length, functions: p.funcName.length, alsoHead: null, ms: performance.now() - started };
  } catch (e) {
    return { ok: false, error: errorInfo(e, name) };
  }
}

const fromBlob = (blob: Blob) => Promise.resolve(blob);

const api: WorkerApi = {
  async load(id, headId, source: Source, options, onProgress): Promise<LoadResult> {
    if (source.kind === 'blob') return read(id, headId, source.blob.stream(), source.blob.size, fromBlob(source.blob), source.name, options, onProgress);
    if (source.kind === 'urls') {
      const got: Run[] = [];
      for (const url of source.urls) {
        const runName = nameOfUrl(url);
        try {
          const d = await fetchSource(url, onProgress);
          got.push({ name: runName, blob: await d.blob });
        } catch (e) {
          return { ok: false, error: { ...errorInfo(e, runName), stage: 'download' } };
        }
      }
      const bundle = bundleRuns(got);
      return read(id, headId, bundle.stream(), bundle.size, fromBlob(bundle), source.name, options);
    }
    let download: Download;
    try {
      download = await fetchSource(source.url, onProgress);
    } catch (e) {
      return { ok: false, error: { ...errorInfo(e, source.name), stage: 'download' } };
    }
    // Line formats parse while the body downloads; progress is the download's.
    return read(id, headId, download.stream, undefined, download.blob, source.name, { ...options, sizeHint: download.size }, undefined, download.failed);
  },

  async reparse(from, id, headId, options): Promise<LoadResult> {
    const o = originals.get(from);
    if (!o) return { ok: false, error: { file: '', format: 'unknown', message: 'the original bytes of this file are no longer here; drop it again' } };
    return read(id, headId, o.blob.stream(), o.blob.size, fromBlob(o.blob), o.name, options);
  },

  async take(id): Promise<Profile | null> {
    const p = profiles.get(id);
    if (!p) return null;
    profiles.delete(id);
    return Comlink.transfer(p, profileTransferables(p));
  },

  async adopt(id, profile): Promise<void> {
    profiles.set(id, profile);
  },

  async diff(baseId, headId, rules): Promise<DiffResult> {
    const base = profiles.get(baseId);
    const head = profiles.get(headId);
    if (!base || !head) return { ok: false, error: { file: '', format: 'unknown', message: 'the profiles to compare are no longer loaded; drop them again' } };
    const started = performance.now();
    try {
      const diff = compareProfiles(base, head, rules);
      return Comlink.transfer({ ok: true as const, diff, ms: performance.now() - started }, diffTransferables(diff));
    } catch (e) {
      return { ok: false, error: errorInfo(e, `${base.name} vs ${head.name}`) };
    }
  },

  async original(id): Promise<Blob | null> {
    return originals.get(id)?.blob ?? null;
  },

  async keepOnly(ids): Promise<void> {
    const keep = new Set(ids);
    for (const id of [...profiles.keys()]) if (!keep.has(id)) profiles.delete(id);
    for (const id of [...originals.keys()]) if (!keep.has(id)) originals.delete(id);
  },

  async handOver(): Promise<Held> {
    const held: Held = { profiles: [...profiles], originals: [...originals] };
    profiles.clear();
    originals.clear();
    return Comlink.transfer(held, [...new Set(held.profiles.flatMap(([, p]) => profileTransferables(p)))]);
  },

  async adoptAll(held): Promise<void> {
    for (const [id, p] of held.profiles) profiles.set(id, p);
    for (const [id, o] of held.originals) originals.set(id, o);
  },
};

Comlink.expose(api);
