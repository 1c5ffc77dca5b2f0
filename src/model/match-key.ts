// Two builds rarely name a frame identically: JIT names embed file:line:col,
// callgrind appends recursion levels ('2), perf writes raw addresses, and two
// checkouts put the same source file under different directories. Frames are
// matched across base and head on a normalised key; each rule can be switched off.

export interface MatchRules {
  /**
   * `fn /x/bench.js:22:19` and `fn /x/bench.js:23:19` are one function, and so are V8's tiers of it
   * in perf maps (`JS:*fn` optimised, `JS:^fn` baseline, `JS:~fn` interpreted).
   */
  stripLineCol: boolean;
  /** callgrind's recursion/context suffixes: `fib'2` and `fib'main` are `fib`. */
  stripRecursionSuffix: boolean;
  /** `0x0000000000109b04`, `[unknown]` and module+offset frames all become one placeholder. */
  stripAddresses: boolean;
  /** perf's `_[k]` (kernel) and `_[j]` (JIT) annotations. */
  stripAnnotations: boolean;
  /**
   * A file is matched on the shortest run of its trailing path components that names no other file of
   * base or head (`textstats.c`, `a/util.c`), after undoing a moved checkout (see fileKeys), instead of
   * its absolute path: base built in /build/base/ and head in /build/pr-1842/ still match.
   */
  relativePaths: boolean;
}

export const DEFAULT_MATCH_RULES: MatchRules = {
  stripLineCol: true,
  stripRecursionSuffix: true,
  stripAddresses: true,
  stripAnnotations: true,
  relativePaths: true,
};

