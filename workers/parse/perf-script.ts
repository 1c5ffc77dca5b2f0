// The text `perf script` prints after `perf record -g` (frame pointers) or `--call-graph dwarf`:
// https://man7.org/linux/man-pages/man1/perf-script.1.html (the default fields, unchanged by -F).
//
//     work  2253  2314.621210:    1001001 cpu-clock:
//     	            117d fill+0x14 (/tmp/base/work)
//     	            1309 crunch+0x32 (/tmp/base/work)
//     	           27249 __libc_start_call_main+0x79 (/usr/lib/x86_64-linux-gnu/libc.so.6)
//     <blank line>
//
// - a sample is a header line `comm pid[/tid] [cpu] time: [period] event: …` and then its
//   stack, one frame a line, each starting with a tab: `address symbol+0xoffset (dso)`,
//   innermost first (reversed here to root first); a blank line ends it. Without a call graph
//   the header itself ends with the sampled `address symbol+0xoffset (dso)`: a one-frame stack;
// - the stack is the one perf's own `perf script report stackcollapse` writes for the same
//   perf.data: the process name (comm, spaces as `_`) is the root frame, then the symbols, the
//   `+0x…` offset dropped, `;` inside a name written `:`, and `[unknown]` kept as it is. (Without a
//   call graph, that script writes the comm alone; here the sampled symbol follows it.)
// - a function is its symbol alone: the DSO is not in the key (a library's path differs between
//   machines and builds), and folded stacks from stackcollapse-perf.pl, which drop it too, match
//   a perf script of the same program frame for frame (but for stackcollapse-perf.pl's own
//   `[unknown]` → `[dso]` rewrite and its `_[k]` suffixes, which the match rules strip);
// - weights: each event of the file twice in Profile.events, `E (samples)`, one per sample (unit
//   'samples'), and `E (period)`, the sum of each sample's period (unit: nanoseconds for
//   cpu-clock and task-clock, else the event's own name). ParseOptions.event picks one, by default
//   the first event's samples; a file with several events (`-e a -e b`) is read one event at a time;
// - lines that are neither (perf's `--header` comments, `--show-*-events` records) are skipped and
//   counted; a file whose last line is a frame cut before its `(dso)` says it looks truncated.
//
// Read at byte-scan speed like folded.ts: no string per line, a symbol decoded once when first seen.

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { ByteInterner, hashBytes } from './byte-interner';
import { decodeUtf8, LineSplitter, type ByteChunks } from './lines';
import { grownInt32 } from '../../src/model/typed-arrays';

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DOT = 46;
const SLASH = 47;
const PLUS = 43;
const OPEN = 40;
const CLOSE = 41;
const LBRACKET = 91;
const RBRACKET = 93;

const HEADER = /^\s*\S.*?\s+\d+(?:\/\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:\s/;
const STACK_LINE = /^\t\s*[0-9a-fA-F]+\s+\S/;
const INLINE_FRAME = /:\s+[0-9a-fA-F]+\s+\S.*\(.*\)\s*$/;

/** A sample header first (after perf's `#` header comments), then a stack line, or a sampled frame on the header itself. */
export function sniffPerfScript(text: string): boolean {
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && (lines[i].trim() === '' || lines[i].startsWith('#'))) i++;
  if (i + 1 >= lines.length || !HEADER.test(lines[i])) return false;
  return STACK_LINE.test(lines[i + 1]) || (INLINE_FRAME.test(lines[i]) && HEADER.test(lines[i + 1]));
}

/** The unit of an event's period: perf's software clocks count nanoseconds; any other event counts itself. */
function periodUnit(event: string): string {
  const base = event.replace(/:[a-zA-Z]+$/, '');
  return base === 'cpu-clock' || base === 'task-clock' ? 'nanoseconds' : event;
}

export async function parsePerfScript(chunks: ByteChunks, name: string, options: ParseOptions = {}, onProgress?: (bytes: number) => void): Promise<Profile> {
  const reader = new PerfScriptReader(options.event ?? 0);
  const lines = new LineSplitter();
  for await (const chunk of chunks) {
    lines.push(chunk);
    while (lines.next()) reader.line(lines.buf, lines.start, lines.end, lines.line);
    onProgress?.(lines.consumed);
  }
  lines.close();
  while (lines.next()) reader.lastLine(lines.buf, lines.start, lines.end, lines.line);
  return reader.finish(name, options.event ?? 0);
}

