//! The real binary on SIGTERM: it stops accepting, finishes, and exits
//! cleanly within a bounded time.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::free_port;

const BINARY: &str = env!("CARGO_BIN_EXE_checkout-portal");

/// `GET path` over a fresh connection; the status line, if the server answered.
fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_owned)
}

/// The real server on a fresh SQLite database in `dir`, once it is ready.
fn start_server(dir: &std::path::Path, port: u16, env: &[(&str, &str)]) -> Child {
    let server = Command::new(BINARY)
        .arg("serve")
        .env("DATABASE_URL", database_url(dir))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir)
        .env("LEPTOS_OUTPUT_NAME", "checkout-portal")
        .env("MAIL_DIR", dir.join("mail"))
        .env("RUST_LOG", "off")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let started = Instant::now();
    while get(port, "/health/ready").is_none_or(|status| !status.contains(" 200 ")) {
        assert!(started.elapsed() < Duration::from_secs(30), "the server never became ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn database_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("app.db").display())
}

fn sigterm(server: &Child) {
    assert!(Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap().success());
}

/// How the server exited, within `limit` (killed and failed otherwise).
fn exit_within(server: &mut Child, limit: Duration) -> ExitStatus {
    let waiting = Instant::now();
    loop {
        if let Some(status) = server.try_wait().unwrap() {
            return status;
        }
        if waiting.elapsed() > limit {
            let _ = server.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_stops_the_server_cleanly_and_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start_server(dir.path(), port, &[]);

    sigterm(&server);
    let status = exit_within(&mut server, Duration::from_secs(10));
    assert!(status.success(), "exit status {status}");
    assert!(get(port, "/health/live").is_none(), "nothing listens any more");
}

/// A request still being answered when SIGTERM arrives is answered in full
/// (here a registration waiting for the SQLite write lock that a backup
/// holds), new connections are no longer accepted meanwhile, and the process
/// then exits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_at_sigterm_is_answered_before_the_exit() {
    use sqlx::Connection;

    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start_server(dir.path(), port, &[("SQLITE_BUSY_TIMEOUT", "20s")]);
    let database = database_url(dir.path());
    let demo = Command::new(BINARY).arg("demo-checkout").env("DATABASE_URL", &database).output().expect("demo-checkout");
    let paid: serde_json::Value = serde_json::from_slice(&demo.stdout).expect("demo-checkout prints JSON");
    let register = format!(
        "/api/public/billing/invoices/{}/registerByToken?token={}",
        paid["InvoiceId"],
        paid["BasketSession"].as_str().unwrap()
    );

    sqlx::any::install_default_drivers();
    let mut backup = sqlx::AnyConnection::connect(&database).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut backup).await.unwrap();
    let in_flight = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(stream, "POST {register} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!in_flight.is_finished(), "the registration waits for the lock");

    sigterm(&server);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(get(port, "/health/live").is_none(), "no new connections once stopping");
    assert!(server.try_wait().unwrap().is_none(), "still answering the request in flight");

    sqlx::query("ROLLBACK").execute(&mut backup).await.unwrap();
    let answer = in_flight.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"Token\""), "{answer}");
    let status = exit_within(&mut server, Duration::from_secs(10));
    assert!(status.success(), "exit status {status}");
}
