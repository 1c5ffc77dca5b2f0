import { ParseError, type CallTree, type FuncIndex, type NodeIndex, type Profile, type ParseWarnings, type Format, type StringIndex } from './profile';
import { StringTable } from './string-table';
import { sortByText } from './sort-by-text';
import { subtreeTotals } from './function-totals';

const INITIAL_NODES = 1024;
const INITIAL_SLOTS = 1024;
const EMPTY = -1;

/**
 * Grows a call tree from stacks or from explicit (parent, func) steps, then
 * lays it out depth-first with children in name order, so base and head
 * trees line up and a diff can walk them side by side.
 *
 * Nodes are numbered in creation order, so a parent's number is below its children's.
 * A node's first child is kept beside it (`firstChild`); only the later children go into
 * an open-addressing table of (parent, func) -> node. Most nodes of a call tree are their
 * parent's first child (93 % in tsc's perf profile), so most lookups and inserts touch no
 * table: a parser that walks a new stack down makes a chain of first children, at the cost
 * of sequential writes instead of a cache miss each in a table the size of the whole tree.
 *
 * Every weight of every parser comes in through addSelf/addStack/addSamples, so this is where weights are
 * checked, once: a negative or non-finite one, or a running sum that passes the largest double
 * (each count finite, their sum Infinity, then Infinity − Infinity = NaN in a diff), is a
 * ParseError at the line the parser names. All weights being ≥ 0, no node's self nor any
 * subtree total can exceed the running sum, so that one sum guards the whole tree.
 */
export class TreeBuilder {
  // V8 keeps optimized code only while the hidden classes (maps) it was compiled for are
  // alive, and a map dies with the last object that has it. A worker reads file after file
  // with garbage collections in between: without one idle instance kept for good, every read
  // after the first would start again from unoptimized code (several times slower).
  static readonly keptAlive = new TreeBuilder();

  readonly strings = new StringTable();
  // Functions with a file by "name\0file"; those without by their name's StringIndex.
  private funcKeyToIndex = new Map<string, FuncIndex>();
  private fileLessFunc: (FuncIndex | undefined)[] = [];
  private funcNameList: StringIndex[] = [];
  private funcFileList: StringIndex[] = [];

  private count = 1; // node 0 is the root
  // Per node: its parent, its function, its self weight, its first child (0 = none: the root is nobody's child).
  private parent = new Int32Array(INITIAL_NODES);
  private func = new Int32Array(INITIAL_NODES);
  private self = new Float64Array(INITIAL_NODES);
  private firstChild = new Int32Array(INITIAL_NODES);
  // Per node: the sum of its samples' squared weights (unit²), made by the first addSamples; null while
  // no parser has asked for it (folded and callgrind never do: see CallTree.selfSq).
  private selfSq: Float64Array<ArrayBuffer> | null = null;
  // The other children, by hash of (parent, func); load factor kept under 1/2.
  private slots = new Int32Array(INITIAL_SLOTS).fill(EMPTY);
  private mask = INITIAL_SLOTS - 1;
  private slotCount = 0;

  readonly warnings: ParseWarnings = { skippedLines: 0, examples: [] };
  /** Sum of every weight added so far. */
  private weightSum = 0;
  /** The line of the last weight added (0: the parser names none). */
  private weightLine = 0;

  /**
   * `expectedNodes` sizes the tables up front (a parser that knows its node count skips the regrowing);
   * `format` is the one a rejected weight's ParseError names.
   */
  constructor(
    expectedNodes = INITIAL_NODES,
    readonly format: Format | 'unknown' = 'unknown',
  ) {
    if (expectedNodes > INITIAL_NODES) {
      const size = 1 << Math.ceil(Math.log2(expectedNodes + 1));
      this.parent = new Int32Array(size);
      this.func = new Int32Array(size);
      this.self = new Float64Array(size);
      this.firstChild = new Int32Array(size);
      this.slots = new Int32Array(size).fill(EMPTY);
      this.mask = size - 1;
    }
    this.parent[0] = -1;
    this.func[0] = -1;
  }

  get nodeCount(): number {
    return this.count;
  }

