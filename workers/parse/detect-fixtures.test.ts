// Every committed fixture, and every corpus file where ../shared/corpus exists, is detected as its own
// format: the speedscope and perf script sniffers claim no folded, callgrind or cpuprofile file.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { detectFormat, openBytes } from './detect';
import { sniffCallgrind } from './callgrind';
import { sniffCpuprofile } from './cpuprofile';
import { CORPUS, FIXTURES, HAVE_CORPUS, corpusFile, fixture, manifest } from '../../test/parse/test-helpers';

const sniffers = { callgrind: sniffCallgrind, cpuprofile: sniffCpuprofile };

async function detect(bytes: Uint8Array, name: string): Promise<string> {
  const { head, gzip, utf16 } = await openBytes(new Blob([bytes as BlobPart]).stream());
  return detectFormat(head, name, sniffers, { gzip, utf16 });
}

function formatByName(name: string): string | null {
  if (name.endsWith('.speedscope.json')) return 'speedscope';
  if (name.endsWith('.perf-script.txt')) return 'perf-script';
  if (name.endsWith('.folded')) return 'folded';
  if (name.endsWith('.cpuprofile')) return 'cpuprofile';
  if (path.basename(name).startsWith('callgrind')) return 'callgrind';
  return null;
}

describe('detection over every fixture', () => {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((f) => formatByName(f) !== null)
    .sort();
  it('covers every format', () => {
    expect(new Set(files.map(formatByName))).toEqual(new Set(['speedscope', 'perf-script', 'folded', 'cpuprofile', 'callgrind']));
  });
  it.each(files)('%s', async (f) => {
    expect(await detect(fixture(f), 'x')).toBe(formatByName(f));
  });
  it.skipIf(!HAVE_CORPUS)(`no corpus file is taken for speedscope or perf script (${CORPUS})`, async () => {
    for (const f of manifest().files) {
      const got = await detect(corpusFile(f.path), 'x').catch(() => 'none');
      expect(['speedscope', 'perf-script'], f.path).not.toContain(got);
    }
  });
});
