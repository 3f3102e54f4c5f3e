//! Prometheus metrics at `/metrics` (text exposition format), for an on-call
//! engineer: requests by route template, registrations by outcome, the email
//! outbox, the database pool and rate-limit refusals. Labels never hold a
//! raw path, a query or an id, and take a bounded set of values whatever
//! clients send, so no client can grow the output (or the server's memory).
//! `/metrics` is served on the app's port, or with `METRICS_ADDR` on a
//! listener of its own (`private_router`). What a scrape reads from the
//! database is kept for about a second (`ScrapeReads`).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::api::guest_access::GuestAccessError;
use crate::domain::{Clock, RegistrationKind};
use crate::server::db::Db;
use crate::server::http::state::AppState;
use crate::server::recent::{Recent, FRESH_FOR};
use crate::server::store::outbox::{self, Backlog};

/// Seconds; a page render is a few milliseconds, a PDF tens, a slow database seconds.
const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
const SCRAPE_DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// The process-wide recorder, installed on first use (app states created in
/// one process, as in the tests, share it). `None` if another recorder is installed.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), &LATENCY_BUCKETS)
                .ok()?
                .install_recorder()
                .inspect_err(|error| tracing::warn!(%error, "metrics recorder not installed"))
                .ok()
        })
        .as_ref()
}

/// Installs the recorder; call before serving so the first requests count.
pub fn install() {
    handle();
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// `/metrics` alone, for the listener on `METRICS_ADDR` (a private
/// interface), when the app's own port does not serve it.
pub fn private_router(state: AppState) -> Router {
    routes().with_state(state)
}

async fn scrape(State(reads): State<ScrapeReads>) -> Response {
    let Some(handle) = handle() else {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "metrics are not being recorded").into_response();
    };
    reads.measure().await;
    let mut response = handle.render().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}

/// The gauges a scrape measures: the pool as it is (free), and the
/// outbox's backlog, a database read made at most once per `FRESH_FOR`
/// however often scrapers ask (a burst of scrapes shares one read).
#[derive(Clone)]
pub struct ScrapeReads {
    db: Db,
    clock: Arc<dyn Clock>,
    backlog: Arc<Recent<Option<Backlog>>>,
}

impl ScrapeReads {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock: clock.clone(), backlog: Arc::new(Recent::new(clock, FRESH_FOR)) }
    }

    async fn measure(&self) {
        let idle = self.db.pool.num_idle() as f64;
        gauge!("db_pool_connections", "state" => "idle").set(idle);
        gauge!("db_pool_connections", "state" => "in_use").set((f64::from(self.db.pool.size()) - idle).max(0.0));
        match self.backlog.get_or_compute(|| self.read_backlog()).await {
            Some(backlog) => {
                gauge!("outbox_backlog_messages").set(backlog.due as f64);
                gauge!("outbox_oldest_due_age_seconds").set(backlog.oldest_due_age.as_secs_f64());
            }
            None => tracing::warn!("metrics: the outbox backlog could not be read"),
        }
    }

    async fn read_backlog(&self) -> Option<Backlog> {
        let read = tokio::time::timeout(SCRAPE_DATABASE_TIMEOUT, async {
            let mut conn = self.db.pool.acquire().await?;
            outbox::backlog(&mut conn, self.clock.now()).await
        })
        .await;
        read.ok()?.ok()
    }

    /// How many times the backlog has been read (rather than the last reading reused).
    pub fn backlog_reads(&self) -> u64 {
        self.backlog.computations()
    }
}

/// Middleware: every request counted and timed by method, route template
/// (`/api/public/billing/invoices/{invoice_id}/registerByToken`) and status.
/// A path no route matched (static files, 404s) is `unmatched`.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    counter!("http_requests_total", "method" => method, "route" => route.clone(), "status" => status).increment(1);
    histogram!("http_request_duration_seconds", "method" => method, "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// The method as a label: one of HTTP's standard methods, else `other`
/// (hyper accepts any token as a method, and each would be a new series).
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "other",
    }
}

/// A registration's outcome: `created`, `linked`, or why it was refused.
pub fn registration(outcome: Result<RegistrationKind, &GuestAccessError>) {
    let label = match outcome {
        Ok(kind) => kind.as_str(),
        Err(error) => refusal(error),
    };
    counter!("registrations_total", "outcome" => label).increment(1);
}

/// Counts a registration an adapter refused before the service ran (a
/// malformed id or token), and hands the error on.
pub fn registration_refused(error: GuestAccessError) -> GuestAccessError {
    registration(Err(&error));
    error
}

fn refusal(error: &GuestAccessError) -> &'static str {
    match error {
        GuestAccessError::MissingToken => "missing_token",
        GuestAccessError::InvalidToken => "invalid_token",
        GuestAccessError::TokenAlreadyUsed => "token_used",
        GuestAccessError::TokenExpired => "token_expired",
        GuestAccessError::InvoiceNotFound => "invoice_not_found",
        GuestAccessError::InvalidInvoiceId => "invalid_invoice_id",
        GuestAccessError::Unavailable | GuestAccessError::Transport(_) => "unavailable",
    }
}

/// One email delivery attempt's verdict: `sent`, `retry` or `failed`.
pub fn delivery(verdict: &'static str) {
    counter!("outbox_deliveries_total", "outcome" => verdict).increment(1);
}

/// A request refused by a rate limit (`limit` is its name, e.g. `links:email`).
pub fn rate_limited(limit: &'static str) {
    counter!("rate_limit_refusals_total", "limit" => limit).increment(1);
}

/// A payment's step: `started`, `failed` (no session could be made),
/// `fulfilled` (with the door it came through), `expired`, `refunded` or
/// `mismatched` (paid, but not the amount asked: refunded, no invoice).
pub fn payment(outcome: &'static str, door: Option<crate::server::services::payments::Door>) {
    let door = door.map_or("none", |door| door.as_str());
    counter!("payments_total", "outcome" => outcome, "door" => door).increment(1);
}

/// One webhook delivery's outcome: `processed`, `ignored` (not an event or
/// session of ours), `bad_signature`, `malformed` or `error` (retried by the provider).
pub fn webhook(outcome: &'static str) {
    counter!("webhook_deliveries_total", "outcome" => outcome).increment(1);
}

/// A password request refused because every hashing place was taken.
pub fn password_hashing_refused() {
    counter!("password_hashing_refusals_total").increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_outside_the_standard_set_are_other() {
        for standard in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"] {
            assert_eq!(method_label(&Method::from_bytes(standard.as_bytes()).unwrap()), standard);
        }
        for made_up in ["M12345", "get", "PROPFIND", "BREW"] {
            assert_eq!(method_label(&Method::from_bytes(made_up.as_bytes()).unwrap()), "other", "{made_up}");
        }
    }
}
