//! The words of every email the app sends, as plain text and HTML.
//! Links are built from the configured public URL.

use std::time::Duration;

use crate::domain::{Email, InvoiceId, SecretToken};
use crate::server::store::outbox::OutgoingEmail;

#[derive(Debug, Clone)]
pub struct Templates {
    public_url: String,
    sender_name: String,
}

/// One call to action: a sentence and the button that follows it.
struct Action<'a> {
    label: &'a str,
    url: String,
}

impl Templates {
    pub fn new(public_url: &str, sender_name: &str) -> Self {
        Self { public_url: public_url.trim_end_matches('/').to_owned(), sender_name: sender_name.to_owned() }
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
            &format!("Welcome to {}: set your password", self.sender_name),
            name,
            &[
                &format!("Thank you for your purchase. Invoice {invoice_number} is paid, and we have set up a customer portal account for you."),
                "Choose a password to sign in, see your invoices and download them at any time.",
            ],
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
            Some(action),
            &note,
        )
    }

    pub fn sign_in_link(&self, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        self.compose(
            to,
            &format!("Your sign-in link for {}", self.sender_name),
            name,
            &["Someone (hopefully you) asked for a link to sign in to your customer portal."],
            Some(Action { label: "Sign in", url: self.sign_in_link_url(token) }),
            &format!("This link works once, for {}. If you did not ask for it, you can ignore this email.", describe(valid_for)),
        )
    }

    pub fn password_reset(&self, to: &Email, name: &str, token: &SecretToken, valid_for: Duration) -> OutgoingEmail {
        self.compose(
            to,
            &format!("Reset your {} password", self.sender_name),
            name,
            &["Someone (hopefully you) asked to reset the password of your customer portal account."],
            Some(Action { label: "Choose a new password", url: self.reset_password_url(token) }),
            &format!(
                "This link works once, for {}. If you did not ask for it, ignore this email: your password stays as it is.",
                describe(valid_for)
            ),
        )
    }

    fn compose(&self, to: &Email, subject: &str, name: &str, paragraphs: &[&str], action: Option<Action<'_>>, note: &str) -> OutgoingEmail {
        let greeting = format!("Hello {},", name.trim());
        let mut text = format!("{greeting}\n\n");
        let mut html = format!(
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#1f2937\"><p>{}</p>",
            escape(&greeting)
        );
        for paragraph in paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(paragraph)));
        }
        if let Some(action) = action {
            text.push_str(&format!("{}:\n{}\n\n", action.label, action.url));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;padding:10px 18px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none\">{label}</a></p>\
                 <p style=\"font-size:13px;color:#4b5563\">Or paste this address into your browser: {url}</p>",
                url = escape(&action.url),
                label = escape(action.label),
            ));
        }
        text.push_str(&format!("{note}\n\n{}\n", self.sender_name));
        html.push_str(&format!(
            "<p style=\"font-size:13px;color:#4b5563\">{}</p><p>{}</p></body></html>",
            escape(note),
            escape(&self.sender_name)
        ));
        OutgoingEmail { to: to.as_str().to_owned(), subject: subject.to_owned(), text, html }
    }
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
fn escape(raw: &str) -> String {
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
        Templates::new("https://billing.example.com/", "Dock 5")
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
