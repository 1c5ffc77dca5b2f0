// Sorting many names that share long prefixes (callgrind's separate-callers names are
// "callee'caller'caller's caller…"): a comparison sort compares each prefix again at every one
// of its log n comparisons; a multikey quicksort (Bentley & Sedgewick, "Fast algorithms for
// sorting and searching strings", 1997) looks at each character position once per partition.

/** Below this many, an insertion sort by whole strings (from the shared prefix on, in effect). */
const SMALL = 12;

/**
 * Sorts idx by values[idx[k]], in the default sort's order (UTF-16 code units, a prefix before
 * its extensions); the strings must be distinct. Iterative: a prefix thousands of characters long needs no call stack.
 */
export function sortByText(idx: Int32Array, values: readonly string[]): void {
  // Pending ranges as (lo, hi, depth): all strings in idx[lo, hi) have the same first `depth` characters.
  const stack: number[] = [0, idx.length, 0];
  while (stack.length > 0) {
    let depth = stack.pop()!;
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    for (;;) {
      if (hi - lo <= SMALL) {
        insertionSort(idx, values, lo, hi);
        break;
      }
      const pivot = unitAt(values[idx[(lo + hi) >> 1]], depth);
      let lt = lo;
      let gt = hi - 1;
      let i = lo;
      while (i <= gt) {
        const c = unitAt(values[idx[i]], depth);
        if (c < pivot) swap(idx, lt++, i++);
        else if (c > pivot) swap(idx, i, gt--);
        else i++;
      }
      stack.push(lo, lt, depth, gt + 1, hi, depth);
      // The strings that end here are one string (they are distinct), already in place.
      if (pivot < 0) break;
      lo = lt;
      hi = gt + 1;
      depth++;
    }
  }
}

/** The code unit at `i`, or -1 past the end (so that a prefix comes first). */
function unitAt(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

function swap(idx: Int32Array, a: number, b: number): void {
  const t = idx[a];
  idx[a] = idx[b];
  idx[b] = t;
}

function insertionSort(idx: Int32Array, values: readonly string[], lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = idx[i];
    const s = values[x];
    let j = i - 1;
    while (j >= lo && values[idx[j]] > s) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = x;
  }
}
