// Maps byte ranges to small ids without decoding them: a frame name is decoded
// to a string once, the first time it is seen, and found by hash afterwards.
// This is what lets a folded file be parsed at near byte-scan speed.

const EMPTY = -1;

export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private arenaLen = 0;
  private offsets: number[] = [];
  private lengths: number[] = [];
  private hashes: number[] = [];
  private slots = new Int32Array(1 << 12).fill(EMPTY);
  private mask = (1 << 12) - 1;

  get size(): number {
    return this.offsets.length;
  }

  /** The id of buf[start, end); `onNew(id)` is called when it is first seen. */
  intern(buf: Uint8Array, start: number, end: number, onNew: (id: number, buf: Uint8Array, start: number, end: number) => void): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    h >>>= 0;
    const len = end - start;
    let s = h & this.mask;
    for (;;) {
      const id = this.slots[s];
      if (id === EMPTY) break;
      if (this.hashes[id] === h && this.lengths[id] === len && this.same(id, buf, start, len)) return id;
      s = (s + 1) & this.mask;
    }
    const id = this.offsets.length;
    if (this.arenaLen + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      bigger.set(this.arena.subarray(0, this.arenaLen));
      this.arena = bigger;
    }
    this.arena.set(buf.subarray(start, end), this.arenaLen);
    this.offsets.push(this.arenaLen);
    this.lengths.push(len);
    this.hashes.push(h);
    this.arenaLen += len;
    this.slots[s] = id;
    if (this.offsets.length * 2 > this.slots.length) this.rehash();
    onNew(id, buf, start, end);
    return id;
  }

  private same(id: number, buf: Uint8Array, start: number, len: number): boolean {
    const a = this.arena;
    const o = this.offsets[id];
    for (let i = 0; i < len; i++) if (a[o + i] !== buf[start + i]) return false;
    return true;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let s = this.hashes[id] & this.mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
      this.slots[s] = id;
    }
  }
}
