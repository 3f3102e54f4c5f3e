//! Issue #29's attacks, each as the exact sequence that reproduced it, on
//! the real router and both backends: a stranger keeping a door into a
//! person's account, hashing without a ceiling, locking a person out, and
//! the writes a refused request used to cost.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use checkout_portal::server::services::purchase::PaidPurchase;

use crate::common;
use common::steps::{register_in_browser, set_password_now, sign_in, token_request};
use common::{form_value, Backend, Browser, Reply, TestApp};

async fn customer_with_password(app: &TestApp, email: &str) -> PaidPurchase {
    common::steps::customer_with_password(app, email, PASSWORD).await
}

on_both_backends!(
    the_sign_in_link_of_an_expired_purchase_ends_a_strangers_password,
    set_a_password_now_needs_an_account_whose_one_invoice_is_this_purchase,
    set_a_password_now_reads_its_eligibility_before_hashing,
    set_a_password_now_is_rate_limited,
    a_link_is_locked_before_its_password_is_hashed,
    a_full_hashing_queue_answers_503_with_retry_after,
    a_flood_of_password_posts_gets_its_answer_or_503_never_a_500,
    ipv6_clients_are_limited_by_their_64,
    a_browser_that_signed_in_before_is_not_locked_out_by_strangers,
    refused_attempts_write_nothing,
    baskets_that_never_got_details_are_pruned,
    cookies_over_https_use_the_host_prefix,
    a_crafted_error_url_puts_no_words_on_a_page,
);

const PASSWORD: &str = "correct horse battery";

async fn get_with_bearer(app: &TestApp, uri: &str, token: &str) -> Reply {
    let request = Request::builder().uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    app.send(request).await
}

/// A server function called as the hydrated page calls it, from a browser without cookies.
fn form_post(path: &str, form: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form.to_owned()))
        .unwrap()
}

/// Sends every request at the same time, each on a task of its own; their statuses.
async fn all_at_once(app: &TestApp, requests: Vec<Request<Body>>) -> Vec<StatusCode> {
    let mut sent = tokio::task::JoinSet::new();
    for request in requests {
        let router = app.router.clone();
        sent.spawn(async move { tower::ServiceExt::oneshot(router, request).await.expect("router never fails").status() });
    }
    sent.join_all().await
}

async fn rate_limit_hits(app: &TestApp) -> i64 {
    app.count("SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limit_hits").await
}

/// Sequence 1: A buys with the victim's address, registers and sets a
/// password on the complete page, so A holds a session and API tokens. The
/// victim buys with the same address, lets the completion link expire and
/// asks for a sign-in link. The victim's invoice was attached to A's account
/// and A could read it: now A's password, session and tokens end there, and
/// the owner is told and emailed a link to choose a password.
async fn the_sign_in_link_of_an_expired_purchase_ends_a_strangers_password(backend: Backend) {
    // A short completion link, so A's one-hour access token is still live when it has expired.
    let app = TestApp::with_env(backend, &[("BASKET_TOKEN_TTL", "30m")]).await;
    let mut stranger = Browser::new(&app);
    let first = register_in_browser(&app, &mut stranger, "victim@example.com", "Stranger").await;
    assert_eq!(set_password_now(&mut stranger, first.invoice, "strangers password").await.json(), serde_json::json!("SignedIn"));
    let tokens = token_request(&app, "grant_type=password&username=victim%40example.com&password=strangers+password").await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text());
    let access = tokens.json()["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens.json()["refresh_token"].as_str().unwrap().to_owned();
    app.mailbox().await;

    let second = app.purchase_as("victim@example.com", "Victor Owner").await;
    app.advance(Duration::from_secs(31 * 60));
    let mut victim = Browser::new(&app);
    let form = format!("invoice_id={}&basket_session={}", second.invoice, second.basket);
    assert_eq!(victim.call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);

    // A's doors are shut: the portal session, the access token, the refresh token, the password.
    assert_eq!(stranger.get("/api/public/billing/invoices/my").await.status, StatusCode::UNAUTHORIZED);
    let invoice = format!("/api/public/billing/invoices/{}", second.invoice);
    assert_eq!(get_with_bearer(&app, &invoice, &access).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get_with_bearer(&app, &format!("{invoice}/pdf"), &access).await.status, StatusCode::UNAUTHORIZED);
    let refreshed = token_request(&app, &format!("grant_type=refresh_token&refresh_token={refresh}")).await;
    assert_eq!(refreshed.status, StatusCode::BAD_REQUEST, "{}", refreshed.text());
    assert_eq!(sign_in(&mut Browser::new(&app), "victim@example.com", "strangers password").await.status, StatusCode::UNAUTHORIZED);

    // The owner is told the invoice was added, with a link to choose their own
    // password, and gets the sign-in link they asked for, which opens both invoices.
    let mail = app.mailbox().await;
    let added = mail.iter().find(|m| m.subject.contains("was added to your account")).expect("the invoice-added email");
    assert_eq!(added.to, "victim@example.com");
    added.link_token("/account/set-password");
    let link = mail.iter().find(|m| m.subject.starts_with("Your sign-in link")).expect("the sign-in link").link_token("/account/link");
    assert_eq!(victim.call("/account/api/use_link", &format!("token={link}")).await.status, StatusCode::OK);
    assert_eq!(victim.get("/api/public/billing/invoices/my").await.json()["TotalItems"], 2);
}

