//! With the database gone, every page that needs it and every endpoint
//! answers 503 at once, never a 200 page with an error inside, nor a hang.

use crate::common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::shopper::DAY_PASS;
use common::{Backend, Browser, TestApp, TestDb};

on_every_registration_path!(
    without_the_database_pages_and_endpoints_answer_503,
    a_registration_refused_while_the_database_is_away_succeeds_once_it_is_back,
);

async fn without_the_database_pages_and_endpoints_answer_503(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let mut shopper = holding_a_basket(&app).await;
    app.state.db.pool.close().await;
    let started = Instant::now();
    for (page, reply) in [("/", app.call(Method::GET, "/").await), ("/basket", shopper.get("/basket").await)] {
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
        assert!(reply.text().contains(UNAVAILABLE_NOTICE), "{page} shows the app's notice: {}", reply.text());
    }
    // A visitor who holds no basket has nothing to load there.
    let empty = app.call(Method::GET, "/basket").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert!(empty.text().contains("Your basket is empty"), "{}", empty.text());
    for (method, uri) in [
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

/// A browser that has put a day pass in its basket (the basket page then
/// has something to load).
async fn holding_a_basket(app: &TestApp) -> Browser<'_> {
    let mut browser = Browser::new(app);
    let added = browser.call("/checkout/api/add", &format!("product_id={DAY_PASS}&quantity=1")).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    browser
}

/// The heading of the app's notice for a page whose data cannot be loaded.
const UNAVAILABLE_NOTICE: &str = "We cannot reach our records right now";

/// `POST /api/token` with a password grant: it writes (a rate-limit hit) before it reads.
async fn password_grant(app: &TestApp) -> common::Reply {
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/token")
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("grant_type=password&username=jo%40example.com&password=secret"))
        .unwrap();
    app.send(request).await
}

/// The database goes away under a running app and comes back. Meanwhile
/// what needs it answers 503 within the configured timeouts, changing
/// nothing; afterwards the very same registration succeeds, without a
/// restart. PostgreSQL: every connection drops and new ones are refused (a
/// relay between app and server is cut), so pages, reads and writes all
/// fail. SQLite: another process holds the write lock (a backup or a
/// migration), so writes fail and reads still work.
async fn a_registration_refused_while_the_database_is_away_succeeds_once_it_is_back(backend: Backend) {
    let (db, mut outage) = Outage::prepare(backend).await;
    let app = TestApp::on(db, &[("DB_ACQUIRE_TIMEOUT", "1s"), ("SQLITE_BUSY_TIMEOUT", "500ms")]).await;
    let paid = app.purchase().await;
    let register = format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket);
    let mut shopper = holding_a_basket(&app).await;

    outage.begin().await;
    let started = Instant::now();
    let refused = app.call(Method::POST, &register).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), "5");
    assert_eq!(password_grant(&app).await.status, StatusCode::SERVICE_UNAVAILABLE, "sign-in writes too");
    let pdf = format!("/api/public/billing/invoices/{}/pdfByToken?token={}", paid.invoice, paid.basket);
    let reads = [
        (pdf.clone(), app.call(Method::GET, &pdf).await),
        ("/".to_owned(), app.call(Method::GET, "/").await),
        // The basket page needs the database only for a visitor who holds a basket.
        ("/basket".to_owned(), shopper.get("/basket").await),
    ];
    for (uri, reply) in &reads {
        match backend {
            Backend::Postgres => {
                assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "GET {uri}: {}", reply.text());
                if !uri.starts_with("/api") {
                    assert!(reply.text().contains(UNAVAILABLE_NOTICE), "{uri} shows the app's notice");
                }
            }
            Backend::Sqlite => assert_eq!(reply.status, StatusCode::OK, "a write lock does not stop GET {uri}"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(15), "answered within the timeouts: {:?}", started.elapsed());
    outage.end().await;

    let registered = app.call(Method::POST, &register).await;
    assert_eq!(registered.status, StatusCode::OK, "the token was not burned: {}", registered.text());
    let token = registered.json()["Token"].as_str().unwrap().to_owned();
    assert_eq!(app.pdf(paid.invoice, &token).await.status, StatusCode::OK);
    assert_eq!(app.call(Method::POST, &register).await.status, StatusCode::UNAUTHORIZED, "and it works once");
}

/// A way to take a test's database away and give it back.
pub(crate) struct Outage {
    kind: OutageKind,
}

enum OutageKind {
    Postgres(Relay),
    /// The lock holder, while the outage lasts.
    Sqlite { url: String, locker: Option<sqlx::AnyConnection> },
}

impl Outage {
    /// A fresh database for the app, reached in a way this outage controls.
    pub(crate) async fn prepare(backend: Backend) -> (TestDb, Self) {
        let mut db = TestDb::create(backend).await;
        let kind = match backend {
            Backend::Postgres => {
                // The server's host:port, between the credentials and the database name.
                let server = db.url.split_once('@').and_then(|(_, rest)| rest.split_once('/')).map(|(at, _)| at.to_owned());
                let server = server.unwrap_or_else(|| panic!("no host:port in {}", db.url));
                let relay = Relay::start(&server).await;
                db.url = db.url.replacen(&server, &relay.listen.to_string(), 1);
                OutageKind::Postgres(relay)
            }
            Backend::Sqlite => OutageKind::Sqlite { url: db.url.clone(), locker: None },
        };
        (db, Self { kind })
    }

    pub(crate) async fn begin(&mut self) {
        match &mut self.kind {
            OutageKind::Postgres(relay) => relay.cut(),
            OutageKind::Sqlite { url, locker } => {
                use sqlx::Connection;
                let mut conn = sqlx::AnyConnection::connect(url).await.expect("second connection");
                sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await.expect("take the write lock");
                *locker = Some(conn);
            }
        }
    }

    pub(crate) async fn end(&mut self) {
        match &mut self.kind {
            OutageKind::Postgres(relay) => relay.restore(),
            OutageKind::Sqlite { locker, .. } => {
                let mut conn = locker.take().expect("the lock is held");
                sqlx::query("ROLLBACK").execute(&mut conn).await.expect("release the write lock");
            }
        }
    }
}

/// A TCP relay to PostgreSQL that can be cut (every connection through it
/// drops, and new ones are closed at once, as a server that is gone would)
/// and restored. It stays bound throughout, so its port cannot be taken.
struct Relay {
    listen: std::net::SocketAddr,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    connections: std::sync::Arc<std::sync::Mutex<tokio::task::JoinSet<()>>>,
    _accepting: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(server: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let listen = listener.local_addr().unwrap();
        let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let connections = std::sync::Arc::new(std::sync::Mutex::new(tokio::task::JoinSet::new()));
        let (server, open_flag, relayed) = (server.to_owned(), open.clone(), connections.clone());
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !open_flag.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: closed at once
                }
                let server = server.clone();
                relayed.lock().unwrap().spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(server).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self { listen, open, connections, _accepting: accepting }
    }

    fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        self.connections.lock().unwrap().abort_all();
    }

    fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
