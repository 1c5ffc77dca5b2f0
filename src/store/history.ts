// Every comparison the user opens, kept in this browser (IndexedDB through idb) so it can be
// reopened with one click, offline. Nothing here throws to the caller: a missing IndexedDB
// (some private windows, blocked storage), a full disk or a damaged row turns into
// `available: false` or `{ ok: false, reason }`, never a broken app.
//
// Decisions:
// - Bytes are stored as Blobs (browsers store them natively; fake-indexeddb round-trips them
//   under Node 20's structuredClone), in the `blobs` store apart from the list, so listing
//   reads no profile bytes.
// - Dedupe: an entry whose base and head have the same names, sizes and hash of their first and
//   last 64 KiB as any kept entry replaces that entry (it moves to the top with a new id and
//   time). Reopening a comparison from history therefore never adds a second copy. And when the
//   newest entry holds one file and the new entry is a pair containing that same file, the pair
//   replaces it: choosing base, then head, keeps one entry, not two.
// - Cap: the sum of kept file sizes stays under a user-set cap (default 500 MiB); the oldest
//   entries go first. A QuotaExceededError evicts the oldest entries worth the new entry's size
//   and retries once.
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Side, Source } from '../model/worker-api';
import {
  HISTORY_DB_NAME,
  HISTORY_DB_VERSION,
  upgradeHistory,
  type BlobRow,
  type EntryRow,
  type HistoryDB,
  type HistoryStore,
  type StoredFile,
  type StoredSource,
} from './schema';

export type { StoredFile as HistoryFile, StoredSource as HistorySource } from './schema';

/** 500 MiB: a few hundred typical profile pairs, a small share of any desktop browser's quota. */
export const DEFAULT_CAP_BYTES = 500 * 1024 * 1024;
/** How much of each end of a file the dedupe hash reads: cheap on the main thread, and the ends are where runs differ (counts, a cpuprofile's samples, callgrind's totals). */
const FINGERPRINT_EDGE_BYTES = 64 * 1024;
/** An open that neither succeeds nor fails by then (another tab blocking an upgrade, a browser bug) turns history off rather than leaving it pending. */
const OPEN_TIMEOUT_MS = 10_000;
/** Titles and verdicts are one line for a list: longer text is cut. */
const MAX_TEXT = 300;

/** A kept comparison as listed: metadata only. Names and titles are untrusted text. */
export interface HistoryEntry {
  id: number;
  /** ms since the epoch. */
  createdAt: number;
  title: string;
  base?: StoredFile;
  head?: StoredFile;
  source?: StoredSource;
  sizeBytes: number;
  /** The verdict line shown when it was kept. */
  verdict?: string;
  /** Set when the stored row is malformed: what is wrong. Such an entry can only be deleted. */
  damaged?: string;
}

/** What the caller knows about a comparison; sizes come from the Blobs. */
export interface NewHistoryEntry {
  title?: string;
  base?: { name: string; format: string };
  head?: { name: string; format: string };
  source?: StoredSource;
  verdict?: string;
}

export type AddResult = { ok: true; id: number; evicted: number; replaced?: number } | { ok: false; evicted: number; reason: string };
export type GetResult = { ok: true; entry: HistoryEntry; blobs: Partial<Record<Side, Blob>> } | { ok: false; reason: string };
export type Result = { ok: true } | { ok: false; reason: string };
export type CapResult = { ok: true; evicted: number } | { ok: false; reason: string };

export interface HistoryUsage {
  /** Bytes of the kept files (what the cap counts). */
  usedBytes: number;
  capBytes: number;
  /** The whole origin's usage and quota, from navigator.storage.estimate() where it exists. */
  originUsedBytes?: number;
  quotaBytes?: number;
}

