import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { newPurchase } from '../tests/support/server';

// From navigation start to the PDF link being visible and clickable, for 20
// fresh completion URLs, each in a fresh browser context (cold caches).
// Also what the page downloaded from /pkg (the hydrate bundle as the browser
// fetched it, compressed): every run is cold, so each fetches all of it.
test('time to usable link', async ({ browser }) => {
  const times: number[] = [];
  // The same moment seen from inside the page, without the harness's own
  // polling and round trips: when the link first appears in the document.
  const inPage: number[] = [];
  let pkg = { files: 0, bytes: 0, names: [] as string[] };
  for (let i = 0; i < 20; i++) {
    const purchase = newPurchase();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver(() => {
        const w = window as unknown as { linkShownAt?: number };
        const shown = [...document.querySelectorAll('a')].some((a) => a.textContent?.includes('Download invoice (PDF)'));
        if (w.linkShownAt === undefined && shown) w.linkShownAt = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(purchase.CompleteUrl, { waitUntil: 'commit' });
    const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
    await link.click({ trial: true }); // waits until visible, stable and enabled
    times.push(await page.evaluate(() => performance.now()));
    inPage.push(await page.evaluate(() => (window as unknown as { linkShownAt: number }).linkShownAt));
    pkg = await page.evaluate(() => {
      const entries = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (entry) => new URL(entry.name).pathname.startsWith('/pkg/') && !entry.name.endsWith('.css'),
      );
      return {
        files: entries.length,
        bytes: entries.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
        names: entries.map((entry) => new URL(entry.name).pathname),
      };
    });
    await context.close();
  }
  times.sort((a, b) => a - b);
  inPage.sort((a, b) => a - b);
  const result = {
    runs: times.length,
    median_ms: times[Math.floor(times.length / 2)],
    max_ms: times[times.length - 1],
    in_page_median_ms: inPage[Math.floor(inPage.length / 2)],
    pkg_files: pkg.files,
    pkg_bytes: pkg.bytes,
    pkg_names: pkg.names,
  };
  writeFileSync(process.env.BENCH_OUT ?? 'time-to-link.json', JSON.stringify(result));
  expect(times.length).toBe(20);
  expect(inPage.every(Number.isFinite), 'the observer saw every link appear').toBe(true);
  expect(pkg.bytes, 'the page downloads its hydrate bundle').toBeGreaterThan(0);
});