/// "Set a password now" belongs to an account whose one invoice is this
/// purchase: once the sign-in link attached another, the page sets nothing.
async fn set_a_password_now_needs_an_account_whose_one_invoice_is_this_purchase(backend: Backend) {
    let app = TestApp::with_env(backend, &[("BASKET_TOKEN_TTL", "30m")]).await;
    let mut first_buyer = Browser::new(&app);
    let first = register_in_browser(&app, &mut first_buyer, "shared@example.com", "First Buyer").await;
    let second = app.purchase_as("shared@example.com", "Second Buyer").await;
    app.advance(Duration::from_secs(31 * 60));
    let form = format!("invoice_id={}&basket_session={}", second.invoice, second.basket);
    assert_eq!(Browser::new(&app).call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);

    let reply = set_password_now(&mut first_buyer, first.invoice, "first buyers password").await;
    assert_eq!(reply.json(), serde_json::json!("CheckEmail"));
    assert!(first_buyer.cookie("portal_session").is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash IS NOT NULL").await, 0);
}

/// Sequence 2: one registered purchase and a loop of "Set a password now"
/// ran a full argon2 hash per post before the UPDATE refused it. Now a post
/// that cannot set a password is refused before any hashing.
async fn set_a_password_now_reads_its_eligibility_before_hashing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut guest = Browser::new(&app);
    let paid = register_in_browser(&app, &mut guest, "guest@example.com", "Guest").await;
    assert_eq!(set_password_now(&mut guest, paid.invoice, "the guests password").await.json(), serde_json::json!("SignedIn"));
    let hashed = app.state.passwords.stats().hashes;
    assert_eq!(hashed, 1);
    for _ in 0..5 {
        assert_eq!(set_password_now(&mut guest, paid.invoice, "another password").await.json(), serde_json::json!("CheckEmail"));
    }
    assert_eq!(app.state.passwords.stats().hashes, hashed, "refused posts hash nothing");

    // An account that already had another invoice is refused before hashing too.
    let mut late = Browser::new(&app);
    let other = register_in_browser(&app, &mut late, "guest@example.com", "Guest Again").await;
    assert_eq!(set_password_now(&mut late, other.invoice, "yet another password").await.json(), serde_json::json!("CheckEmail"));
    assert_eq!(app.state.passwords.stats().hashes, hashed);
}

async fn set_a_password_now_is_rate_limited(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut guest = Browser::new(&app);
    let paid = register_in_browser(&app, &mut guest, "guest@example.com", "Guest").await;
    assert_eq!(set_password_now(&mut guest, paid.invoice, "a good long password").await.json(), serde_json::json!("SignedIn"));
    for _ in 0..9 {
        assert_eq!(set_password_now(&mut guest, paid.invoice, "another long password").await.json(), serde_json::json!("CheckEmail"));
    }
    let limited = set_password_now(&mut guest, paid.invoice, "another long password").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.text());
    assert_eq!(limited.header("retry-after"), "900");
    assert_eq!(app.state.passwords.stats().hashes, 1);
    app.advance(Duration::from_secs(15 * 60));
    assert_eq!(set_password_now(&mut guest, paid.invoice, "another long password").await.json(), serde_json::json!("CheckEmail"));
}

