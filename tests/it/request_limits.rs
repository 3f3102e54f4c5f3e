//! Limits on every request: a body over the limit is a 413, a request still
//! unanswered after the timeout a 408, never a 500.

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{Backend, TestApp};

on_both_backends!(
    an_oversized_body_is_refused_with_413_on_every_kind_of_route,
    a_request_over_the_timeout_is_answered_408,
);

fn post(uri: &str, body: String) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

async fn an_oversized_body_is_refused_with_413_on_every_kind_of_route(backend: Backend) {
    let app = TestApp::with_env(backend, &[("MAX_REQUEST_BODY", "4096")]).await;
    let paid = app.purchase().await;
    let oversized = format!("name={}", "x".repeat(5000));
    for uri in ["/checkout/api/details", "/api/token", &format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket)] {
        let reply = app.send(post(uri, oversized.clone())).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", reply.text());
    }
    // Refused before any handler ran: the basket token still registers.
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    // Within the limit, the same routes answer as usual.
    let reply = app.send(post("/api/token", "grant_type=password&username=a%40example.com&password=x".into())).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
}

async fn a_request_over_the_timeout_is_answered_408(backend: Backend) {
    let app = TestApp::with_env(backend, &[("REQUEST_TIMEOUT", "1ms")]).await;
    // A password grant verifies an argon2 hash (tens of milliseconds), far over the limit.
    let reply = app.send(post("/api/token", "grant_type=password&username=a%40example.com&password=a+long+password".into())).await;
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT, "{}", reply.text());
}
