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

/** Pays with a test card (see src/server/payment.rs). */
export async function payWith(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/34');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

