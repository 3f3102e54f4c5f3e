import { test, expect, type Locator } from '@playwright/test';
import { newPurchase } from './support/server';

// The header every page shares, and the focus rings, as a shopper sees them.

/** How many lines of text an element's contents take on screen. */
async function lines(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
}

test("the header's links stand apart", async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Site' });
  const basket = (await nav.getByRole('link', { name: 'Basket' }).boundingBox())!;
  const invoices = (await nav.getByRole('link', { name: 'My invoices' }).boundingBox())!;
  // A screenshot once read "BasketMy invoices".
  expect(invoices.x - (basket.x + basket.width)).toBeGreaterThanOrEqual(12);
});

test('on a 390 px phone the header is the brand and one row of links, nothing cut off', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const header = page.locator('.site-header');
  const brand = header.getByRole('link', { name: 'Harbourside Coworking B.V.' });
  const links = header.getByRole('navigation', { name: 'Site' }).getByRole('link');
  await expect(links).toHaveCount(2);
  // The operator's name in one line (the logo beside it is not text).
  expect(await lines(brand.locator('.brand-name'))).toBe(1);
  const boxes = [];
  for (const link of await links.all()) {
    expect(await lines(link)).toBe(1);
    boxes.push((await link.boundingBox())!);
  }
  expect(Math.abs(boxes[0].y - boxes[1].y)).toBeLessThanOrEqual(2);
  for (const box of boxes) expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('the outcome heading, focused by script, draws no ring; what a keyboard reaches does', async ({ page }) => {
  await page.goto(newPurchase().CompleteUrl);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('Your account is ready');
  await expect(heading).toBeFocused();
  const ring = (locator: Locator) =>
    locator.evaluate((el) => {
      const style = getComputedStyle(el);
      return { outline: style.outlineStyle, shadow: style.boxShadow };
    });
  expect(await ring(heading)).toEqual({ outline: 'none', shadow: 'none' });

  await page.keyboard.press('Tab');
  const link = page.getByRole('link', { name: 'Download invoice (PDF)' });
  await expect(link).toBeFocused();
  const focused = await ring(link);
  expect(focused.outline !== 'none' || focused.shadow !== 'none').toBe(true);
});
