// A hash map from a pair of non-negative int32s to an int32 in [0, 2^31 - 1), in typed arrays: for keys
// such as (caller, callee) or (node, function), where a Map would need a string or a nested Map.

/**
 * A slot is (a, b, value + 1) side by side: a probe reads one cache line, where three arrays cost
 * three misses; 0 marks an empty slot, so that a new table needs no filling.
 */
const STRIDE = 3;

/** Open addressing, linear probing, load factor under 1/2; `get` is -1 when the pair is absent. */
export class IntPairMap {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new IntPairMap();

  private slots: Int32Array;
  private mask: number;
  private size = 0;

  /** `expected` pairs fit without a rehash. */
  constructor(expected = 512) {
    const n = 1 << Math.max(10, Math.ceil(Math.log2(expected * 2 + 1)));
    this.slots = new Int32Array(n * STRIDE);
    this.mask = n - 1;
  }

  get(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let h = pairHash(a, b) & mask;
    for (;;) {
      const s = h * STRIDE;
      const v = slots[s + 2];
      if (v === 0 || (slots[s] === a && slots[s + 1] === b)) return v - 1;
      h = (h + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let h = pairHash(a, b) & mask;
    for (;;) {
      const s = h * STRIDE;
      if (slots[s + 2] === 0) break;
      if (slots[s] === a && slots[s + 1] === b) {
        slots[s + 2] = value + 1;
        return;
      }
      h = (h + 1) & mask;
    }
    this.insert(h, a, b, value);
  }

  /** Adds a pair the caller knows is absent (one probe sequence where get then set take two). */
  add(a: number, b: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let h = pairHash(a, b) & mask;
    while (slots[h * STRIDE + 2] !== 0) h = (h + 1) & mask;
    this.insert(h, a, b, value);
  }

  private insert(h: number, a: number, b: number, value: number): void {
    const s = h * STRIDE;
    this.slots[s] = a;
    this.slots[s + 1] = b;
    this.slots[s + 2] = value + 1;
    if (++this.size * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    const slots = new Int32Array(n * STRIDE);
    const mask = n - 1;
    for (let s = 0; s < old.length; s += STRIDE) {
      if (old[s + 2] === 0) continue;
      let h = pairHash(old[s], old[s + 1]) & mask;
      while (slots[h * STRIDE + 2] !== 0) h = (h + 1) & mask;
      slots[h * STRIDE] = old[s];
      slots[h * STRIDE + 1] = old[s + 1];
      slots[h * STRIDE + 2] = old[s + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
