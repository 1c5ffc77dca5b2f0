// Valgrind callgrind profiles (also cachegrind, xdebug, lsprofcalltree output).
// Format: https://valgrind.org/docs/manual/cl-format.html
//
// What a reader meets in real files (see ../shared/corpus/README.md):
// - name compression `fn=(12) name` / `fn=(12)`, with separate id spaces for files
//   (fl fi fe cfi cfl jfi), functions (fn cfn jfn frfn) and objects (ob cob); a name
//   may be defined on any line of its space, jump lines included, and ids stay valid
//   for the rest of the file (`--combine-dumps` appends parts without redefining);
// - `positions:` (default `line`; `instr line`, `instr`, `bb`): subpositions absolute,
//   hex `0x…`, relative `+N`/`-N`, or `*`. Only costs matter to a flame graph, so
//   subpositions are checked for syntax and otherwise ignored (this also settles what
//   the base of a relative one is: nothing here depends on it);
// - costs are columns in `events:` order; missing trailing columns are zero. A sign
//   on a cost (`-300`, seen in speedscope's hand-made fixture) is accepted, but costs
//   that add up below zero are refused, naming the first negative one, as are costs
//   past a double (1.8e308: they would make Infinity and NaN weights); a `*` in
//   a cost column is skipped with a warning and counts as 0, as callgrind_annotate does;
// - `fi=`/`fe=` switch the source file of inlined code inside the same function;
//   a function's file is the file current at its `fn=` line (normally `fl=`; files
//   from lsprofcalltree set it with `fi=` and never write `fl=`);
// - `cob=`/`cfi=`/`cfl=` apply to the next `calls=` only (an empty `cfl=` clears
//   them); the callee's file defaults to the current file, as callgrind writes it;
//   `cfn=` names the callee of the following `calls=` (callgrind writes one per call;
//   a second `calls=` without one calls the same function again, as in KCachegrind);
// - `calls=N target` is followed by the call's cost line, which holds the INCLUSIVE
//   cost of the calls. `calls=0` (a call still running when the previous part was
//   dumped) carries cost too;
// - `jump=`/`jcnd=` lines carry no cost; the position line after them has none either;
// - several parts (`part:`, `thread:`, `pid:` or a new `events:` after a body) in one
//   file: summed by default, or one of them (ParseOptions.part);
// - `event: Name = 2 Ir + Dr` defines a derived event, listed after the raw ones.
//
// Incomplete files. Valgrind's callgrind (`creator: callgrind-<version>`; the corpus has 0.10.1,
// 3.3, 3.5, 3.7, 3.13 and 3.19, and all of them do this; see close_dumpfile() in callgrind/dump.c)
// writes each dump as a header with `summary:` (the cost since the previous dump, for all
// threads), the body, then `totals:` (the sum of the body's cost lines, calls' inclusive costs
// not included) as the dump's last line, always followed by a line break;
// `--combine-dumps` appends dumps as parts of one file, `--dump-every-bb` and client requests
// make more of them. So, in a file callgrind wrote: a dump without its totals: line, or a last
// line without a line break, is a file cut short; costs that fall short of the totals: line
// by more than 1% are a body with lines missing. Either way the file still loads, with a
// sentence in warnings.incomplete that gives both figures. The summary: line is only a
// figure for the sentence when totals: is missing, and only when it is not 0: it can differ
// from totals by a few events (249,979,996 against 249,979,994 Ir with --cache-sim=yes) and
// is 0 in gprof2dot's googlecode-issue34 (callgrind 3.5, a dump on client request). Other writers
// (xdebug, lsprofcalltree) write neither line reliably, and nothing is checked for them.
// In a file cut mid-line, that last line is left out: its last number may be cut too.
//
// Exactness: per-function self cost (funcSelfExact) is the plain sum of the cost
// lines, for the selected event and parts. funcInclusive follows callgrind_annotate
// --inclusive=yes: the cost its callers paid for the calls to it (or, for a function
// nobody calls, its self plus its calls), except that a function's calls to itself are
// not added: they are already inside its callers' figure, and callgrind_annotate counts
// them twice (msort'2 at 99 M Ir under a qsort of 16 M). Mutual recursion that
// callgrind did not separate (f→g→f) cannot be told apart in a call graph: there both
// count each nested call once more, as callgrind_annotate does.
//
// From call graph to call tree (the flame graph's assumption). A call graph does not
// determine a call tree: when backup() is called from start() and end() and calls
// read() and write(), the graph cannot say which caller led to which callee. We
// assume, like speedscope, that every call of a function spends its time in the same
// proportions: a node of f weighing w gives its own self and each callee g the shares
// self(f)/D(f) and cost(f→g)/D(f) of w, where D(f) = self(f) + Σ_{g≠f} cost(f→g)
// (a call's cost is the inclusive cost callgrind wrote for it). The roots are the
// functions whose cost exceeds what their callers paid for them,
// root(f) = self(f) + Σ cost(f→g) − Σ cost(h→f), which add up to the file's total.
//
// Recursion is merged, not unrolled: a call to a function already on the node's path
// (f→f, or f→g→f) adds its weight back to that ancestor node, which hands it out again
// in the same proportions. Such a flow leaks out of every cycle, so the weight settles
// (a node is expanded at most MAX_EXPANSIONS times; what still comes back after that
// is spread over its subtree like the rest). Merged this way, with no other cut, each
// function's self summed over the tree would equal its exact self (it is the expected
// time of a Markov chain whose visits are D), and stacks never repeat a function
// within a cycle, so CPython's eval-loop recursion stays a few dozen frames deep.
//
// Bounds (the expansion is iterative, heaviest pending node first): a callee whose
// share would be under MIN_SHARE of the total stays in its caller's self (callgrind
// profiles of interpreters have hundreds of thousands of such light paths: this moves
// a few % of CPython's cost into callers, under 0.01% in the C programs we test);
// nodes MAX_DEPTH deep are not expanded; once MAX_NODES exist no node is created and
// the weight stays as self where it is. Weights are split by cumulative rounding, so
// integer costs give integer nodes and the root total equals the file's total
// exactly. Negative costs (hand-made files only) get no share; if the roots then do
// not add up to the total, the total is spread over them in proportion.

import { ParseError, type Profile, type ParseOptions } from '../../src/model/profile';
import { TreeBuilder } from '../../src/model/tree-builder';
import { formatNumber } from '../../src/model/format-number';
import { ByteInterner } from './byte-interner';
import { decodeUtf8, LineSplitter, type ByteChunks } from './lines';
import { grownFloat64, grownInt32 } from '../../src/model/typed-arrays';

