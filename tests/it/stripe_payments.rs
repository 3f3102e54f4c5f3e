//! Stripe Checkout against the local Stripe fake (tests/fakes/stripe_fake.py,
//! on localstripe): the real client, the real webhook endpoint with signed
//! events, and every order in which the three doors (return, webhook,
//! sweep) can arrive. Each test has its own Stripe account on the fake.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use checkout_portal::server::services::payments::{Door, Fulfilment, SESSION_TTL};
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM, VISA_DECLINED, VISA_OK};
use common::stripe_fake::{Delivery, FakeAccount, Tamper};
use common::{Backend, TestApp, TestDb, START};
use hmac::Mac;

on_both_backends!(
    return_then_webhook_issue_one_invoice,
    webhook_then_return_issue_one_invoice,
    the_webhook_alone_fulfils_and_the_link_waits_for_the_browser,
    the_return_alone_fulfils,
    the_sweep_alone_fulfils_when_no_webhook_came,
    concurrent_duplicate_events_on_two_instances_issue_one_invoice,
    tampered_stale_or_unsigned_webhooks_are_refused_and_change_nothing,
    an_amount_that_differs_from_the_attempt_issues_no_invoice_and_is_refunded,
    a_currency_that_differs_from_the_attempt_issues_no_invoice_and_is_refunded,
    a_decline_or_an_expiry_keeps_the_basket_payable,
    stripe_out_of_reach_keeps_the_basket_payable_with_a_clear_message,
    a_payment_made_while_the_database_was_down_is_fulfilled_later_and_once,
    two_paid_sessions_give_one_invoice_and_one_refund,
    a_double_submit_or_an_edit_never_leaves_two_sessions_open,
    a_delayed_payment_is_confirmed_or_released_later,
);

const INVOICES: &str = "SELECT COUNT(*) FROM invoices";
const RECEIPTS: &str = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Your receipt%'";

/// An app paid through Stripe (the fake), listening for its webhooks.
pub(crate) struct StripeShop {
    pub(crate) app: Arc<TestApp>,
    pub(crate) stripe: FakeAccount,
}

impl StripeShop {
    pub(crate) async fn new(backend: Backend) -> Self {
        Self::on(TestDb::create(backend).await, &[]).await
    }

    async fn on(db: TestDb, extra: &[(&str, &str)]) -> Self {
        let stripe = FakeAccount::new();
        // The account's clock agrees with the app's (webhook timestamps, expiries).
        stripe.set_time(START.millis() / 1000).await;
        let mut vars = vec![
            ("PAYMENT_PROVIDER", "stripe"),
            ("STRIPE_SECRET_KEY", stripe.secret_key.as_str()),
            ("STRIPE_WEBHOOK_SECRET", stripe.webhook_secret.as_str()),
            ("STRIPE_API_BASE", stripe.api_base.as_str()),
        ];
        vars.extend_from_slice(extra);
        let app = Arc::new(TestApp::on(db, &vars).await);
        let base = app.listen().await;
        stripe.register_webhook(&format!("{base}/webhooks/stripe"), Delivery::Queued).await;
        Self { app, stripe }
    }

    async fn shopper(&self) -> Shopper<'_> {
        let mut shopper = Shopper::new(&self.app);
        shopper.add(DAY_PASS, 2).await;
        assert_eq!(shopper.details().await.status, StatusCode::OK);
        shopper
    }

    /// Starts a payment and pays on Stripe's hosted page; returns the
    /// session id and the success URL the page sends the browser to.
    async fn pay_at_stripe(&self, shopper: &mut Shopper<'_>) -> (String, String) {
        let attempt = shopper.attempt().await;
        let started = shopper.start_payment(&attempt).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.text());
        let page = shopper.hosted_page(&attempt).await;
        assert!(page.starts_with(&format!("{}/c/pay/cs_test_", self.stripe.api_base)), "{page}");
        let paid = self.stripe.submit_hosted_page(&page, VISA_OK, "12/34", "123").await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
        let back = paid.location.expect("the success URL");
        (session_of(&back), back)
    }

    /// Delivers the session's queued events in order; the app's statuses.
    async fn deliver(&self, session: &str, tamper: Tamper) -> Vec<u16> {
        let mut statuses = Vec::new();
        for event in self.stripe.events_for_session(session).await {
            statuses.push(self.stripe.deliver(&event.id, tamper).await.status.unwrap_or(0));
        }
        statuses
    }

    async fn count(&self, sql: &str) -> i64 {
        self.app.count(sql).await
    }

    async fn advance(&self, by: Duration) {
        self.app.advance(by);
        self.stripe.advance(by).await;
    }
}

