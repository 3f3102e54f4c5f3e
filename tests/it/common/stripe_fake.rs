//! The Stripe fake (`tests/fakes/stripe_fake.py`, on localstripe): one
//! process for the whole test binary, started on first use, and one
//! `FakeAccount` per test. Each account is a fresh `sk_test_…` secret key, and
//! the fake keeps everything per key (sessions, idempotency keys, webhook
//! endpoints, events, the request log, holds, faults and the clock), so tests
//! running in parallel never see each other.
//!
//! The fake speaks Stripe's API under `api_base()/v1` and has test controls
//! under `/_fake`, which the methods here wrap. Its Python environment comes
//! from `scripts/setup test`.

// The app's payment tests use what the smoke tests leave out.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The fake's process: its standard input stays open for the life of the
/// test binary, and the fake exits when it closes (so it never outlives us).
struct FakeProcess {
    base: String,
    log: PathBuf,
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

static FAKE: OnceLock<Result<FakeProcess, String>> = OnceLock::new();

fn fake() -> &'static FakeProcess {
    match FAKE.get_or_init(start) {
        Ok(process) => process,
        Err(problem) => panic!("{problem}"),
    }
}

/// `$CHECKOUT_PORTAL_TOOLS/stripe-fake/bin/python`, as `scripts/setup test`
/// installs it (`CHECKOUT_PORTAL_TOOLS` defaults to
/// `$HOME/.cache/checkout-portal/tools`).
pub fn python() -> PathBuf {
    let tools = std::env::var_os("CHECKOUT_PORTAL_TOOLS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/checkout-portal/tools")
        });
    tools.join("stripe-fake/bin/python")
}

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fakes/stripe_fake.py");
const READY: &str = "STRIPE_FAKE_LISTENING ";

fn start() -> Result<FakeProcess, String> {
    let python = python();
    if !python.exists() {
        return Err(format!(
            "the Stripe fake's Python ({}) is missing: run `scripts/setup test` to install it",
            python.display()
        ));
    }
    let log = std::env::temp_dir().join(format!("stripe-fake-{}.log", std::process::id()));
    let stderr = std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let mut child = Command::new(&python)
        .arg(SCRIPT)
        .args(["--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot start the Stripe fake ({} {SCRIPT}): {e}", python.display()))?;
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tell, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tell.send(line);
    });
    let line = told.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
    match line.trim().strip_prefix(READY.trim_end()) {
        Some(base) if !base.trim().is_empty() => Ok(FakeProcess {
            base: base.trim().to_owned(),
            log,
            _child: Mutex::new(child),
            _stdin: Mutex::new(stdin),
        }),
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            let output = std::fs::read_to_string(&log).unwrap_or_default();
            Err(format!("the Stripe fake did not start (said {line:?}); its log ({}):\n{output}", log.display()))
        }
    }
}

/// The fake's address, `http://127.0.0.1:<port>` (starts it if need be).
pub fn api_base() -> String {
    fake().base.clone()
}

/// Where the fake writes its errors, for a failing test to point at.
pub fn log_path() -> PathBuf {
    fake().log.clone()
}

/// How a webhook endpoint gets its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Sent as soon as the event happens (the hosted page and the control
    /// calls wait, up to 10 s, for these before answering).
    Auto,
    /// Held until the test sends it (`deliver`, `deliver_pending`).
    Queued,
}

/// What to spoil in a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    None,
    /// The body is changed after signing (amount_total + 100, payment_status "paid").
    Body,
    /// Signed with the wrong secret.
    Signature,
    /// Signed correctly, with a timestamp ten minutes old.
    Stale,
}

impl Tamper {
    fn as_str(self) -> &'static str {
        match self {
            Tamper::None => "none",
            Tamper::Body => "body",
            Tamper::Signature => "signature",
            Tamper::Stale => "stale",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "body" => Tamper::Body,
            "signature" => Tamper::Signature,
            "stale" => Tamper::Stale,
            _ => Tamper::None,
        }
    }
}

/// What paying a session with a card came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayOutcome {
    /// The session is complete and paid; the shopper goes to `redirect`
    /// (the success URL with `{CHECKOUT_SESSION_ID}` filled in).
    Paid { redirect: String, payment_intent: Option<String> },
    /// The card was declined (Stripe's `code`, `decline_code` and message);
    /// the session stays open.
    Declined { code: String, decline_code: Option<String>, message: String },
    /// The card details were incomplete or invalid (nothing was charged).
    Invalid { message: String },
    /// The session was no longer open: `reason` is `expired` or `complete`.
    Unavailable { reason: String },
}

