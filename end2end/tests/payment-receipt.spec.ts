import { test, expect, type Browser, type Page } from '@playwright/test';
import { completionLinkIn, linkIn, pdfText, port, waitForMail } from './support/server';
import { addDayPass, fillDetails, payWith } from './support/shopper';

// Each browser below is a fresh context, like another device.
const site = { baseURL: `http://127.0.0.1:${port}`, acceptDownloads: true };

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `receipt-${Date.now()}-${process.pid}-${counter}@example.com`;
}

/** Buys a day pass as `email`; the tab dies before the complete page can register. */
async function payAndLoseTheTab(browser: Browser, email: string) {
  const context = await browser.newContext(site);
  const page = await context.newPage();
  // The tab is gone before anything of the complete page runs: its document
  // and its server functions never reach the server.
  let reachedComplete = false;
  for (const pattern of ['**/checkout/complete**', '**/checkout/api/status**', '**/checkout/api/register**']) {
    await page.route(pattern, (route) => {
      reachedComplete = true;
      return route.abort();
    });
  }
  await addDayPass(page);
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your details');
  await fillDetails(page, email);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payment');
  await payWith(page, '4242 4242 4242 4242');
  await expect.poll(() => reachedComplete).toBe(true);
  await context.close();
}

async function openInFreshBrowser(browser: Browser, link: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ ...site, javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(link);
  return page;
}

test('the emailed receipt brings a guest whose tab died to the invoice, then to signing in', async ({ browser }) => {
  const email = uniqueEmail();
  await payAndLoseTheTab(browser, email);

  // The receipt: the invoice attached, and the link back.
  const receipt = await waitForMail(email, 'Your receipt from');
  expect(receipt.text).toContain('Visa ending in 4242');
  expect(receipt.attachments).toEqual([expect.stringMatching(/^INV-\d{6}\.pdf$/)]);
  const link = completionLinkIn(receipt);

  // Opened on another device: it registers, and the PDF link works.
  const phone = await openInFreshBrowser(browser, link);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(phone).not.toHaveURL(/basketSession/);
  const pdfLink = phone.getByRole('link', { name: 'Download invoice (PDF)' });
  const [download] = await Promise.all([phone.waitForEvent('download'), pdfLink.click()]);
  expect(pdfText(await download.path())).toContain('Day Pass');
  await phone.context().close();

  // Opened once more, in a third browser: registered, so the way on is signing in.
  const laptop = await openInFreshBrowser(browser, link);
  await expect(laptop.getByRole('heading', { level: 1 })).toHaveText('This purchase is already registered');
  await expect(laptop.getByText(email)).toHaveCount(0);
  await expect(laptop.getByRole('link', { name: 'Download invoice (PDF)' })).toHaveCount(0);
  // The completion widget runs in the browser once its island has hydrated.
  await expect(laptop.locator('.completion[data-live="true"]')).toBeVisible();
  const way = laptop.getByRole('region', { name: 'Get to your invoice' });
  await expect(way.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await way.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(way.getByRole('status')).toContainText("We've emailed a sign-in link to the address on the invoice");

  const signIn = await waitForMail(email, 'sign-in link');
  await laptop.goto(linkIn(signIn, '/account/link'));
  await laptop.getByRole('button', { name: 'Sign in' }).click();
  await expect(laptop.getByRole('heading', { level: 1 })).toHaveText('My invoices');
  const invoiceNumber = receipt.attachments[0].replace(/\.pdf$/, '');
  await expect(laptop.locator(`tr[data-invoice="${invoiceNumber}"]`)).toContainText('Paid');
});

test.describe('without JavaScript', () => {
  test('a used receipt link emails a sign-in link with a plain form', async ({ browser }) => {
    const email = uniqueEmail();
    await payAndLoseTheTab(browser, email);
    const link = completionLinkIn(await waitForMail(email, 'Your receipt from'));

    // Opening the link changes nothing until its button is pressed.
    const first = await openInFreshBrowser(browser, link, false);
    await expect(first.getByRole('button', { name: 'Complete registration' })).toBeVisible();
    await first.getByRole('button', { name: 'Complete registration' }).click();
    await expect(first.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');

    const again = await openInFreshBrowser(browser, link, false);
    await expect(again.getByRole('heading', { level: 1 })).toHaveText('This purchase is already registered');
    await again.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(again.getByText("We've emailed a sign-in link to the address on the invoice")).toBeVisible();
    await waitForMail(email, 'sign-in link');
  });
});
