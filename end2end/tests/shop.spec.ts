import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newPurchase, shopFile } from './support/server';

// The operator's shop file (examples/shop.toml, which both apps apply at
// start through SHOP_FILE) as a shopper sees it: the operator's name, logo
// and accent, and exactly the file's products for sale, in its order.

interface FileProduct { name: string; position: number; active: boolean }

/** The products of the shop file, read the simple way its keys allow. */
function fileProducts(): FileProduct[] {
  const text = fs.readFileSync(shopFile, 'utf8');
  return text.split('[[products]]').slice(1).map((block, index) => ({
    name: /^name = "(.*)"$/m.exec(block)![1],
    position: Number(/^position = (\d+)/m.exec(block)?.[1] ?? index + 1),
    active: !/^active = false/m.test(block),
  }));
}

function fileSeller(): { name: string; accent: string; logo: string } {
  const text = fs.readFileSync(shopFile, 'utf8');
  const seller = text.split('[[products]]')[0];
  return {
    name: /^name = "(.*)"$/m.exec(seller)![1],
    accent: /^accent = "(#[0-9a-f]{6})"/m.exec(seller)![1],
    logo: path.join(path.dirname(shopFile), /^logo = "(.*?)"/m.exec(seller)![1]),
  };
}

function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

async function expectTheOperatorsBrand(page: Page) {
  const seller = fileSeller();
  const brand = page.getByTestId('brand');
  await expect(brand).toHaveText(seller.name);
  const logo = brand.locator('img.brand-logo');
  await expect(logo).toBeVisible();
  const src = (await logo.getAttribute('src'))!;
  expect(src).toMatch(/^\/shop\/logo\/[0-9a-f]{64}\.svg$/);
  // Served from our own origin, and it is the operator's file.
  const served = await page.request.get(src);
  expect(served.ok()).toBe(true);
  expect(Buffer.from(await served.body()).equals(fs.readFileSync(seller.logo))).toBe(true);
  expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
}

test("the catalogue is the shop file's active products in order, under the operator's name and logo", async ({ page }) => {
  await page.goto('/');
  await expectTheOperatorsBrand(page);
  const expected = fileProducts()
    .filter((product) => product.active)
    .sort((a, b) => a.position - b.position)
    .map((product) => product.name);
  expect(expected.length).toBeGreaterThan(1);
  await expect(page.locator('.products .product h2')).toHaveText(expected);
  // The accent colour is the file's: on the primary buttons.
  const button = page.getByRole('button', { name: `Add ${expected[0]} to basket` });
  await expect(button).toHaveCSS('background-color', rgb(fileSeller().accent));
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
});

test("checkout-complete carries the operator's name and logo, and stays accessible", async ({ page }) => {
  const purchase = newPurchase();
  await page.goto(purchase.CompleteUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account is ready');
  await expectTheOperatorsBrand(page);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
});
