import { expect, type Page } from '@playwright/test';

// A shopper's steps through the checkout, as a person takes them.

/** Adds a Day Pass from the catalogue and lands on the basket. */
export async function addDayPass(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Book your space');
  await page.getByRole('button', { name: 'Add Day Pass to basket' }).click();
  await expect(page).toHaveURL('/basket');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your basket');
}

/** Fills in the details form as `email`. */
export async function fillDetails(page: Page, email: string) {
  await page.getByLabel('Full name').fill('Sam Shopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Street and house number').fill('Damrak 1');
  await page.getByLabel('Postcode').fill('1012 LG');
  await page.getByLabel('Town or city').fill('Amsterdam');
  await page.getByLabel('Country').selectOption('NL');
}

/** From the catalogue to the payment page with two day passes (€60.50 with
 * VAT, computed by the server) and the details of `email`. */
export async function twoDayPassesToPayment(page: Page, email: string) {
  await addDayPass(page);
  await page.getByLabel('Quantity of Day Pass').fill('2');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('basket-total')).toHaveText('€60.50');
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your details');
  await fillDetails(page, email);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payment');
}

/**
 * Pays on the provider's hosted page with a test card: "Pay" on the payment
 * page, on through the hand-off page (by itself without JavaScript; by its
 * link with it), then the card on the hosted page (the test provider's, or
 * the Stripe fake's in the Stripe runs).
 */
export async function payWith(page: Page, card: string, { javaScript = true }: { javaScript?: boolean } = {}) {
  await page.getByRole('button', { name: /^Pay / }).click();
  await goToHostedPage(page, { javaScript });
  await payOnHostedPage(page, card);
}

/** From the hand-off page to the hosted payment page: without JavaScript
 * the browser goes on by itself (the page's `Refresh` header); with it, the
 * islands router fetched the page, and its link takes the shopper on. */
export async function goToHostedPage(page: Page, { javaScript = true }: { javaScript?: boolean } = {}) {
  const cardNumber = page.getByLabel('Card number');
  if (javaScript) {
    await page.getByRole('link', { name: 'Continue to payment' }).click();
  }
  await expect(cardNumber).toBeVisible();
}

/** Fills in and submits the hosted page's card form. */
export async function payOnHostedPage(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: /^Pay\b/ }).click();
}

