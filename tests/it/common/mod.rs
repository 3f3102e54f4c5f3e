//! A real app (the production router and service) on a fresh database per test.

pub mod shopper;
pub mod smtp;
pub mod steps;
pub mod stripe_fake;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use checkout_portal::domain::{ManualClock, Timestamp};
use checkout_portal::server::config::Config;
use checkout_portal::server::services::purchase::{demo_email, demo_purchase, record_paid_guest_purchase, PaidPurchase};
use checkout_portal::server::http::router::app_router;
use checkout_portal::server::http::state::AppState;
use checkout_portal::server::startup::build_state;
use http_body_util::BodyExt;
use mail_parser::MimeHeaders;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// A port no other test in this process has been given, for a server
/// process to listen on. The kernel's pick alone is not enough: two tests
/// asking at once could both be told the same free port before either binds,
/// and one would then talk to the other's server.
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

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

/// Like `on_both_backends!`, and on every registration path
/// (`REGISTRATION_PATH`) of each backend: `sqlite::fast::name`,
/// `sqlite::portable::name`, `postgres::fast::name`, `postgres::portable::name`.
/// Apps and server processes the test starts take the path from
/// `registration_path()`.
#[macro_export]
macro_rules! on_every_registration_path {
    ($($name:ident),* $(,)?) => {
        $crate::on_every_registration_path!(@backend sqlite, Sqlite, $($name),*);
        $crate::on_every_registration_path!(@backend postgres, Postgres, $($name),*);
    };
    (@backend $module:ident, $backend:ident, $($name:ident),*) => {
        mod $module {
            $crate::on_every_registration_path!(@path fast, $backend, $($name),*);
            $crate::on_every_registration_path!(@path portable, $backend, $($name),*);
        }
    };
    (@path $path:ident, $backend:ident, $($name:ident),*) => {
        mod $path {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::on_registration_path(
                        stringify!($path),
                        super::super::$name($crate::common::Backend::$backend),
                    )
                    .await
                }
            )*
        }
    };
}

tokio::task_local! {
    static REGISTRATION_PATH: &'static str;
}

/// Runs `test` with apps and servers on the registration path `path`.
pub async fn on_registration_path<F: std::future::Future>(path: &'static str, test: F) -> F::Output {
    REGISTRATION_PATH.scope(path, test).await
}

/// The `REGISTRATION_PATH` of the test running in this task: the one
/// `on_every_registration_path!` set, or the app's default.
pub fn registration_path() -> &'static str {
    REGISTRATION_PATH.try_with(|path| *path).unwrap_or("fast")
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
    /// Shared with `twin()`s of this app.
    pub db: Arc<TestDb>,
    /// Where emails are written when no SMTP_URL is set.
    pub mail_dir: tempfile::TempDir,
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

/// The invoice id and basket session of a checkout-complete URL.
pub fn complete_page_ids(location: &str) -> (i64, String) {
    let query = location.split_once('?').map_or("", |(_, query)| query);
    let value = |key: &str| {
        query.split('&').find_map(|pair| pair.strip_prefix(key).and_then(|rest| rest.strip_prefix('='))).unwrap_or_else(|| panic!("no {key} in {location}"))
    };
    (value("invoiceId").parse().expect("an invoice id"), value("basketSession").to_owned())
}

/// A pool on `db` migrated only up to `version` (as an older release left
/// it), to test what the later migrations do to existing data.
pub async fn migrated_until(db: &TestDb, version: i64) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let (dir, url) = if db.url.starts_with("sqlite:") {
        ("migrations/sqlite", format!("{}?mode=rwc", db.url))
    } else {
        ("migrations/postgres", db.url.clone())
    };
    let mut migrator = sqlx::migrate::Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).await.expect("migrations");
    migrator.migrations = migrator.migrations.iter().filter(|m| m.version <= version).cloned().collect::<Vec<_>>().into();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.expect("connect");
    migrator.run(&pool).await.expect("the older migrations");
    pool
}

/// The demo shop file every test app starts with (`SHOP_FILE`).
pub const EXAMPLE_SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml");