fn session_of(url: &str) -> String {
    url.split("session_id=").nth(1).expect("a session id").to_owned()
}

async fn return_then_webhook_issue_one_invoice(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    let complete = shopper.come_back(&back).await.header("location").to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId=1&"), "{complete}");
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE fulfilled_by = 'return'").await, 1);
}

async fn webhook_then_return_issue_one_invoice(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    // The browser comes back after the webhook: the same invoice, with its completion link.
    let complete = shopper.come_back(&back).await.header("location").to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId=1&basketSession="), "{complete}");
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE fulfilled_by = 'webhook'").await, 1);
    // The card as Stripe reports it.
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE card_brand = 'Visa' AND card_last4 = '4242'").await, 1);
}

async fn the_webhook_alone_fulfils_and_the_link_waits_for_the_browser(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, _) = shop.pay_at_stripe(&mut shopper).await;
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    // A redelivery (Stripe retries until it gets a 2xx, and may send twice) changes nothing.
    let event = shop.stripe.events_for_session(&session).await.remove(0);
    assert_eq!(shop.stripe.deliver(&event.id, Tamper::None).await.status, Some(200));
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    // The completion secret waits for the paying browser; the receipt carries it too.
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE completion_pickup IS NOT NULL").await, 1);
    let receipt = shop.app.mailbox().await.into_iter().find(|mail| mail.subject.starts_with("Your receipt")).expect("a receipt");
    assert!(receipt.text.contains("/checkout/complete?invoiceId=1&basketSession="), "{}", receipt.text);
}

async fn the_return_alone_fulfils(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (_, back) = shop.pay_at_stripe(&mut shopper).await;
    let complete = shopper.come_back(&back).await.header("location").to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId=1&"), "{complete}");
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    // The session was read back from Stripe, with its charge, not taken from the URL.
    let reads = shop.stripe.requests().await.into_iter().filter(|r| r.method == "GET" && r.path.starts_with("/v1/checkout/sessions/")).count();
    assert!(reads >= 1);
}

async fn the_sweep_alone_fulfils_when_no_webhook_came(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (_, back) = shop.pay_at_stripe(&mut shopper).await;
    assert_eq!(shop.app.state.payments.sweep().await.unwrap(), 0, "not before the session's expiry");
    shop.advance(SESSION_TTL + Duration::from_secs(60)).await;
    assert_eq!(shop.app.state.payments.sweep().await.unwrap(), 1);
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE fulfilled_by = 'sweep'").await, 1);
    let complete = shopper.come_back(&back).await.header("location").to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId=1&"), "{complete}");
}

async fn concurrent_duplicate_events_on_two_instances_issue_one_invoice(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let twin = Arc::new(shop.app.twin().await);
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    let event = shop.stripe.events_for_session(&session).await.remove(0);
    let stripe = Arc::new(clone_account(&shop.stripe));
    let deliveries = (0..3).map(|_| {
        let (stripe, event) = (stripe.clone(), event.id.clone());
        tokio::spawn(async move { stripe.deliver(&event, Tamper::None).await.status })
    });
    // Meanwhile the browser comes back through the other instance, and its sweep runs.
    let cookie = shopper.cookie.clone();
    let on_twin = {
        let (twin, back) = (twin.clone(), back.clone());
        tokio::spawn(async move {
            let mut browser = Shopper { app: &twin, cookie };
            browser.come_back(&back).await.header("location").to_owned()
        })
    };
    let by_door = twin.state.payments.fulfil(&session, Door::Sweep).await;
    let mut statuses = Vec::new();
    for delivery in deliveries {
        statuses.push(delivery.await.unwrap());
    }
    let location = on_twin.await.unwrap();
    assert!(statuses.iter().all(|status| *status == Some(200)), "{statuses:?}");
    assert!(matches!(by_door, Ok(Fulfilment::Paid(_))), "{by_door:?}");
    assert!(location.starts_with("/checkout/complete?invoiceId=1&"), "{location}");
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
}