/// When a hold or a fault acts on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before the fake does anything (nothing happened yet).
    Request,
    /// After the fake did the work, before it answers (an Idempotency-Key
    /// is still "in progress" while held here).
    Response,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Request => "request",
            Stage::Response => "response",
        }
    }
}

/// How a faulty request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// This status, with Stripe's `api_error` body.
    Status(u16),
    /// The connection is closed without an answer.
    Drop,
}

/// One request the app made to the fake's `/v1` API.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub idempotency_key: Option<String>,
    /// Answered from the stored result of an earlier request with the same key.
    pub replayed: bool,
    /// `None` when the connection was dropped.
    pub status: Option<u16>,
    /// Answered by an injected fault.
    pub fault: bool,
    pub dropped: bool,
    /// The form parameters, in order (`line_items[0][quantity]`, …).
    pub params: Vec<(String, String)>,
}

impl LoggedRequest {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// An event, with what happened to its deliveries.
#[derive(Debug, Clone)]
pub struct FakeEvent {
    pub id: String,
    /// `checkout.session.completed`, …
    pub event_type: String,
    pub created: i64,
    pub session: Option<String>,
    /// The whole `event` object, as the API shows it.
    pub object: Value,
    pub deliveries: Vec<EventDelivery>,
}

impl FakeEvent {
    /// The session as it was when the event happened (`data.object`).
    pub fn session_object(&self) -> &Value {
        &self.object["data"]["object"]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// No attempt yet (a queued endpoint's event waits here).
    Pending,
    /// An untampered attempt got a 2xx.
    Delivered,
    /// Attempted, never answered 2xx untampered.
    Failed,
}

#[derive(Debug, Clone)]
pub struct EventDelivery {
    pub endpoint: String,
    pub state: DeliveryState,
    pub attempts: Vec<DeliveryAttempt>,
}

/// One POST of an event to an endpoint.
#[derive(Debug, Clone)]
pub struct DeliveryAttempt {
    pub event: Option<String>,
    pub event_type: Option<String>,
    /// The app's status; `None` if it never answered (see `error`).
    pub status: Option<u16>,
    pub error: Option<String>,
    pub tamper: Tamper,
    /// The `Stripe-Signature` header sent.
    pub signature: String,
    /// The start of the app's answer.
    pub response: Option<String>,
}

impl DeliveryAttempt {
    fn from_json(v: &Value) -> Self {
        Self {
            event: v["event"].as_str().map(str::to_owned),
            event_type: v["type"].as_str().map(str::to_owned),
            status: v["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
            error: v["error"].as_str().map(str::to_owned),
            tamper: Tamper::parse(v["tamper"].as_str().unwrap_or("none")),
            signature: v["signature"].as_str().unwrap_or_default().to_owned(),
            response: v["response"].as_str().map(str::to_owned),
        }
    }
}

/// An answer of the fake's Stripe API.
#[derive(Debug)]
pub struct ApiReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl ApiReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `error.code`, `error.type`, … of an error answer.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.body["error"][field].as_str()
    }
}

/// An answer of the hosted payment page.
#[derive(Debug)]
pub struct PageReply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// One test's Stripe account on the shared fake.
pub struct FakeAccount {
    /// `sk_test_…`: the app's Stripe secret key.
    pub secret_key: String,
    /// `whsec_…`: the signing secret of the endpoints `register_webhook` adds.
    pub webhook_secret: String,
    /// `http://127.0.0.1:<port>`: the app's Stripe API base (paths start `/v1/`).
    pub api_base: String,
    client: reqwest::Client,
}

impl Default for FakeAccount {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeAccount {
    /// A fresh account (starts the fake if this is the binary's first).
    pub fn new() -> Self {
        let api_base = api_base();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Self {
            secret_key: format!("sk_test_{}{}", super::uuid_like(), super::uuid_like()),
            webhook_secret: format!("whsec_{}{}", super::uuid_like(), super::uuid_like()),
            api_base,
            client,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api_base)
    }

