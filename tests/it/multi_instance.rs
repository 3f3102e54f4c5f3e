//! Several real `checkout-portal` processes on one database: single use of a
//! basket token must hold across instances, not just within one.

use crate::common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, Backend, TestDb};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BINARY: &str = env!("CARGO_BIN_EXE_checkout-portal");

on_every_registration_path!(
    a_hundred_concurrent_registrations_across_two_instances_succeed_once,
    logs_never_contain_tokens,
    registrations_survive_a_sigkill_under_load,
);

mod startup {
    on_both_backends!(a_bad_database_url_fails_fast_with_one_clear_line);
    use super::*;
}

/// A server process, killed when dropped.
struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_instance(database_url: &str) -> Instance {
    start_instance_logging(database_url, "warn", Stdio::null()).await
}

async fn start_instance_logging(database_url: &str, log_filter: &str, stderr: impl Into<Stdio>) -> Instance {
    let port = free_port();
    let child = Command::new(BINARY)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("REGISTRATION_PATH", common::registration_path())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "checkout-portal")
        .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
        .env("RUST_LOG", log_filter)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("start checkout-portal");
    let mut instance = Instance { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "instance on port {port} did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What answered is this process, not one that exited after failing to start.
    assert!(instance.child.try_wait().unwrap().is_none(), "instance on port {port} exited");
    instance
}

/// One bare HTTP/1.1 request; returns the status code and the whole response text.
async fn request(port: u16, method: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("receive");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or_else(|| panic!("bad response: {text}"));
    (status, text)
}

async fn post(port: u16, path: &str) -> u16 {
    request(port, "POST", path).await.0
}

/// The operator command, on the shared database: `(invoice id, basket GUID)`.
fn demo_checkout(database_url: &str) -> (i64, String) {
    let output = Command::new(BINARY)
        .args(["demo-checkout", "--email", "shared@example.com"])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run demo-checkout");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    (line["InvoiceId"].as_i64().unwrap(), line["BasketSession"].as_str().unwrap().to_owned())
}

async fn count(database_url: &str, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(database_url).await.expect("connect");
    sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut conn).await.expect("count")
}

