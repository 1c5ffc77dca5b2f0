// Which of two dropped files is base and which is head. Names decide first, because
// modification times of files copied from CI, or checked out together, say nothing.

export type PairingRule = 'name' | 'time' | 'order';

export interface Pairing<F> {
  base: F;
  head: F;
  rule: PairingRule;
  /** Files beyond the two compared (never dropped silently: the UI says so). */
  ignored: F[];
}

const BASE_WORDS = new Set(['base', 'baseline', 'before', 'old', 'main', 'master']);
const HEAD_WORDS = new Set(['head', 'after', 'new', 'pr', 'feature', 'patched']);

/** The words of a file name: split on `.`, `-`, `_`, spaces and brackets, a number at a word's end dropped (`head (1)`, `base1`, `pr1842`). */
function tokens(name: string): string[] {
  const file = name.split(/[\\/]/).pop() ?? name;
  return file
    .toLowerCase()
    .split(/[\s.\-_()[\]{},+]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
}

/** 'base' or 'head' when the name says exactly one of them, else null. */
export function sideNamed(name: string): 'base' | 'head' | null {
  const t = tokens(name);
  const base = t.some((w) => BASE_WORDS.has(w));
  const head = t.some((w) => HEAD_WORDS.has(w));
  return base === head ? null : base ? 'base' : 'head';
}

/**
 * Names decide when exactly one file says base and the other head, or (two files) when one says
 * its side and the other says neither; otherwise the older
 * file (by modification time) is base; otherwise the drop order. Beyond two files, the
 * pair is chosen among all by the same rules and the rest are returned as ignored.
 */
export function pairFiles<F extends { name: string; lastModified: number }>(files: F[]): Pairing<F> | null {
  if (files.length < 2) return null;
  const named = files.map((f) => sideNamed(f.name));
  const bases = files.filter((_, i) => named[i] === 'base');
  const heads = files.filter((_, i) => named[i] === 'head');
  if (bases.length === 1 && heads.length === 1) {
    return { base: bases[0], head: heads[0], rule: 'name', ignored: files.filter((f) => f !== bases[0] && f !== heads[0]) };
  }
  // Two files, one of which names its side and the other nothing (head.folded and x.folded): the name still decides.
  if (files.length === 2 && bases.length + heads.length === 1) {
    const [named1, other] = named[0] ? [files[0], files[1]] : [files[1], files[0]];
    return bases.length ? { base: named1, head: other, rule: 'name', ignored: [] } : { base: other, head: named1, rule: 'name', ignored: [] };
  }
  const [a, b] = files;
  const ignored = files.slice(2);
  if (a.lastModified !== b.lastModified) {
    const [base, head] = a.lastModified < b.lastModified ? [a, b] : [b, a];
    return { base, head, rule: 'time', ignored };
  }
  return { base: a, head: b, rule: 'order', ignored };
}

/** `base` and `head` are the file names. */
export function describePairing(p: { base: string; head: string; rule: PairingRule }): string {
  const why =
    p.rule === 'name'
      ? 'by their names'
      : p.rule === 'time'
        ? 'by modification time (the older file is base)'
        : 'by the order they were dropped (the names and times did not tell)';
  return `${p.base} is base and ${p.head} is head, ${why}.`;
}

/** What a drop of files means: one file for a side, a base/head pair, or several runs per side. */
export type DropPlan<F> =
  | { kind: 'one'; side: 'base' | 'head'; file: F }
  | { kind: 'pair'; pairing: Pairing<F> }
  | { kind: 'runs'; base: F[]; head: F[]; rule: 'name' | 'zone'; ignored: F[] };

/**
 * Several runs per side come in one drop: when every file's name says one side (`base-1…`,
 * `head-1…`), or when files named alike all say the same side, or when three or more say
 * neither (all are runs of the side dropped on). Two files that do not both name one side are
 * a pair, as always; in a mix of named and unnamed files, the unnamed are not read (and said so).
 */
export function planDrop<F extends { name: string; lastModified: number }>(files: F[], side: 'base' | 'head'): DropPlan<F> | null {
  if (files.length === 0) return null;
  if (files.length === 1) return { kind: 'one', side, file: files[0] };
  const named = files.map((f) => sideNamed(f.name));
  const bases = files.filter((_, i) => named[i] === 'base');
  const heads = files.filter((_, i) => named[i] === 'head');
  const unnamed = files.filter((_, i) => named[i] === null);
  const sameSide = unnamed.length === 0 && (bases.length === 0 || heads.length === 0);
  if (sameSide) return { kind: 'runs', base: bases, head: heads, rule: 'name', ignored: [] };
  if (files.length === 2) return { kind: 'pair', pairing: pairFiles(files)! };
  if (unnamed.length === files.length) return { kind: 'runs', base: side === 'base' ? files : [], head: side === 'head' ? files : [], rule: 'zone', ignored: [] };
  if (bases.length === 1 && heads.length === 1) return { kind: 'pair', pairing: pairFiles(files)! };
  return { kind: 'runs', base: bases, head: heads, rule: 'name', ignored: unnamed };
}
