//! Benchmark helper for `scripts/bench`: seeds tokens, measures the
//! in-process limits, and drives HTTP load with a minimal keep-alive client.
//!
//!   bench seed <count> <tokens-file>                 (uses DATABASE_URL)
//!   bench register-inprocess <tokens-file> <concurrency>
//!   bench register-http <addr> <tokens-file> <concurrency> [rate-per-second]
//!   bench get-http <addr> <path> <concurrency> <seconds> [accept-encoding]
//!                                                    (default "br, gzip", as a browser;
//!                                                    "identity" for the body as rendered)
//!   bench limit-rusqlite <tokens-file> [per-transaction] (SQLite; uses DATABASE_URL)
//!   bench lean-sqlx <addr>                           (SQLite; uses DATABASE_URL; serves until killed)
//!   bench password-flood <addr> <concurrency> <rounds>
//!                                                    (password sign-ins with wrong passwords, each
//!                                                    from its own address: the server needs
//!                                                    TRUST_FORWARDED_FOR=1)
//!
//! Each prints one JSON line of results. With BENCH_TRACE=<file>, the
//! load runs also write one line per request there, `<sent ms> <latency ms>`,
//! both from the start of the run, to see whether slow requests cluster.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use checkout_portal::domain::{BasketToken, Clock, InvoiceAccessToken, InvoiceId, SecretToken, SystemClock};
use checkout_portal::server::store::{self, outbox::OutgoingEmail};
use checkout_portal::server::config::Config;
use checkout_portal::server::db::Db;
use checkout_portal::server::services::guest_access::GuestAccess;
use checkout_portal::server::services::purchase::{demo_email, demo_purchase, record_paid_guest_purchase};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| usage());
    match args.first().map(String::as_str) {
        Some("seed") => seed(arg(1).parse().unwrap(), &arg(2)).await,
        Some("register-inprocess") => register_inprocess(&arg(1), arg(2).parse().unwrap()).await,
        Some("register-http") => {
            let rate = args.get(4).map(|r| r.parse::<f64>().unwrap());
            register_http(&arg(1), &arg(2), arg(3).parse().unwrap(), rate).await
        }
        Some("get-http") => {
            let encoding = args.get(5).map_or("br, gzip", String::as_str);
            get_http(&arg(1), &arg(2), arg(3).parse().unwrap(), arg(4).parse().unwrap(), encoding).await
        }
        Some("limit-rusqlite") => limit_rusqlite(&arg(1), args.get(2).map_or(1, |n| n.parse().unwrap())),
        Some("lean-sqlx") => lean_sqlx(&arg(1)).await,
        Some("password-flood") => password_flood(&arg(1), arg(2).parse().unwrap(), arg(3).parse().unwrap()).await,
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: see the header of examples/bench.rs");
    std::process::exit(2)
}

async fn connect_db() -> (Config, Db) {
    let config = Config::from_env().expect("configuration");
    let db = Db::connect(&config.database_url, &config.pool).await.expect("database");
    (config, db)
}

/// Paid purchases, each with its own basket token: `<invoice id> <guid>` per line.
async fn seed(count: usize, out: &str) {
    let (config, db) = connect_db().await;
    let shop = checkout_portal::server::services::shop::Shop::start(db.clone(), Arc::new(SystemClock), config.seller.clone())
        .await
        .expect("the shop")
        .current();
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (db, config, next, shop) = (db.clone(), config.clone(), next.clone(), shop.clone());
            tokio::spawn(async move {
                let mut lines = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    let purchase = demo_purchase(demo_email(), "Bench Guest", &shop);
                    let paid = record_paid_guest_purchase(&db, &SystemClock, &config.token_policy, &purchase).await.expect("seed");
                    lines.push(format!("{} {}", paid.invoice, paid.basket));
                }
                lines
            })
        })
        .collect();
    let mut file = std::fs::File::create(out).expect("tokens file");
    for task in tasks {
        for line in task.await.unwrap() {
            writeln!(file, "{line}").unwrap();
        }
    }
    println!("{{\"seeded\":{count}}}");
}

