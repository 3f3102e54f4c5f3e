//! Stripe webhooks: the `Stripe-Signature` header and the event inside.
//!
//! Verification follows "Verify signatures manually"
//! (<https://docs.stripe.com/webhooks#verify-manually>): the header is a
//! comma-separated list of `key=value` elements, `t` the Unix time Stripe
//! signed at and each `v1` a hex HMAC-SHA256 keyed with the endpoint's signing
//! secret over `"{t}.{raw body}"`. Other schemes (`v0`, test-mode only) are
//! ignored. Signatures are compared in constant time (`Mac::verify_slice`),
//! against every configured secret, so a rolled secret keeps verifying until
//! it is removed from the configuration.
//!
//! The timestamp must be within [`TOLERANCE_SECS`] of now in *both*
//! directions: Stripe's libraries only reject old timestamps, but a
//! timestamp far in the future is as suspect (or as clock-skewed), and
//! accepting it would stretch the replay window.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::sync::Arc;

use super::parse_session_id;

type HmacSha256 = Hmac<Sha256>;

/// How far the signed timestamp may be from now, either way (Stripe's
/// libraries use five minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// Longest `Stripe-Signature` header considered: a timestamp and a few
/// signatures take about 250 bytes.
pub const MAX_HEADER_LEN: usize = 4096;

/// Most elements considered in one header.
const MAX_ELEMENTS: usize = 32;

/// One endpoint signing secret (`whsec_…`). Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// A secret as configured: trimmed, non-empty, no whitespace or commas
    /// inside, and not an API key pasted into the wrong variable.
    pub fn new(secret: &str) -> Result<Self, WebhookSecretError> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(WebhookSecretError::Empty);
        }
        if secret.chars().any(|c| c.is_whitespace() || c == ',' || c.is_control()) {
            return Err(WebhookSecretError::Malformed);
        }
        if ["sk_", "rk_", "pk_"].iter().any(|p| secret.starts_with(p)) {
            return Err(WebhookSecretError::ApiKey);
        }
        Ok(Self(secret.to_owned()))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookSecretError {
    #[error("a webhook signing secret is empty")]
    Empty,
    #[error("a webhook signing secret contains whitespace, a comma or a control character")]
    Malformed,
    #[error("a webhook signing secret looks like an API key (sk_/rk_/pk_); use the endpoint's whsec_ secret")]
    ApiKey,
}

/// A comma-separated list of signing secrets (several while one is rolled):
/// each one trimmed; an empty entry is an error, not skipped.
pub fn parse_webhook_secrets(list: &str) -> Result<Vec<WebhookSecret>, WebhookSecretError> {
    list.split(',').map(WebhookSecret::new).collect()
}

/// The endpoint's signing secrets, cheap to clone into the app state; its
/// `Debug` shows only how many there are.
#[derive(Clone)]
pub struct WebhookSecrets(Arc<[WebhookSecret]>);

impl WebhookSecrets {
    /// From configured strings (already split on commas): each is trimmed;
    /// one that is not a usable secret (empty, holding whitespace, an API
    /// key) is left out and counted in a warning, never shown.
    pub fn new(secrets: Vec<String>) -> Self {
        let total = secrets.len();
        let usable: Vec<WebhookSecret> = secrets.iter().filter_map(|s| WebhookSecret::new(s).ok()).collect();
        if usable.len() != total {
            tracing::warn!(ignored = total - usable.len(), "stripe: unusable webhook signing secrets ignored");
        }
        Self::from_secrets(usable)
    }

    pub fn from_secrets(secrets: Vec<WebhookSecret>) -> Self {
        Self(secrets.into())
    }

    /// A comma-separated list, strictly (see [`parse_webhook_secrets`]).
    pub fn parse(list: &str) -> Result<Self, WebhookSecretError> {
        parse_webhook_secrets(list).map(Self::from_secrets)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks the `Stripe-Signature` header over the raw body
    /// ([`verify_signature`]), then reads the event ([`parse_event`]).
    pub fn verify(&self, header: &str, raw_body: &[u8], now_unix: i64) -> Result<WebhookEvent, WebhookError> {
        verify_signature(header, raw_body, &self.0, now_unix)?;
        Ok(parse_event(raw_body)?)
    }
}

impl fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSecrets(<{} redacted>)", self.0.len())
    }
}

