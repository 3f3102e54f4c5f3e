//! Payments through a hosted payment page: the shopper pays on the
//! provider's page (Stripe Checkout, or the built-in test provider's), which
//! sends them back to `/checkout/return`. Card data never reaches this
//! server under Stripe.
//!
//! A `PaymentProvider` only talks to the provider: it creates a checkout
//! session, reads one back, expires one and refunds a payment. What those
//! answers mean for a basket (fulfil exactly once, release, refund a second
//! payment) is decided in `services::fulfilment`, the same way for every
//! provider.

pub mod stripe;
pub mod test_cards;
pub mod test_provider;

use std::future::Future;
use std::pin::Pin;

use crate::domain::{Currency, Timestamp};

pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// Which provider takes the money (`PAYMENT_PROVIDER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Stripe,
    /// The built-in test provider: test cards only, for tests and demos.
    Test,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
            Self::Test => "test",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        [Self::Stripe, Self::Test].into_iter().find(|kind| kind.as_str() == raw)
    }

    /// The provider `settings` configure.
    pub fn of(settings: &crate::server::config::PaymentSettings) -> Self {
        match settings {
            crate::server::config::PaymentSettings::Test => Self::Test,
            crate::server::config::PaymentSettings::Stripe { .. } => Self::Stripe,
        }
    }
}

pub trait PaymentProvider: Send + Sync + 'static {
    fn kind(&self) -> ProviderKind;

    /// Creates a hosted checkout session. The same `idempotency_key` always
    /// yields the same session, so a retried create never makes a second one.
    fn create_session<'a>(&'a self, request: &'a SessionRequest) -> ProviderFuture<'a, HostedSession>;

    /// The session as the provider knows it now.
    fn retrieve_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState>;

    /// Expires an open session so it can no longer be paid, and returns its
    /// state afterwards: `Expired`, or `Complete` when it was paid first (the
    /// caller then fulfils it instead).
    fn expire_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState>;

    /// Refunds a payment in full, once per `idempotency_key`.
    fn refund<'a>(&'a self, payment: &'a str, idempotency_key: &'a str) -> ProviderFuture<'a, Refund>;
}

/// What a checkout session asks the shopper to pay. The lines sum exactly
/// to `total_minor`, the invoice's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRequest {
    /// The payment attempt's key: the session's `Idempotency-Key` and its
    /// `client_reference_id`.
    pub idempotency_key: String,
    pub currency: Currency,
    pub lines: Vec<SessionLine>,
    pub total_minor: i64,
    pub customer_email: String,
    /// Where the provider sends the shopper after paying; the provider puts
    /// the session id in place of `{CHECKOUT_SESSION_ID}`.
    pub success_url: String,
    /// Where the shopper goes back to when they leave the payment page.
    pub cancel_url: String,
    pub expires_at: Timestamp,
}

/// One line on the hosted page, in our minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub name: String,
    pub quantity: u32,
    pub unit_amount_minor: i64,
}

/// A session created for the shopper to pay on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedSession {
    pub id: String,
    /// The hosted payment page. A secret of sorts: never logged.
    pub url: String,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Open,
    Complete,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    Paid,
    /// Not paid yet: still open, or complete with a delayed payment method
    /// whose result is not in yet.
    Unpaid,
    NoPaymentRequired,
}

/// A session as the provider reports it. Amounts are converted back to our
/// minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    pub id: String,
    pub status: SessionStatus,
    pub payment: PaymentState,
    /// `None` when the provider's amount cannot be expressed in our minor units.
    pub amount_total_minor: Option<i64>,
    /// Upper-case ISO 4217 code, as the provider reports it.
    pub currency: String,
    /// The payment to refund (Stripe's PaymentIntent id), once there is one.
    pub payment_reference: Option<String>,
    /// The attempt key the session was created with (`client_reference_id`).
    pub client_reference: Option<String>,
    /// Brand and last four digits of the card, when the provider says.
    pub card: Option<CardSummary>,
    /// A delayed payment (complete but unpaid) that failed: the session
    /// will never be paid. Stripe says so through the PaymentIntent's status.
    pub payment_failed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSummary {
    pub brand: String,
    pub last4: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: String,
}

/// `ProviderError::Refused`'s code for a refund the provider made but that
/// moves no money (Stripe's `failed` or `canceled` refund).
pub const REFUND_FAILED: &str = "refund_failed";
/// Stripe's code for a payment refunded already (by an earlier request
/// whose answer was lost past the idempotency window, or by hand).
pub const ALREADY_REFUNDED: &str = "charge_already_refunded";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// No answer, a timeout or a 5xx/429: worth trying again later.
    #[error("the payment provider could not be reached: {0}")]
    Unreachable(String),
    /// The provider has no such object.
    #[error("the payment provider has no such session or payment")]
    NotFound,
    /// The provider refused the request (4xx). `code` is the provider's
    /// error code, never shown to shoppers.
    #[error("the payment provider refused the request ({status}{})", code.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
    Refused { status: u16, code: Option<String> },
    /// An answer we could not read.
    #[error("the payment provider's answer could not be read: {0}")]
    Malformed(String),
}

pub use crate::api::checkout::is_session_id;

/// Why the configured provider cannot charge every basket total in
/// `currency`, if it cannot. Stripe takes some currencies only in steps
/// larger than their minor unit (tens of fils for KWD, whole ariary for
/// MGA), while tax is rounded to the minor unit, so most totals could never
/// be charged: such a shop is refused before it opens, not at each payment.
pub fn currency_problem(provider: ProviderKind, currency: crate::domain::Currency) -> Option<String> {
    match provider {
        ProviderKind::Test => None,
        ProviderKind::Stripe => match stripe::amounts::stripe_step_minor(currency.code(), currency.digits()) {
            Ok(1) => None,
            Ok(step) => Some(format!(
                "Stripe charges {} only in steps of {step} minor units, and totals with tax would not be; choose another currency",
                currency.code()
            )),
            Err(error) => Some(format!("Stripe cannot charge {}: {error}", currency.code())),
        },
    }
}