/** Nodes lighter than this share of the total are not expanded (1 ppm: far below a pixel even zoomed in 100×). */
const MIN_SHARE = 1e-6;
/** Deeper nodes are not expanded (a safety net: merged recursion keeps real trees far shallower). */
const MAX_DEPTH = 1024;
/** The tree stops growing here (CPython's 1.5 MB profile needs ~34k nodes; tsc's cpuprofile has ~33k). */
const MAX_NODES = 200_000;
/**
 * Weight re-entering a node (recursion) expands it again; past this many expansions the
 * rest is spread like the first ones (a cycle without an exit would go on for ever).
 */
const MAX_EXPANSIONS = 64;
/**
 * Costs read this far below a dump's totals: line mean lines are missing. A complete file
 * matches it exactly (callgrind writes totals: as the sum of the cost lines); 1% leaves room
 * for nothing but a real loss.
 */
const INCOMPLETE_SHORTFALL = 0.01;

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const D0 = 48;
const D9 = 57;
const COLON = 58;
const EQ = 61;
const LOWER_X = 120;

const NONE = -1;

/** Packs a key of up to 6 ASCII letters into a number, to switch on keys without making strings. */
function pack(s: string): number {
  if (s.length > 6) return LONG_KEYS.indexOf(s) - LONG_KEYS.length;
  let k = 0;
  for (let i = 0, mul = 1; i < s.length; i++, mul *= 256) k += s.charCodeAt(i) * mul;
  return k;
}
/** Longer keys (header lines only, so rare) are looked up by text; they pack to negative numbers. */
const LONG_KEYS = ['version', 'creator', 'summary', 'positions'];
const K_FN = pack('fn');
const K_FL = pack('fl');
const K_FI = pack('fi');
const K_FE = pack('fe');
const K_OB = pack('ob');
const K_COB = pack('cob');
const K_CFI = pack('cfi');
const K_CFL = pack('cfl');
const K_CFN = pack('cfn');
const K_CALLS = pack('calls');
const K_RCALLS = pack('rcalls');
const K_JUMP = pack('jump');
const K_JCND = pack('jcnd');
const K_JFI = pack('jfi');
const K_JFN = pack('jfn');
const K_FRFN = pack('frfn');
const K_EVENTS = pack('events');
const K_EVENT = pack('event');
const K_POSITIONS = pack('positions');
const K_PART = pack('part');
const K_THREAD = pack('thread');
const K_PID = pack('pid');
const K_VERSION = pack('version');
const K_CREATOR = pack('creator');
const K_CMD = pack('cmd');
const K_DESC = pack('desc');
const K_SUMMARY = pack('summary');
const K_TOTALS = pack('totals');

