import type { CallTree, FuncIndex, NodeIndex, Profile, ParseWarnings, Format, StringIndex } from './profile';
import { StringTable } from './string-table';

const INITIAL_NODES = 1024;
// Open-addressing table of (parent, func) -> node; load factor kept under 1/2.
const EMPTY = -1;

/**
 * Grows a call tree from stacks or from explicit (parent, func) steps, then
 * lays it out depth-first with children in name order, so base and head
 * trees line up and a diff can walk them side by side.
 */
export class TreeBuilder {
  readonly strings = new StringTable();
  private funcKeyToIndex = new Map<string, FuncIndex>();
  private funcNameList: StringIndex[] = [];
  private funcFileList: StringIndex[] = [];

  private count = 1; // node 0 is the root
  private parent = new Int32Array(INITIAL_NODES);
  private func = new Int32Array(INITIAL_NODES);
  private self = new Float64Array(INITIAL_NODES);
  private slots = new Int32Array(INITIAL_NODES * 2).fill(EMPTY);
  private mask = INITIAL_NODES * 2 - 1;

  readonly warnings: ParseWarnings = { skippedLines: 0, examples: [] };

  /** `expectedNodes` sizes the tables up front (a parser that knows its node count skips the rehashes). */
  constructor(expectedNodes = INITIAL_NODES) {
    if (expectedNodes > INITIAL_NODES) {
      const size = 1 << Math.ceil(Math.log2(expectedNodes + 1));
      this.parent = new Int32Array(size);
      this.func = new Int32Array(size);
      this.self = new Float64Array(size);
      this.slots = new Int32Array(size * 2).fill(EMPTY);
      this.mask = size * 2 - 1;
    }
    this.parent[0] = -1;
    this.func[0] = -1;
  }

  get nodeCount(): number {
    return this.count;
  }

  /** The function (name, file) as an index, interning both strings. */
  funcIndex(name: string, file: string | null = null): FuncIndex {
    const key = file === null ? name : `${name}\u0000${file}`;
    let f = this.funcKeyToIndex.get(key);
    if (f === undefined) {
      f = this.funcNameList.length;
      this.funcNameList.push(this.strings.intern(name));
      this.funcFileList.push(file === null ? -1 : this.strings.intern(file));
      this.funcKeyToIndex.set(key, f);
    }
    return f;
  }

  funcNameOf(f: FuncIndex): string {
    return this.strings.values[this.funcNameList[f]];
  }

  get funcCount(): number {
    return this.funcNameList.length;
  }

  /** The child of `parent` for `func`, created when missing. */
  child(parent: NodeIndex, func: FuncIndex): NodeIndex {
    let h = hash(parent, func) & this.mask;
    const slots = this.slots;
    for (;;) {
      const n = slots[h];
      if (n === EMPTY) break;
      if (this.parent[n] === parent && this.func[n] === func) return n;
      h = (h + 1) & this.mask;
    }
    if (this.count >= this.parent.length) {
      this.grow();
      return this.child(parent, func);
    }
    const n = this.count++;
    this.parent[n] = parent;
    this.func[n] = func;
    this.self[n] = 0;
    slots[h] = n;
    return n;
  }

  funcOfNode(node: NodeIndex): FuncIndex {
    return this.func[node];
  }

  addSelf(node: NodeIndex, weight: number): void {
    this.self[node] += weight;
  }

  /** Adds `weight` to the leaf of the root-first stack funcs[0..length). */
  addStack(funcs: ArrayLike<number>, length: number, weight: number): NodeIndex {
    let node = 0;
    for (let i = 0; i < length; i++) node = this.child(node, funcs[i]);
    this.self[node] += weight;
    return node;
  }

  skip(line: number, why: string): void {
    this.warnings.skippedLines++;
    if (this.warnings.examples.length < 5) this.warnings.examples.push(`line ${line}: ${why}`);
  }