    /// A form-encoded POST to the Stripe API (`/v1/…`), with raw Stripe
    /// parameters (`line_items[0][quantity]`, …).
    pub async fn post_form(&self, path: &str, params: &[(&str, &str)], idempotency_key: Option<&str>) -> ApiReply {
        let body = params
            .iter()
            .map(|(k, v)| format!("{}={}", super::form_value(k), super::form_value(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = self
            .client
            .post(self.url(path))
            .bearer_auth(&self.secret_key)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        api_reply(request.send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))).await
    }

    /// A GET of the Stripe API (`/v1/…?expand[]=…`).
    pub async fn get(&self, path_and_query: &str) -> ApiReply {
        let request = self.client.get(self.url(path_and_query)).bearer_auth(&self.secret_key);
        api_reply(request.send().await.unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"))).await
    }

    /// A test control call (`/_fake/…`) with a JSON body; panics unless 2xx.
    async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.try_control(method.clone(), path, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {value} (the fake's log: {})", log_path().display());
        value
    }

    async fn try_control(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.client.request(method.clone(), self.url(path)).bearer_auth(&self.secret_key);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let bytes = response.bytes().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
        (status, value)
    }

    /// A session as the fake holds it now, without a logged API request.
    pub async fn session(&self, session_id: &str) -> Value {
        self.control(Method::GET, &format!("/_fake/checkout/sessions/{session_id}"), None).await
    }

    // --- Webhooks --------------------------------------------------------

    /// Adds a webhook endpoint at `url`, signed with `webhook_secret`, for
    /// every event from now on; returns its id (`we_…`).
    pub async fn register_webhook(&self, url: &str, delivery: Delivery) -> String {
        let delivery = match delivery {
            Delivery::Auto => "auto",
            Delivery::Queued => "queued",
        };
        let body = json!({ "url": url, "secret": self.webhook_secret, "delivery": delivery });
        let endpoint = self.control(Method::POST, "/_fake/webhook_endpoints", Some(body)).await;
        endpoint["id"].as_str().expect("endpoint id").to_owned()
    }

    /// Every event of the account, oldest first.
    pub async fn events(&self) -> Vec<FakeEvent> {
        self.events_at("/_fake/events").await
    }

    /// The events of one checkout session, oldest first.
    pub async fn events_for_session(&self, session_id: &str) -> Vec<FakeEvent> {
        self.events_at(&format!("/_fake/events?session={session_id}")).await
    }

    async fn events_at(&self, path: &str) -> Vec<FakeEvent> {
        let list = self.control(Method::GET, path, None).await;
        list["data"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| FakeEvent {
                id: e["id"].as_str().unwrap_or_default().to_owned(),
                event_type: e["type"].as_str().unwrap_or_default().to_owned(),
                created: e["created"].as_i64().unwrap_or_default(),
                session: e["session"].as_str().map(str::to_owned),
                object: e["event"].clone(),
                deliveries: e["deliveries"]
                    .as_array()
                    .map(|ds| {
                        ds.iter()
                            .map(|d| EventDelivery {
                                endpoint: d["endpoint"].as_str().unwrap_or_default().to_owned(),
                                state: match d["state"].as_str() {
                                    Some("delivered") => DeliveryState::Delivered,
                                    Some("failed") => DeliveryState::Failed,
                                    _ => DeliveryState::Pending,
                                },
                                attempts: d["attempts"]
                                    .as_array()
                                    .map(|a| a.iter().map(DeliveryAttempt::from_json).collect())
                                    .unwrap_or_default(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Sends one event now (to its queued endpoint, or its only endpoint),
    /// spoilt as `tamper` says; returns what the app answered.
    pub async fn deliver(&self, event_id: &str, tamper: Tamper) -> DeliveryAttempt {
        let body = json!({ "tamper": tamper.as_str() });
        DeliveryAttempt::from_json(&self.control(Method::POST, &format!("/_fake/events/{event_id}/deliver"), Some(body)).await)
    }

    /// Sends every queued event not yet attempted, oldest first.
    pub async fn deliver_pending(&self) -> Vec<DeliveryAttempt> {
        let done = self.control(Method::POST, "/_fake/events/deliver_pending", Some(json!({}))).await;
        done["data"].as_array().expect("attempts").iter().map(DeliveryAttempt::from_json).collect()
    }

    // --- Payments ---------------------------------------------------------

    /// Pays a session with `card` as the hosted page's form would (expiry
    /// 12/34, CVC 123).
    pub async fn pay(&self, session_id: &str, card: &str) -> PayOutcome {
        let body = json!({ "card": card, "expiry": "12/34", "cvc": "123" });
        let result = self.control(Method::POST, &format!("/_fake/checkout/sessions/{session_id}/pay"), Some(body)).await;
        let text = |name: &str| result[name].as_str().unwrap_or_default().to_owned();
        match result["outcome"].as_str() {
            Some("paid") => PayOutcome::Paid {
                redirect: text("redirect"),
                payment_intent: result["payment_intent"].as_str().map(str::to_owned),
            },
            Some("declined") => PayOutcome::Declined {
                code: text("code"),
                decline_code: result["decline_code"].as_str().map(str::to_owned),
                message: text("message"),
            },
            Some("invalid") => PayOutcome::Invalid { message: text("message") },
            _ => PayOutcome::Unavailable { reason: text("reason") },
        }
    }

    /// Completes a session with a delayed payment method: `complete`,
    /// `unpaid`, event `checkout.session.completed`. Returns the session.
    pub async fn complete_unpaid(&self, session_id: &str) -> Value {
        self.control(Method::POST, &format!("/_fake/checkout/sessions/{session_id}/complete_unpaid"), Some(json!({})))
            .await
    }

    /// Settles a delayed payment: `checkout.session.async_payment_succeeded`
    /// (now `paid`) or `…_failed` (stays `unpaid`). Returns the session.
    pub async fn settle_async_payment(&self, session_id: &str, succeeds: bool) -> Value {
        let outcome = if succeeds { "succeeded" } else { "failed" };
        self.control(
            Method::POST,
            &format!("/_fake/checkout/sessions/{session_id}/async_payment"),
            Some(json!({ "outcome": outcome })),
        )
        .await
    }

    /// Expires an open session now, as Stripe does at `expires_at` (event
    /// `checkout.session.expired`). Returns the session.
    pub async fn expire(&self, session_id: &str) -> Value {
        self.control(Method::POST, &format!("/_fake/checkout/sessions/{session_id}/expire"), Some(json!({}))).await
    }

    /// Gets the hosted page at `page_url` and submits its form with a card,
    /// as a browser without JavaScript does (no redirect is followed).
    pub async fn submit_hosted_page(&self, page_url: &str, card: &str, expiry: &str, cvc: &str) -> PageReply {
        let page = self.client.get(page_url).send().await.unwrap_or_else(|e| panic!("GET {page_url}: {e}"));
        let page = page.text().await.expect("page text");
        let action = page
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no payment form at {page_url}: {page}"));
        self.post_hosted_form(&format!("{}{action}", self.api_base), card, expiry, cvc).await
    }

    /// Posts the hosted page's form to `target` (the page's own URL) with
    /// a card, without loading the page first (a tab left open).
    pub async fn post_hosted_form(&self, target: &str, card: &str, expiry: &str, cvc: &str) -> PageReply {
        let body = [("email", ""), ("cardnumber", card), ("expiry", expiry), ("cvc", cvc)]
            .iter()
            .map(|(k, v)| format!("{k}={}", super::form_value(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .client
            .post(target)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {target}: {e}"));
        PageReply {
            status: response.status(),
            location: response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned),
            body: response.text().await.unwrap_or_default(),
        }
    }

    // --- Request log ------------------------------------------------------

    /// Every `/v1` request of this account so far, in order.
    pub async fn requests(&self) -> Vec<LoggedRequest> {
        let log = self.control(Method::GET, "/_fake/requests", None).await;
        log["data"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| LoggedRequest {
                seq: r["seq"].as_u64().unwrap_or_default(),
                method: r["method"].as_str().unwrap_or_default().to_owned(),
                path: r["path"].as_str().unwrap_or_default().to_owned(),
                query: r["query"].as_str().unwrap_or_default().to_owned(),
                idempotency_key: r["idempotency_key"].as_str().map(str::to_owned),
                replayed: r["replayed"].as_bool().unwrap_or_default(),
                status: r["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
                fault: r["fault"].as_bool().unwrap_or_default(),
                dropped: r["dropped"].as_bool().unwrap_or_default(),
                params: r["params"]
                    .as_array()
                    .map(|ps| {
                        ps.iter()
                            .map(|p| (p[0].as_str().unwrap_or_default().to_owned(), p[1].as_str().unwrap_or_default().to_owned()))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// The requests with this method and path.
    pub async fn requests_to(&self, method: &str, path: &str) -> Vec<LoggedRequest> {
        self.requests().await.into_iter().filter(|r| r.method == method && r.path == path).collect()
    }

    /// Forgets the request log so far.
    pub async fn clear_requests(&self) {
        self.control(Method::DELETE, "/_fake/requests", None).await;
    }

    // --- Holds and faults -------------------------------------------------

    /// Holds every request whose method is `method` (`"*"`: any) and path
    /// starts with `path_prefix`, before the fake acts on it, until released.
    pub async fn hold(&self, method: &str, path_prefix: &str) -> Hold {
        self.hold_at(method, path_prefix, Stage::Request).await
    }

    /// Holds matching requests at `stage`.
    pub async fn hold_at(&self, method: &str, path_prefix: &str, stage: Stage) -> Hold {
        let body = json!({ "method": method, "path_prefix": path_prefix, "stage": stage.as_str() });
        let hold = self.control(Method::POST, "/_fake/holds", Some(body)).await;
        Hold {
            id: hold["id"].as_str().expect("hold id").to_owned(),
            base: self.api_base.clone(),
            key: self.secret_key.clone(),
            client: self.client.clone(),
        }
    }

    /// The next `times` requests matching `method` and `path_prefix` are
    /// answered with `fault` before the fake acts on them.
    pub async fn fault(&self, method: &str, path_prefix: &str, times: u32, fault: Fault) {
        self.fault_at(method, path_prefix, times, fault, Stage::Request).await
    }

    /// Like `fault`, at `stage`: at `Stage::Response` the fake has done the
    /// work (and stored the Idempotency-Key's result) but the app never
    /// hears it.
    pub async fn fault_at(&self, method: &str, path_prefix: &str, times: u32, fault: Fault, stage: Stage) {
        let mut body = json!({ "method": method, "path_prefix": path_prefix, "times": times, "stage": stage.as_str() });
        match fault {
            Fault::Status(status) => body["status"] = json!(status),
            Fault::Drop => body["drop"] = json!(true),
        }
        self.control(Method::POST, "/_fake/faults", Some(body)).await;
    }

    // --- Clock ------------------------------------------------------------

    /// The account's "now" (unix seconds): what `created`, `expires_at`
    /// checks and webhook signatures use.
    pub async fn now(&self) -> i64 {
        self.control(Method::GET, "/_fake/clock", None).await["now"].as_i64().expect("now")
    }

    /// Stops the account's clock at `unix` (say, the app's `ManualClock`).
    pub async fn set_time(&self, unix: i64) {
        self.control(Method::POST, "/_fake/clock", Some(json!({ "now": unix }))).await;
    }

    /// Moves the account's clock on; open sessions whose `expires_at` has
    /// come expire (with their events) before this returns.
    pub async fn advance(&self, by: Duration) {
        self.control(Method::POST, "/_fake/clock", Some(json!({ "advance": by.as_secs() }))).await;
    }
}

/// Requests held by the fake until `release`.
pub struct Hold {
    pub id: String,
    base: String,
    key: String,
    client: reqwest::Client,
}

impl Hold {
    async fn call(&self, action: &str, body: Value) -> (StatusCode, Value) {
        let url = format!("{}/_fake/holds/{}/{action}", self.base, self.id);
        let response = self
            .client
            .post(&url)
            .bearer_auth(&self.key)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status();
        let value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
        (status, value)
    }

    /// Waits (without sleeping: the fake answers when it happens) until `n`
    /// requests are held; panics after 10 s.
    pub async fn wait_for(&self, n: usize) {
        let (status, value) = self.call("wait", json!({ "count": n, "timeout_ms": 10_000 })).await;
        assert!(status.is_success(), "waiting for {n} held requests: {status} {value}");
    }

    /// How many requests are held now.
    pub async fn held(&self) -> usize {
        let url = format!("{}/_fake/holds/{}", self.base, self.id);
        let response = self.client.get(&url).bearer_auth(&self.key).send().await.expect("hold state");
        let value: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
        value["held"].as_u64().and_then(|n| usize::try_from(n).ok()).unwrap_or_default()
    }

    /// Lets the `n` oldest held requests go on; the hold stays.
    pub async fn release(&self, n: usize) {
        let (status, value) = self.call("release", json!({ "count": n })).await;
        assert!(status.is_success(), "releasing: {status} {value}");
    }

    /// Lets every held request go on and removes the hold.
    pub async fn release_all(self) {
        let (status, value) = self.call("release", json!({})).await;
        assert!(status.is_success(), "releasing: {status} {value}");
    }
}

async fn api_reply(response: reqwest::Response) -> ApiReply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("the fake's answer");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("the fake answered {status} with non-JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    ApiReply { status, headers, body }
}