export interface History {
  /** False when history is off; `reason` then says why, in words for the user. */
  readonly available: boolean;
  readonly reason?: string;
  /** The last failed save, for the user (cleared by the next successful one). */
  readonly problem?: string;
  /** Newest first, metadata only. */
  list(): Promise<HistoryEntry[]>;
  add(entry: NewHistoryEntry, blobs: Partial<Record<Side, Blob>>): Promise<AddResult>;
  get(id: number): Promise<GetResult>;
  remove(id: number): Promise<Result>;
  /** A title of the user's; empty gives the entry its default title back. */
  rename(id: number, title: string): Promise<Result>;
  clear(): Promise<Result>;
  usage(): Promise<HistoryUsage>;
  setCap(bytes: number): Promise<CapResult>;
  /** Called after every change made through this object, and when history turns off. */
  subscribe(listener: () => void): () => void;
  close(): void;
}

export interface OpenHistoryOptions {
  /** The IndexedDB factory; defaults to the global one. `null` means "none" (for tests). */
  indexedDB?: IDBFactory | null;
  name?: string;
  /** For usage(); defaults to navigator.storage. */
  storage?: Pick<StorageManager, 'estimate'> | null;
  now?: () => number;
  openTimeoutMs?: number;
}

const SIDES: Side[] = ['base', 'head'];
const ALL_STORES: HistoryStore[] = ['entries', 'blobs', 'settings'];

/** Opens (creating or upgrading) the history database. Never rejects. */
export async function openHistory(options: OpenHistoryOptions = {}): Promise<History> {
  const name = options.name ?? HISTORY_DB_NAME;
  let factory: IDBFactory | null | undefined;
  try {
    factory = 'indexedDB' in options ? options.indexedDB : globalThis.indexedDB;
  } catch (e) {
    // Reading `indexedDB` itself throws where the browser blocks site storage.
    return historyOff(`the browser blocks storage for this page (${describe(e)}).`);
  }
  if (!factory) return historyOff('this browser offers no IndexedDB here (private windows and some embedded browsers turn it off).');
  try {
    const db = await openDatabase(factory, name, options.openTimeoutMs ?? OPEN_TIMEOUT_MS);
    return historyOn(db, options);
  } catch (e) {
    if (nameOf(e) === 'VersionError') return historyOff('a newer version of Flamediff has upgraded the saved history; reload the page to get it.');
    return historyOff(`the history database could not be opened (${describe(e)}).`);
  }
}

function openDatabase(factory: IDBFactory, name: string, timeoutMs: number): Promise<IDBPDatabase<HistoryDB>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error('no answer from IndexedDB; another Flamediff tab may hold an older version open, close it and reload'));
    }, timeoutMs);
    const request = factory.open(name, HISTORY_DB_VERSION);
    request.onupgradeneeded = (event) => {
      const tx = request.transaction!;
      try {
        upgradeHistory(
          wrap(request.result) as unknown as IDBPDatabase<HistoryDB>,
          event.oldVersion,
          wrap(tx) as unknown as IDBPTransaction<HistoryDB, HistoryStore[], 'versionchange'>,
        );
      } catch (e) {
        tx.abort();
        if (!settled) reject(e);
        settled = true;
        clearTimeout(timer);
      }
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      if (settled) request.result.close();
      else resolve(wrap(request.result) as unknown as IDBPDatabase<HistoryDB>);
      settled = true;
    };
    request.onerror = (event) => {
      // Handled here; without this the error would also surface as an uncaught event.
      event.preventDefault();
      clearTimeout(timer);
      if (!settled) reject(request.error ?? new Error('unknown error'));
      settled = true;
    };
  });
}

function historyOff(reason: string): History {
  const no = { ok: false as const, reason: `History is off: ${reason}` };
  return {
    available: false,
    reason,
    list: async () => [],
    add: async () => ({ ...no, evicted: 0 }),
    get: async () => no,
    remove: async () => no,
    rename: async () => no,
    clear: async () => no,
    usage: async () => ({ usedBytes: 0, capBytes: DEFAULT_CAP_BYTES }),
    setCap: async () => no,
    subscribe: () => () => {},
    close: () => {},
  };
}

