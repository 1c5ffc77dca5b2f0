// Bundles the `flamediff` command for Node: one self-contained ES module, cli-dist/flamediff.mjs
// (`npm run report` and `npm pack` build it first). The same readers and diff as the workers.
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'cli-dist',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    // Bundle everything: the installed package needs no dependency at run time.
    rolldownOptions: { output: { format: 'es', entryFileNames: 'flamediff.mjs', banner: '#!/usr/bin/env node' } },
  },
  ssr: { noExternal: true },
});
