// Where a JSON profile is wrong, as a byte and line of the file: the text's own syntax errors
// (from the engine's message, or found by a scan when it gives no position), and errors found
// afterwards in the parsed value, which has no positions, placed at the member they are about.
import { ParseError } from '../../src/model/profile';

// ---------------------------------------------------------------------------
// Errors found in the parsed value, placed in the text

/** Where an error about the parsed value points: the `nth` member named `key` (with this `value`, when given). */
export interface Anchor {
  key: string;
  value?: unknown;
  nth?: number;
}

const anchors = new WeakMap<ParseError, Anchor>();

/** A malformed profile, found after JSON.parse; parseCpuprofile adds the position of `anchor` in the text. */
export function invalid(message: string, anchor?: Anchor): ParseError {
  const e = new ParseError('cpuprofile', message);
  if (anchor) anchors.set(e, anchor);
  return e;
}

/** `e` with the byte and line of its anchor, or of the start of the document when the anchor is not found. */
export function placed(e: ParseError, bytes: Uint8Array): ParseError {
  const anchor = anchors.get(e);
  let byte = anchor ? findMember(bytes, anchor) : -1;
  if (byte < 0) {
    byte = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    while (byte < bytes.length && (bytes[byte] === 32 || bytes[byte] === 9 || bytes[byte] === 10 || bytes[byte] === 13)) byte++;
    if (byte === bytes.length) byte = 0;
  }
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < byte; i = bytes.indexOf(10, i + 1)) line++;
  return new ParseError('cpuprofile', e.message, { byte, line });
}

/** Byte offset of the opening quote of the anchor's member, or -1. A plain scan: keys are ASCII, and JSON escapes no plain key. */
function findMember(bytes: Uint8Array, { key, value, nth = 1 }: Anchor): number {
  const quoted = new TextEncoder().encode(`"${key}"`);
  const want = value === undefined ? null : new TextEncoder().encode(JSON.stringify(value) ?? '');
  const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
  let seen = 0;
  for (let at = bytes.indexOf(quoted[0]); at >= 0; at = bytes.indexOf(quoted[0], at + 1)) {
    let k = 0;
    while (k < quoted.length && bytes[at + k] === quoted[k]) k++;
    if (k < quoted.length) continue;
    let i = at + k;
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (bytes[i] !== 58) continue; // not followed by ':' — a string value, not a key
    i++;
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (want) {
      let j = 0;
      while (j < want.length && bytes[i + j] === want[j]) j++;
      // The whole value: 12 must not match 123.
      const after = bytes[i + j];
      if (j < want.length || (after !== undefined && after !== 44 && after !== 125 && after !== 93 && !isSpace(after))) continue;
    }
    if (++seen === nth) return at;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// JSON text

const utf8 = new TextDecoder('utf-8');

export function parseJson(bytes: Uint8Array): unknown {
  // TextDecoder drops a UTF-8 byte-order mark; positions in the text are then 3 bytes short.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Past V8's longest string, Chromium's decoder returns '' instead of throwing: the caller
  // checks the size against SizeLimits.jsonText first (size-limits.ts).
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    // Under the limit, yet the engine could not make the string (out of memory, a lower limit).
    throw new ParseError('cpuprofile', `the file is too large to read as one JSON text (${bytes.length} bytes): ${e instanceof Error ? e.message : String(e)}`, { byte: 0 });
  }
  if (text === '' && bytes.length > bom) {
    throw new ParseError('cpuprofile', `the browser could not make one string of this file's ${bytes.length} bytes (it gave back none): it is too large to read as one JSON text`, { byte: 0 });
  }
  if (text.trim() === '') {
    throw new ParseError('cpuprofile', text === '' ? 'the file is empty' : `the file is empty: its ${bytes.length} bytes are all white space`, { byte: 0, line: 1 });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // The Trace Event Format allows the array form without its closing bracket.
    const t = text.trimEnd();
    if (t.trimStart().startsWith('[') && !t.endsWith(']')) {
      try {
        return JSON.parse((t.endsWith(',') ? t.slice(0, -1) : t) + ']');
      } catch {
        // Report the original error.
      }
    }
    throw jsonError(e, text, bom, bytes);
  }
}

/** A ParseError at the position the engine reports (or, when it reports none, the first error we find). */
function jsonError(e: unknown, text: string, bom: number, bytes: Uint8Array): ParseError {
  const message = e instanceof Error ? e.message : String(e);
  let pos = -1;
  let m: RegExpExecArray | null;
  if ((m = /at position (\d+)/.exec(message))) pos = Number(m[1]); // V8
  else if ((m = /at line (\d+) column (\d+)/.exec(message))) pos = offsetOfLineColumn(text, Number(m[1]), Number(m[2])); // SpiderMonkey
  else if (/end of (JSON )?input|end of data/i.test(message)) pos = text.length;
  // JavaScriptCore and V8's "Unexpected token 'x', "…" is not valid JSON" give no position.
  if (pos < 0 || pos > text.length) pos = firstJsonError(text);
  const why = cleanJsonMessage(message);
  if (pos < 0) return new ParseError('cpuprofile', `invalid JSON: ${why}`, { byte: 0, line: 1 });
  let line = 1;
  const n = Math.min(pos, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < n; i = text.indexOf('\n', i + 1)) line++;
  // At the end, the file size is exact even when the cut split a UTF-8 sequence (decoded as U+FFFD).
  const byte = pos >= text.length ? bytes.length : byteOfUnit(bytes, bom, pos);
  const atEnd = /^\s*$/.test(text.slice(pos, pos + 64)) && pos + 64 >= text.length;
  return new ParseError(
    'cpuprofile',
    atEnd ? `the JSON ends too early: the file is truncated (${why})` : `invalid JSON: ${why}`,
    { byte, line },
  );
}

/**
 * Byte offset of the character holding UTF-16 unit `unit` of the text TextDecoder made
 * from bytes[start…]. Re-encoding the text would be wrong wherever the bytes are not
 * valid UTF-8: each broken sequence decodes as one U+FFFD (3 bytes re-encoded) whatever
 * its length, so this walks the bytes as the WHATWG decoder does.
 */
function byteOfUnit(bytes: Uint8Array, start: number, unit: number): number {
  let units = 0;
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    // Length of the sequence at i and how many of its bytes are well formed.
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    }
    let len = 1;
    let whole = need === 0 ? b < 0x80 : true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < lower || c > upper) {
        whole = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      len++;
    }
    // A broken sequence is one U+FFFD for its well-formed prefix (at least its first byte).
    const w = whole && need === 3 ? 2 : 1;
    if (units + w > unit) return i;
    units += w;
    i += len;
  }
  return bytes.length;
}

