// Several runs of one side as one profile: the tree of every call path any run took, each node
// holding the mean of the runs' selfs (widths are those of a typical run), and per run its own
// self per node (Profile.runs), so that a difference can be told from run-to-run variation.
import { ParseError, type Profile } from '../src/model/profile';
import { TreeBuilder } from '../src/model/tree-builder';
import { subtreeTotals } from '../src/model/function-totals';
import { runsName } from '../src/model/runs-bundle';

export function mergeRuns(runs: Profile[]): Profile {
  if (runs.length === 1) return runs[0];
  const first = runs[0];
  for (const r of runs) {
    if (r.unit !== first.unit) {
      throw new ParseError(r.format, `the runs of one side must share a unit: ${first.name} is in ${first.unit}, ${r.name} in ${r.unit}`);
    }
  }
  const R = runs.length;
  const b = new TreeBuilder();
  const nodeMaps = runs.map((p) => {
    const fmap = new Int32Array(p.funcName.length);
    for (let f = 0; f < fmap.length; f++) fmap[f] = b.funcIndex(p.strings[p.funcName[f]], p.funcFile[f] < 0 ? null : p.strings[p.funcFile[f]]);
    const t = p.tree;
    const nodes = new Int32Array(t.func.length);
    for (let i = 1; i < nodes.length; i++) nodes[i] = b.child(nodes[t.parent[i]], fmap[t.func[i]]);
    for (let i = 0; i < nodes.length; i++) if (t.self[i] > 0) b.addSelf(nodes[i], t.self[i] / R);
    return { fmap, nodes };
  });
  const { tree, newIndex } = b.finishTreeWithMap();
  const n = tree.func.length;
  const self = new Float64Array(R * n);
  const anySq = runs.some((p) => p.tree.selfSq);
  const selfSq = anySq ? new Float64Array(R * n) : undefined;
  runs.forEach((p, r) => {
    const { nodes } = nodeMaps[r];
    const sq = p.tree.selfSq;
    for (let i = 0; i < nodes.length; i++) {
      const at = r * n + newIndex[nodes[i]];
      self[at] += p.tree.self[i];
      // A run without Σw² (uniform weights) has Σw² = weight · self.
      if (selfSq) selfSq[at] += sq ? sq[i] : (p.sampleWeight ?? 0) * p.tree.self[i];
    }
  });
  if (selfSq) {
    // The mean's own variance, for the one-run noise model's readers: Σ over runs / R².
    tree.selfSq = new Float64Array(n);
    for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) tree.selfSq[i] += selfSq[r * n + i] / (R * R);
  }
  tree.total = subtreeTotals(tree.parent, tree.self);

  const F = b.funcCount;
  const mean = (pick: (p: Profile) => Float64Array | undefined): Float64Array | undefined => {
    if (!runs.every((p) => pick(p))) return undefined;
    const out = new Float64Array(F);
    runs.forEach((p, r) => pick(p)!.forEach((v, f) => (out[nodeMaps[r].fmap[f]] += v / R)));
    return out;
  };
  const weights = runs.map((p) => p.sampleWeight ?? 0);
  // Each run's exact function selfs, for the runs' statistics: the tree's are estimates, and an
  // interval of estimates would not be about the figures the table shows (their mean).
  let funcSelfExact: Float64Array | undefined;
  if (runs.every((p) => p.funcSelfExact)) {
    funcSelfExact = new Float64Array(R * F);
    runs.forEach((p, r) => p.funcSelfExact!.forEach((v, f) => (funcSelfExact![r * F + nodeMaps[r].fmap[f]] += v)));
  }
  return {
    name: runsName(runs.map((p) => p.name)),
    format: first.format,
    unit: first.unit,
    strings: b.strings.values,
    ...b.functionColumns(),
    tree,
    funcInclusive: mean((p) => p.funcInclusive),
    funcSelfExact: mean((p) => p.funcSelfExact),
    events: first.events,
    eventIndex: first.eventIndex,
    parts: first.parts,
    partIndex: first.partIndex,
    warnings: {
      skippedLines: runs.reduce((s, p) => s + p.warnings.skippedLines, 0),
      examples: runs.flatMap((p) => p.warnings.examples.map((e) => `${p.name}: ${e}`)).slice(0, 20),
      incomplete: runs.flatMap((p) => (p.warnings.incomplete ?? []).map((e) => `${p.name} ${e}`)),
    },
    sampleWeight: runs.every((p) => p.sampleWeight !== undefined) ? weights.reduce((a, w) => a + w, 0) / R : undefined,
    runs: {
      names: runs.map((p) => p.name),
      self,
      selfSq,
      funcSelfExact,
      totals: Float64Array.from(runs, (p) => p.tree.total[0] ?? 0),
      sampleWeight: Float64Array.from(weights),
    },
  };
}
