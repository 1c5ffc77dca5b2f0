// Maps byte ranges to small ids without decoding them: a frame name is decoded
// to a string once, the first time it is seen, and found by hash afterwards.
// This is what lets a folded file be parsed at near byte-scan speed.
//
// The hash reads four bytes at a time (little-endian 32-bit words from the range's
// start, then the last 0–3 bytes one by one), so that a parser that already walks the
// bytes by words (the folded parser, looking for ';') can compute it on the way and
// pass it to `internHashed` instead of having the range read twice.
import { grownInt32 } from '../../src/model/typed-arrays';

const EMPTY = -1;

export const HASH_SEED = 0x2f0b3c9d;

/** One step of the hash: `u` is a 32-bit word or a single byte. */
export function hashStep(h: number, u: number): number {
  // The rotation brings high bits down, which a multiplication alone never does.
  return Math.imul(((h << 5) | (h >>> 27)) ^ u, 0x9e3779b1);
}

/** The hash of a range of `len` bytes whose words and bytes went through hashStep. */
export function hashFinish(h: number, len: number): number {
  // murmur3's finaliser: every input bit reaches the low bits that pick a slot.
  h ^= len;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of buf[start, end), as `internHashed` expects it. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  let i = start;
  for (; i + 4 <= end; i += 4) h = hashStep(h, buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
  for (; i < end; i++) h = hashStep(h, buf[i]);
  return hashFinish(h, end - start);
}

type OnNew = (id: number, buf: Uint8Array, start: number, end: number) => void;

export class ByteInterner {
  // Keeps this class's hidden class alive, and V8's optimized code with it: see TreeBuilder.keptAlive.
  static readonly keptAlive = new ByteInterner();

  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private arenaLen = 0;
  private count = 0;
  // Per id: where its bytes are in the arena, how many, and their hash.
  private offsets = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private slots = new Int32Array(1 << 12).fill(EMPTY);
  private mask = (1 << 12) - 1;
  // A DataView of the last buffer seen: parsers pass the same chunk for many ranges.
  private lastBuf: Uint8Array | null = null;
  private lastView: DataView = this.arenaView;

  get size(): number {
    return this.count;
  }

  /** The id of buf[start, end); `onNew(id)` is called when it is first seen. */
  intern(buf: Uint8Array, start: number, end: number, onNew: OnNew): number {
    const known = this.count;
    const id = this.internHashed(buf, start, end, hashBytes(buf, start, end));
    if (id === known) onNew(id, buf, start, end);
    return id;
  }

  /**
   * As `intern`, with `hash` = hashBytes(buf, start, end) already computed. Ids are given
   * in order: a range is new when its id equals `size` before the call. (No callback here:
   * optimized code that inlined a parse's own closure would be dropped with that closure.)
   */
  internHashed(buf: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let s = hash & mask;
    for (;;) {
      const id = slots[s];
      if (id === EMPTY) break;
      if (this.hashes[id] === hash && this.lengths[id] === len && this.same(id, buf, start, len)) return id;
      s = (s + 1) & mask;
    }
    const id = this.count++;
    if (id === this.offsets.length) {
      this.offsets = grownInt32(this.offsets);
      this.lengths = grownInt32(this.lengths);
      this.hashes = grownInt32(this.hashes);
    }
    if (this.arenaLen + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      bigger.set(this.arena.subarray(0, this.arenaLen));
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer);
    }
    this.arena.set(buf.subarray(start, end), this.arenaLen);
    this.offsets[id] = this.arenaLen;
    this.lengths[id] = len;
    this.hashes[id] = hash;
    this.arenaLen += len;
    slots[s] = id;
    if (this.count * 2 > slots.length) this.rehash();
    return id;
  }

  /** How many bytes name `id` has. */
  lengthOf(id: number): number {
    return this.lengths[id];
  }

  /** Where name `id`'s bytes start in `bytes`. */
  offsetOf(id: number): number {
    return this.offsets[id];
  }

  /** Every name's bytes, one after another, in id order (a view, valid until the next new name). */
  get bytes(): Uint8Array {
    return this.arena.subarray(0, this.arenaLen);
  }

  /** Whether buf holds name `id`'s bytes from `start` on (the caller knows they fit). */
  sameAs(id: number, buf: Uint8Array, start: number): boolean {
    return this.same(id, buf, start, this.lengths[id]);
  }

  private same(id: number, buf: Uint8Array, start: number, len: number): boolean {
    if (buf !== this.lastBuf) {
      this.lastBuf = buf;
      this.lastView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.lastView;
    const arena = this.arenaView;
    const o = this.offsets[id];
    let i = 0;
    for (; i + 8 <= len; i += 8) {
      if (((arena.getInt32(o + i) ^ view.getInt32(start + i)) | (arena.getInt32(o + i + 4) ^ view.getInt32(start + i + 4))) !== 0) return false;
    }
    for (; i < len; i++) if (this.arena[o + i] !== buf[start + i]) return false;
    return true;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let s = this.hashes[id] & this.mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
      this.slots[s] = id;
    }
  }
}

