import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';

/**
 * The built app's Content-Security-Policy. Scripts, styles and workers come only from the app's own
 * origin; connect-src stays open to http(s) because a share link may name any profile URL. A <meta>
 * CSP does not cover workers: e2e/hostile.spec.ts watches every request instead. Build only: the dev
 * server injects inline scripts for hot reload.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' http: https:",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'flamediff-csp',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

// base: './' keeps the built app working under any path prefix (a GitHub Pages project site).
export default defineConfig({
  base: './',
  plugins: [
    preact(),
    contentSecurityPolicy(),
    // The offline, installable app. generateSW bundles Workbox into dist/ (no CDN); every URL in
    // the manifest and the service worker is relative, so both work under any prefix too.
    // src/client/pwa.ts registers the worker (injectRegister: false) and drives the update prompt.
    VitePWA({
      registerType: 'prompt',
      strategies: 'generateSW',
      injectRegister: false,
      // The globs below already take the icons and the favicon; listing them again would duplicate precache entries.
      includeManifestIcons: false,
      manifest: {
        name: 'Flamediff',
        short_name: 'Flamediff',
        description: 'Differential flame graphs: drop a base and a head profile and see where your change made the program slower.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        theme_color: '#1b1f24',
        background_color: '#ffffff',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // "Open with… Flamediff" for profiles; src/client/launch-queue.ts receives them. Formats are
        // detected by content, so these only decide what the OS offers. `callgrind.out.12345` has no
        // extension to match (the picker and drop cover it); `.txt` is left out so the app does not
        // claim every text file.
        file_handlers: [
          {
            action: '.',
            // Never .txt (perf script has no extension of its own); speedscope files end in .speedscope.json, which
            // matches .json (Chromium matches on the last extension), so any JSON file may be offered to the app.
            accept: {
              'application/json': ['.cpuprofile', '.json'],
              'application/octet-stream': ['.callgrind', '.pprof', '.pb', '.pb.gz'],
              'text/plain': ['.folded', '.collapsed'],
            },
          },
        ],
      },
      workbox: {
        // The plugin adds manifest.webmanifest itself. `.folded` and `.out` are the demo pairs (40 kB, 2.9 MB), so they work offline.
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,folded,out}'],
        // Share links (`?base=…&head=…`) and any other navigation inside the scope get the app shell.
        navigateFallback: 'index.html',
        // The main bundle is ~0.4 MB; 5 MB leaves room without letting a stray large file in.
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
  preview: { port: 4173 },
});
