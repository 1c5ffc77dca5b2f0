import type { StringIndex } from './profile';

/** Interns strings: each distinct string gets one index. */
export class StringTable {
  readonly values: string[] = [];
  private index = new Map<string, StringIndex>();
  /** values[0, indexed) are in `index`; those after came through `add`, and are indexed at the next intern. */
  private indexed = 0;

  intern(s: string): StringIndex {
    if (this.indexed < this.values.length) this.indexAdded();
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
      this.indexed = this.values.length;
    }
    return i;
  }

  /**
   * Appends a string the caller knows is not in the table (its own keys tell it), without
   * hashing it: a parser that has told its names apart by their bytes need not hash them again.
   */
  add(s: string): StringIndex {
    this.values.push(s);
    return this.values.length - 1;
  }

  private indexAdded(): void {
    for (let i = this.indexed; i < this.values.length; i++) this.index.set(this.values[i], i);
    this.indexed = this.values.length;
  }
}
