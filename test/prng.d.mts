/** mulberry32: tiny and fast; uniform in [0, 1). */
export function mulberry32(seed: number): () => number;
