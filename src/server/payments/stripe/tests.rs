//! The client against a small Stripe stand-in on 127.0.0.1: what it sends
//! (method, path, headers, decoded form) and how it reads every kind of
//! answer, including none at all.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;

use super::wire::fixtures::*;
use super::*;
use crate::domain::Currency;
use crate::server::payments::{CardSummary, PaymentState, SessionLine};

const KEY: &str = "sk_test_51MockKeyForUnitTestsOnly";

#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes()).into_owned().collect()
    }
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, body: &str) -> Reply {
    Reply { status, headers: vec![("request-id", "req_mock123")], body: body.to_owned(), delay: Duration::ZERO }
}

#[derive(Clone, Default)]
struct Mock {
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

impl Mock {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn answer(State(mock): State<Mock>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    mock.seen.lock().unwrap().push(Seen {
        method,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let next = mock.replies.lock().unwrap().pop_front();
    let Some(reply) = next else {
        return (StatusCode::IM_A_TEAPOT, "no reply scripted").into_response();
    };
    tokio::time::sleep(reply.delay).await;
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    for (name, value) in reply.headers {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    (StatusCode::from_u16(reply.status).unwrap(), headers, reply.body).into_response()
}

/// A stand-in answering `replies` in order; its base URL and what it saw.
async fn mock(replies: Vec<Reply>) -> (Mock, String) {
    let mock = Mock { replies: Arc::new(Mutex::new(replies.into())), ..Mock::default() };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(answer).with_state(mock.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (mock, format!("http://{addr}"))
}

fn provider(base: &str) -> StripeProvider {
    let settings = StripeSettings::new(KEY, Some(base), parse_webhook_secrets("whsec_test").unwrap()).unwrap();
    StripeProvider::from_settings(&settings).unwrap()
}

fn request() -> SessionRequest {
    SessionRequest {
        idempotency_key: "att_01HZX3".into(),
        currency: Currency::EUR,
        lines: vec![
            SessionLine { name: "Day pass".into(), quantity: 2, unit_amount_minor: 799 },
            SessionLine { name: "Locker & towel — 1 day".into(), quantity: 1, unit_amount_minor: 600 },
        ],
        total_minor: 2198,
        customer_email: "anna+desk@example.com".into(),
        success_url: "https://portal.example/checkout/return?session_id={CHECKOUT_SESSION_ID}".into(),
        cancel_url: "https://portal.example/checkout".into(),
        expires_at: Timestamp::from_millis(1_764_003_600_999),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn assert_common_headers(seen: &Seen) {
    assert_eq!(seen.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(seen.header("stripe-version"), Some(STRIPE_API_VERSION));
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert!(seen.header("user-agent").unwrap().starts_with("checkout-portal/"));
}

#[tokio::test]
async fn create_session_sends_the_documented_form() {
    let (mock, base) = mock(vec![reply(200, SESSION_OPEN)]).await;
    let session = provider(&base).create_session(&request()).await.unwrap();

    assert_eq!(
        session,
        HostedSession {
            id: "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u".into(),
            url: "https://checkout.stripe.com/c/pay/cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u#fidkdWxOYHwnPyd1blpxYHZxWjA0".into(),
            expires_at: Timestamp::from_millis(1_764_003_600_000),
        }
    );
    let seen = mock.seen();
    assert_eq!(seen.len(), 1);
    let seen = &seen[0];
    assert_eq!((seen.method.clone(), seen.path.as_str(), seen.query.as_deref()), (Method::POST, "/v1/checkout/sessions", None));
    assert_common_headers(seen);
    assert_eq!(seen.header("idempotency-key"), Some("att_01HZX3"));
    assert_eq!(seen.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        seen.form(),
        pairs(&[
            ("mode", "payment"),
            ("line_items[0][price_data][currency]", "eur"),
            ("line_items[0][price_data][unit_amount]", "799"),
            ("line_items[0][price_data][product_data][name]", "Day pass"),
            ("line_items[0][quantity]", "2"),
            ("line_items[1][price_data][currency]", "eur"),
            ("line_items[1][price_data][unit_amount]", "600"),
            ("line_items[1][price_data][product_data][name]", "Locker & towel — 1 day"),
            ("line_items[1][quantity]", "1"),
            ("success_url", "https://portal.example/checkout/return?session_id={CHECKOUT_SESSION_ID}"),
            ("cancel_url", "https://portal.example/checkout"),
            ("expires_at", "1764003600"),
            ("client_reference_id", "att_01HZX3"),
            ("customer_email", "anna+desk@example.com"),
            ("metadata[attempt]", "att_01HZX3"),
            ("payment_intent_data[metadata][attempt]", "att_01HZX3"),
        ])
    );
    // Brackets in keys travel as they are, like Stripe's own libraries send them.
    assert!(seen.body.starts_with("mode=payment&line_items[0][price_data][currency]=eur&"), "{}", seen.body);
}

#[tokio::test]
async fn create_session_refuses_without_a_request() {
    let (mock, base) = mock(vec![]).await;
    let stripe = provider(&base);
    let refused = |code: &str| ProviderError::Refused { status: LOCAL_REFUSAL_STATUS, code: Some(code.into()) };

    let mut off_by_one = request();
    off_by_one.total_minor += 1;
    assert_eq!(stripe.create_session(&off_by_one).await, Err(refused("lines_do_not_match_total")));

    let mut none = request();
    none.lines.clear();
    none.total_minor = 0;
    assert_eq!(stripe.create_session(&none).await, Err(refused("lines_do_not_match_total")));

    let mut overflow = request();
    overflow.lines[0].unit_amount_minor = i64::MAX;
    assert_eq!(stripe.create_session(&overflow).await, Err(refused("amount_overflow")));

    let mut overflow_sum = request();
    overflow_sum.lines[0] = SessionLine { name: "a".into(), quantity: 1, unit_amount_minor: i64::MAX };
    overflow_sum.lines[1] = SessionLine { name: "b".into(), quantity: 1, unit_amount_minor: 1 };
    assert_eq!(stripe.create_session(&overflow_sum).await, Err(refused("amount_overflow")));

    let mut discount = request();
    discount.lines.push(SessionLine { name: "Discount".into(), quantity: 1, unit_amount_minor: -198 });
    discount.total_minor = 2000;
    assert_eq!(stripe.create_session(&discount).await, Err(refused("negative_amount")));

    let mut huge = request();
    huge.lines = vec![SessionLine { name: "Building".into(), quantity: 1, unit_amount_minor: 1_000_000_000_000 }];
    huge.total_minor = 1_000_000_000_000;
    assert_eq!(stripe.create_session(&huge).await, Err(refused("amount_too_large")));

    let mut zero = request();
    zero.lines[1].quantity = 0;
    zero.total_minor = 1598;
    assert_eq!(stripe.create_session(&zero).await, Err(refused("invalid_line")));

    let mut nameless = request();
    nameless.lines[0].name = "  ".into();
    assert_eq!(stripe.create_session(&nameless).await, Err(refused("invalid_line")));

    let long = "k".repeat(201);
    for key in ["", "has space", "é", long.as_str()] {
        let mut bad_key = request();
        bad_key.idempotency_key = key.to_owned();
        assert_eq!(stripe.create_session(&bad_key).await, Err(refused("invalid_idempotency_key")), "{key:?}");
    }
    assert!(mock.seen().is_empty());
}

#[tokio::test]
async fn create_session_answers_are_checked() {
    let no_url = SESSION_OPEN.replace(
        "\"url\": \"https://checkout.stripe.com/c/pay/cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u#fidkdWxOYHwnPyd1blpxYHZxWjA0\"",
        "\"url\": null",
    );
    let odd_id = SESSION_OPEN.replace("\"id\": \"cs_test_a11", "\"id\": \"pi_test_a11");
    let (_, base) = mock(vec![reply(200, &no_url), reply(200, &odd_id), reply(200, "{\"id\":"), reply(200, "")]).await;
    let stripe = provider(&base);
    for _ in 0..4 {
        assert!(matches!(stripe.create_session(&request()).await, Err(ProviderError::Malformed(_))));
    }
}

#[tokio::test]
async fn retrieve_session_expands_the_charge() {
    let (mock, base) = mock(vec![reply(200, SESSION_COMPLETE_PAID)]).await;
    let state = provider(&base).retrieve_session("cs_test_b1PAID").await.unwrap();
    assert_eq!(
        state,
        SessionState {
            id: "cs_test_b1PAID".into(),
            status: SessionStatus::Complete,
            payment: PaymentState::Paid,
            amount_total_minor: Some(2198),
            currency: "EUR".into(),
            payment_reference: Some("pi_3MtwBwLkdIwHu7ix28a3tqPa".into()),
            client_reference: Some("att_01HZX3".into()),
            card: Some(CardSummary { brand: "Visa".into(), last4: "4242".into() }),
            payment_failed: false,
        }
    );
    let seen = &mock.seen()[0];
    assert_eq!((seen.method.clone(), seen.path.as_str()), (Method::GET, "/v1/checkout/sessions/cs_test_b1PAID"));
    assert_eq!(seen.query.as_deref(), Some("expand[]=payment_intent.latest_charge"));
    let expand: Vec<_> = url::form_urlencoded::parse(seen.query.as_deref().unwrap().as_bytes()).into_owned().collect();
    assert_eq!(expand, pairs(&[("expand[]", "payment_intent.latest_charge")]));
    assert_common_headers(seen);
    assert_eq!(seen.header("idempotency-key"), None);
    assert!(seen.body.is_empty());
}

#[tokio::test]
async fn retrieve_session_other_states() {
    let (_, base) = mock(vec![reply(200, SESSION_COMPLETE_UNPAID), reply(200, SESSION_EXPIRED), reply(200, SESSION_OPEN)]).await;
    let stripe = provider(&base);
    let unpaid = stripe.retrieve_session("cs_test_c1SEPA").await.unwrap();
    assert_eq!((unpaid.status, unpaid.payment), (SessionStatus::Complete, PaymentState::Unpaid));
    assert_eq!(unpaid.payment_reference.as_deref(), Some("pi_3MtwBwLkdIwHu7ix0SEPA000"));
    let expired = stripe.retrieve_session("cs_test_d1EXPIRED").await.unwrap();
    assert_eq!((expired.status, expired.currency.as_str(), expired.amount_total_minor), (SessionStatus::Expired, "ISK", Some(5)));
    // An answer about another session is not this one's state.
    assert!(matches!(stripe.retrieve_session("cs_test_other").await, Err(ProviderError::Malformed(_))));
}

#[tokio::test]
async fn ids_that_are_not_session_ids_never_reach_a_url() {
    let (mock, base) = mock(vec![]).await;
    let stripe = provider(&base);
    for id in ["", "cs_", "pi_123", "cs_test_1/../../v1/refunds", "cs_test_1?expand[]=x", "cs_test_1#x", "cs_test_%2F", "cs_test_ü"] {
        assert_eq!(stripe.retrieve_session(id).await, Err(ProviderError::NotFound), "{id}");
        assert_eq!(stripe.expire_session(id).await, Err(ProviderError::NotFound), "{id}");
    }
    assert_eq!(stripe.refund("cs_test_1", "refund-1").await, Err(ProviderError::NotFound));
    assert_eq!(stripe.refund("pi_1/x", "refund-1").await, Err(ProviderError::NotFound));
    assert!(mock.seen().is_empty());
}

#[tokio::test]
async fn not_found_and_refusals() {
    let mut conflict = reply(409, ERROR_IDEMPOTENCY);
    conflict.headers.push(("stripe-should-retry", "true"));
    let (_, base) = mock(vec![
        reply(404, ERROR_RESOURCE_MISSING),
        reply(400, ERROR_RESOURCE_MISSING),
        reply(400, ERROR_IDEMPOTENCY),
        reply(401, r#"{"error":{"message":"Invalid API Key provided: sk_test_****only","type":"invalid_request_error"}}"#),
        reply(402, r#"{"error":{"code":"card_declined","decline_code":"generic_decline","type":"card_error"}}"#),
        reply(403, "<html>Forbidden</html>"),
        conflict,
        reply(302, ""),
    ])
    .await;
    let stripe = provider(&base);
    let id = "cs_test_b1PAID";
    assert_eq!(stripe.retrieve_session(id).await, Err(ProviderError::NotFound));
    assert_eq!(stripe.refund("pi_3MtwBwLkdIwHu7ix28a3tqPa", "refund-1").await, Err(ProviderError::NotFound));
    assert_eq!(
        stripe.create_session(&request()).await,
        Err(ProviderError::Refused { status: 400, code: Some("idempotency_error".into()) })
    );
    assert_eq!(stripe.retrieve_session(id).await, Err(ProviderError::Refused { status: 401, code: Some("invalid_request_error".into()) }));
    assert_eq!(stripe.retrieve_session(id).await, Err(ProviderError::Refused { status: 402, code: Some("card_declined".into()) }));
    assert_eq!(stripe.retrieve_session(id).await, Err(ProviderError::Refused { status: 403, code: None }));
    assert!(matches!(stripe.create_session(&request()).await, Err(ProviderError::Unreachable(_))));
    assert!(matches!(stripe.retrieve_session(id).await, Err(ProviderError::Malformed(_))));
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_unreachable() {
    let (_, base) = mock(vec![
        reply(500, ERROR_API),
        reply(503, "upstream unavailable"),
        reply(429, r#"{"error":{"code":"rate_limit","type":"invalid_request_error"}}"#),
        reply(200, "{not json"),
    ])
    .await;
    let stripe = provider(&base);
    assert_eq!(stripe.retrieve_session("cs_test_1").await, Err(ProviderError::Unreachable("Stripe answered 500".into())));
    assert_eq!(stripe.expire_session("cs_test_1").await, Err(ProviderError::Unreachable("Stripe answered 503".into())));
    assert_eq!(
        stripe.refund("pi_1", "refund-1").await,
        Err(ProviderError::Unreachable("Stripe answered 429".into()))
    );
    assert!(matches!(stripe.retrieve_session("cs_test_1").await, Err(ProviderError::Malformed(_))));
}

#[tokio::test]
async fn expire_session_expires_an_open_session() {
    let expired = SESSION_OPEN.replace("\"status\": \"open\"", "\"status\": \"expired\"");
    let (mock, base) = mock(vec![reply(200, &expired)]).await;
    let state = provider(&base).expire_session("cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u").await.unwrap();
    assert_eq!((state.status, state.payment), (SessionStatus::Expired, PaymentState::Unpaid));
    let seen = mock.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].method.clone(), seen[0].path.as_str()),
        (Method::POST, "/v1/checkout/sessions/cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u/expire")
    );
    assert_common_headers(&seen[0]);
    let key = seen[0].header("idempotency-key").unwrap();
    assert!(key.starts_with("expire-") && key.len() > 20, "{key}");
    assert!(seen[0].body.is_empty());
}

#[tokio::test]
async fn expire_session_reports_a_session_paid_first() {
    let (mock, base) = mock(vec![reply(400, ERROR_NOT_OPEN), reply(200, SESSION_COMPLETE_PAID)]).await;
    let state = provider(&base).expire_session("cs_test_b1PAID").await.unwrap();
    assert_eq!((state.status, state.payment), (SessionStatus::Complete, PaymentState::Paid));
    assert_eq!(state.payment_reference.as_deref(), Some("pi_3MtwBwLkdIwHu7ix28a3tqPa"));
    let seen = mock.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].method.clone(), seen[0].path.as_str()), (Method::POST, "/v1/checkout/sessions/cs_test_b1PAID/expire"));
    assert_eq!((seen[1].method.clone(), seen[1].path.as_str()), (Method::GET, "/v1/checkout/sessions/cs_test_b1PAID"));
}

#[tokio::test]
async fn expire_session_refusal_stands_when_still_open() {
    let open = SESSION_OPEN.replace("cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u", "cs_test_still_open");
    let (mock, base) = mock(vec![reply(400, ERROR_NOT_OPEN), reply(200, &open), reply(400, ERROR_NOT_OPEN), reply(500, ERROR_API)]).await;
    let stripe = provider(&base);
    assert_eq!(
        stripe.expire_session("cs_test_still_open").await,
        Err(ProviderError::Refused { status: 400, code: Some("invalid_request_error".into()) })
    );
    // The read-back failing is that failure.
    assert!(matches!(stripe.expire_session("cs_test_still_open").await, Err(ProviderError::Unreachable(_))));
    // Every expire call has its own key.
    let keys: Vec<_> = mock.seen().iter().filter(|s| s.method == Method::POST).map(|s| s.header("idempotency-key").unwrap().to_owned()).collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn refund_sends_the_payment_intent_and_key() {
    let (mock, base) = mock(vec![reply(200, REFUND)]).await;
    let refund = provider(&base).refund("pi_3MtwBwLkdIwHu7ix28a3tqPa", "refund-att_01HZX3").await.unwrap();
    assert_eq!(refund, Refund { id: "re_1Nispe2eZvKYlo2Cd31jOCgZ".into() });
    let seen = &mock.seen()[0];
    assert_eq!((seen.method.clone(), seen.path.as_str()), (Method::POST, "/v1/refunds"));
    assert_common_headers(seen);
    assert_eq!(seen.header("idempotency-key"), Some("refund-att_01HZX3"));
    assert_eq!(seen.form(), pairs(&[("payment_intent", "pi_3MtwBwLkdIwHu7ix28a3tqPa")]));
}

#[tokio::test]
async fn no_answer_is_unreachable() {
    // Nothing listening.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let error = provider(&format!("http://{addr}")).retrieve_session("cs_test_1").await.unwrap_err();
    assert!(matches!(&error, ProviderError::Unreachable(m) if m.starts_with("could not connect")), "{error:?}");

    // A connection dropped after the request was read.
    let dropping = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = dropping.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (socket, _) = dropping.accept().await.unwrap();
            let _ = socket.readable().await;
            let mut buf = [0u8; 4096];
            let _ = socket.try_read(&mut buf);
            drop(socket);
        }
    });
    let stripe = provider(&format!("http://{addr}"));
    assert!(matches!(stripe.create_session(&request()).await, Err(ProviderError::Unreachable(_))));
    assert!(matches!(stripe.retrieve_session("cs_test_1").await, Err(ProviderError::Unreachable(_))));

    // An answer slower than the request timeout.
    let mut slow = reply(200, SESSION_OPEN);
    slow.delay = Duration::from_secs(3);
    let (_, base) = mock(vec![slow]).await;
    let settings = StripeSettings::new(KEY, Some(&base), parse_webhook_secrets("whsec_test").unwrap()).unwrap();
    let stripe = StripeProvider::with_timeouts(&settings, Duration::from_millis(200), Duration::from_millis(300)).unwrap();
    let error = stripe.retrieve_session("cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u").await.unwrap_err();
    assert!(matches!(&error, ProviderError::Unreachable(m) if m.starts_with("timed out")), "{error:?}");
    // The message never carries the URL.
    assert!(!format!("{error:?}").contains("127.0.0.1"), "{error:?}");
}

#[tokio::test]
async fn oversized_answers_are_malformed() {
    let (_, base) = mock(vec![reply(200, &format!("{{\"id\":\"{}\"}}", "a".repeat(MAX_RESPONSE_BYTES)))]).await;
    assert_eq!(
        provider(&base).retrieve_session("cs_test_1").await,
        Err(ProviderError::Malformed("the answer is too large".into()))
    );
}

#[tokio::test]
async fn api_base_may_carry_a_path_prefix() {
    let (mock, base) = mock(vec![reply(200, REFUND)]).await;
    provider(&format!("{base}/stripe")).refund("pi_1", "k").await.unwrap();
    assert_eq!(mock.seen()[0].path, "/stripe/v1/refunds");
}

#[test]
fn session_ids() {
    assert_eq!(parse_session_id("cs_test_a1B2c3"), Some("cs_test_a1B2c3"));
    assert_eq!(parse_session_id("cs_live_a1B2c3"), Some("cs_live_a1B2c3"));
    assert_eq!(parse_session_id(&format!("cs_{}", "a".repeat(252))).map(str::len), Some(255));
    for id in ["", "cs_", "cs", "CS_test_1", " cs_test_1", "cs_test_1 ", "cs_test-1", "cs_test_1/", "cs_test_1.json", "pi_123"] {
        assert_eq!(parse_session_id(id), None, "{id:?}");
    }
    assert_eq!(parse_session_id(&format!("cs_{}", "a".repeat(253))), None);
}

#[test]
fn settings_are_validated_and_redacted() {
    let secrets = parse_webhook_secrets("whsec_abc,whsec_def").unwrap();
    let settings = StripeSettings::new("sk_live_51SecretValue", None, secrets.clone()).unwrap();
    assert_eq!(settings.api_base().as_str(), "https://api.stripe.com/");
    assert!(settings.is_live());
    assert_eq!(settings.webhook_secrets().len(), 2);
    let shown = format!("{settings:?}");
    assert_eq!(
        shown,
        "StripeSettings { secret_key: SecretKey(secret live key, <redacted>), api_base: \"https://api.stripe.com/\", webhook_secrets: [2 redacted] }"
    );
    assert!(!shown.contains("SecretValue") && !shown.contains("whsec_"));

    let test = StripeSettings::new(" rk_test_51Restricted ", Some("http://127.0.0.1:12111"), secrets.clone()).unwrap();
    assert!(!test.is_live());
    assert_eq!(test.api_base().as_str(), "http://127.0.0.1:12111/");
    assert!(format!("{test:?}").contains("SecretKey(restricted test key, <redacted>)"));

    let err = |key: &str, base: Option<&str>| StripeSettings::new(key, base, secrets.clone()).unwrap_err();
    assert_eq!(err("pk_test_123", None), SettingsError::PublishableKey);
    for key in ["", "sk_test_", "sk_123", "whsec_123", "sk_test_abc def", "sk_prod_123", "rk_abc"] {
        assert_eq!(err(key, None), SettingsError::InvalidSecretKey, "{key:?}");
    }
    assert_eq!(err("sk_live_1", Some("http://api.stripe.com")), SettingsError::InvalidApiBase("must use https with a live key"));
    assert_eq!(err("sk_test_1", Some("ftp://api.stripe.com")), SettingsError::InvalidApiBase("must be http(s)"));
    assert_eq!(err("sk_test_1", Some("api.stripe.com")), SettingsError::InvalidApiBase("is not a URL"));
    assert_eq!(err("sk_test_1", Some("https://user:pw@api.stripe.com")), SettingsError::InvalidApiBase("must not carry credentials"));
    assert_eq!(err("sk_test_1", Some("https://api.stripe.com/?x=1")), SettingsError::InvalidApiBase("must not have a query or fragment"));
    assert_eq!(StripeSettings::new("sk_test_1", None, vec![]).unwrap_err(), SettingsError::NoWebhookSecrets);
}

#[test]
fn settings_verify_webhooks_with_their_secrets() {
    let settings = StripeSettings::new(KEY, None, parse_webhook_secrets("whsec_test_primary").unwrap()).unwrap();
    let body = br#"{"id":"evt_test_webhook","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_a1","object":"checkout.session"}}}"#;
    let header = "t=1700000000,v1=e854859aebbddf7eb07b059c927f19fdce629abed1492a658f551e2d8bc79011";
    let event = settings.webhooks().verify(header, body, 1_700_000_000).unwrap();
    assert_eq!(event.session_id.as_deref(), Some("cs_test_a1"));
    assert_eq!(settings.webhooks().verify(header, b"{}", 1_700_000_000), Err(WebhookError::Signature(SignatureError::NoMatch)));
}

#[tokio::test]
async fn provider_from_key_and_base() {
    let (mock, base) = mock(vec![reply(200, REFUND)]).await;
    let stripe = StripeProvider::new(KEY, &base).unwrap();
    assert_eq!(stripe.kind(), ProviderKind::Stripe);
    assert!(!stripe.is_live());
    stripe.refund("pi_1", "k").await.unwrap();
    assert_eq!(mock.seen()[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert!(StripeProvider::new("sk_live_1", DEFAULT_API_BASE).unwrap().is_live());
    assert_eq!(StripeProvider::new("pk_live_1", DEFAULT_API_BASE).unwrap_err(), SettingsError::PublishableKey.to_string());
    assert_eq!(
        StripeProvider::new("sk_live_1", "http://127.0.0.1:1").unwrap_err(),
        SettingsError::InvalidApiBase("must use https with a live key").to_string()
    );
    // Debug shows neither the key nor anything but its kind.
    assert!(!format!("{stripe:?}").contains("MockKey"), "{stripe:?}");
}

/// Captures what the module logs.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every call, answered successfully or not.
async fn every_kind_of_call() {
    let (_, base) = mock(vec![
        reply(200, SESSION_OPEN),
        reply(200, SESSION_COMPLETE_PAID),
        reply(400, ERROR_NOT_OPEN),
        reply(200, SESSION_COMPLETE_PAID),
        reply(200, REFUND),
        reply(402, r#"{"error":{"code":"card_declined","type":"card_error"}}"#),
    ])
    .await;
    let stripe = provider(&base);
    stripe.create_session(&request()).await.unwrap();
    stripe.retrieve_session("cs_test_b1PAID").await.unwrap();
    stripe.expire_session("cs_test_b1PAID").await.unwrap();
    stripe.refund("pi_3MtwBwLkdIwHu7ix28a3tqPa", "refund-1").await.unwrap();
    stripe.retrieve_session("cs_test_b1PAID").await.unwrap_err();
}

#[tokio::test]
async fn logs_carry_ids_and_statuses_only() {
    // Once unobserved, so every log callsite is registered, even by tests
    // running alongside: one registered concurrently with the subscriber
    // below could keep a cached "never".
    every_kind_of_call().await;

    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_env_filter(tracing_subscriber::EnvFilter::new("checkout_portal=trace"))
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    every_kind_of_call().await;
    drop(guard);

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u"), "{text}");
    assert!(text.contains("re_1Nispe2eZvKYlo2Cd31jOCgZ") && text.contains("card_declined") && text.contains("req_mock123"), "{text}");
    for secret in [KEY, "checkout.stripe.com", "http://", "4242", "anna", "att_01HZX3", "Day pass"] {
        assert!(!text.contains(secret), "logged {secret:?}:\n{text}");
    }
}
