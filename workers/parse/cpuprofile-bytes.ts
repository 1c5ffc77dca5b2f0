// A .cpuprofile read straight from its bytes into columns: no string of the whole text, no
// object per node. This is what lets a profile of any size load (V8 stops strings at about
// 512 MB; JSON.parse's objects weigh several times the text) and why it is faster than
// TextDecoder + JSON.parse: most of the file is node objects whose keys repeat, and only the
// few thousand distinct names and urls are ever decoded.
//
// It reads the layout V8 writes ({"nodes":[{"id":1,"callFrame":{…},"children":[…]},…],
// "startTime":…,"samples":[…],"timeDeltas":[…]}, members in any order, any white space) and
// checks the JSON grammar as it goes, so what it accepts JSON.parse accepts, with the same
// values. Anything else it declines, with the reason and the byte: a value of an unexpected
// type, a key written twice, a legacy `head` tree, a trace, invalid JSON. The caller then reads
// the file with JSON.parse, whose result is the same where both apply (cpuprofile.test.ts
// checks every corpus file both ways), and which reports errors in full.
import { ByteInterner, hashBytes } from './byte-interner';
import { grownFloat64, grownInt32 } from '../../src/model/typed-arrays';

/** A profile's nodes and samples as columns, whoever read them. */
export interface CpuprofileColumns {
  nodeCount: number;
  id: Float64Array;
  /** The node's own `parent` id; NaN when it has none. */
  parentId: Float64Array;
  /** `hitCount` as written; NaN when absent. */
  hitCount: Float64Array;
  /** Children ids of node i: childId[childStart[i] … childStart[i + 1]). */
  childStart: Int32Array;
  childId: Float64Array;
  /** Index of the node's callFrame in the frame columns; -1 when it has none. */
  frame: Int32Array;
  frameCount: number;
  /** Ids into `strings` of callFrame.functionName and callFrame.url; -1 when absent. */
  frameName: Int32Array;
  frameUrl: Int32Array;
  /** callFrame.lineNumber and columnNumber (0-based, as V8 writes them); NaN when absent. */
  frameLine: Float64Array;
  frameColumn: Float64Array;
  strings: string[];
  /** Null when the member is absent or null. */
  samples: Float64Array | null;
  timeDeltas: Float64Array | null;
  /** NaN when absent or null. */
  startTime: number;
  endTime: number;
}

export type BytesRead = { ok: true; columns: CpuprofileColumns } | { ok: false; reason: string; byte: number };

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const MINUS = 45;
const D0 = 48;
const D9 = 57;

/** Thrown inside the reader when it declines; caught at its entry. */
class Decline {
  constructor(
    readonly reason: string,
    readonly byte: number,
  ) {}
}

// Keys the reader knows, by their bytes.
const enc = new TextEncoder();
const KEYS = ['nodes', 'samples', 'timeDeltas', 'startTime', 'endTime', 'id', 'callFrame', 'children', 'parent', 'hitCount', 'functionName', 'url', 'head', 'traceEvents', 'timestamps', 'lineNumber', 'columnNumber'];
const [K_NODES, K_SAMPLES, K_DELTAS, K_START, K_END, K_ID, K_FRAME, K_CHILDREN, K_PARENT, K_HITS, K_NAME, K_URL, K_HEAD, K_TRACE, K_STAMPS, K_LINE, K_COLUMN] = KEYS.map((_, i) => i);
const KEY_BYTES = KEYS.map((k) => enc.encode(k));
const UNKNOWN = -1;
const ID_KEY = enc.encode('"id":');
const NAME_KEY = enc.encode('"name"');
const TRACE_EVENTS_KEY = enc.encode('"traceEvents"');
/** The events chrome-trace.ts builds profiles from. */
const PROFILE_EVENTS = new Set(['thread_name', 'Profile', 'ProfileChunk', 'CpuProfile']);
/** A callFrame whose first '}' is inside a string: read member by member every time. */
const SPLIT_FRAME = -2;
const NO_KEYS: number[] = [];
const KEYS_BY_LENGTH: number[][] = [];
KEY_BYTES.forEach((b, k) => (KEYS_BY_LENGTH[b.length] ??= []).push(k));
for (let l = 0; l < KEYS_BY_LENGTH.length; l++) KEYS_BY_LENGTH[l] ??= NO_KEYS;

