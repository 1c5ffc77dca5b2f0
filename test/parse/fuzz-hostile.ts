// Hand-built hostile inputs for the fuzz suite: 10 MB lines, 100k-deep stacks and
// nesting, binary garbage, numbers past float64. Built on demand (some are 10 MB).
import type { ParseOptions } from '../../src/model/profile';
import { rngOf } from './fuzz-mutate';

export type Kind = 'folded' | 'callgrind' | 'cpuprofile' | 'pprof' | 'speedscope' | 'perf-script';

export interface Hostile {
  label: string;
  kind: Kind;
  make: () => Uint8Array;
  options?: ParseOptions;
  /**
   * Also through the parser directly. Past 1 MB only where detection refuses the input,
   * so only the parser reads it: otherwise parseStream does the same work once more.
   */
  direct?: boolean;
  /** What must come out, beyond the general contract: a profile of at least `nodes` nodes, or an error matching `error` (at `line`). */
  expect?: { nodes?: number; error?: RegExp; line?: number };
  /**
   * A bug in a file this suite may not change (folded.ts, lines.ts, byte-interner.ts,
   * tree-builder.ts): the case runs in an it.fails test until it is fixed.
   */
  knownBug?: string;
}

const enc = new TextEncoder();
const MB10 = 10 * 2 ** 20;
const DEEP = 100_000;

const text = (s: string) => enc.encode(s);
const join = (...parts: (string | Uint8Array)[]) => {
  const bs = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const out = new Uint8Array(bs.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of bs) {
    out.set(b, o);
    o += b.length;
  }
  return out;
};

/** Random bytes without a line break: one 10 MB line of binary garbage. */
function garbage(n: number, seed: number, lineBreaks = false): Uint8Array {
  const rng = rngOf(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = (rng() * 4294967296) >>> 0;
    out[i] = v;
    out[i + 1] = v >>> 8;
    out[i + 2] = v >>> 16;
    out[i + 3] = v >>> 24;
  }
  if (!lineBreaks) for (let i = 0; i < n; i++) if (out[i] === 10) out[i] = 32;
  return out;
}

const repeat = (s: string, n: number) => s.repeat(n);
const CALLGRIND_HEAD = '# callgrind format\nversion: 1\ncreator: fuzz\npositions: line\nevents: Ir\n';

function callgrindChain(n: number, cycle: boolean): Uint8Array {
  const parts: string[] = [CALLGRIND_HEAD];
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? i + 1 : cycle ? 0 : -1;
    parts.push(`fn=(${i + 1}) f${i}\n1 1\n`);
    if (next >= 0) parts.push(`cfn=(${next + 1})${next === 0 ? '' : ` f${next}`}\ncalls=1 1\n1 ${n - i}\n`);
  }
  return text(parts.join(''));
}

function cpuprofileChain(n: number, links: 'children' | 'parent-reversed'): Uint8Array {
  const nodes: unknown[] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2] }];
  for (let i = 2; i <= n + 1; i++) nodes.push({ id: i, callFrame: { functionName: `f${i % 7}`, url: 'deep.js', scriptId: '3', lineNumber: i % 7, columnNumber: 0 }, children: i <= n ? [i + 1] : [] });
  const out =
    links === 'children'
      ? nodes
      : nodes
          .map((node, i) => {
            const { children: _, ...rest } = node as { children: unknown };
            return i === 0 ? rest : { ...rest, parent: i };
          })
          .reverse();
  return text(JSON.stringify({ nodes: out, startTime: 0, endTime: 10, samples: [n + 1, 2], timeDeltas: [1, 1] }));
}

/** The legacy format nests children inside their parents: 100k frames are 200k levels of JSON. */
function legacyNested(n: number): Uint8Array {
  const open = Array.from({ length: n }, (_, i) => `{"functionName":"f${i % 7}","url":"a.js","id":${i + 2},"hitCount":1,"children":[`).join('');
  return join('{"startTime":0,"endTime":1,"head":{"functionName":"(root)","url":"","id":1,"children":[', open, repeat(']}', n), ']}}');
}

