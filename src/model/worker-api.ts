// The whole worker boundary, typed in one place. Failures travel as data:
// a thrown error loses everything but its message on the way through comlink.
import type { Diff, SideInfo } from './diff-model';
import type { ParseErrorInfo, ParseOptions, Profile } from './profile';
import type { MatchRules } from './match-key';

export type Side = 'base' | 'head';

export type Source =
  | { kind: 'blob'; blob: Blob; name: string }
  | { kind: 'url'; url: string; name: string }
  /** Several runs of one side, by share link (`?base=u1&base=u2…`): downloaded, kept as one bundle (runs-bundle.ts). */
  | { kind: 'urls'; urls: string[]; name: string };

export interface Progress {
  phase: 'download' | 'parse';
  /** Bytes done so far (downloaded, or parsed of the decoded text). */
  bytes: number;
  /** Expected bytes when known (Content-Length of an identity-encoded body, a file's size). */
  total?: number;
}

/**
 * A profile in a worker is named by an id the page hands out (the sequence number of
 * its read), so a diff can say exactly which two profiles it compares.
 */
export type ProfileId = number;

export type LoadResult =
  | {
      ok: true;
      side: SideInfo;
      nodes: number;
      functions: number;
      /** A 3-column folded file also held head; it is kept under the `headId` the call gave. */
      alsoHead: SideInfo | null;
      ms: number;
    }
  | { ok: false; error: ParseErrorInfo };

export type DiffResult = { ok: true; diff: Diff; ms: number } | { ok: false; error: ParseErrorInfo };

/** Everything a worker holds, handed to the fresh worker that replaces it. */
export interface Held {
  profiles: [ProfileId, Profile][];
  originals: [ProfileId, { blob: Blob; name: string }][];
}

export interface WorkerApi {
  /** Reads a source under `id` (a 3-column file's head column under `headId`); the profile stays in this worker. */
  load(id: ProfileId, headId: ProfileId, source: Source, options: ParseOptions, onProgress: (p: Progress) => void): Promise<LoadResult>;
  /** Reads the original bytes of `from` again, with other options (callgrind event/part), under new ids. */
  reparse(from: ProfileId, id: ProfileId, headId: ProfileId, options: ParseOptions): Promise<LoadResult>;
  /** Hands a profile over (its typed arrays are transferred, not copied); null if this worker does not hold it. */
  take(id: ProfileId): Promise<Profile | null>;
  /** Puts a profile taken from another worker under its id. */
  adopt(id: ProfileId, profile: Profile): Promise<void>;
  /** Diffs two profiles held here; `headId === baseId` for a single-profile view. */
  diff(baseId: ProfileId, headId: ProfileId, rules: MatchRules): Promise<DiffResult>;
  /** The original bytes of a profile read here, for history and swapping. */
  original(id: ProfileId): Promise<Blob | null>;
  /** Frees every profile and original not named: the page's state is the one record of what is in use. */
  keepOnly(ids: ProfileId[]): Promise<void>;
  /** Hands over everything held here (typed arrays transferred): this worker is about to be replaced. */
  handOver(): Promise<Held>;
  /** Takes what a worker being replaced handed over. */
  adoptAll(held: Held): Promise<void>;
}