/// Why a webhook delivery was refused: its signature, or its body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    Event(#[from] EventError),
}

/// Why a webhook was not accepted. Names the problem only: never the header,
/// a signature or a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no webhook signing secret is configured")]
    NoSecrets,
    #[error("the Stripe-Signature header is longer than {} bytes", MAX_HEADER_LEN)]
    HeaderTooLong,
    #[error("the Stripe-Signature header has more than {} elements", MAX_ELEMENTS)]
    TooManyElements,
    #[error("the Stripe-Signature header has an element that is not key=value")]
    MalformedElement,
    #[error("the Stripe-Signature header has no timestamp (t=)")]
    MissingTimestamp,
    #[error("the Stripe-Signature header has more than one timestamp (t=)")]
    DuplicateTimestamp,
    #[error("the Stripe-Signature timestamp is not a Unix time")]
    InvalidTimestamp,
    #[error("the Stripe-Signature header has no v1 signature")]
    NoV1Signature,
    #[error("a v1 signature in the Stripe-Signature header is not 64 hex digits")]
    MalformedSignature,
    #[error("no v1 signature matches the body with any configured secret")]
    NoMatch,
    #[error("the signed timestamp is {age_secs} s old, more than the {} s allowed", TOLERANCE_SECS)]
    TooOld { age_secs: i64 },
    #[error("the signed timestamp is {ahead_secs} s in the future, more than the {} s allowed", TOLERANCE_SECS)]
    InTheFuture { ahead_secs: i64 },
}

/// Checks `header` (the `Stripe-Signature` value) against the raw request
/// body, exactly as received, and the endpoint's secrets.
pub fn verify_signature(
    header: &str,
    raw_body: &[u8],
    secrets: &[WebhookSecret],
    now_unix: i64,
) -> Result<(), SignatureError> {
    if secrets.is_empty() {
        return Err(SignatureError::NoSecrets);
    }
    let parsed = parse_header(header)?;
    let signed_prefix = format!("{}.", parsed.timestamp);
    let matched = secrets.iter().any(|secret| {
        let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(signed_prefix.as_bytes());
        mac.update(raw_body);
        parsed.v1.iter().any(|signature| mac.clone().verify_slice(signature).is_ok())
    });
    if !matched {
        return Err(SignatureError::NoMatch);
    }
    let age = now_unix.saturating_sub(parsed.timestamp);
    if age > TOLERANCE_SECS {
        return Err(SignatureError::TooOld { age_secs: age });
    }
    if age < -TOLERANCE_SECS {
        return Err(SignatureError::InTheFuture { ahead_secs: age.saturating_neg() });
    }
    Ok(())
}

struct ParsedHeader {
    timestamp: i64,
    v1: Vec<[u8; 32]>,
}

fn parse_header(header: &str) -> Result<ParsedHeader, SignatureError> {
    if header.len() > MAX_HEADER_LEN {
        return Err(SignatureError::HeaderTooLong);
    }
    let mut timestamp = None;
    let mut v1 = Vec::new();
    for (count, element) in header.split(',').enumerate() {
        if count >= MAX_ELEMENTS {
            return Err(SignatureError::TooManyElements);
        }
        let element = element.trim();
        if element.is_empty() {
            continue;
        }
        let (key, value) = element.split_once('=').ok_or(SignatureError::MalformedElement)?;
        let (key, value) = (key.trim(), value.trim());
        match key {
            "" => return Err(SignatureError::MalformedElement),
            "t" => {
                if timestamp.is_some() {
                    return Err(SignatureError::DuplicateTimestamp);
                }
                timestamp = Some(parse_timestamp(value)?);
            }
            "v1" => v1.push(decode_signature(value)?),
            _ => {} // v0 and schemes to come
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::MissingTimestamp)?;
    if v1.is_empty() {
        return Err(SignatureError::NoV1Signature);
    }
    Ok(ParsedHeader { timestamp, v1 })
}

fn parse_timestamp(value: &str) -> Result<i64, SignatureError> {
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::InvalidTimestamp);
    }
    value.parse().map_err(|_| SignatureError::InvalidTimestamp)
}

