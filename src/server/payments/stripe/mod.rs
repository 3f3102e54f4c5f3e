//! Stripe Checkout: a thin client of Stripe's REST API.
//!
//! * [`StripeProvider`] implements [`PaymentProvider`] with four calls:
//!   create a hosted Checkout Session, read one back (with its PaymentIntent
//!   and latest Charge expanded, for the card's brand and last four digits),
//!   expire one, and refund a PaymentIntent in full.
//! * [`webhook`] verifies `Stripe-Signature` and reads the event.
//! * [`amounts`] converts our minor units to Stripe's amounts and back.
//!
//! Every request carries the pinned [`STRIPE_API_VERSION`], so what Stripe
//! answers does not change when the account's default version is upgraded
//! in the Dashboard; every POST carries an `Idempotency-Key`. Nothing here
//! retries: a failure is returned as a [`ProviderError`] and the app decides.
//!
//! Logging: ids (`cs_…`, `pi_…`, `re_…`), HTTP statuses, Stripe's error
//! codes and request ids only; never the secret key, the hosted page's URL,
//! card details, request or response bodies, or a URL of any kind.

pub mod amounts;
mod form;
pub mod webhook;
mod wire;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use url::Url;

use self::form::Form;
use self::wire::{decode, is_object_id, CheckoutSession, ErrorEnvelope};
use super::{
    HostedSession, PaymentProvider, ProviderError, ProviderFuture, ProviderKind, Refund, SessionRequest, SessionState,
    SessionStatus, REFUND_FAILED,
};
use crate::domain::Timestamp;

pub use self::webhook::{
    parse_event, parse_webhook_secrets, verify_signature, EventError, EventKind, SignatureError, WebhookError,
    WebhookEvent, WebhookSecret, WebhookSecretError, WebhookSecrets,
};

/// The API version every request is made with. Pinned so that responses
/// and webhook payloads keep the shapes this module reads whatever the
/// account's default version; the webhook endpoint should be created with
/// the same version. `2026-08-26.dahlia` is the last release of the Dahlia
/// major, the newest whose object shapes could be checked field by field
/// against Stripe's generated SDK types (stripe-node/stripe-go pin
/// `2026-07-29.dahlia`; monthly releases within a major are additive only).
/// Moving to Endive (`2026-09-30.endive`, a major with breaking changes) is
/// a deliberate change: read its changelog for Checkout Sessions,
/// PaymentIntents, Charges, Refunds and Events first.
pub const STRIPE_API_VERSION: &str = "2026-08-26.dahlia";

/// Stripe's API.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";

/// Time to establish the connection (TCP and TLS).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Time for the whole exchange, under the app's own 30 s request timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Largest response body read; Stripe's objects are a few kilobytes.
const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// `ProviderError::Refused { status }` for a request refused here, before
/// anything was sent (an amount Stripe cannot take, lines that do not add
/// up, an unusable idempotency key).
pub const LOCAL_REFUSAL_STATUS: u16 = 0;

/// The Checkout Session id in `id`, if it looks like one (`cs_` and letters,
/// digits and underscores, at most 255 bytes); nothing else goes into a URL.
pub fn parse_session_id(id: &str) -> Option<&str> {
    crate::api::checkout::is_session_id(id).then_some(id)
}

