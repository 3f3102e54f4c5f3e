import { type Page } from '@playwright/test';

/** Records every Content-Security-Policy violation the page reports, from
 * the DOM event and from the console; call the result to read them. */
export async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) fromConsole.push(message.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)), ...fromConsole];
}