  /** The function (name, file) as an index, interning both strings. */
  funcIndex(name: string, file: string | null = null): FuncIndex {
    if (file === null) {
      // Keyed by the name's string index: one Map lookup (the string table's) per call.
      const s = this.strings.intern(name);
      let f = this.fileLessFunc[s];
      if (f === undefined) {
        f = this.addFunc(s, -1);
        this.fileLessFunc[s] = f;
      }
      return f;
    }
    const key = `${name}\u0000${file}`;
    let f = this.funcKeyToIndex.get(key);
    if (f === undefined) {
      f = this.addFunc(this.strings.intern(name), this.strings.intern(file));
      this.funcKeyToIndex.set(key, f);
    }
    return f;
  }

  /**
   * A new function of strings already in `strings` (file -1: none), for a parser that keys its
   * functions itself (funcIndex does not look them up): it must add each (name, file) once.
   */
  addFunction(name: StringIndex, file: StringIndex): FuncIndex {
    return this.addFunc(name, file);
  }

  private addFunc(name: StringIndex, file: StringIndex): FuncIndex {
    this.funcNameList.push(name);
    this.funcFileList.push(file);
    return this.funcNameList.length - 1;
  }

  funcNameOf(f: FuncIndex): string {
    return this.strings.values[this.funcNameList[f]];
  }

  get funcCount(): number {
    return this.funcNameList.length;
  }

  /** Each function's name and file (StringIndex; file -1: none), as a Profile holds them. */
  functionColumns(): { funcName: Int32Array; funcFile: Int32Array } {
    return { funcName: Int32Array.from(this.funcNameList), funcFile: Int32Array.from(this.funcFileList) };
  }

  /** The child of `parent` for `func`, created when missing. */
  child(parent: NodeIndex, func: FuncIndex): NodeIndex {
    const first = this.firstChild[parent];
    if (first === 0) {
      const n = this.newNode(parent, func);
      this.firstChild[parent] = n;
      return n;
    }
    if (this.func[first] === func) return first;
    const slots = this.slots;
    const mask = this.mask;
    let h = hash(parent, func) & mask;
    for (;;) {
      const n = slots[h];
      if (n === EMPTY) break;
      if (this.parent[n] === parent && this.func[n] === func) return n;
      h = (h + 1) & mask;
    }
    const n = this.newNode(parent, func);
    slots[h] = n;
    if (++this.slotCount * 2 > slots.length) this.growSlots();
    return n;
  }

  private newNode(parent: NodeIndex, func: FuncIndex): NodeIndex {
    if (this.count === this.parent.length) this.growNodes();
    const n = this.count++;
    this.parent[n] = parent;
    this.func[n] = func;
    this.self[n] = 0;
    this.firstChild[n] = 0;
    if (this.selfSq !== null) this.selfSq[n] = 0;
    return n;
  }

  funcOfNode(node: NodeIndex): FuncIndex {
    return this.func[node];
  }

  /** Adds `weight` to the node's self; `line` (1-based, 0 for none) is where the weight was read, for the error. */
  addSelf(node: NodeIndex, weight: number, line = 0): void {
    const sum = this.weightSum + weight;
    // One test for all: NaN fails `sum < Infinity` too.
    if (weight < 0 || !(sum < Infinity)) this.rejectWeight(weight, line);
    this.weightSum = sum;
    this.weightLine = line;
    this.self[node] += weight;
  }

  /**
   * Adds `count` samples of `weight` each to the node's self (count · weight) and their squares to its
   * selfSq (count · weight²): for samples that weigh differently (a cpuprofile's time until the next
   * sample), whose variance is not sampleWeight · self.
   */
  addSamples(node: NodeIndex, count: number, weight: number, line = 0): void {
    this.addSelf(node, count * weight, line);
    if (this.selfSq === null) this.selfSq = new Float64Array(this.parent.length);
    this.selfSq[node] += count * weight * weight;
  }

  /** Adds `weight` to the leaf of the root-first stack funcs[0..length). */
  addStack(funcs: ArrayLike<number>, length: number, weight: number, line = 0): NodeIndex {
    let node = 0;
    for (let i = 0; i < length; i++) node = this.child(node, funcs[i]);
    this.addSelf(node, weight, line);
    return node;
  }

  private rejectWeight(weight: number, line: number): never {
    const where = line > 0 ? { line } : {};
    if (weight < 0) throw new ParseError(this.format, `a negative weight (${weight}): costs and counts must be 0 or more`, where);
    if (!Number.isFinite(weight)) throw new ParseError(this.format, `a weight that is not a finite number (${weight})`, where);
    throw new ParseError(
      this.format,
      `the weights add up past the largest number a double holds (${Number.MAX_VALUE.toPrecision(3)}): ${this.weightSum.toPrecision(3)} so far, then ${weight.toPrecision(3)}`,
      where,
    );
  }