/** Content sniffing on the first ~4 KB: the header lines callgrind and its imitators write. */
export function sniffCallgrind(text: string): boolean {
  if (/^\uFEFF?# callgrind format/.test(text)) return true;
  if (/^creator:\s*callgrind/m.test(text)) return true;
  const events = /^events:[ \t]*\S/m.test(text);
  if (!events) return false;
  return /^(fn|fl|fi|ob)=/m.test(text) || /^(creator|positions|version|summary|cmd|part):/m.test(text);
}

export async function parseCallgrind(
  chunks: ByteChunks,
  name: string,
  options: ParseOptions = {},
  onProgress?: (bytes: number) => void,
): Promise<Profile> {
  const reader = new CallgrindReader(options);
  const lines = new LineSplitter();
  for await (const chunk of chunks) {
    lines.push(chunk);
    while (lines.next()) reader.line(lines.buf, lines.start, lines.end, lines.line);
    onProgress?.(lines.consumed);
  }
  lines.close();
  // After close, next() yields only the text after the last line break: a line nothing ended.
  while (lines.next()) reader.lastLine(lines.buf, lines.start, lines.end, lines.line);
  return reader.finish(name, lines.line);
}

interface Part {
  number: string | null;
  thread: string | null;
}

/** One dump as callgrind wrote it: its header's summary:, the costs read, its totals: line. */
interface Dump {
  /** Index into the reader's parts. */
  part: number;
  /** Self cost lines of the selected event, summed; calls' inclusive costs are not in totals:. */
  read: number;
  summary: string | null;
  /** The totals: line's costs; null when the file ends before it. */
  totals: string | null;
}

interface DerivedEvent {
  name: string;
  formula: string;
  line: number;
}

class CallgrindReader {
  private readonly selectedEvent: number;
  private readonly selectedPart: number;
  private readonly builder = new TreeBuilder(undefined, 'callgrind');

  // Names: a compressed definition is decoded once; a plain name is interned by its
  // bytes, so uncompressed files do not decode it on every line.
  private readonly interner = new ByteInterner();
  private readonly internedSid: number[] = [];
  private readonly strings: string[] = [];
  private readonly fileIds = new IdTable();
  private readonly fnIds = new IdTable();
  private readonly obIds = new IdTable();

  // Functions, keyed by (name string id, file string id). The same name may be defined
  // under several ids: such functions are merged by their text in finish().
  private readonly funcKey = new IntPairMap();
  private funcNameSid: number[] = [];
  private funcFileSid: number[] = [];
  private self = new Float64Array(1024);
  /** Functions with a cost or call line in a selected part; the others (names defined up front, other parts) are left out. */
  private used = new Uint8Array(1024);

  // Call edges, keyed by (caller, callee).
  private readonly edgeKey = new IntPairMap();
  private edgeFrom = new Int32Array(1024);
  private edgeTo = new Int32Array(1024);
  private edgeCost = new Float64Array(1024);
  private edgeCount = 0;

  // Header state.
  private rawEvents: string[] | null = null;
  private derived: DerivedEvent[] = [];
  private readonly derivedNames = new Set<string>();
  private eventNames: string[] = [];
  /** Coefficient of each raw column in the selected event; resolved at the first cost line. */
  private coef: Float64Array | null = null;
  /** The selected raw column, or -1 when the selected event is derived. */
  private column = 0;
  private positions = 1;
  private readonly parts: Part[] = [{ number: null, thread: null }];
  private partHasEvents = false;
  private partHasBody = false;
  private active = true;
  private sawContent = false;
  private sawEvents = false;
  /** Line of the events: line, where an event the options ask for is missing. */
  private eventsLine = 0;
  /** `creator: callgrind-…`: valgrind wrote it, so it ends each dump with totals: (see the top of this file). */
  private byCallgrind = false;
  /** The first line is "# callgrind format", which callgrind (3.x) and few others write. */
  private formatLine = false;
  private readonly dumps: Dump[] = [];
  /** The dump being read: a line has come since the last totals:. */
  private dumpOpen = false;
  private dumpRead = 0;
  private dumpSummary: string | null = null;
  /** The last line, when it had no line break and was left out (a file callgrind wrote, cut mid-line). */
  private cutLine = 0;
  private cutText = '';

  // Body state.
  private fn = NONE;
  private flFile = NONE;
  private curFile = NONE;
  /** A file named by fl=/fi=/fe= that no cost line has used yet: it is the next fn='s file. */
  private pendingFile = NONE;
  private calleeName = NONE;
  private calleeFile = NONE;
  /** Edge of the pending `calls=` line (or -2 for a call in an unselected part), else NONE. */
  private callEdge = NONE;
  private callLine = 0;
  private total = 0;
  /** The first line with a negative self cost: named when the costs add up below zero. */
  private firstNegativeLine = 0;
  private integral = true;

  constructor(options: ParseOptions) {
    this.selectedEvent = options.event ?? 0;
    this.selectedPart = options.part ?? -1;
    this.active = this.selectedPart < 0 || this.selectedPart === 0;
  }

  line(buf: Uint8Array, start: number, end: number, line: number): void {
    if (line === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
    if (start === end) return;
    const c = buf[start];
    if (c === HASH) {
      if (line === 1 && decodeUtf8(buf, start, end).trimEnd() === '# callgrind format') this.formatLine = true;
      return;
    }
    this.dumpOpen = true;
    if ((c >= D0 && c <= D9) || c === PLUS || c === MINUS || c === STAR) {
      this.costLine(buf, start, end, line);
      return;
    }
    if (this.callEdge !== NONE) {
      throw new ParseError('callgrind', `calls= on line ${this.callLine} must be followed by its cost line`, { line });
    }
    // key= or key: — keys are ASCII letters.
    let i = start;
    let k = 0;
    let mul = 1;
    while (i < end) {
      const b = buf[i];
      if (!((b >= 97 && b <= 122) || (b >= 65 && b <= 90))) break;
      if (i - start < 6) k += b * mul;
      mul *= 256;
      i++;
    }
    if (i - start > 6) k = pack(decodeUtf8(buf, start, i));
    const sep = i < end ? buf[i] : 0;
    if (i === start || (sep !== EQ && sep !== COLON)) {
      this.sawContent = true;
      this.builder.skip(line, `not a callgrind line: "${preview(buf, start, end)}"`);
      return;
    }
    this.sawContent = true;
    const v = i + 1;
    if (sep === EQ) this.spec(k, buf, start, v, end, line);
    else this.header(k, buf, start, v, end, line);
  }

  /**
   * The file's last line, when no line break follows it. Callgrind ends every line with one,
   * so in a file it wrote this is a cut: the line is left out (its last number may be cut
   * short too), except a totals: line, whose figure only matters if the costs fall short of it.
   */
  lastLine(buf: Uint8Array, start: number, end: number, line: number): void {
    let s = start;
    while (s < end && (buf[s] === SPACE || buf[s] === TAB)) s++;
    const isTotals = end - s >= 7 && decodeUtf8(buf, s, s + 7) === 'totals:';
    if (!this.byCallgrind || isTotals || s === end) {
      try {
        this.line(buf, start, end, line);
      } catch (e) {
        // Another writer's file may end without a line break; a last line that does not parse may also be a cut.
        if (!(e instanceof ParseError) || e.line !== line) throw e;
        throw new ParseError('callgrind', `${e.message}, on the last line, which no line break ends: the file may be cut short there`, { line });
      }
      return;
    }
    this.cutLine = line;
    this.cutText = preview(buf, s, end);
    this.dumpOpen = true;
    // Counted like any line not read, as the folded parser counts its cut last line.
    this.builder.skip(line, `the file ends in this line, which is left out: "${this.cutText}"`);
  }

  private spec(k: number, buf: Uint8Array, start: number, v: number, end: number, line: number): void {
    this.markBody();
    switch (k) {
      case K_FN: {
        const sid = this.name(this.fnIds, 'function', buf, v, end, line);
        const file = this.pendingFile !== NONE ? this.pendingFile : this.flFile !== NONE ? this.flFile : this.curFile;
        this.fn = this.func(sid, file);
        this.curFile = file;
        this.pendingFile = NONE;
        return;
      }
      case K_CFN:
        this.calleeName = this.name(this.fnIds, 'function', buf, v, end, line);
        return;
      case K_CALLS:
      case K_RCALLS:
        this.calls(buf, v, end, line);
        return;
      case K_FL: {
        const sid = this.fileName(buf, v, end, line);
        this.flFile = sid;
        this.curFile = sid;
        this.pendingFile = sid;
        return;
      }
      case K_FI:
      case K_FE: {
        const sid = this.fileName(buf, v, end, line);
        this.curFile = sid;
        this.pendingFile = sid;
        return;
      }
      case K_CFI:
      case K_CFL:
        this.calleeFile = this.fileName(buf, v, end, line);
        return;
      case K_OB:
      case K_COB:
        this.name(this.obIds, 'object', buf, v, end, line);
        return;
      case K_JFI:
        this.fileName(buf, v, end, line);
        return;
      case K_JFN:
      case K_FRFN:
        this.name(this.fnIds, 'function', buf, v, end, line);
        return;
      case K_JUMP:
      case K_JCND:
        return;
      default:
        this.builder.skip(line, `unknown line "${preview(buf, start, end)}"`);
    }
  }

  private header(k: number, buf: Uint8Array, start: number, v: number, end: number, line: number): void {
    switch (k) {
      case K_EVENTS: {
        this.maybeNewPart();
        const names = decodeUtf8(buf, v, end).trim().split(/\s+/).filter((s) => s !== '');
        if (names.length === 0) throw new ParseError('callgrind', 'the events: line names no event', { line });
        if (this.rawEvents && names.join(' ') !== this.rawEvents.join(' ')) {
          throw new ParseError('callgrind', `this part's events (${names.join(' ')}) differ from the first part's (${this.rawEvents.join(' ')})`, {
            line,
          });
        }
        this.rawEvents = names;
        this.partHasEvents = true;
        this.sawEvents = true;
        this.eventsLine = line;
        return;
      }
      case K_POSITIONS: {
        this.maybeNewPart();
        const kinds = decodeUtf8(buf, v, end).trim().split(/\s+/).filter((s) => s !== '');
        for (const kind of kinds) {
          if (kind !== 'instr' && kind !== 'line' && kind !== 'bb') throw new ParseError('callgrind', `unknown position kind "${kind}"`, { line });
        }
        this.positions = kinds.length;
        return;
      }
      case K_PART:
        this.maybeNewPart();
        this.parts[this.parts.length - 1].number = decodeUtf8(buf, v, end).trim();
        return;
      case K_THREAD:
        this.maybeNewPart();
        this.parts[this.parts.length - 1].thread = decodeUtf8(buf, v, end).trim();
        return;
      case K_PID:
        this.maybeNewPart();
        return;
      case K_EVENT:
        this.eventLine(decodeUtf8(buf, v, end), line);
        return;
      case K_VERSION: {
        const version = parseInt(decodeUtf8(buf, v, end).trim(), 10);
        if (version >= 2) throw new ParseError('callgrind', `format version ${version} is not supported (only 1)`, { line });
        return;
      }
      case K_CREATOR:
        // "callgrind-3.19.0", "callgrind-3.3.0-Debian", "callgrind-0.10.1"; not xdebug's "xdebug 3.0.2 (PHP 7.4.14)".
        if (/^callgrind-\d/.test(decodeUtf8(buf, v, end).trim())) this.byCallgrind = true;
        return;
      case K_SUMMARY:
        this.dumpSummary = decodeUtf8(buf, v, end);
        return;
      case K_TOTALS:
        this.dumps.push({ part: this.parts.length - 1, read: this.dumpRead, summary: this.dumpSummary, totals: decodeUtf8(buf, v, end) });
        this.dumpOpen = false;
        this.dumpRead = 0;
        this.dumpSummary = null;
        return;
      case K_CMD:
      case K_DESC:
        return;
      default:
        this.builder.skip(line, `unknown header "${preview(buf, start, end)}"`);
    }
  }

  /** `event: Name [= formula] [: long name]`. Only a formula matters here. */
  private eventLine(text: string, line: number): void {
    const m = /^\s*([^\s=:]+)\s*(?:=([^:]*))?/.exec(text);
    if (!m) {
      this.builder.skip(line, 'event: line without a name');
      return;
    }
    if (m[2] === undefined) return;
    // A set, not a search of the list: a file can hold a million event: lines.
    if (this.derivedNames.has(m[1])) return;
    this.derivedNames.add(m[1]);
    this.derived.push({ name: m[1], formula: m[2].trim(), line });
  }

  /** A new part starts at part:/thread:/pid:/positions:/events: once the current one has a body. */
  private maybeNewPart(): void {
    if (!this.partHasEvents || !this.partHasBody) return;
    this.parts.push({ number: null, thread: null });
    this.partHasEvents = false;
    this.partHasBody = false;
    this.active = this.selectedPart < 0 || this.selectedPart === this.parts.length - 1;
    // The function context does not carry over; name ids and positions: do (a part
    // without its own positions: line reads like the previous one, as in KCachegrind).
    this.fn = NONE;
    this.flFile = NONE;
    this.curFile = NONE;
    this.pendingFile = NONE;
    this.calleeName = NONE;
    this.calleeFile = NONE;
  }

  private markBody(): void {
    if (this.partHasEvents) this.partHasBody = true;
  }

  /** Resolves the selected event into column coefficients, once the events are known. */
  private resolveEvents(line: number): void {
    const raw = this.rawEvents;
    if (!raw) throw new ParseError('callgrind', 'cost line before the events: line', { line });
    // A raw event is its column; only derived events get a vector (one per raw event would
    // be quadratic in the number of events, and a damaged events: line can name millions).
    const column = new Map<string, number>();
    raw.forEach((e, i) => {
      if (!column.has(e)) column.set(e, i);
    });
    const vectors = new Map<string, Float64Array>();
    const names = raw.slice();
    const derivedVectors: Float64Array[] = [];
    for (const d of this.derived) {
      if (column.has(d.name) || vectors.has(d.name)) continue; // a long name for a raw event, or defined twice
      const v = new Float64Array(raw.length);
      let ok = d.formula !== '';
      for (const term of d.formula.split('+')) {
        const t = /^\s*(?:(\d+(?:\.\d+)?)\s*\*?\s*)?([^\s*+]+)\s*$/.exec(term);
        const col = t ? column.get(t[2]) : undefined;
        const of = t && col === undefined ? vectors.get(t[2]) : undefined;
        if (!t || (col === undefined && !of)) {
          ok = false;
          break;
        }
        const factor = t[1] === undefined ? 1 : Number(t[1]);
        if (!Number.isFinite(factor)) {
          ok = false;
          break;
        }
        if (col !== undefined) v[col] += factor;
        else for (let j = 0; j < v.length; j++) v[j] += factor * of![j];
      }
      if (!ok) {
        this.builder.skip(d.line, `derived event ${d.name} = ${d.formula}: not a sum of known events`);
        continue;
      }
      vectors.set(d.name, v);
      names.push(d.name);
      derivedVectors.push(v);
    }
    const k = this.selectedEvent;
    if (!(k >= 0 && k < names.length) || !Number.isInteger(k)) {
      throw new ParseError('callgrind', `there is no event #${k}; the file has ${names.join(', ')}`, { line: this.eventsLine || line });
    }
    this.eventNames = names;
    if (k < raw.length) {
      this.coef = new Float64Array(raw.length);
      this.coef[k] = 1;
    } else this.coef = derivedVectors[k - raw.length];
    // A raw event that appears once is read from its column alone.
    let nonzero = 0;
    let only = -1;
    this.coef.forEach((c, j) => {
      if (c !== 0) {
        nonzero++;
        only = j;
      }
    });
    this.column = nonzero === 1 && this.coef[only] === 1 ? only : -1;
    if (this.coef.some((c) => !Number.isInteger(c))) this.integral = false;
  }

  private costLine(buf: Uint8Array, start: number, end: number, line: number): void {
    if (this.coef === null) this.resolveEvents(line);
    if (this.fn === NONE) throw new ParseError('callgrind', 'cost line before any fn=', { line });
    this.markBody();
    let i = start;
    // Subpositions: checked, not kept.
    for (let p = 0; p < this.positions; p++) {
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i >= end) break;
      const s = i;
      let c = buf[i];
      if (c === STAR) i++;
      else {
        if (c === PLUS || c === MINUS) c = buf[++i];
        if (c === D0 && i + 1 < end && buf[i + 1] === LOWER_X) {
          i += 2;
          const h = i;
          while (i < end && isHex(buf[i])) i++;
          if (i === h) i = -1;
        } else {
          const d = i;
          while (i < end && buf[i] >= D0 && buf[i] <= D9) i++;
          if (i === d) i = -1;
        }
      }
      if (i < 0 || (i < end && buf[i] !== SPACE && buf[i] !== TAB)) {
        throw new ParseError('callgrind', `bad subposition "${token(buf, s, end)}"`, { line });
      }
    }
    // Costs.
    const coef = this.coef!;
    const column = this.column;
    const nEvents = coef.length;
    let weight = 0;
    let col = 0;
    for (;;) {
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i >= end) break;
      const s = i;
      let c = buf[i];
      let sign = 1;
      if (c === PLUS || c === MINUS) {
        if (c === MINUS) sign = -1;
        c = buf[++i];
      }
      let v = 0;
      if (c === D0 && i + 1 < end && buf[i + 1] === LOWER_X) {
        i += 2;
        const h = i;
        for (; i < end; i++) {
          const x = hexValue(buf[i]);
          if (x < 0) break;
          v = v * 16 + x;
        }
        if (i === h) i = -1;
      } else {
        const d = i;
        for (; i < end; i++) {
          const x = buf[i] - D0;
          if (x < 0 || x > 9) break;
          v = v * 10 + x;
        }
        if (i < end && buf[i] === DOT && i > d) {
          // Not in the spec, but harmless: fractional costs from non-valgrind writers.
          const f = ++i;
          while (i < end && buf[i] >= D0 && buf[i] <= D9) i++;
          if (i === f) i = -1;
          else {
            v = Number(decodeUtf8(buf, d, i));
            this.integral = false;
          }
        } else if (i === d) i = -1;
      }
      if (i < 0 || (i < end && buf[i] !== SPACE && buf[i] !== TAB)) {
        if (buf[s] === STAR && (s + 1 === end || buf[s + 1] === SPACE || buf[s + 1] === TAB)) {
          this.builder.skip(line, '"*" in a cost column counts as 0');
          i = s + 1;
          col++;
          continue;
        }
        throw new ParseError('callgrind', `bad cost "${token(buf, s, end)}"`, { line });
      }
      // Past 1.8e308 a double is Infinity, and Infinity − Infinity in the tree is NaN.
      if (v === Infinity) throw new ParseError('callgrind', `the cost "${token(buf, s, end)}" is too large to be a number`, { line });
      if (col === column) weight = sign * v;
      else if (column < 0 && col < nEvents) weight += coef[col] * sign * v;
      col++;
    }
    if (col > nEvents) throw new ParseError('callgrind', `${col} costs, but the events: line names ${nEvents}`, { line });
    if (!Number.isFinite(weight)) throw overflow(line);
    this.pendingFile = NONE;
    const edge = this.callEdge;
    if (edge !== NONE) {
      this.callEdge = NONE;
      if (edge >= 0) {
        this.edgeCost[edge] += weight;
        if (!Number.isFinite(this.edgeCost[edge])) throw overflow(line);
      }
      return;
    }
    this.dumpRead += weight;
    if (this.active) {
      this.used[this.fn] = 1;
      this.self[this.fn] += weight;
      this.total += weight;
      if (!Number.isFinite(this.self[this.fn]) || !Number.isFinite(this.total)) throw overflow(line);
      if (weight < 0 && this.firstNegativeLine === 0) this.firstNegativeLine = line;
    }
  }

  private calls(buf: Uint8Array, v: number, end: number, line: number): void {
    if (this.fn === NONE) throw new ParseError('callgrind', 'calls= before any fn=', { line });
    if (this.calleeName === NONE) throw new ParseError('callgrind', 'calls= without a cfn=', { line });
    let i = v;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    const d = i;
    while (i < end && buf[i] >= D0 && buf[i] <= D9) i++;
    if (i === d || (i < end && buf[i] !== SPACE && buf[i] !== TAB)) {
      throw new ParseError('callgrind', `bad call count "${token(buf, d, end)}"`, { line });
    }
    const file = this.calleeFile !== NONE ? this.calleeFile : this.curFile;
    const callee = this.func(this.calleeName, file);
    this.calleeFile = NONE;
    this.callLine = line;
    if (this.active) {
      this.used[this.fn] = 1;
      this.used[callee] = 1;
      this.callEdge = this.edge(this.fn, callee);
    } else this.callEdge = -2;
  }

  /** A compressed or plain name in one id space, as a string id. */
  private name(ids: IdTable, kind: string, buf: Uint8Array, v: number, end: number, line: number): number {
    while (v < end && (buf[v] === SPACE || buf[v] === TAB)) v++;
    if (v + 1 < end && buf[v] === LPAREN && buf[v + 1] >= D0 && buf[v + 1] <= D9) {
      let i = v + 1;
      let id = 0;
      while (i < end && buf[i] >= D0 && buf[i] <= D9) id = id * 10 + (buf[i++] - D0);
      if (i >= end || buf[i] !== RPAREN) throw new ParseError('callgrind', `bad compressed ${kind} name "${preview(buf, v, end)}"`, { line });
      i++;
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i < end) {
        const sid = this.strings.length;
        this.strings.push(decodeName(buf, i, end));
        ids.set(id, sid);
        return sid;
      }
      const sid = ids.get(id);
      if (sid < 0) {
        // callgrind 0.10 references object ids it never defined; objects are not needed here.
        if (ids === this.obIds) {
          this.builder.skip(line, `object (${id}) is used but never defined`);
          return NONE;
        }
        throw new ParseError('callgrind', `${kind} (${id}) is used but never defined`, { line });
      }
      return sid;
    }
    return this.intern(buf, v, end);
  }

  /** A file name; an empty one means "none" (`cfl=` alone clears the callee's file). */
  private fileName(buf: Uint8Array, v: number, end: number, line: number): number {
    const sid = this.name(this.fileIds, 'file', buf, v, end, line);
    return this.strings[sid] === '' ? NONE : sid;
  }

  private intern(buf: Uint8Array, start: number, end: number): number {
    const id = this.interner.intern(buf, start, end, this.onNewName);
    return this.internedSid[id];
  }

  private readonly onNewName = (id: number, buf: Uint8Array, start: number, end: number): void => {
    this.internedSid[id] = this.strings.length;
    this.strings.push(decodeName(buf, start, end));
  };

  private func(nameSid: number, fileSid: number): number {
    let f = this.funcKey.get(nameSid, fileSid + 1);
    if (f < 0) {
      f = this.funcNameSid.length;
      this.funcNameSid.push(nameSid);
      this.funcFileSid.push(fileSid);
      this.funcKey.set(nameSid, fileSid + 1, f);
      if (f >= this.self.length) {
        this.self = grownFloat64(this.self);
        const used = new Uint8Array(this.self.length);
        used.set(this.used);
        this.used = used;
      }
    }
    return f;
  }

  private edge(from: number, to: number): number {
    let e = this.edgeKey.get(from, to);
    if (e < 0) {
      e = this.edgeCount++;
      if (e >= this.edgeFrom.length) {
        this.edgeFrom = grownInt32(this.edgeFrom);
        this.edgeTo = grownInt32(this.edgeTo);
        this.edgeCost = grownFloat64(this.edgeCost);
      }
      this.edgeFrom[e] = from;
      this.edgeTo[e] = to;
      this.edgeKey.set(from, to, e);
    }
    return e;
  }

  finish(name: string, lines: number): Profile {
    const cut = this.byCallgrind && this.dumpOpen;
    if (this.callEdge !== NONE) {
      // In a file cut short, the cost line of its last call is what the cut took.
      if (!cut) throw new ParseError('callgrind', `the file ends after calls= on line ${this.callLine}, without its cost line`, { line: lines });
      this.callEdge = NONE;
    }
    if (!this.sawEvents && this.sawContent) {
      // Ending in the header is a cut; with a totals: line the dump is whole, and its events: line is what is missing.
      if ((this.byCallgrind || this.formatLine) && this.dumps.length === 0) {
        throw new ParseError('callgrind', `the file is cut short: it ends at line ${lines}, in the header before its "events:" line, so it holds no costs`, {
          line: lines,
        });
      }
      throw new ParseError('callgrind', 'no "events:" line: not a callgrind profile', { line: 1 });
    }
    if (this.coef === null && this.rawEvents) this.resolveEvents(lines);
    const parts = this.parts.length > 1 ? this.parts.map((p, i) => partLabel(p, i)) : [];
    if (this.selectedPart >= 0 && this.selectedPart >= this.parts.length) {
      // About the whole file, so at its first line (a stale link can ask for a part another file had).
      throw new ParseError('callgrind', `there is no part #${this.selectedPart}; the file has ${this.parts.length}`, { line: 1 });
    }
    // Functions as the builder knows them: one per distinct (name, file) text.
    const b = this.builder;
    const n = this.funcNameSid.length;
    const final = new Int32Array(n);
    for (let f = 0; f < n; f++) {
      const file = this.funcFileSid[f];
      final[f] = this.used[f] ? b.funcIndex(this.strings[this.funcNameSid[f]], file === NONE ? null : this.strings[file]) : NONE;
    }
    const nFunc = b.funcCount;
    const self = new Float64Array(nFunc);
    for (let f = 0; f < n; f++) if (final[f] !== NONE) self[final[f]] += this.self[f];
    const merged = new IntPairMap();
    const from = new Int32Array(this.edgeCount);
    const to = new Int32Array(this.edgeCount);
    const cost = new Float64Array(this.edgeCount);
    let nEdge = 0;
    for (let e = 0; e < this.edgeCount; e++) {
      const a = final[this.edgeFrom[e]];
      const c = final[this.edgeTo[e]];
      let m = merged.get(a, c);
      if (m < 0) {
        m = nEdge++;
        merged.set(a, c, m);
        from[m] = a;
        to[m] = c;
      }
      cost[m] += this.edgeCost[e];
    }
    // Inclusive: what other functions paid to call it; for a function nobody calls, its
    // self plus its calls. A call to itself is never added (it is inside the others).
    const inclusive = new Float64Array(nFunc);
    const called = new Uint8Array(nFunc);
    for (let e = 0; e < nEdge; e++) {
      if (from[e] === to[e]) continue;
      inclusive[to[e]] += cost[e];
      called[to[e]] = 1;
    }
    for (let f = 0; f < nFunc; f++) if (!called[f]) inclusive[f] = self[f];
    for (let e = 0; e < nEdge; e++) if (from[e] !== to[e] && !called[from[e]]) inclusive[from[e]] += cost[e];
    if (!inclusive.every(Number.isFinite)) throw overflow(lines);
    const unitName = this.eventNames[this.selectedEvent] ?? this.rawEvents?.[0] ?? 'cost';
    if (this.total < 0) {
      // Signed costs are allowed (hand-made files use them), but a run cannot take negative time.
      throw new ParseError(
        'callgrind',
        `the costs add up to a negative total (${this.total} ${unitName}), which no flame graph can show; the first negative cost is on line ${this.firstNegativeLine}`,
        { line: this.firstNegativeLine },
      );
    }
    if (this.byCallgrind) this.checkComplete(unitName, parts, lines);
    buildTree(b, self, from.subarray(0, nEdge), to.subarray(0, nEdge), cost.subarray(0, nEdge), this.total, this.integral);
    return b.finish({
      name,
      format: 'callgrind',
      unit: unitName,
      events: this.eventNames.length > 0 ? this.eventNames : (this.rawEvents ?? []),
      parts,
      funcInclusive: inclusive,
      funcSelfExact: self,
    });
  }

  /** In a file callgrind wrote: a sentence per dump whose costs fall short of its totals: line, or that has none. */
  private checkComplete(unit: string, parts: string[], lines: number): void {
    const dumps = this.dumps.slice();
    if (this.dumpOpen) dumps.push({ part: this.parts.length - 1, read: this.dumpRead, summary: this.dumpSummary, totals: null });
    const coef = this.coef;
    // The selected event's figure in a summary:/totals: line (derived events: the same formula); missing columns are 0.
    const figure = (text: string | null): number => {
      if (text === null || coef === null) return NaN;
      const v = text.trim().split(/\s+/);
      let x = 0;
      for (let j = 0; j < coef.length && j < v.length; j++) if (coef[j] !== 0) x += coef[j] * Number(v[j]);
      return x;
    };
    const fmt = (x: number) => formatNumber(x, unit);
    for (const d of dumps) {
      const who = parts.length > 1 ? `${parts[d.part]} ` : '';
      const read = `the costs read add up to ${fmt(d.read)} ${unit}`;
      if (d.totals !== null) {
        const totals = figure(d.totals);
        if (totals - d.read > INCOMPLETE_SHORTFALL * totals) this.builder.incomplete(`${who}looks truncated: ${read}, its totals: line says ${fmt(totals)}`);
        continue;
      }
      const summary = figure(d.summary);
      const end = this.cutLine > 0 ? `mid-line (line ${this.cutLine}, "${this.cutText}", left out)` : `at line ${lines}`;
      this.builder.incomplete(
        `${who}looks truncated: the file ends ${end} before the totals: line callgrind writes at the end of every dump; ${read}` +
          (summary > 0 ? `, its summary: line says ${fmt(summary)}` : ''),
      );
    }
  }
}

