// The callgrind reader's whole output, pinned: the digest of every profile it makes of the
// committed fixtures, the corpus, and the large inputs of make-large.sh when they are there
// (../large beside ../shared, as cpuprofile.test.ts finds them), for each event and part. The
// expected digests (test/parse/callgrind-digests.json; not in fixtures/, whose every file is read as a profile) were made by the reader before its
// rewrite for speed: a faster reader must give byte-exact the same profiles and errors.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, FIXTURES, HAVE_CORPUS, corpusFile, fixture, manifest } from '../../test/parse/test-helpers';
import { callgrindDigests } from '../../test/parse/callgrind-digest';

const EXPECTED: Record<string, string> = JSON.parse(readFileSync(path.join(FIXTURES, '../parse/callgrind-digests.json'), 'utf8'));
const LARGE = path.resolve(CORPUS, '../../large');
const LARGE_FILES = ['pairs/py-stdlib-tour-callgrind/base.callgrind.out', 'pairs/py-stdlib-tour-callgrind/head.callgrind.out', 'callgrind/callgrind.out.stdlib-tour-separate-callers'];

const digestInputs = (): { key: string; read: () => Uint8Array }[] => [
  ...readdirSync(FIXTURES)
    .filter((f) => /^callgrind-.*\.out$/.test(f))
    .sort()
    .map((f) => ({ key: `fixtures/${f}`, read: () => fixture(f) })),
  ...(HAVE_CORPUS ? manifest().files.filter((f) => f.format === 'callgrind') : []).map((f) => ({ key: `corpus/${f.path}`, read: () => corpusFile(f.path) })),
  // Not made by CI (make-large.sh takes minutes) and different on every machine that makes them (real runs):
  // checked where they are and their digests were pinned for these very bytes (the key carries the input's hash).
  ...LARGE_FILES.filter((f) => existsSync(path.join(LARGE, f)))
    .map((f) => {
      const bytes = new Uint8Array(readFileSync(path.join(LARGE, f)));
      return { key: `large/${f} input=${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`, read: () => bytes };
    })
    .filter((input) => input.key in EXPECTED),
];

describe('callgrind output digests', () => {
  for (const input of digestInputs()) {
    it(input.key, async () => {
      const got = await callgrindDigests(input.key, input.read());
      const expected = Object.fromEntries(Object.keys(EXPECTED).filter((k) => k === input.key || k.startsWith(`${input.key} `)).map((k) => [k, EXPECTED[k]]));
      expect(got).toEqual(expected);
    });
  }
});
