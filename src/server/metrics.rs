//! Prometheus metrics at `/metrics` (text exposition format), for an on-call
//! engineer: requests by route template, registrations by outcome, the email
//! outbox, the database pool and rate-limit refusals. Labels never hold a
//! raw path, a query or an id, and take a bounded set of values whatever
//! clients send, so no client can grow the output (or the server's memory).

use std::sync::OnceLock;
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
use crate::domain::RegistrationKind;
use crate::server::db::Db;
use crate::server::http::state::AppState;
use crate::server::store::outbox;

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

async fn scrape(State(db): State<Db>) -> Response {
    let Some(handle) = handle() else {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "metrics are not being recorded").into_response();
    };
    // Measured at scrape time: the pool as it is, and the outbox's backlog.
    let idle = db.pool.num_idle() as f64;
    gauge!("db_pool_connections", "state" => "idle").set(idle);
    gauge!("db_pool_connections", "state" => "in_use").set((f64::from(db.pool.size()) - idle).max(0.0));
    let backlog = tokio::time::timeout(SCRAPE_DATABASE_TIMEOUT, async {
        let mut conn = db.pool.acquire().await?;
        outbox::backlog(&mut conn, crate::domain::Timestamp::from_millis(now_millis())).await
    })
    .await;
    match backlog {
        Ok(Ok(backlog)) => {
            gauge!("outbox_backlog_messages").set(backlog.due as f64);
            gauge!("outbox_oldest_due_age_seconds").set(backlog.oldest_due_age.as_secs_f64());
        }
        _ => tracing::warn!("metrics: the outbox backlog could not be read"),
    }
    let mut response = handle.render().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
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
