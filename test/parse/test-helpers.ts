// Shared by parser tests: where the corpus is, and trees dumped as text.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../../src/model/profile';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.join(here, '../fixtures');
/** ../shared/corpus beside the repository; absent on a fresh clone elsewhere. */
export const CORPUS = path.resolve(here, '../../../shared/corpus');
export const HAVE_CORPUS = existsSync(path.join(CORPUS, 'manifest.json'));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, name)));
}

export function corpusFile(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(CORPUS, rel)));
}

interface ManifestFile {
  path: string;
  format: string;
  stats?: Record<string, unknown>;
}
export function manifest(): { files: ManifestFile[]; pairs: Record<string, unknown> } {
  return JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8'));
}

/** One line per node: indentation by depth, name, self, total (speedscope-style tree dump). */
export function dumpTree(p: Profile, maxLines = 200): string {
  const t = p.tree;
  const lines: string[] = [];
  for (let i = 1; i < t.func.length && lines.length < maxLines; i++) {
    const name = p.strings[p.funcName[t.func[i]]];
    lines.push(`${'  '.repeat(t.depth[i] - 1)}${name} (self: ${t.self[i]}, total: ${t.total[i]})`);
  }
  return lines.join('\n');
}

/** Self cost per function name, summed over the tree. */
export function selfByName(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const t = p.tree;
  for (let i = 1; i < t.func.length; i++) {
    const name = p.strings[p.funcName[t.func[i]]];
    out.set(name, (out.get(name) ?? 0) + t.self[i]);
  }
  return out;
}

/** The tree as sorted folded lines `a;b;c weight`, one per node with self weight: a stackcollapse's own output, to compare with. */
export function foldedLines(p: Profile): string[] {
  const t = p.tree;
  const path: string[] = [];
  const lines: string[] = [];
  for (let i = 1; i < t.func.length; i++) {
    path.length = t.depth[i] - 1;
    path.push(p.strings[p.funcName[t.func[i]]]);
    if (t.self[i] > 0) lines.push(`${path.join(';')} ${t.self[i]}`);
  }
  return lines.sort();
}

/** `bytes` as a stream of `chunk`-byte pieces, as a Blob or a download delivers them. */
export function streamOf(bytes: Uint8Array, chunk = 1000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}