fn decode_signature(value: &str) -> Result<[u8; 32], SignatureError> {
    let bytes = value.as_bytes();
    if bytes.len() != 64 {
        return Err(SignatureError::MalformedSignature);
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let high = hex_digit(pair[0]).ok_or(SignatureError::MalformedSignature)?;
        let low = hex_digit(pair[1]).ok_or(SignatureError::MalformedSignature)?;
        out[i] = (high << 4) | low;
    }
    Ok(out)
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The events the app acts on; any other type is kept by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// `checkout.session.completed`: paid, or complete with a delayed
    /// payment method still pending (check `payment_status`).
    CheckoutSessionCompleted,
    /// `checkout.session.async_payment_succeeded`
    CheckoutSessionAsyncPaymentSucceeded,
    /// `checkout.session.async_payment_failed`
    CheckoutSessionAsyncPaymentFailed,
    /// `checkout.session.expired`
    CheckoutSessionExpired,
    Other(String),
}

impl EventKind {
    fn from_type(kind: &str) -> Self {
        match kind {
            "checkout.session.completed" => Self::CheckoutSessionCompleted,
            "checkout.session.async_payment_succeeded" => Self::CheckoutSessionAsyncPaymentSucceeded,
            "checkout.session.async_payment_failed" => Self::CheckoutSessionAsyncPaymentFailed,
            "checkout.session.expired" => Self::CheckoutSessionExpired,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn is_checkout_session(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

/// A verified event, reduced to what the app needs: the session it is
/// about is then read back from Stripe, never trusted from the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `evt_…`, for de-duplicating redeliveries.
    pub id: String,
    pub kind: EventKind,
    /// `data.object.id` when `data.object` is a `checkout.session`.
    pub session_id: Option<String>,
    pub livemode: bool,
    /// The API version the event was rendered with (the endpoint's).
    pub api_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the webhook body is not a JSON object")]
    NotJson,
    #[error("the webhook body has no valid event id")]
    MissingId,
    #[error("the webhook body has no event type")]
    MissingType,
    #[error("a {0} event carries no checkout.session object with a valid id")]
    MissingSession(&'static str),
}

/// Reads a verified event body (a snapshot event as sent to v1 webhook
/// endpoints).
pub fn parse_event(raw_body: &[u8]) -> Result<WebhookEvent, EventError> {
    #[derive(serde::Deserialize)]
    struct Event {
        id: Option<String>,
        #[serde(rename = "type")]
        kind: Option<String>,
        #[serde(default)]
        livemode: bool,
        api_version: Option<String>,
        data: Option<Data>,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        object: Option<Object>,
    }
    #[derive(serde::Deserialize)]
    struct Object {
        id: Option<String>,
        object: Option<String>,
    }

    let event: Event = serde_json::from_slice(raw_body).map_err(|_| EventError::NotJson)?;
    let id = event.id.filter(|id| is_event_id(id)).ok_or(EventError::MissingId)?;
    let kind_name = event.kind.filter(|k| !k.is_empty() && k.len() <= 255).ok_or(EventError::MissingType)?;
    let kind = EventKind::from_type(&kind_name);
    let session_id = event
        .data
        .and_then(|d| d.object)
        .filter(|o| o.object.as_deref() == Some("checkout.session"))
        .and_then(|o| o.id)
        .and_then(|id| parse_session_id(&id).map(str::to_owned));
    if kind.is_checkout_session() && session_id.is_none() {
        let name = match kind {
            EventKind::CheckoutSessionCompleted => "checkout.session.completed",
            EventKind::CheckoutSessionAsyncPaymentSucceeded => "checkout.session.async_payment_succeeded",
            EventKind::CheckoutSessionAsyncPaymentFailed => "checkout.session.async_payment_failed",
            _ => "checkout.session.expired",
        };
        return Err(EventError::MissingSession(name));
    }
    Ok(WebhookEvent { id, kind, session_id, livemode: event.livemode, api_version: event.api_version })
}

fn is_event_id(id: &str) -> bool {
    id.len() > 4 && id.len() <= 255 && id.starts_with("evt_") && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed once with Python:
    //   hmac.new(b"whsec_test_primary", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    const BODY: &[u8] = br#"{"id":"evt_test_webhook","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_a1","object":"checkout.session"}}}"#;
    const T: i64 = 1_700_000_000;
    const SIG_PRIMARY: &str = "e854859aebbddf7eb07b059c927f19fdce629abed1492a658f551e2d8bc79011";
    const SIG_ROTATED: &str = "2ff71973410d4a21d2d9b6b2594e8419463753fb8bd185d61791abcc70d432a5";

    fn secrets(list: &str) -> Vec<WebhookSecret> {
        parse_webhook_secrets(list).unwrap()
    }

    #[test]
    fn known_vector_verifies() {
        let header = format!("t={T},v1={SIG_PRIMARY}");
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Ok(()));
        // Upper-case hex is the same signature.
        let header = format!("t={T},v1={}", SIG_PRIMARY.to_ascii_uppercase());
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T + 10), Ok(()));
    }

    #[test]
    fn any_v1_against_any_secret_during_rotation() {
        // Stripe signs with every active secret while one is rolled: two v1s.
        let header = format!("t={T},v1={SIG_ROTATED},v1={SIG_PRIMARY},v0=0123");
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Ok(()));
        // We hold both secrets; Stripe has moved to the new one only.
        let header = format!("t={T},v1={SIG_ROTATED}");
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary, whsec_test_rotated"), T), Ok(()));
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Err(SignatureError::NoMatch));
    }

    #[test]
    fn tampered_body_wrong_secret_and_other_timestamp_do_not_match() {
        let header = format!("t={T},v1={SIG_PRIMARY}");
        let mut tampered = BODY.to_vec();
        tampered[10] ^= 1;
        assert_eq!(verify_signature(&header, &tampered, &secrets("whsec_test_primary"), T), Err(SignatureError::NoMatch));
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_other"), T), Err(SignatureError::NoMatch));
        // The timestamp is part of what is signed.
        let header = format!("t={},v1={SIG_PRIMARY}", T + 1);
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Err(SignatureError::NoMatch));
        // A v0 signature alone is not enough.
        let header = format!("t={T},v0={SIG_PRIMARY}");
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Err(SignatureError::NoV1Signature));
    }

    #[test]
    fn stale_and_future_timestamps_are_refused_both_ways() {
        let header = format!("t={T},v1={SIG_PRIMARY}");
        let s = secrets("whsec_test_primary");
        assert_eq!(verify_signature(&header, BODY, &s, T + TOLERANCE_SECS), Ok(()));
        assert_eq!(verify_signature(&header, BODY, &s, T - TOLERANCE_SECS), Ok(()));
        assert_eq!(verify_signature(&header, BODY, &s, T + TOLERANCE_SECS + 1), Err(SignatureError::TooOld { age_secs: 301 }));
        assert_eq!(
            verify_signature(&header, BODY, &s, T - TOLERANCE_SECS - 1),
            Err(SignatureError::InTheFuture { ahead_secs: 301 })
        );
        assert!(matches!(verify_signature(&header, BODY, &s, i64::MAX), Err(SignatureError::TooOld { .. })));
        assert!(matches!(verify_signature(&header, BODY, &s, i64::MIN), Err(SignatureError::InTheFuture { .. })));
    }

    #[test]
    fn whitespace_and_unknown_schemes_are_tolerated() {
        let header = format!(" t = {T} , v0=abc, v2=whatever ,v1= {SIG_PRIMARY} ,");
        assert_eq!(verify_signature(&header, BODY, &secrets("whsec_test_primary"), T), Ok(()));
    }

    #[test]
    fn malformed_headers_are_named() {
        let s = secrets("whsec_test_primary");
        let check = |header: &str| verify_signature(header, BODY, &s, T).unwrap_err();
        assert_eq!(check(""), SignatureError::MissingTimestamp);
        assert_eq!(check(&format!("v1={SIG_PRIMARY}")), SignatureError::MissingTimestamp);
        assert_eq!(check(&format!("t={T},t={T},v1={SIG_PRIMARY}")), SignatureError::DuplicateTimestamp);
        assert_eq!(check(&format!("t={T}")), SignatureError::NoV1Signature);
        assert_eq!(check(&format!("t=-{T},v1={SIG_PRIMARY}")), SignatureError::InvalidTimestamp);
        assert_eq!(check(&format!("t=1.5,v1={SIG_PRIMARY}")), SignatureError::InvalidTimestamp);
        assert_eq!(check(&format!("t=,v1={SIG_PRIMARY}")), SignatureError::InvalidTimestamp);
        assert_eq!(check(&format!("t=99999999999999999999,v1={SIG_PRIMARY}")), SignatureError::InvalidTimestamp);
        assert_eq!(check(&format!("t={T},v1=abc")), SignatureError::MalformedSignature);
        assert_eq!(check(&format!("t={T},v1={}", "z".repeat(64))), SignatureError::MalformedSignature);
        assert_eq!(check(&format!("t={T},v1={SIG_PRIMARY}0")), SignatureError::MalformedSignature);
        assert_eq!(check(&format!("t={T},{SIG_PRIMARY}")), SignatureError::MalformedElement);
        assert_eq!(check(&format!("t={T},={SIG_PRIMARY}")), SignatureError::MalformedElement);
        assert_eq!(verify_signature(&format!("t={T},v1={SIG_PRIMARY}"), BODY, &[], T), Err(SignatureError::NoSecrets));
    }

    #[test]
    fn oversized_headers_are_refused_before_parsing() {
        let s = secrets("whsec_test_primary");
        let long = format!("t={T},v1={SIG_PRIMARY},v0={}", "a".repeat(MAX_HEADER_LEN));
        assert_eq!(verify_signature(&long, BODY, &s, T), Err(SignatureError::HeaderTooLong));
        let many = format!("t={T},{}v1={SIG_PRIMARY}", "v0=a,".repeat(MAX_ELEMENTS));
        assert!(many.len() <= MAX_HEADER_LEN);
        assert_eq!(verify_signature(&many, BODY, &s, T), Err(SignatureError::TooManyElements));
    }

    #[test]
    fn errors_never_echo_the_header() {
        let header = format!("t={T},v1={SIG_ROTATED}");
        let error = verify_signature(&header, BODY, &secrets("whsec_test_primary"), T).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SIG_ROTATED) && !shown.contains("whsec_"), "{shown}");
    }

    #[test]
    fn secrets_are_parsed_and_redacted() {
        let list = secrets(" whsec_one ,whsec_two");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].as_bytes(), b"whsec_one");
        assert_eq!(list[1].as_bytes(), b"whsec_two");
        assert_eq!(format!("{list:?}"), "[WebhookSecret(<redacted>), WebhookSecret(<redacted>)]");
        assert_eq!(parse_webhook_secrets(""), Err(WebhookSecretError::Empty));
        assert_eq!(parse_webhook_secrets("whsec_a,,whsec_b"), Err(WebhookSecretError::Empty));
        assert_eq!(parse_webhook_secrets("whsec_a, "), Err(WebhookSecretError::Empty));
        assert_eq!(parse_webhook_secrets("whsec a"), Err(WebhookSecretError::Malformed));
        assert_eq!(parse_webhook_secrets("sk_test_123"), Err(WebhookSecretError::ApiKey));
    }

    #[test]
    fn webhook_secrets_verify_then_read_the_event() {
        let header = format!("t={T},v1={SIG_ROTATED}");
        let secrets = WebhookSecrets::new(vec![" whsec_test_primary ".into(), "".into(), "sk_test_oops".into(), "whsec_test_rotated".into()]);
        assert_eq!(secrets.len(), 2);
        assert_eq!(format!("{secrets:?}"), "WebhookSecrets(<2 redacted>)");
        let event = secrets.verify(&header, BODY, T).unwrap();
        assert_eq!((event.kind, event.session_id.as_deref()), (EventKind::CheckoutSessionCompleted, Some("cs_test_a1")));
        assert_eq!(secrets.verify(&header, b"{}", T), Err(WebhookError::Signature(SignatureError::NoMatch)));
        assert_eq!(
            WebhookSecrets::parse("whsec_test_primary").unwrap().verify(&header, BODY, T),
            Err(WebhookError::Signature(SignatureError::NoMatch))
        );
        assert_eq!(WebhookSecrets::new(vec![]).verify(&header, BODY, T), Err(WebhookError::Signature(SignatureError::NoSecrets)));

        // A correctly signed body that is not an event.
        let body = b"not an event";
        let signature = {
            let mut mac = HmacSha256::new_from_slice(b"whsec_test_primary").unwrap();
            mac.update(format!("{T}.").as_bytes());
            mac.update(body);
            mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let header = format!("t={T},v1={signature}");
        assert_eq!(secrets.verify(&header, body, T), Err(WebhookError::Event(EventError::NotJson)));
        assert_eq!(WebhookError::Signature(SignatureError::NoMatch).to_string(), SignatureError::NoMatch.to_string());
    }

    #[test]
    fn checkout_events_are_typed() {
        let event = parse_event(BODY).unwrap();
        assert_eq!(event.id, "evt_test_webhook");
        assert_eq!(event.kind, EventKind::CheckoutSessionCompleted);
        assert_eq!(event.session_id.as_deref(), Some("cs_test_a1"));
        assert!(!event.livemode);

        for (name, kind) in [
            ("checkout.session.async_payment_succeeded", EventKind::CheckoutSessionAsyncPaymentSucceeded),
            ("checkout.session.async_payment_failed", EventKind::CheckoutSessionAsyncPaymentFailed),
            ("checkout.session.expired", EventKind::CheckoutSessionExpired),
        ] {
            let body = format!(
                r#"{{"id":"evt_1N","object":"event","api_version":"{}","created":1700000000,"livemode":true,"type":"{name}","data":{{"object":{{"id":"cs_live_b2","object":"checkout.session","status":"complete"}}}}}}"#,
                super::super::STRIPE_API_VERSION
            );
            let event = parse_event(body.as_bytes()).unwrap();
            assert_eq!(event.kind, kind);
            assert_eq!(event.session_id.as_deref(), Some("cs_live_b2"));
            assert!(event.livemode);
            assert_eq!(event.api_version.as_deref(), Some(super::super::STRIPE_API_VERSION));
        }
    }

    #[test]
    fn other_events_are_kept_by_name() {
        let body = br#"{"id":"evt_2","type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge"}}}"#;
        let event = parse_event(body).unwrap();
        assert_eq!(event.kind, EventKind::Other("charge.refunded".into()));
        assert_eq!(event.session_id, None);
    }

    #[test]
    fn broken_events_are_refused() {
        assert_eq!(parse_event(b"not json"), Err(EventError::NotJson));
        assert_eq!(parse_event(b"[]"), Err(EventError::NotJson));
        assert_eq!(parse_event(br#"{"type":"checkout.session.completed"}"#), Err(EventError::MissingId));
        assert_eq!(parse_event(br#"{"id":"evt_../x","type":"x"}"#), Err(EventError::MissingId));
        assert_eq!(parse_event(br#"{"id":"evt_1"}"#), Err(EventError::MissingType));
        assert_eq!(
            parse_event(br#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"pi_1","object":"payment_intent"}}}"#),
            Err(EventError::MissingSession("checkout.session.completed"))
        );
        assert_eq!(
            parse_event(br#"{"id":"evt_1","type":"checkout.session.expired","data":{"object":{"id":"cs_/../x","object":"checkout.session"}}}"#),
            Err(EventError::MissingSession("checkout.session.expired"))
        );
    }
}
