//! The words of every email the app sends, as plain text and HTML, in the
//! language of whoever reads it: a receipt in its invoice's, account emails
//! in the customer's. Links are built from the configured public URL and
//! carry that language (`lang=`), so they open in it in any browser.
//!
//! The plain-text part and the subject come from `tr_plain!` (no direction
//! isolates: no bidi algorithm reads them). The HTML part has `lang` and
//! `dir`, and every value a sentence or the layout holds (a name, an
//! invoice number, an amount, an address) is in a `<bdi>`, so an English
//! name or a Latin invoice number keeps its direction in Arabic.

use std::time::Duration;

use crate::domain::locale::{Direction, Locale};
use crate::domain::{BasketToken, Email, InvoiceId, Money, SecretToken};
use crate::domain::shop::Letterhead;
use crate::server::shop::ShopCell;
use crate::server::payments::CardSummary;
use crate::server::services::purchase::checkout_complete_url;
use crate::server::store::outbox::OutgoingEmail;
use crate::domain::Invoice;
use crate::server::i18n::format;

#[derive(Debug, Clone)]
pub struct Templates {
    public_url: String,
    /// The seller who signs every message, as the shop is when it is written.
    shop: ShopCell,
}

/// What a payment receipt says: the paid invoice, the card, and the way back
/// to the checkout-complete page.
#[derive(Debug)]
pub struct Receipt<'a> {
    pub invoice: &'a Invoice,
    /// The seller the invoice was issued by, who signs its receipt.
    pub seller: &'a Letterhead,
    /// The card, when the payment provider says which.
    pub paid_with: Option<&'a CardSummary>,
    /// The basket session that registers the guest, as in the redirect after payment.
    pub basket: &'a BasketToken,
    pub link_valid_for: Duration,
}

/// One piece of text for both parts of an email: `text` as written, `html`
/// escaped with each of its values in a `<bdi>`.
struct Words {
    text: String,
    html: String,
}

impl Words {
    /// A value shown as it is given (an address line of the shop file):
    /// in a `<bdi>` in HTML.
    fn value(text: String) -> Self {
        Self { html: bdi(&text), text }
    }
}

/// A message of `locale`'s catalogue as `Words`: the plain text from
/// `tr_plain!`, the HTML from `tr!`, whose direction isolates around each
/// argument become `<bdi>` elements. Values are evaluated once per part,
/// so pass cheap ones (`&str`, numbers).
macro_rules! words {
    ($locale:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        Words {
            text: crate::tr_plain!($locale, $id $(, $name = $value)*),
            html: isolates_as_bdi(&escape(&crate::tr!($locale, $id $(, $name = $value)*))),
        }
    };
}

/// A block of figures between the paragraphs and the call to action.
struct Table {
    text: String,
    html: String,
}

/// One call to action: a sentence and the button that follows it.
struct Action {
    label: String,
    url: String,
}

/// What one email says, before it is laid out in both parts.
struct Message<'a> {
    locale: Locale,
    to: &'a Email,
    subject: String,
    /// Whom the greeting names.
    name: &'a str,
    paragraphs: Vec<Words>,
    table: Option<Table>,
    action: Option<Action>,
    note: Words,
}

impl Templates {
    pub fn new(public_url: &str, shop: ShopCell) -> Self {
        Self { public_url: public_url.trim_end_matches('/').to_owned(), shop }
    }

    /// The seller's name, as subjects and signatures give it.
    fn sender_name(&self) -> String {
        self.shop.get().seller.letterhead.name.clone()
    }

    /// An absolute link to `path_and_query` that opens in `locale`.
    fn link(&self, path_and_query: &str, locale: Locale) -> String {
        let separator = if path_and_query.contains('?') { '&' } else { '?' };
        format!("{}{path_and_query}{separator}lang={}", self.public_url, locale.tag())
    }

    /// The checkout-complete page of a purchase, as an absolute link in `locale`.
    pub fn checkout_complete_url(&self, invoice: InvoiceId, basket: &BasketToken, locale: Locale) -> String {
        self.link(&checkout_complete_url(invoice, basket), locale)
    }

