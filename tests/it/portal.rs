//! Portal access: emailed links, passwords, sessions, rate limits and the
//! existing-email case, over HTTP on the real router and a real database.

use crate::common;

on_both_backends!(
    a_new_customer_is_emailed_a_set_password_link_that_signs_them_in,
    sign_in_checks_the_password_and_answers_alike_for_unknown_emails,
    a_password_reset_link_replaces_the_password_and_ends_other_sessions,
    a_sign_in_link_works_once_and_opening_it_changes_nothing,
    expired_links_are_refused,
    the_session_cookie_is_http_only_lax_and_revocable,
    https_makes_the_session_cookie_secure,
    set_a_password_now_signs_in_a_new_customer,
    set_a_password_now_without_javascript_comes_back_to_the_page,
    an_existing_email_reveals_nothing_and_signs_nobody_in,
    sign_in_and_link_requests_are_rate_limited,
    portal_pages_need_a_session_and_show_only_own_invoices,
    a_password_set_on_the_complete_page_cannot_capture_the_owners_account,
    an_emailed_sign_in_link_ends_a_strangers_unconfirmed_password,
    the_page_cannot_set_a_password_once_the_account_has_another_invoice,
    cross_site_posts_and_undecodable_calls_are_refused,
    link_requests_work_without_javascript,
);

use std::time::Duration;

use axum::http::StatusCode;
use common::steps::{register_in_browser, sign_in};
use common::{form_value, Backend, Browser, TestApp};

async fn customer_with_password(app: &TestApp, email: &str) -> checkout_portal::server::services::purchase::PaidPurchase {
    common::steps::customer_with_password(app, email, PASSWORD).await
}

const PASSWORD: &str = "correct horse battery";

async fn my_invoice_count(browser: &mut Browser<'_>) -> Result<u64, StatusCode> {
    let reply = browser.get("/api/public/billing/invoices/my").await;
    if reply.status != StatusCode::OK {
        return Err(reply.status);
    }
    Ok(reply.json()["TotalItems"].as_u64().unwrap())
}

async fn a_new_customer_is_emailed_a_set_password_link_that_signs_them_in(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("Jane.Doe@Example.com", "Jane Doe").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);

    // The email was queued with the registration and is delivered as a file.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await, 1);
    let mail = app.only_mail_to("Jane.Doe@Example.com").await;
    assert!(mail.subject.contains("set your password"), "{}", mail.subject);
    assert_eq!(mail.from, "billing@harbourside.example");
    assert!(mail.text.contains(&paid.invoice_number));
    assert!(mail.text.contains("24 hours"));
    let token = mail.link_token("/account/set-password");
    assert!(mail.text.contains(&format!("http://127.0.0.1:3000/account/set-password?token={token}")), "public URL: {}", mail.text);
    assert!(mail.html.contains(&token), "the HTML part has the link too");
    // Only the hash of the link is stored, and the delivered body is dropped.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM account_links WHERE token_hash = '{token}'")).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND text_body = ''").await, 1);

    // Opening the link shows the form and changes nothing.
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/account/set-password?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Set your password"), "{}", page.text());
    assert!(page.text().contains("new-password"));
    assert_eq!(app.count("SELECT COUNT(*) FROM account_links WHERE used_at IS NULL").await, 1);

    // A too-short password is refused without using the link up.
    let short = browser.call("/account/api/password", &format!("token={token}&password=short")).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(short.json()["Invalid"][0]["field"], "password");
    assert_eq!(app.count("SELECT COUNT(*) FROM account_links WHERE used_at IS NULL").await, 1);

    let chosen = browser.call("/account/api/password", &format!("token={token}&password={}", form_value(PASSWORD))).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());
    assert!(browser.cookie("portal_session").is_some(), "signed in right away");
    assert_eq!(my_invoice_count(&mut browser).await, Ok(1));
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash LIKE '$argon2id$%'").await, 1);

    // The link worked once.
    let again = Browser::new(&app).call("/account/api/password", &format!("token={token}&password=another+password")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json(), serde_json::json!("LinkInvalid"));
    let page = Browser::new(&app).get(&format!("/account/set-password?token={token}")).await;
    assert!(page.text().contains("expired or has already been used"));
}

