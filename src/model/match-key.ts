// Two builds rarely name a frame identically: JIT names embed file:line:col,
// callgrind appends recursion levels ('2), perf writes raw addresses. Frames are
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
}

export const DEFAULT_MATCH_RULES: MatchRules = {
  stripLineCol: true,
  stripRecursionSuffix: true,
  stripAddresses: true,
  stripAnnotations: true,
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

/** The key a frame is matched on. `file` is part of the key when the format has one. */
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

export function encodeRules(r: MatchRules): string {
  return [r.stripLineCol, r.stripRecursionSuffix, r.stripAddresses, r.stripAnnotations].map((b) => (b ? '1' : '0')).join('');
}

export function decodeRules(s: string | null): MatchRules {
  if (!s || !/^[01]{4}$/.test(s)) return DEFAULT_MATCH_RULES;
  const b = [...s].map((c) => c === '1');
  return { stripLineCol: b[0], stripRecursionSuffix: b[1], stripAddresses: b[2], stripAnnotations: b[3] };
}
