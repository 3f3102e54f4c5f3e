//! The customer portal as the pages see it: view types, the typed error and
//! the `#[server]` functions. They delegate to `server::accounts` (sign-in,
//! links, sessions) and `server::my_invoices`, which the REST API uses too.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::api::{HttpStatus, TransportFailure};

pub use crate::api::checkout::{FieldError, FieldName, FieldProblem};

/// The longest a rate limit makes anyone wait, in minutes (the limits'
/// window, `server::rate_limit`): a rate-limited error never asks for more.
pub const RATE_LIMIT_WINDOW_MINUTES: u64 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortalError {
    #[error("Please correct the highlighted fields.")]
    Invalid(Vec<FieldError>),
    #[error("That email and password don't match an account. Check them, or sign in with an emailed link.")]
    WrongCredentials,
    #[error("Too many attempts. Please wait {} and try again.", wait_in_words(*.retry_after_minutes))]
    RateLimited { retry_after_minutes: u64 },
    #[error("This link has expired or has already been used.")]
    LinkInvalid,
    /// A language to keep that is not one of those offered.
    #[error("Choose one of the languages offered.")]
    UnsupportedLanguage,
    #[error("Please sign in to continue.")]
    SignedOut,
    #[error("We couldn't find that invoice in your account.")]
    NotFound,
    /// Every password hashing place is taken (a flood): try again in a moment.
    #[error("We're very busy right now. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again shortly.")]
    Unavailable,
    /// The call failed before the server answered; what went wrong stays
    /// here, for debugging, and never travels (nor shows).
    #[error("The request could not be completed. Check your connection and try again.")]
    Transport(#[serde(skip)] String),
}

/// "3 minutes", within the rate limits' window whatever `minutes` says
/// (an error read from a URL may say anything).
fn wait_in_words(minutes: u64) -> String {
    match wait_minutes(minutes) {
        1 => "1 minute".to_owned(),
        minutes => format!("{minutes} minutes"),
    }
}

/// How many minutes a rate-limited error asks to wait: at least one, and
/// never longer than the rate limits' window.
pub fn wait_minutes(minutes: u64) -> u64 {
    minutes.clamp(1, RATE_LIMIT_WINDOW_MINUTES)
}

impl HttpStatus for PortalError {
    fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) | Self::LinkInvalid | Self::UnsupportedLanguage => 400,
            Self::WrongCredentials | Self::SignedOut => 401,
            Self::NotFound => 404,
            Self::RateLimited { .. } => 429,
            Self::Busy | Self::Unavailable => 503,
            Self::Transport(_) => 500,
        }
    }

    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            Self::RateLimited { retry_after_minutes } => Some(retry_after_minutes.saturating_mul(60)),
            _ => None,
        }
    }
}

/// How long a client refused with `PortalError::Busy` is asked to wait.
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

impl TransportFailure for PortalError {
    fn is_transport(&self) -> bool {
        matches!(self, Self::Transport(_))
    }
}

impl PortalError {

    /// The message for one field, if it has one.
    pub fn field(&self, name: FieldName) -> Option<&'static str> {
        match self {
            Self::Invalid(errors) => FieldError::message_for(errors, name),
            _ => None,
        }
    }

    /// The message to show above a form: none for field errors, which show
    /// next to their fields.
    pub fn form_message(&self) -> Option<String> {
        (!matches!(self, Self::Invalid(_))).then(|| self.to_string())
    }

    pub fn field_error(field: FieldName, problem: FieldProblem) -> Self {
        Self::Invalid(vec![FieldError::new(field, problem)])
    }
}

impl FromServerFnError for PortalError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

/// What an emailed link lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkPurpose {
    /// Choose the first password of a new account.
    SetPassword,
    ResetPassword,
    SignIn,
}

/// What the checkout-complete page's "Set a password now" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InlinePasswordOutcome {
    /// The password is set and this browser is signed in.
    SignedIn,
    /// The email already had an account before this purchase: nobody is
    /// signed in; its owner signs in with the link emailed to them.
    CheckEmail,
}

/// The query flag checkout-complete comes back with after "Set a password
/// now" was posted: its value says which outcome to show.
pub const PASSWORD_SET: &str = "password";

