//! Probes for a load balancer or an orchestrator: `/health/live` (the process
//! answers) and `/health/ready` (this instance can serve: its database
//! answers within a short timeout, has every migration this build expects,
//! and its outbox worker is running). Both are cheap and token-free, and
//! logged only when something fails. The database half of readiness takes a
//! connection, so its answer is kept for about a second (`recent`): a flood
//! of probes costs at most one database check a second.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::domain::Clock;
use crate::server::db::Db;
use crate::server::http::state::AppState;
use crate::server::mail::Outbox;
use crate::server::recent::{Recent, FRESH_FOR};

/// Longer than a healthy pool takes by far, shorter than a probe's timeout.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

pub fn routes() -> Router<AppState> {
    Router::new().route("/health/live", get(live)).route("/health/ready", get(ready))
}

async fn live() -> Response {
    probe(StatusCode::OK, json!({ "status": "live" }))
}

async fn ready(State(database): State<DatabaseReadiness>, State(outbox): State<Outbox>) -> Response {
    let DatabaseCheck { database, migrations } = database.check().await;
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

/// Readiness' database checks (it answers; it has every migration this
/// build expects), made at most once per `FRESH_FOR` however many probes
/// ask; probes meanwhile get the last answer.
#[derive(Clone)]
pub struct DatabaseReadiness {
    db: Db,
    recent: Arc<Recent<DatabaseCheck>>,
}

#[derive(Debug, Clone)]
struct DatabaseCheck {
    database: Result<(), String>,
    migrations: Result<(), String>,
}

impl DatabaseReadiness {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, recent: Arc::new(Recent::new(clock, FRESH_FOR)) }
    }

    async fn check(&self) -> DatabaseCheck {
        self.recent.get_or_compute(|| check_database(&self.db)).await
    }

    /// How many times the database has been checked (rather than the last answer reused).
    pub fn checks_made(&self) -> u64 {
        self.recent.computations()
    }
}

async fn check_database(db: &Db) -> DatabaseCheck {
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
    DatabaseCheck { database, migrations }
}

/// A probe's answer is about this moment (give or take the second its
/// database check is kept): never cached downstream.
fn probe(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