/// The API secret key (`sk_live_…`, `sk_test_…`, or restricted `rk_…`).
/// Its `Debug` shows only whether it is a live or a test key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(key: &str) -> Result<Self, SettingsError> {
        let key = key.trim();
        if key.starts_with("pk_") {
            return Err(SettingsError::PublishableKey);
        }
        let rest = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"].iter().find_map(|p| key.strip_prefix(p));
        match rest {
            Some(rest)
                if !rest.is_empty()
                    && key.len() <= 255
                    && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                Ok(Self(key.to_owned()))
            }
            _ => Err(SettingsError::InvalidSecretKey),
        }
    }

    pub fn is_live(&self) -> bool {
        self.0.contains("_live_")
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.0.starts_with("rk_") { "restricted" } else { "secret" };
        let mode = if self.is_live() { "live" } else { "test" };
        write!(f, "SecretKey({kind} {mode} key, <redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the Stripe secret key must start with sk_live_, sk_test_, rk_live_ or rk_test_")]
    InvalidSecretKey,
    #[error("that is a publishable key (pk_); the server needs the secret key (sk_…) or a restricted key (rk_…)")]
    PublishableKey,
    #[error("the Stripe API base URL {0}")]
    InvalidApiBase(&'static str),
    #[error("at least one Stripe webhook signing secret is needed")]
    NoWebhookSecrets,
    #[error(transparent)]
    WebhookSecret(#[from] WebhookSecretError),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// How to reach Stripe and check its webhooks. `Debug` redacts every secret.
#[derive(Clone)]
pub struct StripeSettings {
    secret_key: SecretKey,
    api_base: Url,
    webhook_secrets: Vec<WebhookSecret>,
}

impl StripeSettings {
    /// `api_base` defaults to [`DEFAULT_API_BASE`]; it may be plain `http`
    /// (a local fake) only with a test key, and may carry a path prefix.
    /// `webhook_secrets` comes from [`parse_webhook_secrets`].
    pub fn new(
        secret_key: &str,
        api_base: Option<&str>,
        webhook_secrets: Vec<WebhookSecret>,
    ) -> Result<Self, SettingsError> {
        let secret_key = SecretKey::new(secret_key)?;
        let api_base = parse_api_base(api_base.unwrap_or(DEFAULT_API_BASE), secret_key.is_live())?;
        if webhook_secrets.is_empty() {
            return Err(SettingsError::NoWebhookSecrets);
        }
        Ok(Self { secret_key, api_base, webhook_secrets })
    }

    pub fn api_base(&self) -> &Url {
        &self.api_base
    }

    pub fn webhook_secrets(&self) -> &[WebhookSecret] {
        &self.webhook_secrets
    }

    pub fn is_live(&self) -> bool {
        self.secret_key.is_live()
    }

    /// The secrets, for the webhook endpoint's [`WebhookSecrets::verify`].
    pub fn webhooks(&self) -> WebhookSecrets {
        WebhookSecrets::from_secrets(self.webhook_secrets.clone())
    }
}

impl fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeSettings")
            .field("secret_key", &self.secret_key)
            .field("api_base", &self.api_base.as_str())
            .field("webhook_secrets", &format_args!("[{} redacted]", self.webhook_secrets.len()))
            .finish()
    }
}

