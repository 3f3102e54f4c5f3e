import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mailsTo, pdfText, type Mail } from './support/server';

// Issue #32: a shopper whose browser asks for German or Arabic buys, registers
// and downloads in that language, with and without JavaScript, and the
// receipt email and the invoice PDF follow. The words below are the
// catalogues' (i18n/{de,ar}/app.ftl) and the shop file's translations
// (examples/shop.toml). The app wraps a message's arguments in invisible
// U+2068/U+2069 isolates, so a sentence with arguments is matched by its
// argument-free parts.

interface Language {
  tag: 'de' | 'ar';
  /** The browser context's locale: Chromium sends it as Accept-Language. */
  browserLocale: string;
  dir: 'ltr' | 'rtl';
  name: string;
  catalogueTitle: string;
  dayPass: string;
  addDayPass: string;
  basketTitle: string;
  quantityOfDayPass: string;
  continueToDetails: string;
  detailsTitle: string;
  fields: { name: string; email: string; address: string; postcode: string; city: string; country: string };
  continueToPayment: string;
  paymentTitle: string;
  /** "Pay €30.25" on the payment page and the hosted page: plain text, no isolates. */
  pay: RegExp;
  handOffContinue: string;
  card: { number: string; expiry: string; cvc: string };
  register: string;
  settingUp: string;
  ready: string;
  /** The argument-free parts of "Invoice {number} for {total} is paid. …". */
  registeredParts: string[];
  download: string;
  /** One Day Pass: €25.00 + 21 % VAT, written the locale's way. */
  total: RegExp;
  languageNav: string;
  pdfWords: string[];
  receiptSubject: RegExp;
  receiptText: string[];
  /** The account email registration sends: the customer's locale, set at registration. */
  welcomeSubject: RegExp;
  /** The attached PDF's file name, before the invoice number. */
  attachmentWord: string;
  englishWords: string[];
}

const german: Language = {
  tag: 'de',
  browserLocale: 'de-DE',
  dir: 'ltr',
  name: 'Deutsch',
  catalogueTitle: 'Buchen Sie Ihren Platz',
  dayPass: 'Tagespass',
  addDayPass: 'Tagespass in den Warenkorb legen',
  basketTitle: 'Ihr Warenkorb',
  quantityOfDayPass: 'Menge von Tagespass',
  continueToDetails: 'Weiter zu Ihren Angaben',
  detailsTitle: 'Ihre Angaben',
  fields: {
    name: 'Vollständiger Name',
    email: 'E-Mail-Adresse',
    address: 'Straße und Hausnummer',
    postcode: 'Postleitzahl',
    city: 'Ort',
    country: 'Land',
  },
  continueToPayment: 'Weiter zur Zahlung',
  paymentTitle: 'Zahlung',
  pay: /^\S+\s€ bezahlen$/,
  handOffContinue: 'Weiter zur Zahlung',
  card: { number: 'Kartennummer', expiry: 'Ablaufdatum (MM/JJ)', cvc: 'Prüfnummer (CVC)' },
  register: 'Registrierung abschließen',
  settingUp: 'Ihr Kundenkonto wird eingerichtet…',
  ready: 'Ihr Kundenkonto ist bereit',
  registeredParts: ['Rechnung', 'über', 'ist bezahlt. Der Zugang zum Kundenportal ist für', 'eingerichtet.'],
  download: 'Rechnung herunterladen (PDF)',
  total: /30,25\s€/,
  languageNav: 'Sprache',
  pdfWords: ['RECHNUNG', 'RECHNUNGSEMPFÄNGER', 'BESCHREIBUNG', 'Tagespass', 'Zwischensumme', 'Gesamtbetrag EUR', '30,25 €', 'Vielen Dank für Ihren Auftrag.'],
  receiptSubject: /^Ihre Zahlungsbestätigung von .+: Rechnung INV-\d{6}$/,
  receiptText: ['Guten Tag Sam Shopper,', 'vielen Dank für Ihre Zahlung', 'Tagespass', 'Bezahlter Gesamtbetrag'],
  attachmentWord: 'Rechnung',
  welcomeSubject: /^Willkommen bei .+: Legen Sie Ihr Passwort fest$/,
  englishWords: ['INVOICE', 'Subtotal', 'Amount due', 'Day Pass'],
};

