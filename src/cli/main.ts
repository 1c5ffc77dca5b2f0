// The `flamediff` command: `flamediff report …` from an installed package, `npm run report -- …` in the repo.
// The same bundle is the command's reader threads (reader-threads.ts), which start it again off the main thread.
import { isMainThread } from 'node:worker_threads';
import { report } from './report';
import { readFiles, serveReads } from './reader-threads';

async function stdin(): Promise<Blob> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array<ArrayBuffer>);
  return new Blob(chunks);
}

/** FLAMEDIFF_READ_THREADS=N: read with N threads (0: in the main thread), whatever the files' size. */
function threadsWanted(): number | undefined {
  const v = process.env.FLAMEDIFF_READ_THREADS;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

async function command(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'report') args.shift();
  process.exitCode = await report(args, {
    stdin,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    progress: !!process.stderr.isTTY,
    readFiles: (files, io) => readFiles(files, io, new URL(import.meta.url), threadsWanted()),
  });
}

if (isMainThread) await command();
else serveReads();