async fn sign_in_checks_the_password_and_answers_alike_for_unknown_emails(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;

    let mut browser = Browser::new(&app);
    let wrong = sign_in(&mut browser, "jane@example.com", "not the password").await;
    let unknown = sign_in(&mut browser, "nobody@example.com", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((unknown.status, unknown.text()), (wrong.status, wrong.text()), "same answer for an unknown email");
    assert!(browser.cookie("portal_session").is_none());
    let malformed = sign_in(&mut browser, "not-an-email", PASSWORD).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["Invalid"][0]["field"], "email");

    // The email matches case-insensitively; a no-JS form post is redirected to the invoices.
    let ok = browser
        .submit("/account/api/sign_in", &format!("email=JANE%40example.com&password={}", form_value(PASSWORD)))
        .await;
    assert_eq!(ok.status, StatusCode::FOUND, "{}", ok.text());
    assert_eq!(ok.header("location"), "/account/invoices");
    assert_eq!(my_invoice_count(&mut browser).await, Ok(1));

    // `next` may only lead back into this site.
    let mut other = Browser::new(&app);
    let outside = other
        .submit("/account/api/sign_in", &format!("email=jane%40example.com&password={}&next=https%3A%2F%2Fevil.example", form_value(PASSWORD)))
        .await;
    assert_eq!(outside.header("location"), "/account/invoices");
}

async fn a_password_reset_link_replaces_the_password_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    let mut laptop = Browser::new(&app);
    assert_eq!(sign_in(&mut laptop, "jane@example.com", PASSWORD).await.status, StatusCode::OK);
    app.mailbox().await; // the welcome email, already read

    let mut phone = Browser::new(&app);
    let known = phone.call("/account/api/email_link", "kind=reset&email=jane%40example.com").await;
    let unknown = phone.call("/account/api/email_link", "kind=reset&email=nobody%40example.com").await;
    assert_eq!((known.status, known.text()), (unknown.status, unknown.text()), "same answer either way");
    assert_eq!(known.status, StatusCode::OK);
    let mails = app.mailbox().await;
    assert_eq!(mails.len(), 2, "welcome + one reset; nothing for the unknown email");
    let reset = &mails[1];
    assert!(reset.subject.contains("Reset"), "{}", reset.subject);
    assert!(reset.text.contains("1 hour"));
    let token = reset.link_token("/account/reset-password");
    let page = phone.get(&format!("/account/reset-password?token={token}")).await;
    assert!(page.text().contains("Choose a new password"));

    let done = phone.call("/account/api/password", &format!("token={token}&password=a+brand+new+passphrase")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(my_invoice_count(&mut phone).await, Ok(1));
    assert_eq!(my_invoice_count(&mut laptop).await, Err(StatusCode::UNAUTHORIZED), "other sessions end with a reset");
    assert_eq!(sign_in(&mut Browser::new(&app), "jane@example.com", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&mut Browser::new(&app), "jane@example.com", "a brand new passphrase").await.status, StatusCode::OK);
}

