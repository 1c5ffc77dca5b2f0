// Growable typed-array columns: parsers and layouts append to fixed-size arrays and double them when full.

/** A copy of `a` in a new array of at least twice its length (and at least `min`). */
export function grownInt32(a: Int32Array, min = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(a.length * 2, min));
  b.set(a);
  return b;
}

/** A copy of `a` in a new array of at least twice its length (and at least `min`). */
export function grownFloat64(a: Float64Array, min = 0): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(a.length * 2, min));
  b.set(a);
  return b;
}