function overflow(line: number): ParseError {
  return new ParseError('callgrind', `the costs add up past the largest number a double holds (${Number.MAX_VALUE.toPrecision(3)})`, { line });
}

function partLabel(p: Part, i: number): string {
  const label = `part ${p.number ?? i + 1}`;
  return p.thread !== null ? `${label}, thread ${p.thread}` : label;
}

/**
 * Expands the call graph into `b`'s tree, heaviest pending node first (see the
 * comment at the top of this file). Iterative and bounded.
 */
function buildTree(
  b: TreeBuilder,
  self: Float64Array,
  from: Int32Array,
  to: Int32Array,
  cost: Float64Array,
  total: number,
  integral: boolean,
): void {
  const nFunc = self.length;
  const nEdge = from.length;
  if (total === 0) return;
  if (!(total > 0)) {
    b.addSelf(0, total);
    return;
  }
  // Out-edges to other functions with positive cost, grouped by caller (CSR), heaviest first.
  const order: number[] = [];
  for (let e = 0; e < nEdge; e++) if (cost[e] > 0 && from[e] !== to[e]) order.push(e);
  order.sort((x, y) => from[x] - from[y] || cost[y] - cost[x] || to[x] - to[y]);
  const start = new Int32Array(nFunc + 1);
  const outTo = new Int32Array(order.length);
  const outCost = new Float64Array(order.length);
  order.forEach((e, k) => {
    start[from[e] + 1]++;
    outTo[k] = to[e];
    outCost[k] = cost[e];
  });
  for (let f = 0; f < nFunc; f++) start[f + 1] += start[f];
  // share(f): what a node of f divides among its self and its callees, a call to itself
  // excluded (that weight is spread over the rest: recursion is merged into the node).
  // root(f): its own cost beyond what its callers paid for it.
  const share = new Float64Array(nFunc);
  const root = new Float64Array(nFunc);
  for (let f = 0; f < nFunc; f++) {
    share[f] = Math.max(0, self[f]);
    root[f] = self[f];
  }
  for (let k = 0; k < outCost.length; k++) share[from[order[k]]] += outCost[k];
  for (let e = 0; e < nEdge; e++) {
    root[from[e]] += cost[e];
    root[to[e]] -= cost[e];
  }
  const scc = stronglyConnected(nFunc, start, outTo);

  const round = integral ? Math.round : (x: number) => x;
  const minWeight = total * MIN_SHARE;
  const tree = new TreeArrays();
  // Pending weight per node, in a binary max-heap of (node, weight when pushed);
  // a node pushed again before it is expanded is expanded once, with the sum.
  let pending = new Float64Array(1024);
  let heapNode = new Int32Array(1024);
  let heapKey = new Float64Array(1024);
  let size = 0;
  const give = (node: number, weight: number) => {
    if (node >= pending.length) pending = grownFloat64(pending, tree.count * 2);
    pending[node] += weight;
    if (size === heapNode.length) {
      heapNode = grownInt32(heapNode);
      heapKey = grownFloat64(heapKey);
    }
    const key = pending[node];
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapKey[parent] >= key) break;
      heapNode[i] = heapNode[parent];
      heapKey[i] = heapKey[parent];
      i = parent;
    }
    heapNode[i] = node;
    heapKey[i] = key;
  };
  const pop = (): number => {
    const top = heapNode[0];
    size--;
    const lastNode = heapNode[size];
    const lastKey = heapKey[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && heapKey[c + 1] > heapKey[c]) c++;
      if (heapKey[c] <= lastKey) break;
      heapNode[i] = heapNode[c];
      heapKey[i] = heapKey[c];
      i = c;
    }
    heapNode[i] = lastNode;
    heapKey[i] = lastKey;
    return top;
  };

  // Roots: the total spread over positive root weights (exactly them when they add up).
  let rootSum = 0;
  for (let f = 0; f < nFunc; f++) if (root[f] > 0) rootSum += root[f];
  if (!(rootSum > 0)) {
    b.addSelf(0, total);
    return;
  }
  let cum = 0;
  let given = 0;
  for (let f = 0; f < nFunc; f++) {
    if (!(root[f] > 0)) continue;
    cum += root[f];
    const upTo = round(total * (cum / rootSum));
    const w = upTo - given;
    given = upTo;
    if (w !== 0) give(tree.child(0, f), w);
  }
  tree.self[0] += total - given;

  const leftover = new Float64Array(MAX_NODES + 1);
  const expanded = new Uint8Array(MAX_NODES + 1);
  while (size > 0) {
    const node = pop();
    const w = pending[node];
    if (w === 0) continue;
    pending[node] = 0;
    const f = tree.func[node];
    const d = share[f];
    const first = start[f];
    const last = start[f + 1];
    if (d <= 0 || first === last || tree.depth[node] >= MAX_DEPTH) {
      tree.self[node] += w;
      continue;
    }
    if (w < minWeight || expanded[node] >= MAX_EXPANSIONS) {
      // A light node stays a leaf; a light re-entry into a node already expanded is
      // spread over its subtree afterwards, as its first weight was spread.
      if (expanded[node]) leftover[node] += w;
      else tree.self[node] += w;
      continue;
    }
    expanded[node]++;
    // Cumulative rounding: self first, then each callee, heaviest first; the parts add
    // up to w. A callee lighter than minWeight stays in this node's self.
    let acc = Math.max(0, self[f]);
    let mark = round(w * (acc / d));
    let passed = 0;
    for (let k = first; k < last; k++) {
      // Sorted: once a callee's share is light (by more than rounding), so are the rest.
      if ((w * outCost[k]) / d + 1 < minWeight) break;
      acc += outCost[k];
      const upTo = k === last - 1 ? w : round(w * (acc / d));
      const cw = upTo - mark;
      mark = upTo;
      if (cw < minWeight) continue;
      const g = outTo[k];
      let target = tree.route(node, g);
      if (target < 0) {
        // A call back into a function already on the path re-enters that node. Only a
        // function of the same strongly connected component can be on the path.
        if (scc[g] === scc[f]) {
          for (let a = tree.parent[node]; a > 0 && scc[tree.func[a]] === scc[f]; a = tree.parent[a]) {
            if (tree.func[a] === g) {
              target = a;
              tree.setRoute(node, g, a);
              break;
            }
          }
        }
        if (target < 0) {
          if (tree.count >= MAX_NODES) continue;
          target = tree.child(node, g);
        }
      }
      passed += cw;
      give(target, cw);
    }
    tree.self[node] += w - passed;
  }
  spreadLeftovers(tree, leftover, round);
  for (let n = 1; n < tree.count; n++) b.child(tree.parent[n], tree.func[n]);
  // Splits of integer costs are exact; those of fractional ones (non-valgrind writers) can leave a
  // node a rounding error below zero, which is no negative cost for the builder to refuse.
  for (let n = 0; n < tree.count; n++) if (tree.self[n] !== 0) b.addSelf(n, integral || tree.self[n] > 0 ? tree.self[n] : 0);
}