const utf8 = new TextDecoder('utf-8');
/** Nesting past this is declined (JSON.parse handles it, slowly, and real profiles never nest so deep). */
const MAX_SKIP_DEPTH = 512;

export type TraceRead = { ok: true; events: unknown[] } | { ok: false; reason: string; byte: number };

/**
 * A Chrome trace read from its bytes: every event is walked and checked, and only those a CPU
 * profile is made of (thread_name, Profile, ProfileChunk, CpuProfile) are handed to JSON.parse,
 * each on its own bytes. What chrome-trace.ts reads of a trace is in those events alone, so the
 * result is JSON.parse's of the whole file, without a string of it.
 */
export function readTraceBytes(buf: Uint8Array): TraceRead {
  try {
    return { ok: true, events: new Reader(buf).trace() };
  } catch (e) {
    if (e instanceof Decline) return { ok: false, reason: e.reason, byte: e.byte };
    throw e;
  }
}

export function readCpuprofileBytes(buf: Uint8Array): BytesRead {
  try {
    return { ok: true, columns: new Reader(buf).profile() };
  } catch (e) {
    if (e instanceof Decline) return { ok: false, reason: e.reason, byte: e.byte };
    throw e;
  }
}

class Reader {
  // The optimized code of this class's methods holds its hidden class weakly: with no instance
  // alive at a garbage collection, the class and that code are dropped, and the next file is read
  // by unoptimized code (twice as slow). One idle instance, kept for good, keeps them.
  static readonly keptAlive = new Reader(new Uint8Array(0));

  private i = 0;
  private readonly n: number;
  private readonly interner = new ByteInterner();
  private readonly strings: string[] = [];
  // Nodes of one function repeat its callFrame byte for byte: a callFrame's bytes up to its first
  // '}' are looked up whole, and only one never seen is read member by member.
  private readonly frames = new ByteInterner();
  /** Per interned callFrame: its index in the frame columns, or SPLIT_FRAME. */
  private memo = new Int32Array(1024);
  private frameCount = 0;
  private frameName = new Int32Array(1024);
  private frameUrl = new Int32Array(1024);
  private frameLine = new Float64Array(1024);
  private frameColumn = new Float64Array(1024);

  // Node columns, grown as nodes come.
  private count = 0;
  private id = new Float64Array(1024);
  private parentId = new Float64Array(1024);
  private hitCount = new Float64Array(1024);
  private frame = new Int32Array(1024);
  private childStart = new Int32Array(1025);
  private childId = new Float64Array(4096);
  private childCount = 0;

