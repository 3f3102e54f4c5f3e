//! The health probes: liveness, and readiness (database, migrations, outbox worker).

use crate::common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use checkout_portal::server::recent::FRESH_FOR;
use common::{Backend, TestApp};
use http_body_util::BodyExt;
use tower::ServiceExt;

on_both_backends!(
    live_answers_while_the_process_runs,
    ready_needs_the_outbox_worker_running,
    ready_reports_pending_migrations,
    ready_fails_fast_when_the_database_is_gone,
    a_flood_of_readiness_probes_costs_one_database_check_a_second,
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

/// `n` readiness probes sent at once, each on a task of its own.
async fn probes_at_once(app: &TestApp, n: usize) -> Vec<(StatusCode, serde_json::Value)> {
    let mut probes = tokio::task::JoinSet::new();
    for _ in 0..n {
        let router = app.router.clone();
        probes.spawn(async move {
            let request = Request::builder().uri("/health/ready").body(Body::empty()).unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice(&body).unwrap())
        });
    }
    // Bounded, so a probe that hangs fails the test instead of the run.
    tokio::time::timeout(Duration::from_secs(20), probes.join_all()).await.expect("every probe answered")
}

/// Readiness takes a database connection; probes come as often as anyone
/// sends them. Within a second they share one check: 50 at once make one,
/// and with every pool connection taken (a check would wait, then fail)
/// later probes still answer from it. A second on, the database is checked
/// again, and the new answer shows it (a migration row since removed).
async fn a_flood_of_readiness_probes_costs_one_database_check_a_second(backend: Backend) {
    let app = TestApp::new(backend).await;
    let readiness = app.state.readiness.clone();
    let database_ok = |(_, body): &(StatusCode, serde_json::Value)| body["checks"]["database"] == "ok" && body["checks"]["migrations"] == "ok";

    let answers = probes_at_once(&app, 50).await;
    assert!(answers.iter().all(database_ok), "{answers:?}");
    assert_eq!(readiness.checks_made(), 1, "50 probes at once share one check");

    let pool = &app.state.db.pool;
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.expect("a connection"));
    }
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&mut *held[0])
        .await
        .unwrap();
    let answers = probes_at_once(&app, 50).await;
    assert!(answers.iter().all(database_ok), "answered from the last check: {answers:?}");
    assert_eq!(readiness.checks_made(), 1);

    drop(held);
    app.advance(FRESH_FOR);
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["checks"]["migrations"], "1 pending", "checked again: {body}");
    assert_eq!(readiness.checks_made(), 2);
    let answers = probes_at_once(&app, 50).await;
    assert!(answers.iter().all(|(_, body)| body["checks"]["migrations"] == "1 pending"), "{answers:?}");
    assert_eq!(readiness.checks_made(), 2);
}