const arabic: Language = {
  tag: 'ar',
  browserLocale: 'ar',
  dir: 'rtl',
  name: 'العربية',
  catalogueTitle: 'احجز مساحتك',
  dayPass: 'تذكرة يوم',
  addDayPass: 'أضف تذكرة يوم إلى السلة',
  basketTitle: 'سلتك',
  quantityOfDayPass: 'كمية تذكرة يوم',
  continueToDetails: 'تابع إلى بياناتك',
  detailsTitle: 'بياناتك',
  fields: {
    name: 'الاسم الكامل',
    email: 'البريد الإلكتروني',
    address: 'الشارع ورقم المبنى',
    postcode: 'الرمز البريدي',
    city: 'المدينة أو البلدة',
    country: 'الدولة',
  },
  continueToPayment: 'تابع إلى الدفع',
  paymentTitle: 'الدفع',
  pay: /^ادفع /,
  handOffContinue: 'تابع إلى الدفع',
  card: { number: 'رقم البطاقة', expiry: 'تاريخ الانتهاء (MM/YY)', cvc: 'رمز الأمان (CVC)' },
  register: 'إكمال التسجيل',
  settingUp: 'جارٍ إعداد حسابك…',
  ready: 'حسابك جاهز',
  registeredParts: ['الفاتورة', 'بمبلغ', 'مدفوعة. تم إعداد الوصول إلى البوابة للبريد'],
  download: 'تنزيل الفاتورة (PDF)',
  total: /30\.25\s€/,
  languageNav: 'اللغة',
  // Words without a lam-alef ligature: poppler copies a ligature of a
  // right-to-left run with its letters swapped (see tests/it/i18n_pdf.rs).
  pdfWords: ['فاتورة', 'مدفوعة', 'الوصف', 'الكمية', 'المجموع الفرعي', 'المبلغ المستحق', 'تذكرة يوم', '30.25'],
  receiptSubject: /^إيصالك من .+: الفاتورة INV-\d{6}$/,
  receiptText: ['مرحبًا Sam Shopper،', 'شكرًا لك على الدفع', 'تذكرة يوم', 'إجمالي المبلغ المدفوع'],
  attachmentWord: 'فاتورة',
  welcomeSubject: /^مرحبًا بك في .+: عيّن كلمة المرور الخاصة بك$/,
  englishWords: ['INVOICE', 'Subtotal', 'Amount due', 'Day Pass'],
};

const languages = [german, arabic];

let counter = 0;
function uniqueEmail(tag: string): string {
  counter += 1;
  return `lang-${tag}-${Date.now()}-${process.pid}-${counter}@example.com`;
}

/** The page says it is in `language`: `<html lang dir>`. */
async function expectPageIn(page: Page, language: Language) {
  await expect(page.locator('html')).toHaveAttribute('lang', language.tag);
  await expect(page.locator('html')).toHaveAttribute('dir', language.dir);
}

/** axe, as shop.spec.ts runs it: zero violations. Named by the page, so a
 * failure says where. */
async function expectNoAxeViolations(page: Page, where: string) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations, `axe on ${where}`).toEqual([]);
}

/** A PDF's text as poppler reads it, without the direction marks pdftotext
 * writes around right-to-left words and with no-break spaces as spaces. */
function readablePdfText(file: string): string {
  return pdfText(file)
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\u00A0|\u202F/g, ' ');
}

/** The one email to `email` whose subject matches, once the server has
 * written it (the server writes .eml files to MAIL_DIR). */
