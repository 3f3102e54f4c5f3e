//! A real app (the production router and service) on a fresh database per test.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use checkout_portal::domain::{Currency, ManualClock, Timestamp};
use checkout_portal::server::config::Config;
use checkout_portal::server::purchase::{demo_email, demo_purchase, record_paid_guest_purchase, PaidPurchase};
use checkout_portal::server::router::app_router;
use checkout_portal::server::state::AppState;
use checkout_portal::server::build_state;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// Runs each listed `async fn name(backend: Backend)` test on both backends:
/// `sqlite::name` and `postgres::name`. The same test, not a copy.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database for one test: an SQLite file in a temporary
/// directory, or a PostgreSQL schema of its own (dropped afterwards) in the
/// database named by `TEST_POSTGRES_URL` (default: the local `test` database).
pub struct TestDb {
    pub url: String,
    postgres_schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

pub const DEFAULT_TEST_POSTGRES_URL: &str = "postgres://root@127.0.0.1:5432/test";

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Self { url, postgres_schema: None, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_owned());
                let unique = uuid_like();
                let schema = format!("cp_test_{unique}");
                sqlx::any::install_default_drivers();
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {base} is needed for the postgres tests: {e}"));
                sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create schema");
                let separator = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
                Self { url, postgres_schema: Some((base, schema)), _dir: None }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, schema)) = self.postgres_schema.take() {
            // Async work cannot run in Drop; a short-lived runtime on its own thread can.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await.ok()?;
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut admin).await.ok()
                })
            })
            .join();
        }
    }
}

/// 16 random hex digits, from the same OS randomness as the app's tokens.
fn uuid_like() -> String {
    checkout_portal::domain::BasketToken::generate().to_string().replace('-', "")[..16].to_owned()
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub config: Config,
    pub db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// 2026-11-24T10:30:00Z
pub const START: Timestamp = Timestamp::from_millis(1_795_516_200_000);

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::with_env(backend, &[]).await
    }

    /// `vars` override configuration, as environment variables would.
    pub async fn with_env(backend: Backend, vars: &[(&str, &str)]) -> Self {
        let db = TestDb::create(backend).await;
        let url = db.url.clone();
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let config = Config::from_lookup(|name| {
            if name == "DATABASE_URL" {
                return Some(url.clone());
            }
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .expect("test configuration is valid");
        let clock = Arc::new(ManualClock::starting_at(START));
        let options = LeptosOptions::builder().output_name("checkout-portal").site_root("target/site").build();
        let state = build_state(&config, options, clock.clone()).await.expect("app state");
        Self { router: app_router(state.clone()), state, clock, config, db }
    }

    /// A paid guest purchase, made the way the operator command makes one.
    pub async fn purchase(&self) -> PaidPurchase {
        self.purchase_as(&demo_email().to_string(), "Alex Morgan").await
    }

    pub async fn purchase_as(&self, email: &str, name: &str) -> PaidPurchase {
        let purchase = demo_purchase(email.parse().expect("valid email"), name, Currency::Eur);
        record_paid_guest_purchase(self.state.guest_access.db(), self.clock.as_ref(), &self.config.policy, &purchase)
            .await
            .expect("purchase recorded")
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let what = format!("{} {}", request.method(), request.uri().path());
        // A hung request fails its test instead of hanging the whole run.
        let response = tokio::time::timeout(Duration::from_secs(20), self.router.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("{what} did not answer within 20 s"))
            .expect("router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn call(&self, method: Method, uri: &str) -> Reply {
        self.send(Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn register(&self, invoice: impl std::fmt::Display, token: impl std::fmt::Display) -> Reply {
        self.call(Method::POST, &format!("/api/public/billing/invoices/{invoice}/registerByToken?token={token}")).await
    }

    pub async fn pdf(&self, invoice: impl std::fmt::Display, token: impl std::fmt::Display) -> Reply {
        self.call(Method::GET, &format!("/api/public/billing/invoices/{invoice}/pdfByToken?token={token}")).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.state.guest_access.db().pool)
            .await
            .expect("count query")
    }
}

/// Text of a PDF, via poppler's `pdftotext`.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed (scripts/setup installs poppler-utils)");
    assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 text")
}
