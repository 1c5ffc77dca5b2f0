// A profile's weights in another unit of the same dimension (head in nanoseconds
// against base in microseconds): only the numbers change, never the tree.
import type { Profile } from '../src/model/profile';

const scaled = (a: Float64Array | undefined, k: number) => (a ? a.map((v) => v * k) : undefined);

export function scaleProfile(p: Profile, factor: number, unit: string): Profile {
  return {
    ...p,
    unit,
    tree: { ...p.tree, self: scaled(p.tree.self, factor)!, total: scaled(p.tree.total, factor)!, selfSq: scaled(p.tree.selfSq, factor * factor) },
    funcInclusive: scaled(p.funcInclusive, factor),
    funcSelfExact: scaled(p.funcSelfExact, factor),
    sampleWeight: p.sampleWeight === undefined ? undefined : p.sampleWeight * factor,
    runs: p.runs && {
      ...p.runs,
      self: scaled(p.runs.self, factor)!,
      selfSq: scaled(p.runs.selfSq, factor * factor),
      totals: scaled(p.runs.totals, factor)!,
      sampleWeight: scaled(p.runs.sampleWeight, factor)!,
    },
  };
}
