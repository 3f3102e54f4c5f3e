//! Paying on the hosted page with the built-in test provider: the return
//! and the sweep as doors to one fulfilment, who may see a payment, what
//! closes an open session, and the refund of a second payment. (The same
//! flow against Stripe, with its webhook, is in `stripe_payments.rs`.)

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use checkout_portal::server::services::payments::{Door, Fulfilment, SESSION_TTL};
use common::shopper::{on_this_app, Shopper, DAY_PASS, MEETING_ROOM, VISA_OK};
use common::{Backend, TestApp};

on_both_backends!(
    returning_from_the_hosted_page_fulfils_once,
    the_sweep_fulfils_a_payment_whose_shopper_never_came_back,
    concurrent_returns_issue_one_invoice_and_one_receipt,
    a_forged_or_foreign_session_id_reveals_and_completes_nothing,
    leaving_the_hosted_page_keeps_the_basket_payable,
    editing_the_basket_closes_its_open_session,
    a_second_payment_of_a_paid_basket_is_refunded_once,
    a_slow_provider_never_opens_a_second_session,
    every_page_says_test_mode_with_the_test_provider_only,
);

const INVOICES: &str = "SELECT COUNT(*) FROM invoices";
const RECEIPTS: &str = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Your receipt%'";

pub(crate) async fn ready(app: &TestApp) -> Shopper<'_> {
    let mut shopper = Shopper::new(app);
    shopper.add(DAY_PASS, 2).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    shopper
}

/// Starts a payment and pays on its hosted page; returns the success URL
/// the page sends the browser to, without following it.
pub(crate) async fn paid_on_page(shopper: &mut Shopper<'_>) -> String {
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    paid.header("location").to_owned()
}

fn session_of(return_url: &str) -> String {
    return_url.split("session_id=").nth(1).expect("a session id").to_owned()
}

async fn returning_from_the_hosted_page_fulfils_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let back = paid_on_page(&mut shopper).await;
    assert!(back.starts_with("/checkout/return?session_id=cs_test_"), "{back}");
    // Paid at the provider, but nothing is issued until a door asks it.
    assert_eq!(app.count(INVOICES).await, 0);
    let reply = shopper.come_back(&back).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.header("location").starts_with("/checkout/complete?invoiceId=1&basketSession="), "{}", reply.header("location"));
    assert_eq!(reply.header("cache-control"), "no-store");
    assert!(reply.header("set-cookie").starts_with("basket_session=;") && reply.header("set-cookie").contains("Max-Age=0"));
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE fulfilled_by = 'return' AND status = 'succeeded'").await, 1);
    // The completion secret left the database with the browser.
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE completion_pickup IS NOT NULL").await, 0);
    // Any later door finds the same invoice and does nothing more.
    let session = session_of(&back);
    assert!(matches!(app.state.payments.fulfil(&session, Door::Sweep).await, Ok(Fulfilment::Paid(id)) if id.get() == 1));
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
}

async fn the_sweep_fulfils_a_payment_whose_shopper_never_came_back(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let back = paid_on_page(&mut shopper).await;
    // Before the session's expiry the sweep leaves it to the other doors.
    assert_eq!(app.state.payments.sweep().await.unwrap(), 0);
    assert_eq!(app.count(INVOICES).await, 0);
    app.advance(SESSION_TTL + Duration::from_secs(60));
    assert_eq!(app.state.payments.sweep().await.unwrap(), 1);
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE fulfilled_by = 'sweep'").await, 1);
    // Nothing is left for the next sweep.
    assert_eq!(app.state.payments.sweep().await.unwrap(), 0);
    // The shopper comes back late: the same invoice, and their completion link.
    let reply = shopper.come_back(&back).await;
    assert!(reply.header("location").starts_with("/checkout/complete?invoiceId=1&"), "{}", reply.header("location"));
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
}

