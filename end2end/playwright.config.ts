import { defineConfig } from '@playwright/test';
import { serverBinary, databaseUrl, mailDir, port, shopFile, siteRoot, stripe } from './tests/support/server';

// Real Chromium from Debian; Playwright never downloads a browser here.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  projects: [
    // The built-in test provider (the default), for every spec but Stripe's.
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: /stripe-.*\.spec\.ts/ },
    // Stripe Checkout, against the local Stripe fake.
    {
      name: 'stripe',
      use: { browserName: 'chromium', baseURL: `http://127.0.0.1:${stripe.appPort}` },
      testMatch: /stripe-.*\.spec\.ts/,
    },
  ],
  webServer: [
    {
      command: `${serverBinary} serve`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: databaseUrl,
        MAIL_DIR: mailDir,
        SHOP_FILE: shopFile,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: siteRoot,
        LEPTOS_OUTPUT_NAME: 'checkout-portal',
        RUST_LOG: 'warn',
      },
    },
    {
      // Delivers every event to the Stripe app's webhook as it happens.
      command: `${stripe.python} ${stripe.fake} --port ${stripe.fakePort} --account ${stripe.secretKey} `
        + `--webhook http://127.0.0.1:${stripe.appPort}/webhooks/stripe --webhook-secret ${stripe.webhookSecret} --ignore-stdin`,
      url: `http://127.0.0.1:${stripe.fakePort}/_fake/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `${serverBinary} serve`,
      url: `http://127.0.0.1:${stripe.appPort}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: stripe.databaseUrl,
        MAIL_DIR: stripe.mailDir,
        SHOP_FILE: shopFile,
        LEPTOS_SITE_ADDR: `127.0.0.1:${stripe.appPort}`,
        LEPTOS_SITE_ROOT: siteRoot,
        LEPTOS_OUTPUT_NAME: 'checkout-portal',
        PUBLIC_URL: `http://127.0.0.1:${stripe.appPort}`,
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: `http://127.0.0.1:${stripe.fakePort}`,
        RUST_LOG: 'warn',
      },
    },
  ],
});
