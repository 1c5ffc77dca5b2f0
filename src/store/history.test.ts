import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CAP_BYTES, openHistory, toSources, type History } from './history';
import { HISTORY_DB_NAME, HISTORY_DB_VERSION } from './schema';

const bytes = (...values: number[]) => new Blob([new Uint8Array(values)]);
const sized = (n: number, fill = 1) => new Blob([new Uint8Array(n).fill(fill)]);
const read = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

/** A fresh database per test, with a clock the test moves. */
async function fresh(extra: Parameters<typeof openHistory>[0] = {}) {
  const factory = new IDBFactory();
  let t = 1_700_000_000_000;
  const history = await openHistory({ indexedDB: factory, storage: null, now: () => (t += 1000), ...extra });
  return { factory, history };
}

/** Raw IndexedDB, to build or damage a database behind the store's back. */
function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
function rawOpen(factory: IDBFactory, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  const r = factory.open(HISTORY_DB_NAME, version);
  if (upgrade) r.onupgradeneeded = () => upgrade(r.result);
  return req(r);
}
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

async function addPair(history: History, base: Blob, head: Blob, names = ['base.folded', 'head.folded']) {
  return history.add({ base: { name: names[0], format: 'folded' }, head: { name: names[1], format: 'folded' } }, { base, head });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('history', () => {
  it('keeps a comparison: add, list (metadata only), get with the original bytes', async () => {
    const { history } = await fresh();
    expect(history.available).toBe(true);
    const added = await history.add(
      { base: { name: 'callgrind.out.1', format: 'callgrind' }, head: { name: 'callgrind.out.2', format: 'callgrind' }, source: { baseUrl: 'https://x/b' } },
      { base: bytes(1, 2, 3), head: bytes(250, 251, 252, 253) },
    );
    expect(added).toMatchObject({ ok: true, evicted: 0 });
    await addPair(history, bytes(9), bytes(8));

    const list = await history.list();
    expect(list.map((e) => e.title)).toEqual(['base.folded → head.folded', 'callgrind.out.1 → callgrind.out.2']);
    const first = list[1];
    expect(first).toEqual({
      id: added.ok ? added.id : -1,
      createdAt: expect.any(Number),
      title: 'callgrind.out.1 → callgrind.out.2',
      base: { name: 'callgrind.out.1', size: 3, format: 'callgrind' },
      head: { name: 'callgrind.out.2', size: 4, format: 'callgrind' },
      source: { baseUrl: 'https://x/b' },
      sizeBytes: 7,
    });

    const got = await history.get(first.id);
    if (!got.ok) throw new Error(got.reason);
    expect(await read(got.blobs.base!)).toEqual([1, 2, 3]);
    expect(await read(got.blobs.head!)).toEqual([250, 251, 252, 253]);
    const sources = toSources(got);
    expect(sources.base).toMatchObject({ kind: 'blob', name: 'callgrind.out.1' });
    expect(sources.head).toMatchObject({ kind: 'blob', name: 'callgrind.out.2' });

    // One side only is a comparison too (a single profile).
    const single = await history.add({ head: { name: 'only.cpuprofile', format: 'cpuprofile' } }, { head: bytes(7) });
    expect(single.ok).toBe(true);
    expect((await history.list())[0]).toMatchObject({ title: 'only.cpuprofile', sizeBytes: 1 });
    expect((await history.list())[0].base).toBeUndefined();

    expect(await history.remove(first.id)).toEqual({ ok: true });
    expect((await history.list()).map((e) => e.id)).not.toContain(first.id);
    expect(await history.clear()).toEqual({ ok: true });
    expect(await history.list()).toEqual([]);
  });

  it('refuses a side whose bytes are missing instead of keeping half an entry', async () => {
    const { history } = await fresh();
    const r = await history.add({ base: { name: 'a', format: 'folded' }, head: { name: 'b', format: 'folded' } }, { base: bytes(1) });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('head') });
    expect(await history.list()).toEqual([]);
  });

  it('evicts oldest first to stay under the cap, and again when the cap is lowered', async () => {
    const { history } = await fresh();
    expect((await history.usage()).capBytes).toBe(DEFAULT_CAP_BYTES);
    expect(await history.setCap(250)).toEqual({ ok: true, evicted: 0 });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await addPair(history, sized(50, i), sized(50, i + 10), [`b${i}`, `h${i}`]);
      if (!r.ok) throw new Error(r.reason);
      expect(r.evicted).toBe(i < 2 ? 0 : 1);
      ids.push(r.id);
    }
    expect((await history.list()).map((e) => e.id)).toEqual([ids[3], ids[2]]);
    expect(await history.usage()).toMatchObject({ usedBytes: 200, capBytes: 250 });

    expect(await history.setCap(150)).toEqual({ ok: true, evicted: 1 });
    expect((await history.list()).map((e) => e.id)).toEqual([ids[3]]);

    const big = await addPair(history, sized(100), sized(100), ['big-b', 'big-h']);
    expect(big).toMatchObject({ ok: false, evicted: 0, reason: expect.stringContaining('larger than the history cap') });
    expect((await history.list()).map((e) => e.id)).toEqual([ids[3]]);
    expect(await history.setCap(-1)).toMatchObject({ ok: false });
  });

  it('the cap survives reopening', async () => {
    const factory = new IDBFactory();
    const a = await openHistory({ indexedDB: factory, storage: null });
    await a.setCap(1234);
    a.close();
    const b = await openHistory({ indexedDB: factory, storage: null });
    expect((await b.usage()).capBytes).toBe(1234);
  });

  it('replaces an entry with the same files (names, sizes, bytes) instead of adding a copy', async () => {
    const { history } = await fresh();
    const first = await addPair(history, bytes(1, 2), bytes(3, 4));
    const again = await addPair(history, bytes(1, 2), bytes(3, 4));
    expect(again).toMatchObject({ ok: true, replaced: first.ok ? first.id : -1 });
    expect(await history.list()).toHaveLength(1);
    // Same names and sizes, other bytes: another run, kept apart.
    await addPair(history, bytes(1, 2), bytes(3, 5));
    // Swapped sides: another comparison.
    await addPair(history, bytes(3, 4), bytes(1, 2), ['head.folded', 'base.folded']);
    expect(await history.list()).toHaveLength(3);
  });

  it('a pair replaces the newest entry when that entry is one of its files alone', async () => {
    const { history } = await fresh();
    const older = await history.add({ base: { name: 'base.folded', format: 'folded' } }, { base: bytes(1, 2) });
    const other = await history.add({ head: { name: 'x.folded', format: 'folded' } }, { head: bytes(7) });
    // Not the newest: stays.
    const first = await addPair(history, bytes(1, 2), bytes(3, 4));
    expect(first.ok && first.replaced).toBeFalsy();
    expect(await history.list()).toHaveLength(3);
    // Base chosen first (kept alone), then head: the pair replaces the single.
    const single = await history.add({ base: { name: 'b2.folded', format: 'folded' } }, { base: bytes(5) });
    const pair = await addPair(history, bytes(5), bytes(6), ['b2.folded', 'h2.folded']);
    expect(pair).toMatchObject({ ok: true, replaced: single.ok ? single.id : -1 });
    const ids = (await history.list()).map((e) => e.id);
    expect(ids).toEqual([pair.ok && pair.id, first.ok && first.id, other.ok && other.id, older.ok && older.id]);
  });

  it('reports usage with the browser estimate when there is one', async () => {
    const { history } = await fresh({ storage: { estimate: async () => ({ usage: 1000, quota: 5000 }) } });
    await addPair(history, sized(10), sized(20));
    expect(await history.usage()).toEqual({ usedBytes: 30, capBytes: DEFAULT_CAP_BYTES, originUsedBytes: 1000, quotaBytes: 5000 });
    const failing = await fresh({ storage: { estimate: async () => Promise.reject(new Error('no')) } });
    expect(await failing.history.usage()).toEqual({ usedBytes: 0, capBytes: DEFAULT_CAP_BYTES });
  });

  it('upgrades a version-1 database and keeps its entries', async () => {
    const factory = new IDBFactory();
    // Version 1 as it was: entries + blobs, no settings store, no fingerprint index.
    const v1 = await rawOpen(factory, 1, (db) => {
      db.createObjectStore('entries', { keyPath: 'id', autoIncrement: true });
      db.createObjectStore('blobs');
    });
    const tx = v1.transaction(['entries', 'blobs'], 'readwrite');
    tx.objectStore('entries').put({ id: 7, createdAt: 1_600_000_000_000, title: 'old run', base: { name: 'a.folded', size: 2, format: 'folded' }, head: { name: 'b.folded', size: 1, format: 'folded' }, sizeBytes: 3 });
    tx.objectStore('blobs').put({ base: bytes(5, 6), head: bytes(7) }, 7);
    await done(tx);
    v1.close();

    const history = await openHistory({ indexedDB: factory, storage: null });
    expect(history.available).toBe(true);
    expect(await history.list()).toEqual([
      { id: 7, createdAt: 1_600_000_000_000, title: 'old run', base: { name: 'a.folded', size: 2, format: 'folded' }, head: { name: 'b.folded', size: 1, format: 'folded' }, sizeBytes: 3 },
    ]);
    const got = await history.get(7);
    if (!got.ok) throw new Error(got.reason);
    expect(await read(got.blobs.base!)).toEqual([5, 6]);
    expect(await history.setCap(10)).toEqual({ ok: true, evicted: 0 });
    // A version-1 row has no fingerprint: the same files added now are a new entry beside it.
    const added = await history.add({ base: { name: 'a.folded', format: 'folded' }, head: { name: 'b.folded', format: 'folded' } }, { base: bytes(5, 6), head: bytes(7) });
    expect(added).toMatchObject({ ok: true, evicted: 0 });
    expect(added.ok && added.replaced).toBeFalsy();
    history.close();

    const check = await rawOpen(factory);
    expect(check.version).toBe(HISTORY_DB_VERSION);
    expect([...check.objectStoreNames].sort()).toEqual(['blobs', 'entries', 'settings']);
    expect([...check.transaction('entries').objectStore('entries').indexNames]).toEqual(['by-fingerprint']);
    check.close();
  });

  it('a metadata row whose bytes are missing, or a malformed row, is reported, not thrown', async () => {
    const { factory, history } = await fresh();
    const r = await addPair(history, bytes(1), bytes(2), ['<b>base</b>.folded', 'head.folded']);
    if (!r.ok) throw new Error(r.reason);
    const raw = await rawOpen(factory);
    const tx = raw.transaction(['entries', 'blobs'], 'readwrite');
    tx.objectStore('blobs').delete(r.id);
    tx.objectStore('entries').put({ id: 99, title: 42, base: 'not an object', createdAt: 'yesterday' });
    await done(tx);
    raw.close();

    const list = await history.list();
    expect(list).toHaveLength(2);
    const damaged = list.find((e) => e.id === 99)!;
    expect(damaged.damaged).toMatch(/no date.*base file's details are unreadable/);
    expect(damaged.title).toBe('Comparison #99');

    const missing = await history.get(r.id);
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining("“<b>base</b>.folded → head.folded” in history is damaged (the base file's bytes are missing)") });
    expect(await history.get(99)).toMatchObject({ ok: false, reason: expect.stringContaining('damaged') });
    expect(await history.get(12345)).toMatchObject({ ok: false, reason: expect.stringContaining('no longer exists') });

    // Still usable: eviction and usage step over the damaged row, and it can be deleted.
    expect((await history.usage()).usedBytes).toBe(2);
    expect(await history.remove(99)).toEqual({ ok: true });
    expect(await history.setCap(0)).toEqual({ ok: true, evicted: 1 });
    expect(await history.list()).toEqual([]);
  });

  it('a full quota evicts the oldest and retries once; still full → a reason, not a throw', async () => {
    const { history } = await fresh();
    const old = await addPair(history, sized(10, 1), sized(10, 2), ['old-b', 'old-h']);
    const mid = await addPair(history, sized(10, 3), sized(10, 4), ['mid-b', 'mid-h']);
    const put = IDBObjectStore.prototype.put;
    let failures = 1;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'blobs' && failures-- > 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const r = await addPair(history, sized(10, 5), sized(10, 6), ['new-b', 'new-h']);
    expect(r).toMatchObject({ ok: true, evicted: 1 });
    const ids = (await history.list()).map((e) => e.id);
    expect(ids).toEqual([r.ok && r.id, mid.ok && mid.id]);
    expect(ids).not.toContain(old.ok && old.id);

    failures = Infinity;
    const changes = vi.fn();
    history.subscribe(changes);
    const full = await addPair(history, sized(10, 7), sized(10, 8), ['x-b', 'x-h']);
    expect(full).toMatchObject({ ok: false, reason: expect.stringContaining('storage for this site is full') });
    expect(history.problem).toContain('full');
    expect(history.available).toBe(true);
    expect(changes).toHaveBeenCalled();
    failures = 0;
    expect((await addPair(history, sized(3), sized(3), ['ok-b', 'ok-h'])).ok).toBe(true);
    expect(history.problem).toBeUndefined();
  });

  describe('without a usable IndexedDB, history is off with a reason', () => {
    async function expectOff(history: History, reason: RegExp) {
      expect(history.available).toBe(false);
      expect(history.reason).toMatch(reason);
      expect(await history.list()).toEqual([]);
      expect(await history.add({ base: { name: 'a', format: 'folded' } }, { base: bytes(1) })).toMatchObject({ ok: false, reason: expect.stringMatching(/^History is off/) });
      expect(await history.get(1)).toMatchObject({ ok: false });
      expect(await history.remove(1)).toMatchObject({ ok: false });
      expect(await history.clear()).toMatchObject({ ok: false });
      expect(await history.setCap(1)).toMatchObject({ ok: false });
      expect((await history.usage()).usedBytes).toBe(0);
    }

    it('no indexedDB at all', async () => {
      await expectOff(await openHistory({ indexedDB: null }), /no IndexedDB/);
      vi.stubGlobal('indexedDB', undefined);
      await expectOff(await openHistory(), /no IndexedDB/);
    });

    it('reading indexedDB throws (storage blocked)', async () => {
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
      Object.defineProperty(globalThis, 'indexedDB', { configurable: true, get: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
      try {
        await expectOff(await openHistory(), /blocks storage.*SecurityError/);
      } finally {
        Object.defineProperty(globalThis, 'indexedDB', saved);
      }
    });

    it('open() throws or fails', async () => {
      const throwing = { open: () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); } } as unknown as IDBFactory;
      await expectOff(await openHistory({ indexedDB: throwing }), /could not be opened.*InvalidStateError/);

      const newer = new IDBFactory();
      (await rawOpen(newer, HISTORY_DB_VERSION + 5)).close();
      await expectOff(await openHistory({ indexedDB: newer }), /newer version of Flamediff/);
    });

    it('open() never answers', async () => {
      const silent = { open: () => ({}) } as unknown as IDBFactory;
      await expectOff(await openHistory({ indexedDB: silent, openTimeoutMs: 20 }), /no answer from IndexedDB/);
    });

    it('another tab upgrading the database turns this one off', async () => {
      const { factory, history } = await fresh();
      const changes = vi.fn();
      history.subscribe(changes);
      const newer = await rawOpen(factory, HISTORY_DB_VERSION + 1);
      newer.close();
      expect(history.available).toBe(false);
      expect(history.reason).toMatch(/another tab/);
      expect(changes).toHaveBeenCalled();
      expect(await history.list()).toEqual([]);
    });
  });
});

