import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../workers/diff';
import { parseFolded } from '../../workers/parse/folded';
import { chunksOf } from '../../workers/parse/lines';
import { fixture } from '../../workers/parse/test-helpers';
import { DEFAULT_SETTINGS, changeShare, frameNumbers } from './diff-view';
import { strength } from '../render/colours';
import type { Diff } from './diff-model';

async function pair(base: string, head: string): Promise<Diff> {
  const b = (await parseFolded(chunksOf(fixture(base)), base)).profile;
  const h = (await parseFolded(chunksOf(fixture(head)), head)).profile;
  return diffProfiles(b, h);
}

function strongest(d: Diff, s = DEFAULT_SETTINGS): { node: number; strength: number; name: string } {
  let best = { node: -1, strength: -1, name: '' };
  for (let i = 1; i < d.tree.func.length; i++) {
    const st = strength(changeShare(d, i, s));
    if (st > best.strength) best = { node: i, strength: st, name: frameNumbers(d, i, s).name };
  }
  return best;
}

describe('diff colours on real pairs', () => {
  it('paints no frame of the no-change pair above a quarter of full strength', async () => {
    const d = await pair('c-crc-perf.base.folded', 'c-crc-perf-noise.head.folded');
    expect(d.base.sampleWeight).toBe(1001001);
    expect(strongest(d).strength).toBeLessThanOrEqual(0.25);
    // Without the noise model the same pair would show a change: the guard is doing the work.
    expect(strongest(d, { ...DEFAULT_SETTINGS, noise: false }).strength).toBeGreaterThan(0.25);
  });

  it('paints crc32_update of the real regression at full strength with the same defaults', async () => {
    const d = await pair('c-crc-perf.base.folded', 'c-crc-perf.head.folded');
    const s = strongest(d);
    expect(s.name).toBe('crc32_update');
    expect(s.strength).toBe(1);
  });
});
