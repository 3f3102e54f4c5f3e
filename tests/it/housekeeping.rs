//! Housekeeping: sessions, emailed links and rate-limit windows are deleted
//! a day after they expire; what can still be used is kept.

use std::time::Duration;

use axum::http::StatusCode;

use crate::common;
use common::{Backend, Browser, TestApp};

on_both_backends!(expired_sign_in_state_is_pruned_and_live_state_is_kept);

const TABLES: [&str; 3] = ["account_links", "auth_sessions", "rate_limit_hits"];

async fn rows(app: &TestApp) -> [i64; 3] {
    let mut counts = [0; 3];
    for (count, table) in counts.iter_mut().zip(TABLES) {
        *count = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
    }
    counts
}

/// A guest who registered and signed in with an emailed link: a set-password
/// link, a used sign-in link, a portal session and a rate-limit window.
async fn signed_in_customer(app: &TestApp, email: &str) {
    let paid = app.purchase_as(email, "Pat Prune").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let mut browser = Browser::new(app);
    let form = format!("kind=sign-in&email={}", common::form_value(email));
    assert_eq!(browser.call("/account/api/email_link", &form).await.status, StatusCode::OK);
    let token = app.only_mail_to_with_subject(email, "Your sign-in link").await.link_token("/account/link");
    assert_eq!(browser.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::OK);
    assert!(browser.cookie("portal_session").is_some());
}

async fn expired_sign_in_state_is_pruned_and_live_state_is_kept(backend: Backend) {
    let app = TestApp::new(backend).await;
    signed_in_customer(&app, "early@example.com").await;
    let early = rows(&app).await;
    assert!(early.iter().all(|&count| count > 0), "{TABLES:?} {early:?}");

    // Nothing has expired yet: nothing goes.
    assert_eq!(app.state.housekeeping.prune_expired().await.unwrap(), 0);
    assert_eq!(rows(&app).await, early);

    // The portal session lasts 14 days; a day past that, all of it is dead.
    app.advance(Duration::from_secs(16 * 24 * 60 * 60));
    signed_in_customer(&app, "late@example.com").await;
    let both = rows(&app).await;
    let pruned = app.state.housekeeping.prune_expired().await.unwrap();
    assert_eq!(pruned, early.iter().sum::<i64>() as u64, "only the early customer's rows go");
    let late = rows(&app).await;
    for ((before, after), first) in both.iter().zip(late).zip(early) {
        assert_eq!(before - after, first, "{TABLES:?}: {both:?} -> {late:?}");
    }
    assert!(late.iter().all(|&count| count > 0), "the late customer's rows stay: {late:?}");
}
