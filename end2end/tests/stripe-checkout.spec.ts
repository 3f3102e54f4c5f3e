import { test, expect, type Page } from '@playwright/test';
import { pdfText, stripe } from './support/server';
import { watchViolations } from './support/csp';
import { goToHostedPage, payOnHostedPage, twoDayPassesToPayment } from './support/shopper';

// Stripe Checkout, on the local Stripe fake (the "stripe" project in
// playwright.config.ts): the shopper pays on Stripe's hosted page, which
// has its own origin, comes back through /checkout/return, and the webhook
// arrives as the page answers. Card data never reaches the app.

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `stripe-${Date.now()}-${process.pid}-${counter}@example.com`;
}

async function toStripe(page: Page, javaScript = true) {
  await page.getByRole('button', { name: 'Pay €60.50' }).click();
  await goToHostedPage(page, { javaScript });
  // Stripe's page, on Stripe's origin.
  await expect(page).toHaveURL(/\/c\/pay\/cs_test_/);
  expect(new URL(page.url()).port).toBe(String(stripe.fakePort));
}

async function journey(page: Page, javaScript: boolean) {
  const violations = javaScript ? await watchViolations(page) : null;
  await twoDayPassesToPayment(page, uniqueEmail());
  await toStripe(page, javaScript);
  await payOnHostedPage(page, '4242 4242 4242 4242');

  await expect(page).toHaveURL(/\/checkout\/complete\?invoiceId=\d+/);
  if (!javaScript) {
    await page.getByRole('button', { name: 'Complete registration' }).click();
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(page.getByText('€60.50')).toBeVisible();
  const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const text = pdfText(await download.path());
  expect(text).toContain('Day Pass');
  expect(text).toContain('€60.50');
  if (violations) expect(await violations()).toEqual([]);
}

test('a guest pays on Stripe, comes back, registers and downloads the invoice', async ({ page }) => {
  await journey(page, true);
});

test('a declined card, then leaving Stripe, comes back to a payable basket', async ({ page }) => {
  await twoDayPassesToPayment(page, uniqueEmail());
  await toStripe(page);
  await payOnHostedPage(page, '4000 0000 0000 0002');
  await expect(page.getByText(/declined/i)).toBeVisible();
  // The shopper gives up on Stripe's page and goes back to the shop.
  await page.getByRole('link', { name: 'Back' }).click();
  await expect(page).toHaveURL(/\/checkout\/payment\?payment=cancelled/);
  await expect(page.getByText('nothing was charged')).toBeVisible();
  // The basket is still there and can be paid.
  await toStripe(page);
  await payOnHostedPage(page, '4242 4242 4242 4242');
  await expect(page).toHaveURL(/\/checkout\/complete\?invoiceId=\d+/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
});

test('an abandoned Stripe page is closed when the basket changes', async ({ page }) => {
  await twoDayPassesToPayment(page, uniqueEmail());
  await toStripe(page);
  const abandoned = page.url();
  // Back in the shop (the browser's back button), the basket changes.
  await page.goto('/basket');
  await page.getByLabel('Quantity of Day Pass').fill('1');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('basket-total')).toHaveText('€30.25');
  // The old page asks €60.50 no more: Stripe says it has expired.
  await page.goto(abandoned);
  await expect(page.getByText(/expired/i).first()).toBeVisible();
  await expect(page.getByLabel('Card number')).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole Stripe journey works with plain forms', async ({ page }) => {
    await journey(page, false);
  });
});