/// The same account on the fake (its keys), for a task of its own.
fn clone_account(account: &FakeAccount) -> FakeAccount {
    let mut copy = FakeAccount::new();
    copy.secret_key = account.secret_key.clone();
    copy.webhook_secret = account.webhook_secret.clone();
    copy
}

async fn tampered_stale_or_unsigned_webhooks_are_refused_and_change_nothing(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, _) = shop.pay_at_stripe(&mut shopper).await;
    for tamper in [Tamper::Body, Tamper::Signature, Tamper::Stale] {
        assert_eq!(shop.deliver(&session, tamper).await, [400], "{tamper:?}");
    }
    let unsigned = shop
        .app
        .send(
            axum::http::Request::post("/webhooks/stripe")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"type":"checkout.session.completed","data":{"object":{"id":"x"}}}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::BAD_REQUEST);
    assert_eq!(shop.count(INVOICES).await, 0);
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'processing'").await, 1);

    // Well signed, but not ours to act on: a 2xx, so Stripe stops sending it.
    let now = START.millis() / 1000;
    for body in [
        r#"{"id":"evt_1","object":"event","type":"payment_intent.created","data":{"object":{"id":"pi_1","object":"payment_intent"}}}"#,
        r#"{"id":"evt_2","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_someone_else","object":"checkout.session"}}}"#,
    ] {
        let reply = shop.app.send(signed(body, &shop.stripe.webhook_secret, now)).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}");
    }
    assert_eq!(shop.count(INVOICES).await, 0);

    // The genuine delivery still works.
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!(shop.count(INVOICES).await, 1);
}

/// A webhook request signed as Stripe signs it.
pub(crate) fn signed(body: &str, secret: &str, timestamp: i64) -> axum::http::Request<axum::body::Body> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let signature: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    axum::http::Request::post("/webhooks/stripe")
        .header("content-type", "application/json")
        .header("stripe-signature", format!("t={timestamp},v1={signature}"))
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

async fn an_amount_that_differs_from_the_attempt_issues_no_invoice_and_is_refunded(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    // The attempt expected one cent more than Stripe collected.
    sqlx::query("UPDATE payment_attempts SET amount_minor = amount_minor + 1").execute(&shop.app.state.db.pool).await.unwrap();
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!(shop.count(INVOICES).await, 0);
    // The basket is not paid: the shopper keeps it, and may pay again.
    assert_eq!(shopper.come_back(&back).await.header("location"), "/checkout/payment?payment=refunded_unpaid");
    assert_eq!(shopper.basket().await["item_count"], 2);
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'refunded'").await, 1);
    let refunds = shop.stripe.requests_to("POST", "/v1/refunds").await;
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].idempotency_key.as_deref(), Some(format!("refund-{session}").as_str()));
    let (_, back) = shop.pay_at_stripe(&mut shopper).await;
    assert!(shopper.come_back(&back).await.header("location").starts_with("/checkout/complete?invoiceId=1&"));
}

async fn a_currency_that_differs_from_the_attempt_issues_no_invoice_and_is_refunded(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    // The attempt expected pounds; Stripe collected the same number of euro cents.
    sqlx::query("UPDATE payment_attempts SET currency = 'GBP'").execute(&shop.app.state.db.pool).await.unwrap();
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!(shop.count(INVOICES).await, 0);
    assert_eq!(shopper.come_back(&back).await.header("location"), "/checkout/payment?payment=refunded_unpaid");
    assert_eq!(shop.stripe.requests_to("POST", "/v1/refunds").await.len(), 1);
}

async fn a_decline_or_an_expiry_keeps_the_basket_payable(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    let declined = shop.stripe.submit_hosted_page(&page, VISA_DECLINED, "12/34", "123").await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
    let session = page.rsplit('/').next().unwrap().to_owned();
    // Stripe expires the session; its event releases the basket.
    shop.stripe.expire(&session).await;
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'expired'").await, 1);
    let back = shopper.come_back(&format!("/checkout/return?session_id={session}")).await;
    assert_eq!(back.header("location"), "/checkout/payment?payment=not_completed");
    assert_eq!(shopper.basket().await["item_count"], 2);
    // And it can be paid.
    let (_, back) = shop.pay_at_stripe(&mut shopper).await;
    assert!(shopper.come_back(&back).await.header("location").starts_with("/checkout/complete?"));
    assert_eq!(shop.count(INVOICES).await, 1);
}

