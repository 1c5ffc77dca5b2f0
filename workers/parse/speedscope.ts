// speedscope's JSON file format, as py-spy, rbspy and speedscope's own "Export" write it:
// https://github.com/jlfwong/speedscope/blob/main/src/lib/file-format-spec.ts (its JSON schema:
// node_modules/speedscope/dist/release/file-format-schema.json).
//
// `{"$schema": "https://www.speedscope.app/file-format-schema.json", "shared": {"frames": [...]},
// "profiles": [...], "activeProfileIndex": n}`: frames are shared by every profile; a profile is
// - "sampled": `samples[i]` is a stack of frame indices, root first, and `weights[i]` its weight;
// - "evented": `events` of {type: "O" | "C", frame, at}, in order of `at`; the time between two
//   events is the self time of the frame open on top of the stack (none: not counted), so a
//   frame's self is its open time minus its children's. A "C" must close the frame on top (the
//   spec: "the ordering must be balanced"): one that closes another, or none, is malformed, and so
//   is an `at` before the one before it. Frames still open at the end are closed at `endValue`
//   (or at the last event), and the profile says it looks incomplete.
//
// Several profiles (threads, processes) are Profile.parts; the one read is ParseOptions.part, by
// default the file's `activeProfileIndex` (what speedscope opens first), else the first; -1 sums
// them all into one tree, when they share a unit.
//
// A function is (frame name, frame file): `line` and `col` are left out, as for .cpuprofile,
// because base and head builds shift them. Weights are the file's numbers, unscaled, in its unit:
// nanoseconds … seconds and bytes as named; "none" (py-spy, and speedscope's export of folded stacks,
// whose weights count samples) is 'samples'. A sampled profile keeps each sample's squared weight
// where weights differ (CallTree.selfSq); an evented one is read as exact, like callgrind, even
// where speedscope made it from a sampled profile (its export writes every profile as evented),
// except in unit "none", whose weights are sample counts.
//
// The file is JSON: read whole and given to JSON.parse (json-errors.ts places its errors).

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { readAll, type ByteChunks } from './lines';
import { formatMB, SIZE_LIMITS, type SizeLimits } from './size-limits';
import { invalid, parseJson, placed, type Anchor } from './json-errors';
import { grownInt32 } from '../../src/model/typed-arrays';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

const SNIFF_SCHEMA = /"\$schema"\s*:\s*"https:\/\/www\.speedscope\.app\/file-format-schema\.json"/;
// A writer that puts `$schema` after the frames may push it past the sniff window.
const SNIFF_SHARED = /"shared"\s*:\s*\{\s*"frames"\s*:\s*\[/;

/** True when the first bytes are a speedscope JSON file: by its `$schema`, or its shared frames. */
export function sniffSpeedscope(text: string): boolean {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1).trimStart() : text.trimStart();
  return t.startsWith('{') && (SNIFF_SCHEMA.test(t) || SNIFF_SHARED.test(t));
}

/** The file's unit as the unit table names it (src/model/units.ts). */
const UNITS: Record<string, string> = {
  none: 'samples',
  nanoseconds: 'nanoseconds',
  microseconds: 'microseconds',
  milliseconds: 'milliseconds',
  seconds: 'seconds',
  bytes: 'bytes',
};

interface RawFrame {
  name?: unknown;
  file?: unknown;
}

interface RawProfile {
  type?: unknown;
  name?: unknown;
  unit?: unknown;
  startValue?: unknown;
  endValue?: unknown;
  samples?: unknown;
  weights?: unknown;
  events?: unknown;
}

interface RawEvent {
  type?: unknown;
  frame?: unknown;
  at?: unknown;
}

export async function parseSpeedscope(
  chunks: ByteChunks,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
  limits: SizeLimits = SIZE_LIMITS,
): Promise<Profile> {
  return speedscopeOfBytes(await readAll(capped(chunks, limits), onProgress, options.sizeHint), name, options);
}

/** The chunks, failing once they pass what JSON.parse can be given as one string. */
async function* capped(chunks: ByteChunks, limits: SizeLimits): ByteChunks {
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.length;
    if (read > limits.jsonText) {
      throw new ParseError(
        'speedscope',
        `this speedscope file is more than ${formatMB(limits.jsonText)} of JSON: it is read as one string, which browsers stop at about that size. Export a shorter profile, or convert it to folded stacks, which Flamediff reads as a stream.`,
        { byte: 0 },
      );
    }
    yield chunk;
  }
}

