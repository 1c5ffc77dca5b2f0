// A hash map from a pair of non-negative int32s to a non-negative int32, in typed arrays: for keys
// such as (caller, callee) or (node, function), where a Map would need a string or a nested Map.

const ABSENT = -1;

/** Open addressing, linear probing, load factor under 1/2; `get` is -1 when the pair is absent. */
export class IntPairMap {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new IntPairMap();

  private a: Int32Array;
  private b: Int32Array;
  private v: Int32Array;
  private mask: number;
  private size = 0;

  /** `expected` pairs fit without a rehash. */
  constructor(expected = 512) {
    const slots = 1 << Math.max(10, Math.ceil(Math.log2(expected * 2 + 1)));
    this.a = new Int32Array(slots);
    this.b = new Int32Array(slots);
    this.v = new Int32Array(slots).fill(ABSENT);
    this.mask = slots - 1;
  }

  get(a: number, b: number): number {
    const mask = this.mask;
    let h = pairHash(a, b) & mask;
    for (;;) {
      const v = this.v[h];
      if (v < 0 || (this.a[h] === a && this.b[h] === b)) return v;
      h = (h + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    const mask = this.mask;
    let h = pairHash(a, b) & mask;
    for (;;) {
      const v = this.v[h];
      if (v < 0) break;
      if (this.a[h] === a && this.b[h] === b) {
        this.v[h] = value;
        return;
      }
      h = (h + 1) & mask;
    }
    this.a[h] = a;
    this.b[h] = b;
    this.v[h] = value;
    if (++this.size * 2 > mask) this.rehash();
  }

  private rehash(): void {
    const { a, b, v } = this;
    const size = v.length * 2;
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.v = new Int32Array(size).fill(ABSENT);
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
