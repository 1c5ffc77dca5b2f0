// Callgrind's name compression: `fn=(12) name` defines id 12 in the function names' space,
// `fn=(12)` uses it. Ids are small integers, numbered from 1 up by callgrind.

/** Compressed name ids (small integers, in practice dense) to string ids; -1 when undefined. */
export class NameIds {
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