const LINE_COL = /:\d+(?::\d+)?(?=\)?$)/;
const JIT_TIER = /^JS:[*~^]/;
// `fib'2` (recursion level) and `bcmp'_dl_fixup` (--separate-callers context);
// names with spaces or quotes inside (`<method 'read' of 'file' objects>`) are left alone.
const RECURSION_SUFFIX = /^([^'\s]+)(?:'[^'\s]+)+$/;
const ADDRESS = /^(?:0x[0-9a-fA-F]+|\[unknown\])$/;
const ANNOTATION = /_\[[kjiw]\]$/;

/** Between a key's name and file: readable in the export and in attributes, and no real frame name ends in it. */
export const KEY_FILE_SEPARATOR = ' @ ';

/**
 * The key a frame is matched on. `file` is part of the key when the format has one: the raw file, or
 * under `relativePaths` its key from fileKeys (which needs both sides' files, so the caller computes it).
 */
export function matchKey(name: string, file: string | null, rules: MatchRules = DEFAULT_MATCH_RULES): string {
  let n = name;
  if (rules.stripAnnotations) n = n.replace(ANNOTATION, '');
  if (rules.stripRecursionSuffix) n = n.replace(RECURSION_SUFFIX, '$1');
  if (rules.stripLineCol) n = n.replace(LINE_COL, '').replace(JIT_TIER, 'JS:');
  if (rules.stripAddresses && ADDRESS.test(n)) n = '[address]';
  return file ? `${n}${KEY_FILE_SEPARATOR}${file}` : n;
}

/** The key as a person reads it in a short place: the name alone. */
export function displayKey(key: string): string {
  const i = key.indexOf(KEY_FILE_SEPARATOR);
  return i < 0 ? key : key.slice(0, i);
}

// Rules in links by name, so a link keeps its meaning when rules are added: `match=` lists the
// rules that differ from the defaults, `-name` for one switched off, `name` for one switched on,
// separated by `.` (URLSearchParams leaves `.` and `-` as they are; a `,` would become %2C).
const RULE_NAMES: readonly (readonly [keyof MatchRules, string])[] = [
  ['stripLineCol', 'linecol'],
  ['stripRecursionSuffix', 'recursion'],
  ['stripAddresses', 'addresses'],
  ['stripAnnotations', 'annotations'],
  ['relativePaths', 'paths'],
];
/** Links written before rules had names: one bit per rule, in this order. */
const LEGACY_BITS: readonly (keyof MatchRules)[] = ['stripLineCol', 'stripRecursionSuffix', 'stripAddresses', 'stripAnnotations'];

/** The `match=` value for these rules: '' when they are the defaults, else e.g. `-linecol.-paths`. */
export function encodeRules(r: MatchRules): string {
  return RULE_NAMES.filter(([id]) => r[id] !== DEFAULT_MATCH_RULES[id])
    .map(([id, name]) => (r[id] ? name : `-${name}`))
    .join('.');
}

/**
 * Reads a `match=` value: named rules (`-linecol.-paths`; `,` and spaces separate too, so a
 * hand-written `-linecol,+paths` reads), or a legacy 4-bit `1110`. Unknown names are ignored
 * and rules not named keep their defaults.
 */
export function decodeRules(s: string | null): MatchRules {
  const rules = { ...DEFAULT_MATCH_RULES };
  if (!s) return rules;
  if (/^[01]{4}$/.test(s)) {
    LEGACY_BITS.forEach((id, i) => (rules[id] = s[i] === '1'));
    return rules;
  }
  for (const token of s.split(/[.,\s]+/)) {
    const on = !token.startsWith('-');
    const name = token.replace(/^[-+]/, '');
    const rule = RULE_NAMES.find(([, n]) => n === name);
    if (rule) rules[rule[0]] = on;
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Files across checkouts. A file is keyed on the shortest run of its trailing path components
// that no other file of base or head ends with; the same file on both sides counts once.
//
// That alone is not enough for a moved checkout: /build/base/src/x.c and /build/pr-1842/src/x.c
// are two paths, so `src/x.c` is not unique and the key would grow into the differing directory.
// So head's paths are first put back where base has them: pairs of a base-only and a head-only
// file that a trailing run names uniquely on each side propose "head's dir D is base's dir E",
// and a proposal is accepted, most-supported first, only if it is consistent with the ones
// accepted before, base has no file under D, head none under E, and it unmatches nothing (a
// directory that still exists on both sides did not move; that is what keeps a base-only
// src/a/util.c and a head-only src/b/util.c apart when src/a/ still has other files). The keys
// are then computed on base's paths and head's moved-back ones, so a moved checkout gives the
// keys it would have given unmoved. A longest-common-prefix of each side's files cannot do this:
// real files mix the project with /usr/include/…, /tmp/python-build…/ and relative glibc paths.

/** A file's path components ('' and '.' dropped), or null for what is not a path (`node:fs`). */
export function pathComponents(file: string): string[] | null {
  let rest = file;
  const url = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(file);
  if (url) rest = file.slice(url[0].length);
  // `node:fs`, `internal:…` name modules, not files; a one-letter scheme is a Windows drive (C:\…).
  else if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(file)) return null;
  const parts = rest.split(/[\\/]/).filter((c) => c !== '' && c !== '.');
  if (!parts.length) return null;
  return url ? parts.map(decodeComponent) : parts;
}

function decodeComponent(c: string): string {
  try {
    return decodeURIComponent(c);
  } catch {
    return c;
  }
}

/** Per raw file of each side, the file part of its match key. */
export interface FileKeys {
  base: Map<string, string>;
  head: Map<string, string>;
}

/** The file keys of one diff: they depend on both sides' files (see above). */
export function fileKeys(baseFiles: Iterable<string>, headFiles: Iterable<string>): FileKeys {
  // A path is its components joined by '/': Windows separators and file:// URLs read alike.
  const norm = (files: Iterable<string>) => {
    const out = new Map<string, string | null>();
    for (const f of files) if (!out.has(f)) out.set(f, pathComponents(f)?.join('/') ?? null);
    return out;
  };
  const base = norm(baseFiles);
  const head = norm(headFiles);
  const basePaths = new Set([...base.values()].filter((p): p is string => p !== null));
  const headPaths = new Set([...head.values()].filter((p): p is string => p !== null));
  const movedBack = undoMoves(basePaths, headPaths);
  const suffix = uniqueSuffixes(new Set([...basePaths, ...movedBack.values()]));
  const keys = (side: Map<string, string | null>, at: (p: string) => string) => {
    const out = new Map<string, string>();
    for (const [raw, p] of side) out.set(raw, p === null ? raw : suffix.get(at(p))!);
    return out;
  };
  return { base: keys(base, (p) => p), head: keys(head, (p) => movedBack.get(p)!) };
}

/** Per path, the shortest run of trailing components that no other path ends with (the whole path if none). */
function uniqueSuffixes(paths: Set<string>): Map<string, string> {
  const count = new Map<string, number>();
  for (const p of paths) for (const s of suffixes(p)) count.set(s, (count.get(s) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const p of paths) out.set(p, suffixes(p).find((s) => count.get(s) === 1) ?? p);
  return out;
}

/** `a/b/c` → [`c`, `b/c`, `a/b/c`]. */
function suffixes(p: string): string[] {
  const out: string[] = [];
  for (let i = p.lastIndexOf('/'); ; i = p.lastIndexOf('/', i - 1)) {
    out.push(p.slice(i + 1));
    if (i <= 0) break;
  }
  return out;
}

/** A checkout move, head's directory `from` is base's `to`; both are component prefixes ending in '/' ('' = everything). */
interface Move {
  from: string;
  to: string;
  /** Pairs of files that propose it. */
  support: number;
  /** The same move restricted to deeper directories, tried when this one is refused. */
  narrow?: Move;
}

/** Per head path, where base has it: head's paths with accepted moves undone. */
function undoMoves(base: Set<string>, head: Set<string>): Map<string, string> {
  const at = new Map([...head].map((p) => [p, p]));
  const baseDirs = dirCounts(base);
  // Each round matches at least one more pair, so this ends; the bound only caps pathological inputs.
  for (let round = 0; round < 32; round++) {
    const heads = new Set(at.values());
    const matched = [...heads].filter((p) => base.has(p));
    const pairs = pairBySuffix([...base].filter((p) => !heads.has(p)), [...heads].filter((p) => !base.has(p)));
    if (!pairs.length) break;
    const accepted = acceptMoves(proposeMoves(pairs), baseDirs, dirCounts(heads), dirCounts(matched));
    if (!accepted.length) break;
    for (const [p, q] of at) at.set(p, applyMoves(q, accepted));
  }
  return at;
}

/** Base-only and head-only files that one trailing run names uniquely on both sides. */
function pairBySuffix(onlyBase: string[], onlyHead: string[]): [string, string][] {
  const index = (paths: string[]) => {
    const m = new Map<string, { n: number; path: string }>();
    for (const p of paths) for (const s of suffixes(p)) {
      const e = m.get(s);
      if (e) e.n++;
      else m.set(s, { n: 1, path: p });
    }
    return m;
  };
  const b = index(onlyBase);
  const h = index(onlyHead);
  const pairs: [string, string][] = [];
  for (const p of onlyBase) {
    for (const s of suffixes(p)) {
      const nb = b.get(s)!.n;
      const hs = h.get(s);
      if (!hs) break;
      if (nb === 1 && hs.n === 1) {
        pairs.push([p, hs.path]);
        break;
      }
    }
  }
  return pairs;
}

/**
 * One move per way two paired files differ: the directories above their common trailing run, and
 * as a fallback the same extended by the directories of that run all its pairs share (when
 * /tmp/w/c/x.c ↔ /build/w/c/x.c cannot move all of /build/ to /tmp/, /build/w/c/ may still move).
 */
function proposeMoves(pairs: [string, string][]): Move[] {
  const groups = new Map<string, { from: string[]; to: string[]; shared: string[]; support: number }>();
  for (const [b, h] of pairs) {
    const bc = b.split('/');
    const hc = h.split('/');
    let common = 0;
    while (common < bc.length && common < hc.length && bc[bc.length - 1 - common] === hc[hc.length - 1 - common]) common++;
    const to = bc.slice(0, bc.length - common);
    const from = hc.slice(0, hc.length - common);
    const dirs = bc.slice(bc.length - common, bc.length - 1);
    const id = `${from.join('/')}\0${to.join('/')}`;
    const g = groups.get(id);
    if (!g) groups.set(id, { from, to, shared: dirs, support: 1 });
    else {
      g.support++;
      let k = 0;
      while (k < g.shared.length && k < dirs.length && g.shared[k] === dirs[k]) k++;
      g.shared.length = k;
    }
  }
  const dir = (c: string[]) => c.map((x) => `${x}/`).join('');
  return [...groups.values()].map((g) => {
    const broad: Move = { from: dir(g.from), to: dir(g.to), support: g.support };
    if (g.shared.length) broad.narrow = { from: dir([...g.from, ...g.shared]), to: dir([...g.to, ...g.shared]), support: g.support };
    return broad;
  });
}

/** Number of paths under each directory ('a/', 'a/b/'; '' holds all). */
function dirCounts(paths: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of paths) {
    out.set('', (out.get('') ?? 0) + 1);
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
      const d = p.slice(0, i + 1);
      out.set(d, (out.get(d) ?? 0) + 1);
    }
  }
  return out;
}

// A moved checkout proposes one move per moved directory tree (a handful: the project, a build
// directory, a toolchain); thousands of distinct proposals mean two unrelated file trees, and
// trying each against each would be quadratic. The best-supported ones are tried, each round.
const MAX_PROPOSALS = 64;

function acceptMoves(proposed: Move[], base: Map<string, number>, head: Map<string, number>, matched: Map<string, number>): Move[] {
  // No files under `dir` except those under `inner`, when `inner` lies inside it (a checkout nested in the other's).
  const onlyInside = (count: Map<string, number>, dir: string, inner: string) =>
    (count.get(dir) ?? 0) === (inner.startsWith(dir) ? (count.get(inner) ?? 0) : 0);
  const accepted: Move[] = [];
  proposed.sort((a, b) => b.support - a.support || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1));
  const acceptable = (m: Move) =>
    accepted.every((a) => compatible(a, m)) && onlyInside(base, m.from, m.to) && onlyInside(head, m.to, m.from) && !matched.get(m.from);
  for (const m of proposed.slice(0, MAX_PROPOSALS)) {
    const ok = [m, m.narrow].find((c) => c && acceptable(c));
    if (ok) accepted.push(ok);
  }
  return accepted;
}

/** Two moves agree on every path either one moves. */
function compatible(a: Move, b: Move): boolean {
  if (b.from.startsWith(a.from)) return b.to === a.to + b.from.slice(a.from.length);
  if (a.from.startsWith(b.from)) return a.to === b.to + a.from.slice(b.from.length);
  return !b.to.startsWith(a.to) && !a.to.startsWith(b.to);
}

function applyMoves(p: string, moves: Move[]): string {
  let best: Move | null = null;
  for (const m of moves) if (p.startsWith(m.from) && (!best || m.from.length > best.from.length)) best = m;
  return best ? best.to + p.slice(best.from.length) : p;
}