export function speedscopeOfBytes(bytes: Uint8Array, name: string, options: ParseOptions = {}): Profile {
  try {
    return profileOf(parseJson(bytes), name, options);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    // json-errors names .cpuprofile, its first user; the positions are the same.
    const p = e.line === undefined && e.byte === undefined ? placed(e, bytes) : e;
    throw new ParseError('speedscope', p.message, { line: p.line, byte: p.byte });
  }
}

function profileOf(json: unknown, name: string, options: ParseOptions): Profile {
  if (!isObject(json)) throw invalid(`the file is JSON (${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}), not a speedscope file object`);
  if (json.$schema !== undefined && json.$schema !== SPEEDSCOPE_SCHEMA) {
    throw invalid(`its "$schema" is ${JSON.stringify(json.$schema)}, not speedscope's (${SPEEDSCOPE_SCHEMA})`, { key: '$schema' });
  }
  const shared = json.shared;
  if (!isObject(shared) || !Array.isArray(shared.frames)) throw invalid('it has no "shared": {"frames": [...]}, the frames every profile refers to', { key: 'shared' });
  const frames = shared.frames as unknown[];
  if (!Array.isArray(json.profiles) || json.profiles.length === 0) throw invalid('it has no profiles ("profiles" is missing or empty)', { key: 'profiles' });
  const profiles = json.profiles as unknown[];
  const labels = profileLabels(profiles);

  const active = json.activeProfileIndex;
  const byDefault = typeof active === 'number' && Number.isInteger(active) && active >= 0 && active < profiles.length ? active : 0;
  const part = options.part ?? byDefault;
  if (!Number.isInteger(part) || part < -1 || part >= profiles.length) {
    throw invalid(`profile ${part} does not exist: the file holds ${profiles.length} profile(s)`, { key: 'profiles' });
  }
  const chosen = part === -1 ? profiles.map((_, i) => i) : [part];

  const builder = new TreeBuilder(undefined, 'speedscope');
  const frameFunc = new Int32Array(frames.length).fill(-1);
  const funcOf = (f: number): number => {
    let func = frameFunc[f];
    if (func < 0) {
      const frame = frames[f] as RawFrame;
      if (!isObject(frame) || typeof frame.name !== 'string') throw invalid(`frame ${f} has no "name" string`, { key: 'frames' });
      func = builder.funcIndex(frame.name, typeof frame.file === 'string' && frame.file !== '' ? frame.file : null);
      frameFunc[f] = func;
    }
    return func;
  };

  // Squared weights are kept only where sampled weights differ (and are not sample counts), so that a
  // profile of equal weights has the variance sampleWeight · self, as folded stacks do.
  const squares = chosen.some((i) => isObject(profiles[i]) && (profiles[i] as RawProfile).unit !== 'none') && !weighAlike(chosen.map((i) => profiles[i] as RawProfile));
  let unit: string | null = null;
  let sampled = true;
  let samples = 0;
  let sampleSum = 0;
  for (const i of chosen) {
    const p = profiles[i] as RawProfile;
    const where = `profile ${i} ("${labels[i]}")`;
    if (!isObject(p)) throw invalid(`${where} is not an object`, { key: 'profiles' });
    if (typeof p.unit !== 'string') throw invalid(`${where} has no "unit"`, { key: 'type', nth: i + 1 });
    const u = UNITS[p.unit] ?? p.unit;
    if (unit !== null && u !== unit) {
      throw invalid(`the profiles are in different units (${unit}, ${u}): they cannot be summed; choose one of them`, { key: 'unit', nth: i + 1 });
    }
    unit = u;
    const nth = (key: string) => ({ key, nth: ordinal(profiles, i, key) });
    if (p.type === 'sampled') {
      const r = addSampled(builder, p, funcOf, frames.length, squares && u !== 'samples', where, nth);
      samples += r.samples;
      sampleSum += r.sum;
    } else if (p.type === 'evented') {
      addEvented(builder, p, funcOf, frames.length, where, nth('events'));
      sampled = false;
    } else {
      throw invalid(`${where} is of type ${JSON.stringify(p.type)}: speedscope's profiles are "sampled" or "evented"`, { key: 'type', nth: i + 1 });
    }
  }
  const u = unit ?? 'samples';
  const profile = builder.finish({ name, format: 'speedscope', unit: u, parts: profiles.length > 1 ? labels : [] });
  if (u === 'samples') profile.sampleWeight = 1;
  else if (sampled && samples > 0) profile.sampleWeight = sampleSum / samples;
  if (profiles.length > 1) profile.partIndex = part;
  return profile;
}