fn read_tokens(path: &str) -> Vec<(InvoiceId, BasketToken)> {
    std::fs::read_to_string(path)
        .expect("tokens file")
        .lines()
        .filter_map(|line| {
            let (invoice, token) = line.split_once(' ')?;
            Some((invoice.parse().ok()?, token.parse().ok()?))
        })
        .collect()
}

/// Latency summary in milliseconds.
fn summary(mut latencies: Vec<Duration>, elapsed: Duration, ok: usize, failed: usize) -> String {
    latencies.sort_unstable();
    let pct = |p: f64| {
        if latencies.is_empty() {
            0.0
        } else {
            latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
        }
    };
    format!(
        "{{\"requests\":{},\"ok\":{ok},\"failed\":{failed},\"seconds\":{:.3},\"rps\":{:.1},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"max_ms\":{:.3}}}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        pct(1.0)
    )
}

/// One request's latency and when it was sent.
#[derive(Clone, Copy)]
struct Sample {
    sent: Instant,
    latency: Duration,
}

type WorkerResult = (Vec<Sample>, usize, usize);

/// Waits for the workers and summarises their latencies and outcomes.
async fn gather(tasks: Vec<tokio::task::JoinHandle<WorkerResult>>, started: Instant) -> String {
    let (mut all, mut ok, mut failed) = (Vec::new(), 0, 0);
    for task in tasks {
        let (samples, o, f) = task.await.unwrap();
        all.extend(samples);
        ok += o;
        failed += f;
    }
    let elapsed = started.elapsed();
    if let Ok(path) = std::env::var("BENCH_TRACE") {
        all.sort_unstable_by_key(|sample| sample.sent);
        let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("trace file"));
        for sample in &all {
            let sent = sample.sent.duration_since(started).as_secs_f64() * 1000.0;
            writeln!(file, "{sent:.3} {:.3}", sample.latency.as_secs_f64() * 1000.0).unwrap();
        }
    }
    summary(all.iter().map(|sample| sample.latency).collect(), elapsed, ok, failed)
}

/// The registration service in a loop, no HTTP: the in-process limit.
async fn register_inprocess(tokens: &str, concurrency: usize) {
    let (config, db) = connect_db().await;
    let shop = checkout_portal::server::services::shop::Shop::start(db.clone(), Arc::new(SystemClock), config.seller.clone())
        .await
        .expect("the shop");
    let mail = checkout_portal::server::mail::Mail::new(checkout_portal::server::mail::Templates::new(&config.public_url, shop.cell()));
    let access = GuestAccess::new(db, Arc::new(SystemClock), config.token_policy, config.account_policy, mail);
    let tokens = Arc::new(read_tokens(tokens));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (access, tokens, next) = (access.clone(), tokens.clone(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut ok, mut failed) = (Vec::new(), 0, 0);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((invoice, token)) = tokens.get(i) else { break };
                    let sent = Instant::now();
                    match access.register(*invoice, *token).await {
                        Ok(_) => ok += 1,
                        Err(_) => failed += 1,
                    }
                    latencies.push(Sample { sent, latency: sent.elapsed() });
                }
                (latencies, ok, failed)
            })
        })
        .collect();
    println!("{}", gather(tasks, started).await);
}

/// A keep-alive HTTP/1.1 connection: request, then read exactly one response.
struct Connection {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Connection {
    async fn open(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).unwrap();
        Self { stream: BufReader::new(stream), host: addr.to_owned() }
    }

    async fn send(&mut self, method: &str, path: &str, extra: &str) -> u16 {
        self.send_body(method, path, extra, "").await
    }

    async fn send_body(&mut self, method: &str, path: &str, extra: &str, body: &str) -> u16 {
        let length = body.len();
        let request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {length}\r\n{extra}\r\n{body}", self.host);
        self.stream.get_mut().write_all(request.as_bytes()).await.expect("send");
        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("status line");
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("transfer-encoding") && value.to_ascii_lowercase().contains("chunked") {
                    chunked = true;
                }
            }
        }
        if method == "HEAD" {
            return status;
        }
        if chunked {
            // Streamed responses (server rendering): read every chunk and the trailer.
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.expect("chunk size");
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
                if size == 0 {
                    loop {
                        line.clear();
                        self.stream.read_line(&mut line).await.expect("trailer");
                        if line == "\r\n" || line.is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let mut chunk = vec![0u8; size + 2];
                self.stream.read_exact(&mut chunk).await.expect("chunk");
            }
        } else {
            let mut body = vec![0u8; length];
            self.stream.read_exact(&mut body).await.expect("body");
        }
        status
    }
}