async function mailWithSubject(email: string, subject: RegExp): Promise<Mail> {
  const matching = () => mailsTo(email).filter((mail) => subject.test(mail.subject));
  await expect
    .poll(() => matching().length, {
      message: `an email to ${email} with a subject like ${subject}; so far: ${JSON.stringify(mailsTo(email).map((m) => m.subject))}`,
    })
    .toBe(1);
  return matching()[0];
}

for (const language of languages) {
  for (const javaScript of [true, false]) {
    test.describe(`${language.tag} browser (${language.browserLocale}), ${javaScript ? 'with' : 'without'} JavaScript`, () => {
      test.use({ locale: language.browserLocale, javaScriptEnabled: javaScript });

      test('buys a day pass, registers, downloads the PDF and gets the receipt in the language', async ({ page }) => {
        const email = uniqueEmail(language.tag);
        // axe runs inside the page, so only with JavaScript (a context without
        // it never answers axe's evaluate); the pages it checks are the same
        // server-rendered pages the runs without JavaScript get.
        const checkAccessibility = (where: string) => (javaScript ? expectNoAxeViolations(page, where) : Promise.resolve());

        // The catalogue, chosen by Accept-Language alone.
        await page.goto('/');
        await expectPageIn(page, language);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.catalogueTitle);
        await expect(page.getByRole('navigation', { name: language.languageNav })).toBeVisible();
        await expect(page.locator('.products .product h2').first()).toHaveText(language.dayPass);
        await checkAccessibility(`the ${language.tag} catalogue`);
        await page.getByRole('button', { name: language.addDayPass, exact: true }).click();

        // The basket.
        await expect(page).toHaveURL('/basket');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.basketTitle);
        await expectPageIn(page, language);
        await expect(page.getByLabel(language.quantityOfDayPass, { exact: true })).toHaveValue('1');
        await expect(page.getByTestId('basket-total')).toHaveText(language.total);
        await checkAccessibility(`the ${language.tag} basket`);
        await page.getByRole('link', { name: language.continueToDetails }).click();

        // The details.
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.detailsTitle);
        await expectPageIn(page, language);
        await checkAccessibility(`the ${language.tag} details page`);
        const { fields } = language;
        await page.getByLabel(fields.name, { exact: true }).fill('Sam Shopper');
        await page.getByLabel(fields.email, { exact: true }).fill(email);
        await page.getByLabel(fields.address, { exact: true }).fill('Damrak 1');
        await page.getByLabel(fields.postcode, { exact: true }).fill('1012 LG');
        await page.getByLabel(fields.city, { exact: true }).fill('Amsterdam');
        await page.getByLabel(fields.country, { exact: true }).selectOption('NL');
        await page.getByRole('button', { name: language.continueToPayment }).click();

        // The payment page.
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.paymentTitle);
        await expectPageIn(page, language);
        await expect(page.locator('dd.total')).toHaveText(language.total);
        await checkAccessibility(`the ${language.tag} payment page`);
        await page.getByRole('button', { name: language.pay }).click();

        // The hand-off: without JavaScript the browser goes on by itself (the
        // Refresh header); with it, the islands router shows its link.
        if (javaScript) await page.getByRole('link', { name: language.handOffContinue }).click();

        // The test provider's hosted page, in the basket's language too.
        await expect(page.getByLabel(language.card.number)).toBeVisible();
        await expectPageIn(page, language);
        await page.getByLabel(language.card.number).fill('4242 4242 4242 4242');
        await page.getByLabel(language.card.expiry).fill('12/34');
        await page.getByLabel(language.card.cvc).fill('123');
        await page.getByRole('button', { name: language.pay }).click();

        // Checkout-complete: with JavaScript the island registers by itself;
        // without, the server-rendered page offers the form button.
        await expect(page).toHaveURL(/\/checkout\/complete\?invoiceId=\d+/);
        await expectPageIn(page, language);
        const heading = page.getByRole('heading', { level: 1 });
        if (!javaScript) {
          await expect(heading).toHaveText(language.settingUp);
          await page.getByRole('button', { name: language.register }).click();
        }
        await expect(heading).toHaveText(language.ready);
        await expectPageIn(page, language);
        // The registered sentence, as rendered (by the island with JavaScript):
        // its words in the language, around the bold invoice number and total.
        const outcome = page.locator('.outcome');
        for (const part of language.registeredParts) await expect(outcome).toContainText(part);
        await expect(outcome.locator('strong').nth(1)).toHaveText(language.total);
        const invoiceNumber = (await outcome.locator('strong').first().textContent())!.replace(/[\u2068\u2069]/g, '');
        expect(invoiceNumber).toMatch(/^INV-\d{6}$/);
        await checkAccessibility(`the ${language.tag} checkout-complete page`);

        // The invoice PDF, labelled and written in the language.
        const link = page.getByRole('link', { name: language.download });
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        const text = readablePdfText(await download.path());
        expect(text).toContain(invoiceNumber);
        for (const word of language.pdfWords) expect(text, `"${word}" in the ${language.tag} PDF:\n${text}`).toContain(word);
        for (const word of language.englishWords) expect(text, `English "${word}" in the ${language.tag} PDF`).not.toContain(word);

        // The receipt email, in the basket's language.
        const receipt = await mailWithSubject(email, language.receiptSubject);
        expect(receipt.subject).toContain(invoiceNumber);
        for (const words of language.receiptText) expect(receipt.text).toContain(words);
        expect(receipt.text, 'no stray isolates in the plain text').not.toMatch(/[\u2066-\u2069]/);
        expect(receipt.html).toContain(`<html lang="${language.tag}" dir="${language.dir}">`);
        expect(receipt.html).toContain('<bdi>Sam Shopper</bdi>');
        expect(receipt.attachments).toEqual([`${language.attachmentWord} ${invoiceNumber}.pdf`]);

        // The account email registration sent, in the language too.
        const welcome = await mailWithSubject(email, language.welcomeSubject);
        expect(welcome.html).toContain(`<html lang="${language.tag}" dir="${language.dir}">`);
      });
    });
  }
}