/** A protobuf message from [field, value] pairs: a number is a varint, bytes or fields are length-delimited. */
type PbField = [number, number | Uint8Array | PbField[]];
function pb(fields: PbField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const varint = (v: number) => {
    const out: number[] = [];
    for (; v >= 128; v = Math.floor(v / 128)) out.push((v % 128) | 128);
    out.push(v);
    parts.push(Uint8Array.from(out));
  };
  for (const [n, v] of fields) {
    if (typeof v === 'number') {
      varint(n * 8);
      varint(v);
    } else {
      const bytes = v instanceof Uint8Array ? v : pb(v);
      varint(n * 8 + 2);
      varint(bytes.length);
      parts.push(bytes);
    }
  }
  // Not join(...parts): a spread of 400k parts would overflow the stack.
  const out = new Uint8Array(parts.reduce((k, x) => k + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** A pprof profile of one sample through `n` locations, each a function of its own (or all the same one). */
function pprofChain(n: number, recursive: boolean): Uint8Array {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  // Packed varints: the values one after another, without tags.
  const pack = (vs: number[]) => {
    const out: number[] = [];
    for (let v of vs) {
      for (; v >= 128; v = Math.floor(v / 128)) out.push((v % 128) | 128);
      out.push(v);
    }
    return Uint8Array.from(out);
  };
  const fns = recursive ? 1 : n;
  return pb([
    [1, [[1, 1], [2, 2]]],
    [2, [[1, pack(ids)], [2, pack([7])]]],
    ...ids.map((id): PbField => [4, [[1, id], [4, [[1, recursive ? 1 : id]]]]]),
    ...Array.from({ length: fns }, (_, i): PbField => [5, [[1, i + 1], [2, 3 + (i % 5)]]]),
    ...['', 'samples', 'count', 'f0', 'f1', 'f2', 'f3', 'f4'].map((x): PbField => [6, text(x)]),
  ]);
}

function speedscopeEvented(n: number): Uint8Array {
  const events: string[] = [];
  for (let i = 0; i < n; i++) events.push(`{"type":"O","frame":${i % 3},"at":${i}}`);
  for (let i = n - 1; i >= 0; i--) events.push(`{"type":"C","frame":${i % 3},"at":${2 * n - i}}`);
  return join(
    '{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"a"},{"name":"b"},{"name":"c"}]},"profiles":[{"type":"evented","name":"deep","unit":"none","startValue":0,"endValue":',
    String(2 * n),
    ',"events":[',
    events.join(','),
    ']}]}',
  );
}

const PERF_HEAD = 'work  2253  2314.621210:    1001001 cpu-clock: \n';

export const HOSTILE: Hostile[] = [
  // Folded.
  { label: 'folded: one 100k-deep stack of distinct frames', kind: 'folded', make: () => text(`${Array.from({ length: DEEP }, (_, i) => `f${i}`).join(';')} 1\nmain 2\n`), expect: { nodes: DEEP + 1 } },
  {
    label: 'folded: 100k-deep recursion, then a stack sharing all but its leaf',
    kind: 'folded',
    make: () => text(`${repeat('r;', DEEP - 1)}r 3\n${repeat('r;', DEEP - 1)}leaf 4\n`),
    expect: { nodes: DEEP + 1 },
  },
  { label: 'folded: a 10 MB frame name', kind: 'folded', make: () => join('main 1\nmain;', repeat('x', MB10), ' 3\n'), expect: { nodes: 3 } },
  // Detection judges whole lines, up to 1 MB of them (detect.ts): a longer first line is a clear "not a profile".
  { label: 'folded: a 10 MB first line', kind: 'folded', direct: true, make: () => join('main;', repeat('x', MB10), ' 3\nmain 1\n') },
  { label: 'folded: a 10 MB count', kind: 'folded', make: () => join('main ', repeat('9', MB10), '\nmain 1\n') },
  { label: 'folded: a 10 MB line of binary garbage between good lines', kind: 'folded', make: () => join('a;b 1\n', garbage(MB10, 1), '\na;c 2\n') },
  // "; " stays inside a frame: one 10 MB frame. Bare ';' makes a frame each: 1 MB is a million-deep stack of empty names.
  { label: 'folded: 10 MB of "; " with a count', kind: 'folded', make: () => join('a 1\n', repeat('; ', MB10 / 2), ' 1\n'), expect: { nodes: 2 } },
  { label: 'folded: 1 MB of semicolons with a count', kind: 'folded', make: () => join(repeat(';', 2 ** 20), ' 1\na 1\n') },
  { label: 'folded: 10 MB of spaces, then a stack', kind: 'folded', direct: true, make: () => join(repeat(' ', MB10), '\na;b 1\n') },
  { label: 'folded: a 10 MB line with no line break at all', kind: 'folded', make: () => join('a;b 1\n', repeat('frame;', MB10 / 6), ' 7') },
  // Each count finite, their sum not: the tree builder refuses the line where the sum passes a double.
  {
    label: 'folded: counts that overflow float64 when summed',
    kind: 'folded',
    make: () => text('a 1e308\nb 1.7976931348623157e308\na;c 1e308\n'),
    expect: { error: /^the weights add up past the largest number a double holds/, line: 2 },
  },
  {
    label: 'folded: 3-column counts that overflow when summed',
    kind: 'folded',
    make: () => text('a 1e308 1e308\nb 1e308 1e308\n'),
    expect: { error: /^the weights add up past the largest number a double holds/, line: 2 },
  },
  { label: 'folded: a count past float64', kind: 'folded', make: () => text(`a 1e309\nb ${repeat('9', 400)}\nc 5\n`), expect: { error: /^a weight that is not a finite number \(Infinity\)/, line: 1 } },
  // Callgrind.
  { label: 'callgrind: a 100k-long call chain', kind: 'callgrind', make: () => callgrindChain(DEEP, false) },
  { label: 'callgrind: a 100k-long call cycle', kind: 'callgrind', make: () => callgrindChain(DEEP, true) },
  { label: 'callgrind: 100k self-calls', kind: 'callgrind', make: () => text(`${CALLGRIND_HEAD}fn=f\n1 5\n${repeat('cfn=f\ncalls=1 1\n1 7\n', DEEP)}`) },
  { label: 'callgrind: a 10 MB function name', kind: 'callgrind', make: () => join(CALLGRIND_HEAD, 'fn=', repeat('n', MB10), '\n1 5\nfn=main\n2 3\n'), expect: { nodes: 3 } },
  { label: 'callgrind: a 10 MB cost', kind: 'callgrind', make: () => join(CALLGRIND_HEAD, 'fn=main\n1 ', repeat('9', MB10), '\n'), expect: { error: /too large to be a number/, line: 7 } },
  { label: 'callgrind: a 10 MB cost line of 5M columns', kind: 'callgrind', make: () => join(CALLGRIND_HEAD, 'fn=main\n1', repeat(' 1', MB10 / 2), '\n') },
  { label: 'callgrind: a 10 MB events: line', kind: 'callgrind', make: () => join('# callgrind format\nevents:', repeat(' Ir', MB10 / 3), '\nfn=main\n1 5\n'), expect: { nodes: 2 } },
  { label: 'callgrind: a 10 MB events: line of distinct names', kind: 'callgrind', make: () => join('# callgrind format\nevents:', Array.from({ length: MB10 / 8 }, (_, i) => ` E${i}`).join(''), '\nfn=main\n1 5\n'), expect: { nodes: 2 } },
  {
    label: 'callgrind: 10 MB of event: lines',
    kind: 'callgrind',
    make: () => join(CALLGRIND_HEAD, Array.from({ length: MB10 / 20 }, (_, i) => `event: E${i} = Ir\n`).join(''), 'fn=main\n1 5\n'),
    expect: { nodes: 2 },
  },
  {
    label: 'callgrind: a derived event with a factor past float64, selected',
    kind: 'callgrind',
    make: () => text(`# callgrind format\nevents: Ir Dr\nevent: X = ${repeat('9', 400)} Ir + Dr\nevent: Y = 2 Ir + Dr\nfn=main\n1 5 6\n`),
    options: { event: 2 },
    expect: { nodes: 2 },
  },
  { label: 'callgrind: a 10 MB line of binary garbage in the body', kind: 'callgrind', make: () => join(CALLGRIND_HEAD, 'fn=main\n1 5\n', garbage(MB10, 2), '\n2 3\n') },
  {
    label: 'callgrind: costs that overflow float64 when summed',
    kind: 'callgrind',
    make: () => text(`${CALLGRIND_HEAD}fn=a\n1 ${repeat('9', 308)}\n2 ${repeat('9', 308)}\nfn=b\n1 5\n`),
    expect: { error: /add up past the largest number/, line: 8 },
  },
  {
    label: 'callgrind: call costs that overflow float64 when summed',
    kind: 'callgrind',
    make: () => text(`${CALLGRIND_HEAD}fn=a\n1 5\ncfn=b\ncalls=1 1\n1 ${repeat('9', 308)}\ncfn=b\ncalls=1 1\n1 ${repeat('9', 308)}\nfn=b\n1 5\n`),
    expect: { error: /add up past the largest number/, line: 13 },
  },
  {
    label: 'callgrind: a negative total',
    kind: 'callgrind',
    make: () => text(`${CALLGRIND_HEAD}fn=a\n1 -300\nfn=b\n1 5\n`),
    expect: { error: /negative total \(-295 Ir\).*line 7/, line: 7 },
  },
  { label: 'callgrind: name ids at the edge of the dense table and past int32', kind: 'callgrind', make: () => text(`${CALLGRIND_HEAD}fn=(4194303) a\n1 5\nfn=(4194304) b\n1 5\nfn=(99999999999999999999) c\n1 5\nfn=(4194303)\n1 1\n`) },
  // V8 .cpuprofile and traces.
  { label: 'cpuprofile: a 100k-deep node chain (children)', kind: 'cpuprofile', make: () => cpuprofileChain(DEEP, 'children'), expect: { nodes: DEEP + 1 } },
  { label: 'cpuprofile: a 100k-deep node chain (parent links, reversed)', kind: 'cpuprofile', make: () => cpuprofileChain(DEEP, 'parent-reversed'), expect: { nodes: DEEP + 1 } },
  { label: 'cpuprofile: a legacy head tree nested 100k deep', kind: 'cpuprofile', make: () => legacyNested(DEEP), expect: { nodes: DEEP + 1 } },
  { label: 'cpuprofile: 100k-deep nested arrays', kind: 'cpuprofile', make: () => join(repeat('[', DEEP), repeat(']', DEEP)) },
  { label: 'cpuprofile: 100k-deep nested objects, never closed', kind: 'cpuprofile', make: () => join('{"nodes":', repeat('{"a":', DEEP)) },
  {
    label: 'cpuprofile: a 10 MB function name',
    kind: 'cpuprofile',
    make: () => join('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""},"children":[2]},{"id":2,"callFrame":{"functionName":"', repeat('n', MB10), '","url":"a.js"}}],"startTime":0,"endTime":5,"samples":[2],"timeDeltas":[1]}'),
    expect: { nodes: 2 },
  },
  { label: 'cpuprofile: a 10 MB number', kind: 'cpuprofile', make: () => join('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""}}],"startTime":', repeat('9', MB10), ',"endTime":5,"samples":[1],"timeDeltas":[1]}') },
  { label: 'cpuprofile: times past float64 (1e999)', kind: 'cpuprofile', expect: { error: /timeDeltas\[1\] puts sample 1 past/ }, make: () => text('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""},"children":[2]},{"id":2,"callFrame":{"functionName":"f"}}],"startTime":0,"endTime":1e999,"samples":[2,2,2],"timeDeltas":[1,1e999,1]}') },
  { label: 'cpuprofile: time deltas that overflow when summed', kind: 'cpuprofile', make: () => text('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""},"children":[2]},{"id":2,"callFrame":{"functionName":"f"}}],"startTime":1e308,"endTime":5,"samples":[2,2,2],"timeDeltas":[1e308,1e308,1]}') },
  { label: 'cpuprofile: hit counts past float64', kind: 'cpuprofile', expect: { error: /hitCount too large/ }, make: () => text('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""},"children":[2],"hitCount":1e999},{"id":2,"callFrame":{"functionName":"f"},"hitCount":1e308}],"startTime":0,"endTime":10}') },
  { label: 'cpuprofile: hit counts that overflow when summed', kind: 'cpuprofile', make: () => text('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""},"children":[2],"hitCount":1.7e308},{"id":2,"callFrame":{"functionName":"f"},"hitCount":1.7e308}],"startTime":0,"endTime":10}') },
  { label: 'cpuprofile: 100k samples of unknown nodes', kind: 'cpuprofile', expect: { error: /none of the 100000 samples/ }, make: () => text(JSON.stringify({ nodes: [{ id: 1, callFrame: { functionName: '(root)' } }], samples: Array.from({ length: DEEP }, (_, i) => i + 5), timeDeltas: Array(DEEP).fill(1), startTime: 0, endTime: DEEP })) },
  {
    label: 'cpuprofile: a trace of 100k profile chunks',
    kind: 'cpuprofile',
    make: () => {
      const events: unknown[] = [{ name: 'Profile', ph: 'P', pid: 1, tid: 1, id: '0x1', ts: 0, args: { data: { startTime: 0 } } }];
      events.push({ name: 'ProfileChunk', ph: 'P', pid: 1, tid: 2, id: '0x1', ts: 1, args: { data: { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: '(root)' } }], samples: [1] }, timeDeltas: [1] } } });
      for (let i = 2; i < DEEP; i++) events.push({ name: 'ProfileChunk', ph: 'P', pid: 1, tid: 2, id: '0x1', ts: i, args: { data: { cpuProfile: { nodes: [{ id: i, parent: i - 1, callFrame: { functionName: `f${i % 5}` } }], samples: [i] }, timeDeltas: [1] } } });
      return text(JSON.stringify({ traceEvents: events }));
    },
    expect: { nodes: 2 },
  },
  { label: 'cpuprofile: a trace whose events are all junk', kind: 'cpuprofile', make: () => text(JSON.stringify({ traceEvents: [1, null, 'x', [], { name: 'ProfileChunk', args: null }, { name: 'Profile', args: { data: null } }] })) },
  { label: 'cpuprofile: 10 MB of spaces before the JSON', kind: 'cpuprofile', direct: true, make: () => join(repeat(' ', MB10), '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)"}}],"samples":[1],"timeDeltas":[1],"startTime":0,"endTime":2}') },
  // pprof.
  { label: 'pprof: one sample through a 100k-deep stack of distinct functions', kind: 'pprof', make: () => pprofChain(DEEP, false), expect: { nodes: DEEP + 1 } },
  { label: 'pprof: one sample through 100k locations of one function (recursion)', kind: 'pprof', make: () => pprofChain(DEEP, true), expect: { nodes: DEEP + 1 } },
  { label: 'pprof: a 10 MB function name', kind: 'pprof', make: () => pb([[1, [[1, 1], [2, 2]]], [2, [[1, 1], [2, 1]]], [4, [[1, 1], [4, [[1, 1]]]]], [5, [[1, 1], [2, 3]]], [6, text('')], [6, text('samples')], [6, text('count')], [6, text(repeat('n', MB10))]]), expect: { nodes: 2 } },
  { label: 'pprof: a length of 2^62 in the first field', kind: 'pprof', make: () => join(Uint8Array.of(0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40), garbage(4096, 8, true)), expect: { error: /./ } },
  // speedscope.
  { label: 'speedscope: an evented profile 100k frames deep', kind: 'speedscope', make: () => speedscopeEvented(DEEP), expect: { nodes: DEEP + 1 } },
  {
    label: 'speedscope: a sampled stack 100k frames deep',
    kind: 'speedscope',
    make: () => join('{"shared":{"frames":[{"name":"a"},{"name":"b"}]},"profiles":[{"type":"sampled","name":"s","unit":"none","startValue":0,"endValue":1,"samples":[[', Array.from({ length: DEEP }, (_, i) => i % 2).join(','), ']],"weights":[1]}]}'),
    expect: { nodes: DEEP + 1 },
  },
  // perf script.
  { label: 'perf-script: a 100k-frame stack', kind: 'perf-script', make: () => join(PERF_HEAD, Array.from({ length: DEEP }, (_, i) => `\t${(0x1000 + i).toString(16)} f${i}+0x1 (/bin/x)\n`).join(''), '\n'), expect: { nodes: DEEP + 2 } },
  { label: 'perf-script: a 10 MB symbol', kind: 'perf-script', make: () => join(PERF_HEAD, '\t117d ', repeat('s', MB10), '+0x14 (/bin/x)\n\n'), expect: { nodes: 3 } },
  { label: 'perf-script: a 10 MB line of binary garbage in a stack', kind: 'perf-script', make: () => join(PERF_HEAD, '\t117d fill+0x14 (/bin/x)\n', garbage(MB10, 9), '\n\n', PERF_HEAD, '\t117d fill+0x14 (/bin/x)\n\n') },
  // Any format.
  { label: 'binary: 1 MB of random bytes', kind: 'folded', make: () => garbage(2 ** 20, 3, true) },
  { label: 'binary: random bytes behind a callgrind header', kind: 'callgrind', make: () => join(CALLGRIND_HEAD, 'fn=main\n', garbage(2 ** 20, 4, true)) },
  { label: 'binary: random bytes behind a cpuprofile opening', kind: 'cpuprofile', make: () => join('{"nodes":[{"callFrame":', garbage(2 ** 18, 5, true)) },
  { label: 'binary: gzip magic, then garbage', kind: 'folded', make: () => join(Uint8Array.of(0x1f, 0x8b, 8, 0), garbage(4096, 6, true)) },
  { label: 'binary: gzip magic alone', kind: 'folded', make: () => Uint8Array.of(0x1f, 0x8b) },
  { label: 'binary: a UTF-16 byte-order mark alone', kind: 'folded', make: () => Uint8Array.of(0xff, 0xfe) },
  { label: 'binary: UTF-16 LE with an odd byte count and lone surrogates', kind: 'folded', make: () => Uint8Array.of(0xff, 0xfe, 0x61, 0, 0x20, 0, 0x31, 0, 0x0a, 0, 0x00, 0xd8, 0x20, 0, 0x32, 0, 0x0a) },
  { label: 'binary: UTF-16 BE with garbage', kind: 'folded', make: () => join(Uint8Array.of(0xfe, 0xff), garbage(8192, 7, true)) },
  { label: 'binary: NUL bytes only', kind: 'folded', make: () => new Uint8Array(100_000) },
];
