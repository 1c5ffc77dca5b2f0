// The command-line report and the browser say the same: its --json is the app's JSON export of
// the default view, number for number.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, waitReady } from './helpers';

for (const pair of ['c-crc-perf/base.folded c-crc-perf/head.folded', 'py-parse-issue/base.callgrind.out py-parse-issue/head.callgrind.out']) {
  const [base, head] = pair.split(' ');
  test(`flamediff report --json equals the browser's export: ${pair}`, async ({ page }) => {
    await page.goto(`/?base=demo/${base}&head=demo/${head}`);
    await waitReady(page);
    const dl = page.waitForEvent('download');
    await page.getByTestId('export-json').click();
    const browser = JSON.parse(readFileSync((await (await dl).path())!, 'utf8'));
    const r = spawnSync('npm', ['run', '--silent', 'report', '--', path.join(ROOT, 'public/demo', base), path.join(ROOT, 'public/demo', head), '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    expect(cli).toEqual(browser);
  });
}