class PerfScriptReader {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new PerfScriptReader(0);

  private readonly builder = new TreeBuilder(undefined, 'perf-script');
  private readonly symbols = new ByteInterner();
  private readonly comms = new ByteInterner();
  private readonly events = new ByteInterner();
  private readonly eventNames: string[] = [];
  // Interned symbol / comm id -> FuncIndex.
  private symbolFunc = new Int32Array(1024);
  /** The DSO of each function, from its first frame (perf script writes it after the symbol). */
  private readonly moduleOf: (string | undefined)[] = [];
  private commFunc = new Int32Array(64);
  private readonly event: number;
  private readonly byPeriod: boolean;

  // The sample being read: whether it counts (its event is the one read), its weight, its root
  // frame, and its frames so far, innermost first.
  private inSample = false;
  /** Samples ended by a blank line (perf script's own layout when it prints stacks). */
  private blankEnded = 0;
  private counts = false;
  private weight = 0;
  private comm = 0;
  private frames = new Int32Array(256);
  private depth = 0;
  private samples = 0;
  private weightSum = 0;
  private firstPeriod = NaN;
  private periodsDiffer = false;
  private noPeriodLine = 0;
  /** The line of the sample's header, where its period was read: a weight refused is refused there. */
  private headerLine = 0;

  constructor(option: number) {
    this.event = option >> 1;
    this.byPeriod = (option & 1) === 1;
  }

