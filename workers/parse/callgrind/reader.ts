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

import { ParseError, type Profile, type ParseOptions } from '../../../src/model/profile';
import { TreeBuilder } from '../../../src/model/tree-builder';
import { formatNumber } from '../../../src/model/format-number';
import { IntPairMap } from '../../../src/model/int-pair-map';
import { grownFloat64, grownInt32 } from '../../../src/model/typed-arrays';
import { ByteInterner, hashBytes } from '../byte-interner';
import { decodeUtf8 } from '../lines';
import { buildCallTree } from './call-tree';
import { builderFunctions } from './function-names';
import { NameIds } from './name-ids';

/**
 * Costs read this far below a dump's totals: line mean lines are missing. A complete file
 * matches it exactly (callgrind writes totals: as the sum of the cost lines); 1% leaves room
 * for nothing but a real loss.
 */
const INCOMPLETE_SHORTFALL = 0.01;

const TAB = 9;
const LF = 10;
const CR = 13;
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
/** Indices into CallgrindReader.sums. */
const TOTAL = 0;
const DUMP = 1;

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

/** Where `fastCost` leaves a line to the general reader: one it does not handle, or one the chunk's end cuts. */
const DECLINED = -1;
const CUT = -2;

/**
 * Reads the bytes of a callgrind file, chunk by chunk, into per-function self costs and
 * the calls between functions, and makes the profile of them in `finish`.
 *
 * Most lines of a callgrind file are cost lines (`+3 * 1`: subpositions, then costs): those
 * are read in one pass that finds the line's end on the way (`fastCost`), the way a byte
 * scan reads them, with no search for the line break first. Anything it does not expect
 * (hex or fractional costs, `*` costs, a line short of its positions, a derived event, an
 * error) it leaves to the general reader (`line`), which reads the line from its start again.
 */
export class CallgrindReader {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new CallgrindReader({});

  private readonly selectedEvent: number;
  private readonly selectedPart: number;
  private readonly builder = new TreeBuilder(undefined, 'callgrind');

  // Names stay bytes while reading: a string id (sid) is a compressed definition or a plain
  // name, and names[sid] its bytes' id in the interner; function-names.ts makes the strings.
  private readonly interner = new ByteInterner();
  private names = new Int32Array(1024);
  private nameCount = 0;
  /** The sid of each plain name, by its bytes' id, plus 1 (0: none yet). */
  private plainSid = new Int32Array(1024);
  private readonly fileIds = new NameIds();
  private readonly fnIds = new NameIds();
  private readonly obIds = new NameIds();

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
  private dumpSummary: string | null = null;
  /** The last line, when it had no line break and was left out (a file callgrind wrote, cut mid-line). */
  private cutLine = 0;
  private cutText = '';

  // Lines: the number of the last one read; the start of a line the end of a chunk cut, kept until its end comes.
  private lineNo = 0;
  /** Bytes pushed so far. */
  consumed = 0;
  private carry = new Uint8Array(256);
  private carryLen = 0;

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
  /**
   * Running sums of the selected event: [the file's self costs (of the selected parts), the current
   * dump's]. In a typed array: a number field that starts as a small integer changes the reader's
   * hidden class the first time it holds a double, which throws away the code optimized for it.
   */
  private readonly sums = new Float64Array(2);
  /** The cost scanCostLine read. */
  private readonly lineWeight = new Float64Array(1);
  /** The first line with a negative self cost: named when the costs add up below zero. */
  private firstNegativeLine = 0;
  private integral = true;

  constructor(options: ParseOptions) {
    this.selectedEvent = options.event ?? 0;
    this.selectedPart = options.part ?? -1;
    this.active = this.selectedPart < 0 || this.selectedPart === 0;
  }

