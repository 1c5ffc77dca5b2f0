// Two tools rarely name a program's start-up frames alike: callgrind's tree starts at `0x…1ab70` and
// `(below main)`, perf's at the process name, `_start` and `__libc_start_main_impl`. Call paths are
// matched from the root, so such a pair shares no path at all and every frame reads new or removed,
// though the functions match. What they do share is a function both run (main): focused on it, the
// two trees start at the same frame (below it they can still part, where one tool sees inlined calls).
import type { Diff } from './diff-model';
import { displayKey } from './match-key';

/**
 * Where base and head share no call path from the top (no first frame in both) but share functions:
 * the shared function that holds the most of both runs, to focus on. Null otherwise.
 */
export function meetingPoint(d: Diff): { key: string; name: string } | null {
  const t = d.tree;
  const B = t.baseTotal[0];
  const H = t.headTotal[0];
  if (!(B > 0 && H > 0)) return null;
  for (let i = 1; i < t.func.length; i = t.subtreeEnd[i]) if (t.baseTotal[i] > 0 && t.headTotal[i] > 0) return null;
  const fn = d.functions;
  let best = -1;
  let bestShare = 0;
  for (let f = 0; f < fn.key.length; f++) {
    const share = Math.min(fn.baseTotal[f] / B, fn.headTotal[f] / H);
    if (share > bestShare) (best = f), (bestShare = share);
  }
  if (best < 0) return null;
  const key = d.strings[fn.key[best]];
  return { key, name: displayKey(key) };
}
