import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ParseError, type Profile } from '../../src/model/profile';
import { anonymousName, cpuprofileOfBytes, parseCpuprofile, sniffCpuprofile, type CpuprofileReader } from './cpuprofile';
import { readCpuprofileBytes, readTraceBytes } from './cpuprofile-bytes';
import { SIZE_LIMITS } from './size-limits';
import { chunksOf } from './lines';
import { CORPUS, HAVE_CORPUS, corpusFile, fixture, manifest } from '../../test/parse/test-helpers';

const enc = new TextEncoder();
const dec = new TextDecoder();
const parseText = (text: string, options = {}, chunk = 1 << 20) => parseCpuprofile(chunksOf(enc.encode(text), chunk), 'test.cpuprofile', options);
const parseBytes = (bytes: Uint8Array, options = {}, chunk = 1 << 20) => parseCpuprofile(chunksOf(bytes, chunk), 'test.cpuprofile', options);

async function parseError(p: Promise<unknown>): Promise<ParseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

// ---------------------------------------------------------------------------
// Independent reference: plain objects and Array.sort, no typed arrays, no builder.

/* eslint-disable @typescript-eslint/no-explicit-any */
const ROOT = '<root>';
interface Reference {
  /** Self weight per `name\0url`, and ROOT for samples of the (root) node. */
  self: Map<string, number>;
  /** The same keys: the sum of their samples' squared weights. */
  squares: Map<string, number>;
  total: number;
  /** Time of the first sample minus startTime (the lead-in no sample covers). */
  leadIn: number;
  samples: number;
}

function reference(raw: any): Reference {
  const hasParent = new Set<unknown>();
  for (const n of raw.nodes) {
    if (n.parent !== undefined) hasParent.add(n.id);
    for (const c of n.children ?? []) hasParent.add(c);
  }
  const keyOf = new Map<unknown, string>();
  for (const n of raw.nodes) {
    const cf = n.callFrame ?? n;
    keyOf.set(n.id, !hasParent.has(n.id) && cf.functionName === '(root)' ? ROOT : `${cf.functionName || anonymousName(cf.url || null, cf.lineNumber, cf.columnNumber)}\u0000${cf.url || ''}`);
  }
  const m: number = raw.samples.length;
  let times: number[];
  let end: number = raw.endTime;
  if (raw.timeDeltas) {
    let t = raw.startTime;
    times = raw.timeDeltas.map((d: number) => (t += d));
  } else {
    times = raw.timestamps.slice(0, m);
    if (raw.timestamps.length > m) end = raw.timestamps[m];
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const first = times[order[0]];
  const last = times[order[m - 1]];
  if (!(end >= last)) end = raw.endTime >= last ? raw.endTime : last + (last - first) / (m - 1);
  const self = new Map<string, number>();
  const squares = new Map<string, number>();
  let total = 0;
  order.forEach((k, j) => {
    const w = (j + 1 < m ? times[order[j + 1]] : end) - times[k];
    const key = keyOf.get(raw.samples[k]);
    if (key === undefined) return; // a sample of a node that is not in the file: not attributed
    self.set(key, (self.get(key) ?? 0) + w);
    squares.set(key, (squares.get(key) ?? 0) + w * w);
    total += w;
  });
  return { self, squares, total, leadIn: first - raw.startTime, samples: m };
}

/** The old format's nested tree as a flat node list (tiny files only: recursion is fine here). */
function flattenLegacy(json: any): any {
  const nodes: any[] = [];
  const walk = (n: any, parent?: number) => {
    nodes.push({ id: n.id, parent, callFrame: { functionName: n.functionName, url: n.url } });
    for (const c of n.children ?? []) walk(c, n.id);
  };
  walk(json.head);
  return { nodes, samples: json.samples, timestamps: json.timestamps, startTime: json.startTime * 1e6, endTime: json.endTime * 1e6 };
}

/** The CPU profiles of a trace, concatenated per (pid, id) as DevTools does, most samples first. */
function traceProfiles(json: any): any[] {
  const events: any[] = Array.isArray(json) ? json : json.traceEvents;
  const byKey = new Map<string, any>();
  const get = (e: any) => {
    const key = `${e.pid}:${e.id}`;
    if (!byKey.has(key)) byKey.set(key, { nodes: [], samples: [], timeDeltas: [], chunks: [], startTime: 0, endTime: undefined });
    return byKey.get(key);
  };
  events.forEach((e, i) => {
    if (e.name === 'Profile') get(e).startTime = e.args.data.startTime;
    if (e.name === 'ProfileChunk') get(e).chunks.push(e);
    if (e.name === 'CpuProfile') byKey.set(`whole${i}`, e.args.data.cpuProfile);
  });
  const out = [...byKey.values()].map((p) => {
    for (const c of (p.chunks ?? []).sort((a: any, b: any) => a.ts - b.ts)) {
      const d = c.args?.data ?? {};
      p.nodes.push(...(d.cpuProfile?.nodes ?? []));
      p.samples.push(...(d.cpuProfile?.samples ?? []));
      p.timeDeltas.push(...(d.timeDeltas ?? []));
    }
    return p;
  });
  return out.sort((a, b) => b.samples.length - a.samples.length);
}

/** Self weight per function `name\0url` as the parser built it, ROOT for the root's own (`column`: another per-node column). */
function selfByFunction(p: Profile, column: Float64Array = p.tree.self): Map<string, number> {
  const out = new Map<string, number>();
  const t = p.tree;
  if (column[0] !== 0) out.set(ROOT, column[0]);
  for (let i = 1; i < t.func.length; i++) {
    if (column[i] === 0) continue;
    const f = t.func[i];
    const key = `${p.strings[p.funcName[f]]}\u0000${p.funcFile[f] < 0 ? '' : p.strings[p.funcFile[f]]}`;
    out.set(key, (out.get(key) ?? 0) + column[i]);
  }
  return out;
}

/** The sum of squared sample weights per function as the parser kept it (CallTree.selfSq). */
function squaresByFunction(p: Profile): Map<string, number> {
  expect(p.tree.selfSq, 'a cpuprofile keeps its samples\' squared weights').toBeDefined();
  return selfByFunction(p, p.tree.selfSq!);
}

function expectSameWeights(actual: Map<string, number>, expected: Map<string, number>, exact: boolean) {
  const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0));
  const a = nonZero(actual);
  const e = nonZero(expected);
  if (exact) {
    expect(a).toEqual(e);
    return;
  }
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  for (const [k, v] of e) expect(a.get(k)).toBeCloseTo(v, 6);
}

