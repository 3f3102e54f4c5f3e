//! `/metrics`: counters move with what the app does, and labels hold route
//! templates and outcomes, never a raw path, an id or a token.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Backend, Browser, TestApp};

on_every_registration_path!(a_registration_moves_the_counters);

/// The value of the sample whose line starts with `series` (0 when absent).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp) -> String {
    let reply = app.call(Method::GET, "/metrics").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/plain"), "{}", reply.header("content-type"));
    reply.text()
}

async fn a_registration_moves_the_counters(backend: Backend) {
    let app = TestApp::new(backend).await;
    let route = r#"route="/api/public/billing/invoices/{invoice_id}/registerByToken""#;
    // The recorder is shared by every app in this process: compare before and after.
    let before = scrape(&app).await;
    let paid = app.purchase().await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.register(paid.invoice, "not-a-guid").await.status, StatusCode::UNAUTHORIZED);
    // Emailed-link requests past the limit are refused (and answered the same).
    let mut browser = Browser::new(&app);
    for n in 1..=6 {
        let reply = browser.call("/account/api/email_link", "kind=sign-in&email=limits%40example.com").await;
        assert_eq!(reply.status, StatusCode::OK, "request {n}: {}", reply.text());
    }
    let queued = scrape(&app).await;
    app.deliver_mail().await;
    let after = scrape(&app).await;

    let moved = |text: &str, series: &str| sample(text, series) - sample(&before, series);
    assert!(moved(&after, r#"registrations_total{outcome="created"}"#) >= 1.0, "{after}");
    assert!(moved(&after, r#"registrations_total{outcome="token_used"}"#) >= 1.0, "{after}");
    assert!(moved(&after, r#"registrations_total{outcome="invalid_token"}"#) >= 1.0, "{after}");
    assert!(moved(&after, &format!(r#"http_requests_total{{method="POST",{route},status="200"}}"#)) >= 1.0, "{after}");
    assert!(moved(&after, &format!(r#"http_requests_total{{method="POST",{route},status="401"}}"#)) >= 2.0, "{after}");
    assert!(after.contains(&format!(r#"http_request_duration_seconds_bucket{{method="POST",{route},le="0.005"}}"#)), "{after}");
    assert!(moved(&after, r#"rate_limit_refusals_total{limit="links:email"}"#) >= 1.0, "{after}");
    assert!(moved(&after, r#"outbox_deliveries_total{outcome="sent"}"#) >= 1.0, "{after}");
    // Measured at each scrape: the welcome email waited in the outbox until delivered.
    assert!(sample(&queued, "outbox_backlog_messages") >= 1.0, "{queued}");
    assert!(after.contains("outbox_oldest_due_age_seconds"));
    assert!(after.contains(r#"db_pool_connections{state="idle"}"#) && after.contains(r#"db_pool_connections{state="in_use"}"#));
    // No raw path, id or token in any label.
    assert!(!after.contains(&format!("/invoices/{}/", paid.invoice)), "{after}");
    assert!(!after.contains(&paid.basket.to_string()), "{after}");
}
