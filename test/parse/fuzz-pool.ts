// Worker threads that run fuzz cases (fuzz-runner.ts), one case per thread at a time.
// A case that does not answer within its bound is a hang: its thread is terminated
// (the only way to stop a synchronous loop) and replaced. A thread that dies on its
// own (an uncaught exception or rejection, out of memory) is a crash, and replaced too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'vite';
import type { FuzzCase, FuzzOutcome } from './fuzz-runner';

export type PoolResult = { kind: 'done'; outcome: FuzzOutcome; ms: number } | { kind: 'hang'; ms: number } | { kind: 'crash'; message: string; ms: number };

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A browser worker's stack is about 1 MB, like Node's main thread; Node gives worker
 * threads 4 MB by default, which would hide recursion that overflows in the app.
 */
const STACK_MB = 1;
/** Far above what any case needs (the 10 MB-line cases peak near 200 MB): only runaway allocation reaches it. */
const HEAP_MB = 2048;

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class FuzzPool {
  private slots: Slot[] = [];
  private waiting: (() => void)[] = [];
  private constructor(
    private readonly script: string,
    private readonly dir: string,
  ) {}

  /** Bundles the runner (worker threads need plain JavaScript) and starts `size` threads. */
  static async start(size: number): Promise<FuzzPool> {
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      root: path.resolve(here, '../..'),
      build: { ssr: path.join(here, 'fuzz-runner.ts'), write: false, minify: false, sourcemap: false, target: 'node20' },
    });
    const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string; isEntry?: boolean }[] }[];
    const entry = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.isEntry);
    if (!entry?.code) throw new Error('vite produced no bundle for fuzz-runner.ts');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flamediff-fuzz-'));
    const script = path.join(dir, 'fuzz-runner.mjs');
    writeFileSync(script, entry.code);
    const pool = new FuzzPool(script, dir);
    for (let i = 0; i < size; i++) pool.slots.push({ worker: pool.spawn(), busy: false });
    return pool;
  }

  private spawn(): Worker {
    const w = new Worker(this.script, { workerData: { fuzzRunner: true }, resourceLimits: { stackSizeMb: STACK_MB, maxOldGenerationSizeMb: HEAP_MB } });
    w.unref();
    return w;
  }

  /** Runs one case on a free thread; never rejects. */
  async run(c: FuzzCase, timeoutMs: number): Promise<PoolResult> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    const s = slot;
    const started = performance.now();
    const result = await new Promise<PoolResult>((resolve) => {
      const w = s.worker;
      const finish = (r: PoolResult, replace: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (replace) {
          void w.terminate();
          s.worker = this.spawn();
        }
        resolve(r);
      };
      const onMessage = (m: { id: number; outcome: FuzzOutcome; ms: number }) => {
        if (m.id === c.id) finish({ kind: 'done', outcome: m.outcome, ms: m.ms }, false);
      };
      const onError = (e: Error) => finish({ kind: 'crash', message: `${e.name}: ${e.message}\n${e.stack ?? ''}`, ms: performance.now() - started }, true);
      const onExit = (code: number) => finish({ kind: 'crash', message: `the thread exited with code ${code}`, ms: performance.now() - started }, true);
      const timer = setTimeout(() => finish({ kind: 'hang', ms: performance.now() - started }, true), timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      // A copy moved to the thread: the caller keeps its bytes (to report or shrink a failing case).
      const bytes = c.bytes.slice();
      try {
        w.postMessage({ ...c, bytes }, [bytes.buffer as ArrayBuffer]);
      } catch (e) {
        finish({ kind: 'crash', message: `the case could not be sent: ${String(e)}`, ms: 0 }, false);
      }
    });
    s.busy = false;
    this.waiting.shift()?.();
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
