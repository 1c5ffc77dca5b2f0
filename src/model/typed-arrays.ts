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

/** The parts one after another in one new array (the part itself when there is only one). */
export function joinedBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