async fn stripe_out_of_reach_keeps_the_basket_payable_with_a_clear_message(backend: Backend) {
    let closed = format!("http://127.0.0.1:{}", common::free_port());
    let stripe = FakeAccount::new();
    let app = TestApp::with_env(
        backend,
        &[
            ("PAYMENT_PROVIDER", "stripe"),
            ("STRIPE_SECRET_KEY", &stripe.secret_key),
            ("STRIPE_WEBHOOK_SECRET", &stripe.webhook_secret),
            ("STRIPE_API_BASE", &closed),
        ],
    )
    .await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    let attempt = shopper.attempt().await;
    let refused = shopper.start_payment(&attempt).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json(), serde_json::json!({ "Rejected": "payment_unavailable" }));
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'failed'").await, 1);
    assert_eq!(shopper.basket().await["item_count"], 1);

    // Stripe answering 500 to the create is the same to the shopper.
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    shop.stripe.fault("POST", "/v1/checkout/sessions", 1, common::stripe_fake::Fault::Status(500)).await;
    let attempt = shopper.attempt().await;
    let refused = shopper.start_payment(&attempt).await;
    assert_eq!(refused.json(), serde_json::json!({ "Rejected": "payment_unavailable" }));
    let (_, back) = shop.pay_at_stripe(&mut shopper).await;
    assert!(shopper.come_back(&back).await.header("location").starts_with("/checkout/complete?"));
}

async fn a_payment_made_while_the_database_was_down_is_fulfilled_later_and_once(backend: Backend) {
    let (db, mut outage) = crate::faults::Outage::prepare(backend).await;
    let shop = StripeShop::on(db, &[("DB_ACQUIRE_TIMEOUT", "1s"), ("SQLITE_BUSY_TIMEOUT", "500ms")]).await;
    let mut shopper = shop.shopper().await;
    let (session, back) = shop.pay_at_stripe(&mut shopper).await;
    outage.begin().await;
    // The webhook gets a 5xx, so Stripe will deliver it again; the browser waits.
    let statuses = shop.deliver(&session, Tamper::None).await;
    assert!(statuses.iter().all(|status| *status >= 500), "{statuses:?}");
    let waiting = shopper.come_back(&back).await;
    assert_eq!(waiting.header("location"), format!("/checkout/processing?session_id={session}"));
    outage.end().await;
    assert_eq!(shop.count(INVOICES).await, 0);
    // Stripe's retry fulfils it.
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    let complete = shopper.come_back(&back).await.header("location").to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId=1&"), "{complete}");
    // No second charge was ever possible: one session was made.
    assert_eq!(shop.stripe.requests_to("POST", "/v1/checkout/sessions").await.len(), 1);
}

async fn two_paid_sessions_give_one_invoice_and_one_refund(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let first_page = shopper.hosted_page(&attempt).await;
    let first = first_page.rsplit('/').next().unwrap().to_owned();
    // However it came about (the app lost track of the first session), the
    // basket gets a second session and is paid through it...
    sqlx::query("UPDATE payment_attempts SET status = 'expired'").execute(&shop.app.state.db.pool).await.unwrap();
    let (second, back) = shop.pay_at_stripe(&mut shopper).await;
    assert!(shopper.come_back(&back).await.header("location").starts_with("/checkout/complete?invoiceId=1&"));
    // ...and then the first one is paid too.
    let late = shop.stripe.submit_hosted_page(&first_page, VISA_OK, "12/34", "123").await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    assert_eq!(shop.deliver(&first, Tamper::None).await, [200]);
    assert_eq!(shop.deliver(&first, Tamper::None).await, [200], "a redelivery");
    assert_eq!(shop.deliver(&second, Tamper::None).await, [200]);
    assert_eq!((shop.count(INVOICES).await, shop.count(RECEIPTS).await), (1, 1));
    let refunds = shop.stripe.requests_to("POST", "/v1/refunds").await;
    assert_eq!(refunds.len(), 1, "refunded once");
    assert_eq!(refunds[0].idempotency_key.as_deref(), Some(format!("refund-{first}").as_str()));
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'refunded' AND refund_reference LIKE 're_%'").await, 1);
}