async fn concurrent_returns_issue_one_invoice_and_one_receipt(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let mut shopper = ready(&app).await;
    let back = paid_on_page(&mut shopper).await;
    let cookie = shopper.cookie.clone();
    let returns = (0..4).map(|_| {
        let (app, cookie, back) = (app.clone(), cookie.clone(), back.clone());
        tokio::spawn(async move {
            let mut tab = Shopper { app: &app, cookie };
            tab.come_back(&back).await.header("location").to_owned()
        })
    });
    let mut locations = Vec::new();
    for call in returns {
        locations.push(call.await.unwrap());
    }
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
    // One tab gets the completion link; the others learn it was paid (the link is in the receipt).
    let completions = locations.iter().filter(|l| l.starts_with("/checkout/complete?invoiceId=1&")).count();
    assert_eq!(completions, 1, "{locations:?}");
    assert!(locations.iter().all(|l| l.starts_with("/checkout/complete?") || l == "/checkout/payment?payment=paid"), "{locations:?}");
}

async fn a_forged_or_foreign_session_id_reveals_and_completes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let back = paid_on_page(&mut shopper).await;
    // Another browser (its own basket, or none) with this session id.
    let mut stranger = Shopper::new(&app);
    stranger.add(MEETING_ROOM, 1).await;
    for browser in [&mut stranger, &mut Shopper::new(&app)] {
        let reply = browser.come_back(&back).await;
        assert_eq!(reply.header("location"), "/checkout/payment?payment=unknown");
        assert!(!reply.text().contains("INV-"));
    }
    assert_eq!(app.count(INVOICES).await, 0, "a stranger's visit fulfils nothing");
    // Made-up and malformed ids.
    for forged in ["cs_test_doesnotexist", "cs_%3Cscript%3E", "", "pi_123", "cs_test_x%26session_id%3Dcs_test_y", &format!("cs_{}", "a".repeat(300))] {
        let reply = shopper.come_back(&format!("/checkout/return?session_id={forged}")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{forged}");
        assert_eq!(reply.header("location"), "/checkout/payment?payment=unknown", "{forged}");
    }
    assert_eq!(app.count(INVOICES).await, 0);
    // The owner still completes.
    let reply = shopper.come_back(&back).await;
    assert!(reply.header("location").starts_with("/checkout/complete?"));
}

