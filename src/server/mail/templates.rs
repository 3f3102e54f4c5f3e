//! The words of every email the app sends, as plain text and HTML.
//! Links are built from the configured public URL.

use std::time::Duration;

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

/// A block of figures between the paragraphs and the call to action.
struct Table {
    text: String,
    html: String,
}

/// One call to action: a sentence and the button that follows it.
struct Action<'a> {
    label: &'a str,
    url: String,
}

impl Templates {
    pub fn new(public_url: &str, shop: ShopCell) -> Self {
        Self { public_url: public_url.trim_end_matches('/').to_owned(), shop }
    }

    /// The seller's name, as subjects and signatures give it.
    fn sender_name(&self) -> String {
        self.shop.get().seller.letterhead.name.clone()
    }

    /// The checkout-complete page of a purchase, as an absolute link.
    pub fn checkout_complete_url(&self, invoice: InvoiceId, basket: &BasketToken) -> String {
        format!("{}{}", self.public_url, checkout_complete_url(invoice, basket))
    }

    /// Written with the payment: the receipt, the invoice PDF attached, and
    /// the link that registers the guest if the browser never got there.
    pub fn payment_receipt(&self, receipt: &Receipt<'_>) -> OutgoingEmail {
        let invoice = receipt.invoice;
        let money = |minor: i64| format::money(invoice.locale, Money::new(minor, invoice.currency));
        let paid_at = invoice.paid_at.unwrap_or(invoice.issued_at);
        let link_expires = paid_at.plus(receipt.link_valid_for);
        let paid = match receipt.paid_with {
            Some(card) => format!("Paid {} by {} ending in {}.", format!("{} UTC", format::date_time(invoice.locale, paid_at)), card.brand, card.last4),
            None => format!("Paid {} online.", format!("{} UTC", format::date_time(invoice.locale, paid_at))),
        };
        let mut email = self.compose_as(
            receipt.seller,
            &invoice.bill_to.email,
            &format!("Your receipt from {}: invoice {}", receipt.seller.name, invoice.number),
            &invoice.bill_to.name,
            &[
                &format!("Thank you for your payment. This is your receipt for invoice {}, issued {}.", invoice.number, format::date(invoice.locale, invoice.issued_at)),
                &paid,
            ],
            Some(receipt_table(invoice, &money)),
            Some(Action { label: "Get your invoice and account", url: self.checkout_complete_url(invoice.id, receipt.basket) }),
            &format!(
                "The link sets up your customer portal account and offers the invoice download. It works for {} after \
                 your payment, until {}; after that, or once your account is set up, the same link lets you have a \
                 sign-in link emailed to you. The invoice is attached as a PDF. Keep this email private: the link \
                 is yours alone. Questions? Reply to this email.",
                describe(receipt.link_valid_for),
                format!("{} UTC", format::date_time(invoice.locale, link_expires)),
            ),
        );
        email.attachment = Some(invoice.id);
        email
    }

    pub fn set_password_url(&self, token: &SecretToken) -> String {
        format!("{}/account/set-password?token={}", self.public_url, token.reveal())
    }

    pub fn reset_password_url(&self, token: &SecretToken) -> String {
        format!("{}/account/reset-password?token={}", self.public_url, token.reveal())
    }

    pub fn sign_in_link_url(&self, token: &SecretToken) -> String {
        format!("{}/account/link?token={}", self.public_url, token.reveal())
    }

    /// A new customer: their invoice is in the portal; choose a password to get in.
    pub fn welcome(&self, to: &Email, name: &str, invoice_number: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        self.compose(
            to,
            &format!("Welcome to {}: set your password", self.sender_name()),
            name,
            &[
                &format!("Thank you for your purchase. Invoice {invoice_number} is paid, and we have set up a customer portal account for you."),
                "Choose a password to sign in, see your invoices and download them at any time.",
            ],
            None,
            Some(Action { label: "Set your password", url: self.set_password_url(token) }),
            &format!("This link works once, for {}. If it expires, use \"Forgot your password?\" on the sign-in page.", describe(valid_for)),
        )
    }

