import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// base: './' keeps the built app working under any path prefix (a GitHub Pages project site).
export default defineConfig({
  base: './',
  plugins: [preact()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
  preview: { port: 4173 },
});
