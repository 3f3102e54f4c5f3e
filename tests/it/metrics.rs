//! `/metrics`: counters move with what the app does, and labels hold route
//! templates and outcomes, never a raw path, an id or a token.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_portal::domain::BasketToken;
use checkout_portal::server::metrics::private_router;
use checkout_portal::server::recent::FRESH_FOR;
use http_body_util::BodyExt;
use tower::ServiceExt;
use common::{Backend, Browser, TestApp};

on_every_registration_path!(a_registration_moves_the_counters);

/// What a client may send, however much, and how often anyone scrapes.
mod bounded {
    use super::*;
    on_both_backends!(
        unknown_methods_and_paths_add_a_bounded_number_of_series,
        a_flood_of_scrapes_costs_one_database_read_a_second,
        with_metrics_addr_the_app_port_does_not_serve_metrics,
    );
}

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
    // A scrape reads the backlog at most once a second.
    app.advance(FRESH_FOR);
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

/// What a client may send beyond the app's own traffic, as the series it
/// adds would show: up to this many lines, however many requests it sends.
/// (Other tests in this process add their own series meanwhile; the noise
/// below would add thousands if its methods or paths became labels.)
const SERIES_SLACK: usize = 100;

/// hyper accepts any token as a method, and a path is the client's to
/// choose: neither may add series to `/metrics`, or a loop of
/// `curl -X "M$RANDOM"` grows it (and the server's memory) without bound.
async fn unknown_methods_and_paths_add_a_bounded_number_of_series(backend: Backend) {
    let app = TestApp::new(backend).await;
    // One round first: the labels noise may legitimately add exist before counting.
    noise(&app, 1).await;
    let before = scrape(&app).await;
    let sent = noise(&app, 200).await;
    let after = scrape(&app).await;

    let series = |text: &str| text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()).count();
    assert!(
        series(&after) <= series(&before) + SERIES_SLACK,
        "{} series before, {} after {} requests:\n{after}",
        series(&before),
        series(&after),
        sent.len()
    );
    assert!(after.len() <= before.len() + SERIES_SLACK * 200, "{} bytes before, {} after", before.len(), after.len());
    for random in &sent {
        assert!(!after.contains(random.as_str()), "{random} became a label:\n{after}");
    }
    assert!(after.contains(r#"method="other""#), "{after}");
}

/// `rounds` × (a request with a made-up method, and GETs of made-up paths
/// under every kind of route: pages, the API, server functions, /pkg, the
/// islands' boot script, static files); returns the random parts sent.
async fn noise(app: &TestApp, rounds: usize) -> Vec<String> {
    let mut sent = Vec::new();
    for _ in 0..rounds {
        let random = BasketToken::generate().to_string().replace('-', "");
        let method = format!("M{}", &random[..10]);
        let paths = [
            format!("/{random}"),
            format!("/api/{random}"),
            format!("/api/public/billing/invoices/{random}"),
            format!("/checkout/api/{random}"),
            format!("/account/{random}"),
            format!("/pkg/{random}.wasm"),
            format!("/pkg/boot/islands.{random}.js"),
            format!("/favicon.ico/{random}"),
        ];
        let unknown_method = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(&paths[0]).body(Body::empty()).unwrap();
        app.send(unknown_method).await;
        let on_a_route = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri("/metrics").body(Body::empty()).unwrap();
        app.send(on_a_route).await;
        for path in &paths {
            app.call(Method::GET, &format!("{path}?q={random}")).await;
        }
        sent.push(method);
        sent.push(random);
    }
    sent
}

/// `n` scrapes of `router` sent at once, each on a task of its own.
async fn scrapes_at_once(router: &axum::Router, n: usize) -> Vec<(StatusCode, String)> {
    let mut scrapes = tokio::task::JoinSet::new();
    for _ in 0..n {
        let router = router.clone();
        scrapes.spawn(async move {
            let response = router.oneshot(Request::builder().uri("/metrics").body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        });
    }
    tokio::time::timeout(std::time::Duration::from_secs(20), scrapes.join_all()).await.expect("every scrape answered")
}

/// The outbox backlog a scrape reports takes a database connection; the
/// pool gauges do not. Scrapes within a second share one read: 50 at once
/// make one, and with every pool connection taken later scrapes still
/// answer from it. A second on, the backlog is read again.
async fn a_flood_of_scrapes_costs_one_database_read_a_second(backend: Backend) {
    let app = TestApp::new(backend).await;
    let reads = app.state.scrape_reads.clone();
    let answers = scrapes_at_once(&app.router, 50).await;
    assert!(answers.iter().all(|(status, text)| *status == StatusCode::OK && text.contains("outbox_backlog_messages")), "{answers:?}");
    assert_eq!(reads.backlog_reads(), 1, "50 scrapes at once share one read");

    let pool = &app.state.db.pool;
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.expect("a connection"));
    }
    let answers = scrapes_at_once(&app.router, 50).await;
    assert!(answers.iter().all(|(status, _)| *status == StatusCode::OK));
    assert_eq!(reads.backlog_reads(), 1, "answered from the last read");

    drop(held);
    app.advance(FRESH_FOR);
    scrape(&app).await;
    assert_eq!(reads.backlog_reads(), 2, "read again a second on");
}

/// `METRICS_ADDR` moves `/metrics` off the app's port to a listener of its
/// own (the server binary serves `private_router` there).
async fn with_metrics_addr_the_app_port_does_not_serve_metrics(backend: Backend) {
    let app = TestApp::with_env(backend, &[("METRICS_ADDR", "127.0.0.1:9100")]).await;
    assert_eq!(app.call(Method::GET, "/metrics").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call(Method::GET, "/health/live").await.status, StatusCode::OK, "the rest is still served");

    let private = private_router(app.state.clone());
    let answers = scrapes_at_once(&private, 1).await;
    let (status, text) = &answers[0];
    assert_eq!(*status, StatusCode::OK);
    assert!(text.contains(r#"db_pool_connections{state="idle"}"#), "{text}");
    let elsewhere = private.oneshot(Request::builder().uri("/health/live").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND, "the metrics listener serves nothing else");
}
