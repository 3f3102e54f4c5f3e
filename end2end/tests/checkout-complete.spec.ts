import { test, expect, type Page, type Request } from '@playwright/test';
import { newPurchase, pdfText } from './support/server';

const REGISTER_FN = '/checkout/api/register';

function countRegistrations(page: Page): () => number {
  let calls = 0;
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === REGISTER_FN) calls += 1;
  });
  return () => calls;
}

async function downloadInvoice(page: Page): Promise<{ name: string; text: string }> {
  const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: pdfText(file) };
}

test('a fresh completion URL registers once and offers the invoice PDF', async ({ page }) => {
  const purchase = newPurchase();
  const registrations = countRegistrations(page);

  await page.goto(purchase.CompleteUrl);

  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('Your account is ready');
  await expect(heading).toBeFocused();
  await expect(page.locator('.outcome').getByRole('status')).toContainText('Your account is ready');
  const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('rel', 'noreferrer');
  await expect(link).toHaveAttribute('href', new RegExp(`/invoices/${purchase.InvoiceId}/pdfByToken\\?token=`));
  // The basket secret leaves the address bar once it has done its job.
  await expect(page).toHaveURL(`/checkout/complete?invoiceId=${purchase.InvoiceId}`);

  const invoiceNumber = (await page.locator('.outcome strong').first().textContent())!;
  expect(invoiceNumber).toMatch(/^INV-\d{6}$/);
  const pdf = await downloadInvoice(page);
  expect(pdf.name).toBe(`${invoiceNumber}.pdf`);
  expect(pdf.text).toContain(invoiceNumber);
  expect(pdf.text).toContain('€443.49');

  // The next step is setting a password; the way to signing in is not shown.
  await expect(page.getByRole('region', { name: 'Set a password now' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Get to your invoice' })).toHaveCount(0);

  // Give any stray re-render a chance to call again, then count.
  await page.waitForTimeout(300);
  expect(registrations()).toBe(1);
});

test('the next steps are server-rendered and shown only once the outcome calls for them', async ({ page }) => {
  const purchase = newPurchase();
  // Hold the registration's answer, to see the page before it.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**${REGISTER_FN}`, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(purchase.CompleteUrl);
  await expect(page.locator('.completion[data-live="true"]')).toBeAttached();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Setting up your account…');
  // Both next steps are in the page, neither is shown while registering.
  await expect(page.locator('[data-next-step]')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Set a password now' })).toBeHidden();
  await expect(page.getByRole('region', { name: 'Get to your invoice' })).toBeHidden();
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(page.getByRole('region', { name: 'Set a password now' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Get to your invoice' })).toBeHidden();
});

test('a too-short password on the complete page is explained beside the field, and the link stays', async ({ page }) => {
  const purchase = newPurchase();
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  const section = page.getByRole('region', { name: 'Set a password now' });
  await section.getByLabel('Password').fill('short');
  await section.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(section.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(section.locator('.field-error')).toContainText('at least 8');
  // The islands router answered in place: the registered island kept its outcome.
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
});

test('reloading after success still offers the link, without registering again', async ({ page }) => {
  const purchase = newPurchase();
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();

  const registrations = countRegistrations(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  // Going back to the original URL (with the secret) works the same, and
  // the secret leaves the address bar again.
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  await expect(page).toHaveURL(`/checkout/complete?invoiceId=${purchase.InvoiceId}`);
  expect(registrations()).toBe(0);
});

test('a token already used elsewhere gets a plain explanation', async ({ page, request }) => {
  const purchase = newPurchase();
  const api = await request.post(
    `/api/public/billing/invoices/${purchase.InvoiceId}/registerByToken?token=${purchase.BasketSession}`,
  );
  expect(api.status()).toBe(200);

  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This purchase is already registered');
  await expect(page.getByText('Your purchase is registered: your account was set up with this link')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toHaveCount(0);
});

test('a mismatched invoice gets a plain explanation and consumes nothing', async ({ page, request }) => {
  const mine = newPurchase();
  const other = newPurchase();
  await page.goto(`/checkout/complete?invoiceId=${other.InvoiceId}&basketSession=${mine.BasketSession}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("We couldn't find this invoice");
  await expect(page.getByText("The invoice in this link doesn't match your purchase.")).toBeVisible();
  const api = await request.post(
    `/api/public/billing/invoices/${mine.InvoiceId}/registerByToken?token=${mine.BasketSession}`,
  );
  expect(api.status()).toBe(200);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form button registers and the result page offers the PDF', async ({ page }) => {
    const purchase = newPurchase();
    await page.goto(purchase.CompleteUrl);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Setting up your account…');
    await expect(page.getByText('INV-')).toHaveCount(0);

    await page.getByRole('button', { name: 'Complete registration' }).click();

    await expect(page).toHaveURL(`/checkout/complete?invoiceId=${purchase.InvoiceId}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
    const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
    await expect(link).toHaveAttribute('rel', 'noreferrer');
    const invoiceNumber = (await page.locator('.outcome strong').first().textContent())!;
    const pdf = await downloadInvoice(page);
    expect(pdf.text).toContain(invoiceNumber);

    await page.reload();
    await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  });

  test('"Set a password now" posts without JavaScript, errors and success alike', async ({ page }) => {
    const purchase = newPurchase();
    await page.goto(purchase.CompleteUrl);
    await page.getByRole('button', { name: 'Complete registration' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
    const section = page.getByRole('region', { name: 'Set a password now' });
    await expect(section).toBeVisible();
    await expect(page.getByRole('region', { name: 'Get to your invoice' })).toHaveCount(0);

    await section.getByLabel('Password').fill('short');
    await section.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(section.locator('.field-error')).toContainText('at least 8');
    await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();

    await section.getByLabel('Password').fill('a long enough passphrase');
    await section.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(section.getByRole('status')).toHaveText("Your password is saved and you're signed in.");
    await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  });

  test('a used token shows its message after the form post', async ({ page, request }) => {
    const purchase = newPurchase();
    await page.goto(purchase.CompleteUrl);
    // Someone else registers first, while this page is open.
    await request.post(`/api/public/billing/invoices/${purchase.InvoiceId}/registerByToken?token=${purchase.BasketSession}`);
    await page.getByRole('button', { name: 'Complete registration' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This purchase is already registered');
  });
});

test('two tabs opened at once both end up offering the PDF', async ({ context }) => {
  const purchase = newPurchase();
  const tabs = [await context.newPage(), await context.newPage()];
  await Promise.all(tabs.map((tab) => tab.goto(purchase.CompleteUrl)));
  for (const tab of tabs) {
    await expect(tab.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  }
});