  /** A sign that the input is incomplete (cut short), as a sentence with the figures: the profile still loads. */
  incomplete(sentence: string): void {
    (this.warnings.incomplete ??= []).push(sentence);
  }

  skip(line: number, why: string): void {
    this.warnings.skippedLines++;
    if (this.warnings.examples.length < 5) this.warnings.examples.push(`line ${line}: ${why}`);
  }

  private growNodes(): void {
    const size = this.parent.length * 2;
    this.parent = grown(new Int32Array(size), this.parent);
    this.func = grown(new Int32Array(size), this.func);
    this.self = grown(new Float64Array(size), this.self);
    this.firstChild = grown(new Int32Array(size), this.firstChild);
    if (this.selfSq !== null) this.selfSq = grown(new Float64Array(size), this.selfSq);
  }

  private growSlots(): void {
    const old = this.slots;
    const size = old.length * 2;
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let s = 0; s < old.length; s++) {
      const n = old[s];
      if (n === EMPTY) continue;
      let h = hash(this.parent[n], this.func[n]) & mask;
      while (slots[h] !== EMPTY) h = (h + 1) & mask;
      slots[h] = n;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The finished tree in depth-first order, children sorted by function name. */
  finishTree(): CallTree {
    return this.finishTreeWithMap().tree;
  }

  /** As finishTree, plus each builder node's index in the finished tree. */
  finishTreeWithMap(): { tree: CallTree; newIndex: Int32Array } {
    // The work is done by small functions of plain loops over typed arrays allocated here: each
    // is optimized on its own as soon as its loop is hot, and none depends on this builder's
    // hidden class or meets an allocation it has no feedback for.
    const n = this.count;
    const rank = nameRanks(this.strings, this.funcNameList);
    const childStart = new Int32Array(n + 1);
    countChildren(n, this.parent, childStart);
    const children = new Int32Array(n);
    const byRank = new Int32Array(rank.length + 1);
    const ranked = new Int32Array(n);
    const fill = new Int32Array(n);
    groupChildren(n, this.parent, this.func, rank, childStart, byRank, ranked, fill, children);
    const size = new Int32Array(n);
    subtreeSizes(n, this.parent, size);
    const newIndex = new Int32Array(n);
    depthFirstIndex(n, childStart, children, size, newIndex);
    const tree: CallTree = {
      func: new Int32Array(n),
      parent: new Int32Array(n),
      depth: new Int32Array(n),
      subtreeEnd: new Int32Array(n),
      self: new Float64Array(n),
      total: EMPTY_TOTALS,
    };
    scatter(n, this.parent, this.func, this.self, size, newIndex, tree.func, tree.parent, tree.subtreeEnd, tree.self);
    if (this.selfSq !== null) tree.selfSq = scatterColumn(n, newIndex, this.selfSq);
    depthsOf(n, tree.parent, tree.depth);
    tree.total = subtreeTotals(tree.parent, tree.self);
    // The tree adds the weights in another order than weightSum did: at the very edge of the
    // double range, rounding could still carry it over.
    if (!(tree.total[0] < Infinity)) {
      throw new ParseError(this.format, `the weights add up past the largest number a double holds (${Number.MAX_VALUE.toPrecision(3)})`, this.weightLine > 0 ? { line: this.weightLine } : { byte: 0 });
    }
    return { tree, newIndex };
  }

  finish(meta: {
    name: string;
    format: Format;
    unit: string;
    events?: string[];
    parts?: string[];
    funcInclusive?: Float64Array;
    funcSelfExact?: Float64Array;
    sampleWeight?: number;
  }): Profile {
    return {
      name: meta.name,
      format: meta.format,
      unit: meta.unit,
      strings: this.strings.values,
      ...this.functionColumns(),
      tree: this.finishTree(),
      funcInclusive: meta.funcInclusive,
      funcSelfExact: meta.funcSelfExact,
      events: meta.events ?? [meta.unit],
      parts: meta.parts ?? [],
      warnings: this.warnings,
      sampleWeight: meta.sampleWeight,
    };
  }
}

/** Each function's place in name order (a name shared by functions of different files: by index). */
function nameRanks(strings: StringTable, funcName: StringIndex[]): Int32Array {
  const F = funcName.length;
  // The distinct names sorted in the default comparator's order (UTF-16 code units, as
  // compareStrings); then a counting sort of the functions by name.
  const nameRank = new Int32Array(strings.values.length).fill(-1);
  let nDistinct = 0;
  for (let f = 0; f < F; f++) {
    const s = funcName[f];
    if (nameRank[s] < 0) {
      nameRank[s] = 0;
      nDistinct++;
    }
  }
  const distinct = new Int32Array(nDistinct);
  for (let s = 0, k = 0; s < nameRank.length; s++) if (nameRank[s] === 0) distinct[k++] = s;
  sortByText(distinct, strings.values);
  for (let r = 0; r < distinct.length; r++) nameRank[distinct[r]] = r;
  const byName = new Int32Array(distinct.length + 1);
  for (let f = 0; f < F; f++) byName[nameRank[funcName[f]] + 1]++;
  for (let r = 0; r < distinct.length; r++) byName[r + 1] += byName[r];
  const rank = new Int32Array(F);
  for (let f = 0; f < F; f++) rank[f] = byName[nameRank[funcName[f]]]++;
  return rank;
}

/** childStart[p] .. childStart[p + 1]: where node p's children will be in `children`. */
function countChildren(n: number, parent: Int32Array, childStart: Int32Array): void {
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
}

/**
 * children[childStart[p] ..]: node p's children by function rank: a counting sort of the
 * nodes by rank (into `ranked`), then a stable counting sort by parent; no comparator calls.
 */
function groupChildren(
  n: number,
  parent: Int32Array,
  func: Int32Array,
  rank: Int32Array,
  childStart: Int32Array,
  byRank: Int32Array,
  ranked: Int32Array,
  fill: Int32Array,
  children: Int32Array,
): void {
  const F = rank.length;
  for (let i = 1; i < n; i++) byRank[rank[func[i]] + 1]++;
  for (let r = 0; r < F; r++) byRank[r + 1] += byRank[r];
  for (let i = 1; i < n; i++) ranked[byRank[rank[func[i]]]++] = i;
  for (let p = 0; p < n; p++) fill[p] = childStart[p];
  for (let k = 0; k < n - 1; k++) {
    const i = ranked[k];
    children[fill[parent[i]]++] = i;
  }
}

/** Nodes in each node's subtree, itself included (children are numbered after their parent). */
function subtreeSizes(n: number, parent: Int32Array, size: Int32Array): void {
  for (let i = n - 1; i > 0; i--) {
    size[i] += 1;
    size[parent[i]] += size[i];
  }
  size[0] += 1;
}

/**
 * Each node's depth-first number, without a walk (100k-deep stacks must not hit the call
 * stack, and need no explicit one either): in creation order, parents first, a node places
 * its children one after another after itself, each taking as many numbers as its subtree has nodes.
 */
function depthFirstIndex(n: number, childStart: Int32Array, children: Int32Array, size: Int32Array, newIndex: Int32Array): void {
  for (let p = 0; p < n; p++) {
    let next = newIndex[p] + 1;
    for (let c = childStart[p]; c < childStart[p + 1]; c++) {
      const i = children[c];
      newIndex[i] = next;
      next += size[i];
    }
  }
}

/** The builder's columns moved to their depth-first places. */
function scatter(
  n: number,
  parent: Int32Array,
  func: Int32Array,
  self: Float64Array,
  size: Int32Array,
  newIndex: Int32Array,
  outFunc: Int32Array,
  outParent: Int32Array,
  subtreeEnd: Int32Array,
  outSelf: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const j = newIndex[i];
    outFunc[j] = func[i];
    outParent[j] = i === 0 ? -1 : newIndex[parent[i]];
    subtreeEnd[j] = j + size[i];
    outSelf[j] = self[i];
  }
}

/** A per-node column moved to the nodes' depth-first places. */
function scatterColumn(n: number, newIndex: Int32Array, column: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[newIndex[i]] = column[i];
  return out;
}

const EMPTY_TOTALS = new Float64Array(0);

/** In depth-first order a parent comes before its children. */
function depthsOf(n: number, parent: Int32Array, depth: Int32Array): void {
  for (let j = 1; j < n; j++) depth[j] = depth[parent[j]] + 1;
}

function grown<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(bigger: T, from: T): T {
  bigger.set(from);
  return bigger;
}

function hash(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca6b)) >>> 0;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