    /// Written with the payment, in the invoice's language: the receipt, the
    /// invoice PDF attached, and the link that registers the guest if the
    /// browser never got there.
    pub fn payment_receipt(&self, receipt: &Receipt<'_>) -> OutgoingEmail {
        let invoice = receipt.invoice;
        let locale = invoice.locale;
        let paid_at = invoice.paid_at.unwrap_or(invoice.issued_at);
        let link_expires = paid_at.plus(receipt.link_valid_for);
        let paid_on = format::date_time(locale, paid_at);
        let paid = match receipt.paid_with {
            Some(card) => words!(
                locale,
                "email-receipt-paid-by-card",
                paid = paid_on.as_str(),
                brand = card.brand.as_str(),
                last4 = card.last4.as_str()
            ),
            None => words!(locale, "email-receipt-paid-online", paid = paid_on.as_str()),
        };
        let issued = format::date(locale, invoice.issued_at);
        let valid = describe(locale, receipt.link_valid_for);
        let expires = format::date_time(locale, link_expires);
        let mut email = self.compose_as(
            receipt.seller,
            Message {
                locale,
                to: &invoice.bill_to.email,
                subject: crate::tr_plain!(locale, "email-receipt-subject", seller = receipt.seller.name.as_str(), number = invoice.number.as_str()),
                name: &invoice.bill_to.name,
                paragraphs: vec![
                    words!(locale, "email-receipt-intro", number = invoice.number.as_str(), issued = issued.as_str()),
                    paid,
                ],
                table: Some(receipt_table(invoice)),
                action: Some(Action {
                    label: crate::tr_plain!(locale, "email-receipt-action"),
                    url: self.checkout_complete_url(invoice.id, receipt.basket, locale),
                }),
                note: words!(locale, "email-receipt-note", valid = valid.as_str(), expires = expires.as_str()),
            },
        );
        email.attachment = Some(invoice.id);
        email
    }

    pub fn set_password_url(&self, token: &SecretToken, locale: Locale) -> String {
        self.link(&format!("/account/set-password?token={}", token.reveal()), locale)
    }

    pub fn reset_password_url(&self, token: &SecretToken, locale: Locale) -> String {
        self.link(&format!("/account/reset-password?token={}", token.reveal()), locale)
    }

    pub fn sign_in_link_url(&self, token: &SecretToken, locale: Locale) -> String {
        self.link(&format!("/account/link?token={}", token.reveal()), locale)
    }

    /// A new customer, in their language: their invoice is in the portal;
    /// choose a password to get in.
    pub fn welcome(&self, locale: Locale, to: &Email, name: &str, invoice_number: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        let valid = describe(locale, valid_for);
        self.compose(Message {
            locale,
            to,
            subject: crate::tr_plain!(locale, "email-welcome-subject", seller = self.sender_name()),
            name,
            paragraphs: vec![
                words!(locale, "email-welcome-intro", number = invoice_number),
                words!(locale, "email-welcome-choose"),
            ],
            table: None,
            action: Some(Action { label: crate::tr_plain!(locale, "email-set-password-action"), url: self.set_password_url(token, locale) }),
            note: words!(locale, "email-welcome-note", valid = valid.as_str()),
        })
    }

    /// An existing customer, in their language: a guest purchase with their
    /// email was added to their account.
    pub fn invoice_added(
        &self,
        locale: Locale,
        to: &Email,
        name: &str,
        invoice_number: &str,
        invoice: InvoiceId,
        first_password: Option<(&SecretToken, Duration)>,
    ) -> OutgoingEmail {
        let (action, note) = match first_password {
            Some((token, valid_for)) => {
                let valid = describe(locale, valid_for);
                (
                    Action { label: crate::tr_plain!(locale, "email-set-password-action"), url: self.set_password_url(token, locale) },
                    words!(locale, "email-invoice-added-first-password", valid = valid.as_str()),
                )
            }
            None => (
                Action {
                    label: crate::tr_plain!(locale, "email-invoice-added-action"),
                    url: self.link(&format!("/account/invoices/{invoice}"), locale),
                },
                words!(locale, "email-invoice-added-not-you"),
            ),
        };
        self.compose(Message {
            locale,
            to,
            subject: crate::tr_plain!(locale, "email-invoice-added-subject", number = invoice_number),
            name,
            paragraphs: vec![words!(locale, "email-invoice-added-intro", number = invoice_number)],
            table: None,
            action: Some(action),
            note,
        })
    }

