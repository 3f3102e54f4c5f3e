import { test, expect, type Page } from '@playwright/test';
import { linkIn, newPurchase, waitForMail } from './support/server';
import { addDayPass, fillDetails } from './support/shopper';

// A failed form post comes back to its page with the error in the URL
// (`?__path=<server function>&__err=<base64 JSON>`, leptos' encoding), so
// anyone can craft such a URL. Whatever it carries may at most pick one of
// the page's own messages: none of its text may reach the page.

const ATTACK = 'Your card was flagged. Call +1 555 0100';
/** An absurd wait, as a crafted rate-limit error would ask the page to print. */
const ABSURD_MINUTES = 5550100;

/** `error` as leptos writes it into `__err`: JSON, base64 with the URL-safe alphabet, padded. */
function encodeError(error: unknown): string {
  return Buffer.from(JSON.stringify(error)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** `page` (which may have a query already) as a failed post of the server function at `fnPath` would come back. */
function withError(page: string, fnPath: string, error: unknown): string {
  const separator = page.includes('?') ? '&' : '?';
  return `${page}${separator}__path=${encodeURIComponent(fnPath)}&__err=${encodeURIComponent(encodeError(error))}`;
}

const checkoutFields = ['name', 'email', 'address', 'city', 'postcode', 'country'];

/** Errors of the checkout's server functions (`CheckoutError`) with free text in every place the old encoding had it. */
const checkoutErrors: unknown[] = [
  { Rejected: ATTACK },
  { PaymentDeclined: ATTACK },
  { Invalid: checkoutFields.map((field) => ({ field, message: ATTACK })) },
  { Invalid: checkoutFields.map((field) => ({ field, problem: ATTACK })) },
  { Transport: ATTACK },
];

/** The same for the portal's (`PortalError`). */
const portalErrors: unknown[] = [
  { Invalid: ['email', 'password'].map((field) => ({ field, message: ATTACK })) },
  { Invalid: ['email', 'password'].map((field) => ({ field, problem: ATTACK })) },
  { RateLimited: { retry_after_minutes: ABSURD_MINUTES } },
  { Transport: ATTACK },
];

/** And for checkout-complete's (`GuestAccessError`), whose only text was `Transport`'s. */
const guestAccessErrors: unknown[] = [{ Transport: ATTACK }, { InvalidToken: ATTACK }];

/** Opens `url` and checks that the page rendered (its heading) and holds nothing the URL wrote. */
async function expectNothingCarried(page: Page, url: string, heading: string | RegExp) {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  const body = page.locator('body');
  await expect(body).not.toContainText(ATTACK);
  await expect(body).not.toContainText(String(ABSURD_MINUTES));
  // Not in the markup either (island props, attributes), as served or as hydrated.
  const html = await page.content();
  expect(html, url).not.toContain(ATTACK);
  expect(html, url).not.toContain(String(ABSURD_MINUTES));
}

async function expectEveryErrorIgnored(page: Page, pageUrl: string, fnPath: string, errors: unknown[], heading: string | RegExp) {
  for (const error of errors) {
    await test.step(`${pageUrl} with ${fnPath}: ${JSON.stringify(error)}`, async () => {
      await expectNothingCarried(page, withError(pageUrl, fnPath, error), heading);
    });
  }
}

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `url-errors-${Date.now()}-${process.pid}-${counter}@example.com`;
}

test('the checkout pages show no text from a crafted error in the URL', async ({ page }) => {
  test.slow(); // many page loads
  // A basket with an item and complete details, so every form is on its page.
  await addDayPass(page);
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await fillDetails(page, uniqueEmail());
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payment');

  await expectEveryErrorIgnored(page, '/', '/checkout/api/add', checkoutErrors, 'Book your space');
  await expectEveryErrorIgnored(page, '/basket', '/checkout/api/quantity', checkoutErrors, 'Your basket');
  await expectEveryErrorIgnored(page, '/checkout/details', '/checkout/api/details', checkoutErrors, 'Your details');
  await expectEveryErrorIgnored(page, '/checkout/payment', '/checkout/api/pay', checkoutErrors, 'Payment');
});

test('checkout-complete shows no text from a crafted error in the URL', async ({ page }) => {
  test.slow(); // many purchases and page loads
  const forms: [string, unknown[]][] = [
    ['/checkout/api/register', guestAccessErrors],
    ['/checkout/api/sign_in_link', guestAccessErrors],
    ['/checkout/api/password', portalErrors],
  ];
  for (const [fnPath, errors] of forms) {
    for (const error of errors) {
      // A fresh purchase each time: the page registers it, and the next steps'
      // forms are all rendered only before that.
      const purchase = newPurchase();
      await test.step(`${fnPath}: ${JSON.stringify(error)}`, async () => {
        await expectNothingCarried(page, withError(purchase.CompleteUrl, fnPath, error), /./);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
        await expectNothingCarried(page, withError(purchase.CompleteUrl, fnPath, error), 'Your account is ready');
      });
    }
  }
});

test('the portal pages show no text from a crafted error in the URL', async ({ page }) => {
  test.slow(); // many page loads
  await expectEveryErrorIgnored(page, '/account/sign-in', '/account/api/sign_in', portalErrors, 'Sign in');
  await expectEveryErrorIgnored(page, '/account/sign-in-link', '/account/api/email_link', portalErrors, 'Email me a sign-in link');
  await expectEveryErrorIgnored(page, '/account/forgot-password', '/account/api/email_link', portalErrors, 'Reset your password');

  // The pages of emailed links: set a password (a new customer's link), and sign in with a link.
  const email = uniqueEmail();
  const purchase = newPurchase(email);
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  const setPassword = linkIn(await waitForMail(email, 'set your password'), '/account/set-password');
  await expectEveryErrorIgnored(page, setPassword, '/account/api/password', portalErrors, 'Set your password');

  await page.goto('/account/sign-in-link');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.getByText('Check your inbox.')).toBeVisible();
  const signInLink = linkIn(await waitForMail(email, 'sign-in link'), '/account/link');
  await expectEveryErrorIgnored(page, signInLink, '/account/api/use_link', portalErrors, 'Sign in');
});

test("a genuine error's code picks the page's own message", async ({ page }) => {
  await expectNothingCarried(page, withError('/', '/checkout/api/add', { Rejected: 'product_unavailable' }), 'Book your space');
  await expect(page.getByRole('alert')).toHaveText('That product is not available.');
  await page.goto(withError('/account/sign-in', '/account/api/sign_in', { RateLimited: { retry_after_minutes: ABSURD_MINUTES } }));
  await expect(page.getByRole('alert')).toHaveText('Too many attempts. Please wait 15 minutes and try again.');
  await page.goto(
    withError('/account/sign-in', '/account/api/sign_in', { Invalid: [{ field: 'email', problem: 'malformed' }] }),
  );
  await expect(page.locator('#email-error')).toHaveText('Enter an email address like name@example.com.');
});
