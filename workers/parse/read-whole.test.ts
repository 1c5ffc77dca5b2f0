// parseStream's `whole`: formats read whole take the file's bytes in one read instead of the stream's
// chunks, with the same profile; line formats keep streaming and never ask for them.
import { describe, expect, it } from 'vitest';
import { parseStream } from './index';
import { fixture, streamOf } from '../../test/parse/test-helpers';

describe('parseStream with the whole file at hand', () => {
  it('a .cpuprofile read in one gives the profile the stream gives', async () => {
    const bytes = fixture('cpuprofile-js-json.base.cpuprofile');
    let asked = 0;
    const whole = async () => {
      asked++;
      return bytes.slice();
    };
    const streamed = await parseStream(streamOf(bytes), 'a.cpuprofile', { sizeHint: bytes.length });
    const inOne = await parseStream(streamOf(bytes), 'a.cpuprofile', { sizeHint: bytes.length }, undefined, undefined, whole);
    expect(asked).toBe(1);
    expect(inOne.profile.tree.self).toEqual(streamed.profile.tree.self);
    const names = (p: typeof inOne.profile) => Array.from(p.funcName, (f) => p.strings[f]);
    expect(names(inOne.profile)).toEqual(names(streamed.profile));
  });

  it('a folded file streams: the whole is never read', async () => {
    const bytes = fixture('c-crc-perf.base.folded');
    let asked = 0;
    const r = await parseStream(streamOf(bytes), 'a.folded', {}, undefined, undefined, async () => {
      asked++;
      return bytes;
    });
    expect(asked).toBe(0);
    expect(r.profile.tree.total[0]).toBeGreaterThan(0);
  });
});