describe('history entries you can tell apart', () => {
  it('keeps the verdict line with the entry', async () => {
    const { history } = await fresh();
    await history.add({ base: { name: 'a.folded', format: 'folded' }, head: { name: 'b.folded', format: 'folded' }, verdict: 'crc32_update: +32.1% of the base run · whole run +31.6%' }, { base: bytes(1), head: bytes(2) });
    await addPair(history, bytes(3), bytes(4));
    const [plain, judged] = await history.list();
    expect(plain.verdict).toBeUndefined();
    expect(judged.verdict).toBe('crc32_update: +32.1% of the base run · whole run +31.6%');
  });

  it('renames an entry; an empty name gives the default back; the same files kept again keep the name', async () => {
    const { history } = await fresh();
    const added = await addPair(history, bytes(1, 2), bytes(3, 4));
    if (!added.ok) throw new Error(added.reason);
    expect(await history.rename(added.id, '  before the <b>CRC</b> fix  ')).toEqual({ ok: true });
    expect((await history.list())[0].title).toBe('before the <b>CRC</b> fix');
    // Opened again from the same bytes: one entry, the user's name.
    await addPair(history, bytes(1, 2), bytes(3, 4));
    const again = await history.list();
    expect(again).toHaveLength(1);
    expect(again[0].title).toBe('before the <b>CRC</b> fix');
    expect(await history.rename(again[0].id, '   ')).toEqual({ ok: true });
    expect((await history.list())[0].title).toBe('base.folded → head.folded');
    await addPair(history, bytes(1, 2), bytes(3, 4));
    expect((await history.list())[0].title).toBe('base.folded → head.folded');
  });

  it('renaming an entry that is gone says so', async () => {
    const { history } = await fresh();
    expect(await history.rename(42, 'x')).toMatchObject({ ok: false, reason: expect.stringContaining('no longer exists') });
  });
});
