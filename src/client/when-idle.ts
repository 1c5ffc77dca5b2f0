/**
 * Runs `f` once the page is idle, and at the latest after `timeoutMs` (browsers without
 * requestIdleCallback: after `fallbackMs`). Returns a cancel.
 */
export function whenIdle(f: () => void, timeoutMs: number, fallbackMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(f, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(f, fallbackMs);
  return () => clearTimeout(id);
}
