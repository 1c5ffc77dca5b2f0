// Several runs of one side travel as one Blob: a line that names the bundle, a JSON line that
// lists each run's name and size, then the runs' bytes one after another. A side is then one
// source and one original, as it is with one run: history, re-reading with another event and
// handing a worker's profiles over all keep working unchanged. Blobs of Blobs copy nothing.

const MAGIC = 'FLAMEDIFF-RUNS 1\n';

export interface Run {
  name: string;
  blob: Blob;
}

export function bundleRuns(runs: Run[]): Blob {
  const index = JSON.stringify({ runs: runs.map((r) => ({ name: r.name, bytes: r.blob.size })) });
  return new Blob([MAGIC, index, '\n', ...runs.map((r) => r.blob)], { type: 'application/x-flamediff-runs' });
}

/** The runs of a bundle, or null when the Blob is not one (an ordinary profile). */
export async function splitRuns(blob: Blob): Promise<Run[] | null> {
  if (blob.size < MAGIC.length) return null;
  if ((await blob.slice(0, MAGIC.length).text()) !== MAGIC) return null;
  // The index line is short (names and sizes); read up to its newline.
  let end = -1;
  for (let at = MAGIC.length, step = 4096; end < 0 && at < blob.size; at += step) {
    const bytes = new Uint8Array(await blob.slice(at, Math.min(blob.size, at + step)).arrayBuffer());
    const nl = bytes.indexOf(10);
    if (nl >= 0) end = at + nl;
  }
  if (end < 0) throw new Error('a bundle of runs without its index line');
  const index = JSON.parse(await blob.slice(MAGIC.length, end).text()) as { runs: { name: string; bytes: number }[] };
  const out: Run[] = [];
  let offset = end + 1;
  for (const r of index.runs) {
    out.push({ name: r.name, blob: blob.slice(offset, offset + r.bytes) });
    offset += r.bytes;
  }
  if (offset !== blob.size) throw new Error(`a bundle of runs whose index names ${offset} bytes of ${blob.size}`);
  return out;
}

/** How a side of several runs is named: "run-1.cpuprofile + 4 more (5 runs)". */
export function runsName(names: string[]): string {
  return names.length === 1 ? names[0] : `${names[0]} + ${names.length - 1} more (${names.length} runs)`;
}
