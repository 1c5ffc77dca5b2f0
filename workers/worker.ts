// The worker entry: exposes the API over comlink and nothing else.
import * as Comlink from 'comlink';
import { ParseError, profileTransferables, type ParseErrorInfo, type ParseOptions, type Profile } from '../src/model/profile';
import type { DiffResult, LoadResult, Progress, Side, Source, WorkerApi } from '../src/model/worker-api';
import { diffTransferables } from '../src/model/diff-model';
import { parseStream } from './parse';
import { diffProfiles, sideInfo } from './diff';
import { fetchSource, type Download } from './fetch-source';

interface Slot {
  profile: Profile;
  name: string;
}

const slots = new Map<Side, Slot>();
/** What each slot was read from; kept after its profile is handed to another worker, for re-reading. */
const originals = new Map<Side, { blob: Blob; name: string }>();

function errorInfo(e: unknown, file: string): ParseErrorInfo {
  if (e instanceof ParseError) return { file, format: e.format, line: e.line, byte: e.byte, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { file, format: 'unknown', message };
}

/** Reads a stream into a slot; `original` is what it came from, kept for re-reading and history. */
async function read(
  side: Side,
  stream: ReadableStream<Uint8Array>,
  size: number | undefined,
  original: Promise<Blob>,
  name: string,
  options: ParseOptions,
  onProgress?: (p: Progress) => void,
  downloadFailed: () => Error | null = () => null,
): Promise<LoadResult> {
  const started = performance.now();
  try {
    let last = 0;
    const parsed = await parseStream(stream, name, { ...options, sizeHint: size ?? options.sizeHint }, (bytes) => {
      // Progress messages are cheap but not free: at most one per 1% or 4 MB.
      if (onProgress && size && (bytes - last > Math.min(4 << 20, size / 100) || bytes >= size)) {
        last = bytes;
        onProgress({ phase: 'parse', bytes, total: size });
      }
    });
    const blob = await original;
    slots.set(side, { profile: parsed.profile, name });
    originals.set(side, { blob, name });
    if (parsed.head) slots.set('head', { profile: parsed.head, name });
    const p = parsed.profile;
    return {
      ok: true,
      side: sideInfo(p),
      nodes: p.tree.func.length,
      functions: p.funcName.length,
      alsoLoadedHead: !!parsed.head,
      ms: performance.now() - started,
    };
  } catch (e) {
    const failed = downloadFailed();
    if (failed) return { ok: false, error: { ...errorInfo(failed, name), stage: 'download' } };
    return { ok: false, error: errorInfo(e, name) };
  }
}

const api: WorkerApi = {
  async load(side: Side, source: Source, options: ParseOptions, onProgress: (p: Progress) => void): Promise<LoadResult> {
    if (source.kind === 'blob') return read(side, source.blob.stream(), source.blob.size, Promise.resolve(source.blob), source.name, options, onProgress);
    let download: Download;
    try {
      download = await fetchSource(source.url, onProgress);
    } catch (e) {
      return { ok: false, error: { ...errorInfo(e, source.name), stage: 'download' } };
    }
    // Parsing runs while the body downloads; progress is the download's.
    return read(side, download.stream, undefined, download.blob, source.name, { ...options, sizeHint: download.size }, undefined, download.failed);
  },

  async take(side: Side): Promise<Profile | null> {
    const slot = slots.get(side);
    if (!slot) return null;
    slots.delete(side);
    return Comlink.transfer(slot.profile, profileTransferables(slot.profile));
  },

  async adopt(side: Side, profile: Profile): Promise<void> {
    slots.set(side, { profile, name: profile.name });
  },

  async diff(rules): Promise<DiffResult> {
    const base = slots.get('base') ?? slots.get('head');
    const head = slots.get('head') ?? slots.get('base');
    if (!base || !head) return { ok: false, error: { file: '', format: 'unknown', message: 'nothing loaded' } };
    const started = performance.now();
    try {
      const diff = diffProfiles(base.profile, head.profile, rules);
      return Comlink.transfer({ ok: true as const, diff, ms: performance.now() - started }, diffTransferables(diff));
    } catch (e) {
      return { ok: false, error: errorInfo(e, `${base.name} vs ${head.name}`) };
    }
  },

  async reparse(side: Side, options: ParseOptions): Promise<LoadResult> {
    const o = originals.get(side);
    if (!o) return { ok: false, error: { file: '', format: 'unknown', message: `no ${side} file was read here` } };
    return read(side, o.blob.stream(), o.blob.size, Promise.resolve(o.blob), o.name, options);
  },

  async original(side: Side): Promise<Blob | null> {
    return originals.get(side)?.blob ?? null;
  },
};

Comlink.expose(api);
