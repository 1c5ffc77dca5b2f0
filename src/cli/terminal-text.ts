// Text the command writes to a terminal about files: what the system said, and what a file said.

/** Text quoting a file's bytes or names, safe for a terminal: control characters (ESC, CSI, BEL…) shown as \xNN, not obeyed. */
export function printable(s: string): string {
  return s.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** What the system says of a file it cannot open or write, in words (Node's messages carry the syscall). */
export function systemError(e: unknown, missing: string): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT') return missing;
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
