import { test, expect } from '@playwright/test';
import { newPurchase } from './support/server';
import { addDayPass } from './support/shopper';
import { watchViolations } from './support/csp';

// Every page carries a strict Content-Security-Policy with a per-response
// nonce. These tests record every violation the browser reports.

test('every page works under the policy, with no violation reported', async ({ page }) => {
  const violations = await watchViolations(page);
  // Checkout-complete: the island loads, hydrates and registers.
  await page.goto(newPurchase().CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  expect(await violations()).toEqual([]);
  // The islands router: a link, a form post, and pages without islands.
  await addDayPass(page);
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your details');
  for (const path of ['/account/sign-in', '/account/sign-in-link', '/account/forgot-password', '/no-such-page']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  await page.goto('/account/sign-in');
  await page.getByLabel('Email').fill('nobody-here@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match an account");
  expect(await violations()).toEqual([]);
});

test('an injected inline script is blocked', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page
    .addScriptTag({ content: '(window).injected = true;' })
    .catch(() => undefined); // Playwright may report the blocked script as an error
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
  await expect.poll(violations).toContainEqual(expect.stringMatching(/^script-src/));
});