fn parse_api_base(base: &str, live: bool) -> Result<Url, SettingsError> {
    let mut url = Url::parse(base.trim()).map_err(|_| SettingsError::InvalidApiBase("is not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if !live => {}
        "http" => return Err(SettingsError::InvalidApiBase("must use https with a live key")),
        _ => return Err(SettingsError::InvalidApiBase("must be http(s)")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SettingsError::InvalidApiBase("has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SettingsError::InvalidApiBase("must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(SettingsError::InvalidApiBase("must not have a query or fragment"));
    }
    // Joining relative paths keeps a prefix only below a trailing slash.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The Stripe [`PaymentProvider`].
#[derive(Debug, Clone)]
pub struct StripeProvider {
    http: reqwest::Client,
    secret_key: SecretKey,
    api_base: Url,
}

impl StripeProvider {
    /// From the configured key and API base (see [`StripeSettings::new`]
    /// for what is accepted), with the default timeouts.
    pub fn new(secret_key: &str, api_base: &str) -> Result<Self, String> {
        let secret_key = SecretKey::new(secret_key).map_err(|e| e.to_string())?;
        let api_base = parse_api_base(api_base, secret_key.is_live()).map_err(|e| e.to_string())?;
        Self::build(secret_key, api_base, CONNECT_TIMEOUT, REQUEST_TIMEOUT).map_err(|e| e.to_string())
    }

    pub fn from_settings(settings: &StripeSettings) -> Result<Self, SettingsError> {
        Self::with_timeouts(settings, CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// [`StripeProvider::from_settings`] with other timeouts (tests).
    pub fn with_timeouts(settings: &StripeSettings, connect: Duration, total: Duration) -> Result<Self, SettingsError> {
        Self::build(settings.secret_key.clone(), settings.api_base.clone(), connect, total)
    }

    fn build(secret_key: SecretKey, api_base: Url, connect: Duration, total: Duration) -> Result<Self, SettingsError> {
        let http = reqwest::Client::builder()
            .connect_timeout(connect)
            .timeout(total)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("checkout-portal/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SettingsError::Client(e.without_url().to_string()))?;
        Ok(Self { http, secret_key, api_base })
    }

    pub fn is_live(&self) -> bool {
        self.secret_key.is_live()
    }

    async fn create(&self, request: &SessionRequest) -> Result<HostedSession, ProviderError> {
        check_key(&request.idempotency_key, 200)?;
        let form = session_form(request)?;
        let answer = self.call(Method::POST, "v1/checkout/sessions", None, Some(&form), Some(request.idempotency_key.as_str()), "create_session").await?;
        let session: CheckoutSession = decode(&answer.body, "the created session")?;
        let id = session.checked_id()?.to_owned();
        let url = session
            .url
            .as_deref()
            .filter(|u| self.is_page_url(u))
            .ok_or_else(|| ProviderError::Malformed("the created session has no usable url".into()))?
            .to_owned();
        let expires_at = session
            .expires_at
            .and_then(|secs| secs.checked_mul(1000))
            .map(Timestamp::from_millis)
            .unwrap_or(request.expires_at);
        tracing::info!(session = %id, request_id = answer.request_id.as_deref(), "stripe: checkout session created");
        Ok(HostedSession { id, url, expires_at })
    }

    async fn retrieve(&self, id: &str) -> Result<SessionState, ProviderError> {
        let id = parse_session_id(id).ok_or(ProviderError::NotFound)?;
        let path = format!("v1/checkout/sessions/{id}");
        let answer = self.call(Method::GET, &path, Some("expand[]=payment_intent.latest_charge"), None, None, "retrieve_session").await?;
        let session: CheckoutSession = decode(&answer.body, "the session")?;
        let state = session.to_state()?;
        if state.id != id {
            return Err(ProviderError::Malformed("Stripe answered with another session".into()));
        }
        let payment_failed = session.payment_failed();
        tracing::debug!(session = %id, status = ?state.status, payment = ?state.payment, payment_failed, "stripe: checkout session read");
        Ok(state)
    }

    async fn expire(&self, id: &str) -> Result<SessionState, ProviderError> {
        let id = parse_session_id(id).ok_or(ProviderError::NotFound)?;
        let path = format!("v1/checkout/sessions/{id}/expire");
        // Expiring is idempotent in itself (a second call is refused because
        // the session is no longer open, handled below), so each call gets a
        // fresh key rather than one that would replay a cached failure.
        let key = format!("expire-{}", uuid::Uuid::new_v4());
        match self.call(Method::POST, &path, None, Some(&Form::new()), Some(&key), "expire_session").await {
            Ok(answer) => {
                let state = decode::<CheckoutSession>(&answer.body, "the expired session")?.to_state()?;
                if state.id != id {
                    return Err(ProviderError::Malformed("Stripe answered with another session".into()));
                }
                tracing::info!(session = %id, status = ?state.status, "stripe: checkout session expired");
                Ok(state)
            }
            Err(refused @ ProviderError::Refused { status: 400, .. }) => {
                // Most likely no longer open: paid (or expired) first. Its
                // state says which; if it is somehow still open, the refusal
                // stands.
                let state = self.retrieve(id).await?;
                if state.status == SessionStatus::Open {
                    return Err(refused);
                }
                tracing::info!(session = %id, status = ?state.status, payment = ?state.payment, "stripe: session was no longer open to expire");
                Ok(state)
            }
            Err(other) => Err(other),
        }
    }

    async fn refund_payment(&self, payment: &str, idempotency_key: &str) -> Result<Refund, ProviderError> {
        if !is_object_id(payment, "pi_") {
            return Err(ProviderError::NotFound);
        }
        check_key(idempotency_key, 255)?;
        let mut form = Form::new();
        form.push("payment_intent", payment);
        let answer = self.call(Method::POST, "v1/refunds", None, Some(&form), Some(idempotency_key), "refund").await?;
        let refund: wire::Refund = decode(&answer.body, "the refund")?;
        if !is_object_id(&refund.id, "") {
            return Err(ProviderError::Malformed("the refund has no valid id".into()));
        }
        match refund.status.as_deref() {
            // No money goes back: not a refund to record.
            Some("failed" | "canceled") => {
                tracing::warn!(payment, refund = %refund.id, status = refund.status.as_deref(), "stripe: refund created but not going through");
                Err(ProviderError::Refused { status: 402, code: Some(REFUND_FAILED.into()) })
            }
            _ => {
                tracing::info!(payment, refund = %refund.id, status = refund.status.as_deref(), "stripe: refund created");
                Ok(Refund { id: refund.id })
            }
        }
    }

    /// The hosted page is Stripe's (https), or the fake's when testing.
    fn is_page_url(&self, url: &str) -> bool {
        match Url::parse(url) {
            Ok(url) => url.scheme() == "https" || (url.scheme() == "http" && self.api_base.scheme() == "http"),
            Err(_) => false,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        query: Option<&str>,
        form: Option<&Form>,
        idempotency_key: Option<&str>,
        op: &'static str,
    ) -> Result<Answer, ProviderError> {
        let mut url = self.api_base.join(path).map_err(|_| ProviderError::Malformed("bad request path".into()))?;
        url.set_query(query);
        let mut request = self
            .http
            .request(method, url)
            .bearer_auth(self.secret_key.expose())
            .header("Stripe-Version", STRIPE_API_VERSION)
            .header(ACCEPT, "application/json");
        if let Some(form) = form {
            request = request.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(form.encode());
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let mut response = request.send().await.map_err(|e| transport_error(op, &e))?;
        let status = response.status();
        let request_id = header_str(response.headers(), "request-id");
        let should_retry = header_str(response.headers(), "stripe-should-retry").map(|v| v.eq_ignore_ascii_case("true"));
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(op, &e))? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                tracing::warn!(op, status = status.as_u16(), "stripe: answer too large");
                return Err(ProviderError::Malformed("the answer is too large".into()));
            }
            body.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok(Answer { body, request_id });
        }
        let error = status_error(status, should_retry, &body);
        let code = match &error {
            ProviderError::Refused { code, .. } => code.clone(),
            _ => None,
        };
        tracing::warn!(op, status = status.as_u16(), code = code.as_deref(), request_id = request_id.as_deref(), "stripe: request failed");
        Err(error)
    }
}

struct Answer {
    body: Vec<u8>,
    request_id: Option<String>,
}

impl PaymentProvider for StripeProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Stripe
    }

    fn create_session<'a>(&'a self, request: &'a SessionRequest) -> ProviderFuture<'a, HostedSession> {
        Box::pin(self.create(request))
    }

    fn retrieve_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState> {
        Box::pin(self.retrieve(id))
    }

    fn expire_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState> {
        Box::pin(self.expire(id))
    }

    fn refund<'a>(&'a self, payment: &'a str, idempotency_key: &'a str) -> ProviderFuture<'a, Refund> {
        Box::pin(self.refund_payment(payment, idempotency_key))
    }
}

fn local_refusal(code: &str) -> ProviderError {
    ProviderError::Refused { status: LOCAL_REFUSAL_STATUS, code: Some(code.to_owned()) }
}

/// Idempotency keys go into a header (and, for sessions, into
/// `client_reference_id`, at most 200 characters): visible ASCII only.
fn check_key(key: &str, max_len: usize) -> Result<(), ProviderError> {
    if key.is_empty() || key.len() > max_len || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(local_refusal("invalid_idempotency_key"));
    }
    Ok(())
}

/// The create-session form, after checking the lines add up to the total
/// and every amount can be charged.
fn session_form(request: &SessionRequest) -> Result<Form, ProviderError> {
    let currency = request.currency;
    let mut sum: i64 = 0;
    for line in &request.lines {
        if line.quantity == 0 || line.name.trim().is_empty() {
            return Err(local_refusal("invalid_line"));
        }
        let line_total = line
            .unit_amount_minor
            .checked_mul(i64::from(line.quantity))
            .ok_or_else(|| local_refusal("amount_overflow"))?;
        sum = sum.checked_add(line_total).ok_or_else(|| local_refusal("amount_overflow"))?;
    }
    if request.lines.is_empty() || sum != request.total_minor {
        return Err(local_refusal("lines_do_not_match_total"));
    }
    let refuse = |e: amounts::AmountError| {
        local_refusal(match e {
            amounts::AmountError::Negative => "negative_amount",
            amounts::AmountError::TooLarge => "amount_too_large",
            _ => "amount_not_representable",
        })
    };
    // The total is what is charged: it must be an amount Stripe takes too.
    amounts::to_stripe(currency, request.total_minor).map_err(refuse)?;
    let currency_code = currency.code().to_ascii_lowercase();

    let mut form = Form::new();
    form.push("mode", "payment");
    for (i, line) in request.lines.iter().enumerate() {
        let index = i.to_string();
        let unit_amount = amounts::to_stripe(currency, line.unit_amount_minor).map_err(refuse)?;
        form.push_path(&["line_items", &index, "price_data", "currency"], currency_code.as_str())
            .push_path(&["line_items", &index, "price_data", "unit_amount"], unit_amount.to_string())
            .push_path(&["line_items", &index, "price_data", "product_data", "name"], line.name.trim())
            .push_path(&["line_items", &index, "quantity"], line.quantity.to_string());
    }
    // Seconds, rounded down: the page never outlives the app's own deadline.
    let expires_at = request.expires_at.millis().div_euclid(1000);
    form.push("success_url", request.success_url.as_str())
        .push("cancel_url", request.cancel_url.as_str())
        .push("expires_at", expires_at.to_string())
        .push("client_reference_id", request.idempotency_key.as_str())
        .push("customer_email", request.customer_email.as_str())
        .push_path(&["metadata", "attempt"], request.idempotency_key.as_str())
        .push_path(&["payment_intent_data", "metadata", "attempt"], request.idempotency_key.as_str());
    Ok(form)
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 100 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .map(str::to_owned)
}

/// A failure to exchange anything: no connection, a timeout, a dropped
/// connection. The URL is left out of the message.
fn transport_error(op: &'static str, error: &reqwest::Error) -> ProviderError {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    tracing::warn!(op, error = what, detail = detail.as_str(), "stripe: no answer");
    ProviderError::Unreachable(if detail.is_empty() { what.to_owned() } else { format!("{what}: {detail}") })
}

/// Maps a non-2xx answer: 404 or `resource_missing` is `NotFound`; 5xx, 429
/// or any answer Stripe marks `Stripe-Should-Retry: true` (a 409 while the
/// same idempotency key is in flight) is `Unreachable`; other 4xx are
/// `Refused` with Stripe's `error.code`, else its `error.type`.
fn status_error(status: StatusCode, should_retry: Option<bool>, body: &[u8]) -> ProviderError {
    let code = serde_json::from_slice::<ErrorEnvelope>(body).ok().and_then(|e| e.error.code_or_type());
    if status == StatusCode::NOT_FOUND || code.as_deref() == Some("resource_missing") {
        return ProviderError::NotFound;
    }
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS || should_retry == Some(true) {
        return ProviderError::Unreachable(format!("Stripe answered {}", status.as_u16()));
    }
    if status.is_client_error() {
        return ProviderError::Refused { status: status.as_u16(), code };
    }
    ProviderError::Malformed(format!("unexpected HTTP status {}", status.as_u16()))
}