async fn leaving_the_hosted_page_keeps_the_basket_payable(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    // "Back to the shop": the cancel URL, a payable basket with the same contents.
    let shown = app.call(axum::http::Method::GET, on_this_app(&page)).await;
    assert!(shown.text().contains("href=\"/checkout/payment?payment=cancelled\""), "{}", shown.text());
    assert_eq!(shopper.basket().await["item_count"], 2);
    // Paying again closes the abandoned session first, then makes a new one.
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert!(paid.header("location").starts_with("/checkout/complete?"), "{}", paid.header("location"));
    assert_eq!(shopper.pay_on_page(&page, VISA_OK).await.status, StatusCode::CONFLICT, "the abandoned page takes no money");
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'expired'").await, 1);
    assert_eq!(app.count(INVOICES).await, 1);

    // An abandoned session that simply runs out: the sweep releases the basket.
    let mut other = ready(&app).await;
    let attempt = other.attempt().await;
    assert_eq!(other.start_payment(&attempt).await.status, StatusCode::OK);
    app.advance(SESSION_TTL + Duration::from_secs(60));
    assert_eq!(app.state.payments.sweep().await.unwrap(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'expired'").await, 2);
    assert!(other.pay_fresh(VISA_OK).await.header("location").starts_with("/checkout/complete?"));
}

async fn editing_the_basket_closes_its_open_session(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    // The shopper adds a meeting room in another tab while the payment page is open.
    assert_eq!(shopper.add(MEETING_ROOM, 1).await.status, StatusCode::OK);
    assert_eq!(shopper.pay_on_page(&page, VISA_OK).await.status, StatusCode::CONFLICT, "the old total can no longer be paid");
    assert_eq!(shopper.call("handoff", &format!("attempt={attempt}")).await.status, StatusCode::BAD_REQUEST);
    // The new payment charges the new total: 2 × 25.00 + 30.00, plus 21 %.
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert!(paid.header("location").starts_with("/checkout/complete?"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE total_minor = 9680").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE amount_minor = 9680 AND status = 'succeeded'").await, 1);
}

async fn a_second_payment_of_a_paid_basket_is_refunded_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready(&app).await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let first_page = shopper.hosted_page(&attempt).await;
    // However it happened (the app lost track of this session, the provider
    // took a late payment), the basket is paid through another session...
    sqlx::query("UPDATE payment_attempts SET status = 'expired'").execute(&app.state.db.pool).await.unwrap();
    let cookie = shopper.cookie.clone();
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert!(paid.header("location").starts_with("/checkout/complete?invoiceId=1&"));
    // ...and then the first session is paid too.
    let mut first_tab = Shopper { app: &app, cookie };
    let late = first_tab.pay_on_page(&first_page, VISA_OK).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    let back = first_tab.come_back(late.header("location")).await;
    assert_eq!(back.header("location"), "/checkout/payment?payment=refunded");
    assert_eq!((app.count(INVOICES).await, app.count(RECEIPTS).await), (1, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'refunded' AND refund_reference LIKE 're_test_%'").await, 1);
    // Every door after that sees the refund and refunds nothing more.
    let session = session_of(late.header("location"));
    assert_eq!(app.state.payments.fulfil(&session, Door::Webhook).await, Ok(Fulfilment::Refunded));
    assert_eq!(app.state.payments.sweep().await.unwrap(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'refunded'").await, 1);
}

async fn a_slow_provider_never_opens_a_second_session(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let provider = app.state.test_payments.clone().unwrap();
    let mut shopper = ready(&app).await;
    let mut held = provider.hold_creates().await;
    // The provider does not answer, and the request is cut off while it
    // waits (as the request timeout does: the handler's future is dropped).
    let attempt = shopper.attempt().await;
    let cut_off = {
        let (app, cookie, attempt) = (app.clone(), shopper.cookie.clone(), attempt.clone());
        tokio::spawn(async move { Shopper { app: &app, cookie }.start_payment(&attempt).await })
    };
    held.until_one_waits().await;
    cut_off.abort();
    assert!(cut_off.await.is_err_and(|error| error.is_cancelled()));
    // The claim outlives the request: another form cannot open a second session...
    let again = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json(), serde_json::json!({ "Rejected": "payment_in_another_tab" }));
    drop(held);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'processing'").await, 1);
    // ...until the cut-off attempt is known to be abandoned: its shopper never saw a page.
    app.advance(Duration::from_secs(3 * 60));
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert!(paid.header("location").starts_with("/checkout/complete?"), "{}", paid.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'failed'").await, 1);
    assert_eq!(app.count(INVOICES).await, 1);
}

async fn every_page_says_test_mode_with_the_test_provider_only(backend: Backend) {
    let banner = "Test mode: payments use test cards only, and no money moves.";
    let app = TestApp::new(backend).await;
    for page in ["/", "/basket", "/checkout/payment", "/account/sign-in", "/no-such-page"] {
        assert!(app.call(axum::http::Method::GET, page).await.text().contains(banner), "{page}");
    }
    let stripe = TestApp::with_env(
        backend,
        &[
            ("PAYMENT_PROVIDER", "stripe"),
            ("STRIPE_SECRET_KEY", "sk_live_banner"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_banner"),
            ("PUBLIC_URL", "https://billing.example.com"),
        ],
    )
    .await;
    for page in ["/", "/basket"] {
        let reply = stripe.call(axum::http::Method::GET, page).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!reply.text().contains("Test mode"), "{page}");
    }
    // Stripe in test mode takes test cards only: it says so too.
    let stripe_test_mode = TestApp::with_env(
        backend,
        &[("PAYMENT_PROVIDER", "stripe"), ("STRIPE_SECRET_KEY", "sk_test_banner"), ("STRIPE_WEBHOOK_SECRET", "whsec_banner")],
    )
    .await;
    assert!(stripe_test_mode.call(axum::http::Method::GET, "/").await.text().contains(banner));
    // Nor is the test provider's page served: it is not the provider.
    assert_eq!(stripe.call(axum::http::Method::GET, "/test-payments/cs_test_x").await.status, StatusCode::NOT_FOUND);
}
