// pprof profiles (`profile.proto`): `go test -cpuprofile`, net/http/pprof's CPU and heap
// profiles, runtime/pprof, Pyroscope and Parca exports; `.pb` or `.pb.gz` (openBytes gunzips).
// The message: https://github.com/google/pprof/blob/main/proto/profile.proto
//
// - Events: every `sample_type`, as "type/unit" (samples/count, cpu/nanoseconds, alloc_space/bytes…);
//   options.event picks one, else the profile's `default_sample_type`, else the last one (pprof's
//   own rule; a default_sample_type that names no sample type falls back to the last one too).
// - Units: nanoseconds, microseconds, milliseconds, seconds and bytes are kept as written (the time
//   units convert to each other, bytes compare only with bytes); `count` (or none) is 'samples' for
//   the sample type named `samples` (a CPU profile's sample count, comparable with folded stacks),
//   'count' for any other (alloc_objects, contentions). Any other unit is kept as written.
// - Stacks: location_id[0] is the leaf, and within a location line[0] is the innermost (inlined)
//   function: both are read backwards to make root → leaf stacks, and a location with several
//   lines (inlined calls) becomes one frame per line. A function is (name, file name); line numbers
//   are left out, as for the other formats, because base and head builds shift them. A location
//   without lines (not symbolized) is one frame named after its mapping's file, `[libc.so.6]`, or
//   `<unknown>` without one: as `go tool pprof` names it at its default granularity.
// - Weights: the selected value of each sample, summed per stack; a value of 0 adds no frames (pprof
//   skips such samples too); a negative one is refused (a difference profile, `pprof -diff_base`:
//   load its two profiles instead). Values are read as doubles: exact up to 2^53.
// - Sampling (Profile.sampleWeight, for the noise model): `period` when the selected type has the
//   unit of `period_type` (a CPU profile's cpu/nanoseconds: every sample is one period; a heap
//   profile's bytes: allocations are sampled by a Poisson process with a mean of `period` bytes
//   between samples, so this overstates the noise of objects larger than the period), 1 for the
//   `samples` type; otherwise none (a heap profile's object counts, whose weight per sample
//   depends on the object's size, are taken as exact).
// - Ignored for now: labels (pprof's -tagfocus and friends), `drop_frames` and `keep_frames` (which
//   `go tool pprof` applies on load; Go's own profiles set neither), mappings beyond their file
//   names, addresses, line numbers, comments and times.
//
// The file is read whole (the string table may come last, as Go writes it), then twice over by a
// small protobuf reader (protobuf.ts): first everything but the samples, then the samples, each
// walked into the tree as it is read, so no sample is ever held as an object.
//
// Why not the pprof-format package (Datadog's, MIT, no dependencies): on a 30 MB (inflated) Go heap
// profile of 650,000 samples it decodes at 2–9 MB/s in Node 20 (a Uint8Array view per varint, an
// object per sample: most of the time is garbage collection), and it reports no byte positions and
// reads a cut file without a word. This reader walks the same file at 230–330 MB/s (decode alone;
// with the tree built, 15–20 MB/s on a 3.2M-node tree, which the tree builder's work dominates).
// pprof-format stays a dev dependency: tests read profiles it writes, as an independent encoder.

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { decodeUtf8, readAll, type ByteChunks } from './lines';
import { grownInt32 } from '../../src/model/typed-arrays';
import { LEN, looksLikeMessage, VARINT, WireReader, type WireSchema } from './protobuf';

// Field numbers of profile.proto.
const P_SAMPLE_TYPE = 1;
const P_SAMPLE = 2;
const P_MAPPING = 3;
const P_LOCATION = 4;
const P_FUNCTION = 5;
const P_STRING = 6;
const P_PERIOD_TYPE = 11;
const P_PERIOD = 12;
const P_DEFAULT_SAMPLE_TYPE = 14;

const tagOf = (field: number, wire: number) => (field << 3) | wire;

const V = 1 << VARINT;
const L = 1 << LEN;
/** Every field of each message and its wire types (repeated integers may be packed: LEN). */
const PROFILE: WireSchema = { 1: L, 2: L, 3: L, 4: L, 5: L, 6: L, 7: V, 8: V, 9: V, 10: V, 11: L, 12: V, 13: V | L, 14: V, 15: V };
const VALUE_TYPE: WireSchema = { 1: V, 2: V };
const SAMPLE: WireSchema = { 1: V | L, 2: V | L, 3: L };
const LABEL: WireSchema = { 1: V, 2: V, 3: V, 4: V };
const MAPPING: WireSchema = { 1: V, 2: V, 3: V, 4: V, 5: V, 6: V, 7: V, 8: V, 9: V, 10: V };
const LOCATION: WireSchema = { 1: V, 2: V, 3: V, 4: L, 5: V };
const LINE: WireSchema = { 1: V, 2: V, 3: V };
const FUNCTION: WireSchema = { 1: V, 2: V, 3: V, 4: V, 5: V };

