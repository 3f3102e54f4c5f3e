import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// The test script (scripts/test) sets these; the defaults suit a manual
// `npx playwright test` after `cargo leptos build`.
const root = path.resolve(__dirname, '../../..');
export const serverBinary =
  process.env.CHECKOUT_PORTAL_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug/checkout-portal');
export const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site');
export const port = Number(process.env.E2E_PORT ?? 3100);
export const databaseUrl = process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(root, 'end2end/.data/e2e.db')}`;

export interface Purchase {
  InvoiceId: number;
  BasketSession: string;
  CompleteUrl: string;
}

/** A fresh paid guest purchase, made by the operator command on the server's database. */
export function newPurchase(email?: string): Purchase {
  const args = ['demo-checkout', '--name', 'Robin Playwright'];
  if (email) args.push('--email', email);
  const out = execFileSync(serverBinary, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Purchase;
}

/** The text of a PDF file, via poppler's pdftotext. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