    /// An existing customer: a guest purchase with their email was added to their account.
    pub fn invoice_added(
        &self,
        to: &Email,
        name: &str,
        invoice_number: &str,
        invoice: InvoiceId,
        first_password: Option<(&SecretToken, Duration)>,
    ) -> OutgoingEmail {
        let (action, note) = match first_password {
            Some((token, valid_for)) => (
                Action { label: "Set your password", url: self.set_password_url(token) },
                format!("You have not chosen a password yet. This link lets you choose one; it works once, for {}.", describe(valid_for)),
            ),
            None => (
                Action { label: "View the invoice", url: format!("{}/account/invoices/{invoice}", self.public_url) },
                "If you did not make this purchase, reply to this email and we will look into it.".to_owned(),
            ),
        };
        self.compose(
            to,
            &format!("An invoice was added to your account: {invoice_number}"),
            name,
            &[&format!(
                "A purchase made with your email address was completed, and invoice {invoice_number} was added to your customer portal account."
            )],
            None,
            Some(action),
            &note,
        )
    }

    pub fn sign_in_link(&self, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        self.compose(
            to,
            &format!("Your sign-in link for {}", self.sender_name()),
            name,
            &["Someone (hopefully you) asked for a link to sign in to your customer portal."],
            None,
            Some(Action { label: "Sign in", url: self.sign_in_link_url(token) }),
            &format!("This link works once, for {}. If you did not ask for it, you can ignore this email.", describe(valid_for)),
        )
    }

    pub fn password_reset(&self, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        self.compose(
            to,
            &format!("Reset your {} password", self.sender_name()),
            name,
            &["Someone (hopefully you) asked to reset the password of your customer portal account."],
            None,
            Some(Action { label: "Choose a new password", url: self.reset_password_url(token) }),
            &format!(
                "This link works once, for {}. If you did not ask for it, ignore this email: your password stays as it is.",
                describe(valid_for)
            ),
        )
    }

    /// A message signed by the shop's seller as it is now.
    #[allow(clippy::too_many_arguments)]
    fn compose(
        &self,
        to: &Email,
        subject: &str,
        name: &str,
        paragraphs: &[&str],
        table: Option<Table>,
        action: Option<Action<'_>>,
        note: &str,
    ) -> OutgoingEmail {
        let shop = self.shop.get();
        self.compose_as(&shop.seller.letterhead, to, subject, name, paragraphs, table, action, note)
    }

    /// A message signed by `letterhead`.
    #[allow(clippy::too_many_arguments)]
    fn compose_as(
        &self,
        letterhead: &Letterhead,
        to: &Email,
        subject: &str,
        name: &str,
        paragraphs: &[&str],
        table: Option<Table>,
        action: Option<Action<'_>>,
        note: &str,
    ) -> OutgoingEmail {
        let accent = letterhead.accent.hex();
        let greeting = format!("Hello {},", name.trim());
        let mut text = format!("{greeting}\n\n");
        let mut html = format!(
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#1f2937\">{}<p>{}</p>",
            self.masthead(letterhead),
            escape(&greeting)
        );
        for paragraph in paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(paragraph)));
        }
        if let Some(table) = table {
            text.push_str(&table.text);
            text.push('\n');
            html.push_str(&table.html);
        }
        if let Some(action) = action {
            text.push_str(&format!("{}:\n{}\n\n", action.label, action.url));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;padding:10px 18px;background:{accent};color:#fff;border-radius:6px;text-decoration:none\">{label}</a></p>\
                 <p style=\"font-size:13px;color:#4b5563\">Or paste this address into your browser: {url}</p>",
                url = escape(&action.url),
                label = escape(action.label),
            ));
        }
        // Signed by the seller, with its address and tax id (a receipt must name them).
        let mut seller_footer = letterhead.address_lines.clone();
        if !letterhead.tax_id.is_empty() {
            seller_footer.push(format!("VAT {}", letterhead.tax_id));
        }
        text.push_str(&format!("{note}\n\n{}\n", letterhead.name));
        for line in &seller_footer {
            text.push_str(&format!("{line}\n"));
        }
        let footer: Vec<String> = seller_footer.iter().map(|line| escape(line)).collect();
        html.push_str(&format!(
            "<p style=\"font-size:13px;color:#4b5563\">{}</p><p>{}<br><span style=\"font-size:13px;color:#4b5563\">{}</span></p></body></html>",
            escape(note),
            escape(&letterhead.name),
            footer.join("<br>"),
        ));
        OutgoingEmail { to: to.as_str().to_owned(), subject: subject.to_owned(), text, html, attachment: None }
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
            None => format!("<strong style=\"font-size:18px\">{}</strong>", escape(&letterhead.name)),
        };
        format!(
            "<div data-masthead=\"\" style=\"padding-bottom:12px;margin-bottom:16px;border-bottom:3px solid {}\">{brand}</div>",
            letterhead.accent.hex()
        )
    }
}

