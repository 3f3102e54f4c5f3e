//! The Stripe fake and its handle, end to end, without the app: sessions
//! with raw Stripe parameters, Idempotency-Key, the hosted page as a
//! browser posts it, signed webhooks (and spoilt ones), expiry, refunds,
//! holds and faults.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::stripe_fake::{Delivery, DeliveryState, Fault, FakeAccount, PayOutcome, Stage, Tamper};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SUCCESS_URL: &str = "http://127.0.0.1:9/checkout/done?session={CHECKOUT_SESSION_ID}";
const CANCEL_URL: &str = "http://127.0.0.1:9/basket";

/// Two day passes at €25.00, as the app will ask for them.
fn day_passes(order: &str) -> Vec<(&'static str, String)> {
    vec![
        ("mode", "payment".into()),
        ("line_items[0][price_data][currency]", "eur".into()),
        ("line_items[0][price_data][unit_amount]", "2500".into()),
        ("line_items[0][price_data][product_data][name]", "Day Pass".into()),
        ("line_items[0][quantity]", "2".into()),
        ("success_url", SUCCESS_URL.into()),
        ("cancel_url", CANCEL_URL.into()),
        ("client_reference_id", order.into()),
        ("customer_email", "sam@example.com".into()),
        ("metadata[order]", order.into()),
        ("payment_intent_data[metadata][order]", order.into()),
    ]
}

