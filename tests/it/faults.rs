//! With the database gone, every page that needs it and every endpoint
//! answers 503 at once, never a 200 page with an error inside, nor a hang.

use crate::common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};

on_both_backends!(without_the_database_pages_and_endpoints_answer_503);

async fn without_the_database_pages_and_endpoints_answer_503(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    app.state.db.pool.close().await;
    let started = Instant::now();
    for (method, uri) in [
        (Method::GET, "/".to_owned()),
        (Method::GET, paid.complete_url()),
        (Method::POST, format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket)),
        (Method::GET, format!("/api/public/billing/invoices/{}/pdfByToken?token={}", paid.invoice, paid.basket)),
        (Method::GET, "/health/ready".to_owned()),
    ] {
        let reply = app.call(method.clone(), &uri).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{method} {uri}: {}", reply.text());
    }
    assert!(started.elapsed() < Duration::from_secs(10), "every answer came at once");
    assert_eq!(app.call(Method::GET, "/health/live").await.status, StatusCode::OK);
}