/// registerByToken over HTTP with a fresh token per request. Closed loop at
/// `concurrency`, or open loop at `rate` requests per second for latency.
async fn register_http(addr: &str, tokens: &str, concurrency: usize, rate: Option<f64>) {
    let tokens = Arc::new(read_tokens(tokens));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|worker| {
            let (tokens, next, addr) = (tokens.clone(), next.clone(), addr.to_owned());
            tokio::spawn(async move {
                let mut connection = Connection::open(&addr).await;
                let (mut latencies, mut ok, mut failed) = (Vec::new(), 0, 0);
                // Open loop: each worker owns every `concurrency`-th slot of the schedule.
                let interval = rate.map(|r| Duration::from_secs_f64(concurrency as f64 / r));
                let mut due = Instant::now() + interval.map_or(Duration::ZERO, |i| i.mul_f64(worker as f64 / concurrency as f64));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((invoice, token)) = tokens.get(i) else { break };
                    if let Some(interval) = interval {
                        tokio::time::sleep_until(due.into()).await;
                        due += interval;
                    }
                    let path = format!("/api/public/billing/invoices/{invoice}/registerByToken?token={token}");
                    let sent = Instant::now();
                    match connection.send("POST", &path, "").await {
                        200 => ok += 1,
                        _ => failed += 1,
                    }
                    latencies.push(Sample { sent, latency: sent.elapsed() });
                }
                (latencies, ok, failed)
            })
        })
        .collect();
    println!("{}", gather(tasks, started).await);
}

/// Repeated GETs of one path for `seconds`, closed loop.
async fn get_http(addr: &str, path: &str, concurrency: usize, seconds: f64, encoding: &str) {
    let accept = format!("Accept-Encoding: {encoding}\r\n");
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (addr, path, accept) = (addr.to_owned(), path.to_owned(), accept.clone());
            tokio::spawn(async move {
                let mut connection = Connection::open(&addr).await;
                let (mut latencies, mut ok, mut failed) = (Vec::new(), 0, 0);
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    match connection.send("GET", &path, &accept).await {
                        200 => ok += 1,
                        _ => failed += 1,
                    }
                    latencies.push(Sample { sent, latency: sent.elapsed() });
                }
                (latencies, ok, failed)
            })
        })
        .collect();
    println!("{}", gather(tasks, started).await);
}

/// `concurrency` clients at once, each posting `rounds` password sign-ins
/// with a wrong password, every one from an address of its own (as a botnet
/// would: no per-client limit stops them). Prints how the server answered:
/// a normal refusal (401), busy (503) or anything else.
async fn password_flood(addr: &str, concurrency: usize, rounds: usize) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|client| {
            let addr = addr.to_owned();
            tokio::spawn(async move {
                let mut connection = Connection::open(&addr).await;
                let mut answers = [0usize; 3];
                for round in 0..rounds {
                    let n = client * rounds + round;
                    let headers = format!(
                        "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nX-Forwarded-For: 10.{}.{}.{}\r\n",
                        n >> 16 & 255,
                        n >> 8 & 255,
                        n & 255
                    );
                    let body = format!("email=flood{n}%40example.com&password=not+the+password");
                    let slot = match connection.send_body("POST", "/account/api/sign_in", &headers, &body).await {
                        401 => 0,
                        503 => 1,
                        _ => 2,
                    };
                    answers[slot] += 1;
                }
                answers
            })
        })
        .collect();
    let mut totals = [0usize; 3];
    for task in tasks {
        for (total, count) in totals.iter_mut().zip(task.await.expect("flood client")) {
            *total += count;
        }
    }
    println!(
        "{{\"requests\":{},\"refused_401\":{},\"busy_503\":{},\"other\":{},\"seconds\":{:.2}}}",
        concurrency * rounds,
        totals[0],
        totals[1],
        totals[2],
        started.elapsed().as_secs_f64()
    );
}

