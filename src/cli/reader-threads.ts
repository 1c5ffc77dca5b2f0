// The command reads its files in worker threads, as the app reads base and head in two workers:
// on two cores the pair's parse takes the time of the larger file, not of both. Each profile comes
// back with its buffers transferred, never copied.
import { Worker, parentPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { profileTransferables, type ParseErrorInfo, type Profile } from '../model/profile';
import { InputError, nameOf, readProfile, type ReadIo } from './read-profile';

type Request = { id: number; file: string; progress: boolean };
type Reply = { id: number; profile: Profile } | { id: number; error: ParseErrorInfo } | { id: number; progress: string };

/** Below this many bytes in all, a thread's start (a new isolate compiling the bundle) costs more than it saves. */
const THREADS_FROM_BYTES = 4 << 20;

/** The thread's side: reads what it is asked, one file at a time. */
export function serveReads(): void {
  const port = parentPort!;
  port.on('message', async ({ id, file, progress }: Request) => {
    const io: ReadIo = {
      stdin: () => Promise.reject(new Error('standard input is read by the main thread')),
      progress: progress ? (line) => port.postMessage({ id, progress: line } satisfies Reply) : null,
    };
    try {
      const profile = await readProfile(file, io);
      port.postMessage({ id, profile } satisfies Reply, profileTransferables(profile));
    } catch (e) {
      const error: ParseErrorInfo = e instanceof InputError ? e.info : { file, format: 'unknown', message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ id, error } satisfies Reply);
    }
  });
}

function totalBytes(files: string[]): number {
  let n = 0;
  for (const f of files) {
    try {
      n += f === '-' ? 0 : statSync(f).size;
    } catch {
      // Not there: readProfile says so in its own words.
    }
  }
  return n;
}

/**
 * Reads every file; one promise per file, in order. `script` is the bundle a thread runs (it
 * calls serveReads when it is not the main thread). Standard input is read here, in this thread.
 * `threads`: how many (0: none), else as many as there are cores once the files are big enough.
 */
export function readFiles(files: string[], io: ReadIo, script: URL, threads?: number): Promise<Profile>[] {
  const threaded = files.filter((f) => f !== '-');
  const auto = totalBytes(threaded) < THREADS_FROM_BYTES ? 0 : availableParallelism();
  const count = Math.min(threaded.length, threads ?? auto);
  if (count < 1) return files.map((f) => readProfile(f, io));

  const workers = Array.from({ length: count }, () => new Worker(script));
  const waiting = new Map<number, { resolve: (p: Profile) => void; reject: (e: Error) => void }>();
  const queue: { id: number; file: string }[] = [];
  const reading = new Map<Worker, number>();
  let alive = count;
  const settle = (id: number, result: Profile | InputError) => {
    const job = waiting.get(id)!;
    waiting.delete(id);
    if (result instanceof InputError) job.reject(result);
    else job.resolve(result);
  };
  const next = (w: Worker) => {
    reading.delete(w);
    const job = queue.shift();
    if (job) {
      reading.set(w, job.id);
      w.postMessage({ ...job, progress: io.progress !== null } satisfies Request);
    } else void w.terminate();
  };
  for (const w of workers) {
    w.on('message', (m: Reply) => {
      if ('progress' in m) return io.progress?.(m.progress);
      settle(m.id, 'profile' in m ? m.profile : new InputError(m.error));
      next(w);
    });
    // A thread that dies (out of memory) fails the file it was reading, in words; the others go on.
    w.on('error', (e) => {
      const id = reading.get(w);
      reading.delete(w);
      const failed = (i: number) => new InputError({ file: nameOf(files[i]), format: 'unknown', message: `the reader stopped: ${e.message}` });
      if (id !== undefined) settle(id, failed(id));
      if (--alive === 0) for (const job of queue.splice(0)) settle(job.id, failed(job.id));
    });
  }
  const out = files.map((file, id) => {
    if (file === '-') return readProfile(file, io);
    queue.push({ id, file });
    return new Promise<Profile>((resolve, reject) => waiting.set(id, { resolve, reject }));
  });
  for (const w of workers) next(w);
  return out;
}