async fn create_session(stripe: &FakeAccount, params: &[(&'static str, String)], key: Option<&str>) -> common::stripe_fake::ApiReply {
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    stripe.post_form("/v1/checkout/sessions", &params, key).await
}

async fn open_session(stripe: &FakeAccount, order: &str) -> String {
    let created = create_session(stripe, &day_passes(order), None).await;
    assert_eq!(created.status, 200, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_created_once_per_idempotency_key() {
    let stripe = FakeAccount::new();
    let first = create_session(&stripe, &day_passes("order-1"), Some("checkout-order-1")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let session = &first.body;
    let id = session["id"].as_str().unwrap();
    assert!(id.starts_with("cs_test_"), "{id}");
    assert_eq!(session["object"], "checkout.session");
    assert_eq!(session["amount_total"], 5000);
    assert_eq!(session["currency"], "eur");
    assert_eq!((session["status"].as_str(), session["payment_status"].as_str()), (Some("open"), Some("unpaid")));
    assert!(session["payment_intent"].is_null());
    assert_eq!(session["url"].as_str().unwrap(), format!("{}/c/pay/{id}", stripe.api_base));
    assert_eq!(session["metadata"]["order"], "order-1");
    assert_eq!(session["livemode"], false);
    assert!(first.header("idempotent-replayed").is_none());

    let again = create_session(&stripe, &day_passes("order-1"), Some("checkout-order-1")).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body, "the stored answer, replayed");

    let other = create_session(&stripe, &day_passes("order-2"), Some("checkout-order-1")).await;
    assert_eq!(other.status, 400, "{}", other.body);
    assert_eq!(other.error("type"), Some("idempotency_error"));

    let missing = create_session(&stripe, &day_passes("order-3")[1..], None).await;
    assert_eq!((missing.status.as_u16(), missing.error("code"), missing.error("param")), (400, Some("parameter_missing"), Some("mode")));
    let soon = stripe.now().await + 60;
    let mut too_soon = day_passes("order-4");
    too_soon.push(("expires_at", soon.to_string()));
    let refused = create_session(&stripe, &too_soon, None).await;
    assert_eq!((refused.status.as_u16(), refused.error("param")), (400, Some("expires_at")), "{}", refused.body);

    let creates = stripe.requests_to("POST", "/v1/checkout/sessions").await;
    let summary: Vec<_> = creates.iter().map(|r| (r.idempotency_key.as_deref(), r.replayed, r.status)).collect();
    assert_eq!(
        summary,
        [
            (Some("checkout-order-1"), false, Some(200)),
            (Some("checkout-order-1"), true, Some(200)),
            (Some("checkout-order-1"), false, Some(400)),
            (None, false, Some(400)),
            (None, false, Some(400)),
        ]
    );
    assert_eq!(creates[0].param("line_items[0][quantity]"), Some("2"));

    let unknown = stripe.get("/v1/checkout/sessions/cs_test_nothing_here").await;
    assert_eq!((unknown.status.as_u16(), unknown.error("code")), (404, Some("resource_missing")));
    let elsewhere = FakeAccount::new().get(&format!("/v1/checkout/sessions/{id}")).await;
    assert_eq!(elsewhere.status, 404, "another account sees nothing of this one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hosted_page_takes_a_card_and_the_webhook_arrives_signed() {
    let stripe = FakeAccount::new();
    let sink = Sink::start(&stripe.webhook_secret).await;
    stripe.register_webhook(&sink.url, Delivery::Auto).await;
    let id = open_session(&stripe, "order-7").await;
    let page_url = format!("{}/c/pay/{id}", stripe.api_base);

    let page = reqwest::get(&page_url).await.unwrap().text().await.unwrap();
    for part in [
        "<label for=\"cardnumber\">Card number</label>",
        "<label for=\"expiry\">Expiry</label>",
        "<label for=\"cvc\">CVC</label>",
        "<button type=\"submit\">Pay</button>",
        "Day Pass × 2",
        "€50.00",
        "<a href=\"http://127.0.0.1:9/basket\">Back</a>",
    ] {
        assert!(page.contains(part), "{part} in {page}");
    }
    assert!(!page.contains("<script"), "no JavaScript");

    let declined = stripe.submit_hosted_page(&page_url, "4000 0000 0000 9995", "12 / 34", "123").await;
    assert_eq!(declined.status, 402);
    assert!(declined.body.contains("Your card has insufficient funds."), "{}", declined.body);
    assert_eq!(stripe.session(&id).await["status"], "open", "a decline leaves the session open");

    let paid = stripe.submit_hosted_page(&page_url, "4242 4242 4242 4242", "12 / 34", "123").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(paid.location.as_deref(), Some(SUCCESS_URL.replace("{CHECKOUT_SESSION_ID}", &id).as_str()));

    // Automatic deliveries are made before the shopper is sent back.
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].verdict, Ok(()), "a valid signature");
    let event: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!((event["object"].as_str(), event["type"].as_str()), (Some("event"), Some("checkout.session.completed")));
    assert!(event["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(event["data"]["object"]["id"], id.as_str());
    assert_eq!(event["data"]["object"]["payment_status"], "paid");
    let events = stripe.events_for_session(&id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].deliveries[0].state, DeliveryState::Delivered);
    assert_eq!(events[0].deliveries[0].attempts[0].status, Some(200));

    let session = stripe.get(&format!("/v1/checkout/sessions/{id}?expand[]=payment_intent.latest_charge")).await;
    assert_eq!(session.status, 200, "{}", session.body);
    let session = session.body;
    assert_eq!((session["status"].as_str(), session["payment_status"].as_str()), (Some("complete"), Some("paid")));
    assert!(session["url"].is_null(), "no URL once complete");
    let intent = &session["payment_intent"];
    assert!(intent["id"].as_str().unwrap().starts_with("pi_"));
    assert_eq!(intent["status"], "succeeded");
    assert_eq!(intent["metadata"]["order"], "order-7");
    let card = &intent["latest_charge"]["payment_method_details"]["card"];
    assert_eq!((card["brand"].as_str(), card["last4"].as_str()), (Some("visa"), Some("4242")));

    let page = reqwest::get(&page_url).await.unwrap().text().await.unwrap();
    assert!(page.contains("already complete") && !page.contains("<form"), "{page}");
    // The form again, from a tab left open: nothing more is charged.
    let again = stripe.post_hosted_form(&page_url, "4242 4242 4242 4242", "12 / 34", "123").await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already complete"), "{}", again.body);
    assert_eq!(stripe.events_for_session(&id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_events_wait_for_the_test_and_tampering_shows() {
    let stripe = FakeAccount::new();
    let sink = Sink::start(&stripe.webhook_secret).await;
    stripe.register_webhook(&sink.url, Delivery::Queued).await;
    let id = open_session(&stripe, "order-9").await;

    let declined = stripe.pay(&id, "4000000000000002").await;
    assert_eq!(
        declined,
        PayOutcome::Declined {
            code: "card_declined".into(),
            decline_code: Some("generic_decline".into()),
            message: "Your card was declined.".into()
        }
    );
    match stripe.pay(&id, "4242424242424242").await {
        PayOutcome::Paid { redirect, payment_intent } => {
            assert!(redirect.ends_with(&id));
            assert!(payment_intent.unwrap().starts_with("pi_"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.received().len(), 0, "queued: nothing sent yet");
    let events = stripe.events_for_session(&id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].deliveries[0].state, DeliveryState::Pending);

    for tamper in [Tamper::Body, Tamper::Signature, Tamper::Stale] {
        let attempt = stripe.deliver(&events[0].id, tamper).await;
        assert_eq!(attempt.status, Some(400), "{tamper:?} is refused: {:?}", attempt.response);
    }
    let verdicts: Vec<_> = sink.received().into_iter().map(|r| r.verdict).collect();
    assert_eq!(verdicts, [Err("signature mismatch"), Err("signature mismatch"), Err("timestamp out of tolerance")]);
    assert_eq!(stripe.events_for_session(&id).await[0].deliveries[0].state, DeliveryState::Failed);

    let delivered = stripe.deliver_pending().await;
    assert!(delivered.is_empty(), "attempted deliveries are no longer pending");
    let attempt = stripe.deliver(&events[0].id, Tamper::None).await;
    assert_eq!(attempt.status, Some(200));
    assert_eq!(sink.received().last().unwrap().verdict, Ok(()));
    assert_eq!(stripe.events_for_session(&id).await[0].deliveries[0].state, DeliveryState::Delivered);

    // The delayed path: complete but unpaid, then paid later.
    let later = open_session(&stripe, "order-10").await;
    assert_eq!(stripe.complete_unpaid(&later).await["payment_status"], "unpaid");
    assert_eq!(stripe.settle_async_payment(&later, true).await["payment_status"], "paid");
    let sent: Vec<_> = stripe.deliver_pending().await.into_iter().map(|a| (a.event_type.unwrap(), a.status)).collect();
    assert_eq!(
        sent,
        [
            ("checkout.session.completed".to_owned(), Some(200)),
            ("checkout.session.async_payment_succeeded".to_owned(), Some(200))
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_and_payments_refund_once() {
    let stripe = FakeAccount::new();
    let id = open_session(&stripe, "order-11").await;
    let expired = stripe.post_form(&format!("/v1/checkout/sessions/{id}/expire"), &[], Some(&format!("expire-{id}"))).await;
    assert_eq!(expired.status, 200, "{}", expired.body);
    assert_eq!(expired.body["status"], "expired");
    let again = stripe.post_form(&format!("/v1/checkout/sessions/{id}/expire"), &[], None).await;
    assert_eq!(again.status, 400, "only open sessions expire");
    assert_eq!(stripe.pay(&id, "4242424242424242").await, PayOutcome::Unavailable { reason: "expired".into() });

    // Stripe's own expiry, at `expires_at` on the account's clock.
    let now = stripe.now().await;
    stripe.set_time(now).await;
    let mut in_an_hour = day_passes("order-12");
    in_an_hour.push(("expires_at", (now + 3600).to_string()));
    let by_stripe = create_session(&stripe, &in_an_hour, None).await.body["id"].as_str().unwrap().to_owned();
    stripe.advance(std::time::Duration::from_secs(3599)).await;
    assert_eq!(stripe.session(&by_stripe).await["status"], "open");
    stripe.advance(std::time::Duration::from_secs(1)).await;
    assert_eq!(stripe.session(&by_stripe).await["status"], "expired", "expired at expires_at");
    let abandoned = open_session(&stripe, "order-14").await;
    assert_eq!(stripe.expire(&abandoned).await["status"], "expired");
    let types: Vec<_> = stripe.events().await.into_iter().map(|e| e.event_type).collect();
    assert_eq!(types, ["checkout.session.expired"; 3]);

    let paid = open_session(&stripe, "order-13").await;
    let PayOutcome::Paid { payment_intent: Some(intent), .. } = stripe.pay(&paid, "5555555555554444").await else {
        panic!("not paid")
    };
    let key = format!("refund-{paid}");
    let refund = stripe.post_form("/v1/refunds", &[("payment_intent", intent.as_str())], Some(&key)).await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    assert!(refund.body["id"].as_str().unwrap().starts_with("re_"));
    assert_eq!((refund.body["object"].as_str(), refund.body["amount"].as_i64()), (Some("refund"), Some(5000)));
    assert_eq!(refund.body["payment_intent"], intent.as_str());
    let retried = stripe.post_form("/v1/refunds", &[("payment_intent", intent.as_str())], Some(&key)).await;
    assert_eq!((retried.header("idempotent-replayed"), &retried.body), (Some("true"), &refund.body));
    let second = stripe.post_form("/v1/refunds", &[("payment_intent", intent.as_str())], Some("another-key")).await;
    assert_eq!((second.status.as_u16(), second.error("code")), (400, Some("charge_already_refunded")), "{}", second.body);
    let refunds = stripe.requests_to("POST", "/v1/refunds").await;
    assert_eq!(refunds[0].idempotency_key.as_deref(), Some(key.as_str()));
    assert_eq!(refunds[0].param("payment_intent"), Some(intent.as_str()));
    let brand = stripe.get(&format!("/v1/checkout/sessions/{paid}?expand[]=payment_intent.latest_charge")).await;
    assert_eq!(brand.body["payment_intent"]["latest_charge"]["payment_method_details"]["card"]["brand"], "mastercard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_and_faults_are_under_the_tests_control() {
    let stripe = Arc::new(FakeAccount::new());
    let id = open_session(&stripe, "order-20").await;

    let hold = stripe.hold("GET", "/v1/checkout/sessions/").await;
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (stripe, id) = (stripe.clone(), id.clone());
            tokio::spawn(async move { stripe.get(&format!("/v1/checkout/sessions/{id}")).await.status })
        })
        .collect();
    hold.wait_for(2).await;
    assert!(readers.iter().all(|r| !r.is_finished()), "both are held");
    hold.release(1).await;
    assert_eq!(hold.held().await, 1);
    hold.release_all().await;
    for reader in readers {
        assert_eq!(reader.await.unwrap(), 200);
    }

    // While the first request with a key is in progress, a second one with
    // the same key is refused (409) and creates nothing.
    let in_progress = stripe.hold_at("POST", "/v1/checkout/sessions", Stage::Response).await;
    let first = {
        let stripe = stripe.clone();
        tokio::spawn(async move { create_session(&stripe, &day_passes("order-21"), Some("same-key")).await })
    };
    in_progress.wait_for(1).await;
    let second = create_session(&stripe, &day_passes("order-21"), Some("same-key")).await;
    assert_eq!((second.status.as_u16(), second.error("code")), (409, Some("idempotency_key_in_use")));
    in_progress.release_all().await;
    let first = first.await.unwrap();
    assert_eq!(first.status, 200);
    let third = create_session(&stripe, &day_passes("order-21"), Some("same-key")).await;
    assert_eq!(third.body["id"], first.body["id"]);

    stripe.fault("POST", "/v1/checkout/sessions", 1, Fault::Status(500)).await;
    let failed = create_session(&stripe, &day_passes("order-22"), Some("order-22")).await;
    assert_eq!((failed.status.as_u16(), failed.error("type")), (500, Some("api_error")));
    let retried = create_session(&stripe, &day_passes("order-22"), Some("order-22")).await;
    assert_eq!((retried.status.as_u16(), retried.header("idempotent-replayed")), (200, None), "the fault came first: nothing stored");

    // Done, but the answer is lost: the retry with the same key replays it.
    stripe.fault_at("POST", "/v1/checkout/sessions", 1, Fault::Drop, Stage::Response).await;
    let params: Vec<(&str, String)> = day_passes("order-23");
    let form: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dropped = reqwest::Client::new()
        .post(format!("{}/v1/checkout/sessions", stripe.api_base))
        .bearer_auth(&stripe.secret_key)
        .header("idempotency-key", "order-23")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.iter().map(|(k, v)| format!("{}={}", common::form_value(k), common::form_value(v))).collect::<Vec<_>>().join("&"))
        .send()
        .await;
    assert!(dropped.is_err(), "the connection was dropped: {dropped:?}");
    let retried = create_session(&stripe, &day_passes("order-23"), Some("order-23")).await;
    assert_eq!((retried.status.as_u16(), retried.header("idempotent-replayed")), (200, Some("true")));
    let log = stripe.requests_to("POST", "/v1/checkout/sessions").await;
    let last_two: Vec<_> = log[log.len() - 2..].iter().map(|r| (r.dropped, r.replayed, r.status)).collect();
    assert_eq!(last_two, [(true, false, None), (false, true, Some(200))]);
    let sessions = stripe.get("/v1/checkout/sessions?limit=100").await.body;
    let mut orders: Vec<_> = sessions["data"].as_array().unwrap().iter().map(|s| s["client_reference_id"].as_str().unwrap()).collect();
    orders.sort();
    assert_eq!(orders, ["order-20", "order-21", "order-22", "order-23"], "one session per order");
}

/// A webhook endpoint that checks Stripe-Signature as the app must: answers
/// 200 when it verifies, 400 otherwise, and keeps what it received.
struct Sink {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

#[derive(Clone)]
struct Received {
    body: Vec<u8>,
    verdict: Result<(), &'static str>,
}

impl Sink {
    async fn start(secret: &str) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = (secret.to_owned(), received.clone());
        let router = axum::Router::new().route("/stripe/webhook", axum::routing::post(receive)).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/stripe/webhook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn receive(
    State((secret, received)): State<(String, Arc<Mutex<Vec<Received>>>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap();
    let verdict = verify_signature(header, &body, &secret, now);
    received.lock().unwrap().push(Received { body: body.to_vec(), verdict });
    if verdict.is_ok() { StatusCode::OK } else { StatusCode::BAD_REQUEST }
}

/// Stripe's scheme: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
/// within five minutes of now.
fn verify_signature(header: &str, body: &[u8], secret: &str, now: i64) -> Result<(), &'static str> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or("no timestamp")?;
    if (now - timestamp).abs() > 300 {
        return Err("timestamp out of tolerance");
    }
    let matches = |hex: &&str| {
        let Some(bytes) = decode_hex(hex) else { return false };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(&bytes).is_ok()
    };
    if signatures.iter().any(matches) { Ok(()) } else { Err("signature mismatch") }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    hex.len().is_multiple_of(2).then_some(())?;
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}