/// The SQLite file of DATABASE_URL.
fn sqlite_file(config: &Config) -> String {
    let url = config.database_url.trim_start_matches("sqlite:").trim_start_matches("//");
    url.split('?').next().unwrap().to_owned()
}

/// One welcome email as registration queues it, rendered once: the
/// references below write its bytes without paying for the templates.
fn sample_email(config: &Config) -> OutgoingEmail {
    // The built-in seller: the bytes written, not whose name is on them, are measured.
    let templates = checkout_portal::server::mail::Templates::new(&config.public_url, checkout_portal::server::shop::ShopCell::unconfigured());
    templates.welcome(checkout_portal::domain::locale::Locale::FALLBACK, &demo_email(), "Bench Guest", "INV-000001", &SecretToken::generate(), Duration::from_secs(86_400))
}

/// Our registration's writes (a new customer each time, as the seeded
/// tokens are) in a raw rusqlite loop: `per_transaction` registrations to a
/// transaction, one thread, no async, no HTTP. What SQLite itself allows
/// here; latencies are each registration's own statements (and its share
/// of the commit when it is the last of its transaction).
fn limit_rusqlite(tokens: &str, per_transaction: usize) {
    use rusqlite::ToSql;
    let config = Config::from_env().expect("configuration");
    let conn = rusqlite::Connection::open(sqlite_file(&config)).expect("open");
    for (name, value) in [("journal_mode", "WAL"), ("synchronous", "NORMAL"), ("foreign_keys", "ON"), ("wal_autocheckpoint", "250")] {
        conn.pragma_update(None, name, value).expect("pragma");
    }
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let email = sample_email(&config);
    let tokens = read_tokens(tokens);
    let (mut latencies, mut ok, mut failed) = (Vec::new(), 0, 0);
    let started = Instant::now();
    let count = tokens.len();
    for (n, (invoice, basket)) in tokens.into_iter().enumerate() {
        let sent = Instant::now();
        let now = SystemClock.now().millis();
        let run = || -> rusqlite::Result<bool> {
            let statement = |sql: &str, values: &[(&str, &dyn ToSql)]| -> rusqlite::Result<usize> { conn.prepare_cached(sql)?.execute(values) };
            let (hash, invoice) = (basket.hash(), invoice.get());
            if statement(store::baskets::CONSUME_BASKET_FOR_REGISTRATION, &[("$1", &now), ("$2", &hash.as_str()), ("$3", &invoice)])? != 1 {
                return Ok(false);
            }
            let (name, address, number): (String, String, String) = conn
                .prepare_cached(store::invoices::FIND_INVOICE_CONTACT)?
                .query_row(&[("$1", &invoice as &dyn ToSql)], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            let normalized = address.to_lowercase();
            let customer: i64 = conn.prepare_cached(store::customers::INSERT_CUSTOMER)?.query_row(
                &[("$1", &name as &dyn ToSql), ("$2", &address), ("$3", &normalized), ("$4", &now)],
                |row| row.get(0),
            )?;
            statement(store::invoices::ATTACH_INVOICE_TO_CUSTOMER, &[("$1", &customer), ("$2", &"created"), ("$3", &now), ("$4", &invoice)])?;
            let token = InvoiceAccessToken::generate().hash();
            statement(
                store::invoices::INSERT_INVOICE_ACCESS_TOKEN,
                &[("$1", &token.as_str()), ("$2", &invoice), ("$3", &customer), ("$4", &now), ("$5", &(now + 86_400_000))],
            )?;
            let link = SecretToken::generate().hash();
            statement(
                store::accounts::INSERT_ACCOUNT_LINK,
                &[("$1", &link.as_str()), ("$2", &customer), ("$3", &"set_password"), ("$4", &now), ("$5", &(now + 86_400_000))],
            )?;
            let _ = number;
            conn.prepare_cached(store::outbox::ENQUEUE)?.query_row(
                &[
                    ("$1", &address as &dyn ToSql),
                    ("$2", &email.subject),
                    ("$3", &email.text),
                    ("$4", &email.html),
                    ("$5", &now),
                    ("$6", &None::<i64>),
                ],
                |row| row.get::<_, i64>(0),
            )?;
            Ok(true)
        };
        if n % per_transaction == 0 {
            conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        }
        conn.execute_batch("SAVEPOINT registration").expect("savepoint");
        match run() {
            Ok(true) => ok += 1,
            Ok(false) | Err(_) => {
                conn.execute_batch("ROLLBACK TO registration").expect("rollback");
                failed += 1;
            }
        }
        conn.execute_batch("RELEASE registration").expect("release");
        if (n + 1) % per_transaction == 0 || n + 1 == count {
            conn.execute_batch("COMMIT").expect("commit");
        }
        latencies.push(sent.elapsed());
    }
    println!("{}", summary(latencies, started.elapsed(), ok, failed));
}

/// The lean reference: a minimal axum + sqlx service (sqlx's own SQLite
/// pool, not `Any`) answering registerByToken with the same transaction:
/// no layers, no templates (the email bytes are pre-rendered), no outbox
/// delivery, no metrics.
async fn lean_sqlx(addr: &str) {
    use std::str::FromStr;

    use axum::extract::{Path, Query, State};
    use axum::http::StatusCode;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

    #[derive(serde::Deserialize)]
    struct TokenQuery {
        token: String,
    }
    type Lean = State<(sqlx::SqlitePool, Arc<OutgoingEmail>)>;

    async fn register(State((pool, email)): Lean, Path(invoice): Path<i64>, Query(query): Query<TokenQuery>) -> (StatusCode, String) {
        let Ok(basket) = query.token.parse::<BasketToken>() else { return (StatusCode::UNAUTHORIZED, String::new()) };
        let outcome: Result<Option<String>, sqlx::Error> = async {
            let now = SystemClock.now().millis();
            let mut tx = pool.begin().await?;
            let consumed = sqlx::query(store::baskets::CONSUME_BASKET_FOR_REGISTRATION)
                .bind(now)
                .bind(basket.hash().as_str())
                .bind(invoice)
                .execute(&mut *tx)
                .await?;
            if consumed.rows_affected() != 1 {
                return Ok(None);
            }
            let (name, address, _number): (String, String, String) =
                sqlx::query_as(store::invoices::FIND_INVOICE_CONTACT).bind(invoice).fetch_one(&mut *tx).await?;
            let customer: i64 = sqlx::query_scalar(store::customers::INSERT_CUSTOMER)
                .bind(&name)
                .bind(&address)
                .bind(address.to_lowercase())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(store::invoices::ATTACH_INVOICE_TO_CUSTOMER).bind(customer).bind("created").bind(now).bind(invoice).execute(&mut *tx).await?;
            let token = InvoiceAccessToken::generate();
            sqlx::query(store::invoices::INSERT_INVOICE_ACCESS_TOKEN)
                .bind(token.hash().as_str())
                .bind(invoice)
                .bind(customer)
                .bind(now)
                .bind(now + 86_400_000)
                .execute(&mut *tx)
                .await?;
            sqlx::query(store::accounts::INSERT_ACCOUNT_LINK)
                .bind(SecretToken::generate().hash().as_str())
                .bind(customer)
                .bind("set_password")
                .bind(now)
                .bind(now + 86_400_000)
                .execute(&mut *tx)
                .await?;
            let _: i64 = sqlx::query_scalar(store::outbox::ENQUEUE)
                .bind(&address)
                .bind(&email.subject)
                .bind(&email.text)
                .bind(&email.html)
                .bind(now)
                .bind(None::<i64>)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(token.reveal().to_owned()))
        }
        .await;
        match outcome {
            Ok(Some(token)) => (StatusCode::OK, serde_json::json!({ "Token": token }).to_string()),
            Ok(None) => (StatusCode::UNAUTHORIZED, String::new()),
            Err(_) => (StatusCode::SERVICE_UNAVAILABLE, String::new()),
        }
    }

    let config = Config::from_env().expect("configuration");
    let options = SqliteConnectOptions::from_str(&config.database_url)
        .expect("url")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("wal_autocheckpoint", "250");
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.expect("pool");
    let app = axum::Router::new()
        .route("/api/public/billing/invoices/{invoice}/registerByToken", axum::routing::post(register))
        .with_state((pool, Arc::new(sample_email(&config))));
    use axum::serve::ListenerExt;
    // As the app's server does: no Nagle delay between headers and body.
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind").tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.expect("serve");
}
