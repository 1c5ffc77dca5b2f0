// The history database: its typed schema and the numbered upgrades that build it.
// A version is never edited once shipped; a change is a new `if (oldVersion < N)` step,
// so a browser holding any older version walks every step in order.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

export const HISTORY_DB_NAME = 'flamediff-history';
export const HISTORY_DB_VERSION = 2;

/** One side's file as kept in the list (its bytes live in the `blobs` store). */
export interface StoredFile {
  /** The file name as the user gave it: untrusted text. */
  name: string;
  /** Bytes of the original file (gzip stays gzip). */
  size: number;
  /** The format the reader detected (`folded`, `callgrind`, `cpuprofile`, …). */
  format: string;
}

/** Where a share link fetched the profiles from, so it can be shown or shared again. */
export interface StoredSource {
  baseUrl?: string;
  headUrl?: string;
}

/** A row of the `entries` store: metadata only, small, so listing reads no profile bytes. */
export interface EntryRow {
  /** Assigned by the store (autoIncrement); absent only on the way in. */
  id?: number;
  /** ms since the epoch. */
  createdAt: number;
  title: string;
  base?: StoredFile;
  head?: StoredFile;
  source?: StoredSource;
  /** base.size + head.size: what the size cap counts. */
  sizeBytes: number;
  /** The verdict line the app showed when it was kept (untrusted: it names a function); absent on older rows. */
  verdict?: string;
  /** Set when the user renamed the entry: a re-kept copy of the same files keeps the name. */
  renamed?: boolean;
  /** Dedupe key (see history.ts); absent on rows written by version 1. */
  fingerprint?: string;
}

/** A row of the `blobs` store, keyed by the entry's id. */
export interface BlobRow {
  base?: Blob;
  head?: Blob;
}

export interface HistoryDB extends DBSchema {
  entries: {
    key: number;
    value: EntryRow;
    indexes: { 'by-created': number; 'by-fingerprint': string };
  };
  blobs: {
    key: number;
    value: BlobRow;
  };
  settings: {
    key: 'capBytes';
    value: number;
  };
}

export type HistoryStore = StoreNames<HistoryDB>;

/**
 * Applies every numbered step above `oldVersion`.
 * 1: the list (`entries`, by creation time) and the bytes (`blobs`) in separate stores.
 * 2: a user-changeable size cap (`settings`) and the dedupe index; version-1 rows have no
 *    fingerprint, so they stay out of the index and are never taken for duplicates.
 */
export function upgradeHistory(
  db: IDBPDatabase<HistoryDB>,
  oldVersion: number,
  tx: IDBPTransaction<HistoryDB, HistoryStore[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    const entries = db.createObjectStore('entries', { keyPath: 'id', autoIncrement: true });
    entries.createIndex('by-created', 'createdAt');
    db.createObjectStore('blobs');
  }
  if (oldVersion < 2) {
    db.createObjectStore('settings');
    tx.objectStore('entries').createIndex('by-fingerprint', 'fingerprint');
  }
}
