import { describe, expect, it } from 'vitest';
import type { Progress } from '../src/model/worker-api';
import { pacedProgress } from './progress-pace';

describe('pacedProgress', () => {
  it('reports the first at once, then one per interval, and always the last', () => {
    let t = 0;
    const seen: Progress[] = [];
    const report = pacedProgress((p) => seen.push(p), 200, () => t)!;
    for (let bytes = 1; bytes <= 100; bytes++) {
      t = bytes * 10; // a report every 10 ms
      report({ phase: 'download', bytes, total: 100 });
    }
    expect(seen.map((p) => p.bytes)).toEqual([1, 21, 41, 61, 81, 100]);
  });

  it('without a total, never invents a last report', () => {
    let t = 0;
    const seen: number[] = [];
    const report = pacedProgress((p) => seen.push(p.bytes), 200, () => t)!;
    for (let bytes = 1; bytes <= 5; bytes++) report({ phase: 'parse', bytes });
    t = 250;
    report({ phase: 'parse', bytes: 6 });
    expect(seen).toEqual([1, 6]);
  });

  it('is absent when nobody listens', () => {
    expect(pacedProgress(undefined)).toBeUndefined();
  });
});
