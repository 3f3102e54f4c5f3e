//! Adversarial review of the hosted-payment code (services::payments and its
//! doors). Every test here states what the payment code promises and fails
//! while the problem it names is there. The test provider is used where the
//! provider does not matter; the Stripe fake where only its holds make the
//! race deterministic.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use checkout_portal::domain::Currency;
use checkout_portal::server::services::payments::{Door, Fulfilment, SESSION_TTL};
use checkout_portal::server::config::Config;
use checkout_portal::server::startup::build_state;
use common::shopper::{Shopper, DAY_PASS, VISA_OK};
use common::stripe_fake::{Delivery, FakeAccount};
use common::{Backend, TestApp, TestDb, START};

on_both_backends!(
    a_planted_basket_cookie_cannot_collect_the_completion_link_through_pay,
    refunds_that_keep_failing_do_not_starve_the_sweep,
    with_the_test_provider_a_second_instance_never_drops_a_paid_session,
    a_nul_in_the_attempt_key_is_not_a_server_error,
    details_saved_while_pay_closes_the_old_session_are_the_ones_invoiced,
    the_invoice_is_in_the_currency_that_was_charged,
);

const INVOICES: &str = "SELECT COUNT(*) FROM invoices";

async fn ready(app: &TestApp) -> Shopper<'_> {
    let mut shopper = Shopper::new(app);
    shopper.add(DAY_PASS, 2).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    shopper
}

/// Starts a payment and pays on the test provider's page; the success URL,
/// not followed.
async fn paid_on_page(shopper: &mut Shopper<'_>) -> String {
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    paid.header("location").to_owned()
}

fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?.1.split('&').filter_map(|pair| pair.split_once('=')).find(|(key, _)| *key == name).map(|(_, value)| value)
}

/// Promise 5: the pre-payment basket cookie, possibly planted in the
/// victim's browser by an attacker, opens nothing once the payment is made.
///
/// The victim pays on the hosted page. Before any door has fulfilled the
/// payment (the browser is still on its way back, the webhook not yet in),
/// the attacker, holding the same basket cookie, posts the payment form with
/// a fresh attempt key. `start` finds the open session, `close` sees it paid,
/// fulfils it (door "basket") and answers `AlreadyPaid` with the session's
/// return URL: the attacker now knows the session id, and the return page
/// recognises the planted cookie as the attempt's owner. It hands over the
/// completion secret, which registers the victim's invoice.
async fn a_planted_basket_cookie_cannot_collect_the_completion_link_through_pay(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut victim = ready(&app).await;
    // The attacker planted this cookie in the victim's browser (or reads it
    // on a shared computer) before the victim filled the basket.
    let mut attacker = Shopper { app: &app, cookie: victim.cookie.clone() };
    let back = paid_on_page(&mut victim).await;
    assert_eq!(app.count(INVOICES).await, 0, "paid at the provider, not fulfilled yet");

    let form = attacker.attempt().await;
    let pay = attacker.start_payment(&form).await;
    let revealed = pay.header("location").to_owned();
    let stolen = attacker.come_back(&revealed).await.header("location").to_owned();
    let registered = match (query_param(&stolen, "invoiceId"), query_param(&stolen, "basketSession")) {
        (Some(invoice), Some(secret)) => Some(app.register(invoice, secret).await.status),
        _ => None,
    };
    let victim_gets = victim.come_back(&back).await.header("location").to_owned();
    assert!(
        !stolen.starts_with("/checkout/complete?"),
        "the planted cookie's `pay` answered {revealed:?}, and its return collected the completion link {stolen:?} \
         (registerByToken with it: {registered:?}); the paying browser then got {victim_gets:?}"
    );
    assert!(victim_gets.starts_with("/checkout/complete?"), "{victim_gets}");
}