  /** Reads the chunk's lines; the text after its last line break waits for the next chunk. */
  push(chunk: Uint8Array): void {
    this.consumed += chunk.length;
    let pos = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl);
      pos = nl + 1;
      this.line(this.carry, 0, this.carriedEnd(), ++this.lineNo);
    }
    pos = this.lines(chunk, pos, chunk.length);
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
  }

  /** No more chunks: the text after the last line break, if any, is the last line. */
  close(): void {
    if (this.carryLen > 0) this.lastLine(this.carry, 0, this.carriedEnd(), ++this.lineNo);
  }

  /** The carried line's end, without its line break's CR; the carry is then free for the next cut line. */
  private carriedEnd(): number {
    const n = this.carryLen;
    this.carryLen = 0;
    return n > 0 && this.carry[n - 1] === CR ? n - 1 : n;
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    const need = this.carryLen + (end - start);
    if (need > this.carry.length) {
      const bigger = new Uint8Array(Math.max(need, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }

  /** Reads the lines of buf[pos, n) that a line break ends; returns where the rest starts. */
  private lines(buf: Uint8Array, pos: number, n: number): number {
    while (pos < n) {
      const c = buf[pos];
      if ((c >= D0 && c <= D9) || c === PLUS || c === MINUS || c === STAR) {
        const next = this.fastCost(buf, pos, n);
        if (next >= 0) {
          pos = next;
          continue;
        }
        if (next === CUT) return pos;
      }
      if (c >= 97 && c <= 122) {
        const next = this.nameReference(buf, pos, n);
        if (next >= 0) {
          pos = next;
          continue;
        }
      }
      const nl = lineBreak(buf, pos, n);
      if (nl < 0) return pos;
      this.line(buf, pos, nl > pos && buf[nl - 1] === CR ? nl - 1 : nl, ++this.lineNo);
      pos = nl + 1;
    }
    return pos;
  }

  /**
   * The cost line at buf[pos], read as costLine would read it when it holds only decimal
   * integer costs of the selected raw event and its subpositions; returns where the next line
   * starts. DECLINED (nothing read) for any other line, CUT when the line goes past n.
   */
  private fastCost(buf: Uint8Array, pos: number, n: number): number {
    const column = this.column;
    if (this.coef === null || column < 0 || this.fn === NONE || this.lineNo === 0) return DECLINED;
    if (this.callEdge === NONE && this.active) return this.selfCostLines(buf, pos, n);
    const next = scanCostLine(buf, pos, n, this.positions, column, this.coef.length, this.lineWeight);
    if (next < 0) return next;
    const line = ++this.lineNo;
    this.dumpOpen = true;
    this.markBody();
    this.addCost(this.lineWeight[0], line);
    return next;
  }

  /**
   * As fastCost, for the cost lines that follow one another in a function of a selected part (its
   * self cost, the common case): read in one loop, with the sums addCost keeps in locals (the same
   * additions in the same order); returns where the first line it leaves starts.
   */
  private selfCostLines(buf: Uint8Array, pos: number, n: number): number {
    const positions = this.positions;
    const column = this.column;
    const nEvents = this.coef!.length;
    const out = this.lineWeight;
    let next = scanCostLine(buf, pos, n, positions, column, nEvents, out);
    if (next < 0) return next;
    const fn = this.fn;
    this.dumpOpen = true;
    this.markBody();
    this.pendingFile = NONE;
    this.used[fn] = 1;
    const sums = this.sums;
    let self = this.self[fn];
    let total = sums[TOTAL];
    let dump = sums[DUMP];
    let line = this.lineNo;
    let firstNegative = this.firstNegativeLine;
    let i = pos;
    for (;;) {
      const weight = out[0];
      line++;
      dump += weight;
      self += weight;
      total += weight;
      if (!Number.isFinite(self) || !Number.isFinite(total)) throw overflow(line);
      if (weight < 0 && firstNegative === 0) firstNegative = line;
      i = next;
      if (i >= n) break;
      const c = buf[i];
      if (!((c >= D0 && c <= D9) || c === PLUS || c === MINUS || c === STAR)) break;
      next = scanCostLine(buf, i, n, positions, column, nEvents, out);
      if (next < 0) break;
    }
    this.self[fn] = self;
    sums[TOTAL] = total;
    sums[DUMP] = dump;
    this.lineNo = line;
    this.firstNegativeLine = firstNegative;
    return i;
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
      case K_FN:
      case K_CFN:
      case K_JFN:
      case K_FRFN:
        this.named(k, this.name(this.fnIds, 'function', buf, v, end, line));
        return;
      case K_FL:
      case K_FI:
      case K_FE:
      case K_CFI:
      case K_CFL:
      case K_JFI:
        this.named(k, this.fileName(buf, v, end, line));
        return;
      case K_OB:
      case K_COB:
        this.name(this.obIds, 'object', buf, v, end, line);
        return;
      case K_CALLS:
      case K_RCALLS:
        this.calls(buf, v, end, line);
        return;
      case K_JUMP:
      case K_JCND:
        return;
      default:
        this.builder.skip(line, `unknown line "${preview(buf, start, end)}"`);
    }
  }

  /** What the name line of key `k` does, its name read (`sid`; a file's is NONE when empty). Jump lines only define names. */
  private named(k: number, sid: number): void {
    switch (k) {
      case K_FN: {
        const file = this.pendingFile !== NONE ? this.pendingFile : this.flFile !== NONE ? this.flFile : this.curFile;
        this.fn = this.func(sid, file);
        this.curFile = file;
        this.pendingFile = NONE;
        return;
      }
      case K_CFN:
        this.calleeName = sid;
        return;
      case K_FL:
        this.flFile = sid;
        this.curFile = sid;
        this.pendingFile = sid;
        return;
      case K_FI:
      case K_FE:
        this.curFile = sid;
        this.pendingFile = sid;
        return;
      case K_CFI:
      case K_CFL:
        this.calleeFile = sid;
    }
  }

  /**
   * The line at buf[pos] when it is a compressed name used again (`cfn=(670)`, `fi=(12)`: most
   * key lines), read as line() reads it; where the next line starts, or DECLINED (nothing read)
   * for any other line, an error or a warning included, which line() then reads.
   */
  private nameReference(buf: Uint8Array, pos: number, n: number): number {
    if (this.callEdge !== NONE || this.lineNo === 0) return DECLINED;
    let i = pos;
    let k = 0;
    for (let mul = 1; i < n && i - pos < 3 && buf[i] >= 97 && buf[i] <= 122; i++, mul *= 256) k += buf[i] * mul;
    if (i + 1 >= n || buf[i] !== EQ || buf[i + 1] !== LPAREN) return DECLINED;
    i += 2;
    const d = i;
    let id = 0;
    for (; i < n && buf[i] >= D0 && buf[i] <= D9; i++) id = id * 10 + (buf[i] - D0);
    if (i === d || i >= n || buf[i] !== RPAREN) return DECLINED;
    i++;
    if (i < n && buf[i] === CR) i++;
    if (i >= n || buf[i] !== LF) return DECLINED;
    const file = k === K_FL || k === K_FI || k === K_FE || k === K_CFI || k === K_CFL;
    if (!file && k !== K_FN && k !== K_CFN) return DECLINED;
    const sid = (file ? this.fileIds : this.fnIds).get(id);
    if (sid < 0) return DECLINED;
    this.lineNo++;
    this.dumpOpen = true;
    this.sawContent = true;
    this.markBody();
    this.named(k, file && this.decodesEmpty(this.names[sid]) ? NONE : sid);
    return i + 1;
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
        this.dumps.push({ part: this.parts.length - 1, read: this.sums[DUMP], summary: this.dumpSummary, totals: decodeUtf8(buf, v, end) });
        this.dumpOpen = false;
        this.sums[DUMP] = 0;
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
    this.addCost(weight, line);
  }

  /** A cost line's cost (of the selected event): a call's inclusive cost, or the current function's self. */
  private addCost(weight: number, line: number): void {
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
    this.sums[DUMP] += weight;
    if (this.active) {
      this.used[this.fn] = 1;
      this.self[this.fn] += weight;
      this.sums[TOTAL] += weight;
      if (!Number.isFinite(this.self[this.fn]) || !Number.isFinite(this.sums[TOTAL])) throw overflow(line);
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
  private name(ids: NameIds, kind: string, buf: Uint8Array, v: number, end: number, line: number): number {
    while (v < end && (buf[v] === SPACE || buf[v] === TAB)) v++;
    if (v + 1 < end && buf[v] === LPAREN && buf[v + 1] >= D0 && buf[v + 1] <= D9) {
      let i = v + 1;
      let id = 0;
      while (i < end && buf[i] >= D0 && buf[i] <= D9) id = id * 10 + (buf[i++] - D0);
      if (i >= end || buf[i] !== RPAREN) throw new ParseError('callgrind', `bad compressed ${kind} name "${preview(buf, v, end)}"`, { line });
      i++;
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i < end) {
        const sid = this.newSid(this.bytesId(buf, i, end));
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
    return sid !== NONE && this.decodesEmpty(this.names[sid]) ? NONE : sid;
  }

  /** Whether name bytes `id` are the empty string as text: none, or a byte order mark alone (which decoding drops). */
  private decodesEmpty(id: number): boolean {
    const len = this.interner.lengthOf(id);
    if (len !== 3) return len === 0;
    const at = this.interner.offsetOf(id);
    const bytes = this.interner.bytes;
    return bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf;
  }

  /** A plain name's sid: one per distinct bytes. */
  private intern(buf: Uint8Array, start: number, end: number): number {
    const id = this.bytesId(buf, start, end);
    if (id >= this.plainSid.length) this.plainSid = grownInt32(this.plainSid, id + 1);
    const known = this.plainSid[id];
    if (known > 0) return known - 1;
    const sid = this.newSid(id);
    this.plainSid[id] = sid + 1;
    return sid;
  }

  private bytesId(buf: Uint8Array, start: number, end: number): number {
    return this.interner.internHashed(buf, start, end, hashBytes(buf, start, end));
  }

  private newSid(bytesId: number): number {
    const sid = this.nameCount++;
    if (sid === this.names.length) this.names = grownInt32(this.names);
    this.names[sid] = bytesId;
    return sid;
  }

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

  finish(name: string): Profile {
    const lines = this.lineNo;
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
    const b = this.builder;
    const n = this.funcNameSid.length;
    const final = builderFunctions(b, this.interner, this.names, this.funcNameSid, this.funcFileSid, this.used);
    const nFunc = b.funcCount;
    const self = new Float64Array(nFunc);
    for (let f = 0; f < n; f++) if (final[f] !== NONE) self[final[f]] += this.self[f];
    const merged = new IntPairMap(this.edgeCount);
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
    if (this.sums[TOTAL] < 0) {
      // Signed costs are allowed (hand-made files use them), but a run cannot take negative time.
      throw new ParseError(
        'callgrind',
        `the costs add up to a negative total (${this.sums[TOTAL]} ${unitName}), which no flame graph can show; the first negative cost is on line ${this.firstNegativeLine}`,
        { line: this.firstNegativeLine },
      );
    }
    if (this.byCallgrind) this.checkComplete(unitName, parts, lines);
    buildCallTree(b, { self, from: from.subarray(0, nEdge), to: to.subarray(0, nEdge), cost: cost.subarray(0, nEdge), total: this.sums[TOTAL], integral: this.integral });
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
    if (this.dumpOpen) dumps.push({ part: this.parts.length - 1, read: this.sums[DUMP], summary: this.dumpSummary, totals: null });
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

/**
 * fastCost's reading of the cost line at buf[pos]: the selected raw event's cost (`column` of
 * `nEvents`) into out[0]; where the next line starts, or DECLINED or CUT.
 */
function scanCostLine(buf: Uint8Array, pos: number, n: number, positions: number, column: number, nEvents: number, out: Float64Array): number {
  let i = pos;
  for (let p = positions; p > 0; p--) {
    let c = buf[i];
    if (c === STAR) i++;
    else {
      if (c === PLUS || c === MINUS) c = buf[++i];
      if (c === D0 && buf[i + 1] === LOWER_X) {
        i += 2;
        const h = i;
        while (i < n && isHex(buf[i])) i++;
        if (i === h) return i < n ? DECLINED : CUT;
      } else {
        const d = i;
        while (i < n && buf[i] >= D0 && buf[i] <= D9) i++;
        if (i === d) return i < n ? DECLINED : CUT;
      }
    }
    if (i >= n) return CUT;
    // A line short of its subpositions (or with a bad one) is the general reader's.
    if (buf[i] !== SPACE && buf[i] !== TAB) return DECLINED;
    while (i < n && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i >= n) return CUT;
  }
  let weight = 0;
  let col = 0;
  let lineEnd: number;
  for (;;) {
    while (i < n && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i >= n) return CUT;
    let c = buf[i];
    if (c === LF || c === CR) {
      if (c === CR) {
        if (i + 1 >= n) return CUT;
        if (buf[i + 1] !== LF) return DECLINED;
      }
      lineEnd = c === CR ? i + 1 : i;
      break;
    }
    let sign = 1;
    if (c === PLUS || c === MINUS) {
      if (c === MINUS) sign = -1;
      if (++i >= n) return CUT;
      c = buf[i];
    }
    const d = i;
    let v = 0;
    for (; i < n; i++) {
      const x = buf[i] - D0;
      if (x < 0 || x > 9) break;
      v = v * 10 + x;
    }
    if (i >= n) return CUT;
    c = buf[i];
    // Hex (0x…: stops at the x), fractions, `*`, a sign alone, a cost past a double: the general reader's.
    if (i === d || (c !== SPACE && c !== TAB && c !== LF && c !== CR) || v === Infinity) return DECLINED;
    if (col === column) weight = sign * v;
    col++;
  }
  if (col > nEvents) return DECLINED;
  out[0] = weight;
  return lineEnd + 1;
}

/**
 * The first LF in buf[pos, n), or -1. Most key lines are short (`cfn=(670)`): a loop finds their
 * end sooner than a call of indexOf, which the long ones (name definitions) are left to.
 */
function lineBreak(buf: Uint8Array, pos: number, n: number): number {
  const stop = Math.min(n, pos + SHORT_LINE);
  for (let i = pos; i < stop; i++) if (buf[i] === LF) return i;
  return stop < n ? buf.indexOf(LF, stop) : -1;
}
/** Bytes lineBreak looks at itself (callgrind's compressed key lines are 6 to 20). */
const SHORT_LINE = 24;

function overflow(line: number): ParseError {
  return new ParseError('callgrind', `the costs add up past the largest number a double holds (${Number.MAX_VALUE.toPrecision(3)})`, { line });
}

function partLabel(p: Part, i: number): string {
  const label = `part ${p.number ?? i + 1}`;
  return p.thread !== null ? `${label}, thread ${p.thread}` : label;
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


