import { test, expect, type Page } from '@playwright/test';
import { newPurchase } from './support/server';

// Every page but checkout-complete is a lazy route: its code is a separate
// wasm chunk, fetched when the page is first shown. These tests prove that
// the guest finishing a purchase downloads no chunk at all, and that the lazy
// pages really load their chunk and come alive (not merely work as plain
// HTML forms, which they also do without JavaScript).

function pkgRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/')) seen.push(path);
  });
  return seen;
}

// A page's own module is `split___<route>_view_<hash>.wasm`; code shared by
// several pages goes into `chunk_<n>.wasm` files.
const isChunk = (path: string) => /^\/pkg\/(chunk_\d+|split_\w+)\.wasm$/.test(path);
const pageModule = (route: string) => (path: string) => path.startsWith(`/pkg/split___${route}_view_`);

/** Marks this document; the mark is gone if the browser loads a new one. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);
}

test('checkout-complete hydrates from the main bundle alone', async ({ page }) => {
  const requests = pkgRequests(page);
  await page.goto(newPurchase().CompleteUrl);
  // The link appears only after the hydrated page has registered.
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  expect(requests).toContain('/pkg/checkout-portal.wasm');
  expect(requests.filter(isChunk), 'no lazy chunk is needed here').toEqual([]);
});

test('a lazy page loads its chunk and hydrates: the sign-in form answers in place', async ({ page }) => {
  const requests = pkgRequests(page);
  await page.goto('/account/sign-in');
  // Hydration has finished once the chunk is in and the form is live; wait for the chunk first.
  await expect.poll(() => requests.filter(pageModule('sign_in_page')).length).toBe(1);
  await page.waitForLoadState('networkidle');
  await markDocument(page);
  await page.getByLabel('Email').fill('nobody-here@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match an account");
  expect(await stillSameDocument(page), 'the hydrated form posted in the background').toBe(true);
});

test('navigating to a lazy page loads its chunk without reloading the document', async ({ page }) => {
  const requests = pkgRequests(page);
  await page.goto(newPurchase().CompleteUrl);
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toBeVisible();
  expect(requests.filter(isChunk)).toEqual([]);
  await markDocument(page);
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Basket' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your basket');
  expect(requests.filter(pageModule('basket_page')), 'the basket page arrived as its own module').toHaveLength(1);
  expect(await stillSameDocument(page), 'client-side navigation').toBe(true);
});