// The switcher's links are plain query-only links (`?lang=ar`): they work
// without JavaScript, and the choice is kept (a cookie) over the browser's
// Accept-Language on the next pages.
for (const javaScript of [false, true]) {
  test.describe(`the language switcher, ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    test.use({ locale: german.browserLocale, javaScriptEnabled: javaScript });

    test('"العربية" on a German page gives the Arabic page, right to left, and it stays Arabic', async ({ page }) => {
      await page.goto('/');
      await expectPageIn(page, german);
      const switcher = page.getByRole('navigation', { name: german.languageNav });
      const toArabic = switcher.getByRole('link', { name: arabic.name, exact: true });
      await expect(toArabic).toHaveAttribute('href', /^\?(.*&)?lang=ar(&.*)?$/);
      await expect(toArabic).toHaveAttribute('hreflang', 'ar');
      await expect(switcher.getByRole('link', { name: german.name, exact: true })).toHaveAttribute('aria-current', 'true');

      await toArabic.click();
      await expect(page).toHaveURL(/[?&]lang=ar\b/);
      await expectPageIn(page, arabic);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(arabic.catalogueTitle);
      await expect(page.locator('.products .product h2').first()).toHaveText(arabic.dayPass);
      const arabicSwitcher = page.getByRole('navigation', { name: arabic.languageNav });
      await expect(arabicSwitcher.getByRole('link', { name: arabic.name, exact: true })).toHaveAttribute('aria-current', 'true');

      // The next page, reached without `?lang=`, is still Arabic for this German browser.
      await page.getByRole('button', { name: arabic.addDayPass, exact: true }).click();
      await expect(page).toHaveURL('/basket');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(arabic.basketTitle);
      await expectPageIn(page, arabic);

      // And back to German the same way.
      await page.getByRole('navigation', { name: arabic.languageNav }).getByRole('link', { name: german.name, exact: true }).click();
      await expectPageIn(page, german);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(german.basketTitle);
    });
  });
}