/** One line per node: indent, name, self, total. */
function dump(p: Profile, maxLines = 1e9): string {
  const t = p.tree;
  const lines: string[] = [];
  for (let i = 1; i < t.func.length && lines.length < maxLines; i++) {
    lines.push(`${'  '.repeat(t.depth[i] - 1)}${p.strings[p.funcName[t.func[i]]]} ${t.self[i]} ${t.total[i]}`);
  }
  return lines.join('\n');
}

function maxDepth(p: Profile): number {
  let d = 0;
  for (let i = 0; i < p.tree.depth.length; i++) if (p.tree.depth[i] > d) d = p.tree.depth[i];
  return d;
}

/** A tiny modern profile: (root) -> nodes given as [id, name, url, parentId]. */
function tiny(nodes: [number, string, string, number | null][], rest: Record<string, unknown>, link: 'children' | 'parent' = 'children'): string {
  const out = nodes.map(([id, functionName, url, parent]) => {
    const n: Record<string, unknown> = { id, callFrame: { functionName, scriptId: '1', url, lineNumber: 0, columnNumber: 0 }, hitCount: 0 };
    if (link === 'parent' && parent !== null) n.parent = parent;
    if (link === 'children') n.children = nodes.filter((c) => c[3] === id).map((c) => c[0]);
    return n;
  });
  return JSON.stringify({ nodes: out, ...rest });
}

// ---------------------------------------------------------------------------