/**
 * True when the first bytes read as the start of a pprof Profile message: every field a field
 * of profile.proto with its wire type, and the messages among them made of their own fields, up
 * to the end of the window (where the last field may be cut). Text cannot pass: its first
 * byte would have to be one of the few tags pprof has (`"`, `*`, `2`, `8`, `@`…), then every
 * length and tag after it line up, through the whole window.
 */
export function sniffPprof(head: Uint8Array): boolean {
  const nested: Record<number, (s: number, e: number) => boolean> = {
    [P_SAMPLE_TYPE]: (s: number, e: number) => looksLikeMessage(head, s, e, VALUE_TYPE),
    [P_PERIOD_TYPE]: (s: number, e: number) => looksLikeMessage(head, s, e, VALUE_TYPE),
    [P_SAMPLE]: (s: number, e: number) => looksLikeMessage(head, s, e, SAMPLE, { 3: (ls, le) => looksLikeMessage(head, ls, le, LABEL) }),
    [P_MAPPING]: (s: number, e: number) => looksLikeMessage(head, s, e, MAPPING),
    [P_LOCATION]: (s: number, e: number) => looksLikeMessage(head, s, e, LOCATION, { 4: (ls, le) => looksLikeMessage(head, ls, le, LINE) }),
    [P_FUNCTION]: (s: number, e: number) => looksLikeMessage(head, s, e, FUNCTION),
  };
  // Whole fields, up to the last one that ends inside the window.
  let p = 0;
  let messages = 0;
  for (;;) {
    const next = fieldEnd(head, p);
    if (next === null || next > head.length) break;
    if (!looksLikeMessage(head, p, next, PROFILE, nested)) return false;
    // Strings, integers and packed comments prove little; a message made of pprof's own fields does.
    if ((head[p] & 7) === LEN && nested[head[p] >> 3] !== undefined) messages++;
    p = next;
    if (p === head.length) return messages > 0;
  }
  // The rest is one field the window cuts: its tag must still be one of pprof's.
  if (p < head.length && !looksLikeTag(head[p])) return false;
  return messages > 0;
}

/** Where the top-level field at p ends (maybe past the window), or null when its tag or length is cut or no pprof field. */
function fieldEnd(buf: Uint8Array, p: number): number | null {
  if (p >= buf.length || !looksLikeTag(buf[p])) return null;
  const wire = buf[p] & 7;
  let q = p + 1;
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++, q++) {
    if (q >= buf.length) return null;
    const b = buf[q];
    if (wire === VARINT) {
      if (b < 0x80) return q + 1;
      continue;
    }
    n += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return q + 1 + n;
  }
  return null;
}

/** A one-byte tag of a field of Profile with its wire type (all its field numbers are below 16). */
function looksLikeTag(b: number): boolean {
  return ((PROFILE[b >> 3] ?? 0) & (1 << (b & 7))) !== 0 && b >> 3 > 0;
}

export async function parsePprof(chunks: ByteChunks, name: string, options: ParseOptions = {}, onProgress?: (bytes: number) => void): Promise<Profile> {
  return pprofOfBytes(await readAll(chunks, onProgress), name, options);
}

/** What the first pass keeps: everything of the Profile message but its samples. */
interface Tables {
  sampleTypes: { type: number; unit: number }[];
  periodType: { type: number; unit: number } | null;
  period: number;
  defaultSampleType: number;
  /** Per string table entry: where its bytes start and end. */
  stringStart: number[];
  stringEnd: number[];
  mappings: { id: number; file: number; at: number }[];
  functions: { id: number; name: number; systemName: number; file: number; at: number }[];
  /** Per location; its lines are lineFunction[lineStart[i] .. lineStart[i + 1]), line[0] first. */
  locations: { id: number; mapping: number; at: number }[];
  lineStart: number[];
  lineFunction: number[];
  samples: number;
}