function historyOn(db: IDBPDatabase<HistoryDB>, options: OpenHistoryOptions): History {
  const now = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  let off: string | undefined;
  let problem: string | undefined;

  const changed = () => listeners.forEach((l) => l());
  const turnOff = (reason: string) => {
    if (off) return;
    off = reason;
    try {
      db.close();
    } catch {
      // Already closed.
    }
    changed();
  };
  // Another tab opened a newer schema: give way rather than block its upgrade.
  db.addEventListener('versionchange', () => turnOff('a newer version of Flamediff was opened in another tab; reload this one.'));
  // The browser closed the connection (storage cleared, disk error).
  db.addEventListener('close', () => turnOff('the browser closed the history database (site data cleared?).'));

  /** Runs an operation; errors become a reason, and the errors that mean "the database is gone" turn history off. */
  async function guard<T>(what: string, fallback: (reason: string) => T, op: () => Promise<T>): Promise<T> {
    if (off) return fallback(`History is off: ${off}`);
    try {
      return await op();
    } catch (e) {
      const n = nameOf(e);
      if (n === 'InvalidStateError' || n === 'UnknownError') turnOff(`the history database stopped working (${describe(e)}).`);
      return fallback(`Could not ${what}: ${describe(e)}`);
    }
  }

  /** A transaction whose `done` is always observed (an abort must not become an unhandled rejection). */
  function transaction<M extends 'readonly' | 'readwrite'>(mode: M): IDBPTransaction<HistoryDB, HistoryStore[], M> {
    const tx = db.transaction(ALL_STORES, mode);
    tx.done.catch(() => {});
    return tx;
  }

  async function readCap(tx: IDBPTransaction<HistoryDB, HistoryStore[], 'readonly'> | IDBPTransaction<HistoryDB, HistoryStore[], 'readwrite'>): Promise<number> {
    const cap = await tx.objectStore('settings').get('capBytes');
    return typeof cap === 'number' && Number.isFinite(cap) && cap >= 0 ? cap : DEFAULT_CAP_BYTES;
  }

  /** Deletes the oldest rows until `fits(bytes still kept, bytes freed)` holds; returns how many went. */
  async function evictOldest(tx: IDBPTransaction<HistoryDB, HistoryStore[], 'readwrite'>, fits: (remaining: number, freed: number) => boolean): Promise<number> {
    const rows = (await tx.objectStore('entries').getAll()).map((r) => toEntry(r)).sort(oldestFirst);
    let remaining = rows.reduce((sum, r) => sum + r.sizeBytes, 0);
    let freed = 0;
    let evicted = 0;
    for (const r of rows) {
      if (fits(remaining, freed)) break;
      await tx.objectStore('entries').delete(r.id);
      await tx.objectStore('blobs').delete(r.id);
      remaining -= r.sizeBytes;
      freed += r.sizeBytes;
      evicted++;
    }
    return evicted;
  }

  /** `prints`: one fingerprint per side given; `row.fingerprint` is their join. */
  async function tryAdd(row: EntryRow, blobs: BlobRow, prints: string[]): Promise<AddResult> {
    const tx = transaction('readwrite');
    try {
      const cap = await readCap(tx);
      if (row.sizeBytes > cap) {
        tx.abort();
        return { ok: false, evicted: 0, reason: `${row.title} (${mib(row.sizeBytes)}) is larger than the history cap (${mib(cap)}); it was not kept.` };
      }
      let replaced: number | undefined;
      if (row.fingerprint) {
        for (const key of await tx.objectStore('entries').index('by-fingerprint').getAllKeys(row.fingerprint)) {
          const old = await tx.objectStore('entries').get(key);
          if (old?.renamed && typeof old.title === 'string') {
            row.title = old.title;
            row.renamed = true;
          }
          await tx.objectStore('entries').delete(key);
          await tx.objectStore('blobs').delete(key);
          replaced = key;
        }
      }
      if (prints.length > 1) {
        const rows = await tx.objectStore('entries').getAll();
        const newest = rows.map((r) => ({ entry: toEntry(r), fingerprint: r.fingerprint })).sort((a, b) => -oldestFirst(a.entry, b.entry))[0];
        if (newest?.fingerprint && prints.includes(newest.fingerprint)) {
          await tx.objectStore('entries').delete(newest.entry.id);
          await tx.objectStore('blobs').delete(newest.entry.id);
          replaced = newest.entry.id;
        }
      }
      const evicted = await evictOldest(tx, (remaining) => remaining + row.sizeBytes <= cap);
      const id = await tx.objectStore('entries').add(row);
      await tx.objectStore('blobs').put(blobs, id);
      await tx.done;
      return replaced === undefined ? { ok: true, id, evicted } : { ok: true, id, evicted, replaced };
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // Already aborted by the failed request.
      }
      throw e;
    }
  }

  const history: History = {
    get available() {
      return !off;
    },
    get reason() {
      return off;
    },
    get problem() {
      return problem;
    },

    list: () =>
      guard('read the history', () => [], async () => {
        const rows = await db.getAll('entries');
        return rows.map((r) => toEntry(r)).sort((a, b) => -oldestFirst(a, b));
      }),

    add: (entry, blobs) =>
      guard<AddResult>('save this comparison', (reason) => ({ ok: false, evicted: 0, reason }), async () => {
        const row: EntryRow = { createdAt: now(), title: '', sizeBytes: 0 };
        const bytes: BlobRow = {};
        const prints: string[] = [];
        for (const side of SIDES) {
          const meta = entry[side];
          const blob = blobs[side];
          if (!meta) continue;
          if (!isBlob(blob)) return { ok: false, evicted: 0, reason: `the ${side} file's bytes were not given; nothing was kept.` };
          row[side] = { name: String(meta.name), size: blob.size, format: String(meta.format) };
          bytes[side] = blob;
          row.sizeBytes += blob.size;
          prints.push(`${side}\u0000${meta.name}\u0000${blob.size}\u0000${await edgeHash(blob)}`);
        }
        if (!row.base && !row.head) return { ok: false, evicted: 0, reason: 'a comparison without files was not kept.' };
        row.title = entry.title || defaultTitle(row.base, row.head);
        if (entry.source && (entry.source.baseUrl || entry.source.headUrl)) row.source = { ...entry.source };
        if (typeof entry.verdict === 'string' && entry.verdict) row.verdict = entry.verdict.slice(0, MAX_TEXT);
        row.fingerprint = prints.join('\u0001');

        let result: AddResult;
        try {
          result = await tryAdd(row, bytes, prints);
        } catch (e) {
          if (!isQuotaError(e)) throw e;
          // The disk (or the browser's share of it) is full: make room worth this entry, then try once more.
          const tx = transaction('readwrite');
          const evicted = await evictOldest(tx, (_remaining, freed) => freed >= row.sizeBytes);
          await tx.done;
          if (evicted) changed();
          try {
            const retry = await tryAdd(row, bytes, prints);
            result = { ...retry, evicted: retry.evicted + evicted };
          } catch (again) {
            if (!isQuotaError(again)) throw again;
            result = { ok: false, evicted, reason: `the browser's storage for this site is full; ${row.title} was not kept. Delete older comparisons or lower the cap.` };
          }
        }
        problem = result.ok ? undefined : result.reason;
        changed();
        return result;
      }),

    get: (id) =>
      guard<GetResult>('open this comparison', (reason) => ({ ok: false, reason }), async () => {
        const tx = transaction('readonly');
        const [row, blobRow] = await Promise.all([tx.objectStore('entries').get(id), tx.objectStore('blobs').get(id)]);
        if (!row) return { ok: false, reason: `History entry #${id} no longer exists (deleted in another tab?).` };
        const entry = toEntry(row);
        const damaged = (why: string) => ({ ok: false as const, reason: `“${entry.title}” in history is damaged (${why}); delete it.` });
        if (entry.damaged) return damaged(entry.damaged);
        const blobs: Partial<Record<Side, Blob>> = {};
        for (const side of SIDES) {
          const meta = entry[side];
          if (!meta) continue;
          const blob = (blobRow as BlobRow | undefined)?.[side];
          if (!isBlob(blob)) return damaged(`the ${side} file's bytes are missing`);
          if (blob.size !== meta.size) return damaged(`the ${side} file has ${blob.size} bytes, ${meta.size} were saved`);
          blobs[side] = blob;
        }
        return { ok: true, entry, blobs };
      }),

    remove: (id) =>
      guard<Result>('delete this comparison', (reason) => ({ ok: false, reason }), async () => {
        const tx = transaction('readwrite');
        await Promise.all([tx.objectStore('entries').delete(id), tx.objectStore('blobs').delete(id), tx.done]);
        changed();
        return { ok: true };
      }),

    rename: (id, title) =>
      guard<Result>('rename this comparison', (reason) => ({ ok: false, reason }), async () => {
        const tx = transaction('readwrite');
        const row = await tx.objectStore('entries').get(id);
        if (!row) return { ok: false, reason: `History entry #${id} no longer exists (deleted in another tab?).` };
        const text = title.trim().slice(0, MAX_TEXT);
        const next: EntryRow = { ...row, title: text || defaultTitle(row.base, row.head) };
        if (text) next.renamed = true;
        else delete next.renamed;
        await Promise.all([tx.objectStore('entries').put(next), tx.done]);
        changed();
        return { ok: true };
      }),

    clear: () =>
      guard<Result>('clear the history', (reason) => ({ ok: false, reason }), async () => {
        const tx = transaction('readwrite');
        await Promise.all([tx.objectStore('entries').clear(), tx.objectStore('blobs').clear(), tx.done]);
        problem = undefined;
        changed();
        return { ok: true };
      }),

    usage: () =>
      guard('measure the history', () => ({ usedBytes: 0, capBytes: DEFAULT_CAP_BYTES }), async () => {
        const tx = transaction('readonly');
        const [rows, capBytes] = await Promise.all([tx.objectStore('entries').getAll(), readCap(tx)]);
        const usage: HistoryUsage = { usedBytes: rows.reduce((sum, r) => sum + toEntry(r).sizeBytes, 0), capBytes };
        const storage = 'storage' in options ? options.storage : globalThis.navigator?.storage;
        try {
          const estimate = await storage?.estimate?.();
          if (typeof estimate?.usage === 'number') usage.originUsedBytes = estimate.usage;
          if (typeof estimate?.quota === 'number') usage.quotaBytes = estimate.quota;
        } catch {
          // No estimate: the usage line simply leaves the quota out.
        }
        return usage;
      }),

    setCap: (bytes) =>
      guard<CapResult>('change the cap', (reason) => ({ ok: false, reason }), async () => {
        if (!Number.isFinite(bytes) || bytes < 0) return { ok: false, reason: `the cap must be a size in bytes, not ${bytes}.` };
        const cap = Math.floor(bytes);
        const tx = transaction('readwrite');
        await tx.objectStore('settings').put(cap, 'capBytes');
        const evicted = await evictOldest(tx, (remaining) => remaining <= cap);
        await tx.done;
        changed();
        return { ok: true, evicted };
      }),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    close() {
      turnOff('closed.');
    },
  };
  return history;
}

