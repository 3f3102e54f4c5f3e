import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The test script (scripts/test) sets these; the defaults suit a manual
// `npx playwright test` after `cargo leptos build`.
const root = path.resolve(__dirname, '../../..');
export const serverBinary =
  process.env.CHECKOUT_PORTAL_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug/checkout-portal');
export const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site');
export const port = Number(process.env.E2E_PORT ?? 3100);
/** Where the server writes emails (no SMTP server in these tests). */
export const mailDir = process.env.E2E_MAIL_DIR ?? path.join(root, 'end2end/.data/mail');
export const databaseUrl = process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(root, 'end2end/.data/e2e.db')}`;
/** The operator's shop file both apps apply at start (SHOP_FILE). */
export const shopFile = path.join(root, 'examples/shop.toml');

/** A second app, paid through Stripe: the local Stripe fake
 * (tests/fakes/stripe_fake.py on localstripe) on its own port, the app on
 * another, with its own database and mail directory. */
export const stripe = {
  python: process.env.STRIPE_FAKE_PYTHON
    ?? path.join(process.env.CHECKOUT_PORTAL_TOOLS ?? path.join(process.env.HOME ?? '/root', '.cache/checkout-portal/tools'), 'stripe-fake/bin/python'),
  fake: path.join(root, 'tests/fakes/stripe_fake.py'),
  fakePort: Number(process.env.E2E_STRIPE_FAKE_PORT ?? 3102),
  appPort: Number(process.env.E2E_STRIPE_APP_PORT ?? 3101),
  secretKey: 'sk_test_playwright',
  webhookSecret: 'whsec_playwright',
  databaseUrl: process.env.E2E_STRIPE_DATABASE_URL ?? `sqlite://${path.join(root, 'end2end/.data/e2e-stripe.db')}`,
  mailDir: process.env.E2E_STRIPE_MAIL_DIR ?? path.join(root, 'end2end/.data/mail-stripe'),
};

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

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The HTML part ('' when the mail has none). */
  html: string;
  /** File names of the attachments. */
  attachments: string[];
}

/** A header value with its RFC 2047 encoded words (`=?utf-8?b?…?=`, how a
 * non-ASCII subject travels) decoded. Adjacent encoded words join without
 * the space between them, and their bytes are joined before decoding, as a
 * character may be split across two words. */
export function decodeHeader(value: string): string {
  const word = /=\?([^?]+)\?([bq])\?([^?]*)\?=/gi;
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/(?:=\?[^?]+\?[bq]\?[^?]*\?=)+/gi, (run) => {
      const bytes: Buffer[] = [];
      for (const [, , encoding, text] of run.matchAll(word)) {
        if (encoding.toLowerCase() === 'b') bytes.push(Buffer.from(text, 'base64'));
        else bytes.push(Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1'));
      }
      return Buffer.concat(bytes).toString('utf8');
    });
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    default:
      return body;
  }
}

/** An attachment's file name from its Content-Disposition: plain
 * (`filename="a.pdf"`), or, when not ASCII, in RFC 2231's extended form,
 * possibly cut into numbered pieces (`filename*0*=utf-8''%D9…; filename*1*=…`). */
function attachmentName(disposition: string): string | undefined {
  const pieces = [...disposition.matchAll(/filename\*(\d*)(\*?)=("[^"]*"|[^;\s]*)/gi)]
    .map(([, index, star, value]) => ({
      index: Number(index || 0),
      // `filename*=` and `filename*N*=` are percent-encoded; `filename*N=` is not.
      encoded: index === '' || star === '*',
      value: value.replace(/^"|"$/g, ''),
    }))
    .sort((a, b) => a.index - b.index);
  if (pieces.length > 0) {
    const encoded = pieces.map((piece) => (piece.encoded ? piece.value : encodeURIComponent(piece.value))).join('');
    return decodeURIComponent(encoded.replace(/^[^']*'[^']*'/, ''));
  }
  const plain = disposition.match(/filename="?([^";]+)"?/)?.[1];
  return plain === undefined ? undefined : decodeHeader(plain);
}

/** Reads one `.eml` file: its recipient, (decoded) subject, plain-text and
 * HTML parts and the names of its attachments. Parts may nest (a receipt is mixed: the
 * alternative text and HTML, then the PDF). */
export function readMail(raw: string): Mail {
  const header = (block: string, name: string) =>
    block.match(new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im'))?.[1].replace(/\r?\n[ \t]/g, ' ').trim() ?? '';
  const [head] = raw.split(/\r?\n\r?\n/);
  let text = '';
  let html = '';
  const attachments: string[] = [];
  const walk = (part: string) => {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return;
    const partHead = part.slice(0, split);
    const boundary = header(partHead, 'Content-Type').match(/boundary="?([^";]+)"?/)?.[1];
    if (boundary) {
      part.split(`--${boundary}`).slice(1).forEach(walk);
      return;
    }
    const name = attachmentName(header(partHead, 'Content-Disposition'));
    const body = () => decodeBody(part.slice(split).trim(), header(partHead, 'Content-Transfer-Encoding'));
    if (name) attachments.push(name);
    else if (/^content-type:\s*text\/plain/im.test(partHead) && !text) text = body();
    else if (/^content-type:\s*text\/html/im.test(partHead) && !html) html = body();
  };
  walk(raw.replace(/^\r?\n/, ''));
  const to = header(head, 'To').replace(/^.*<([^>]+)>.*$/, '$1');
  return { to, subject: decodeHeader(header(head, 'Subject')), text, html, attachments };
}

/** Every email to `to` written so far, oldest first. */
export function mailsTo(to: string): Mail[] {
  const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort() : [];
  return files
    .map((file) => readMail(fs.readFileSync(path.join(mailDir, file), 'utf8')))
    .filter((mail) => mail.to.toLowerCase() === to.toLowerCase());
}

/** Waits for an email to `to` whose subject contains `subject`, and returns it. */
export async function waitForMail(to: string, subject: string, timeoutMs = 10_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const file of files.reverse()) {
      const mail = readMail(fs.readFileSync(path.join(mailDir, file), 'utf8'));
      if (mail.to.toLowerCase() === to.toLowerCase() && mail.subject.includes(subject)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email to ${to} with "${subject}" in ${mailDir}`);
}

/** The first link in a mail's text whose path is `pathname`, made relative to the site. */
export function linkIn(mail: Mail, pathname: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s/]+(${pathname.replace(/[/]/g, '\\/')}\\?token=[A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${pathname} link in: ${mail.text}`);
  return match[1];
}

/** The checkout-complete link of a payment receipt, made relative to the site. */
export function completionLinkIn(mail: Mail): string {
  const match = mail.text.match(/https?:\/\/[^\s/]+(\/checkout\/complete\?invoiceId=\d+&basketSession=[0-9a-f-]+)/);
  if (!match) throw new Error(`no completion link in: ${mail.text}`);
  return match[1];
}
