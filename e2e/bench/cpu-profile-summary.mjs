// The hottest functions of a `node --cpu-prof` profile by self time, with the source
// module of functions from our bundle (its `// workers/...` module comments).
import { readFileSync } from 'node:fs';
import { moduleLines } from './trace-summary.mjs';

/** Where the parsers' work runs: under these functions of our bundle (async ones resume without their caller). */
export const PARSER_ROOTS = ['parseFolded', 'parseCallgrind', 'parseCpuprofile', 'forEachLine', 'readAll'];

/**
 * [{ name, where, selfMs, share, ours }] for the `top` heaviest functions by self time;
 * with `under`, only samples whose stack holds one of those functions of our bundle.
 */
export function hotFunctions(profilePath, bundlePath, top = 15, under = null) {
  const prof = JSON.parse(readFileSync(profilePath, 'utf8'));
  const modules = moduleLines(bundlePath) ?? [];
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inside = new Map();
  const isInside = (id) => {
    if (inside.has(id)) return inside.get(id);
    const cf = byId.get(id).callFrame;
    const p = parentOf.get(id);
    const v = (under.includes(cf.functionName) && cf.url.endsWith('worker-code.mjs')) || (p !== undefined && isInside(p));
    inside.set(id, v);
    return v;
  };
  const selfUs = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    if (under && !isInside(id)) continue;
    // A sample's weight is the time until the next one.
    const dt = prof.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
  }
  const agg = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    const ours = cf.url.endsWith('worker-code.mjs');
    const where = ours ? `${modules[cf.lineNumber] ?? '?'}` : cf.url ? cf.url.replace(/^.*\//, '') : '(native)';
    const key = `${cf.functionName || '(anonymous)'}\u0000${where}\u0000${ours ? cf.lineNumber : ''}`;
    const a = agg.get(key) ?? { name: cf.functionName || '(anonymous)', where, selfMs: 0, ours };
    a.selfMs += us / 1000;
    agg.set(key, a);
    total += us / 1000;
  }
  return [...agg.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top)
    .map((a) => ({ ...a, share: a.selfMs / total }));
}