    pub fn sign_in_link(&self, locale: Locale, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        let valid = describe(locale, valid_for);
        self.compose(Message {
            locale,
            to,
            subject: crate::tr_plain!(locale, "email-sign-in-subject", seller = self.sender_name()),
            name,
            paragraphs: vec![words!(locale, "email-sign-in-intro")],
            table: None,
            action: Some(Action { label: crate::tr_plain!(locale, "email-sign-in-action"), url: self.sign_in_link_url(token, locale) }),
            note: words!(locale, "email-sign-in-note", valid = valid.as_str()),
        })
    }

    pub fn password_reset(&self, locale: Locale, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        let valid = describe(locale, valid_for);
        self.compose(Message {
            locale,
            to,
            subject: crate::tr_plain!(locale, "email-reset-subject", seller = self.sender_name()),
            name,
            paragraphs: vec![words!(locale, "email-reset-intro")],
            table: None,
            action: Some(Action { label: crate::tr_plain!(locale, "email-reset-action"), url: self.reset_password_url(token, locale) }),
            note: words!(locale, "email-reset-note", valid = valid.as_str()),
        })
    }

    /// A message signed by the shop's seller as it is now.
    fn compose(&self, message: Message<'_>) -> OutgoingEmail {
        let shop = self.shop.get();
        self.compose_as(&shop.seller.letterhead, message)
    }

    /// A message signed by `letterhead`.
    fn compose_as(&self, letterhead: &Letterhead, message: Message<'_>) -> OutgoingEmail {
        let Message { locale, to, subject, name, paragraphs, table, action, note } = message;
        let accent = letterhead.accent.hex();
        let greeting = words!(locale, "email-greeting", name = name.trim());
        let mut text = format!("{}\n\n", greeting.text);
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><body style=\"font-family:sans-serif;line-height:1.5;color:#1f2937\">{}<p>{}</p>",
            self.masthead(letterhead),
            greeting.html,
            lang = locale.tag(),
            dir = locale.direction().html(),
        );
        for paragraph in &paragraphs {
            text.push_str(&paragraph.text);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", paragraph.html));
        }
        if let Some(table) = table {
            text.push_str(&table.text);
            text.push('\n');
            html.push_str(&table.html);
        }
        if let Some(action) = action {
            let paste = words!(locale, "email-paste-link", url = action.url.as_str());
            text.push_str(&format!("{}:\n{}\n\n", action.label, action.url));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;padding:10px 18px;background:{accent};color:#fff;border-radius:6px;text-decoration:none\">{label}</a></p>\
                 <p style=\"font-size:13px;color:#4b5563\">{paste}</p>",
                url = escape(&action.url),
                label = escape(&action.label),
                paste = paste.html,
            ));
        }
        // Signed by the seller, with its address and tax id (a receipt must
        // name them), as the shop file gives them in the email's language.
        let mut seller_footer: Vec<Words> = letterhead.address_in(locale).iter().cloned().map(Words::value).collect();
        if !letterhead.tax_id.is_empty() {
            seller_footer.push(words!(locale, "email-seller-tax-id", tax_id = letterhead.tax_id.as_str()));
        }
        text.push_str(&format!("{}\n\n{}\n", note.text, letterhead.name));
        for line in &seller_footer {
            text.push_str(&format!("{}\n", line.text));
        }
        let footer: Vec<&str> = seller_footer.iter().map(|line| line.html.as_str()).collect();
        html.push_str(&format!(
            "<p style=\"font-size:13px;color:#4b5563\">{}</p><p>{}<br><span style=\"font-size:13px;color:#4b5563\">{}</span></p></body></html>",
            note.html,
            bdi(&letterhead.name),
            footer.join("<br>"),
        ));
        OutgoingEmail { to: to.as_str().to_owned(), subject, text, html, attachment: None }
    }
}

