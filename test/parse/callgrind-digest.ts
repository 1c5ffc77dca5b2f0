// A digest of everything the callgrind reader makes of a file, so that a change to the reader
// that changes any profile (tree columns, function names and files, exact self and inclusive
// costs, events, parts, warnings) or any error shows (workers/parse/callgrind-digests.test.ts).
import { createHash } from 'node:crypto';
import { parseCallgrind } from '../../workers/parse/callgrind';
import { chunksOf } from '../../workers/parse/lines';
import type { ParseOptions, Profile } from '../../src/model/profile';

function digestOf(p: Profile): string {
  const h = createHash('sha256');
  const bytes = (a: ArrayBufferView) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const text = (s: unknown) => h.update(`${JSON.stringify(s)}\n`);
  text([p.name, p.format, p.unit, p.events, p.parts, p.warnings, p.strings.length, p.funcName.length]);
  for (let f = 0; f < p.funcName.length; f++) text([p.strings[p.funcName[f]], p.funcFile[f] < 0 ? null : p.strings[p.funcFile[f]]]);
  const t = p.tree;
  for (const column of [t.func, t.parent, t.depth, t.subtreeEnd, t.self, t.total]) bytes(column);
  text([p.funcInclusive?.length ?? -1, p.funcSelfExact?.length ?? -1]);
  if (p.funcInclusive) bytes(p.funcInclusive);
  if (p.funcSelfExact) bytes(p.funcSelfExact);
  return h.digest('hex');
}

async function digest(bytes: Uint8Array, options: ParseOptions, chunkSize: number): Promise<{ digest: string; events: number; parts: number }> {
  try {
    const p = await parseCallgrind(chunksOf(bytes, chunkSize), 'profile', options);
    return { digest: digestOf(p), events: p.events.length, parts: p.parts.length };
  } catch (e) {
    const err = e as Error & { line?: number; byte?: number };
    return { digest: `error: ${err.message} (line ${err.line}, byte ${err.byte})`, events: 0, parts: 0 };
  }
}

/**
 * Digests of `bytes` read with the default options (key `name`), with each other event
 * (`name event=N`) and with each part alone (`name part=N`). Read in chunks of an odd size, so
 * that every file has lines cut by a chunk boundary.
 */
export async function callgrindDigests(name: string, bytes: Uint8Array, chunkSize = 4093): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const first = await digest(bytes, {}, chunkSize);
  out[name] = first.digest;
  for (let e = 1; e < first.events; e++) out[`${name} event=${e}`] = (await digest(bytes, { event: e }, chunkSize)).digest;
  for (let p = 0; p < first.parts; p++) out[`${name} part=${p}`] = (await digest(bytes, { part: p }, chunkSize)).digest;
  return out;
}