function cleanJsonMessage(message: string): string {
  return (
    message
      .replace(/^JSON(\.parse:| Parse error:)\s*/i, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at line \d+ column \d+ of the JSON data$/, '')
      .slice(0, 200) || 'syntax error'
  );
}

function offsetOfLineColumn(text: string, line: number, column: number): number {
  let i = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return -1;
    i = nl + 1;
  }
  return i + column - 1;
}

/**
 * Index of the first character that makes `text` invalid JSON (text.length when it
 * ends early), or -1 when it is valid. Only run after JSON.parse has failed, for
 * engines whose message has no position. Iterative: nesting depth is unbounded.
 */
function firstJsonError(s: string): number {
  const n = s.length;
  const stack: number[] = []; // 1 = object, 0 = array
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const digits = (): boolean => {
    const start = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    return i > start;
  };
  /** Scans a string starting at its quote; false at the first bad character (i stays on it). */
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        i++;
        if (i >= n) return false;
        const e = s[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n || !/[0-9a-fA-F]/.test(s[i])) return false;
          }
        } else if (!'"\\/bfnrt'.includes(e)) return false;
      }
      i++;
    }
    return false;
  };
  /** Scans a key and its colon; false at the first bad character. */
  const key = (): boolean => {
    ws();
    if (i >= n || s.charCodeAt(i) !== 34 || !string()) return false;
    ws();
    if (i >= n || s[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // A value.
    ws();
    if (i >= n) return n;
    const c = s[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (i < n && s[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c === '{' ? 1 : 0);
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (c === '"') {
      if (!string()) return i;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (i < n && s[i] === '0') i++;
      else if (!digits()) return i;
      if (i < n && s[i] === '.') {
        i++;
        if (!digits()) return i;
      }
      if (i < n && (s[i] === 'e' || s[i] === 'E')) {
        i++;
        if (i < n && (s[i] === '+' || s[i] === '-')) i++;
        if (!digits()) return i;
      }
    } else {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : '';
      if (!word) return i;
      for (let k = 0; k < word.length; k++, i++) if (i >= n || s[i] !== word[k]) return i;
    }
    // After a value: close containers or move to the next element.
    for (;;) {
      ws();
      if (stack.length === 0) return i < n ? i : -1;
      if (i >= n) return n;
      const top = stack[stack.length - 1];
      const d = s[i];
      if (d === ',') {
        i++;
        if (top === 1 && !key()) return i;
        break;
      }
      if (d === (top === 1 ? '}' : ']')) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}

