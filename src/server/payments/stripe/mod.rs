//! Stripe Checkout: a thin client of Stripe's REST API (being written on a branch; this is its interface).

use super::{HostedSession, PaymentProvider, ProviderError, ProviderFuture, ProviderKind, Refund, SessionRequest, SessionState};

pub struct StripeProvider;

impl StripeProvider {
    pub fn new(_secret_key: &str, _api_base: &str) -> Result<Self, String> {
        Err("Stripe is not wired in yet".into())
    }
}

impl PaymentProvider for StripeProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Stripe
    }
    fn create_session<'a>(&'a self, _: &'a SessionRequest) -> ProviderFuture<'a, HostedSession> {
        Box::pin(async { Err(ProviderError::Unreachable("not wired".into())) })
    }
    fn retrieve_session<'a>(&'a self, _: &'a str) -> ProviderFuture<'a, SessionState> {
        Box::pin(async { Err(ProviderError::Unreachable("not wired".into())) })
    }
    fn expire_session<'a>(&'a self, _: &'a str) -> ProviderFuture<'a, SessionState> {
        Box::pin(async { Err(ProviderError::Unreachable("not wired".into())) })
    }
    fn refund<'a>(&'a self, _: &'a str, _: &'a str) -> ProviderFuture<'a, Refund> {
        Box::pin(async { Err(ProviderError::Unreachable("not wired".into())) })
    }
}

/// The webhook endpoint's signing secrets (several while one is rotated).
#[derive(Clone)]
pub struct WebhookSecrets(std::sync::Arc<Vec<String>>);

impl WebhookSecrets {
    pub fn new(secrets: Vec<String>) -> Self {
        Self(std::sync::Arc::new(secrets))
    }
}

/// A verified event (stub until the client lands).
pub struct WebhookEvent {
    pub kind: EventKind,
    pub session_id: Option<String>,
}

pub enum EventKind {
    CheckoutSessionCompleted,
    CheckoutSessionAsyncPaymentSucceeded,
    CheckoutSessionAsyncPaymentFailed,
    CheckoutSessionExpired,
    Other(String),
}

impl WebhookSecrets {
    /// Verifies `Stripe-Signature` over the raw body and reads the event.
    pub fn verify(&self, _header: &str, _body: &[u8], _now_unix: i64) -> Result<WebhookEvent, String> {
        Err("not wired".into())
    }
}