impl InlinePasswordOutcome {
    pub fn query_value(self) -> &'static str {
        match self {
            Self::SignedIn => "signed-in",
            Self::CheckEmail => "check-email",
        }
    }

    pub fn from_query_value(value: &str) -> Option<Self> {
        [Self::SignedIn, Self::CheckEmail].into_iter().find(|outcome| outcome.query_value() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    /// The tag of the customer's saved language (`domain::locale`).
    pub language: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRowView {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub total: String,
    pub paid: bool,
    pub pdf_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceListView {
    pub account: AccountView,
    pub invoices: Vec<InvoiceRowView>,
    pub page: u32,
    pub total_pages: u32,
    pub total_items: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub description: String,
    pub quantity: u32,
    pub unit_price: String,
    pub tax_rate: String,
    pub net: String,
    pub tax: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDetailView {
    pub account: AccountView,
    pub id: i64,
    pub number: String,
    pub date: String,
    pub paid_on: Option<String>,
    pub bill_to: Vec<String>,
    pub lines: Vec<InvoiceLineView>,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub pdf_url: String,
}

/// Where to go after signing in: only a path on this site, never elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        // Visible ASCII only: browsers drop tabs and newlines from URLs, so
        // `/\t/evil.example` would otherwise become `//evil.example`.
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            path.to_owned()
        }
        _ => MY_INVOICES.to_owned(),
    }
}

pub const MY_INVOICES: &str = "/account/invoices";
pub const SIGN_IN: &str = "/account/sign-in";
/// Where saving the language leads: My invoices, saying it is saved.
pub const LANGUAGE_SAVED: &str = "/account/invoices?saved=language";

#[server(prefix = "/account/api", endpoint = "sign_in")]
pub async fn sign_in(email: Option<String>, password: Option<String>, next: Option<String>) -> Result<(), PortalError> {
    crate::server::http::server_fns::portal::sign_in(email.unwrap_or_default(), password.unwrap_or_default(), next).await
}

/// Emails a sign-in link (`kind=sign-in`) or a password-reset link (`kind=reset`).
#[server(prefix = "/account/api", endpoint = "email_link")]
pub async fn request_link(email: Option<String>, kind: Option<String>) -> Result<(), PortalError> {
    let purpose = match kind.as_deref() {
        Some("reset") => LinkPurpose::ResetPassword,
        _ => LinkPurpose::SignIn,
    };
    crate::server::http::server_fns::portal::request_link(email.unwrap_or_default(), purpose).await
}

/// Whether an emailed link can still be used (changes nothing).
#[server(prefix = "/account/api", endpoint = "link")]
pub async fn link_status(token: Option<String>) -> Result<LinkPurpose, PortalError> {
    crate::server::http::server_fns::portal::link_status(token.unwrap_or_default()).await
}

#[server(prefix = "/account/api", endpoint = "use_link")]
pub async fn use_sign_in_link(token: Option<String>) -> Result<(), PortalError> {
    crate::server::http::server_fns::portal::use_sign_in_link(token.unwrap_or_default()).await
}

/// Sets a password from an emailed set-password or reset link, and signs in.
#[server(prefix = "/account/api", endpoint = "password")]
pub async fn choose_password(token: Option<String>, password: Option<String>) -> Result<(), PortalError> {
    crate::server::http::server_fns::portal::choose_password(token.unwrap_or_default(), password.unwrap_or_default()).await
}

/// "Set a password now" on the checkout-complete page. Under `/checkout`
/// because the proof of purchase is the invoice cookie scoped there.
#[server(prefix = "/checkout/api", endpoint = "password")]
pub async fn set_password_now(invoice_id: Option<String>, password: Option<String>) -> Result<InlinePasswordOutcome, PortalError> {
    crate::server::http::server_fns::portal::set_password_now(invoice_id.unwrap_or_default(), password.unwrap_or_default()).await
}

#[server(prefix = "/account/api", endpoint = "sign_out")]
pub async fn sign_out(everywhere: Option<String>) -> Result<(), PortalError> {
    crate::server::http::server_fns::portal::sign_out(everywhere.is_some_and(|v| !v.is_empty())).await
}

/// Keeps the signed-in customer's language (`language`: a supported tag),
/// and this browser's, then goes back to My invoices.
#[server(prefix = "/account/api", endpoint = "language")]
pub async fn save_language(language: Option<String>) -> Result<(), PortalError> {
    crate::server::http::server_fns::portal::save_language(language.unwrap_or_default()).await
}

#[server(prefix = "/account/api", endpoint = "invoices")]
pub async fn my_invoices(page: Option<String>) -> Result<InvoiceListView, PortalError> {
    crate::server::http::server_fns::portal::my_invoices(page).await
}

#[server(prefix = "/account/api", endpoint = "invoice")]
pub async fn invoice_detail(id: Option<String>) -> Result<InvoiceDetailView, PortalError> {
    crate::server::http::server_fns::portal::invoice_detail(id.unwrap_or_default()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account/invoices/4")), "/account/invoices/4");
        for outside in [None, Some(""), Some("https://evil.example"), Some("//evil.example"), Some("/\\evil.example"), Some("javascript:alert(1)"), Some("/\t/evil.example"), Some("/a\nb")] {
            assert_eq!(safe_next(outside), MY_INVOICES, "{outside:?}");
        }
    }

    const ATTACK: &str = "Your card was flagged. Call +1 555 0100";

    fn decoded(json: &str) -> PortalError {
        PortalError::de(json.as_bytes().to_vec().into())
    }

    #[test]
    fn free_text_in_a_url_decodes_to_nothing_a_page_would_print() {
        for json in [
            format!(r#"{{"Invalid":[{{"field":"email","message":"{ATTACK}"}},{{"field":"password","message":"{ATTACK}"}}]}}"#),
            format!(r#"{{"Invalid":[{{"field":"password","problem":"{ATTACK}"}}]}}"#),
            format!(r#"{{"RateLimited":{{"retry_after_minutes":"{ATTACK}"}}}}"#),
            format!(r#"{{"Transport":"{ATTACK}"}}"#),
            format!(r#"{{"WrongCredentials":"{ATTACK}"}}"#),
        ] {
            let error = decoded(&json);
            assert!(error.is_transport(), "{json} decoded to {error:?}");
            assert_eq!(error.form_message().as_deref(), Some("The request could not be completed. Check your connection and try again."));
            assert!(!String::from_utf8_lossy(&error.ser()).contains("555 0100"), "{json}: Transport carries no text on");
        }
    }

    #[test]
    fn a_wait_is_never_longer_than_the_rate_limits_window() {
        let wait = |minutes| PortalError::RateLimited { retry_after_minutes: minutes }.to_string();
        assert_eq!(wait(5_550_100), "Too many attempts. Please wait 15 minutes and try again.");
        assert_eq!(wait(u64::MAX), wait(15));
        assert_eq!(wait(3), "Too many attempts. Please wait 3 minutes and try again.");
        assert_eq!(wait(1), "Too many attempts. Please wait 1 minute and try again.");
        assert_eq!(wait(0), wait(1));
        assert_eq!(decoded(r#"{"RateLimited":{"retry_after_minutes":5550100}}"#).to_string(), wait(15));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_longest_wait_is_the_rate_limits_window() {
        use crate::server::rate_limit::*;
        let longest = [
            SIGN_IN_PER_EMAIL_AND_CLIENT,
            SIGN_IN_PER_EMAIL,
            SIGN_IN_PER_CLIENT,
            SIGN_IN_PER_DEVICE,
            SIGN_IN_PER_EMAIL_FROM_DEVICES,
            LINKS_PER_EMAIL,
            LINKS_PER_CLIENT,
            LINKS_PER_DEVICE,
            LINKS_PER_EMAIL_FROM_DEVICES,
            INLINE_PASSWORD_PER_INVOICE,
            INLINE_PASSWORD_PER_CLIENT,
        ]
            .iter()
            .map(|limit| limit.window.as_secs().div_ceil(60))
            .max();
        assert_eq!(longest, Some(RATE_LIMIT_WINDOW_MINUTES));
    }

    #[test]
    fn each_variant_has_a_fixed_message() {
        let every = [
            PortalError::Invalid(vec![FieldError::new(FieldName::Password, FieldProblem::TooShort)]),
            PortalError::WrongCredentials,
            PortalError::RateLimited { retry_after_minutes: 15 },
            PortalError::LinkInvalid,
            PortalError::UnsupportedLanguage,
            PortalError::SignedOut,
            PortalError::NotFound,
            PortalError::Busy,
            PortalError::Unavailable,
            PortalError::Transport(String::new()),
        ];
        for error in every {
            assert!(error.to_string().ends_with('.'), "{error:?}");
            assert_eq!(decoded(std::str::from_utf8(&error.ser()).unwrap()), error, "round trip");
        }
        assert_eq!(PortalError::Transport(ATTACK.into()).to_string(), PortalError::Transport(String::new()).to_string());
        let short = PortalError::field_error(FieldName::Password, FieldProblem::TooShort);
        assert_eq!(short.field(FieldName::Password), Some("Choose a password of at least 8 characters."));
        assert_eq!(short.form_message(), None, "shown beside its field");
        assert_eq!(PortalError::field_error(FieldName::Password, FieldProblem::Missing).field(FieldName::Password), Some("Enter your password."));
    }

    #[test]
    fn statuses() {
        assert_eq!(PortalError::WrongCredentials.status(), 401);
        assert_eq!(PortalError::SignedOut.status(), 401);
        assert_eq!(PortalError::NotFound.status(), 404);
        assert_eq!(PortalError::RateLimited { retry_after_minutes: 3 }.status(), 429);
        assert_eq!(PortalError::Transport("lost".into()).status(), 500);
        assert_eq!(PortalError::UnsupportedLanguage.status(), 400);
    }
}