/**
 * Adds each node's leftover weight to its subtree in proportion to what the subtree
 * holds: bottom-up sums, then a top-down split of each node's new total (cumulative
 * rounding again, so integer totals stay exact).
 */
function spreadLeftovers(tree: TreeArrays, leftover: Float64Array, round: (x: number) => number): void {
  const n = tree.count;
  let any = false;
  for (let i = 0; i < n; i++) if (leftover[i] !== 0) any = true;
  if (!any) return;
  const held = new Float64Array(n); // self + children's held, before leftovers
  const withLeft = new Float64Array(n); // the same with every leftover below included
  for (let i = n - 1; i >= 0; i--) {
    held[i] += tree.self[i];
    withLeft[i] += tree.self[i] + leftover[i];
    const p = tree.parent[i];
    if (p >= 0) {
      held[p] += withLeft[i];
      withLeft[p] += withLeft[i];
    }
  }
  // Children lists, in creation order.
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[tree.parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const kids = new Int32Array(Math.max(0, n - 1));
  const fill = childStart.slice(0, n);
  for (let i = 1; i < n; i++) kids[fill[tree.parent[i]]++] = i;
  const target = new Float64Array(n);
  target[0] = withLeft[0];
  for (let i = 0; i < n; i++) {
    const t = target[i];
    const h = held[i];
    if (!(h > 0)) {
      tree.self[i] = t;
      for (let k = childStart[i]; k < childStart[i + 1]; k++) target[kids[k]] = 0;
      continue;
    }
    let acc = tree.self[i];
    let mark = round(t * (acc / h));
    tree.self[i] = mark;
    const end = childStart[i + 1];
    for (let k = childStart[i]; k < end; k++) {
      const c = kids[k];
      acc += withLeft[c];
      const upTo = k === end - 1 ? t : round(t * (acc / h));
      target[c] = upTo - mark;
      mark = upTo;
    }
    if (end === childStart[i]) tree.self[i] = t;
  }
}

/** The tree as it grows: nodes in creation order (a parent before its children). */
class TreeArrays {
  count = 1;
  parent = new Int32Array(1024).fill(-1);
  func = new Int32Array(1024).fill(-1);
  depth = new Int32Array(1024);
  self = new Float64Array(1024);
  /** Where a call from a node to a function goes: its child, or an ancestor it re-enters. */
  private routes = new IntPairMap();

  route(node: number, func: number): number {
    return this.routes.get(node, func);
  }

  setRoute(node: number, func: number, to: number): void {
    this.routes.set(node, func, to);
  }

  child(parent: number, func: number): number {
    const found = this.routes.get(parent, func);
    if (found >= 0) return found;
    const n = this.count++;
    if (n === this.parent.length) {
      this.parent = grownInt32(this.parent);
      this.func = grownInt32(this.func);
      this.depth = grownInt32(this.depth);
      this.self = grownFloat64(this.self);
    }
    this.parent[n] = parent;
    this.func[n] = func;
    this.depth[n] = this.depth[parent] + 1;
    this.routes.set(parent, func, n);
    return n;
  }
}

/** Strongly connected component of each function (iterative Tarjan). */
function stronglyConnected(n: number, start: Int32Array, to: Int32Array): Int32Array {
  const comp = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callStack = new Int32Array(n);
  const edgeAt = new Int32Array(n);
  let sp = 0;
  let next = 0;
  let comps = 0;
  for (let r = 0; r < n; r++) {
    if (index[r] >= 0) continue;
    let csp = 0;
    callStack[csp++] = r;
    index[r] = low[r] = next++;
    stack[sp++] = r;
    onStack[r] = 1;
    edgeAt[r] = start[r];
    while (csp > 0) {
      const v = callStack[csp - 1];
      if (edgeAt[v] < start[v + 1]) {
        const w = to[edgeAt[v]++];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          edgeAt[w] = start[w];
          callStack[csp++] = w;
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      csp--;
      if (csp > 0) {
        const u = callStack[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = comps;
        } while (w !== v);
        comps++;
      }
    }
  }
  return comp;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A name as a flat string: names become Map keys (function table, string table), and
 * hashing a rope built char by char costs far more than building it flat.
 */
function decodeName(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 4096) return utf8.decode(buf.subarray(start, end));
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return utf8.decode(buf.subarray(start, end));
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}

function isHex(c: number): boolean {
  return (c >= D0 && c <= D9) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexValue(c: number): number {
  if (c >= D0 && c <= D9) return c - D0;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function token(buf: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && buf[e] !== SPACE && buf[e] !== TAB) e++;
  return preview(buf, start, e);
}

function preview(buf: Uint8Array, start: number, end: number): string {
  const s = decodeUtf8(buf, start, Math.min(end, start + 80));
  return end - start > 80 ? `${s}…` : s;
}


/** Compressed name ids (small integers, in practice dense) to string ids; -1 when undefined. */
class IdTable {
  private dense = new Int32Array(1024).fill(-1);
  private sparse = new Map<number, number>();

  get(id: number): number {
    return id < this.dense.length ? this.dense[id] : (this.sparse.get(id) ?? -1);
  }

  set(id: number, sid: number): void {
    if (id >= this.dense.length && id < DENSE_IDS) {
      const bigger = new Int32Array(Math.min(DENSE_IDS, Math.max(id + 1, this.dense.length * 2))).fill(-1);
      bigger.set(this.dense);
      this.dense = bigger;
    }
    if (id < this.dense.length) this.dense[id] = sid;
    else this.sparse.set(id, sid);
  }
}
/** Ids below this live in an array (callgrind numbers them from 1 up); larger ones in a Map. */
const DENSE_IDS = 1 << 22;

/** Open-addressing map from a pair of non-negative int32s to a non-negative int32; -1 when absent. */
class IntPairMap {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private v = new Int32Array(1024).fill(-1);
  private mask = 1023;
  private size = 0;

  get(a: number, b: number): number {
    let h = pairHash(a, b) & this.mask;
    for (;;) {
      const v = this.v[h];
      if (v < 0 || (this.a[h] === a && this.b[h] === b)) return v;
      h = (h + 1) & this.mask;
    }
  }

  set(a: number, b: number, value: number): void {
    let h = pairHash(a, b) & this.mask;
    for (;;) {
      const v = this.v[h];
      if (v < 0) break;
      if (this.a[h] === a && this.b[h] === b) {
        this.v[h] = value;
        return;
      }
      h = (h + 1) & this.mask;
    }
    this.a[h] = a;
    this.b[h] = b;
    this.v[h] = value;
    if (++this.size * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    const { a, b, v } = this;
    const size = v.length * 2;
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.v = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0) continue;
      let h = pairHash(a[i], b[i]) & this.mask;
      while (this.v[h] >= 0) h = (h + 1) & this.mask;
      this.a[h] = a[i];
      this.b[h] = b[i];
      this.v[h] = v[i];
    }
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