async fn a_sign_in_link_works_once_and_opening_it_changes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("sam@example.com", "Sam").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    app.mailbox().await;

    let mut browser = Browser::new(&app);
    assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=sam%40example.com").await.status, StatusCode::OK);
    let mails = app.mailbox().await;
    let link = mails.last().unwrap();
    assert!(link.subject.contains("sign-in link"), "{}", link.subject);
    assert!(link.text.contains("15 minutes"));
    let token = link.link_token("/account/link");

    // Mail scanners open links: a GET only shows the button.
    for _ in 0..2 {
        let page = browser.get(&format!("/account/link?token={token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("Continue to your invoices"), "{}", page.text());
    }
    assert!(browser.cookie("portal_session").is_none());
    let used = browser.call("/account/api/use_link", &format!("token={token}")).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.text());
    assert_eq!(my_invoice_count(&mut browser).await, Ok(1), "a customer without a password can get in");

    let again = Browser::new(&app).call("/account/api/use_link", &format!("token={token}")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    // A sign-in link cannot set a password.
    let misuse = Browser::new(&app).call("/account/api/password", &format!("token={token}&password=whatever+it+is")).await;
    assert_eq!(misuse.status, StatusCode::BAD_REQUEST);
}

async fn expired_links_are_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("late@example.com", "Late Larry").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let token = app.only_mail_to("late@example.com").await.link_token("/account/set-password");

    app.advance(Duration::from_secs(24 * 60 * 60));
    let page = Browser::new(&app).get(&format!("/account/set-password?token={token}")).await;
    assert!(page.text().contains("expired or has already been used"), "{}", page.text());
    let reply = Browser::new(&app).call("/account/api/password", &format!("token={token}&password={}", form_value(PASSWORD))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash IS NOT NULL").await, 0);

    // A sign-in link lasts 15 minutes.
    let mut browser = Browser::new(&app);
    browser.call("/account/api/email_link", "kind=sign-in&email=late%40example.com").await;
    let token = app.mailbox().await.last().unwrap().link_token("/account/link");
    app.advance(Duration::from_secs(15 * 60));
    assert_eq!(browser.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::BAD_REQUEST);
    // Garbage is refused the same way.
    assert_eq!(browser.call("/account/api/use_link", "token=nonsense").await.status, StatusCode::BAD_REQUEST);
}

async fn the_session_cookie_is_http_only_lax_and_revocable(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    let mut browser = Browser::new(&app);
    let reply = sign_in(&mut browser, "jane@example.com", PASSWORD).await;
    let cookie = reply.header("set-cookie").to_owned();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", &format!("Max-Age={}", 14 * 24 * 60 * 60)] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let token = browser.cookie("portal_session").unwrap().to_owned();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = '{token}'")).await, 0, "stored hashed");

    // Another instance (a second router on the same database) sees the session.
    let twin = app.twin().await;
    let mut twin_browser = Browser { app: &twin, cookies: browser.cookies.clone(), forwarded_for: None };
    assert_eq!(my_invoice_count(&mut twin_browser).await, Ok(1));

    let out = browser.call("/account/api/sign_out", "").await;
    assert!(out.header("set-cookie").contains("Max-Age=0"), "{}", out.header("set-cookie"));
    let mut stolen = Browser { app: &app, cookies: vec![("portal_session".into(), token)], forwarded_for: None };
    assert_eq!(my_invoice_count(&mut stolen).await, Err(StatusCode::UNAUTHORIZED), "revoked server-side");

    // "Sign out on all devices" ends every session and API token.
    let mut a = Browser::new(&app);
    let mut b = Browser::new(&app);
    sign_in(&mut a, "jane@example.com", PASSWORD).await;
    sign_in(&mut b, "jane@example.com", PASSWORD).await;
    a.call("/account/api/sign_out", "everywhere=1").await;
    assert_eq!(my_invoice_count(&mut b).await, Err(StatusCode::UNAUTHORIZED));
}

async fn https_makes_the_session_cookie_secure(backend: Backend) {
    let app = TestApp::with_env(backend, &[("PUBLIC_URL", "https://billing.example.com")]).await;
    let paid = app.purchase_as("jane@example.com", "Jane").await;
    app.register(paid.invoice, paid.basket).await;
    let mail = app.only_mail_to("jane@example.com").await;
    assert!(mail.text.contains("https://billing.example.com/account/set-password?token="), "links use PUBLIC_URL");
    let token = mail.link_token("/account/set-password");
    let reply = Browser::new(&app).call("/account/api/password", &format!("token={token}&password={}", form_value(PASSWORD))).await;
    assert!(reply.header("set-cookie").contains("; Secure"), "{}", reply.header("set-cookie"));
}

