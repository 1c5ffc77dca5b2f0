// HOOK for the renderer issue's frame-time figures (not measured yet).
//
// When the renderer work lands, measure here, on a page whose diff is drawn
// (<html data-state="ready">), e.g. the frame times of a scripted pan and zoom, and
// return them; bench.mjs prints them and writes them into BENCHMARKS.md's
// "Rendering" section. Returning null keeps that section marked "pending".
//
// Expected shape: { label: string, frames: number, medianMs: number, p95Ms: number, maxMs: number }[]

/** @param {import('@playwright/test').Page} _page a Flamediff page in the ready state */
export async function measureRendering(_page) {
  return null;
}