/// Promise 1 (the sweep door): a paid session that neither the browser nor a
/// webhook settled is fulfilled by the sweep. The sweep reads
/// `unsettled(…, 100) ORDER BY id`: attempts that stay unsettled for good
/// (a refund Stripe keeps refusing, say a charge refunded by hand in the
/// Dashboard or disputed; a refund with no payment reference, "refund it by
/// hand"; delayed payments pending for days) fill every page, and nothing
/// after them is ever looked at again.
async fn refunds_that_keep_failing_do_not_starve_the_sweep(backend: Backend) {
    let app = TestApp::new(backend).await;
    let _other = ready(&app).await;
    let basket: i64 = sqlx::query_scalar("SELECT MIN(id) FROM basket_sessions").fetch_one(&app.state.db.pool).await.unwrap();
    // A hundred refunds due whose payment the provider does not (or no
    // longer) accepts a refund for: every sweep tries them again and fails.
    for n in 0..100 {
        let sql = format!(
            "INSERT INTO payment_attempts (basket_session_id, idempotency_key, provider, amount_minor, currency, status,
                 gateway_reference, payment_reference, expires_at, created_at, updated_at)
             VALUES ({basket}, 'stuck-refund-{n}', 'test', 6050, 'EUR', 'refund_due', 'cs_test_stuck{n}', 'pi_test_gone{n}',
                 {expires}, {now}, {now})",
            expires = START.millis() + 3_600_000,
            now = START.millis(),
        );
        sqlx::query(&sql).execute(&app.state.db.pool).await.unwrap();
    }
    // A shopper pays and never comes back; no webhook with the test provider.
    let mut shopper = ready(&app).await;
    paid_on_page(&mut shopper).await;
    app.advance(SESSION_TTL + Duration::from_secs(60));
    let mut looked_at = Vec::new();
    for _ in 0..3 {
        looked_at.push(app.state.payments.sweep().await.unwrap());
    }
    assert_eq!(
        app.count(INVOICES).await,
        1,
        "three sweeps (each looked at {looked_at:?}) never reached the paid session behind 100 refunds that keep failing"
    );
}

/// Promise 1 across two instances (`TestApp::twin`), with the built-in test
/// provider: its sessions live in one instance's memory, and any other
/// instance reads "no such session" as "expired" and releases the attempt.
/// The shopper who paid, coming back through the other instance, is told
/// the payment did not complete and can pay again; the first payment is then
/// neither invoiced nor refunded (the sweep only looks at open attempts).
async fn with_the_test_provider_a_second_instance_never_drops_a_paid_session(backend: Backend) {
    let app = TestApp::new(backend).await;
    let twin = app.twin().await;
    let mut shopper = ready(&app).await;
    let back = paid_on_page(&mut shopper).await;
    // Behind a load balancer the return lands on the other instance.
    let mut through_twin = Shopper { app: &twin, cookie: shopper.cookie.clone() };
    let location = through_twin.come_back(&back).await.header("location").to_owned();
    let status: String =
        sqlx::query_scalar("SELECT status FROM payment_attempts").fetch_one(&app.state.db.pool).await.unwrap();
    // Whichever instance sweeps after the session's expiry.
    app.advance(SESSION_TTL + Duration::from_secs(60));
    twin.state.payments.sweep().await.unwrap();
    app.state.payments.sweep().await.unwrap();
    assert_eq!(
        app.count(INVOICES).await,
        1,
        "a paid session came back through the other instance: it answered {location:?} and set the attempt {status:?}; \
         no door ever invoices it"
    );
}

/// Promise 6: bad input never gives a 5xx. `hosted_payment_page` (the
/// hand-off page's server function) looks the attempt key up without the
/// checks `pay` makes; PostgreSQL refuses a NUL in text, and the error
/// comes back as "the database is unavailable" (503), logged as an outage.
async fn a_nul_in_the_attempt_key_is_not_a_server_error(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    for attempt in ["%00", "abc%00def", "x%C0"] {
        let reply = shopper.call("handoff", &format!("attempt={attempt}")).await;
        assert!(reply.status.is_client_error(), "server fn, attempt={attempt}: {} {}", reply.status, reply.text());
        let page = app.call(axum::http::Method::GET, &format!("/checkout/handoff?attempt={attempt}")).await;
        assert!(!page.status.is_server_error(), "page, attempt={attempt}: {}", page.status);
    }
}

/// An app paid through the Stripe fake, listening for its webhooks.
async fn stripe_shop(backend: Backend) -> (Arc<TestApp>, FakeAccount) {
    let stripe = FakeAccount::new();
    stripe.set_time(START.millis() / 1000).await;
    let vars = [
        ("PAYMENT_PROVIDER", "stripe"),
        ("STRIPE_SECRET_KEY", stripe.secret_key.as_str()),
        ("STRIPE_WEBHOOK_SECRET", stripe.webhook_secret.as_str()),
        ("STRIPE_API_BASE", stripe.api_base.as_str()),
    ];
    let app = Arc::new(TestApp::on(TestDb::create(backend).await, &vars).await);
    let base = app.listen().await;
    stripe.register_webhook(&format!("{base}/webhooks/stripe"), Delivery::Queued).await;
    (app, stripe)
}

const CORRECTED: &str =
    "name=Sam+Shopper&email=sam.corrected%40example.com&address=Damrak+1&city=Amsterdam&postcode=1012+LG&country=NL";