/** Whether every weight of the sampled profiles is the same number (absent weights are 1 each). */
function weighAlike(profiles: RawProfile[]): boolean {
  let one = NaN;
  for (const p of profiles) {
    if (!isObject(p) || p.type !== 'sampled') continue;
    const weights = Array.isArray(p.weights) ? (p.weights as unknown[]) : Array.isArray(p.samples) ? [1] : [];
    for (const w of weights) {
      if (one !== one) one = w as number;
      else if (w !== one) return false;
    }
  }
  return true;
}

/** Each profile's name, made unique (a picker needs to tell them apart). */
function profileLabels(profiles: unknown[]): string[] {
  const names = profiles.map((p, i) => (isObject(p) && typeof p.name === 'string' && p.name !== '' ? p.name : `profile ${i + 1}`));
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => (count.get(n)! > 1 ? `${n} #${i + 1}` : n));
}

/** Which occurrence of `key` in the text profile i's member is, counting the profiles before it that have one. */
function ordinal(profiles: unknown[], i: number, key: string): number {
  let n = 1;
  for (let k = 0; k < i; k++) if (isObject(profiles[k]) && (profiles[k] as Record<string, unknown>)[key] !== undefined) n++;
  return n;
}

function addSampled(
  builder: TreeBuilder,
  p: RawProfile,
  funcOf: (f: number) => number,
  frameCount: number,
  squares: boolean,
  where: string,
  nth: (key: string) => Anchor,
): { samples: number; sum: number } {
  if (!Array.isArray(p.samples)) throw invalid(`${where} is sampled but has no "samples" array`, nth('type'));
  const stacks = p.samples as unknown[];
  const weights = p.weights === undefined ? null : p.weights;
  if (weights !== null && (!Array.isArray(weights) || weights.length !== stacks.length)) {
    throw invalid(`${where} has ${stacks.length} samples but ${Array.isArray(weights) ? weights.length : 'no array of'} weights`, nth('weights'));
  }
  let sum = 0;
  let kept = 0;
  for (let s = 0; s < stacks.length; s++) {
    const stack = stacks[s];
    if (!Array.isArray(stack)) throw invalid(`${where}: sample ${s} is not an array of frame indices`, nth('samples'));
    const w = weights === null ? 1 : weights[s];
    if (typeof w !== 'number') throw invalid(`${where}: weight ${s} is not a number (${JSON.stringify(w)})`, nth('weights'));
    // JSON reads 1e999 as Infinity: refused here, at the weights, rather than by the tree builder, which knows no place in the text.
    if (!(w >= 0 && w < Infinity)) throw invalid(`${where}: weight ${s} is ${w < 0 ? `a negative weight (${w}): weights must be 0 or more` : `not a finite number (${w})`}`, nth('weights'));
    if (stack.length === 0) {
      builder.skip(0, `${where}: sample ${s} has an empty stack (weight ${w} not counted)`);
      continue;
    }
    let node = 0;
    for (let k = 0; k < stack.length; k++) {
      const f = stack[k];
      if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= frameCount) {
        throw invalid(`${where}: sample ${s} names frame ${JSON.stringify(f)}, and the file has frames 0 to ${frameCount - 1}`, nth('samples'));
      }
      node = builder.child(node, funcOf(f));
    }
    if (squares) builder.addSamples(node, 1, w);
    else builder.addSelf(node, w);
    sum += w;
    kept++;
  }
  return { samples: kept, sum };
}