  line(buf: Uint8Array, start: number, end: number, line: number): void {
    if (start === end) {
      if (this.inSample) this.blankEnded++;
      this.endSample();
      return;
    }
    const c0 = buf[start];
    if (c0 === TAB) {
      if (!this.inSample) this.builder.skip(line, 'a stack line outside any sample');
      else if (this.counts && !this.frame(buf, start + 1, end)) this.builder.skip(line, 'not a frame (address symbol (dso))');
      return;
    }
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end) {
      if (this.inSample) this.blankEnded++;
      this.endSample();
      return;
    }
    if (buf[i] === HASH) {
      this.endSample();
      this.builder.skip(line, 'comment');
      return;
    }
    if (this.header(buf, i, end, line)) return;
    // A stack whose tabs became spaces (a copy through an editor or a web page).
    if (this.inSample && !this.counts) return;
    if (this.inSample && this.frame(buf, i, end)) return;
    this.builder.skip(line, 'not a sample header (comm pid time: event:)');
  }

  /** The last line, with no line break after it: a frame cut before its `(dso)` is where the file was cut. */
  lastLine(buf: Uint8Array, start: number, end: number, line: number): void {
    let e = end;
    while (e > start && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
    if (buf[start] === TAB && e > start && buf[e - 1] !== CLOSE) {
      const text = decodeUtf8(buf, start + 1, Math.min(e, start + 81)).trim();
      this.builder.incomplete(
        `looks truncated: its last line (line ${line.toLocaleString('en-US')}) is a frame cut before its "(dso)", with no line break, as where a copy or a download stopped mid-line: "${text}"`,
      );
      this.endSample();
      return;
    }
    this.line(buf, start, end, line);
    this.cutAfterStack();
    this.endSample();
  }

  /**
   * perf script ends every sample's stack with a blank line: a last sample without one, in a file
   * whose other samples have it, is where a copy or a download stopped between two lines, and its
   * stack may be missing its outer frames (a call path that never was).
   */
  private cutAfterStack(): void {
    if (!this.inSample || !this.counts || this.depth === 0 || this.blankEnded === 0) return;
    this.builder.incomplete(
      `looks truncated: its last sample (line ${this.headerLine.toLocaleString('en-US')}) ends without the blank line perf script writes after every stack, as where a copy or a download stopped; that stack may be cut`,
    );
  }

  /** `comm pid[/tid] [cpu] time: [period] event: [address symbol (dso)]`; false when the line is not one. */
  private header(buf: Uint8Array, start: number, end: number, line: number): boolean {
    // The time: the first `digits.digits:` after white space (a comm such as `kworker/0:1` has no dot).
    let colon = buf.indexOf(COLON, start);
    let timeStart = -1;
    while (colon >= 0 && colon < end) {
      let j = colon - 1;
      while (j >= start && isDigit(buf[j])) j--;
      if (j < colon - 1 && j > start && buf[j] === DOT) {
        let k = j - 1;
        while (k >= start && isDigit(buf[k])) k--;
        if (k < j - 1 && k > start && isSpace(buf[k])) {
          timeStart = k + 1;
          break;
        }
      }
      colon = buf.indexOf(COLON, colon + 1);
    }
    if (timeStart < 0 || colon >= end) return false;
    // Before it, from the right: an optional `[cpu]`, then `pid` or `pid/tid`, then the comm.
    let j = timeStart;
    while (j > start && isSpace(buf[j - 1])) j--;
    if (buf[j - 1] === RBRACKET) {
      let k = j - 1;
      while (k > start && buf[k] !== LBRACKET) k--;
      j = k;
      while (j > start && isSpace(buf[j - 1])) j--;
    }
    let k = j;
    while (k > start && (isDigit(buf[k - 1]) || buf[k - 1] === SLASH)) k--;
    if (k === j || k === start || !isSpace(buf[k - 1])) return false;
    let commEnd = k;
    while (commEnd > start && isSpace(buf[commEnd - 1])) commEnd--;
    // After it: an optional period, then the event, ending in ':'.
    let i = colon + 1;
    while (i < end && isSpace(buf[i])) i++;
    let period = NaN;
    let p = i;
    let v = 0;
    while (p < end && isDigit(buf[p])) v = v * 10 + (buf[p++] - 48);
    if (p > i && (p === end || isSpace(buf[p]))) {
      period = v;
      i = p;
      while (i < end && isSpace(buf[i])) i++;
    }
    let eventEnd = i;
    while (eventEnd < end && !isSpace(buf[eventEnd])) eventEnd++;
    const rest = eventEnd;
    if (eventEnd > i && buf[eventEnd - 1] === COLON) eventEnd--;

    this.endSample();
    const known = this.events.size;
    const event = this.events.internHashed(buf, i, eventEnd, hashBytes(buf, i, eventEnd));
    if (event === known) this.eventNames.push(decodeUtf8(buf, i, eventEnd));
    this.inSample = true;
    this.depth = 0;
    this.counts = event === this.event;
    if (!this.counts) return true;
    this.headerLine = line;
    if (this.byPeriod) {
      if (period !== period) {
        this.noPeriodLine = line;
        period = 0;
      }
      this.weight = period;
      if (this.firstPeriod !== this.firstPeriod) this.firstPeriod = period;
      else if (period !== this.firstPeriod) this.periodsDiffer = true;
    } else this.weight = 1;
    this.comm = this.commOf(buf, start, commEnd);
    // Without a call graph, the sampled frame follows the event.
    let f = rest;
    while (f < end && isSpace(buf[f])) f++;
    if (f < end) this.frame(buf, f, end);
    return true;
  }

  private commOf(buf: Uint8Array, start: number, end: number): number {
    const known = this.comms.size;
    const id = this.comms.internHashed(buf, start, end, hashBytes(buf, start, end));
    if (id === known) {
      if (id === this.commFunc.length) this.commFunc = grownInt32(this.commFunc);
      this.commFunc[id] = this.builder.funcIndex(decodeUtf8(buf, start, end).replace(/ /g, '_'));
    }
    return this.commFunc[id];
  }

  /** `address symbol[+0xoffset] (dso)` from `start` on; false when there is no address. */
  private frame(buf: Uint8Array, start: number, end: number): boolean {
    let i = start;
    while (i < end && isSpace(buf[i])) i++;
    const addr = i;
    while (i < end && isHex(buf[i])) i++;
    if (i === addr || (i < end && !isSpace(buf[i]))) return false;
    while (i < end && isSpace(buf[i])) i++;
    let e = end;
    while (e > i && isSpace(buf[e - 1])) e--;
    // The DSO: the parenthesised end of the line (it may hold parentheses: `(/x (deleted))`).
    let dso = 0;
    let dsoEnd = 0;
    if (e > i && buf[e - 1] === CLOSE) {
      let depth = 0;
      let k = e - 1;
      for (; k >= i; k--) {
        if (buf[k] === CLOSE) depth++;
        else if (buf[k] === OPEN && --depth === 0) break;
      }
      if (k >= i && (k === i || isSpace(buf[k - 1]))) {
        dso = k + 1;
        dsoEnd = e - 1;
        e = k;
        while (e > i && isSpace(buf[e - 1])) e--;
      }
    }
    // The offset: a last `+0x<hex>`.
    let h = e;
    while (h > i && isHex(buf[h - 1])) h--;
    if (h < e && h - 3 >= i && buf[h - 1] === 120 && buf[h - 2] === 48 && buf[h - 3] === PLUS) e = h - 3;
    const func = e > i ? this.symbolOf(buf, i, e) : this.unknown();
    // The DSO of a symbol's first frame: shown in the card, not part of the key.
    if (dso > 0 && this.moduleOf[func] === undefined) this.moduleOf[func] = decodeUtf8(buf, dso, dsoEnd);
    if (this.depth === this.frames.length) this.frames = grownInt32(this.frames);
    this.frames[this.depth++] = func;
    return true;
  }

  private symbolOf(buf: Uint8Array, start: number, end: number): number {
    const known = this.symbols.size;
    const id = this.symbols.internHashed(buf, start, end, hashBytes(buf, start, end));
    if (id === known) {
      if (id === this.symbolFunc.length) this.symbolFunc = grownInt32(this.symbolFunc);
      this.symbolFunc[id] = this.builder.funcIndex(decodeUtf8(buf, start, end).replace(/;/g, ':'));
    }
    return this.symbolFunc[id];
  }

  private unknown(): number {
    return this.builder.funcIndex('[unknown]');
  }

  private endSample(): void {
    if (!this.inSample) return;
    this.inSample = false;
    if (!this.counts) return;
    const b = this.builder;
    let node = b.child(0, this.comm);
    for (let k = this.depth - 1; k >= 0; k--) node = b.child(node, this.frames[k]);
    if (this.byPeriod) b.addSamples(node, 1, this.weight, this.headerLine);
    else b.addSelf(node, this.weight, this.headerLine);
    this.samples++;
    this.weightSum += this.weight;
  }

  finish(name: string, option: number): Profile {
    this.cutAfterStack();
    this.endSample();
    const names = this.eventNames;
    if (names.length === 0) throw new ParseError('perf-script', 'no sample header (comm pid time: event:) in the file: it holds no samples', { line: 1 });
    if (this.event >= names.length || option < 0 || !Number.isInteger(option)) {
      throw new ParseError('perf-script', `event ${option} does not exist: the file has ${names.length * 2} (${names.map((n) => `${n} (samples), ${n} (period)`).join(', ')})`, { line: 1 });
    }
    if (this.byPeriod && this.noPeriodLine > 0) {
      throw new ParseError('perf-script', `a sample of ${names[this.event]} has no period (perf script -F …,period prints it): read its samples instead`, { line: this.noPeriodLine });
    }
    const unit = this.byPeriod ? periodUnit(names[this.event]) : 'samples';
    const events = names.flatMap((n) => [`${n} (samples)`, `${n} (period)`]);
    const profile = this.builder.finish({ name, format: 'perf-script', unit, events });
    profile.eventIndex = option;
    profile.funcModule = modulesOf(profile, this.moduleOf);
    profile.sampleWeight = this.byPeriod ? (this.samples > 0 ? this.weightSum / this.samples : undefined) : 1;
    // Every period the same (cpu-clock at a fixed frequency): sampleWeight · self is the variance.
    if (!this.periodsDiffer) delete profile.tree.selfSq;
    return profile;
  }
}

/** Each function's DSO as a StringIndex of the profile (its strings grow by the DSOs' names). */
function modulesOf(p: Profile, moduleOf: (string | undefined)[]): Int32Array {
  const out = new Int32Array(p.funcName.length).fill(-1);
  const index = new Map<string, number>();
  for (let f = 0; f < out.length; f++) {
    const m = moduleOf[f];
    // `[unknown]` says nothing a reader could use.
    if (m === undefined || m === '' || m === 'unknown' || m === '[unknown]') continue;
    let s = index.get(m);
    if (s === undefined) {
      s = p.strings.length;
      p.strings.push(m);
      index.set(m, s);
    }
    out[f] = s;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}
