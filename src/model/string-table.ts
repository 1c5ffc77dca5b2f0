import type { StringIndex } from './profile';

/** Interns strings: each distinct string gets one index. */
export class StringTable {
  readonly values: string[] = [];
  private index = new Map<string, StringIndex>();

  intern(s: string): StringIndex {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
