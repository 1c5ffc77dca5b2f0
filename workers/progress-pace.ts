import type { Progress } from '../src/model/worker-api';

/** The least time between two progress reports of one read. */
export const PROGRESS_INTERVAL_MS = 200;

/**
 * Paces a read's progress reports: the first at once, then at most one per `intervalMs`, and the
 * last (bytes reached total) always. Each report re-renders the page and makes a new frame, which
 * the compositor (in software GL: a whole-window composite and read-back) pays for on a core the
 * parser needs; five a second is as smooth as a bar needs to look.
 */
export function pacedProgress(onProgress: ((p: Progress) => void) | undefined, intervalMs = PROGRESS_INTERVAL_MS, now: () => number = () => performance.now()): ((p: Progress) => void) | undefined {
  if (!onProgress) return undefined;
  let last = -Infinity;
  return (p) => {
    const t = now();
    const done = p.total !== undefined && p.bytes >= p.total;
    if (!done && t - last < intervalMs) return;
    last = t;
    onProgress(p);
  };
}
