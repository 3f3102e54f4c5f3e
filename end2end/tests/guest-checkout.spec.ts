import { test, expect, type Page } from '@playwright/test';
import { pdfText } from './support/server';
import { addDayPass, goToHostedPage, payOnHostedPage, payWith, twoDayPassesToPayment } from './support/shopper';

let emailCounter = 0;
function uniqueEmail(): string {
  emailCounter += 1;
  return `shopper-${Date.now()}-${process.pid}-${emailCounter}@example.com`;
}

async function downloadPdf(page: Page): Promise<string> {
  const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return pdfText(await download.path());
}

async function journey(page: Page, { declineFirst, javaScript = true }: { declineFirst: boolean; javaScript?: boolean }) {
  // 2 × €25.00 at 21 % VAT = €50.00 + €10.50 = €60.50, computed by the server.
  await twoDayPassesToPayment(page, uniqueEmail());
  if (declineFirst) {
    // The hosted page keeps the shopper on a decline and takes another card.
    await page.getByRole('button', { name: /^Pay / }).click();
    await goToHostedPage(page, { javaScript });
    await payOnHostedPage(page, '4000 0000 0000 0002');
    await expect(page.getByRole('alert')).toContainText('declined');
    await payOnHostedPage(page, '4242 4242 4242 4242');
  } else {
    await payWith(page, '4242 4242 4242 4242', { javaScript });
  }

  await expect(page).toHaveURL(/\/checkout\/complete\?invoiceId=\d+/);
  if (!javaScript) {
    // Without JavaScript the guest confirms with the form button.
    await page.getByRole('button', { name: 'Complete registration' }).click();
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(page.getByText('€60.50')).toBeVisible();
  const text = await downloadPdf(page);
  expect(text).toContain('Day Pass');
  expect(text).toContain('€60.50');
}

test('a guest buys day passes and downloads the invoice', async ({ page }) => {
  await journey(page, { declineFirst: false });
});

test('a declined card, then success with another card', async ({ page }) => {
  await journey(page, { declineFirst: true });
});

test('validation errors appear next to their fields and keep what was typed', async ({ page }) => {
  await addDayPass(page);
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await page.getByLabel('Full name').fill('Sam Shopper');
  await page.getByLabel('Email').fill('sam@');
  await page.getByRole('button', { name: 'Continue to payment' }).click();

  await expect(page.locator('#email-error')).toHaveText('Enter an email address like name@example.com.');
  await expect(page.locator('#city-error')).toHaveText('Enter your town or city.');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Full name')).toHaveValue('Sam Shopper');
  await expect(page.getByLabel('Email')).toHaveValue('sam@');
  await expect(page).toHaveURL(/\/checkout\/details/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole journey works with plain forms', async ({ page }) => {
    await journey(page, { declineFirst: true, javaScript: false });
  });

  test('validation errors survive the round trip', async ({ page }) => {
    await addDayPass(page);
    await page.getByRole('link', { name: 'Continue to your details' }).click();
    await page.getByLabel('Full name').fill('Sam Shopper');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await expect(page.locator('#email-error')).toHaveText('Enter an email address.');
    await expect(page.getByLabel('Full name')).toHaveValue('Sam Shopper');
  });
});