export function pprofOfBytes(bytes: Uint8Array, name: string, options: ParseOptions = {}): Profile {
  const r = new WireReader(bytes, 'pprof');
  const t = readTables(r);
  const strings = new StringReader(bytes, t, r);
  if (t.sampleTypes.length === 0) throw new ParseError('pprof', 'the profile declares no sample types (no sample_type field), so its samples have no values to show', { byte: 0 });
  const events = t.sampleTypes.map((s) => `${strings.get(s.type, 0)}/${strings.get(s.unit, 0)}`);
  const eventIndex = chooseEvent(t, strings, options, events);
  const selected = t.sampleTypes[eventIndex];
  const type = strings.get(selected.type, 0);
  const unitName = strings.get(selected.unit, 0);
  const unit = unitName === 'count' || unitName === '' ? (type === 'samples' ? 'samples' : 'count') : unitName;

  const builder = new TreeBuilder(undefined, 'pprof');
  const frames = locationFrames(t, strings, builder, r);
  addSamples(r, t, frames, eventIndex, builder);

  let sampleWeight: number | undefined;
  if (t.periodType !== null && t.period > 0 && strings.get(t.periodType.unit, 0) === unitName) sampleWeight = t.period;
  else if (type === 'samples') sampleWeight = 1;
  const profile = builder.finish({ name, format: 'pprof', unit, events, sampleWeight });
  return { ...profile, eventIndex };
}

function chooseEvent(t: Tables, strings: StringReader, options: ParseOptions, events: string[]): number {
  const n = t.sampleTypes.length;
  if (options.event !== undefined) {
    if (Number.isInteger(options.event) && options.event >= 0 && options.event < n) return options.event;
    throw new ParseError('pprof', `sample type ${options.event} does not exist: the profile has ${n} (${events.join(', ')})`, { byte: 0 });
  }
  if (t.defaultSampleType > 0) {
    const wanted = strings.get(t.defaultSampleType, 0);
    const i = t.sampleTypes.findIndex((s) => strings.get(s.type, 0) === wanted);
    if (i >= 0) return i;
  }
  return n - 1;
}

/** The first pass: every top-level field but the samples, which are only counted. */
function readTables(r: WireReader): Tables {
  const t: Tables = {
    sampleTypes: [],
    periodType: null,
    period: 0,
    defaultSampleType: 0,
    stringStart: [],
    stringEnd: [],
    mappings: [],
    functions: [],
    locations: [],
    lineStart: [0],
    lineFunction: [],
    samples: 0,
  };
  const end = r.buf.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    const at = r.fieldStart;
    switch (tag) {
      case tagOf(P_SAMPLE, LEN):
        r.pos = r.lengthEnd(end);
        t.samples++;
        break;
      case tagOf(P_SAMPLE_TYPE, LEN):
        t.sampleTypes.push(readValueType(r, r.lengthEnd(end)));
        break;
      case tagOf(P_PERIOD_TYPE, LEN):
        t.periodType = readValueType(r, r.lengthEnd(end));
        break;
      case tagOf(P_PERIOD, VARINT):
        t.period = r.varint(end);
        break;
      case tagOf(P_DEFAULT_SAMPLE_TYPE, VARINT):
        t.defaultSampleType = r.varint(end);
        break;
      case tagOf(P_STRING, LEN): {
        const e = r.lengthEnd(end);
        t.stringStart.push(r.pos);
        t.stringEnd.push(e);
        r.pos = e;
        break;
      }
      case tagOf(P_MAPPING, LEN): {
        const e = r.lengthEnd(end);
        const m = { id: 0, file: 0, at };
        while (r.pos < e) {
          const f = r.tag(e);
          if (f === tagOf(1, VARINT)) m.id = r.varint(e);
          else if (f === tagOf(5, VARINT)) m.file = r.varint(e);
          else r.skip(f & 7, e);
        }
        t.mappings.push(m);
        break;
      }
      case tagOf(P_FUNCTION, LEN): {
        const e = r.lengthEnd(end);
        const fn = { id: 0, name: 0, systemName: 0, file: 0, at };
        while (r.pos < e) {
          const f = r.tag(e);
          if (f === tagOf(1, VARINT)) fn.id = r.varint(e);
          else if (f === tagOf(2, VARINT)) fn.name = r.varint(e);
          else if (f === tagOf(3, VARINT)) fn.systemName = r.varint(e);
          else if (f === tagOf(4, VARINT)) fn.file = r.varint(e);
          else r.skip(f & 7, e);
        }
        t.functions.push(fn);
        break;
      }
      case tagOf(P_LOCATION, LEN): {
        const e = r.lengthEnd(end);
        const loc = { id: 0, mapping: 0, at };
        while (r.pos < e) {
          const f = r.tag(e);
          if (f === tagOf(1, VARINT)) loc.id = r.varint(e);
          else if (f === tagOf(2, VARINT)) loc.mapping = r.varint(e);
          else if (f === tagOf(4, LEN)) {
            const le = r.lengthEnd(e);
            let fnId = 0;
            while (r.pos < le) {
              const g = r.tag(le);
              if (g === tagOf(1, VARINT)) fnId = r.varint(le);
              else r.skip(g & 7, le);
            }
            t.lineFunction.push(fnId);
          } else r.skip(f & 7, e);
        }
        t.locations.push(loc);
        t.lineStart.push(t.lineFunction.length);
        break;
      }
      default:
        checkWire(r, tag);
        r.skip(tag & 7, end);
    }
  }
  return t;
}

