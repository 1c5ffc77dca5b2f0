import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// FLAMEDIFF_E2E_PORT: another port, so two checkouts can run their end-to-end tests at once.
const PORT = Number(process.env.FLAMEDIFF_E2E_PORT ?? 4173);

// Playwright cannot download browsers here: use Debian's Chromium where it exists,
// Playwright's own browser elsewhere (see e2e/check-browser.mjs).
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The JSON report is what .ci/run reads to fail on skipped tests. Artifacts go to a subfolder,
  // which Playwright empties at each run, so test-results/vitest.json (written before) survives.
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? systemChromium,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