/// 2026-11-24T10:30:00Z
pub const START: Timestamp = Timestamp::from_millis(1_795_516_200_000);

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::with_env(backend, &[]).await
    }

    /// `vars` override configuration, as environment variables would.
    pub async fn with_env(backend: Backend, vars: &[(&str, &str)]) -> Self {
        Self::on(TestDb::create(backend).await, vars).await
    }

    /// An app on a database the test prepared (`db.url` may lead elsewhere,
    /// say through a relay the test controls).
    pub async fn on(db: TestDb, vars: &[(&str, &str)]) -> Self {
        let url = db.url.clone();
        let mail_dir = tempfile::tempdir().expect("mail dir");
        let mail_path = mail_dir.path().display().to_string();
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let config = Config::from_lookup(|name| {
            if name == "DATABASE_URL" {
                return Some(url.clone());
            }
            // A variable given empty is unset (as an empty one in the environment is).
            if let Some((_, value)) = vars.iter().find(|(k, _)| k == name) {
                return (!value.is_empty()).then(|| value.clone());
            }
            match name {
                "MAIL_DIR" => Some(mail_path.clone()),
                "REGISTRATION_PATH" => Some(registration_path().to_owned()),
                // Tests that set an https PUBLIC_URL pay with the test provider too.
                "ALLOW_TEST_PAYMENTS" => Some("1".to_owned()),
                // The demo shop, applied at start as an operator's SHOP_FILE is.
                "SHOP_FILE" => Some(EXAMPLE_SHOP.to_owned()),
                _ => None,
            }
        })
        .expect("test configuration is valid");
        let clock = Arc::new(ManualClock::starting_at(START));
        let options = LeptosOptions::builder().output_name("checkout-portal").site_root("target/site").build();
        let state = build_state(&config, options, clock.clone()).await.expect("app state");
        Self { router: app_router(state.clone()), state, clock, config, db: Arc::new(db), mail_dir }
    }

    /// A paid guest purchase, made the way the operator command makes one.
    pub async fn purchase(&self) -> PaidPurchase {
        self.purchase_as(&demo_email().to_string(), "Alex Morgan").await
    }

    pub async fn purchase_as(&self, email: &str, name: &str) -> PaidPurchase {
        let purchase = demo_purchase(email.parse().expect("valid email"), name, &self.state.shop.current());
        record_paid_guest_purchase(&self.state.db, self.clock.as_ref(), &self.config.token_policy, &purchase)
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
            .fetch_one(&self.state.db.pool)
            .await
            .expect("count query")
    }
}

impl TestApp {
    /// Another app instance on the same database and clock, as a second
    /// server process would be (its own pool, services and router).
    pub async fn twin(&self) -> TestApp {
        let options = self.state.leptos_options.clone();
        let state = build_state(&self.config, options, self.clock.clone()).await.expect("second instance");
        TestApp {
            router: app_router(state.clone()),
            state,
            clock: self.clock.clone(),
            config: self.config.clone(),
            db: self.db.clone(),
            mail_dir: tempfile::tempdir().expect("mail dir"),
        }
    }

    /// Serves this app on a free port of 127.0.0.1, for callers outside the
    /// test (a payment provider's webhooks); returns its base URL.
    pub async fn listen(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("its address");
        let service = self.router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        format!("http://{address}")
    }

    /// Runs the outbox worker once, as the background task would.
    pub async fn deliver_mail(&self) -> checkout_portal::server::mail::DeliveryReport {
        self.state.outbox.deliver_due().await.expect("outbox pass")
    }

    /// Delivers due mail, then reads every `.eml` in the mail directory, oldest first.
    pub async fn mailbox(&self) -> Vec<ReceivedMail> {
        self.deliver_mail().await;
        let mut paths: Vec<_> = std::fs::read_dir(self.mail_dir.path())
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        paths.sort();
        paths.iter().map(|p| ReceivedMail::parse(&std::fs::read(p).unwrap())).collect()
    }

    /// The only email sent to `to` so far (panics if there is not exactly one).
    pub async fn only_mail_to(&self, to: &str) -> ReceivedMail {
        let mut mails: Vec<_> = self.mailbox().await.into_iter().filter(|m| m.to.eq_ignore_ascii_case(to)).collect();
        assert_eq!(mails.len(), 1, "expected one email to {to}, got {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
        mails.remove(0)
    }

    /// The only email to `to` whose subject starts with `subject` (panics if there is not exactly one).
    pub async fn only_mail_to_with_subject(&self, to: &str, subject: &str) -> ReceivedMail {
        let mut mails: Vec<_> = self
            .mailbox()
            .await
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(to) && m.subject.starts_with(subject))
            .collect();
        assert_eq!(mails.len(), 1, "expected one {subject:?} email to {to}, got {}", mails.len());
        mails.remove(0)
    }
}