/// Many posts of one set-password link at once hash once: the link is
/// locked before the hash, and the others are told to wait or that it is used.
async fn a_link_is_locked_before_its_password_is_hashed(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("jane@example.com", "Jane Doe").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let token = app.only_mail_to("jane@example.com").await.link_token("/account/set-password");
    let form = format!("token={token}&password={}", form_value(PASSWORD));
    let statuses = all_at_once(&app, (0..12).map(|_| form_post("/account/api/password", &form)).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [StatusCode::OK, StatusCode::BAD_REQUEST, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(app.state.passwords.stats().hashes, 1, "{statuses:?}");
}

/// When every hashing slot is taken, password work is refused at once with
/// 503 and `Retry-After`, on every door, and nothing is written or used up.
async fn a_full_hashing_queue_answers_503_with_retry_after(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    let mut guest = Browser::new(&app);
    let paid = register_in_browser(&app, &mut guest, "guest@example.com", "Guest").await;
    let welcome = app.only_mail_to("guest@example.com").await.link_token("/account/set-password");
    let occupied = app.state.passwords.occupy_all();

    let busy = |reply: &Reply| {
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.text());
        let seconds: u64 = reply.header("retry-after").parse().expect("Retry-After in seconds");
        assert!((1..=60).contains(&seconds), "{seconds}");
    };
    busy(&sign_in(&mut Browser::new(&app), "jane@example.com", PASSWORD).await);
    busy(&token_request(&app, &format!("grant_type=password&username=jane%40example.com&password={}", form_value(PASSWORD))).await);
    busy(&set_password_now(&mut guest, paid.invoice, "the guests password").await);
    busy(&Browser::new(&app).call("/account/api/password", &format!("token={welcome}&password=the+guests+password")).await);
    // Without JavaScript the form comes back to its page with the error.
    let posted = guest.submit("/checkout/api/password", &format!("invoice_id={}&password=the+guests+password", paid.invoice)).await;
    assert_eq!(posted.status, StatusCode::FOUND);
    assert!(posted.header("location").contains("__err="), "{}", posted.header("location"));

    // Nothing was used up: with the slots free again, all of it works.
    drop(occupied);
    assert_eq!(sign_in(&mut Browser::new(&app), "jane@example.com", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(set_password_now(&mut guest, paid.invoice, "the guests password").await.json(), serde_json::json!("SignedIn"));
    let welcome_used = Browser::new(&app).call("/account/api/password", &format!("token={welcome}&password=the+guests+password")).await;
    assert_eq!(welcome_used.status, StatusCode::OK, "{}", welcome_used.text());
}

/// 200 password posts at once: each gets its normal answer or a 503, none a
/// 500, and no more hashes ever run at once than the machine has slots for.
async fn a_flood_of_password_posts_gets_its_answer_or_503_never_a_500(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    let posts = (0..200).map(|i| {
        let email = if i % 2 == 0 { "jane@example.com".to_owned() } else { format!("nobody{i}@example.com") };
        form_post("/account/api/sign_in", &format!("email={}&password=a+wrong+guess", form_value(&email)))
    });
    let statuses = all_at_once(&app, posts.collect()).await;
    for status in &statuses {
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE, StatusCode::TOO_MANY_REQUESTS].contains(status),
            "{status}"
        );
    }
    let (stats, limits) = (app.state.passwords.stats(), app.config.hashing);
    assert!(stats.peak_running <= limits.workers, "{stats:?} {limits:?}");
    assert!(stats.peak_admitted <= limits.workers + limits.queue, "{stats:?} {limits:?}");
    assert!(statuses.contains(&StatusCode::SERVICE_UNAVAILABLE) || stats.peak_admitted < limits.workers + limits.queue, "{stats:?}");
}

/// Password sign-in is limited per client; an IPv6 client used to be keyed by
/// its full address, so one /64 (which one subscriber usually has) was unlimited.
async fn ipv6_clients_are_limited_by_their_64(backend: Backend) {
    let app = TestApp::with_env(backend, &[("TRUST_FORWARDED_FOR", "1")]).await;
    for i in 0..50 {
        let mut browser = Browser::from_address(&app, &format!("2001:db8:1:2::{i:x}"));
        assert_eq!(sign_in(&mut browser, &format!("guess{i}@example.com"), "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let mut same_64 = Browser::from_address(&app, "2001:db8:1:2:ffff:ffff:ffff:ffff");
    assert_eq!(sign_in(&mut same_64, "another@example.com", "guess").await.status, StatusCode::TOO_MANY_REQUESTS);
    let mut next_64 = Browser::from_address(&app, "2001:db8:1:3::1");
    assert_eq!(sign_in(&mut next_64, "another@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
    let mut ipv4 = Browser::from_address(&app, "203.0.113.7");
    assert_eq!(sign_in(&mut ipv4, "another@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
}

/// Sequence 5: about 105 requests from a few addresses every 15 minutes kept
/// the owner from signing in and silently suppressed their links. A browser
/// that has signed in to the account before still can, and still gets a link;
/// unknown browsers stay limited, and the mail one address can be sent stays capped.
async fn a_browser_that_signed_in_before_is_not_locked_out_by_strangers(backend: Backend) {
    let app = TestApp::with_env(backend, &[("TRUST_FORWARDED_FOR", "1")]).await;
    customer_with_password(&app, "owner@example.com").await;
    let mut owner = Browser::from_address(&app, "198.51.100.20");
    assert_eq!(sign_in(&mut owner, "owner@example.com", PASSWORD).await.status, StatusCode::OK);
    app.mailbox().await;
    let mails_before = app.mailbox().await.len();

    // Strangers from eleven addresses: each one's own limit stops it after
    // ten guesses, and together they fill the address's limit for unknown browsers.
    for n in 1..=11 {
        let mut stranger = Browser::from_address(&app, &format!("203.0.113.{n}"));
        for _ in 0..10 {
            let guess = sign_in(&mut stranger, "owner@example.com", "a guess").await.status;
            assert!([StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&guess), "{guess}");
        }
        if n <= 3 {
            for _ in 0..7 {
                assert_eq!(stranger.call("/account/api/email_link", "kind=sign-in&email=owner%40example.com").await.status, StatusCode::OK);
            }
        }
    }
    let mut unknown = Browser::from_address(&app, "192.0.2.55");
    assert_eq!(sign_in(&mut unknown, "owner@example.com", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "unknown browsers stay limited");
    assert_eq!(app.mailbox().await.len() - mails_before, 5, "strangers cause at most five emails");

    // The owner's browser, from a new address even, signs in and gets its link.
    let mut owner = Browser { forwarded_for: Some("192.0.2.99".into()), ..owner };
    assert_eq!(sign_in(&mut owner, "owner@example.com", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(owner.call("/account/api/email_link", "kind=sign-in&email=owner%40example.com").await.status, StatusCode::OK);
    let links = app.mailbox().await.into_iter().filter(|m| m.subject.starts_with("Your sign-in link")).count();
    assert_eq!(links, 6, "the owner's own request was sent");
    // The owner's browser has its own ceiling, so it cannot be used to flood the mailbox.
    for _ in 0..10 {
        owner.call("/account/api/email_link", "kind=sign-in&email=owner%40example.com").await;
    }
    assert!(app.mailbox().await.len() - mails_before <= 10, "emails stay capped");
    // A device cookie only vouches for the account it signed in to.
    assert_eq!(sign_in(&mut owner, "someone.else@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
}

/// A refused attempt used to commit a write (the counter went on counting);
/// now it is refused from a read, and the counters stand still.
async fn refused_attempts_write_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut browser = Browser::new(&app);
    for _ in 0..10 {
        assert_eq!(sign_in(&mut browser, "jane@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    for _ in 0..5 {
        assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=jane%40example.com").await.status, StatusCode::OK);
    }
    let first_refusal = sign_in(&mut browser, "jane@example.com", "guess").await;
    assert_eq!(first_refusal.status, StatusCode::TOO_MANY_REQUESTS);
    browser.call("/account/api/email_link", "kind=sign-in&email=jane%40example.com").await;
    let counted = rate_limit_hits(&app).await;
    for _ in 0..20 {
        assert_eq!(sign_in(&mut browser, "jane@example.com", "guess").await.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=jane%40example.com").await.status, StatusCode::OK);
    }
    assert_eq!(rate_limit_hits(&app).await, counted, "refused attempts write nothing");
}

/// Cookieless "add to basket" posts each made a basket row that was never
/// pruned. Baskets that never got details now go after their lifetime;
/// baskets with details, and paid ones, stay.
async fn baskets_that_never_got_details_are_pruned(backend: Backend) {
    let app = TestApp::new(backend).await;
    for _ in 0..5 {
        let reply = Browser::new(&app).call("/checkout/api/add", "product_id=1&quantity=1").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    let mut with_details = common::shopper::Shopper::new(&app);
    assert_eq!(with_details.add(1, 1).await.status, StatusCode::OK);
    assert_eq!(with_details.details().await.status, StatusCode::OK);
    app.purchase().await;
    let all = app.count("SELECT COUNT(*) FROM basket_sessions").await;
    assert_eq!(all, 7);

    app.state.housekeeping.prune_expired().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions").await, all, "fresh baskets stay");
    app.advance(Duration::from_secs(25 * 60 * 60));
    app.state.housekeeping.prune_expired().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions").await, 2, "only the detail-less baskets went");
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_items WHERE basket_session_id NOT IN (SELECT id FROM basket_sessions)").await, 0);
}

/// Over https the session and basket cookies are `__Host-` cookies, which a
/// sibling subdomain cannot set or overwrite; they keep working.
async fn cookies_over_https_use_the_host_prefix(backend: Backend) {
    let app = TestApp::with_env(backend, &[("PUBLIC_URL", "https://billing.example.com")]).await;
    customer_with_password(&app, "jane@example.com").await;
    let mut browser = Browser::new(&app);
    let added = browser.call("/checkout/api/add", "product_id=1&quantity=1").await;
    let basket_cookie = added.header("set-cookie").to_owned();
    assert!(basket_cookie.starts_with("__Host-basket_session="), "{basket_cookie}");
    assert!(basket_cookie.contains("; Path=/;") && basket_cookie.contains("Secure") && !basket_cookie.contains("Domain"), "{basket_cookie}");
    assert_eq!(browser.get("/basket").await.status, StatusCode::OK);
    assert!(browser.get("/basket").await.text().contains("Day Pass"), "the prefixed basket cookie is read back");

    let signed_in = sign_in(&mut browser, "jane@example.com", PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    let session = signed_in.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert!(session.iter().any(|c| c.starts_with("__Host-portal_session=") && c.contains("; Path=/;") && c.contains("Secure")), "{session:?}");
    assert!(browser.cookie("portal_session").is_none());
    assert_eq!(browser.get("/api/public/billing/invoices/my").await.status, StatusCode::OK);
    // An unprefixed cookie, as a sibling subdomain could set it, is not read.
    let token = browser.cookie("__Host-portal_session").unwrap().to_owned();
    let mut planted = Browser { app: &app, cookies: vec![("portal_session".into(), token)], forwarded_for: None };
    assert_eq!(planted.get("/api/public/billing/invoices/my").await.status, StatusCode::UNAUTHORIZED);
}

/// Sequence 4: `/checkout/payment?__path=/checkout/api/pay&__err=…` made the
/// payment page say whatever the link's author wrote. Pages now show only
/// their own messages, chosen by the error's kind (Playwright checks every
/// page with a form: end2end/tests/url-errors.spec.ts).
async fn a_crafted_error_url_puts_no_words_on_a_page(backend: Backend) {
    use base64::Engine;
    const ATTACK: &str = "Your card was flagged. Call +1 555 0100";
    let app = TestApp::new(backend).await;
    let mut shopper = common::shopper::Shopper::new(&app);
    assert_eq!(shopper.add(1, 1).await.status, StatusCode::OK);
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    let basket = shopper.cookie.clone().expect("a basket cookie");
    let (name, value) = basket.split_once('=').expect("name=value");
    let browser = || Browser { app: &app, cookies: vec![(name.to_owned(), value.to_owned())], forwarded_for: None };
    let crafted = |path: &str, error: serde_json::Value| {
        let encoded = base64::engine::general_purpose::URL_SAFE.encode(error.to_string());
        format!("__path={path}&__err={}", form_value(&encoded))
    };
    let pages = [
        ("/checkout/payment", "/checkout/api/pay", serde_json::json!({ "PaymentDeclined": ATTACK })),
        ("/checkout/payment", "/checkout/api/pay", serde_json::json!({ "Rejected": ATTACK })),
        ("/basket", "/checkout/api/quantity", serde_json::json!({ "Rejected": ATTACK })),
        ("/account/sign-in", "/account/api/sign_in", serde_json::json!({ "Invalid": [{ "field": "email", "message": ATTACK }] })),
    ];
    for (page, path, error) in pages {
        let reply = browser().get(&format!("{page}?{}", crafted(path, error))).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(!reply.text().contains("555 0100"), "{page} printed the link's words");
    }
    // A genuine error code still picks the page's own message.
    let genuine = crafted("/checkout/api/pay", serde_json::json!({ "PaymentDeclined": "insufficient_funds" }));
    let reply = browser().get(&format!("/checkout/payment?{genuine}")).await;
    assert!(reply.text().to_lowercase().contains("insufficient funds"), "{}", reply.text());
}
