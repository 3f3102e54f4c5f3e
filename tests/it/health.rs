//! The health probes: liveness, and readiness (database, migrations, outbox worker).

use crate::common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};

on_both_backends!(
    live_answers_while_the_process_runs,
    ready_needs_the_outbox_worker_running,
    ready_reports_pending_migrations,
    ready_fails_fast_when_the_database_is_gone,
);

async fn ready(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let reply = app.call(Method::GET, "/health/ready").await;
    assert_eq!(reply.header("cache-control"), "no-store");
    (reply.status, reply.json())
}

async fn live_answers_while_the_process_runs(backend: Backend) {
    let app = TestApp::new(backend).await;
    let reply = app.call(Method::GET, "/health/live").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "live");
    assert_eq!(reply.header("cache-control"), "no-store");
}

async fn ready_needs_the_outbox_worker_running(backend: Backend) {
    let app = TestApp::new(backend).await;
    // The test app runs no background worker: not ready, and it says why.
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "not ready");
    assert_eq!(body["checks"], serde_json::json!({ "database": "ok", "migrations": "ok", "outbox": "not running" }));

    let worker = tokio::spawn(app.state.outbox.clone().run());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, body) = ready(&app).await;
        if status == StatusCode::OK {
            assert_eq!(body["status"], "ready");
            assert_eq!(body["checks"], serde_json::json!({ "database": "ok", "migrations": "ok", "outbox": "ok" }));
            break;
        }
        assert!(Instant::now() < deadline, "never ready: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.abort();
}

async fn ready_reports_pending_migrations(backend: Backend) {
    let app = TestApp::new(backend).await;
    let worker = tokio::spawn(app.state.outbox.clone().run());
    // As if the database were an older copy: the newest migration is not applied.
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["checks"]["migrations"], "1 pending");
    assert_eq!(body["checks"]["database"], "ok");
    worker.abort();
}

async fn ready_fails_fast_when_the_database_is_gone(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.state.db.pool.close().await;
    let started = Instant::now();
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["checks"]["database"], "unavailable");
    assert!(started.elapsed() < Duration::from_secs(3), "answered within the probe's timeout");
    // The process itself still answers.
    assert_eq!(app.call(Method::GET, "/health/live").await.status, StatusCode::OK);
}
