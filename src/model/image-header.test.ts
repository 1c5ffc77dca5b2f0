import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffProfiles } from '../../workers/diff';
import { parseStream } from '../../workers/parse';
import { verdictOf } from './verdict';
import { imageHeader } from './image-header';
import { DEFAULT_SETTINGS } from './diff-view';

const root = path.resolve(__dirname, '../..');
async function load(rel: string) {
  const bytes = readFileSync(path.join(root, rel));
  return (await parseStream(new Blob([bytes]).stream(), path.basename(rel))).profile;
}
const settings = { ...DEFAULT_SETTINGS, inverted: false, flame: false };

describe('image header', () => {
  it('a pair: names, totals with formats, the change, the verdict in its direction, and the view', async () => {
    const d = diffProfiles(await load('test/fixtures/c-crc-perf.base.folded'), await load('test/fixtures/c-crc-perf.head.folded'));
    const verdict = verdictOf(d, 'absolute', true);
    const lines = imageHeader({ base: d.base, head: d.head, compare: 'pair', unitsComparable: true, settings, verdict, transforms: ['hide /x/'], zoomedTo: 'main' });
    expect(lines.map((l) => l.tone)).toEqual(['title', 'plain', 'slower', 'muted']);
    expect(lines[0].text).toBe('c-crc-perf.base.folded → c-crc-perf.head.folded');
    expect(lines[1].text).toMatch(/^base [\d,]+ events \(folded\) · head [\d,]+ events \(folded\) · change \+[\d,]+ events \(\+\d+\.\d%\)$/);
    expect(lines[2].text).toMatch(/^crc32_update: \+/);
    expect(lines[3].text).toBe('Diff · unit: events · absolute · colour: self Δ · widths: head · zoomed to main · hide /x/ · Flamediff');
  });
  it('units that do not compare: no change figure, both units', async () => {
    const d = diffProfiles(await load('test/fixtures/cpuprofile-js-json.base.cpuprofile'), await load('test/fixtures/c-crc-perf.head.folded'));
    const lines = imageHeader({ base: d.base, head: d.head, compare: 'pair', unitsComparable: false, settings: { ...settings, mode: 'proportional' }, verdict: null, transforms: [], zoomedTo: null });
    expect(lines[1].text).toMatch(/ · no overall change figure: the units differ$/);
    expect(lines[1].text).not.toMatch(/change [+−]/);
    expect(lines[2].text).toMatch(/^Diff · unit: microseconds \/ events · proportional/);
  });
  it('one profile alone says so and shows no Δ settings', async () => {
    const p = await load('test/fixtures/c-crc-perf.head.folded');
    const d = diffProfiles(p, p);
    const lines = imageHeader({ base: d.base, head: d.head, compare: 'head-only', unitsComparable: true, settings: { ...settings, tab: 'head' }, verdict: null, transforms: [], zoomedTo: null });
    expect(lines[0].text).toBe('c-crc-perf.head.folded (head only: nothing to compare with)');
    expect(lines.at(-1)!.text).toBe('Head profile · unit: events · Flamediff');
  });
});