/// "Under the basket's lock, so no edit slips in between": `start` reads
/// the basket's details before it closes the open session (a call to
/// Stripe), and snapshots those, not what the basket holds when it takes the
/// lock. A shopper who corrects a mistyped email in one tab while paying in
/// another gets the OK for the correction, yet the session, the invoice and
/// the receipt (with the completion link) go to the old address.
async fn details_saved_while_pay_closes_the_old_session_are_the_ones_invoiced(backend: Backend) {
    let (app, stripe) = stripe_shop(backend).await;
    let mut shopper = ready(&app).await;
    // An open session from an earlier render of the payment page.
    let first = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&first).await.status, StatusCode::OK);
    let hold = stripe.hold("POST", "/v1/checkout/sessions/cs_").await;
    // Tab 1 saves corrected details: it first expires the open session (held).
    let edit = {
        let (app, cookie) = (app.clone(), shopper.cookie.clone());
        tokio::spawn(async move { Shopper { app: &app, cookie }.call("details", CORRECTED).await.status })
    };
    hold.wait_for(1).await;
    // Tab 2 pays with a fresh form: it reads the details, then expires the open session too (held).
    let second = shopper.attempt().await;
    let pay = {
        let (app, cookie, second) = (app.clone(), shopper.cookie.clone(), second.clone());
        tokio::spawn(async move { Shopper { app: &app, cookie }.start_payment(&second).await.status })
    };
    hold.wait_for(2).await;
    // The correction goes through first...
    hold.release(1).await;
    assert_eq!(edit.await.unwrap(), StatusCode::OK, "the correction was saved");
    // ...then the payment.
    hold.release_all().await;
    assert_eq!(pay.await.unwrap(), StatusCode::OK);
    let page = shopper.hosted_page(&second).await;
    let paid = stripe.submit_hosted_page(&page, VISA_OK, "12/34", "123").await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    shopper.come_back(paid.location.as_deref().unwrap()).await;
    let saved: String = sqlx::query_scalar("SELECT guest_email FROM basket_sessions").fetch_one(&app.state.db.pool).await.unwrap();
    let invoiced: String = sqlx::query_scalar("SELECT bill_to_email FROM invoices").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(saved, "sam.corrected@example.com");
    assert_eq!(invoiced, saved, "the invoice (and its receipt with the completion link) went to the details before the correction");
}

/// Fulfilment issues the invoice in the instance's configured currency, not
/// in the attempt's, which is what the session charged and what `settle`
/// checked the provider's currency against. An instance started with
/// another SELLER_CURRENCY (a deploy that changes it while sessions are
/// open, or a rolling deploy with two configurations) invoices EUR cents as
/// dollars.
async fn the_invoice_is_in_the_currency_that_was_charged(backend: Backend) {
    let (app, stripe) = stripe_shop(backend).await;
    let mut shopper = ready(&app).await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    let paid = stripe.submit_hosted_page(&page, VISA_OK, "12/34", "123").await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    let session = query_param(paid.location.as_deref().unwrap(), "session_id").unwrap().to_owned();
    // The webhook lands on an instance configured in dollars.
    let mut config = app.config.clone();
    config.seller.currency = Currency::Usd;
    let dollars = build_state(&config, app.state.leptos_options.clone(), app.clock.clone()).await.unwrap();
    let fulfilled = dollars.payments.fulfil(&session, Door::Webhook).await;
    assert!(matches!(fulfilled, Ok(Fulfilment::Paid(_))), "{fulfilled:?}");
    let charged: String = sqlx::query_scalar("SELECT currency FROM payment_attempts").fetch_one(&app.state.db.pool).await.unwrap();
    let invoiced: String = sqlx::query_scalar("SELECT currency FROM invoices").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(charged, "EUR");
    assert_eq!(invoiced, charged, "a session charged in EUR was invoiced in another currency");
}

/// Promise 8: the test provider (paid invoices for test cards) is refused
/// behind https unless ALLOW_TEST_PAYMENTS=1. The check is
/// `public_url.starts_with("https://")`; a URL scheme is case-insensitive,
/// so `HTTPS://…` (which browsers and mail clients follow as https) passes
/// it, and turns the cookies' `Secure` off by the same test.
#[test]
fn an_https_public_url_in_capitals_still_refuses_the_test_provider() {
    for url in ["HTTPS://billing.example.com", "Https://billing.example.com/"] {
        let config = Config::from_lookup(|name| (name == "PUBLIC_URL").then(|| url.to_owned()));
        assert!(config.is_err(), "PUBLIC_URL={url} starts the test provider: {:?}", config.map(|c| c.payments));
    }
}