async fn a_double_submit_or_an_edit_never_leaves_two_sessions_open(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    let mut shopper = shop.shopper().await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let creates = shop.stripe.requests_to("POST", "/v1/checkout/sessions").await;
    assert_eq!(creates.len(), 1, "one form, one session");
    assert_eq!(creates[0].idempotency_key.as_deref(), Some(attempt.as_str()));
    let page = shopper.hosted_page(&attempt).await;
    let session = page.rsplit('/').next().unwrap().to_owned();
    // Changing the basket expires the open session at Stripe first.
    assert_eq!(shopper.add(MEETING_ROOM, 1).await.status, StatusCode::OK);
    assert_eq!(shop.stripe.session(&session).await["status"], "expired");
    // A second tab's form expires the one before it.
    let first_tab = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&first_tab).await.status, StatusCode::OK);
    let first_session = shopper.hosted_page(&first_tab).await.rsplit('/').next().unwrap().to_owned();
    let second_tab = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&second_tab).await.status, StatusCode::OK);
    assert_eq!(shop.stripe.session(&first_session).await["status"], "expired");
    assert_eq!(shop.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'processing'").await, 1);
}

async fn a_delayed_payment_is_confirmed_or_released_later(backend: Backend) {
    let shop = StripeShop::new(backend).await;
    for succeeds in [true, false] {
        let mut shopper = shop.shopper().await;
        let attempt = shopper.attempt().await;
        assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
        let session = shopper.hosted_page(&attempt).await.rsplit('/').next().unwrap().to_owned();
        shop.stripe.complete_unpaid(&session).await;
        assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
        let back = format!("http://127.0.0.1:3000/checkout/return?session_id={session}");
        let waiting = shopper.come_back(&back).await;
        assert_eq!(waiting.header("location"), format!("/checkout/processing?session_id={session}"));
        // The waiting page asks again by itself, without JavaScript.
        let page = shopper.come_back(waiting.header("location")).await;
        assert_eq!(page.header("refresh"), format!("3; url=/checkout/return?session_id={session}"));
        let invoices_before = shop.count(INVOICES).await;
        shop.stripe.settle_async_payment(&session, succeeds).await;
        let statuses = shop.deliver(&session, Tamper::None).await;
        assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
        let after = shopper.come_back(&back).await.header("location").to_owned();
        if succeeds {
            assert_eq!(shop.count(INVOICES).await, invoices_before + 1);
            assert!(after.starts_with("/checkout/complete?"), "{after}");
        } else {
            assert_eq!(shop.count(INVOICES).await, invoices_before);
            assert_eq!(after, "/checkout/payment?payment=not_completed");
            assert_eq!(shopper.basket().await["item_count"], 2);
        }
    }
}

/// `/metrics` counts payments by outcome and door, and webhook deliveries by outcome.
#[tokio::test]
async fn payments_and_webhook_deliveries_are_counted() {
    let shop = StripeShop::new(Backend::Sqlite).await;
    let scrape = || async { shop.app.call(axum::http::Method::GET, "/metrics").await.text() };
    let sample = |text: &str, series: &str| -> f64 {
        text.lines()
            .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0.0)
    };
    let series = [
        r#"payments_total{outcome="started",door="none"}"#,
        r#"payments_total{outcome="fulfilled",door="webhook"}"#,
        r#"webhook_deliveries_total{outcome="processed"}"#,
        r#"webhook_deliveries_total{outcome="bad_signature"}"#,
    ];
    // The recorder is shared by every app in this process: compare before and after.
    let before = scrape().await;
    let mut shopper = shop.shopper().await;
    let (session, _) = shop.pay_at_stripe(&mut shopper).await;
    assert_eq!(shop.deliver(&session, Tamper::Stale).await, [400]);
    assert_eq!(shop.deliver(&session, Tamper::None).await, [200]);
    let after = scrape().await;
    for series in series {
        assert!(sample(&after, series) >= sample(&before, series) + 1.0, "{series} did not move:\n{after}");
    }
}