/** The Sources the workers read, from an entry opened with get(). */
export function toSources(got: GetResult & { ok: true }): Partial<Record<Side, Source>> {
  const sources: Partial<Record<Side, Source>> = {};
  for (const side of SIDES) {
    const meta = got.entry[side];
    const blob = got.blobs[side];
    if (meta && blob) sources[side] = { kind: 'blob', blob, name: meta.name };
  }
  return sources;
}

/** A stored row as listed: missing or malformed fields are reported in `damaged`, never thrown. */
function toEntry(raw: EntryRow): HistoryEntry {
  const r = (raw ?? {}) as Partial<Record<keyof EntryRow, unknown>>;
  const problems: string[] = [];
  const id = typeof r.id === 'number' ? r.id : NaN;
  const createdAt = typeof r.createdAt === 'number' && Number.isFinite(r.createdAt) ? r.createdAt : (problems.push('no date'), 0);
  const sideOf = (v: unknown, side: Side): StoredFile | undefined => {
    if (v === undefined) return undefined;
    const f = v as Partial<Record<keyof StoredFile, unknown>> | null;
    if (!f || typeof f.name !== 'string' || typeof f.size !== 'number' || !(f.size >= 0)) {
      problems.push(`the ${side} file's details are unreadable`);
      return undefined;
    }
    return { name: f.name, size: f.size, format: typeof f.format === 'string' ? f.format : 'unknown' };
  };
  const base = sideOf(r.base, 'base');
  const head = sideOf(r.head, 'head');
  if (!base && !head && !problems.length) problems.push('no files');
  const sizeFromSides = (base?.size ?? 0) + (head?.size ?? 0);
  const entry: HistoryEntry = {
    id,
    createdAt,
    title: typeof r.title === 'string' && r.title ? r.title : defaultTitle(base, head) || `Comparison #${id}`,
    sizeBytes: typeof r.sizeBytes === 'number' && r.sizeBytes >= 0 ? r.sizeBytes : sizeFromSides,
  };
  if (base) entry.base = base;
  if (head) entry.head = head;
  if (typeof r.verdict === 'string' && r.verdict) entry.verdict = r.verdict;
  const s = r.source as StoredSource | undefined;
  if (s && typeof s === 'object') {
    const source: StoredSource = {};
    if (typeof s.baseUrl === 'string') source.baseUrl = s.baseUrl;
    if (typeof s.headUrl === 'string') source.headUrl = s.headUrl;
    if (source.baseUrl || source.headUrl) entry.source = source;
  }
  if (problems.length) entry.damaged = problems.join(', ');
  return entry;
}