impl Templates {
    /// The HTML part's top: the seller's logo (from the app's own origin,
    /// as the pages show it) or its name, over a rule in the accent colour.
    fn masthead(&self, letterhead: &Letterhead) -> String {
        let brand = match &letterhead.logo {
            Some(logo) => format!(
                "<img src=\"{}{}\" alt=\"{}\" height=\"40\" style=\"height:40px;max-width:240px\">",
                self.public_url,
                logo.path(),
                escape(&letterhead.name)
            ),
            None => format!("<strong style=\"font-size:18px\">{}</strong>", bdi(&letterhead.name)),
        };
        format!(
            "<div data-masthead=\"\" style=\"padding-bottom:12px;margin-bottom:16px;border-bottom:3px solid {}\">{brand}</div>",
            letterhead.accent.hex()
        )
    }
}

/// The file name of an invoice's PDF attached to its receipt, in the invoice's language.
pub fn attachment_name(invoice: &Invoice) -> String {
    crate::tr_plain!(invoice.locale, "email-receipt-attachment-name", number = invoice.number.as_str())
}

/// The receipt's lines and totals in the invoice's language, as aligned
/// text and as an HTML table (its amounts on the side the text ends).
fn receipt_table(invoice: &Invoice) -> Table {
    let locale = invoice.locale;
    let money = |minor: i64| format::money(locale, Money::new(minor, invoice.currency));
    let mut rows: Vec<(Words, String)> = invoice
        .lines
        .iter()
        .map(|line| {
            let price = money(line.unit_price_minor);
            let rate = format::percent(locale, line.tax_rate);
            let label = words!(
                locale,
                "email-receipt-line",
                quantity = line.quantity,
                description = line.description.as_str(),
                price = price.as_str(),
                rate = rate.as_str()
            );
            (label, money(line.net_minor))
        })
        .collect();
    let lines = rows.len();
    rows.push((words!(locale, "email-receipt-subtotal"), money(invoice.subtotal_minor)));
    rows.push((words!(locale, "email-receipt-tax"), money(invoice.tax_minor)));
    rows.push((words!(locale, "email-receipt-total"), money(invoice.total_minor)));

    let (end, label_padding) = match locale.direction() {
        Direction::LeftToRight => ("right", "4px 16px 4px 0"),
        Direction::RightToLeft => ("left", "4px 0 4px 16px"),
    };
    let width = rows.iter().map(|(label, _)| label.text.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    let mut html = String::from("<table style=\"border-collapse:collapse;margin:8px 0 16px\">");
    for (index, (label, amount)) in rows.iter().enumerate() {
        let pad = width - label.text.chars().count();
        text.push_str(&format!("  {}{}  {amount}\n", label.text, " ".repeat(pad)));
        let total = index == rows.len() - 1;
        let rule = if index == lines { "border-top:1px solid #d1d5db;" } else { "" };
        let weight = if total { "font-weight:bold;" } else { "" };
        html.push_str(&format!(
            "<tr><td style=\"{rule}{weight}padding:{label_padding}\">{}</td><td style=\"{rule}{weight}padding:4px 0;text-align:{end}\">{}</td></tr>",
            label.html,
            bdi(amount),
        ));
    }
    html.push_str("</table>");
    Table { text, html }
}

/// How long a link works, in `locale`'s words: `24 hours`, `15 minutes`,
/// `1 hour`, `7 days`. Plain text: it goes into sentences as a value.
fn describe(locale: Locale, duration: Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let (days, hours) = (minutes / (24 * 60), minutes / 60);
    if minutes >= 2 * 24 * 60 && minutes % (24 * 60) == 0 {
        crate::tr_plain!(locale, "email-duration-days", count = days)
    } else if minutes >= 60 && minutes % 60 == 0 {
        crate::tr_plain!(locale, "email-duration-hours", count = hours)
    } else {
        let minutes = minutes.max(1);
        crate::tr_plain!(locale, "email-duration-minutes", count = minutes)
    }
}

/// `raw`, escaped, in a `<bdi>`: a value whose direction is its own.
fn bdi(raw: &str) -> String {
    format!("<bdi>{}</bdi>", escape(raw))
}

/// Escaped HTML from `tr!` with each argument's first-strong isolate
/// (U+2068 … U+2069) as a `<bdi>` element, the same isolation in markup
/// every mail program understands. Always balanced: a stray closing
/// isolate (typed into a name) is dropped, an unclosed one closed.
fn isolates_as_bdi(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut open = 0usize;
    for ch in html.chars() {
        match ch {
            '\u{2068}' => {
                open += 1;
                out.push_str("<bdi>");
            }
            '\u{2069}' if open > 0 => {
                open -= 1;
                out.push_str("</bdi>");
            }
            '\u{2069}' => {}
            _ => out.push(ch),
        }
    }
    for _ in 0..open {
        out.push_str("</bdi>");
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> Templates {
        let shop = ShopCell::unconfigured();
        let mut current = (*shop.get()).clone();
        current.seller.letterhead.name = "Dock 5".into();
        shop.set(current);
        Templates::new("https://billing.example.com/", shop)
    }

    #[test]
    fn the_html_part_shows_the_seller_s_logo_from_our_origin_and_its_accent() {
        let shop = ShopCell::unconfigured();
        let mut current = (*shop.get()).clone();
        current.seller.letterhead.name = "Kanal <Werkhaus>".into();
        current.seller.letterhead.accent = "#0b5d3b".parse().unwrap();
        current.seller.letterhead.logo =
            Some(crate::domain::shop::LogoRef { sha256: "ab".repeat(32), format: crate::domain::shop::LogoFormat::Svg });
        shop.set(current);
        let to: Email = "x@example.com".parse().unwrap();
        let email = Templates::new("https://billing.example.com", shop).sign_in_link(Locale::FALLBACK, &to, "Kim", &SecretToken::generate(), Duration::from_secs(900));
        let logo = format!("<img src=\"https://billing.example.com/shop/logo/{}.svg\" alt=\"Kanal &lt;Werkhaus&gt;\"", "ab".repeat(32));
        assert!(email.html.contains(&logo), "{}", email.html);
        assert!(email.html.contains("border-bottom:3px solid #0b5d3b"), "{}", email.html);
        assert!(email.html.contains("background:#0b5d3b"), "the button is in the accent: {}", email.html);
        assert!(email.subject.ends_with("Kanal <Werkhaus>"), "{}", email.subject);
        assert!(email.text.contains("\nKanal <Werkhaus>\n"), "signed with the seller's name: {}", email.text);
    }

    #[test]
    fn durations_read_naturally() {
        let en = Locale::FALLBACK;
        assert_eq!(describe(en, Duration::from_secs(24 * 3600)), "24 hours");
        assert_eq!(describe(en, Duration::from_secs(3600)), "1 hour");
        assert_eq!(describe(en, Duration::from_secs(15 * 60)), "15 minutes");
        assert_eq!(describe(en, Duration::from_secs(7 * 24 * 3600)), "7 days");
        assert_eq!(describe(en, Duration::from_secs(5)), "1 minute");
    }

    #[test]
    fn the_welcome_email_links_to_the_public_url_in_both_bodies() {
        let token = SecretToken::generate();
        let to: Email = "jane@example.com".parse().unwrap();
        let email = templates().welcome(Locale::FALLBACK, &to, "Jane", "INV-000001", &token, Duration::from_secs(86_400));
        let link = format!("https://billing.example.com/account/set-password?token={}", token.reveal());
        assert!(email.text.contains(&link), "{}", email.text);
        assert!(email.html.contains(&link));
        assert!(email.text.contains("24 hours"));
        assert_eq!(email.to, "jane@example.com");
    }

    fn locale(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    #[test]
    fn durations_read_naturally_in_german_and_arabic() {
        let (de, ar) = (locale("de"), locale("ar"));
        assert_eq!(describe(de, Duration::from_secs(3600)), "1 Stunde");
        assert_eq!(describe(de, Duration::from_secs(24 * 3600)), "24 Stunden");
        assert_eq!(describe(de, Duration::from_secs(7 * 24 * 3600)), "7 Tage");
        // Arabic's categories: one, two, few (3–10), many (11–99), other (100, …).
        assert_eq!(describe(ar, Duration::from_secs(60)), "دقيقة واحدة");
        assert_eq!(describe(ar, Duration::from_secs(2 * 3600)), "ساعتين");
        assert_eq!(describe(ar, Duration::from_secs(3 * 24 * 3600)), "3 أيام");
        assert_eq!(describe(ar, Duration::from_secs(15 * 60)), "15 دقيقة");
        assert_eq!(describe(ar, Duration::from_secs(11 * 24 * 3600)), "11 يومًا");
        assert_eq!(describe(ar, Duration::from_secs(100 * 60)), "100 دقيقة");
    }

    #[test]
    fn isolates_become_balanced_bdi_elements() {
        assert_eq!(isolates_as_bdi("Hello \u{2068}Kim\u{2069},"), "Hello <bdi>Kim</bdi>,");
        assert_eq!(isolates_as_bdi("\u{2068}a\u{2068}b\u{2069}c\u{2069}"), "<bdi>a<bdi>b</bdi>c</bdi>");
        // Typed into a name: a stray close is dropped, an open one closed.
        assert_eq!(isolates_as_bdi("x\u{2069}y"), "xy");
        assert_eq!(isolates_as_bdi("\u{2068}x"), "<bdi>x</bdi>");
    }

    #[test]
    fn an_arabic_email_runs_right_to_left_and_keeps_isolates_out_of_its_text() {
        let to: Email = "x@example.com".parse().unwrap();
        let email = templates().sign_in_link(locale("ar"), &to, "Kim <K>", &SecretToken::generate(), Duration::from_secs(900));
        assert!(email.html.starts_with("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">"), "{}", email.html);
        assert!(email.html.contains("مرحبًا <bdi>Kim &lt;K&gt;</bdi>،"), "{}", email.html);
        assert!(email.html.contains("<bdi>Dock 5</bdi>"), "the seller's name keeps its direction: {}", email.html);
        assert!(!email.html.contains(['\u{2068}', '\u{2069}']), "{}", email.html);
        let isolate = |c: char| ('\u{2066}'..='\u{2069}').contains(&c);
        assert!(!email.subject.chars().any(isolate) && !email.text.chars().any(isolate), "{:?} {:?}", email.subject, email.text);
        assert_eq!(email.subject, "رابط تسجيل الدخول إلى Dock 5");
        assert!(email.text.contains("لمدة 15 دقيقة"), "{}", email.text);
    }

    #[test]
    fn every_link_opens_in_the_email_s_language() {
        let to: Email = "x@example.com".parse().unwrap();
        let token = SecretToken::generate();
        let day = Duration::from_secs(86_400);
        let templates = templates();
        let de = locale("de");
        let invoice = InvoiceId::new(7).unwrap();
        let links = [
            (templates.welcome(de, &to, "Jana", "INV-7", &token, day), "/account/set-password?token="),
            (templates.invoice_added(de, &to, "Jana", "INV-7", invoice, Some((&token, day))), "/account/set-password?token="),
            (templates.invoice_added(de, &to, "Jana", "INV-7", invoice, None), "/account/invoices/7?lang=de"),
            (templates.sign_in_link(de, &to, "Jana", &token, day), "/account/link?token="),
            (templates.password_reset(de, &to, "Jana", &token, day), "/account/reset-password?token="),
        ];
        for (email, path) in links {
            let start = email.text.find(&format!("https://billing.example.com{path}")).unwrap_or_else(|| panic!("{path} in {}", email.text));
            let link: String = email.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
            assert!(link.ends_with("lang=de"), "{link}");
            assert!(email.html.contains(&format!("href=\"{}\"", escape(&link))), "{}", email.html);
            assert!(email.html.starts_with("<!DOCTYPE html><html lang=\"de\" dir=\"ltr\">"), "{}", email.html);
        }
    }

    #[test]
    fn names_are_escaped_in_html() {
        let to: Email = "x@example.com".parse().unwrap();
        let email = templates().sign_in_link(Locale::FALLBACK, &to, "<script>alert(1)</script>", &SecretToken::generate(), Duration::from_secs(900));
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("&lt;script&gt;"));
        assert!(email.text.contains("<script>"), "plain text stays as typed");
    }
}
