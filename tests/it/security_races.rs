//! Issue #29, second round: the attacks an independent review found against
//! the first round of fixes (a sign-in racing the removal of a stranger's
//! password, a stranger's device cookies, the order of a busy queue and a
//! rate limit, a link of the wrong kind), each of which failed before its
//! fix, and crafted error URLs that must never answer 500.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use crate::common;
use common::steps::{register_in_browser, set_password_now, sign_in};
use common::{Backend, Browser, TestApp};

on_both_backends!(
    an_unconfirmed_password_earns_no_device_and_a_chosen_password_forgets_devices,
    an_accounts_devices_are_capped_and_share_a_per_email_ceiling,
    a_sign_in_whose_password_is_removed_while_it_is_checked_opens_nothing,
    a_sign_in_link_cannot_choose_a_password,
    crafted_error_urls_never_answer_500,
    set_a_password_now_refused_as_busy_uses_up_no_attempt,
);

/// A stranger types the victim's email at checkout, sets a password on the
/// complete page and signs in with it on /account/sign-in: that sign-in used
/// to issue a device cookie (rate limits of its own for 180 days), and the
/// owner choosing a password with the welcome email's link did not forget
/// it. Now only a proven mailbox owner's browser gets one, and choosing a
/// password forgets every device but the chooser's.
async fn an_unconfirmed_password_earns_no_device_and_a_chosen_password_forgets_devices(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut stranger = Browser::new(&app);
    let paid = register_in_browser(&app, &mut stranger, "victim@example.com", "Stranger").await;
    assert_eq!(set_password_now(&mut stranger, paid.invoice, "strangers password").await.json(), serde_json::json!("SignedIn"));
    assert!(stranger.cookie("portal_device").is_none(), "no device from the complete page");
    assert_eq!(sign_in(&mut stranger, "victim@example.com", "strangers password").await.status, StatusCode::OK);
    assert!(stranger.cookie("portal_device").is_none(), "no device for a password the mailbox never confirmed");

    // The mailbox's owner uses the welcome email's link: their browser is trusted from now on.
    let welcome = app.only_mail_to("victim@example.com").await.link_token("/account/set-password");
    let mut owner = Browser::new(&app);
    let chosen = owner.call("/account/api/password", &format!("token={welcome}&password=owners+own+password")).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert!(owner.cookie("portal_device").is_some());
    let mut laptop = Browser::new(&app);
    assert_eq!(sign_in(&mut laptop, "victim@example.com", "owners own password").await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM trusted_devices").await, 2);

    // A password reset forgets them all but the browser that chose it, as
    // "Sign out on all devices" forgets them all.
    assert_eq!(owner.call("/account/api/email_link", "kind=reset&email=victim%40example.com").await.status, StatusCode::OK);
    let reset = app.mailbox().await.into_iter().rev().find(|m| m.subject.starts_with("Reset your")).expect("a reset email").link_token("/account/reset-password");
    let mut phone = Browser::new(&app);
    assert_eq!(phone.call("/account/api/password", &format!("token={reset}&password=a+brand+new+password")).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM trusted_devices").await, 1);
    phone.call("/account/api/sign_out", "everywhere=1").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM trusted_devices").await, 0);
}

/// Each device is a bucket of its own, so their number is capped (the
/// newest ten), and together an account's devices share a per-email
/// ceiling: its mailbox receives at most five links per window from them,
/// beside the five unknown browsers may cause.
async fn an_accounts_devices_are_capped_and_share_a_per_email_ceiling(backend: Backend) {
    let app = TestApp::with_env(backend, &[("TRUST_FORWARDED_FOR", "1")]).await;
    let paid = app.purchase_as("owner@example.com", "Owner").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let welcome = app.only_mail_to("owner@example.com").await.link_token("/account/set-password");
    assert_eq!(Browser::new(&app).call("/account/api/password", &format!("token={welcome}&password=owners+own+password")).await.status, StatusCode::OK);
    let mut browsers = Vec::new();
    for n in 0..12 {
        let mut browser = Browser::from_address(&app, &format!("198.51.100.{n}"));
        assert_eq!(sign_in(&mut browser, "owner@example.com", "owners own password").await.status, StatusCode::OK);
        browsers.push(browser);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM trusted_devices").await, 10, "the newest ten");
    let mails_before = app.mailbox().await.len();
    for browser in browsers.iter_mut().rev().take(4) {
        for _ in 0..2 {
            assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=owner%40example.com").await.status, StatusCode::OK);
        }
    }
    assert_eq!(app.mailbox().await.len() - mails_before, 5, "eight requests from four devices, five emails");
}

/// A sign-in reads the customer's hash, checks the password (tens of
/// milliseconds), then writes a session. If a purchase by the mailbox's
/// owner removed the stranger's unconfirmed password and revoked everything
/// in between, the session written afterwards used to survive and read the
/// owner's new invoice. The check is held back here (every hashing worker
/// taken) so the purchase lands in between every time.
async fn a_sign_in_whose_password_is_removed_while_it_is_checked_opens_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut stranger = Browser::new(&app);
    let first = register_in_browser(&app, &mut stranger, "victim@example.com", "Stranger").await;
    assert_eq!(set_password_now(&mut stranger, first.invoice, "strangers password").await.json(), serde_json::json!("SignedIn"));
    let second = app.purchase_as("victim@example.com", "Victor Owner").await;
    let verifications = app.state.passwords.stats().verifications;
    let held = app.state.passwords.hold_workers();

    // The stranger signs in (a fresh browser) ...
    let router = app.router.clone();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/account/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("email=victim%40example.com&password=strangers+password"))
        .unwrap();
    let signing_in = tokio::spawn(async move { tower::ServiceExt::oneshot(router, request).await.unwrap() });
    // ... and once its check is waiting to run (it has read the old hash) ...
    while app.state.passwords.stats().verifications == verifications {
        tokio::task::yield_now().await;
    }
    // ... the owner's purchase registers: the unconfirmed password is cleared, sessions revoked, devices forgotten.
    assert_eq!(app.register(second.invoice, second.basket).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash IS NOT NULL").await, 0);
    drop(held);

    let response = signing_in.await.unwrap();
    let status = response.status();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{cookies:?}");
    let mut late = Browser::new(&app);
    for pair in &cookies {
        let (k, v) = pair.split_once('=').unwrap();
        if !v.is_empty() {
            late.cookies.push((k.to_owned(), v.to_owned()));
        }
    }
    let listed = late.get("/api/public/billing/invoices/my").await;
    assert_ne!(listed.status, StatusCode::OK, "a sign-in with a password cleared meanwhile must not open a session");
}

/// A sign-in link posted to the choose-password form used to take a hashing
/// place and fail the lock (which takes only set and reset links): as a
/// usable link it was answered `Busy` for its whole 15 minutes.
async fn a_sign_in_link_cannot_choose_a_password(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("jane@example.com", "Jane").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    app.mailbox().await;
    assert_eq!(Browser::new(&app).call("/account/api/email_link", "kind=sign-in&email=jane%40example.com").await.status, StatusCode::OK);
    let link = app.only_mail_to_with_subject("jane@example.com", "Your sign-in link").await.link_token("/account/link");
    let reply = Browser::new(&app).call("/account/api/password", &format!("token={link}&password=a+good+long+password")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "a link of another purpose is invalid here, not a busy server");
}

/// Crafted `__path`/`__err` values on the pages that read them: never a 500.
async fn crafted_error_urls_never_answer_500(backend: Backend) {
    use base64::Engine;
    let app = TestApp::new(backend).await;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE.encode(s);
    let errs = vec![
        b64(r#"{"Invalid":[]}"#),
        b64(&format!(r#"{{"Invalid":[{}]}}"#, vec![r#"{"field":"email","problem":"missing"}"#; 200].join(","))),
        b64(r#"{"RateLimited":{"retry_after_minutes":18446744073709551615}}"#),
        b64(r#"{"RateLimited":{"retry_after_minutes":-1}}"#),
        b64(r#"{"Busy":null}"#),
        b64("\"Busy\""),
        b64(&"[".repeat(5000)),
        "%FF%FE".to_owned(),
        "====".to_owned(),
        "".to_owned(),
    ];
    let pages = [
        ("/account/sign-in", "/account/api/sign_in"),
        ("/account/sign-in", "/account/api/email_link"),
        ("/account/set-password?token=abc", "/account/api/password"),
        ("/checkout/details", "/checkout/api/details"),
        ("/checkout/complete?invoiceId=1&basketSession=3F2B8C1E-9D4A-4F6B-8E2C-1A2B3C4D5E6F", "/checkout/api/password"),
    ];
    let mut bad = Vec::new();
    for (page, path) in pages {
        for err in &errs {
            let sep = if page.contains('?') { '&' } else { '?' };
            let uri = format!("{page}{sep}__path={path}&__err={err}");
            let reply = Browser::new(&app).get(&uri).await;
            if reply.status.is_server_error() {
                bad.push(format!("{} {uri}", reply.status));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// A request refused for a full hashing queue writes nothing: "Set a
/// password now" used to count its rate limit before taking a place, so ten
/// posts refused with 503 during a flood used up the purchase's attempts.
async fn set_a_password_now_refused_as_busy_uses_up_no_attempt(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut guest = Browser::new(&app);
    let paid = register_in_browser(&app, &mut guest, "guest@example.com", "Guest").await;
    let hits_before = app.count("SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limit_hits").await;
    let occupied = app.state.passwords.occupy_all();
    for _ in 0..10 {
        assert_eq!(set_password_now(&mut guest, paid.invoice, "the guests password").await.status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let hits_after = app.count("SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limit_hits").await;
    drop(occupied);
    let reply = set_password_now(&mut guest, paid.invoice, "the guests password").await;
    assert_eq!(hits_after, hits_before, "503s write nothing");
    assert_eq!(reply.json(), serde_json::json!("SignedIn"));
}