/** A field of Profile with a known number must have its wire type: a mismatch is damage, not an unknown field. */
function checkWire(r: WireReader, tag: number): void {
  const field = Math.floor(tag / 8);
  const allowed = PROFILE[field];
  if (allowed !== undefined && (allowed & (1 << (tag & 7))) === 0) {
    r.fail(`field ${field} of the profile has wire type ${tag & 7}, which profile.proto does not give it: the data is damaged`, r.fieldStart);
  }
}

function readValueType(r: WireReader, e: number): { type: number; unit: number } {
  const v = { type: 0, unit: 0 };
  while (r.pos < e) {
    const f = r.tag(e);
    if (f === tagOf(1, VARINT)) v.type = r.varint(e);
    else if (f === tagOf(2, VARINT)) v.unit = r.varint(e);
    else r.skip(f & 7, e);
  }
  return v;
}

/** The string table, decoded on first use (label strings, most of some tables, never are). */
class StringReader {
  private decoded: (string | undefined)[] = [];
  constructor(
    private bytes: Uint8Array,
    private t: Tables,
    private r: WireReader,
  ) {}

  /** String `i`; `at` is the byte of the field that names it, for the error. */
  get(i: number, at: number): string {
    const s = this.decoded[i];
    if (s !== undefined) return s;
    if (!(i >= 0 && i < this.t.stringStart.length)) {
      // Index 0 is the empty string by definition, even in a profile with no string table.
      if (i === 0) return '';
      this.r.fail(`string ${i} is named, but the string table has ${this.t.stringStart.length} strings: the data is damaged`, at);
    }
    return (this.decoded[i] = decodeUtf8(this.bytes, this.t.stringStart[i], this.t.stringEnd[i]));
  }
}

/** Location ids to indices: a table when the ids are dense (Go numbers them 1..n), a Map otherwise. */
class IdIndex {
  private table: Int32Array | null = null;
  private map: Map<number, number> | null = null;

  constructor(ids: number[], what: string, at: (i: number) => number, r: WireReader) {
    let max = 0;
    for (const id of ids) if (id > max) max = id;
    if (max < ids.length * 4 + 1024) {
      const table = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < ids.length; i++) {
        if (table[ids[i]] >= 0) duplicate(what, ids[i], at(table[ids[i]]), at(i), r);
        table[ids[i]] = i;
      }
      this.table = table;
    } else {
      const map = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) {
        const seen = map.get(ids[i]);
        if (seen !== undefined) duplicate(what, ids[i], at(seen), at(i), r);
        map.set(ids[i], i);
      }
      this.map = map;
    }
  }

  /** The index of `id`, or -1. */
  get(id: number): number {
    const table = this.table;
    if (table !== null) return id >= 0 && id < table.length ? table[id] : -1;
    return this.map!.get(id) ?? -1;
  }
}

function duplicate(what: string, id: number, first: number, second: number, r: WireReader): never {
  return r.fail(`${what} id ${id} appears twice (at bytes ${first} and ${second}): the data is damaged`, second);
}

/** Each location's frames, root-most first: frames[start[i] .. start[i + 1]) for location index i. */
interface LocationFrames {
  ids: IdIndex;
  start: Int32Array;
  funcs: Int32Array;
}

