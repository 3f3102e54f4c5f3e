import { test, expect, type Page } from '@playwright/test';
import { newPurchase, port } from './support/server';
import { addDayPass, fillDetails, goToHostedPage, payOnHostedPage } from './support/shopper';

// Islands: every page is server-rendered HTML, and only the `#[island]`
// components run in the browser (on checkout-complete, the completion
// widget). The islands router fetches the next page on link clicks, form
// posts and back/forward, and patches it into the same document.

/** Every request the page makes to the app, as `METHOD /path`. */
function requests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.host === `127.0.0.1:${port}`) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

/** Marks this document; the mark is gone if the browser loads a new one. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);
}

test('checkout-complete fetches only what the page needs', async ({ page }) => {
  const purchase = newPurchase();
  const seen = requests(page);
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // The page, its stylesheet and icon, the operator's logo and accent
  // stylesheet (both named by their content), the islands' boot script
  // (Leptos' loader and islands router, at a content-hashed address), the
  // islands bundle (one JS module and one wasm file: no chunks, no other
  // page's code), and the one registration.
  const assets = [...new Set(seen.filter((r) => !r.startsWith('GET /checkout/complete')))];
  const named = (r: string) =>
    r.replace(/islands\.[0-9a-f]{16}\.js$/, 'islands.HASH.js').replace(/logo\/[0-9a-f]{64}\.svg$/, 'logo/SHA256.svg');
  expect(assets.map(named).sort()).toEqual(
    [
      'GET /favicon.svg',
      'GET /shop/logo/SHA256.svg',
      'GET /shop/theme/0f5c7a.css',
      'GET /pkg/boot/islands.HASH.js',
      'GET /pkg/checkout-portal.css',
      'GET /pkg/checkout-portal.js',
      'GET /pkg/checkout-portal.wasm',
      'POST /checkout/api/register',
    ].sort(),
  );
  expect(seen.filter((r) => r === 'POST /checkout/api/register'), 'registered once').toHaveLength(1);
});

test('the islands boot script is fetched once and then kept by the browser', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // A new document in the same browser: the boot script comes from the
  // cache without asking the server, while the bundle (not content-hashed)
  // is revalidated.
  await page.goto('/basket');
  await page.waitForLoadState('networkidle');
  const transferred = await page.evaluate(() =>
    Object.fromEntries(
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.name.includes('/pkg/') && entry.name.endsWith('.js'))
        .map((entry) => [new URL(entry.name).pathname.replace(/islands\.[0-9a-f]{16}/, 'islands.HASH'), entry.transferSize]),
    ),
  );
  expect(transferred['/pkg/boot/islands.HASH.js'], 'the boot script from the cache').toBe(0);
  expect(transferred['/pkg/checkout-portal.js'], 'the bundle revalidated').toBeGreaterThan(0);
});

test('links, forms and back navigate in the same document, and islands hydrate on arrival', async ({ page }) => {
  await addDayPass(page);
  await markDocument(page);
  // A form post (the quantity) comes back in place, with the header's count.
  const nav = page.getByRole('navigation', { name: 'Site' });
  await expect(nav.getByTestId('basket-count')).toHaveText('1');
  await page.getByLabel('Quantity of Day Pass').fill('3');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('basket-total')).toHaveText('€90.75');
  await expect(nav.getByTestId('basket-count')).toHaveText('3');
  await expect(nav.getByRole('link', { name: 'Basket 3 items' })).toBeVisible();

  // Back and forward.
  await page.getByRole('link', { name: 'Continue to your details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your details');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your basket');
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your details');

  // "Pay" posts in place too, to the hand-off page, which links to the
  // payment provider's page: the shop's journey was one document until then.
  await fillDetails(page, `islands-${Date.now()}-${process.pid}@example.com`);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payment');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('link', { name: 'Continue to payment' })).toBeVisible();
  expect(await stillSameDocument(page), 'the shop\'s journey was one document').toBe(true);
  // The provider's page is a document of its own; coming back lands on
  // checkout-complete, whose island hydrates and registers.
  await goToHostedPage(page);
  await payOnHostedPage(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  await expect(page).toHaveURL(/\/checkout\/complete\?invoiceId=\d+$/);
  await expect(nav.getByTestId('basket-count')).toHaveCount(0);
});

test('a page without islands still answers its form in place', async ({ page }) => {
  await page.goto('/account/sign-in');
  await page.waitForLoadState('networkidle');
  await markDocument(page);
  await page.getByLabel('Email').fill('nobody-here@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match an account");
  expect(await stillSameDocument(page), 'the islands router posted the form').toBe(true);
});
