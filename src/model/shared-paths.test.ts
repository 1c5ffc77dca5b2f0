import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from '../../workers/diff';
import { parseStream } from '../../workers/parse';
import { applyTransforms } from './transforms';
import { meetingPoint } from './shared-paths';

const FIX = path.resolve(__dirname, '../../test/fixtures');
const load = async (f: string) => (await parseStream(new Blob([readFileSync(path.join(FIX, f))]).stream(), f)).profile;

describe('where two trees meet', () => {
  it('callgrind against perf share no first frame: main is where they meet, and focused on it they do', async () => {
    const d = diffProfiles(await load('callgrind-c-crc.base.out'), await load('c-crc-perf.head.folded'));
    const meet = meetingPoint(d);
    expect(meet?.name).toBe('main');
    expect(meetingPoint(applyTransforms(d, [{ kind: 'focus', key: meet!.key }]))).toBeNull();
  });
  it('a pair of one tool shares its paths: no such note', async () => {
    expect(meetingPoint(diffProfiles(await load('c-crc-perf.base.folded'), await load('c-crc-perf.head.folded')))).toBeNull();
    expect(meetingPoint(diffProfiles(await load('callgrind-c-crc.base.out'), await load('callgrind-c-crc.head.out')))).toBeNull();
  });
});