function addEvented(builder: TreeBuilder, p: RawProfile, funcOf: (f: number) => number, frameCount: number, where: string, anchor: Anchor): void {
  if (!Array.isArray(p.events)) throw invalid(`${where} is evented but has no "events" array`, anchor);
  const events = p.events as RawEvent[];
  // The open frames, bottom first: their tree nodes and frame indices.
  let nodes = new Int32Array(64);
  let open = new Int32Array(64);
  let depth = 0;
  let last = typeof p.startValue === 'number' ? p.startValue : NaN;
  for (let e = 0; e < events.length; e++) {
    const ev = events[e];
    if (!isObject(ev)) throw invalid(`${where}: event ${e} is not an object`, anchor);
    const at = ev.at;
    const f = ev.frame;
    if (typeof at !== 'number') throw invalid(`${where}: event ${e} has no "at" number`, anchor);
    if (!Number.isFinite(at)) throw invalid(`${where}: event ${e} is at ${at}: times must be finite numbers`, anchor);
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= frameCount) {
      throw invalid(`${where}: event ${e} names frame ${JSON.stringify(f)}, and the file has frames 0 to ${frameCount - 1}`, anchor);
    }
    if (at < last) throw invalid(`${where}: event ${e} is at ${at}, before the event before it (${last}): events must be in time order`, anchor);
    if (depth > 0) builder.addSelf(nodes[depth - 1], at - last);
    last = at;
    if (ev.type === 'O') {
      if (depth === nodes.length) {
        nodes = grownInt32(nodes);
        open = grownInt32(open);
      }
      nodes[depth] = builder.child(depth > 0 ? nodes[depth - 1] : 0, funcOf(f));
      open[depth++] = f;
    } else if (ev.type === 'C') {
      if (depth === 0) throw invalid(`${where}: event ${e} closes frame ${f} ("${builder.funcNameOf(funcOf(f))}") at ${at}, but no frame is open`, anchor);
      const top = open[depth - 1];
      if (top !== f && funcOf(top) !== funcOf(f)) {
        throw invalid(
          `${where}: event ${e} closes frame ${f} ("${builder.funcNameOf(funcOf(f))}") at ${at}, but the frame open on top is ${top} ("${builder.funcNameOf(funcOf(top))}"): opens and closes must nest`,
          anchor,
        );
      }
      depth--;
    } else {
      throw invalid(`${where}: event ${e} is of type ${JSON.stringify(ev.type)}: events are "O" (open) or "C" (close)`, anchor);
    }
  }
  if (depth > 0) {
    const end = typeof p.endValue === 'number' && p.endValue >= last ? p.endValue : last;
    if (end > last) builder.addSelf(nodes[depth - 1], end - last);
    builder.incomplete(
      `looks truncated: ${where} ends with ${depth} frame(s) still open (the innermost "${builder.funcNameOf(funcOf(open[depth - 1]))}"), closed here at ${end === last ? 'its last event' : `its endValue, ${end}`}`,
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