async fn set_a_password_now_signs_in_a_new_customer(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut browser = Browser::new(&app);
    let paid = register_in_browser(&app, &mut browser, "new@example.com", "Nina New").await;
    let form = |password: &str| format!("invoice_id={}&password={}", paid.invoice, form_value(password));

    let short = browser.call("/checkout/api/password", &form("short")).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(short.json()["Invalid"][0]["field"], "password");

    let reply = browser.call("/checkout/api/password", &form(PASSWORD)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json(), serde_json::json!("SignedIn"));
    assert_eq!(my_invoice_count(&mut browser).await, Ok(1));
    assert_eq!(sign_in(&mut Browser::new(&app), "new@example.com", PASSWORD).await.status, StatusCode::OK);
    // The page cannot set it again.
    let again = browser.call("/checkout/api/password", &form("yet another one")).await;
    assert_eq!(again.json(), serde_json::json!("CheckEmail"));
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE email_verified_at IS NULL").await, 1, "not yet confirmed");
    // The emailed link still works: using it confirms the mailbox.
    let token = app.only_mail_to("new@example.com").await.link_token("/account/set-password");
    let confirmed = Browser::new(&app).call("/account/api/password", &format!("token={token}&password=the+final+password")).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE email_verified_at IS NOT NULL").await, 1);

    // Without the invoice cookie of this purchase nothing happens.
    let stranger = Browser::new(&app).call("/checkout/api/password", &form(PASSWORD)).await;
    assert_eq!(stranger.status, StatusCode::BAD_REQUEST);
    assert!(stranger.header("set-cookie").is_empty());
}