function locationFrames(t: Tables, strings: StringReader, builder: TreeBuilder, r: WireReader): LocationFrames {
  const fnIds = new IdIndex(
    t.functions.map((f) => f.id),
    'function',
    (i) => t.functions[i].at,
    r,
  );
  const mapIds = new IdIndex(
    t.mappings.map((m) => m.id),
    'mapping',
    (i) => t.mappings[i].at,
    r,
  );
  const funcOf = new Int32Array(t.functions.length).fill(-1);
  const L = t.locations.length;
  const start = new Int32Array(L + 1);
  const funcs = new Int32Array(t.lineFunction.length + L);
  let k = 0;
  for (let i = 0; i < L; i++) {
    start[i] = k;
    const loc = t.locations[i];
    const from = t.lineStart[i];
    const to = t.lineStart[i + 1];
    // pprof names a line without a function, and a location without lines, after the mapping.
    let unsymbolized = from === to;
    for (let j = to - 1; j >= from; j--) {
      const id = t.lineFunction[j];
      if (id === 0) {
        unsymbolized = true;
        continue;
      }
      const fi = fnIds.get(id);
      if (fi < 0) r.fail(`location ${loc.id} names function ${id}, which the profile does not have: the data is damaged`, loc.at);
      if (funcOf[fi] < 0) {
        const fn = t.functions[fi];
        const fnName = strings.get(fn.name, fn.at) || strings.get(fn.systemName, fn.at) || '<unknown>';
        const file = strings.get(fn.file, fn.at);
        funcOf[fi] = builder.funcIndex(fnName, file === '' ? null : file);
      }
      funcs[k++] = funcOf[fi];
    }
    if (unsymbolized && k === start[i]) {
      const mi = loc.mapping === 0 ? -1 : mapIds.get(loc.mapping);
      if (loc.mapping !== 0 && mi < 0) r.fail(`location ${loc.id} names mapping ${loc.mapping}, which the profile does not have: the data is damaged`, loc.at);
      const file = mi < 0 ? '' : strings.get(t.mappings[mi].file, t.mappings[mi].at);
      funcs[k++] = builder.funcIndex(file === '' ? '<unknown>' : `[${file.slice(file.lastIndexOf('/') + 1)}]`);
    }
  }
  start[L] = k;
  const ids = new IdIndex(
    t.locations.map((l) => l.id),
    'location',
    (i) => t.locations[i].at,
    r,
  );
  return { ids, start, funcs };
}

const SAMPLE_TAG = tagOf(P_SAMPLE, LEN);
const LOCATIONS_PACKED = tagOf(1, LEN);
const LOCATION_ONE = tagOf(1, VARINT);
const VALUES_PACKED = tagOf(2, LEN);
const VALUE_ONE = tagOf(2, VARINT);

/** The second pass: each sample walked into the tree as it is read. */
function addSamples(r: WireReader, t: Tables, frames: LocationFrames, event: number, builder: TreeBuilder): void {
  const end = r.buf.length;
  const types = t.sampleTypes.length;
  const { ids, start, funcs } = frames;
  let locs = new Int32Array(256);
  r.pos = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== SAMPLE_TAG) {
      r.skip(tag & 7, end);
      continue;
    }
    const at = r.fieldStart;
    const e = r.lengthEnd(end);
    let n = 0;
    let values = 0;
    let value = 0;
    while (r.pos < e) {
      const f = r.tag(e);
      if (f === LOCATIONS_PACKED || f === LOCATION_ONE) {
        const pe = f === LOCATION_ONE ? e : r.lengthEnd(e);
        do {
          const id = r.varint(pe);
          const li = ids.get(id);
          if (li < 0) r.fail(`a sample names location ${id}, which the profile does not have: the data is damaged`, at);
          if (n === locs.length) locs = grownInt32(locs);
          locs[n++] = li;
        } while (f === LOCATIONS_PACKED && r.pos < pe);
      } else if (f === VALUES_PACKED || f === VALUE_ONE) {
        const pe = f === VALUE_ONE ? e : r.lengthEnd(e);
        do {
          const v = r.varint(pe);
          if (values++ === event) value = v;
        } while (f === VALUES_PACKED && r.pos < pe);
      } else r.skip(f & 7, e);
    }
    if (values !== types) r.fail(`a sample has ${values} values, but the profile declares ${types} sample types: the data is damaged`, at);
    if (value < 0) {
      r.fail(
        `a sample has a negative value (${value}): this looks like a difference profile (pprof -diff_base), which Flamediff does not read; load its base and head profiles instead`,
        at,
      );
    }
    if (value === 0) continue;
    if (n === 0) {
      builder.warnings.skippedLines++;
      if (builder.warnings.examples.length < 5) builder.warnings.examples.push(`byte ${at}: a sample with no locations (${value} left out)`);
      continue;
    }
    let node = 0;
    for (let i = n - 1; i >= 0; i--) {
      const li = locs[i];
      for (let j = start[li]; j < start[li + 1]; j++) node = builder.child(node, funcs[j]);
    }
    builder.addSelf(node, value);
  }
}