  constructor(private readonly buf: Uint8Array) {
    this.n = buf.length;
    // TextDecoder drops a byte-order mark, so JSON.parse never sees one.
    if (this.n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.i = 3;
  }

  profile(): CpuprofileColumns {
    let samples: Float64Array | null = null;
    let timeDeltas: Float64Array | null = null;
    let startTime = NaN;
    let endTime = NaN;
    let seen = 0;
    let sawNodes = false;
    this.ws();
    this.expect(LBRACE, 'the file is not one JSON object');
    this.ws();
    if (this.buf[this.i] === RBRACE) throw this.decline('the object is empty');
    for (;;) {
      const at = this.i;
      const key = this.key();
      if (key !== UNKNOWN) {
        if (seen & (1 << key)) throw new Decline(`"${KEYS[key]}" is written twice`, at);
        seen |= 1 << key;
      }
      switch (key) {
        case K_NODES:
          this.nodes();
          sawNodes = true;
          break;
        case K_SAMPLES:
          samples = this.numbers();
          break;
        case K_DELTAS:
          timeDeltas = this.numbers();
          break;
        case K_START:
          startTime = this.numberOrNull();
          break;
        case K_END:
          endTime = this.numberOrNull();
          break;
        case K_TRACE:
          throw new Decline('"traceEvents": the file is a trace', at);
        case K_HEAD:
        case K_STAMPS:
          throw new Decline(`"${KEYS[key]}" is the legacy layout (a nested tree, absolute timestamps)`, at);
        default:
          this.skipValue();
      }
      if (!this.next(RBRACE)) break;
    }
    this.ws();
    if (this.i !== this.n) throw this.decline('more follows the profile object');
    if (!sawNodes) throw new Decline('there is no "nodes" array', 0);
    this.childStart[this.count] = this.childCount;
    const c = this.count;
    return {
      nodeCount: c,
      id: this.id.subarray(0, c),
      parentId: this.parentId.subarray(0, c),
      hitCount: this.hitCount.subarray(0, c),
      childStart: this.childStart.subarray(0, c + 1),
      childId: this.childId.subarray(0, this.childCount),
      frame: this.frame.subarray(0, c),
      frameCount: this.frameCount,
      frameName: this.frameName.subarray(0, this.frameCount),
      frameUrl: this.frameUrl.subarray(0, this.frameCount),
      frameLine: this.frameLine.subarray(0, this.frameCount),
      frameColumn: this.frameColumn.subarray(0, this.frameCount),
      strings: this.strings,
      samples,
      timeDeltas,
      startTime,
      endTime,
    };
  }

  trace(): unknown[] {
    this.ws();
    const buf = this.buf;
    if (buf[this.i] === LBRACKET) {
      const events = this.events(true);
      this.ws();
      if (this.i !== this.n) throw this.decline('more follows the trace events');
      return events;
    }
    this.expect(LBRACE, 'the file is neither a JSON object nor an array');
    let events: unknown[] | null = null;
    this.ws();
    if (buf[this.i] !== RBRACE) {
      for (;;) {
        const at = this.i;
        if (this.keyIs(TRACE_EVENTS_KEY)) {
          if (events !== null) throw new Decline('"traceEvents" is written twice', at);
          events = this.events(false);
        } else this.skipValue();
        if (!this.next(RBRACE)) break;
      }
    } else this.i++;
    this.ws();
    if (this.i !== this.n) throw this.decline('more follows the trace object');
    if (events === null) throw new Decline('there is no "traceEvents" array', 0);
    return events;
  }

  /** The trace's events that make CPU profiles, parsed one by one. `open`: the array form, which may lack its closing bracket. */
  private events(open: boolean): unknown[] {
    const buf = this.buf;
    const out: unknown[] = [];
    this.ws();
    this.expect(LBRACKET, '"traceEvents" is not an array');
    this.ws();
    if (buf[this.i] === RBRACKET) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      // The Trace Event Format lets the array form end without its bracket, after a trailing comma or not.
      if (open && this.i === this.n) return out;
      const start = this.i;
      if (buf[start] === LBRACE ? this.eventMakesProfiles() : (this.skipValue(), false)) {
        out.push(JSON.parse(utf8.decode(buf.subarray(start, this.i))));
      }
      this.ws();
      if (open && this.i === this.n) return out;
      if (!this.next(RBRACKET)) return out;
    }
  }

  /** Walks one event object; true when its (last) "name" is one chrome-trace.ts reads. */
  private eventMakesProfiles(): boolean {
    const buf = this.buf;
    this.i++;
    this.ws();
    if (buf[this.i] === RBRACE) {
      this.i++;
      return false;
    }
    let wanted = false;
    for (;;) {
      if (this.keyIs(NAME_KEY)) {
        this.ws();
        if (buf[this.i] === QUOTE) wanted = PROFILE_EVENTS.has(this.strings[this.stringId()]);
        else {
          this.skipValue();
          wanted = false;
        }
      } else this.skipValue(1);
      if (!this.next(RBRACE)) return wanted;
    }
  }

  /** Reads a member's key and colon; true when the key is exactly `bytes` (quotes included). */
  private keyIs(bytes: Uint8Array): boolean {
    this.ws();
    const buf = this.buf;
    if (buf[this.i] !== QUOTE) throw this.decline('a key is expected');
    const s = this.i;
    let same = true;
    for (let j = 0; j < bytes.length; j++) {
      if (buf[s + j] !== bytes[j]) {
        same = false;
        break;
      }
    }
    if (same) this.i = s + bytes.length;
    else this.skipString();
    this.colon();
    return same;
  }

  private nodes(): void {
    this.ws();
    this.expect(LBRACKET, '"nodes" is not an array');
    this.ws();
    if (this.buf[this.i] === RBRACKET) {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      this.node();
      if (!this.next(RBRACKET)) return;
    }
  }

