import { test, expect, type Page } from '@playwright/test';
import { linkIn, newPurchase, pdfText, waitForMail } from './support/server';

const PASSWORD = 'a long and memorable passphrase';

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `portal-${Date.now()}-${process.pid}-${counter}@example.com`;
}

/** Completes a fresh demo purchase in the browser; returns its invoice number. */
async function completePurchase(page: Page, email: string): Promise<string> {
  const purchase = newPurchase(email);
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  const invoiceNumber = (await page.locator('.outcome strong').first().textContent())!;
  expect(invoiceNumber).toMatch(/^INV-\d{6}$/);
  return invoiceNumber;
}

async function expectInvoiceListed(page: Page, invoiceNumber: string) {
  await expect(page).toHaveURL('/account/invoices');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My invoices');
  const row = page.locator(`tr[data-invoice="${invoiceNumber}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Paid');
  await expect(row).toContainText('€443.49');
  return row;
}

test('the emailed link sets a password, and My invoices lists and downloads the invoice', async ({ page }) => {
  const email = uniqueEmail();
  const invoiceNumber = await completePurchase(page, email);

  const mail = await waitForMail(email, 'set your password');
  expect(mail.text).toContain(invoiceNumber);
  await page.goto(linkIn(mail, '/account/set-password'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set your password');

  // Too short: the field says why, and nothing is lost.
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page.getByLabel('New password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#password-error')).toContainText('at least 8 characters');

  await page.getByLabel('New password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  const row = await expectInvoiceListed(page, invoiceNumber);

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /PDF/ }).click()]);
  expect(download.suggestedFilename()).toBe(`${invoiceNumber}.pdf`);
  expect(pdfText(await download.path())).toContain(invoiceNumber);

  // The detail page shows the lines and totals.
  await row.getByRole('link', { name: invoiceNumber, exact: true }).click();
  // The number is isolated (U+2068…U+2069) inside the sentence, as in every language.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Invoice \u2068${invoiceNumber}\u2069`);
  await expect(page.getByText('Billed to')).toBeVisible();
  await expect(page.locator('.totals')).toContainText('€443.49');

  // The link worked once.
  await page.goto(linkIn(mail, '/account/set-password'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("This link can't be used");
});

test('"Set a password now" on the complete page signs the new customer in', async ({ page }) => {
  const email = uniqueEmail();
  const invoiceNumber = await completePurchase(page, email);

  const section = page.getByRole('region', { name: 'Set a password now' });
  await section.getByLabel('Password').fill(PASSWORD);
  await section.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(section.getByRole('status')).toHaveText("Your password is saved and you're signed in.");
  // The invoice stays downloadable on the page.
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();

  await section.getByRole('link', { name: 'Go to my invoices' }).click();
  await expectInvoiceListed(page, invoiceNumber);

  // Sign out, then back in with the new password.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL('/account/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match");
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectInvoiceListed(page, invoiceNumber);
});

test('a signed-out visitor is sent to sign in, and an emailed sign-in link brings them back', async ({ page }) => {
  const email = uniqueEmail();
  const invoiceNumber = await completePurchase(page, email);

  await page.goto('/account/invoices');
  await expect(page).toHaveURL('/account/sign-in?next=/account/invoices');
  await page.getByRole('link', { name: 'Email me a sign-in link' }).click();
  // The sign-in page has an Email field too, and stays on screen until the
  // next page's code has arrived: wait for that page before typing.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email me a sign-in link');
  await page.getByLabel('Email').fill(email.toUpperCase());
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByRole('status')).toContainText('Check your inbox');

  const mail = await waitForMail(email, 'sign-in link');
  await page.goto(linkIn(mail, '/account/link'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectInvoiceListed(page, invoiceNumber);
});