  private grow(): void {
    const size = this.parent.length * 2;
    const parent = new Int32Array(size);
    parent.set(this.parent);
    const func = new Int32Array(size);
    func.set(this.func);
    const self = new Float64Array(size);
    self.set(this.self);
    this.parent = parent;
    this.func = func;
    this.self = self;
    this.slots = new Int32Array(size * 2).fill(EMPTY);
    this.mask = size * 2 - 1;
    for (let n = 1; n < this.count; n++) {
      let h = hash(parent[n], func[n]) & this.mask;
      while (this.slots[h] !== EMPTY) h = (h + 1) & this.mask;
      this.slots[h] = n;
    }
  }

  /** The finished tree in depth-first order, children sorted by function name. */
  finishTree(): CallTree {
    return this.finishTreeWithMap().tree;
  }

  /** As finishTree, plus each builder node's index in the finished tree. */
  finishTreeWithMap(): { tree: CallTree; newIndex: Int32Array } {
    const n = this.count;
    const names = this.strings.values;
    const funcName = this.funcNameList;
    // Rank every function by name once, so sibling sorting compares ints.
    const order = funcName.map((_, i) => i);
    order.sort((a, b) => compareStrings(names[funcName[a]], names[funcName[b]]) || a - b);
    const rank = new Int32Array(funcName.length);
    order.forEach((f, r) => (rank[f] = r));

    // Children grouped by parent, in name order within each parent: a counting
    // sort by name rank, then a stable counting sort by parent (no comparator calls).
    const F = funcName.length;
    const byRank = new Int32Array(F + 1);
    for (let i = 1; i < n; i++) byRank[rank[this.func[i]] + 1]++;
    for (let r = 0; r < F; r++) byRank[r + 1] += byRank[r];
    const ranked = new Int32Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) ranked[byRank[rank[this.func[i]]]++] = i;
    const childStart = new Int32Array(n + 1);
    for (let i = 1; i < n; i++) childStart[this.parent[i] + 1]++;
    for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
    const children = new Int32Array(Math.max(0, n - 1));
    const fill = childStart.slice(0, n);
    for (let k = 0; k < ranked.length; k++) {
      const i = ranked[k];
      children[fill[this.parent[i]]++] = i;
    }

    const out: CallTree = {
      func: new Int32Array(n),
      parent: new Int32Array(n),
      depth: new Int32Array(n),
      subtreeEnd: new Int32Array(n),
      self: new Float64Array(n),
      total: new Float64Array(n),
    };
    // Iterative depth-first walk: 100k-deep stacks must not hit the call stack.
    const newIndex = new Int32Array(n);
    const stack = new Int32Array(n);
    let sp = 0;
    stack[sp++] = 0;
    let next = 0;
    while (sp > 0) {
      const old = stack[--sp];
      const i = next++;
      newIndex[old] = i;
      out.func[i] = this.func[old];
      const p = this.parent[old];
      out.parent[i] = p < 0 ? -1 : newIndex[p];
      out.depth[i] = p < 0 ? 0 : out.depth[newIndex[p]] + 1;
      out.self[i] = this.self[old];
      // Push children in reverse so the first in name order is visited first.
      for (let c = childStart[old + 1] - 1; c >= childStart[old]; c--) stack[sp++] = children[c];
    }
    for (let i = n - 1; i >= 0; i--) {
      out.total[i] += out.self[i];
      if (out.subtreeEnd[i] === 0) out.subtreeEnd[i] = i + 1;
      const p = out.parent[i];
      if (p >= 0) {
        out.total[p] += out.total[i];
        if (out.subtreeEnd[p] < out.subtreeEnd[i]) out.subtreeEnd[p] = out.subtreeEnd[i];
      }
    }
    return { tree: out, newIndex };
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
      funcName: Int32Array.from(this.funcNameList),
      funcFile: Int32Array.from(this.funcFileList),
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

function hash(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca6b)) >>> 0;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
