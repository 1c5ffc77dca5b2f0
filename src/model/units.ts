// The one unit table. Time units convert to each other; every other unit (samples,
// bytes, counts, each callgrind event) compares only with itself, because a sample
// count and a duration, or Ir and Dr, measure different things.

/** Nanoseconds per unit, for every time unit a reader may declare. */
const TIME_UNITS: Record<string, number> = {
  nanoseconds: 1,
  ns: 1,
  microseconds: 1e3,
  'µs': 1e3,
  us: 1e3,
  milliseconds: 1e6,
  ms: 1e6,
  seconds: 1e9,
  s: 1e9,
};

export interface UnitOf {
  format: string;
  unit: string;
  /** The file's events or sample types, and the one read (pprof: `inuse_space/bytes`). */
  events?: string[];
  eventIndex?: number;
}

export type UnitCheck =
  /** `headFactor` converts head's weights into base's unit (1 when they share it). */
  | { comparable: true; headFactor: number }
  | { comparable: false; reason: string };

/** Nanoseconds per `unit`, undefined for a unit that is not time. */
export function nanosecondsPer(unit: string): number | undefined {
  return Object.hasOwn(TIME_UNITS, unit) ? TIME_UNITS[unit] : undefined;
}

export function isTimeUnit(unit: string): boolean {
  return Object.hasOwn(TIME_UNITS, unit);
}

/** A pprof sample type's name (`inuse_space` of `inuse_space/bytes`): bytes in use and bytes allocated are both bytes. */
function sampleType(u: UnitOf): string | null {
  if (u.format !== 'pprof' || !u.events?.length) return null;
  const e = u.events[u.eventIndex ?? 0] ?? '';
  return e.slice(0, e.lastIndexOf('/') >= 0 ? e.lastIndexOf('/') : e.length) || null;
}

/** The perf event a perf script side was read for (`cpu-clock` of `cpu-clock (samples)`), null for other formats. */
function perfEvent(u: UnitOf): string | null {
  if (u.format !== 'perf-script' || !u.events?.length) return null;
  return (u.events[u.eventIndex ?? 0] ?? '').replace(/ \((samples|period)\)$/, '') || null;
}

/** What a unit measures: time units share one dimension; a callgrind event is its own, and so is a pprof sample type of any other unit. */
function dimension(u: UnitOf): string {
  if (isTimeUnit(u.unit)) return 'time';
  if (u.format === 'callgrind') return `callgrind event ${u.unit}`;
  const type = sampleType(u);
  return type ? `${u.unit} of ${type}` : u.unit;
}

/** A unit as a sentence names it. */
export function describeUnit(u: UnitOf): string {
  if (u.format === 'callgrind') return `the callgrind event ${u.unit}`;
  const type = isTimeUnit(u.unit) ? null : sampleType(u);
  return type ? `${u.unit} (${type})` : u.unit;
}

export function compareUnits(base: UnitOf, head: UnitOf): UnitCheck {
  if (dimension(base) !== dimension(head)) {
    return {
      comparable: false,
      reason: `base is measured in ${describeUnit(base)} and head in ${describeUnit(head)}: these cannot be compared as amounts, only as shares of each run`,
    };
  }
  // Both sides read from perf script: the same unit can count different events (page faults, cpu-clock ticks).
  const eb = perfEvent(base);
  const eh = perfEvent(head);
  if (eb !== null && eh !== null && eb !== eh) {
    return {
      comparable: false,
      reason: `base counts the perf event ${eb} and head ${eh}: these cannot be compared as amounts, only as shares of each run`,
    };
  }
  if (dimension(base) === 'time') return { comparable: true, headFactor: TIME_UNITS[head.unit] / TIME_UNITS[base.unit] };
  return { comparable: true, headFactor: 1 };
}
