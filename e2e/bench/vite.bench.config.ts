// Bundles the worker's parsers and diff for Node (`npm run bench` builds it first):
// an SSR library build, unminified so that `node --cpu-prof` names our functions.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: 'e2e/bench/worker-code.ts',
    // Where bench.mjs looks for it: under FLAMEDIFF_BENCH_OUT when that is set.
    outDir: path.join(process.env.FLAMEDIFF_BENCH_OUT ? path.resolve(process.env.FLAMEDIFF_BENCH_OUT) : 'bench-out', 'node'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'worker-code.mjs' } },
  },
});
