// Valgrind callgrind profiles (also cachegrind, xdebug, lsprofcalltree output): the reader
// (reader.ts: the format, what real files hold, exact per-function costs) turns the bytes into
// a call graph, and call-tree.ts expands that into the flame graph's call tree.

import type { Profile, ParseOptions } from '../../../src/model/profile';
import type { ByteChunks } from '../lines';
import { CallgrindReader } from './reader';

/** Content sniffing on the first ~4 KB: the header lines callgrind and its imitators write. */
export function sniffCallgrind(text: string): boolean {
  if (/^\uFEFF?# callgrind format/.test(text)) return true;
  if (/^creator:\s*callgrind/m.test(text)) return true;
  const events = /^events:[ \t]*\S/m.test(text);
  if (!events) return false;
  return /^(fn|fl|fi|ob)=/m.test(text) || /^(creator|positions|version|summary|cmd|part):/m.test(text);
}

export async function parseCallgrind(
  chunks: ByteChunks,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
): Promise<Profile> {
  const reader = new CallgrindReader(options);
  for await (const chunk of chunks) {
    reader.push(chunk);
    onProgress?.(reader.consumed);
  }
  reader.close();
  return reader.finish(name);
}
