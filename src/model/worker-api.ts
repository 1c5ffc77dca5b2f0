// The whole worker boundary, typed in one place. Failures travel as data:
// a thrown error loses everything but its message on the way through comlink.
import type { Diff, SideInfo } from './diff-model';
import type { ParseErrorInfo, ParseOptions, Profile } from './profile';
import type { MatchRules } from './match-key';

export type Side = 'base' | 'head';

export type Source = { kind: 'blob'; blob: Blob; name: string } | { kind: 'url'; url: string; name: string };

export interface Progress {
  phase: 'download' | 'parse';
  /** Bytes done so far (downloaded, or parsed of the decoded text). */
  bytes: number;
  /** Expected bytes when known (Content-Length of an identity-encoded body, a file's size). */
  total?: number;
}

export type LoadResult =
  | { ok: true; side: SideInfo; nodes: number; functions: number; alsoLoadedHead: boolean; ms: number }
  | { ok: false; error: ParseErrorInfo };

export type DiffResult = { ok: true; diff: Diff; ms: number } | { ok: false; error: ParseErrorInfo };

export interface WorkerApi {
  /** Reads a source into the named slot; the profile stays in this worker. */
  load(side: Side, source: Source, options: ParseOptions, onProgress: (p: Progress) => void): Promise<LoadResult>;
  /** Hands a loaded profile over (its typed arrays are transferred, not copied). */
  take(side: Side): Promise<Profile | null>;
  /** Puts a profile taken from another worker into a slot. */
  adopt(side: Side, profile: Profile): Promise<void>;
  /** Diffs the two slots (or a slot with itself when only one is loaded). */
  diff(rules: MatchRules): Promise<DiffResult>;
  /** Re-reads a slot's original bytes with other options (callgrind event/part, folded unit). */
  reparse(side: Side, options: ParseOptions): Promise<LoadResult>;
  /** The original bytes of a slot, for history. */
  original(side: Side): Promise<Blob | null>;
}
