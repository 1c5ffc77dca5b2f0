import { describe, expect, it } from 'vitest';
import { ByteInterner, HASH_SEED, hashBytes, hashFinish, hashStep } from './byte-interner';

const enc = new TextEncoder();

describe('ByteInterner', () => {
  it('gives one id per distinct byte range, in order of first sight', () => {
    const interner = new ByteInterner();
    const buf = enc.encode('main;f;main;g;f;;main');
    const seen: string[] = [];
    const ids: number[] = [];
    let s = 0;
    for (let i = 0; i <= buf.length; i++) {
      if (i === buf.length || buf[i] === 59) {
        ids.push(interner.intern(buf, s, i, (id, b, from, to) => seen.push(`${id}:${new TextDecoder().decode(b.subarray(from, to))}`)));
        s = i + 1;
      }
    }
    expect(ids).toEqual([0, 1, 0, 2, 1, 3, 0]);
    expect(seen).toEqual(['0:main', '1:f', '2:g', '3:']);
    expect(interner.size).toBe(4);
    expect(interner.lengthOf(0)).toBe(4);
    expect(interner.sameAs(0, enc.encode('xmainx'), 1)).toBe(true);
    expect(interner.sameAs(0, enc.encode('xmaix'), 1)).toBe(false);
  });

  it('hashes by words then bytes, wherever the range starts, as a word-reading parser computes it', () => {
    const text = enc.encode('..abcdefghijklmnopq');
    for (let start = 0; start < 6; start++) {
      for (let end = start; end <= text.length; end++) {
        const copy = text.slice(start, end);
        expect(hashBytes(text, start, end)).toBe(hashBytes(copy, 0, copy.length));
        const view = new DataView(text.buffer);
        let h = HASH_SEED;
        let i = start;
        for (; i + 4 <= end; i += 4) h = hashStep(h, view.getInt32(i, true));
        for (; i < end; i++) h = hashStep(h, text[i]);
        expect(hashFinish(h, end - start)).toBe(hashBytes(text, start, end));
      }
    }
  });

  it('stays exact when every name has the same hash, and across growth', () => {
    const interner = new ByteInterner();
    const names = Array.from({ length: 3000 }, (_, i) => enc.encode(`name-${i}-${'x'.repeat(i % 50)}`));
    // Every name under one hash: each lookup compares bytes along one long probe run.
    let wrong = 0;
    for (let round = 0; round < 2; round++) for (let i = 0; i < 300; i++) if (interner.internHashed(names[i], 0, names[i].length, 42) !== i) wrong++;
    const real = new ByteInterner();
    for (let round = 0; round < 2; round++) names.forEach((b, i) => (wrong += real.internHashed(b, 0, b.length, hashBytes(b, 0, b.length)) === i ? 0 : 1));
    expect(wrong).toBe(0);
    expect(real.size).toBe(names.length);
  });
});