/// The receipt's lines and totals, as aligned text and as an HTML table.
fn receipt_table(invoice: &Invoice, money: &dyn Fn(i64) -> String) -> Table {
    let mut rows: Vec<(String, String)> = invoice
        .lines
        .iter()
        .map(|line| {
            (
                format!("{} × {} at {} (VAT {})", line.quantity, line.description, money(line.unit_price_minor), line.tax_rate),
                money(line.net_minor),
            )
        })
        .collect();
    let lines = rows.len();
    rows.push(("Subtotal".into(), money(invoice.subtotal_minor)));
    rows.push(("VAT".into(), money(invoice.tax_minor)));
    rows.push(("Total paid".into(), money(invoice.total_minor)));

    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    let mut html = String::from("<table style=\"border-collapse:collapse;margin:8px 0 16px\">");
    for (index, (label, amount)) in rows.iter().enumerate() {
        let pad = width - label.chars().count();
        text.push_str(&format!("  {label}{}  {amount}\n", " ".repeat(pad)));
        let total = index == rows.len() - 1;
        let rule = if index == lines { "border-top:1px solid #d1d5db;" } else { "" };
        let weight = if total { "font-weight:bold;" } else { "" };
        html.push_str(&format!(
            "<tr><td style=\"{rule}{weight}padding:4px 16px 4px 0\">{}</td><td style=\"{rule}{weight}padding:4px 0;text-align:right\">{}</td></tr>",
            escape(label),
            escape(amount),
        ));
    }
    html.push_str("</table>");
    Table { text, html }
}

/// `24 hours`, `15 minutes`, `1 hour`, `7 days`.
fn describe(duration: Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let (count, unit) = if minutes >= 2 * 24 * 60 && minutes % (24 * 60) == 0 {
        (minutes / (24 * 60), "day")
    } else if minutes >= 60 && minutes % 60 == 0 {
        (minutes / 60, "hour")
    } else {
        (minutes.max(1), "minute")
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
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
        let email = Templates::new("https://billing.example.com", shop).sign_in_link(&to, "Kim", &SecretToken::generate(), Duration::from_secs(900));
        let logo = format!("<img src=\"https://billing.example.com/shop/logo/{}.svg\" alt=\"Kanal &lt;Werkhaus&gt;\"", "ab".repeat(32));
        assert!(email.html.contains(&logo), "{}", email.html);
        assert!(email.html.contains("border-bottom:3px solid #0b5d3b"), "{}", email.html);
        assert!(email.html.contains("background:#0b5d3b"), "the button is in the accent: {}", email.html);
        assert!(email.subject.ends_with("Kanal <Werkhaus>"), "{}", email.subject);
        assert!(email.text.contains("\nKanal <Werkhaus>\n"), "signed with the seller's name: {}", email.text);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe(Duration::from_secs(24 * 3600)), "24 hours");
        assert_eq!(describe(Duration::from_secs(3600)), "1 hour");
        assert_eq!(describe(Duration::from_secs(15 * 60)), "15 minutes");
        assert_eq!(describe(Duration::from_secs(7 * 24 * 3600)), "7 days");
        assert_eq!(describe(Duration::from_secs(5)), "1 minute");
    }

    #[test]
    fn the_welcome_email_links_to_the_public_url_in_both_bodies() {
        let token = SecretToken::generate();
        let to: Email = "jane@example.com".parse().unwrap();
        let email = templates().welcome(&to, "Jane", "INV-000001", &token, Duration::from_secs(86_400));
        let link = format!("https://billing.example.com/account/set-password?token={}", token.reveal());
        assert!(email.text.contains(&link), "{}", email.text);
        assert!(email.html.contains(&link));
        assert!(email.text.contains("24 hours"));
        assert_eq!(email.to, "jane@example.com");
    }

    #[test]
    fn names_are_escaped_in_html() {
        let to: Email = "x@example.com".parse().unwrap();
        let email = templates().sign_in_link(&to, "<script>alert(1)</script>", &SecretToken::generate(), Duration::from_secs(900));
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("&lt;script&gt;"));
        assert!(email.text.contains("<script>"), "plain text stays as typed");
    }
}
