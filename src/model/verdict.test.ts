import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from '../../workers/diff';
import { parseStream } from '../../workers/parse';
import { describeVerdict, verdictOf } from './verdict';

const root = path.resolve(__dirname, '../..');
async function load(rel: string) {
  const bytes = readFileSync(path.join(root, rel));
  return (await parseStream(new Blob([bytes]).stream(), path.basename(rel))).profile;
}

describe('verdict', () => {
  it('the CodSpeed pair: sre_search, new in head, explains the regression', async () => {
    const d = diffProfiles(await load('public/demo/py-parse-issue/base.callgrind.out'), await load('public/demo/py-parse-issue/head.callgrind.out'));
    const v = verdictOf(d, 'absolute', true);
    expect(describeVerdict(v)).toBe('sre_search (new in head): +173.5% of the base run · whole run +114.8%');
  });
  it('the perf CRC pair: crc32_update, beyond noise', async () => {
    const d = diffProfiles(await load('test/fixtures/c-crc-perf.base.folded'), await load('test/fixtures/c-crc-perf.head.folded'));
    const v = verdictOf(d, 'absolute', true);
    expect(v.kind === 'function' && v.name).toBe('crc32_update');
  });
  it('the no-change pair says so', async () => {
    const d = diffProfiles(await load('test/fixtures/c-crc-perf.base.folded'), await load('test/fixtures/c-crc-perf-noise.head.folded'));
    const v = verdictOf(d, 'absolute', true);
    expect(describeVerdict(v)).toMatch(/^no change beyond sampling noise · whole run [+−±]\d/);
    // Without the noise model, some function always differs.
    expect(verdictOf(d, 'absolute', false).kind).toBe('function');
  });
  it('in the direction of the whole change: a faster run names what got faster', async () => {
    const d = diffProfiles(await load('test/fixtures/c-crc-perf.head.folded'), await load('test/fixtures/c-crc-perf.base.folded'));
    const v = verdictOf(d, 'absolute', true);
    expect(v.kind === 'function' && v.share < 0 && v.whole !== null && v.whole < 0).toBe(true);
  });
  it('units that do not compare: no whole-run figure, only shares', async () => {
    const d = diffProfiles(await load('test/fixtures/cpuprofile-js-json.base.cpuprofile'), await load('test/fixtures/c-crc-perf.head.folded'));
    const v = verdictOf(d, 'proportional', true, false);
    expect(v.whole).toBeNull();
    expect(describeVerdict(v)).toMatch(/whole run: no figure, the units differ$/);
    expect(describeVerdict(v)).not.toMatch(/\d%$/);
    // Shares of each run, not an amount of the base run.
    expect(describeVerdict(v)).toMatch(/^\S+(?: \((?:new|removed) in head\))?: [+−]\d+\.\d% in its share of the run · /);
    expect(describeVerdict(verdictOf(d, 'proportional', true, false))).not.toContain('of the base run');
  });
  it('a whole-run change within sampling noise is said to be so', async () => {
    const d = diffProfiles(await load('test/fixtures/cpuprofile-js-json.base.cpuprofile'), await load('test/fixtures/cpuprofile-js-json.head.cpuprofile'));
    const v = verdictOf(d, 'absolute', true);
    // js-json: +9.3% of wall time against 3σ of about 14.5% (a few heavy samples, such as GC pauses, dominate the variance).
    expect(v.wholeWithinNoise).toBe(true);
    expect(describeVerdict(v)).toMatch(/whole run \+9\.3% \(within sampling noise\)$/);
    expect(verdictOf(d, 'absolute', false).wholeWithinNoise).toBe(false);
    // The whole run's figure is an amount in either mode: proportional says the same of it.
    expect(describeVerdict(verdictOf(d, 'proportional', true))).toMatch(/whole run \+9\.3% \(within sampling noise\)$/);
  });
});

describe('the verdict in words', () => {
  it('a share under 0.05% keeps two significant digits, never "+0.0%"', () => {
    const v = { kind: 'function', func: 0, key: 'k', name: 'sre_search', presence: 'new', share: 6.87e-6, mode: 'absolute', whole: 1.148, wholeWithinNoise: false, runs: null } as const;
    expect(describeVerdict(v)).toBe('sre_search (new in head): +0.00069% of the base run · whole run +114.8%');
    expect(describeVerdict({ ...v, share: 0.0123 })).toBe('sre_search (new in head): +1.2% of the base run · whole run +114.8%');
  });
});