  private node(): void {
    const k = this.count;
    if (k + 1 >= this.id.length) {
      this.id = grownFloat64(this.id);
      this.parentId = grownFloat64(this.parentId);
      this.hitCount = grownFloat64(this.hitCount);
      this.frame = grownInt32(this.frame);
      this.childStart = grownInt32(this.childStart, this.id.length + 1);
    }
    this.count++;
    this.parentId[k] = NaN;
    this.hitCount[k] = NaN;
    this.frame[k] = -1;
    this.childStart[k] = this.childCount;
    const start = this.i;
    this.expect(LBRACE, 'a node is not an object');
    this.ws();
    if (this.buf[this.i] === RBRACE) throw this.decline('a node is empty');
    let seen = 0;
    // V8 writes "id" first: read it without the general key lookup.
    if (this.literalAt(ID_KEY)) {
      this.id[k] = this.number();
      seen = 1 << K_ID;
      if (!this.next(RBRACE)) return;
    }
    for (;;) {
      const at = this.i;
      const key = this.key();
      if (key !== UNKNOWN) {
        if (seen & (1 << key)) throw new Decline(`a node has "${KEYS[key]}" twice`, at);
        seen |= 1 << key;
      }
      switch (key) {
        case K_ID:
          this.id[k] = this.number();
          break;
        case K_FRAME:
          this.callFrame(k);
          break;
        case K_CHILDREN:
          this.children();
          break;
        case K_PARENT:
          this.parentId[k] = this.numberOrNull();
          break;
        case K_HITS:
          this.hitCount[k] = this.numberOrNull();
          break;
        default:
          this.skipValue();
      }
      if (!this.next(RBRACE)) break;
    }
    if (!(seen & (1 << K_ID))) throw new Decline('a node has no "id"', start);
  }

  private callFrame(k: number): void {
    this.ws();
    const buf = this.buf;
    const open = this.i;
    const brace = buf[open] === LBRACE ? buf.indexOf(RBRACE, open) : -1;
    if (brace > open) {
      const known = this.frames.size;
      // Hashed by its last 32 bytes (url, line and column end it in V8's files) and its length;
      // the interner compares every byte.
      const f = this.frames.internHashed(buf, open, brace + 1, hashBytes(buf, Math.max(open, brace - 31), brace + 1) ^ (brace - open));
      if (f < known && this.memo[f] !== SPLIT_FRAME) {
        this.frame[k] = this.memo[f];
        this.i = brace + 1;
        return;
      }
      const fr = this.frameMembers();
      this.frame[k] = fr;
      if (f < known) return;
      if (f === this.memo.length) this.memo = grownInt32(this.memo);
      // Only a callFrame that ends at that first brace is the same callFrame wherever its bytes recur.
      this.memo[f] = this.i === brace + 1 ? fr : SPLIT_FRAME;
      return;
    }
    this.frame[k] = this.frameMembers();
  }

  /** Reads a callFrame object into a new row of the frame columns; returns its index. */
  private frameMembers(): number {
    const fr = this.frameCount++;
    if (fr === this.frameName.length) {
      this.frameName = grownInt32(this.frameName);
      this.frameUrl = grownInt32(this.frameUrl);
      this.frameLine = grownFloat64(this.frameLine);
      this.frameColumn = grownFloat64(this.frameColumn);
    }
    this.frameName[fr] = -1;
    this.frameUrl[fr] = -1;
    this.frameLine[fr] = NaN;
    this.frameColumn[fr] = NaN;
    this.expect(LBRACE, 'a callFrame is not an object');
    this.ws();
    if (this.buf[this.i] === RBRACE) {
      this.i++;
      return fr;
    }
    let seen = 0;
    for (;;) {
      const at = this.i;
      const key = this.key();
      if (key === K_NAME || key === K_URL || key === K_LINE || key === K_COLUMN) {
        if (seen & (1 << key)) throw new Decline(`a callFrame has "${KEYS[key]}" twice`, at);
        seen |= 1 << key;
        if (key === K_LINE) this.frameLine[fr] = this.numberOrNull();
        else if (key === K_COLUMN) this.frameColumn[fr] = this.numberOrNull();
        else {
          this.ws();
          if (this.buf[this.i] !== QUOTE) throw this.decline(`a callFrame's ${KEYS[key]} is not a string`);
          const s = this.stringId();
          if (key === K_NAME) this.frameName[fr] = s;
          else this.frameUrl[fr] = s;
        }
      } else this.skipValue();
      if (!this.next(RBRACE)) return fr;
    }
  }

