// Before the e2e tests: say how to get a browser instead of failing obscurely.
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) process.exit(0);
try {
  const { chromium } = await import('@playwright/test');
  if (existsSync(chromium.executablePath())) process.exit(0);
} catch {
  /* fall through to the message */
}
console.error(`No Chromium found for the end-to-end tests.
Install one of:
  - Debian/Ubuntu: apt-get install -y chromium        (used from /usr/bin/chromium)
  - anywhere else: npx playwright install chromium     (Playwright's own build)
or point CHROMIUM_PATH at a Chromium/Chrome binary.`);
process.exit(1);