/// An email as a recipient sees it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<MailAttachment>,
}

/// A file attached to an email.
#[derive(Debug, Clone)]
pub struct MailAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl ReceivedMail {
    pub fn parse(raw: &[u8]) -> Self {
        let message = mail_parser::MessageParser::default().parse(raw).expect("a MIME message");
        let address = |a: Option<&mail_parser::Address>| {
            a.and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_owned()
        };
        Self {
            to: address(message.to()),
            from: address(message.from()),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
            attachments: message
                .attachments()
                .map(|part| MailAttachment {
                    name: part.attachment_name().unwrap_or_default().to_owned(),
                    content_type: part
                        .content_type()
                        .map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or_default()))
                        .unwrap_or_default(),
                    bytes: part.contents().to_vec(),
                })
                .collect(),
        }
    }

    /// The token of the first link in the text body whose path is `path`.
    pub fn link_token(&self, path: &str) -> String {
        let marker = format!("{path}?token=");
        let start = self.text.find(&marker).unwrap_or_else(|| panic!("no {path} link in: {}", self.text)) + marker.len();
        self.text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
    }
}

/// A browser session against the test app: keeps cookies between requests.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
    /// The address the browser's requests come from, as a trusted proxy
    /// names it (`X-Forwarded-For`; the app needs `TRUST_FORWARDED_FOR=1`).
    pub forwarded_for: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: Vec::new(), forwarded_for: None }
    }

    /// A browser whose requests come from `address` (see `forwarded_for`).
    pub fn from_address(app: &'a TestApp, address: &str) -> Self {
        Self { forwarded_for: Some(address.to_owned()), ..Self::new(app) }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    async fn send(&mut self, builder: axum::http::request::Builder, body: Body) -> Reply {
        let builder = if self.cookies.is_empty() {
            builder
        } else {
            let header = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            builder.header("cookie", header)
        };
        let builder = match &self.forwarded_for {
            Some(address) => builder.header("x-forwarded-for", address.as_str()),
            None => builder,
        };
        let reply = self.app.send(builder.body(body).unwrap()).await;
        for set in reply.headers.get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        reply
    }

    /// Calls a server function as the hydrated page does (JSON answer).
    pub async fn call(&mut self, path: &str, form: &str) -> Reply {
        let builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        self.send(builder, Body::from(form.to_owned())).await
    }

    /// Submits a form as a browser without JavaScript does.
    pub async fn submit(&mut self, path: &str, form: &str) -> Reply {
        let builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html");
        self.send(builder, Body::from(form.to_owned())).await
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let builder = Request::builder().method(Method::GET).uri(uri).header("accept", "text/html");
        self.send(builder, Body::empty()).await
    }
}

/// Percent-encodes a form value.
pub fn form_value(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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

/// Collects every log line written on the test's thread.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line, at every level, of this thread until the guard
/// is dropped: run the test on one thread (`flavor = "current_thread"`) so
/// that the services' and workers' lines are seen.
///
/// One process-wide subscriber, installed once, writes a line only on a
/// thread that is capturing (its filter asks at every event). A
/// thread-local subscriber (`set_default`) would race with other tests'
/// threads over tracing's per-callsite interest cache and, under load, miss
/// lines.
pub fn capture_logs() -> CaptureGuard {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::Layer;
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let capturing = tracing_subscriber::filter::filter_fn(|_| CAPTURING.with(|buffer| buffer.borrow().is_some()));
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(|| CAPTURING.with(|buffer| buffer.borrow().clone().unwrap_or_default()))
            .with_filter(capturing);
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).expect("the tests' log subscriber");
    });
    let logs = LogBuffer::default();
    CAPTURING.with(|buffer| *buffer.borrow_mut() = Some(logs.clone()));
    CaptureGuard { logs }
}

thread_local! {
    /// Where this thread's log lines go while it captures them.
    static CAPTURING: std::cell::RefCell<Option<LogBuffer>> = const { std::cell::RefCell::new(None) };
}

/// Captures this thread's log lines until dropped (see `capture_logs`).
pub struct CaptureGuard {
    logs: LogBuffer,
}

impl CaptureGuard {
    /// Every line captured so far.
    pub fn text(&self) -> String {
        self.logs.text()
    }
}

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURING.with(|buffer| *buffer.borrow_mut() = None);
    }
}
