// The CPU profiles inside a Chrome trace (Performance panel "Save profile",
// chrome://tracing, Perfetto's JSON export): Trace Event Format,
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
// A JSON array of events, or {"traceEvents": [...], "metadata": {...}}.
// V8's sampler writes (category disabled-by-default-v8.cpu_profiler):
// - `Profile` (ph "P"): args.data.startTime, one per profiling session, with an `id`;
// - `ProfileChunk`: args.data.cpuProfile.{nodes, samples} and args.data.timeDeltas,
//   keyed by (pid, id) — NOT by tid: the chunks are emitted from the profiler's own
//   thread (v8:ProfEvntProc), the Profile event from the profiled thread. Nodes are
//   linked by `parent`, and a chunk's nodes may hang under nodes of earlier chunks;
//   timeDeltas continue from one chunk to the next. This is what Chrome DevTools'
//   SamplesHandler does (concatenate nodes, samples and timeDeltas per (pid, id)).
// - older Chrome (about 2018): one `CpuProfile` event holding a whole .cpuprofile.

import { ParseError } from '../../src/model/profile';
import type { RawCpuProfile } from './cpuprofile';

/** One CPU profile found in a trace: a label for Profile.parts, and what to build it from. */
export interface TraceCpuProfile {
  label: string;
  sampleCount: number;
  raw: RawCpuProfile;
}

interface TraceEvent {
  name?: unknown;
  ph?: unknown;
  pid?: unknown;
  tid?: unknown;
  id?: unknown;
  ts?: unknown;
  args?: { name?: unknown; data?: TraceData } | null;
}

interface TraceData {
  startTime?: unknown;
  endTime?: unknown;
  timeDeltas?: unknown;
  cpuProfile?: { nodes?: unknown; samples?: unknown; timeDeltas?: unknown; startTime?: unknown; endTime?: unknown } | null;
}

/** The event list when `json` is a trace (array of events, or an object with traceEvents), else null. */
export function traceEventsOf(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (json !== null && typeof json === 'object') {
    const ev = (json as { traceEvents?: unknown }).traceEvents;
    if (Array.isArray(ev)) return ev;
  }
  return null;
}

interface Session {
  pid: unknown;
  tid: unknown;
  id: unknown;
  order: number;
  startTime: number;
  endTime: number;
  chunks: { ts: number; data: TraceData }[];
  whole?: RawCpuProfile;
}

/** Every CPU profile of the trace, most samples first. Throws when the trace holds none. */
export function cpuProfilesOfTrace(events: unknown[]): TraceCpuProfile[] {
  const threadNames = new Map<string, string>();
  const sessions = new Map<string, Session>();
  const session = (e: TraceEvent): Session => {
    const key = `${String(e.pid)}:${String(e.id)}`;
    let s = sessions.get(key);
    if (!s) {
      s = { pid: e.pid, tid: e.tid, id: e.id, order: sessions.size, startTime: NaN, endTime: NaN, chunks: [] };
      sessions.set(key, s);
    }
    return s;
  };
  for (const item of events) {
    if (item === null || typeof item !== 'object') continue;
    const e = item as TraceEvent;
    const name = e.name;
    if (name === 'thread_name') {
      const n = e.args?.name;
      if (typeof n === 'string') threadNames.set(`${String(e.pid)}:${String(e.tid)}`, n);
    } else if (name === 'Profile') {
      const s = session(e);
      // The Profile event is on the profiled thread; a chunk seen first only knows the sampler's.
      s.tid = e.tid;
      const st = e.args?.data?.startTime;
      s.startTime = typeof st === 'number' ? st : typeof e.ts === 'number' ? e.ts : NaN;
    } else if (name === 'ProfileChunk') {
      const data = e.args?.data;
      if (data && typeof data === 'object') session(e).chunks.push({ ts: typeof e.ts === 'number' ? e.ts : 0, data });
    } else if (name === 'CpuProfile') {
      const cp = e.args?.data?.cpuProfile;
      if (cp && typeof cp === 'object' && Array.isArray(cp.nodes)) {
        const s = session({ ...e, id: `cpuprofile-${sessions.size}` });
        s.whole = cp as RawCpuProfile;
      }
    }
  }
  if (sessions.size === 0) {
    throw new ParseError(
      'cpuprofile',
      'this is a Chrome trace without CPU profile data (no Profile/ProfileChunk events): record it with JavaScript samples enabled (category disabled-by-default-v8.cpu_profiler), or export a .cpuprofile instead',
    );
  }

  const out: (TraceCpuProfile & { order: number })[] = [];
  for (const s of sessions.values()) {
    let raw: RawCpuProfile;
    if (s.whole) raw = s.whole;
    else {
      // Events are sorted by time before use, as in DevTools: timeDeltas continue across chunks.
      s.chunks.sort((a, b) => a.ts - b.ts);
      const nodes: unknown[] = [];
      const samples: unknown[] = [];
      const timeDeltas: unknown[] = [];
      let endTime = s.endTime;
      for (const { data } of s.chunks) {
        const cp = data.cpuProfile;
        // Loops, not push(...a): spreading 100k-element arrays overflows the call stack.
        if (cp && Array.isArray(cp.nodes)) for (const n of cp.nodes) nodes.push(n);
        const sm = cp?.samples;
        if (Array.isArray(sm)) for (const x of sm) samples.push(x);
        const td = Array.isArray(data.timeDeltas) ? data.timeDeltas : cp?.timeDeltas;
        if (Array.isArray(td)) for (const x of td) timeDeltas.push(x);
        const et = typeof data.endTime === 'number' ? data.endTime : cp?.endTime;
        if (typeof et === 'number') endTime = et;
      }
      raw = { nodes, samples, timeDeltas, startTime: s.startTime, endTime };
    }
    const sampleCount = Array.isArray(raw.samples) ? raw.samples.length : 0;
    const thread = threadNames.get(`${String(s.pid)}:${String(s.tid)}`) ?? 'thread';
    const profile = s.whole ? '' : `, profile ${String(s.id)}`;
    out.push({
      label: `${thread} (pid ${String(s.pid)}, tid ${String(s.tid)}${profile}, ${sampleCount} samples)`,
      sampleCount,
      raw,
      order: s.order,
    });
  }
  out.sort((a, b) => b.sampleCount - a.sampleCount || a.order - b.order);
  return out.map(({ label, sampleCount, raw }) => ({ label, sampleCount, raw }));
}
