// The speedscope fixtures are real: speedscope's own import + export (the npm package's code, run by
// test/fixtures/speedscope-src/make.mjs) of our cpuprofile and perf script fixtures, and sampled files
// written by that script from the perf script fixture by the schema. The oracle beside each
// (test/fixtures/speedscope-src/NAME.speedscope-self.json) is speedscope's own reading of the file: each frame's self weight.
import { describe, expect, it } from 'vitest';
import { parseSpeedscope, sniffSpeedscope, speedscopeOfBytes } from './speedscope';
import { cpuprofileOfBytes } from './cpuprofile';
import { chunksOf } from './lines';
import { ParseError, type ParseOptions, type Profile } from '../../src/model/profile';
import { fixture, foldedLines, selfByName } from '../../test/parse/test-helpers';

const enc = new TextEncoder();
const read = (name: string, options: ParseOptions = {}) => speedscopeOfBytes(fixture(`${name}.speedscope.json`), name, options);
const ofJson = (json: unknown, options: ParseOptions = {}) => speedscopeOfBytes(enc.encode(JSON.stringify(json)), 'test.speedscope.json', options);

interface OracleProfile {
  name: string;
  unit: string;
  total: number;
  self: Record<string, number>;
}
const oracle = (name: string): OracleProfile[] => JSON.parse(new TextDecoder().decode(fixture(`speedscope-src/${name}.speedscope-self.json`)));

/** Self per "name @ file", as the oracle keys it. */
function selfByFrame(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const t = p.tree;
  for (let i = 1; i < t.func.length; i++) {
    const f = t.func[i];
    const key = `${p.strings[p.funcName[f]]} @ ${p.funcFile[f] < 0 ? '' : p.strings[p.funcFile[f]]}`;
    out.set(key, (out.get(key) ?? 0) + t.self[i]);
  }
  return out;
}

const ONE = { type: 'O', frame: 0, at: 0 };
const file = (profiles: unknown[], frames = [{ name: 'a' }, { name: 'b' }, { name: 'c' }]) => ({
  $schema: 'https://www.speedscope.app/file-format-schema.json',
  shared: { frames },
  profiles,
});
const evented = (events: unknown[], extra: object = {}) => ({ type: 'evented', name: 'p', unit: 'milliseconds', startValue: 0, endValue: 100, events, ...extra });
const sampled = (samples: number[][], weights: number[], extra: object = {}) => ({ type: 'sampled', name: 's', unit: 'none', startValue: 0, endValue: 0, samples, weights, ...extra });

