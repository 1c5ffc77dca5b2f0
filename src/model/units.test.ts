import { describe, expect, it } from 'vitest';
import { compareUnits } from './units';

describe('unit table', () => {
  it('time units convert into base unit', () => {
    expect(compareUnits({ format: 'cpuprofile', unit: 'microseconds' }, { format: 'pprof', unit: 'nanoseconds' })).toEqual({ comparable: true, headFactor: 1e-3 });
    expect(compareUnits({ format: 'pprof', unit: 'nanoseconds' }, { format: 'cpuprofile', unit: 'microseconds' })).toEqual({ comparable: true, headFactor: 1e3 });
    expect(compareUnits({ format: 'x', unit: 'seconds' }, { format: 'x', unit: 'ms' })).toEqual({ comparable: true, headFactor: 1e-3 });
  });
  it('samples compare with samples only', () => {
    expect(compareUnits({ format: 'folded', unit: 'samples' }, { format: 'folded', unit: 'samples' })).toEqual({ comparable: true, headFactor: 1 });
    const r = compareUnits({ format: 'folded', unit: 'samples' }, { format: 'cpuprofile', unit: 'microseconds' });
    expect(r.comparable).toBe(false);
    if (!r.comparable) expect(r.reason).toMatch(/samples.*microseconds/);
  });
  it('bytes and counts compare only with themselves', () => {
    expect(compareUnits({ format: 'pprof', unit: 'bytes' }, { format: 'pprof', unit: 'count' }).comparable).toBe(false);
    expect(compareUnits({ format: 'pprof', unit: 'bytes' }, { format: 'pprof', unit: 'bytes' }).comparable).toBe(true);
  });
  it('callgrind events compare only with the same event of callgrind', () => {
    expect(compareUnits({ format: 'callgrind', unit: 'Ir' }, { format: 'callgrind', unit: 'Ir' })).toEqual({ comparable: true, headFactor: 1 });
    const r = compareUnits({ format: 'callgrind', unit: 'Ir' }, { format: 'callgrind', unit: 'Dr' });
    expect(r.comparable).toBe(false);
    if (!r.comparable) expect(r.reason).toContain('Ir');
    expect(compareUnits({ format: 'callgrind', unit: 'samples' }, { format: 'folded', unit: 'samples' }).comparable).toBe(false);
  });
});

describe('pprof sample types', () => {
  const heap = (type: string, unit = 'bytes') => ({ format: 'pprof', unit, events: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'], eventIndex: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'].indexOf(type) });
  it('bytes in use and bytes allocated are both bytes, and still do not compare', () => {
    const r = compareUnits(heap('inuse_space'), heap('alloc_space'));
    expect(r).toEqual({ comparable: false, reason: 'base is measured in bytes (inuse_space) and head in bytes (alloc_space): these cannot be compared as amounts, only as shares of each run' });
    expect(compareUnits(heap('inuse_space'), heap('inuse_space'))).toEqual({ comparable: true, headFactor: 1 });
  });
  it('time sample types convert whatever their names', () => {
    const cpu = { format: 'pprof', unit: 'nanoseconds', events: ['samples/count', 'cpu/nanoseconds'], eventIndex: 1 };
    expect(compareUnits(cpu, { format: 'cpuprofile', unit: 'microseconds' })).toEqual({ comparable: true, headFactor: 1e3 });
  });
});

describe('perf script events', () => {
  const perf = (events: string[], eventIndex: number) => ({ format: 'perf-script', unit: 'samples', events, eventIndex });
  it('samples of different perf events do not compare as amounts; the same event does, and a folded side (no event) too', () => {
    const r = compareUnits(perf(['page-faults (samples)', 'page-faults (period)', 'cpu-clock (samples)', 'cpu-clock (period)'], 0), perf(['cpu-clock (samples)', 'cpu-clock (period)'], 0));
    expect(r).toEqual({ comparable: false, reason: 'base counts the perf event page-faults and head cpu-clock: these cannot be compared as amounts, only as shares of each run' });
    expect(compareUnits(perf(['page-faults (samples)', 'page-faults (period)', 'cpu-clock (samples)', 'cpu-clock (period)'], 2), perf(['cpu-clock (samples)', 'cpu-clock (period)'], 0)).comparable).toBe(true);
    expect(compareUnits(perf(['cpu-clock (samples)', 'cpu-clock (period)'], 0), { format: 'folded', unit: 'samples' }).comparable).toBe(true);
  });
});