function oldestFirst(a: HistoryEntry, b: HistoryEntry): number {
  return a.createdAt - b.createdAt || a.id - b.id;
}

function defaultTitle(base?: StoredFile, head?: StoredFile): string {
  if (base && head) return `${base.name} → ${head.name}`;
  return base?.name ?? head?.name ?? '';
}

function isBlob(v: unknown): v is Blob {
  return !!v && typeof (v as Blob).size === 'number' && typeof (v as Blob).slice === 'function' && typeof (v as Blob).arrayBuffer === 'function';
}

/** A 53-bit hash (cyrb53) of the file's first and last 64 KiB. */
async function edgeHash(blob: Blob): Promise<string> {
  const head = new Uint8Array(await blob.slice(0, FINGERPRINT_EDGE_BYTES).arrayBuffer());
  const tail = blob.size > FINGERPRINT_EDGE_BYTES ? new Uint8Array(await blob.slice(Math.max(FINGERPRINT_EDGE_BYTES, blob.size - FINGERPRINT_EDGE_BYTES)).arrayBuffer()) : new Uint8Array(0);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const part of [head, tail]) {
    for (let i = 0; i < part.length; i++) {
      h1 = Math.imul(h1 ^ part[i], 2654435761);
      h2 = Math.imul(h2 ^ part[i], 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function nameOf(e: unknown): string {
  return e && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : '';
}

function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) {
    const n = nameOf(e);
    const m = String((e as { message: unknown }).message);
    return n && n !== 'Error' && !m.startsWith(n) ? `${n}: ${m}` : m;
  }
  return String(e);
}

function isQuotaError(e: unknown): boolean {
  const n = nameOf(e);
  // Firefox before 2020 named it NS_ERROR_DOM_QUOTA_REACHED; 22 is the legacy DOMException code.
  return n === 'QuotaExceededError' || n === 'NS_ERROR_DOM_QUOTA_REACHED' || (e as { code?: unknown })?.code === 22;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