  private children(): void {
    this.ws();
    const buf = this.buf;
    if (buf[this.i] === 110) {
      this.literal('null');
      return;
    }
    this.expect(LBRACKET, '"children" is not an array');
    this.ws();
    if (buf[this.i] === RBRACKET) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.childCount === this.childId.length) this.childId = grownFloat64(this.childId);
      this.childId[this.childCount++] = this.number();
      if (!this.next(RBRACKET)) return;
    }
  }

  /** An array of numbers (or null: no array). */
  private numbers(): Float64Array | null {
    this.ws();
    const buf = this.buf;
    if (buf[this.i] === 110) {
      this.literal('null');
      return null;
    }
    this.expect(LBRACKET, 'an array of numbers is expected');
    let out = new Float64Array(1 << 14);
    let m = 0;
    this.ws();
    if (buf[this.i] === RBRACKET) {
      this.i++;
      return out.subarray(0, 0);
    }
    for (;;) {
      if (m === out.length) out = grownFloat64(out);
      out[m++] = this.number();
      if (!this.next(RBRACKET)) return out.subarray(0, m);
    }
  }

  private numberOrNull(): number {
    this.ws();
    if (this.buf[this.i] === 110) {
      this.literal('null');
      return NaN;
    }
    return this.number();
  }

  /** A JSON number, as JSON.parse reads it; anything else is declined. */
  private number(): number {
    this.ws();
    const buf = this.buf;
    const start = this.i;
    let i = start;
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    let c = buf[i];
    if (!(c >= D0 && c <= D9)) throw this.decline('a number is expected');
    let v = 0;
    const digits = i;
    if (c === D0) i++;
    else {
      while (c >= D0 && c <= D9) {
        v = v * 10 + (c - D0);
        c = buf[++i];
      }
    }
    c = buf[i];
    // Integers of up to 15 digits are exact as accumulated; anything longer, or with a
    // fraction or exponent, is converted by Number(), which rounds as JSON.parse does.
    if (c === 46 || c === 101 || c === 69 || i - digits > 15) {
      if (c === 46) {
        i++;
        if (!(buf[i] >= D0 && buf[i] <= D9)) throw this.decline('a number has no digits after its point');
        while (buf[i] >= D0 && buf[i] <= D9) i++;
      }
      if (buf[i] === 101 || buf[i] === 69) {
        i++;
        if (buf[i] === 43 || buf[i] === MINUS) i++;
        if (!(buf[i] >= D0 && buf[i] <= D9)) throw this.decline('a number has no digits in its exponent');
        while (buf[i] >= D0 && buf[i] <= D9) i++;
      }
      this.i = i;
      let text = '';
      for (let j = start; j < i; j++) text += String.fromCharCode(buf[j]);
      return Number(text);
    }
    this.i = i;
    return neg ? -v : v;
  }

  /** A string's id in `strings`: decoded the first time its bytes are seen. */
  private stringId(): number {
    const buf = this.buf;
    const open = this.i;
    // The first quote ends the string unless a backslash comes right before it; only then is the
    // string scanned for its escapes. A string's other bytes are checked when it is new: the same
    // bytes seen again were valid the first time.
    let i = buf.indexOf(QUOTE, open + 1);
    if (i < 0) throw new Decline('the file ends inside a string', this.n);
    let escaped = buf[i - 1] === BACKSLASH;
    if (escaped) {
      i = open + 1;
      for (;;) {
        const c = buf[i];
        if (c === QUOTE) break;
        if (c === undefined) throw new Decline('the file ends inside a string', this.n);
        i += c === BACKSLASH ? 2 : 1;
      }
      if (i >= this.n) throw new Decline('the file ends inside a string', this.n);
    }
    const s = open + 1;
    this.i = i + 1;
    const known = this.interner.size;
    const id = this.interner.internHashed(buf, s, i, hashBytes(buf, s, i));
    if (id === known) {
      for (let j = s; j < i; j++) {
        const c = buf[j];
        if (c < 32) throw new Decline('a string holds a control character', j);
        if (c === BACKSLASH) escaped = true;
      }
      if (!escaped) this.strings.push(utf8.decode(buf.subarray(s, i)));
      else {
        // Escapes are rare in names: JSON.parse decodes the string itself, and checks them.
        try {
          this.strings.push(JSON.parse(utf8.decode(buf.subarray(open, i + 1))) as string);
        } catch {
          throw new Decline('a string has an invalid escape', open);
        }
      }
    }
    return id;
  }

  /** A member's key and its colon: the key's index in KEYS, or UNKNOWN. */
  private key(): number {
    this.ws();
    const buf = this.buf;
    if (buf[this.i] !== QUOTE) throw this.decline('a key is expected');
    const s = this.i + 1;
    let i = s;
    while (buf[i] !== QUOTE) {
      const c = buf[i];
      if (c === BACKSLASH || c < 32 || c === undefined) {
        // Skipped as a string (an escaped key is never one this reader needs: its keys are plain).
        this.skipString();
        this.colon();
        return UNKNOWN;
      }
      i++;
    }
    this.i = i + 1;
    this.colon();
    const len = i - s;
    const candidates = len < KEYS_BY_LENGTH.length ? KEYS_BY_LENGTH[len] : NO_KEYS;
    for (let c = 0; c < candidates.length; c++) {
      const k = candidates[c];
      const kb = KEY_BYTES[k];
      let j = 0;
      while (j < len && kb[j] === buf[s + j]) j++;
      if (j === len) return k;
    }
    return UNKNOWN;
  }

  private colon(): void {
    this.ws();
    this.expect(COLON, 'a colon is expected after a key');
  }

  /** After a member or element: true at a comma (another follows), false at the closing bracket. */
  private next(close: number): boolean {
    this.ws();
    const c = this.buf[this.i];
    if (c === COMMA) {
      this.i++;
      return true;
    }
    if (c === close) {
      this.i++;
      return false;
    }
    throw this.decline(`"," or "${String.fromCharCode(close)}" is expected`);
  }

  /** Whether `bytes` come next (then read), with no white space before them. */
  private literalAt(bytes: Uint8Array): boolean {
    const buf = this.buf;
    const i = this.i;
    for (let j = 0; j < bytes.length; j++) if (buf[i + j] !== bytes[j]) return false;
    this.i = i + bytes.length;
    return true;
  }

  private expect(c: number, why: string): void {
    if (this.buf[this.i] !== c) throw this.decline(why);
    this.i++;
  }

  private literal(word: 'null' | 'true' | 'false'): void {
    const buf = this.buf;
    for (let k = 0; k < word.length; k++) if (buf[this.i + k] !== word.charCodeAt(k)) throw this.decline('an invalid literal');
    this.i += word.length;
  }

  private ws(): void {
    const buf = this.buf;
    let i = this.i;
    let c = buf[i];
    while (c === 32 || c === 10 || c === 13 || c === 9) c = buf[++i];
    this.i = i;
  }

  /** Any JSON value, checked as JSON.parse would check it, and dropped. */
  private skipValue(depth = 0): void {
    this.ws();
    const buf = this.buf;
    const c = buf[this.i];
    if (c === QUOTE) this.skipString();
    else if (c === LBRACE || c === LBRACKET) {
      if (depth > MAX_SKIP_DEPTH) throw this.decline('values nest too deep');
      const close = c === LBRACE ? RBRACE : RBRACKET;
      this.i++;
      this.ws();
      if (buf[this.i] === close) {
        this.i++;
        return;
      }
      for (;;) {
        if (close === RBRACE) {
          this.ws();
          if (buf[this.i] !== QUOTE) throw this.decline('a key is expected');
          this.skipString();
          this.colon();
        }
        this.skipValue(depth + 1);
        if (!this.next(close)) return;
      }
    } else if (c === 116) this.literal('true');
    else if (c === 102) this.literal('false');
    else if (c === 110) this.literal('null');
    else this.number();
  }

  private skipString(): void {
    const buf = this.buf;
    let i = this.i + 1;
    for (;;) {
      const c = buf[i];
      if (c === QUOTE) break;
      if (c === undefined) throw new Decline('the file ends inside a string', this.n);
      if (c < 32) throw new Decline('a string holds a control character', i);
      if (c === BACKSLASH) {
        const e = buf[i + 1];
        if (e === 117) {
          for (let k = 2; k < 6; k++) {
            const h = buf[i + k];
            if (!((h >= D0 && h <= D9) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) throw new Decline('a string has an invalid \\u escape', i);
          }
          i += 6;
          continue;
        }
        if (!(e === QUOTE || e === BACKSLASH || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) throw new Decline('a string has an invalid escape', i);
        i += 2;
        continue;
      }
      i++;
    }
    this.i = i + 1;
  }

  private decline(why: string): Decline {
    return new Decline(this.i >= this.n ? `the file ends early (${why})` : why, this.i);
  }
}