describe('cpuprofile parser over our own fixtures', () => {
  const files = [
    // file, samples, nodes and duration_ms from the corpus manifest; root total = endTime - first sample time
    ['cpuprofile-js-json.base.cpuprofile', 2529, 59, 3482.5, 3478487],
    ['cpuprofile-js-json.head.cpuprofile', 2472, 76, 3806.4, 3803618],
    ['cpuprofile-js-edge-names.cpuprofile', 991, 64, 1198.2, 1195664],
    ['cpuprofile-deep-recursion.cpuprofile', 1919, 1656, 2205.2, 2199378],
  ] as const;

  it.each(files)('%s: every function weighs the sum of its samples', async (file, samples, nodes, durationMs, rootTotal) => {
    const bytes = fixture(file);
    const json = JSON.parse(dec.decode(bytes));
    expect(json.samples.length).toBe(samples);
    expect(json.nodes.length).toBe(nodes);
    const ref = reference(json);
    const p = await parseBytes(bytes);
    expect(p.format).toBe('cpuprofile');
    expect(p.unit).toBe('microseconds');
    expect(p.parts).toEqual([]);
    expect(p.warnings.skippedLines).toBe(0);
    expect(p.tree.total[0]).toBe(rootTotal);
    expect(ref.total).toBe(rootTotal);
    expect(p.tree.total[0]).toBe(json.endTime - json.startTime - ref.leadIn);
    expect((p.tree.total[0] + ref.leadIn) / 1000).toBeCloseTo(durationMs, 1);
    expectSameWeights(selfByFunction(p), ref.self, true);
    expectSameWeights(squaresByFunction(p), ref.squares, true);
    // (root) is the tree's own root, never a frame; the V8 pseudo-frames stay.
    const names = new Set(Array.from(p.funcName, (s) => p.strings[s]));
    expect(names.has('(root)')).toBe(false);
    for (const pseudo of ['(program)', '(idle)', '(garbage collector)']) {
      expect(names.has(pseudo)).toBe(json.nodes.some((n: { callFrame: { functionName: string } }) => n.callFrame.functionName === pseudo));
    }
  });

  it('snapshots the tree of a small real file', async () => {
    const p = await parseBytes(fixture('cpuprofile-js-edge-names.cpuprofile'));
    // endTime - startTime = 1,198,219 us; the first sample comes 2,555 us after startTime.
    expect(p.tree.total[0]).toBe(1195664);
    expect(dump(p, 45)).toMatchSnapshot();
  });

  it('keeps hostile and non-ASCII names verbatim, empty names as (anonymous), empty urls as no file', async () => {
    const p = await parseBytes(fixture('cpuprofile-js-edge-names.cpuprofile'));
    const names = Array.from(p.funcName, (s) => p.strings[s]);
    for (const n of ['<img src=x onerror=alert(1)>', '🔥 hot path', '计算总和', 'größeBerechnen', 'name with spaces; and a semicolon', '(idle)', '(anonymous)']) {
      expect(names).toContain(n);
    }
    expect(names).not.toContain('');
    const gc = names.indexOf('(garbage collector)');
    expect(p.funcFile[gc]).toBe(-1);
  });

  it('matches functions by name and url, not line (base and head line up)', async () => {
    const base = await parseBytes(fixture('cpuprofile-js-json.base.cpuprofile'));
    const head = await parseBytes(fixture('cpuprofile-js-json.head.cpuprofile'));
    const keys = (p: Profile) => new Set(selfByFunction(p).keys());
    const common = [...keys(base)].filter((k) => keys(head).has(k));
    expect(common.some((k) => k.startsWith('normalizeSku\u0000'))).toBe(true);
    // One function per (name, url) in the function table.
    const ids = Array.from(base.funcName, (n, f) => `${n}:${base.funcFile[f]}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reads the 766-deep recursion without recursion of its own', async () => {
    const p = await parseBytes(fixture('cpuprofile-deep-recursion.cpuprofile'));
    expect(maxDepth(p)).toBeGreaterThan(700);
  });

  it('gives the same tree whatever the chunk boundaries', async () => {
    const bytes = fixture('cpuprofile-js-edge-names.cpuprofile');
    const a = await parseBytes(bytes);
    const b = await parseBytes(bytes, {}, 7);
    expect(dump(b)).toBe(dump(a));
  });

  it('sniffs its own fixtures from their first 4 KB', () => {
    for (const [file] of files) expect(sniffCpuprofile(dec.decode(fixture(file).subarray(0, 4096)))).toBe(true);
  });
});

describe('cpuprofile edge cases', () => {
  afterEach(() => vi.restoreAllMocks());

  const chain: [number, string, string, number | null][] = [
    [1, '(root)', '', null],
    [2, 'a', 'a.js', 1],
    [3, 'b', 'b.js', 2],
    [4, '(program)', '', 1],
  ];

  it('weighs each sample until the next one and the last until endTime', async () => {
    const p = await parseText(tiny(chain, { startTime: 100, endTime: 200, samples: [3, 2, 4, 3], timeDeltas: [10, 20, 30, 5] }));
    // times 110, 130, 160, 165; end 200
    expect(dump(p)).toBe(['(program) 5 5', 'a 30 85', '  b 55 55'].join('\n'));
    expect(p.tree.total[0]).toBe(200 - 110);
  });

  it('keeps the squares of the sample weights per node (their variance): Σw², not the mean interval times self', async () => {
    // b: a sample followed by 1000 µs until the next one, and the last, 2 µs until endTime; a: four samples of 1 µs.
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 1006, samples: [3, 2, 2, 2, 2, 3], timeDeltas: [0, 1000, 1, 1, 1, 1] }));
    expect(dump(p)).toBe(['(program) 0 0', 'a 4 1006', '  b 1002 1002'].join('\n'));
    expect(squaresByFunction(p)).toEqual(new Map([['a\u0000a.js', 4], ['b\u0000b.js', 1000 * 1000 + 2 * 2]]));
    // Out of order: the squares follow the sorted times.
    const q = await parseText(tiny(chain, { startTime: 0, endTime: 20, samples: [2, 3, 2, 4], timeDeltas: [10, 5, -3, 0] }));
    expect(squaresByFunction(q)).toEqual(new Map([['a\u0000a.js', 4], ['b\u0000b.js', 25], ['(program)\u0000', 9]]));
    // Evenly spread weights (no timeDeltas; hitCounts): n samples of w, n·w² (= sampleWeight · self).
    const even = await parseText(tiny(chain, { startTime: 0, endTime: 300, samples: [2, 2, 3] }));
    expect(squaresByFunction(even)).toEqual(new Map([['a\u0000a.js', 2 * 100 * 100], ['b\u0000b.js', 100 * 100]]));
    expect(even.sampleWeight! * even.tree.self[1]).toBe(even.tree.selfSq![1]);
    const hits = JSON.parse(tiny(chain, { startTime: 0, endTime: 40 }));
    hits.nodes[1].hitCount = 1;
    hits.nodes[2].hitCount = 3;
    expect(squaresByFunction(await parseText(JSON.stringify(hits)))).toEqual(new Map([['a\u0000a.js', 100], ['b\u0000b.js', 300]]));
    // A Chrome trace's profile too (same parser): times 10, 20, 40, the last one the mean interval, 15.
    const trace = [
      { name: 'Profile', ph: 'P', pid: 1, tid: 10, id: '0x1', ts: 0, args: { data: { startTime: 0 } } },
      { name: 'ProfileChunk', ph: 'P', pid: 1, tid: 11, id: '0x1', ts: 1, args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: '(root)' } }, { id: 2, parent: 1, callFrame: { functionName: 'a', url: 'a.js' } }], samples: [2, 2, 2] }, timeDeltas: [10, 10, 20] } } },
    ];
    expect(squaresByFunction(await parseText(JSON.stringify(trace)))).toEqual(new Map([['a\u0000a.js', 10 * 10 + 20 * 20 + 15 * 15]]));
  });

  it('sorts out-of-order samples (negative timeDeltas) by time, stably', async () => {
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 20, samples: [2, 3, 2, 4], timeDeltas: [10, 5, -3, 0] }));
    // times 10 (a), 15 (b), 12 (a), 12 (program) -> order a@10, a@12, program@12, b@15; end 20
    expect(dump(p)).toBe(['(program) 3 3', 'a 2 7', '  b 5 5'].join('\n'));
    expect(p.tree.total[0]).toBe(10);
  });

  it('sorts a fully reversed profile (the insertion sort gives up and Array sort takes over)', async () => {
    const m = 2000;
    const deltas = [1e6, ...Array(m - 1).fill(-1)];
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 1e6 + 10, samples: Array.from({ length: m }, (_, i) => (i % 2 ? 3 : 2)), timeDeltas: deltas }));
    // Sample 0 is the latest (1e6) and runs to endTime: 10; every other sample weighs 1.
    expect(dump(p)).toBe(['(program) 0 0', 'a 1009 2009', '  b 1000 1000'].join('\n'));
  });

  it('sums timestamps without drift (float64 sums of integers)', async () => {
    const m = 200_000;
    const json = tiny(chain, { startTime: 1e12, endTime: 1e12 + 100 * m + 7, samples: Array.from({ length: m }, (_, i) => (i % 2 ? 3 : 2)), timeDeltas: Array(m).fill(100) });
    const p = await parseText(json);
    expect(p.tree.total[0]).toBe(100 * m + 7 - 100);
    expect(dump(p)).toBe(['(program) 0 0', 'a 10000000 19999907', '  b 9999907 9999907'].join('\n'));
  });

  it('samples and timeDeltas of different lengths: loads the samples that have a time, and says it looks truncated', async () => {
    // Samples cut: times 10, 20, 30 for the first three; the fourth has none. The last timed one
    // weighs the mean interval (10), not the 170 µs to endTime the missing samples took.
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 200, samples: [2, 3, 3, 4, 4], timeDeltas: [10, 10, 10] }));
    expect(dump(p)).toBe(['(program) 0 0', 'a 10 30', '  b 20 20'].join('\n'));
    expect(p.warnings.incomplete).toEqual(['looks truncated: "samples" has 5 entries and "timeDeltas" 3, where each sample has its delta; the last 2 samples, which have no time, are left out']);
    expect(p.warnings.skippedLines).toBe(0);
    expect(p.sampleWeight).toBe(10);
    // Deltas past the last sample: the one after it says where it ends.
    const q = await parseText(tiny(chain, { startTime: 0, endTime: 200, samples: [2, 3], timeDeltas: [10, 10, 7, 7] }));
    expect(dump(q)).toBe(['(program) 0 0', 'a 10 17', '  b 7 7'].join('\n'));
    expect(q.warnings.incomplete).toEqual(['looks truncated: "samples" has 2 entries and "timeDeltas" 4, where each sample has its delta; the 2 deltas past the last sample are ignored']);
    // Both lengths, in a trace too, where the sentence names the part.
    const trace = {
      traceEvents: [
        { name: 'Profile', ph: 'P', pid: 1, tid: 10, id: '0x1', ts: 0, args: { data: { startTime: 0 } } },
        { name: 'ProfileChunk', ph: 'P', pid: 1, tid: 11, id: '0x1', ts: 1, args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: '(root)' } }, { id: 2, parent: 1, callFrame: { functionName: 'a' } }], samples: [2, 2, 2] }, timeDeltas: [5, 5] } } },
      ],
    };
    const t = await parseText(JSON.stringify(trace));
    expect(t.warnings.incomplete).toEqual([expect.stringMatching(/^thread \(pid 1, tid 10, profile 0x1, 3 samples\): looks truncated: "samples" has 3 entries and "timeDeltas" 2/)]);
    // A complete profile carries no such sentence; one without timeDeltas (or with an empty one) is not cut either.
    for (const rest of [{ samples: [2, 3], timeDeltas: [1, 1] }, { samples: [2, 3] }, { samples: [2, 3], timeDeltas: [] }]) {
      expect((await parseText(tiny(chain, { startTime: 0, endTime: 10, ...rest }))).warnings.incomplete, JSON.stringify(rest)).toBeUndefined();
    }
  });

  it('spreads endTime - startTime evenly without timeDeltas, and counts samples without any time', async () => {
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 300, samples: [2, 2, 3] }));
    expect(dump(p)).toBe(['(program) 0 0', 'a 200 300', '  b 100 100'].join('\n'));
    expect(p.unit).toBe('microseconds');
    const q = await parseText(tiny(chain, { samples: [2, 2, 3] }));
    expect(dump(q)).toBe(['(program) 0 0', 'a 2 3', '  b 1 1'].join('\n'));
    expect(q.unit).toBe('samples');
  });

  it('uses hitCount when there is no samples array', async () => {
    const json = JSON.parse(tiny(chain, { startTime: 0, endTime: 40 }));
    json.nodes[1].hitCount = 1;
    json.nodes[2].hitCount = 3;
    const p = await parseText(JSON.stringify(json));
    expect(dump(p)).toBe(['(program) 0 0', 'a 10 40', '  b 30 30'].join('\n'));
  });

  it('links nodes by parent, in any order, with non-contiguous and huge ids', async () => {
    const nodes: [number, string, string, number | null][] = [
      [1_000_000_007, 'b', 'b.js', 50],
      [50, 'a', 'a.js', 7],
      [7, '(root)', '', null],
      [3, 'c', '', 7],
    ];
    const json = tiny(nodes, { startTime: 0, endTime: 10, samples: [1_000_000_007, 3, 50], timeDeltas: [1, 2, 3] }, 'parent');
    const p = await parseText(json);
    expect(dump(p)).toBe(['a 4 6', '  b 2 2', 'c 3 3'].join('\n'));
    // The same through `children`, and with both links present and agreeing.
    expect(dump(await parseText(tiny(nodes, { startTime: 0, endTime: 10, samples: [1_000_000_007, 3, 50], timeDeltas: [1, 2, 3] })))).toBe(dump(p));
    const both = JSON.parse(json);
    both.nodes[1].children = [1_000_000_007];
    expect(dump(await parseText(JSON.stringify(both)))).toBe(dump(p));
  });

  it('names empty functions (anonymous), gives empty urls no file, and merges lines of one function', async () => {
    const json = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3, 4] },
        { id: 2, callFrame: { functionName: '', scriptId: '5', url: 'file:///x.js', lineNumber: 3, columnNumber: 1 } },
        { id: 3, callFrame: { functionName: 'f', scriptId: '5', url: 'file:///x.js', lineNumber: 10, columnNumber: 1 } },
        { id: 4, callFrame: { functionName: 'f', scriptId: '5', url: 'file:///x.js', lineNumber: 12, columnNumber: 4 } },
      ],
      startTime: 0,
      endTime: 4,
      samples: [2, 3, 4, 4],
      timeDeltas: [0, 1, 1, 1],
    };
    const p = await parseText(JSON.stringify(json));
    // Named by its place (1-based line and column, as DevTools shows it), so distinct anonymous functions stay distinct.
    expect(dump(p)).toBe(['(anonymous) x.js:4:2 1 1', 'f 3 3'].join('\n'));
    expect(p.strings[p.funcFile[p.tree.func[1]]]).toBe('file:///x.js');
    json.nodes[2].callFrame.url = '';
    const q = await parseText(JSON.stringify(json));
    expect(q.funcFile[q.tree.func[2]]).toBe(-1);
  });

  it('keeps a position shared by two names apart (the position is only a hint)', async () => {
    const json = JSON.parse(tiny(chain, { startTime: 0, endTime: 3, samples: [2, 3], timeDeltas: [1, 1] }));
    json.nodes[1].callFrame.url = json.nodes[2].callFrame.url = 'same.js';
    const p = await parseText(JSON.stringify(json));
    expect(dump(p)).toBe(['(program) 0 0', 'a 1 2', '  b 1 1'].join('\n'));
  });

  it('keeps a (root)-named node that has a parent as a frame, and reads the protocol wrapper {"profile": …}', async () => {
    const nodes: [number, string, string, number | null][] = [
      [1, '(root)', '', null],
      [2, 'a', 'a.js', 1],
      [3, '(root)', '', 2],
    ];
    const text = tiny(nodes, { startTime: 0, endTime: 2, samples: [2, 3], timeDeltas: [0, 1] });
    const p = await parseText(text);
    expect(dump(p)).toBe(['a 1 2', '  (root) 1 1'].join('\n'));
    expect(dump(await parseText(`{"profile": ${text}}`))).toBe(dump(p));
  });

  it('reads the legacy head-tree format (timestamps in us, start/end in seconds)', async () => {
    const legacy = {
      head: {
        functionName: '(root)',
        url: '',
        id: 1,
        hitCount: 0,
        children: [
          { functionName: 'main', url: 'm.js', id: 2, hitCount: 0, children: [{ functionName: '', url: 'm.js', id: 3, hitCount: 2, children: [] }] },
          { functionName: '(idle)', url: '', id: 4, hitCount: 1, children: [] },
        ],
      },
      startTime: 5,
      endTime: 5,
      samples: [3, 4, 3],
      timestamps: [5_000_010, 5_000_030, 5_000_060, 5_000_100],
    };
    const p = await parseText(JSON.stringify(legacy));
    expect(dump(p)).toBe(['(idle) 30 30', 'main 0 60', '  (anonymous) 60 60'].join('\n'));
    expect(p.unit).toBe('microseconds');
  });

  it('reads CPU profiles out of a Chrome trace: chunks joined per (pid, id), one part per profile', async () => {
    const trace = [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 10, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 20, args: { name: 'DedicatedWorker thread' } },
      { name: 'Profile', ph: 'P', pid: 1, tid: 10, id: '0x1', ts: 1000, args: { data: { startTime: 1000 } } },
      // Chunks come from the sampler thread (tid 99); the second chunk's node hangs under the first's.
      {
        name: 'ProfileChunk', ph: 'P', pid: 1, tid: 99, id: '0x1', ts: 1100,
        args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: '(root)' } }, { id: 2, parent: 1, callFrame: { functionName: 'a', url: 'a.js' } }], samples: [2, 2] }, timeDeltas: [10, 10] } },
      },
      {
        name: 'ProfileChunk', ph: 'P', pid: 1, tid: 99, id: '0x1', ts: 1200,
        args: { data: { cpuProfile: { nodes: [{ id: 3, parent: 2, callFrame: { functionName: 'b', url: 'a.js' } }], samples: [3] }, timeDeltas: [20] } },
      },
      { name: 'Profile', ph: 'P', pid: 1, tid: 20, id: '0x2', ts: 1000, args: { data: { startTime: 1000 } } },
      {
        name: 'ProfileChunk', ph: 'P', pid: 1, tid: 98, id: '0x2', ts: 1100,
        args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: '(root)' } }, { id: 2, parent: 1, callFrame: { functionName: 'w', url: 'w.js' } }], samples: [2, 2] }, timeDeltas: [5, 5] } },
      },
    ];
    const text = JSON.stringify(trace);
    expect(sniffCpuprofile(text.slice(0, 4096))).toBe(true);
    const p = await parseText(text);
    expect(p.parts).toEqual(['CrRendererMain (pid 1, tid 10, profile 0x1, 3 samples)', 'DedicatedWorker thread (pid 1, tid 20, profile 0x2, 2 samples)']);
    // Times 1010, 1020, 1040; no endTime in a trace: the last sample weighs the mean interval, 15.
    expect(dump(p)).toBe(['a 30 45', '  b 15 15'].join('\n'));
    expect(dump(await parseText(text, { part: 1 }))).toBe('w 10 10');
    expect(dump(await parseText(JSON.stringify({ traceEvents: trace }), { part: -1 }))).toBe(['a 30 45', '  b 15 15', 'w 10 10'].join('\n'));
    await expect(parseText(text, { part: 2 })).rejects.toThrow(/part 2 does not exist/);
    // The array form may lack its closing bracket.
    expect(dump(await parseText(text.slice(0, -1) + ',\n'))).toBe(dump(p));
  });

  it('rejects a trace without CPU profile data', async () => {
    const trace = { traceEvents: [{ name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'main' } }, { name: 'Layout', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 3 }] };
    const e = await parseError(parseText(JSON.stringify(trace)));
    expect(e.message).toMatch(/trace without CPU profile data/);
  });

  it('skips and counts samples of unknown nodes, and rejects a file where no sample is known', async () => {
    const p = await parseText(tiny(chain, { startTime: 0, endTime: 30, samples: [2, 99, 3], timeDeltas: [0, 10, 10] }));
    expect(p.warnings.skippedLines).toBe(1);
    expect(p.warnings.examples[0]).toMatch(/node id 99/);
    // The unknown sample's 10 us are not attributed.
    expect(dump(p)).toBe(['(program) 0 0', 'a 10 20', '  b 10 10'].join('\n'));
    await expect(parseText(tiny(chain, { startTime: 0, endTime: 30, samples: [98, 99], timeDeltas: [0, 10] }))).rejects.toThrow(/none of the 2 samples/);
  });

  it('rejects structural errors with a clear message', async () => {
    const cases: [string, RegExp][] = [
      ['{"startTime":0,"endTime":1,"samples":[],"timeDeltas":[]}', /no "nodes" array/],
      ['[1, 2, 3]', /trace without CPU profile data/],
      ['"just a string"', /not a CPU profile/],
      ['{"nodes":[{"id":1,"callFrame":{"functionName":"x"},"parent":2},{"id":2,"callFrame":{"functionName":"y"},"parent":1}],"samples":[]}', /cycle/],
      ['{"nodes":[{"id":1,"callFrame":{"functionName":"x"}},{"id":1,"callFrame":{"functionName":"y"}}],"samples":[]}', /appears twice/],
      ['{"nodes":[{"id":1,"callFrame":{"functionName":"x"}},{"id":2,"parent":1,"callFrame":{"functionName":"y"}},{"id":3,"callFrame":{"functionName":"z"},"children":[2]}],"samples":[]}', /two parents/],
    ];
    for (const [json, why] of cases) {
      const e = await parseError(parseText(json));
      expect(e.format).toBe('cpuprofile');
      expect(e.message).toMatch(why);
    }
  });

  it('tolerates dangling links of cut files: unknown children ignored, unknown parents hang under the root', async () => {
    const json = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)' }, children: [2, 5] },
        { id: 2, callFrame: { functionName: 'a' } },
        { id: 3, parent: 9, callFrame: { functionName: 'orphan' } },
      ],
      startTime: 0,
      endTime: 2,
      samples: [2, 3],
      timeDeltas: [0, 1],
    };
    const p = await parseText(JSON.stringify(json));
    expect(dump(p)).toBe(['a 1 1', 'orphan 1 1'].join('\n'));
    expect(p.warnings.skippedLines).toBe(2);
    expect(p.warnings.examples.join(' ')).toMatch(/child id 5.*parent id 9/);
  });

  it('rejects an empty file', async () => {
    for (const text of ['', '  \n']) {
      const e = await parseError(parseText(text));
      expect(e.message).toMatch(/empty/);
      expect(e.byte).toBe(0);
    }
  });

  it('reports a syntax error with its byte offset and line', async () => {
    const text = '{\n  "nodes": [\n    {"id": 1, "callFrame": {"functionName": "é"} x\n  ]\n}';
    const e = await parseError(parseText(text));
    expect(e.line).toBe(3);
    const at = text.indexOf(' x') + 1;
    expect(e.byte).toBe(enc.encode(text.slice(0, at)).length); // "é" is 2 bytes
    expect(e.message).toMatch(/invalid JSON/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('rejects a real file cut anywhere with a ParseError at its end, never a hang', async () => {
    const bytes = fixture('cpuprofile-js-edge-names.cpuprofile');
    const full = enc.encode(dec.decode(bytes).trimEnd());
    expect(full.length).toBeLessThanOrEqual(bytes.length);
    // Every cut through the first 2 KB (all of a node's syntax), then 300 spread over the file,
    // including cuts inside multi-byte characters.
    const cuts = new Set<number>();
    for (let c = 0; c < 2048; c++) cuts.add(c);
    for (let k = 0; k < 300; k++) cuts.add(Math.floor((k * full.length) / 300));
    const utf8Inside = full.findIndex((b, i) => i > 2048 && b >= 0xc0) + 1;
    cuts.add(utf8Inside);
    for (const cut of cuts) {
      if (cut >= full.length) continue;
      const part = full.subarray(0, cut);
      const e = await parseError(parseBytes(part));
      if (cut === 0 || dec.decode(part).trim() === '') {
        expect(e.message).toMatch(/empty/);
        continue;
      }
      expect(e.byte, `cut at ${cut}`).toBe(cut);
      const lines = dec.decode(part).split('\n').length;
      expect(e.line).toBe(lines);
      expect(e.message).toMatch(/truncated/);
    }
  });

  it('finds the position itself when the engine gives none (Safari) or gives line/column (Firefox)', async () => {
    const text = '{"nodes": [\n{"id": 1, "callFrame": {}} oops]}';
    const at = text.indexOf('oops');
    const real = JSON.parse;
    vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('JSON Parse error: Unexpected identifier "oops"');
    });
    let e = await parseError(parseText(text));
    expect(e.byte).toBe(at);
    expect(e.line).toBe(2);
    expect(e.message).toBe('invalid JSON: Unexpected identifier "oops"');
    vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('JSON.parse: expected \',\' or \']\' after array element at line 2 column 28 of the JSON data');
    });
    e = await parseError(parseText(text));
    expect(e.byte).toBe(at);
    expect(e.line).toBe(2);
    expect(JSON.parse).not.toBe(real);
    // The fallback scanner agrees with the engine on every cut of a small profile.
    vi.restoreAllMocks();
    const small = tiny(chain, { startTime: 0, endTime: 3, samples: [2, 3], timeDeltas: [1, 1] }).replace(/}$/, ',"s":"a\\"\\u00e9\\n\\/","n":[-1.5e+3,0,2E-2,true,false,null,{}, []]}');
    expect(JSON.parse(small).s).toBe('a"é\n/');
    for (let cut = 1; cut < small.length; cut++) {
      const piece = small.slice(0, cut);
      const expected = await parseError(parseText(piece));
      vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
        throw new SyntaxError('JSON Parse error: Unexpected EOF');
      });
      const ours = await parseError(parseText(piece));
      vi.restoreAllMocks();
      expect(ours.byte, piece).toBe(expected.byte);
    }
  });

  it('builds a 100k-deep chain without stack overflow, from children or from parent links in reverse', async () => {
    const depth = 100_000;
    const nodes: unknown[] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2] }];
    for (let i = 2; i <= depth + 1; i++) {
      nodes.push({ id: i, callFrame: { functionName: `f${i % 7}`, url: 'deep.js', scriptId: '3', lineNumber: i % 7, columnNumber: 0 }, children: i <= depth ? [i + 1] : [] });
    }
    const json = { nodes, startTime: 0, endTime: 10, samples: [depth + 1, 2], timeDeltas: [1, 1] };
    const p = await parseText(JSON.stringify(json));
    expect(maxDepth(p)).toBe(depth);
    expect(p.tree.total[0]).toBe(9);
    expect(p.tree.self[p.tree.func.length - 1]).toBe(1);
    const reversed = nodes
      .map((n, i) => {
        const { children: _, ...rest } = n as { children: number[] };
        return i === 0 ? rest : { ...rest, parent: i };
      })
      .reverse();
    const q = await parseText(JSON.stringify({ ...json, nodes: reversed }));
    expect(maxDepth(q)).toBe(depth);
    expect(q.tree.total[0]).toBe(9);
  });

  it('sniffs profiles and traces by content, and nothing else', () => {
    expect(sniffCpuprofile('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)"')).toBe(true);
    expect(sniffCpuprofile('\ufeff  {"startTime": 1, "nodes": [], "samples": []}')).toBe(true);
    expect(sniffCpuprofile('{"head":{"functionName":"(root)","url":"","children":[')).toBe(true);
    expect(sniffCpuprofile('{"metadata": {"source": "DevTools", "startTime": "2025"')).toBe(true);
    expect(sniffCpuprofile('{"traceEvents":[{"pid":1')).toBe(true);
    expect(sniffCpuprofile('[{"pid":1,"tid":1,"ts":0,"ph":"M","name":"thread_name"}')).toBe(true);
    expect(sniffCpuprofile('{"a": 1}')).toBe(false);
    expect(sniffCpuprofile('[1, 2, 3]')).toBe(false);
    expect(sniffCpuprofile('{"nodes": [1, 2]}')).toBe(false);
    expect(sniffCpuprofile('main;a;b 10\nmain;a 3\n')).toBe(false);
    expect(sniffCpuprofile('# callgrind format\nevents: Ir\nfn=main\n1 2\n')).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Every CPU profile of ../shared/corpus, generated or not: read there, never copied.

describe.skipIf(!HAVE_CORPUS)('cpuprofile parser over ../shared/corpus (skipped when it is absent)', () => {
  const files: string[] = [];
  if (HAVE_CORPUS) {
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = path.join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(path.relative(CORPUS, p));
      }
    };
    walk(path.join(CORPUS, 'cpuprofile'));
    for (const pair of readdirSync(path.join(CORPUS, 'pairs'))) {
      if (pair.includes('cpuprofile')) for (const f of readdirSync(path.join(CORPUS, 'pairs', pair))) files.push(`pairs/${pair}/${f}`);
    }
  }
  const stats = HAVE_CORPUS ? new Map(manifest().files.map((f) => [f.path, f.stats as Record<string, number> | undefined])) : new Map();

  it('finds the corpus profiles', () => {
    expect(files.filter((f) => f.endsWith('.cpuprofile')).length).toBeGreaterThanOrEqual(10);
    expect(files.filter((f) => f.includes('trace-event')).length).toBe(2);
  });

  it.each(files)('%s: loads, each function weighing the sum of its samples', async (rel) => {
    const bytes = corpusFile(rel);
    const json = JSON.parse(dec.decode(bytes));
    expect(sniffCpuprofile(dec.decode(bytes.subarray(0, 4096)))).toBe(true);
    const p = await parseBytes(bytes);
    expect(p.format).toBe('cpuprofile');

    if (rel.includes('trace-event')) {
      // Traces load: one part per CPU profile found, the one with the most samples by default.
      const profiles = traceProfiles(json);
      expect(p.parts.length).toBe(profiles.length);
      const ref = reference(profiles[0]);
      expect(p.tree.total[0]).toBeCloseTo(ref.total, 6);
      expectSameWeights(selfByFunction(p), ref.self, false);
      expectSameWeights(squaresByFunction(p), ref.squares, false);
      expect(p.parts[0]).toContain(`${ref.samples} samples`);
      const all = await parseBytes(bytes, { part: -1 });
      const sum = profiles.filter((r) => r.samples.length > 0).reduce((s, r) => s + reference(r).total, 0);
      expect(all.tree.total[0]).toBeCloseTo(sum, 6);
      return;
    }

    const raw = json.head ? flattenLegacy(json) : json;
    const ref = reference(raw);
    expect(p.unit).toBe('microseconds');
    expect(p.warnings.skippedLines).toBe(0);
    expect(p.tree.total[0]).toBe(ref.total);
    expectSameWeights(selfByFunction(p), ref.self, true);
    expectSameWeights(squaresByFunction(p), ref.squares, true);
    const s = stats.get(rel);
    if (s?.duration_ms !== undefined) {
      // Root total = endTime - first sample time = (endTime - startTime) - lead-in.
      expect(p.tree.total[0]).toBe(json.endTime - json.startTime - ref.leadIn);
      expect((p.tree.total[0] + ref.leadIn) / 1000).toBeCloseTo(s.duration_ms, 1);
      expect(json.samples.length).toBe(s.samples);
      expect(maxDepth(p)).toBeLessThanOrEqual(s.max_depth);
    }
  });

  it('reads the legacy node 10 example: 29 samples ending at the 30th timestamp', async () => {
    const p = await parseBytes(corpusFile('cpuprofile/speedscope/node10-example.cpuprofile'));
    expect(p.tree.total[0]).toBe(163140645206 - 163140599286);
    expect(dump(p)).toMatch(/^\(anonymous\) /);
  });

  it('reads the chrome 141 trace: two Profile sessions, chunks from another thread', async () => {
    const p = await parseBytes(corpusFile('cpuprofile/trace-event/chrome141-no-arg-data.json'));
    expect(p.parts).toEqual(['CrRendererMain (pid 7787, tid 6209019, profile 0x7b, 421 samples)', 'CrRendererMain (pid 7787, tid 6209019, profile 0x7d, 0 samples)']);
    // The file is cut from a real trace: nodes whose parents are missing hang under the root, and
    // samples of missing nodes are skipped; both are counted.
    expect(p.warnings.skippedLines).toBe(7);
    expect(p.warnings.examples[0]).toMatch(/parent id 753, which is not in "nodes"/);
    const empty = await parseBytes(corpusFile('cpuprofile/trace-event/chrome141-no-arg-data.json'), { part: 1 });
    expect(empty.tree.func.length).toBe(1);
  });

  // make-large.sh's 23 MB profile where it was made (never in CI), else the corpus' own 7.7 MB one: never a skip.
  const large = path.resolve(CORPUS, '../../large/pairs/tsc-rxjs-cpuprofile/base.cpuprofile');
  const tsc = existsSync(large) ? large : path.join(CORPUS, 'pairs/tsc-rxjs-cpuprofile-1ms/base.cpuprofile');
  it(`reads the largest tsc profile there is exactly (${path.relative(CORPUS, tsc)})`, async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(tsc));
    const json = JSON.parse(dec.decode(bytes));
    const p = await parseBytes(bytes);
    const ref = reference(json);
    expect(p.tree.total[0]).toBe(ref.total);
    expectSameWeights(selfByFunction(p), ref.self, true);
    expectSameWeights(squaresByFunction(p), ref.squares, true);
  });
});

// ---------------------------------------------------------------------------
// The byte reader and JSON.parse give the same profile, byte for byte.

/** The profile by one reader, or its error as text (the same error either way is agreement too). */
function byReader(bytes: Uint8Array, reader: CpuprofileReader, options = {}): Profile | string {
  try {
    return cpuprofileOfBytes(bytes, 'same.cpuprofile', options, SIZE_LIMITS, reader);
  } catch (e) {
    return e instanceof ParseError ? `${e.message} @${e.line}:${e.byte}` : String(e);
  }
}

describe('the byte reader and JSON.parse agree', () => {
  const local = ['cpuprofile-js-json.base.cpuprofile', 'cpuprofile-js-json.head.cpuprofile', 'cpuprofile-js-edge-names.cpuprofile', 'cpuprofile-deep-recursion.cpuprofile'];
  const corpus: string[] = [];
  if (HAVE_CORPUS) {
    for (const f of manifest().files) if (f.format === 'cpuprofile' || f.format === 'chrome-trace') corpus.push(f.path);
    const large = path.resolve(CORPUS, '../../large/pairs/tsc-rxjs-cpuprofile');
    for (const side of ['base', 'head']) if (existsSync(path.join(large, `${side}.cpuprofile`))) corpus.push(path.relative(CORPUS, path.join(large, `${side}.cpuprofile`)));
  }
  const cases = [...local.map((f) => ({ name: f, bytes: () => fixture(f) })), ...corpus.map((f) => ({ name: `../shared/corpus/${f}`, bytes: () => corpusFile(f) }))];

  it.each(cases)('$name: the same profile (a byte reader reads it unless it is legacy)', ({ name, bytes }) => {
    const b = bytes();
    const viaBytes = byReader(b, 'auto');
    const viaJson = byReader(b, 'json');
    expect(viaBytes).toEqual(viaJson);
    const json = JSON.parse(dec.decode(b));
    const trace = Array.isArray(json) || Array.isArray(json.traceEvents);
    // The byte readers are what read V8's own files and traces: a decline there would be a silent slow path.
    expect(readCpuprofileBytes(b).ok, name).toBe(!trace && Array.isArray(json.nodes) && !json.head);
    expect(readTraceBytes(b).ok, name).toBe(trace);
    if (!json.head) expect(typeof byReader(b, 'bytes')).toBe('object');
  });

  // Each cause of a decline falls back, with the same result as JSON.parse alone.
  const base = () => JSON.parse(dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')));
  const variants: [string, () => string, RegExp][] = [
    ['a legacy head tree', () => JSON.stringify({ head: { functionName: '(root)', children: [{ functionName: 'a', hitCount: 3, id: 2 }], id: 1 }, startTime: 0, endTime: 1, samples: [2, 2], timestamps: [0, 500000] }), /"head" is the legacy layout/],
    ['a key written twice', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).replace('"startTime":', '"startTime":1,"startTime":'), /"startTime" is written twice/],
    ['a node key written twice', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).replace('"id":2,', '"id":2,"id":2,'), /a node has "id" twice/],
    ['a null callFrame', () => JSON.stringify({ ...base(), nodes: base().nodes.map((n: any, i: number) => (i === 3 ? { ...n, callFrame: null } : n)) }), /callFrame is not an object/],
    ['a hit count as text', () => JSON.stringify({ ...base(), nodes: base().nodes.map((n: any, i: number) => (i === 3 ? { ...n, hitCount: '7' } : n)) }), /a number is expected/],
    ['a function name that is no string', () => JSON.stringify({ ...base(), nodes: base().nodes.map((n: any, i: number) => (i === 3 ? { ...n, callFrame: { ...n.callFrame, functionName: 42 } } : n)) }), /functionName is not a string/],
    ['ids that are strings', () => JSON.stringify({ ...base(), nodes: base().nodes.map((n: any) => ({ ...n, id: `n${n.id}`, children: n.children?.map((c: number) => `n${c}`) })), samples: base().samples.map((x: number) => `n${x}`) }), /a number is expected/],
    ['the Profiler.stop wrapper', () => JSON.stringify({ profile: base() }), /there is no "nodes" array/],
    ['a sample id that is null', () => JSON.stringify({ ...base(), samples: [null, ...base().samples.slice(1)] }), /a number is expected/],
    ['invalid JSON', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).replace('"samples":[', '"samples":[,'), /a number is expected/],
    ['a truncated file', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).slice(0, 5000), /the file ends early|ends inside a string/],
    ['trailing text', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')) + ' x', /more follows the profile object/],
    ['a bad escape', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).replace('"functionName":"(root)"', '"functionName":"(ro\\qot)"'), /invalid escape/],
    ['a control character in a string', () => dec.decode(fixture('cpuprofile-js-json.base.cpuprofile')).replace('"functionName":"(root)"', '"functionName":"(ro\tot)"'), /control character/],
  ];
  it.each(variants)('declines %s, and the fallback gives what JSON.parse gives', (_, make, why) => {
    const b = enc.encode(make());
    const read = readCpuprofileBytes(b);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(why);
    expect(byReader(b, 'auto')).toEqual(byReader(b, 'json'));
  });

  it('traces: the events that make profiles are read from their bytes, the rest walked and checked; the open array form too', () => {
    const p = base();
    const events = [
      { name: 'thread_name', ph: 'M', pid: 7, tid: 9, args: { name: 'CrRendererMain' } },
      { args: { data: { frames: [{ x: '}]' }] } }, name: 'UpdateLayer', ph: 'X', pid: 7, tid: 9, ts: 5 },
      { name: 'Profile', ph: 'P', pid: 7, tid: 9, id: '0x1', ts: 10, args: { data: { startTime: p.startTime } } },
      { name: 'ProfileChunk', ph: 'P', pid: 7, tid: 11, id: '0x1', ts: 20, args: { data: { cpuProfile: { nodes: p.nodes.map((n: any) => ({ id: n.id, callFrame: n.callFrame, parent: p.nodes.find((q: any) => q.children?.includes(n.id))?.id })), samples: p.samples }, timeDeltas: p.timeDeltas } } },
    ];
    const forms = [JSON.stringify({ traceEvents: events, metadata: { source: 'DevTools' } }), JSON.stringify(events), JSON.stringify(events).slice(0, -1), JSON.stringify(events).slice(0, -1) + ',\n'];
    for (const text of forms) {
      const b = enc.encode(text);
      const read = readTraceBytes(b);
      expect(read.ok).toBe(true);
      if (read.ok) expect(read.events.length).toBe(3);
      const auto = byReader(b, 'auto') as Profile;
      expect(typeof auto).toBe('object');
      expect(auto).toEqual(byReader(b, 'json'));
      expect(auto.parts[0]).toMatch(/^CrRendererMain \(pid 7, tid 9/);
    }
    // Invalid JSON inside an event nobody reads is still invalid JSON.
    const bad = enc.encode(JSON.stringify({ traceEvents: events }).replace('"UpdateLayer"', '"Update\u0001Layer"'));
    expect(readTraceBytes(bad).ok).toBe(false);
    expect(byReader(bad, 'auto')).toEqual(byReader(bad, 'json'));
  });

  it('ids V8 would not write (sparse, dangling) go to the general linker through the fallback, with the same result', () => {
    const p = base();
    const shift = (id: number) => id * 1_000_003;
    const sparse = { ...p, nodes: p.nodes.map((n: any) => ({ ...n, id: shift(n.id), children: n.children?.map(shift) })), samples: p.samples.map(shift) };
    const b = enc.encode(JSON.stringify(sparse));
    expect(readCpuprofileBytes(b).ok).toBe(true);
    const auto = byReader(b, 'auto');
    expect(typeof auto).toBe('object');
    expect(auto).toEqual(byReader(b, 'json'));
    expect(byReader(b, 'bytes')).toMatch(/not numbered as V8 numbers them/);
  });

  it('escapes, white space, exponents and key order read as JSON.parse reads them', () => {
    const p = base();
    const nodes = p.nodes.map((n: any, i: number) => (i === 2 ? { children: n.children, callFrame: { url: 'file:///a\\b\u00e9.js', functionName: 'f\u00e9\"q\"' }, hitCount: n.hitCount, id: n.id } : n));
    const text = JSON.stringify({ samples: p.samples, endTime: p.endTime, timeDeltas: p.timeDeltas.map((d: number, i: number) => (i === 5 ? 1.25e2 : d)), nodes, startTime: p.startTime }, null, 2).replace('125', '1.25e2');
    const b = enc.encode('\uFEFF' + text);
    expect(readCpuprofileBytes(b).ok).toBe(true);
    const auto = byReader(b, 'auto') as Profile;
    expect(auto).toEqual(byReader(b, 'json'));
    expect(auto.strings).toContain('f\u00e9"q"');
  });

  it('a callFrame whose name holds a "}" is read member by member, every time it recurs', () => {
    const p = base();
    const nodes = p.nodes.map((n: any, i: number) => (i >= 2 && i <= 4 ? { ...n, callFrame: { ...n.callFrame, functionName: 'get {a}', url: 'x}.js' } } : n));
    const b = enc.encode(JSON.stringify({ ...p, nodes }));
    expect(readCpuprofileBytes(b).ok).toBe(true);
    const auto = byReader(b, 'auto') as Profile;
    expect(auto).toEqual(byReader(b, 'json'));
    expect(auto.strings).toContain('get {a}');
    expect(auto.strings).toContain('x}.js');
  });
});