describe('speedscope JSON', () => {
  it("equals speedscope's own reading of each fixture, profile by profile, in the file's unit", () => {
    for (const name of ['speedscope-js-json.base', 'speedscope-js-json.head', 'speedscope-perf-threads', 'speedscope-sampled']) {
      const expected = oracle(name);
      expected.forEach((o, part) => {
        const p = read(name, { part });
        const units: Record<string, string> = { none: 'samples', microseconds: 'microseconds', seconds: 'seconds', nanoseconds: 'nanoseconds' };
        expect(p.unit, `${name} #${part}`).toBe(units[o.unit]);
        const self = selfByFrame(p);
        for (const [key, w] of Object.entries(o.self)) {
          // The evented files in seconds add float differences in another order than speedscope does.
          if (o.unit === 'seconds') expect(self.get(key) ?? 0, `${name} #${part} ${key}`).toBeCloseTo(w, 12);
          else expect(self.get(key) ?? 0, `${name} #${part} ${key}`).toBe(w);
        }
        expect([...self.keys()].filter((k) => !(k in o.self))).toEqual([]);
      });
    }
  });

  it('reads the same tree as the source .cpuprofile, but for what speedscope changed in its import', () => {
    // speedscope names an anonymous function "(anonymous FILE:LINE)" (Flamediff's .cpuprofile reader: "(anonymous) FILE:LINE:COLUMN"),
    // and gives the last sample no weight (Flamediff: the time until endTime, here 414 µs in SafeIterator).
    const anonymousMerged = (m: Map<string, number>) => {
      const out = new Map<string, number>();
      for (const [name, w] of m) {
        const n = name.startsWith('(anonymous') ? '(anonymous)' : name;
        out.set(n, (out.get(n) ?? 0) + w);
      }
      return out;
    };
    const renamed = anonymousMerged(selfByName(read('speedscope-js-json.base')));
    const source = anonymousMerged(selfByName(cpuprofileOfBytes(fixture('cpuprofile-js-json.base.cpuprofile'), 'base.cpuprofile')));
    source.set('SafeIterator', source.get('SafeIterator')! - 414);
    for (const [name, w] of source) if (w > 0) expect(renamed.get(name), name).toBe(w);
    for (const [name, w] of renamed) if (w > 0) expect(source.get(name), name).toBe(w);
  });

  it("opens the file's activeProfileIndex by default, else the first; lists the profiles as parts", () => {
    const threads = read('speedscope-perf-threads');
    expect(threads.parts).toEqual(['work tid: 2102', 'work tid: 2100']);
    expect(foldedLines(threads)).toEqual(foldedLines(read('speedscope-perf-threads', { part: 1 })));
    expect(foldedLines(threads)).not.toEqual(foldedLines(read('speedscope-perf-threads', { part: 0 })));
    const sampledFile = read('speedscope-sampled');
    expect(foldedLines(sampledFile)).toEqual(foldedLines(read('speedscope-sampled', { part: 0 })));
    expect(read('speedscope-js-json.base').parts).toEqual([]);
    expect(() => read('speedscope-perf-threads', { part: 2 })).toThrow(/profile 2 does not exist: the file holds 2/);
  });

  it('sums every profile for part -1 when they share a unit, and refuses when they do not', () => {
    const all = read('speedscope-perf-threads', { part: -1 });
    expect(all.tree.total[0]).toBeCloseTo(read('speedscope-perf-threads', { part: 0 }).tree.total[0] + read('speedscope-perf-threads', { part: 1 }).tree.total[0], 12);
    expect(() => read('speedscope-sampled', { part: -1 })).toThrow(/different units \(samples, nanoseconds\)/);
  });

  it('sampled profiles: stacks root first, each weight exact; sample counts are samples, other weights keep their squares', () => {
    const counts = read('speedscope-sampled', { part: 1 });
    expect(counts.unit).toBe('samples');
    expect(counts.sampleWeight).toBe(1);
    expect(counts.tree.selfSq).toBeUndefined();
    const ns = read('speedscope-sampled', { part: 2 });
    expect(ns.unit).toBe('nanoseconds');
    // Every cpu-clock period of this recording is 1,001,001 ns.
    expect(ns.sampleWeight).toBe(1001001);
    expect(ns.tree.selfSq).toBeUndefined();
    const p = ofJson(file([sampled([[0, 1], [0, 1, 2], [0, 2]], [1.5, 2, 4], { unit: 'microseconds' })]));
    expect(foldedLines(p)).toEqual(['a;b 1.5', 'a;b;c 2', 'a;c 4']);
    expect(p.sampleWeight).toBeCloseTo(7.5 / 3, 15);
    expect(Array.from(p.tree.selfSq!).filter((x) => x > 0).sort((x, y) => x - y)).toEqual([2.25, 4, 16]);
  });

  it('evented profiles: a frame weighs its open time minus its children', () => {
    const p = ofJson(
      file([
        evented([
          { type: 'O', frame: 0, at: 10 },
          { type: 'O', frame: 1, at: 12 },
          { type: 'C', frame: 1, at: 15 },
          { type: 'O', frame: 2, at: 15 },
          { type: 'O', frame: 1, at: 16 },
          { type: 'C', frame: 1, at: 20 },
          { type: 'C', frame: 2, at: 21 },
          { type: 'C', frame: 0, at: 30 },
          { type: 'O', frame: 1, at: 40 },
          { type: 'C', frame: 1, at: 41.5 },
        ]),
      ]),
    );
    expect(p.unit).toBe('milliseconds');
    expect(p.sampleWeight).toBeUndefined();
    expect(foldedLines(p)).toEqual(['a 11', 'a;b 3', 'a;c 2', 'a;c;b 4', 'b 1.5']);
    expect(p.warnings.incomplete).toBeUndefined();
  });

  it('unbalanced events: a close of another frame or of none is an error at the events; frames left open close at endValue with a warning', () => {
    const err = (events: unknown[]) => {
      try {
        ofJson(file([evented(events)]));
      } catch (e) {
        return e as ParseError;
      }
      throw new Error('no error');
    };
    const wrong = err([ONE, { type: 'O', frame: 1, at: 1 }, { type: 'C', frame: 0, at: 2 }]);
    expect(wrong.format).toBe('speedscope');
    expect(wrong.message).toMatch(/event 2 closes frame 0 \("a"\) at 2, but the frame open on top is 1 \("b"\): opens and closes must nest/);
    expect(wrong.byte).toBeGreaterThan(0);
    expect(wrong.line).toBe(1);
    expect(err([{ type: 'C', frame: 0, at: 2 }]).message).toMatch(/closes frame 0 \("a"\) at 2, but no frame is open/);
    expect(err([ONE, { type: 'C', frame: 0, at: -1 }]).message).toMatch(/event 1 is at -1, before the event before it \(0\): events must be in time order/);
    expect(err([{ type: 'O', frame: 7, at: 0 }]).message).toMatch(/names frame 7, and the file has frames 0 to 2/);
    expect(err([{ type: 'X', frame: 0, at: 0 }]).message).toMatch(/"X": events are "O" \(open\) or "C" \(close\)/);
    const open = ofJson(file([evented([ONE, { type: 'O', frame: 1, at: 5 }])]));
    expect(foldedLines(open)).toEqual(['a 5', 'a;b 95']);
    expect(open.warnings.incomplete![0]).toMatch(/ends with 2 frame\(s\) still open \(the innermost "b"\), closed here at its endValue, 100/);
  });

  it('malformed files: a ParseError naming speedscope, with a byte and line', () => {
    const cases: [unknown, RegExp][] = [
      [[1, 2], /an array\), not a speedscope file object/],
      [{ $schema: 'https://www.speedscope.app/file-format-schema.json', profiles: [] }, /no "shared": \{"frames"/],
      [file([]), /no profiles/],
      [file([{ type: 'flat', unit: 'none' }]), /"flat": speedscope's profiles are "sampled" or "evented"/],
      [file([sampled([[0]], [1, 2])]), /has 1 samples but 2 weights/],
      [file([sampled([[0, 9]], [1])]), /sample 0 names frame 9/],
      [file([sampled([[0]], [-1])]), /negative weight/],
      [file([sampled([[0]], [1])], [{ file: 'x' } as never]), /frame 0 has no "name" string/],
    ];
    for (const [json, message] of cases) {
      let e: unknown;
      try {
        ofJson(json);
      } catch (x) {
        e = x;
      }
      expect(e, String(message)).toBeInstanceOf(ParseError);
      expect((e as ParseError).format).toBe('speedscope');
      expect((e as ParseError).message).toMatch(message);
      expect((e as ParseError).byte ?? (e as ParseError).line).toBeDefined();
    }
    const cut = fixture('speedscope-perf-threads.speedscope.json').subarray(0, 5000);
    expect(() => speedscopeOfBytes(cut, 'cut.json')).toThrow(/the JSON ends too early: the file is truncated/);
  });

  // Found by the fuzz suite (test/parse/fuzz.test.ts): the tree builder refused these at the start of the document.
  it('a weight or a time past float64 (1e999), or a negative weight, is an error at the weights or events, not at the document start', () => {
    const text = (weights: string) => `{"shared":{"frames":[{"name":"a"}]},"profiles":[{"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":1,"samples":[[0],[0]],"weights":${weights}}]}`;
    const evented = '{"shared":{"frames":[{"name":"a"}]},"profiles":[{"type":"evented","name":"p","unit":"none","startValue":0,"endValue":1,"events":[{"type":"O","frame":0,"at":0},{"type":"C","frame":0,"at":1e999}]}]}';
    const cases: [string, RegExp, string][] = [
      [text('[1,1e999]'), /weight 1 is not a finite number \(Infinity\)/, '"weights"'],
      [text('[1,-2]'), /weight 1 is a negative weight \(-2\)/, '"weights"'],
      [evented, /event 1 is at Infinity: times must be finite numbers/, '"events"'],
    ];
    for (const [json, message, key] of cases) {
      let e: unknown;
      try {
        speedscopeOfBytes(enc.encode(json), 'x.speedscope.json');
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).message).toMatch(message);
      expect((e as ParseError).byte).toBe(json.indexOf(key));
    }
  });

  it('skips and counts an empty sample stack', () => {
    const p = ofJson(file([sampled([[0], []], [2, 3])]));
    expect(foldedLines(p)).toEqual(['a 2']);
    expect(p.warnings.skippedLines).toBe(1);
    expect(p.warnings.examples[0]).toMatch(/sample 1 has an empty stack \(weight 3 not counted\)/);
  });

  it('is sniffed by its $schema, or by its shared frames when $schema comes late', async () => {
    const text = (name: string) => new TextDecoder().decode(fixture(name)).slice(0, 4096);
    for (const name of ['speedscope-js-json.base.speedscope.json', 'speedscope-perf-threads.speedscope.json', 'speedscope-sampled.speedscope.json']) expect(sniffSpeedscope(text(name)), name).toBe(true);
    expect(sniffSpeedscope('{"shared": {"frames": [{"name": "a"}]}, "profiles": []}')).toBe(true);
    expect(sniffSpeedscope(text('cpuprofile-js-json.base.cpuprofile'))).toBe(false);
    expect(sniffSpeedscope('{"$schema": "https://json-schema.org/draft-07/schema#"}')).toBe(false);
    const p = await parseSpeedscope(chunksOf(fixture('speedscope-sampled.speedscope.json'), 1000), 'x');
    expect(p.format).toBe('speedscope');
  });

  it('refuses, with the figures, a file past what JSON.parse can read', async () => {
    await expect(parseSpeedscope(chunksOf(fixture('speedscope-sampled.speedscope.json'), 1000), 'x', {}, undefined, { jsonText: 4000, jsonBytes: 4000 })).rejects.toThrow(
      /more than 4 kB of JSON: it is read as one string/,
    );
  });
});