async fn a_hundred_concurrent_registrations_across_two_instances_succeed_once(backend: Backend) {
    let db = TestDb::create(backend).await;
    // Both instances start together on the empty database: migrations must not race.
    let (a, b) = tokio::join!(start_instance(&db.url), start_instance(&db.url));
    let (invoice, basket) = demo_checkout(&db.url);
    let path = format!("/api/public/billing/invoices/{invoice}/registerByToken?token={basket}");

    let calls: Vec<_> = (0..100)
        .map(|i| {
            let port = if i % 2 == 0 { a.port } else { b.port };
            let path = path.clone();
            tokio::spawn(async move { post(port, &path).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }

    let ok = statuses.iter().filter(|s| **s == 200).count();
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!((ok, unauthorized), (1, 99), "{statuses:?}");
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM invoice_access_tokens").await, 1);
}

async fn a_bad_database_url_fails_fast_with_one_clear_line(backend: Backend) {
    let url = match backend {
        Backend::Sqlite => "sqlite:///proc/no-such-dir/x.db".to_owned(),
        // Nothing listens on port 1.
        Backend::Postgres => "postgres://root@127.0.0.1:1/test".to_owned(),
    };
    let started = Instant::now();
    let output = Command::new(BINARY)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("DB_ACQUIRE_TIMEOUT", "2s")
        .env("LEPTOS_OUTPUT_NAME", "checkout-portal")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("RUST_LOG", "off")
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line, no panic trace: {stderr}");
    assert!(lines[0].starts_with("checkout-portal: "), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

async fn logs_never_contain_tokens(backend: Backend) {
    let db = TestDb::create(backend).await;
    let log_dir = tempfile::tempdir().unwrap();
    let log_path = log_dir.path().join("server.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let server = start_instance_logging(&db.url, "debug", log_file).await;
    let (invoice, basket) = demo_checkout(&db.url);

    let page = format!("/checkout/complete?invoiceId={invoice}&basketSession={basket}");
    assert_eq!(request(server.port, "GET", &page).await.0, 200);
    let (status, response) = request(server.port, "POST", &format!("/api/public/billing/invoices/{invoice}/registerByToken?token={basket}")).await;
    assert_eq!(status, 200);
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let token = serde_json::from_str::<serde_json::Value>(body).unwrap()["Token"].as_str().unwrap().to_owned();
    let pdf = format!("/api/public/billing/invoices/{invoice}/pdfByToken?token={token}");
    assert_eq!(request(server.port, "GET", &pdf).await.0, 200);
    assert_eq!(request(server.port, "POST", &format!("/api/public/billing/invoices/{invoice}/registerByToken?token={basket}")).await.0, 401);
    drop(server);

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("guest registered"), "debug logging was on: {log}");
    assert!(log.contains("/registerByToken"), "paths are logged: {log}");
    assert!(!log.contains(&basket), "basket token in the log:\n{log}");
    assert!(!log.contains(&basket.to_uppercase()));
    assert!(!log.contains(&token), "invoice token in the log:\n{log}");
    assert!(!log.contains("token="), "a token-bearing URL in the log:\n{log}");
}

async fn rows_of(conn: &mut sqlx::AnyConnection, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(conn).await.expect("count")
}

/// One bare request that may get no answer (the server died): the status
/// and body, or `None`.
async fn try_post(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned()))
}

/// The process is SIGKILLed while registrations run concurrently. After a
/// restart, every registration it answered with 200 is intact (its token
/// opens the PDF, its email is queued), and every one it did not answer is
/// either wholly done or wholly undone, and an undone one registers now.
async fn registrations_survive_a_sigkill_under_load(backend: Backend) {
    use checkout_portal::server::config::Config;
    use checkout_portal::server::db::Db;
    use checkout_portal::server::services::purchase::{demo_email, demo_purchase, record_paid_guest_purchase};

    const GUESTS: usize = 120;
    let db = TestDb::create(backend).await;
    // On PostgreSQL the instance's connections carry a name of their own, so
    // that after the kill the test can wait for the server to finish with
    // them: a COMMIT already sent is still applied after its client died.
    let killed_instance = format!("killed_{}", checkout_portal::domain::BasketToken::generate().to_string().replace('-', "")[..12].to_owned());
    let instance_url = match backend {
        Backend::Postgres => format!("{}&application_name={killed_instance}", db.url),
        Backend::Sqlite => db.url.clone(),
    };
    let mut instance = start_instance(&instance_url).await;
    let url = db.url.clone();
    let config = Config::from_lookup(|name| (name == "DATABASE_URL").then(|| url.clone())).unwrap();
    let store = Db::connect(&config.database_url, &config.pool).await.unwrap();
    let clock = checkout_portal::domain::SystemClock;
    let shop = checkout_portal::server::services::shop::Shop::start(store.clone(), std::sync::Arc::new(clock), config.seller.clone())
        .await
        .unwrap()
        .current();
    let mut purchases = Vec::new();
    for _ in 0..GUESTS {
        let email = demo_email();
        let purchase = demo_purchase(email.clone(), "Kim Crash", &shop);
        let paid = record_paid_guest_purchase(&store, &clock, &config.token_policy, &purchase).await.unwrap();
        purchases.push((paid, email));
    }

    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let calls: Vec<_> = purchases
        .iter()
        .map(|(paid, _)| {
            let (port, answered) = (instance.port, answered.clone());
            let path = format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket);
            tokio::spawn(async move {
                let reply = try_post(port, &path).await;
                answered.fetch_add(usize::from(reply.is_some()), std::sync::atomic::Ordering::SeqCst);
                reply
            })
        })
        .collect();
    // Kill it mid-stream: some answered, some not.
    let deadline = Instant::now() + Duration::from_secs(30);
    while answered.load(std::sync::atomic::Ordering::SeqCst) < 3 {
        assert!(Instant::now() < deadline, "no registration was answered");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let _ = instance.child.kill();
    let _ = instance.child.wait();
    let mut replies = Vec::new();
    for call in calls {
        replies.push(call.await.unwrap());
    }
    drop(store);

    let restarted = start_instance(&db.url).await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url).await.unwrap();
    if backend == Backend::Postgres {
        let still_open = format!("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '{killed_instance}'");
        let deadline = Instant::now() + Duration::from_secs(60);
        while rows_of(&mut conn, &still_open).await > 0 {
            assert!(Instant::now() < deadline, "PostgreSQL still serves the killed instance's connections");
            tokio::task::yield_now().await;
        }
    }
    let (mut done, mut undone) = (0, 0);
    for ((paid, email), reply) in purchases.iter().zip(&replies) {
        let invoice = paid.invoice;
        let rows = [
            rows_of(&mut conn, &format!("SELECT COUNT(*) FROM basket_sessions WHERE invoice_id = {invoice} AND registration_used_at IS NOT NULL")).await,
            rows_of(&mut conn, &format!("SELECT COUNT(*) FROM invoices WHERE id = {invoice} AND customer_id IS NOT NULL")).await,
            rows_of(&mut conn, &format!("SELECT COUNT(*) FROM invoice_access_tokens WHERE invoice_id = {invoice}")).await,
            rows_of(&mut conn, &format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{email}'")).await,
        ];
        let register = format!("/api/public/billing/invoices/{invoice}/registerByToken?token={}", paid.basket);
        // A whole 200 with its token; anything else (no answer, a cut-off
        // answer, a 503 under the load) must leave all or nothing behind.
        let token = reply
            .as_ref()
            .filter(|(status, _)| *status == 200)
            .and_then(|(_, body)| serde_json::from_str::<serde_json::Value>(body).ok())
            .and_then(|body| body["Token"].as_str().map(str::to_owned));
        match token {
            Some(token) => {
                assert_eq!(rows, [1, 1, 1, 1], "invoice {invoice} was answered 200");
                let pdf = format!("/api/public/billing/invoices/{invoice}/pdfByToken?token={token}");
                assert_eq!(request(restarted.port, "GET", &pdf).await.0, 200, "its token opens the PDF");
                done += 1;
            }
            None if rows == [1, 1, 1, 1] => {
                assert_eq!(post(restarted.port, &register).await, 401, "invoice {invoice} is registered already");
                done += 1;
            }
            None => {
                assert_eq!(rows, [0, 0, 0, 0], "invoice {invoice} is either wholly done or wholly undone");
                assert_eq!(post(restarted.port, &register).await, 200, "nothing of invoice {invoice} was burned");
                undone += 1;
            }
        }
    }
    let answered = replies.iter().filter(|reply| reply.as_ref().is_some_and(|(status, _)| *status == 200)).count();
    eprintln!("sigkill: {answered} answered 200, {done} done, {undone} undone");
    assert_eq!(done + undone, GUESTS);
    assert!(answered < GUESTS, "the kill came while registrations were in flight");
}
