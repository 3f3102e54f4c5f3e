//! Probes for a load balancer or an orchestrator: `/health/live` (the process
//! answers) and `/health/ready` (this instance can serve: its database
//! answers within a short timeout, has every migration this build expects,
//! and its outbox worker is running). Both are cheap and token-free, and
//! logged only when something fails.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::server::db::Db;
use crate::server::mail::Outbox;
use crate::server::http::state::AppState;

/// Longer than a healthy pool takes by far, shorter than a probe's timeout.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

pub fn routes() -> Router<AppState> {
    Router::new().route("/health/live", get(live)).route("/health/ready", get(ready))
}

async fn live() -> Response {
    probe(StatusCode::OK, json!({ "status": "live" }))
}

async fn ready(State(db): State<Db>, State(outbox): State<Outbox>) -> Response {
    let checked = tokio::time::timeout(DATABASE_TIMEOUT, async {
        let mut conn = db.pool.acquire().await?;
        db.pending_migrations(&mut conn).await
    })
    .await;
    let (database, migrations) = match checked {
        Ok(Ok(0)) => (Ok(()), Ok(())),
        Ok(Ok(pending)) => (Ok(()), Err(format!("{pending} pending"))),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database check failed");
            (Err("unavailable".to_owned()), Err("unknown".to_owned()))
        }
        Err(_) => {
            tracing::warn!("readiness: the database did not answer in time");
            (Err(format!("no answer within {} s", DATABASE_TIMEOUT.as_secs())), Err("unknown".to_owned()))
        }
    };
    let worker = if outbox.worker_alive(outbox.worker_grace()) { Ok(()) } else { Err("not running".to_owned()) };
    if worker.is_err() {
        tracing::warn!("readiness: the outbox worker has made no progress");
    }
    let ready = database.is_ok() && migrations.is_ok() && worker.is_ok();
    let word = |check: &Result<(), String>| check.as_ref().map_or_else(|problem| problem.clone(), |()| "ok".to_owned());
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "checks": { "database": word(&database), "migrations": word(&migrations), "outbox": word(&worker) },
    });
    probe(if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, body)
}

/// A probe's answer is about this moment: never cached.
fn probe(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