/// A plain form post (no JavaScript, or the islands router, which posts the
/// server-rendered form) always comes back to the complete page: the page
/// sends no Referer, so the server names the way back, errors included.
async fn set_a_password_now_without_javascript_comes_back_to_the_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut browser = Browser::new(&app);
    let paid = register_in_browser(&app, &mut browser, "plain@example.com", "Pat Plain").await;
    let page = format!("/checkout/complete?invoiceId={}", paid.invoice);
    let form = |password: &str| format!("invoice_id={}&password={}", paid.invoice, form_value(password));

    let short = browser.submit("/checkout/api/password", &form("short")).await;
    assert_eq!(short.status, StatusCode::FOUND);
    let back = short.header("location").to_owned();
    assert!(back.starts_with(&format!("{page}&")) && back.contains("__err="), "{back}");
    let shown = browser.get(&back).await.text();
    assert!(shown.contains("a password of at least 8 characters"), "the field's message: {shown}");
    assert!(shown.contains(r#"aria-invalid="true""#), "{shown}");
    assert!(shown.contains("Download invoice (PDF)"), "the invoice stays on the page");
    // The island says which next step its outcome calls for; the stylesheet shows that section.
    assert!(shown.contains(r#"data-next="set-password""#) && shown.contains(r#"data-next-step="set-password""#), "{shown}");
    assert!(!shown.contains(r#"data-next-step="sign-in""#), "a registered page cannot come to signing in: {shown}");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash IS NOT NULL").await, 0, "nothing set");

    let chosen = browser.submit("/checkout/api/password", &form(PASSWORD)).await;
    assert_eq!(chosen.status, StatusCode::FOUND);
    assert_eq!(chosen.header("location"), format!("{page}&password=signed-in"));
    let shown = browser.get(chosen.header("location")).await.text();
    assert!(shown.contains("Your password is saved and you"), "{shown}");
    assert!(shown.contains("Download invoice (PDF)"), "the invoice stays on the page");
    assert_eq!(my_invoice_count(&mut browser).await, Ok(1), "signed in");

    // A malformed invoice id: back to the page it names, with the error.
    let tampered = browser.submit("/checkout/api/password", "invoice_id=abc&password=whatever+long").await;
    assert_eq!(tampered.status, StatusCode::FOUND);
    assert!(tampered.header("location").starts_with("/checkout/complete?invoiceId=abc&"), "{}", tampered.header("location"));
}

async fn an_existing_email_reveals_nothing_and_signs_nobody_in(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "owner@example.com").await;
    app.mailbox().await;

    // Someone else checks out with the owner's email, in another case.
    let mut guest = Browser::new(&app);
    let new_customer = {
        let mut other = Browser::new(&app);
        register_in_browser(&app, &mut other, "fresh@example.com", "Fresh").await;
        other
    };
    let paid = app.purchase_as("OWNER@example.com", "Mallory").await;
    let reply = guest
        .call("/checkout/api/register", &format!("invoice_id={}&basket_session={}", paid.invoice, paid.basket))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let shape = |value: &serde_json::Value| value.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let page_data = reply.json();
    assert_eq!(page_data["email"], "OWNER@example.com", "the guest sees only what they typed");
    let cookie_names = |browser: &Browser<'_>| browser.cookies.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(cookie_names(&guest), vec![format!("invoice_token_{}", paid.invoice)], "no portal session");
    assert!(new_customer.cookie("portal_session").is_none(), "nor for a new customer: same cookies");

    // The REST answer has the same shape as for a new customer.
    let paid_rest = app.purchase_as("owner@example.com", "Mallory").await;
    let fresh_rest = app.purchase_as("another@example.com", "Another").await;
    let linked = app.register(paid_rest.invoice, paid_rest.basket).await;
    let created = app.register(fresh_rest.invoice, fresh_rest.basket).await;
    assert_eq!((linked.status, shape(&linked.json())), (created.status, shape(&created.json())));
    assert_eq!(linked.header("set-cookie"), "");

    // "Set a password now" changes nothing and signs nobody in, with or without JavaScript.
    let inline = guest.call("/checkout/api/password", &format!("invoice_id={}&password=mallorys+password", paid.invoice)).await;
    assert_eq!(inline.json(), serde_json::json!("CheckEmail"));
    let plain = guest.submit("/checkout/api/password", &format!("invoice_id={}&password=mallorys+password", paid.invoice)).await;
    assert_eq!(plain.status, StatusCode::FOUND);
    let back = plain.header("location").to_owned();
    assert_eq!(back, format!("/checkout/complete?invoiceId={}&password=check-email", paid.invoice));
    let shown = guest.get(&back).await.text();
    assert!(shown.contains("Use the link in the email we"), "{shown}");
    assert!(guest.cookie("portal_session").is_none());
    assert_eq!(sign_in(&mut Browser::new(&app), "owner@example.com", "mallorys password").await.status, StatusCode::UNAUTHORIZED);
    // The complete page shows the guest nothing of the account.
    let page = guest.get(&format!("/checkout/complete?invoiceId={}", paid.invoice)).await;
    assert!(!page.text().contains("Jane Doe"), "the owner's name stays hidden");

    // The owner hears about it, and sees the invoices in their account.
    let notices: Vec<_> = app.mailbox().await.into_iter().filter(|m| m.subject.contains("was added to your account")).collect();
    assert_eq!(notices.len(), 2);
    assert!(notices[0].text.starts_with("Hello Jane Doe,"), "{}", notices[0].text);
    assert_eq!(notices[0].to, "owner@example.com");
    let mut owner = Browser::new(&app);
    sign_in(&mut owner, "owner@example.com", PASSWORD).await;
    assert_eq!(my_invoice_count(&mut owner).await, Ok(3));
}

async fn sign_in_and_link_requests_are_rate_limited(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    app.mailbox().await;
    let mut browser = Browser::new(&app);
    for _ in 0..10 {
        assert_eq!(sign_in(&mut browser, "jane@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in(&mut browser, "ghost@example.com", "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = sign_in(&mut browser, "jane@example.com", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let ghost = sign_in(&mut browser, "ghost@example.com", PASSWORD).await;
    assert_eq!((ghost.status, ghost.text()), (limited.status, limited.text()), "unknown emails are limited alike");
    assert_eq!(limited.json()["RateLimited"]["retry_after_minutes"], 15);
    // Other accounts are not affected.
    customer_with_password(&app, "bob@example.com").await;
    assert_eq!(sign_in(&mut browser, "bob@example.com", PASSWORD).await.status, StatusCode::OK);
    app.advance(Duration::from_secs(15 * 60));
    assert_eq!(sign_in(&mut browser, "jane@example.com", PASSWORD).await.status, StatusCode::OK);

    // Link requests: the same answer every time, but at most five emails per window.
    app.mailbox().await;
    let before = app.mailbox().await.len();
    for _ in 0..7 {
        assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=jane%40example.com").await.status, StatusCode::OK);
    }
    assert_eq!(app.mailbox().await.len() - before, 5);
}

async fn a_password_set_on_the_complete_page_cannot_capture_the_owners_account(backend: Backend) {
    let app = TestApp::new(backend).await;
    // A stranger checks out with the victim's email and sets a password on the page.
    let mut stranger = Browser::new(&app);
    let first = register_in_browser(&app, &mut stranger, "victim@example.com", "Stranger").await;
    let reply = stranger.call("/checkout/api/password", &format!("invoice_id={}&password=strangers+password", first.invoice)).await;
    assert_eq!(reply.json(), serde_json::json!("SignedIn"));

    // The owner buys later with their own email: the stranger's password and
    // session end, and the owner is emailed a link to choose their own.
    let second = app.purchase_as("victim@example.com", "Victor Owner").await;
    assert_eq!(app.register(second.invoice, second.basket).await.status, StatusCode::OK);
    assert_eq!(my_invoice_count(&mut stranger).await, Err(StatusCode::UNAUTHORIZED));
    assert_eq!(sign_in(&mut Browser::new(&app), "victim@example.com", "strangers password").await.status, StatusCode::UNAUTHORIZED);
    let notice = app.mailbox().await.into_iter().find(|m| m.subject.contains("was added to your account")).expect("notice");
    let token = notice.link_token("/account/set-password");
    let mut owner = Browser::new(&app);
    assert_eq!(owner.call("/account/api/password", &format!("token={token}&password=owners+own+password")).await.status, StatusCode::OK);
    assert_eq!(my_invoice_count(&mut owner).await, Ok(2));

    // Once the owner has confirmed the mailbox, a later purchase leaves their
    // password alone, and its guest cannot set anything.
    let mut later = Browser::new(&app);
    let third = register_in_browser(&app, &mut later, "victim@example.com", "Someone").await;
    let inline = later.call("/checkout/api/password", &format!("invoice_id={}&password=another+attempt", third.invoice)).await;
    assert_eq!(inline.json(), serde_json::json!("CheckEmail"));
    assert_eq!(sign_in(&mut Browser::new(&app), "victim@example.com", "owners own password").await.status, StatusCode::OK);
}

async fn an_emailed_sign_in_link_ends_a_strangers_unconfirmed_password(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut stranger = Browser::new(&app);
    let paid = register_in_browser(&app, &mut stranger, "victim@example.com", "Stranger").await;
    let reply = stranger.call("/checkout/api/password", &format!("invoice_id={}&password=strangers+password", paid.invoice)).await;
    assert_eq!(reply.json(), serde_json::json!("SignedIn"));
    app.mailbox().await;

    // The mailbox's owner signs in with an emailed link.
    let mut owner = Browser::new(&app);
    owner.call("/account/api/email_link", "kind=sign-in&email=victim%40example.com").await;
    let token = app.mailbox().await.last().unwrap().link_token("/account/link");
    assert_eq!(owner.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::OK);

    // The stranger's password and session end there, and stay ended after later purchases.
    assert_eq!(my_invoice_count(&mut stranger).await, Err(StatusCode::UNAUTHORIZED));
    assert_eq!(sign_in(&mut Browser::new(&app), "victim@example.com", "strangers password").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(my_invoice_count(&mut owner).await, Ok(1));
    let again = stranger.call("/checkout/api/password", &format!("invoice_id={}&password=strangers+password", paid.invoice)).await;
    assert_eq!(again.json(), serde_json::json!("CheckEmail"), "the page's chance is over once a link was used");
}

async fn the_page_cannot_set_a_password_once_the_account_has_another_invoice(backend: Backend) {
    let app = TestApp::new(backend).await;
    // A first purchase without a password, then the owner's own purchase.
    let mut first_browser = Browser::new(&app);
    let first = register_in_browser(&app, &mut first_browser, "owner@example.com", "Early Bird").await;
    let second = app.purchase_as("owner@example.com", "Owner").await;
    assert_eq!(app.register(second.invoice, second.basket).await.status, StatusCode::OK);
    // The first buyer's invoice token is still valid, but the account is no longer theirs alone.
    let reply = first_browser.call("/checkout/api/password", &format!("invoice_id={}&password=early+birds+password", first.invoice)).await;
    assert_eq!(reply.json(), serde_json::json!("CheckEmail"));
    assert!(first_browser.cookie("portal_session").is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE password_hash IS NOT NULL").await, 0);
    // Nor after the link's lifetime, for a lone invoice.
    let mut late = Browser::new(&app);
    let lone = register_in_browser(&app, &mut late, "lone@example.com", "Lone").await;
    app.advance(Duration::from_secs(24 * 60 * 60));
    let reply = late.call("/checkout/api/password", &format!("invoice_id={}&password=too+late+now", lone.invoice)).await;
    assert_eq!(reply.json(), serde_json::json!("CheckEmail"));
}

async fn cross_site_posts_and_undecodable_calls_are_refused(backend: Backend) {
    use axum::body::Body;
    use axum::http::{header, Method, Request};
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com").await;
    let form = format!("email=jane%40example.com&password={}", form_value(PASSWORD));
    for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/account/api/sign_in")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(name, value)
            .body(Body::from(form.clone()))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(reply.header("set-cookie").is_empty());
    }
    let same_site = Request::builder()
        .method(Method::POST)
        .uri("/account/api/sign_in")
        .header(header::HOST, "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    assert_eq!(app.send(same_site).await.status, StatusCode::OK);

    let garbage = Request::builder()
        .method(Method::POST)
        .uri("/account/api/sign_in")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(app.send(garbage).await.status, StatusCode::BAD_REQUEST);
}

async fn link_requests_work_without_javascript(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut browser = Browser::new(&app);
    let reply = browser.submit("/account/api/email_link", "kind=reset&email=nobody%40example.com").await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.header("location"), "/account/forgot-password?sent=1");
    let page = browser.get("/account/forgot-password?sent=1").await;
    assert!(page.text().contains("Check your inbox"), "{}", page.text());
    let reply = browser.submit("/account/api/email_link", "kind=sign-in&email=nobody%40example.com").await;
    assert_eq!(reply.header("location"), "/account/sign-in-link?sent=1");
}

async fn portal_pages_need_a_session_and_show_only_own_invoices(backend: Backend) {
    let app = TestApp::new(backend).await;
    let jane = customer_with_password(&app, "jane@example.com").await;
    let bob = customer_with_password(&app, "bob@example.com").await;

    let mut anonymous = Browser::new(&app);
    let page = anonymous.get("/account/invoices").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.header("location"), "/account/sign-in?next=/account/invoices");
    // Whatever the client accepts (curl sends */*).
    let any = app
        .send(axum::http::Request::builder().uri("/account/invoices").header("accept", "*/*").body(axum::body::Body::empty()).unwrap())
        .await;
    assert_eq!(any.status, StatusCode::FOUND);
    let sign_in_page = anonymous.get("/account/sign-in?next=/account/invoices").await;
    assert!(sign_in_page.text().contains("current-password"));
    assert!(sign_in_page.text().contains("Email me a sign-in link"));

    let mut browser = Browser::new(&app);
    sign_in(&mut browser, "jane@example.com", PASSWORD).await;
    let list = browser.get("/account/invoices").await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains(&jane.invoice_number), "{html}");
    assert!(!html.contains(&bob.invoice_number));
    assert!(html.contains(&format!("/api/public/billing/invoices/{}/pdf", jane.invoice)));
    assert!(html.contains("Paid"));
    assert!(html.contains("€443.49"));

    let detail = browser.get(&format!("/account/invoices/{}", jane.invoice)).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.text().contains("Billed to"));
    assert!(detail.text().contains("Day Pass") || detail.text().contains("Meeting"), "lines are shown");
    let others = browser.get(&format!("/account/invoices/{}", bob.invoice)).await;
    assert_eq!(others.status, StatusCode::NOT_FOUND, "another customer's invoice is not found");
    assert!(!others.text().contains(&bob.invoice_number));

    let pdf = browser.get(&format!("/api/public/billing/invoices/{}/pdf", jane.invoice)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(common::pdf_text(&pdf.body).contains(&jane.invoice_number));
    let bobs_pdf = browser.get(&format!("/api/public/billing/invoices/{}/pdf", bob.invoice)).await;
    assert_eq!(bobs_pdf.status, StatusCode::NOT_FOUND);
}
