//! The checkout-complete page and its server functions, over HTTP.

use crate::common;

on_every_registration_path!(
    the_server_render_shows_progress_and_no_invoice_details,
    the_hydrated_page_call_registers_and_remembers_the_token_in_a_cookie,
    a_plain_form_post_redirects_to_the_page_without_the_secret,
    a_failed_plain_form_post_comes_back_with_its_error,
    each_problem_gets_its_own_plain_message,
    unknown_paths_are_a_real_404_page,
    malformed_server_function_calls_are_a_400_not_a_500,
    a_linked_customer_gets_only_the_invoice_scoped_cookie,
    pages_are_compressed_for_browsers_that_accept_it,
);

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{Backend, TestApp};

fn page_uri(invoice: impl std::fmt::Display, basket: impl std::fmt::Display) -> String {
    format!("/checkout/complete?invoiceId={invoice}&basketSession={basket}")
}

async fn get_page(app: &TestApp, uri: &str, cookie: Option<&str>) -> common::Reply {
    let mut request = Request::builder().method(Method::GET).uri(uri).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The page's registration server function, as the hydrated page (JSON) or a
/// plain HTML form (no JavaScript) calls it.
async fn submit(app: &TestApp, invoice: &str, basket: &str, accept: &str, cookie: Option<&str>) -> common::Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/checkout/api/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = format!("invoice_id={invoice}&basket_session={basket}");
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// `name=value` of the Set-Cookie header, for sending it back.
fn cookie_pair(reply: &common::Reply) -> String {
    let set_cookie = reply.header("set-cookie");
    assert!(!set_cookie.is_empty(), "no Set-Cookie");
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn the_server_render_shows_progress_and_no_invoice_details(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let reply = get_page(&app, &page_uri(paid.invoice, paid.basket), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("referrer-policy"), "no-referrer");
    assert_eq!(reply.header("cache-control"), "no-store");
    let html = reply.text();
    assert!(html.contains(">Setting up your account…</h1>"), "{html}");
    assert!(html.contains("aria-live=\"polite\""));
    assert!(html.contains(">Complete registration</button>"), "the no-JS button is rendered");
    assert!(!html.contains(&paid.invoice_number), "no invoice details before verification");
    assert!(!html.contains("pdfByToken"));
    // Rendering the page changes nothing.
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 0);
}

async fn the_hydrated_page_call_registers_and_remembers_the_token_in_a_cookie(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let reply = submit(&app, &paid.invoice.to_string(), &paid.basket.to_string(), "application/json", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let purchase = reply.json();
    assert_eq!(purchase["invoice_number"], paid.invoice_number.as_str());
    assert_eq!(purchase["total"], "€443.49");
    let pdf_url = purchase["pdf_url"].as_str().unwrap();
    assert!(pdf_url.starts_with(&format!("/api/public/billing/invoices/{}/pdfByToken?token=", paid.invoice)));

    let set_cookie = reply.header("set-cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/checkout"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain http in tests: {set_cookie}");
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"), "session cookie: {set_cookie}");

    // The link works.
    let pdf = app.call(Method::GET, pdf_url).await;
    assert_eq!(pdf.status, StatusCode::OK);

    // Reload: the page shows the link again instead of "already used".
    let cookie = cookie_pair(&reply);
    let reload = get_page(&app, &page_uri(paid.invoice, paid.basket), Some(&cookie)).await;
    let html = reload.text();
    assert!(html.contains(">Your account is ready</h1>"), "{html}");
    assert!(html.contains(&paid.invoice_number));
    assert!(html.contains(">Download invoice (PDF)</a>"));
    assert!(html.contains("rel=\"noreferrer\""));
    // Coming back without the secret in the URL works too.
    let back = get_page(&app, &format!("/checkout/complete?invoiceId={}", paid.invoice), Some(&cookie)).await;
    assert!(back.text().contains(">Download invoice (PDF)</a>"));

    // A second submit from this browser answers the same; from elsewhere it is used.
    let again = submit(&app, &paid.invoice.to_string(), &paid.basket.to_string(), "application/json", Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["invoice_number"], paid.invoice_number.as_str());
    let elsewhere = submit(&app, &paid.invoice.to_string(), &paid.basket.to_string(), "application/json", None).await;
    assert_eq!(elsewhere.status, StatusCode::UNAUTHORIZED);
    assert_eq!(elsewhere.json(), serde_json::json!("TokenAlreadyUsed"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 1);
}

async fn a_plain_form_post_redirects_to_the_page_without_the_secret(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let reply = submit(&app, &paid.invoice.to_string(), &paid.basket.to_string(), "text/html,application/xhtml+xml", None).await;
    assert!(reply.status.is_redirection(), "{:?} {}", reply.status, reply.text());
    assert_eq!(reply.header("location"), format!("/checkout/complete?invoiceId={}", paid.invoice));
    let cookie = cookie_pair(&reply);
    let page = get_page(&app, reply.header("location"), Some(&cookie)).await;
    assert!(page.text().contains(">Download invoice (PDF)</a>"));
}

async fn a_failed_plain_form_post_comes_back_with_its_error(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    app.register(paid.invoice, paid.basket).await;
    let reply = submit(&app, &paid.invoice.to_string(), &paid.basket.to_string(), "text/html", None).await;
    assert!(reply.status.is_redirection());
    let location = reply.header("location").to_owned();
    assert!(location.starts_with(&format!("/checkout/complete?invoiceId={}&", paid.invoice)), "{location}");
    assert!(!location.contains(&paid.basket.to_string()), "the secret stays out of the redirect: {location}");
    // Without the basket token in the URL, only the carried error can explain.
    let page = get_page(&app, &location, None).await;
    assert!(page.text().contains(">This purchase is already registered</h1>"), "{}", page.text());
}

async fn each_problem_gets_its_own_plain_message(backend: Backend) {
    let app = TestApp::new(backend).await;
    let used = app.purchase().await;
    app.register(used.invoice, used.basket).await;
    let fresh = app.purchase().await;
    let other = app.purchase().await;
    let cases = [
        (page_uri(used.invoice, used.basket), ">This purchase is already registered</h1>"),
        (page_uri(other.invoice, fresh.basket), ">We couldn&#x27;t find this invoice</h1>"),
        (page_uri("abc", fresh.basket), ">We couldn&#x27;t find this invoice</h1>"),
        (page_uri(fresh.invoice, "not-a-guid"), ">We couldn&#x27;t confirm this purchase</h1>"),
        (format!("/checkout/complete?invoiceId={}", fresh.invoice), ">We couldn&#x27;t confirm this purchase</h1>"),
    ];
    for (uri, headline) in cases {
        let html = get_page(&app, &uri, None).await.text();
        let html = html.replace("couldn't", "couldn&#x27;t");
        assert!(html.contains(headline), "{uri}: expected {headline:?} in\n{html}");
        let visible = visible_text(&html);
        assert!(!visible.contains("Token") && !visible.contains("token"), "no raw error text: {uri}: {visible}");
    }
    app.advance(std::time::Duration::from_secs(25 * 3600));
    let html = get_page(&app, &page_uri(fresh.invoice, fresh.basket), None).await.text();
    assert!(html.contains(">This link has expired</h1>"), "{html}");
}

/// The page's text without tags and without the hydration data in scripts.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("</script>").map_or("", |end| &rest[start + end + 9..]);
    }
    text.push_str(rest);
    let mut visible = String::new();
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => visible.push(ch),
            _ => {}
        }
    }
    visible
}

async fn unknown_paths_are_a_real_404_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    let reply = get_page(&app, "/no/such/page", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("Page not found"));
}

async fn malformed_server_function_calls_are_a_400_not_a_500(backend: Backend) {
    let app = TestApp::new(backend).await;
    for (content_type, body) in [
        ("application/x-www-form-urlencoded", ""),
        ("application/x-www-form-urlencoded", "invoice_id=1"),
        ("application/x-www-form-urlencoded", "invoice_id[x]=1&&&=="),
        ("application/json", "{not json"),
        ("text/plain", "hello"),
    ] {
        for endpoint in ["/checkout/api/register", "/checkout/api/status"] {
            let request = Request::builder()
                .method(Method::POST)
                .uri(endpoint)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, "application/json")
                .body(Body::from(body))
                .unwrap();
            let reply = app.send(request).await;
            let context = format!("{endpoint} {content_type} {body:?}: {} {}", reply.status, reply.text());
            assert!(!reply.status.is_server_error(), "{context}");
            // Registration has nothing to do: a 4xx. The status query may
            // answer 200 with a `Failed` state, which the page explains.
            assert!(
                reply.status.is_client_error() || (endpoint.ends_with("status") && reply.text().contains("Failed")),
                "{context}"
            );
        }
    }
}

async fn a_linked_customer_gets_only_the_invoice_scoped_cookie(backend: Backend) {
    let app = TestApp::new(backend).await;
    let first = app.purchase_as("kim@example.com", "Kim").await;
    app.register(first.invoice, first.basket).await;
    let second = app.purchase_as("KIM@example.com", "Kim").await;

    let reply = submit(&app, &second.invoice.to_string(), &second.basket.to_string(), "application/json", None).await;

    assert_eq!(reply.status, StatusCode::OK);
    let cookies: Vec<&str> = reply.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(cookies[0].starts_with(&format!("invoice_token_{}=", second.invoice)), "{cookies:?}");
    // That cookie opens the new invoice only, not the account's earlier one.
    let cookie = cookie_pair(&reply);
    let earlier = get_page(&app, &format!("/checkout/complete?invoiceId={}", first.invoice), Some(&cookie)).await;
    assert!(!earlier.text().contains(">Download invoice (PDF)</a>"));
    assert!(!earlier.text().contains(&first.invoice_number));
}

/// A phone on a slow link waits for the whole document before anything else
/// loads: pages go out brotli- or gzip-compressed when the browser accepts it,
/// the same page as without; JSON answers stay as they are.
async fn pages_are_compressed_for_browsers_that_accept_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let get = |encoding: Option<&'static str>| {
        let mut request = Request::builder().method(Method::GET).uri(page_uri(paid.invoice, paid.basket)).header(header::ACCEPT, "text/html");
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        app.send(request.body(Body::empty()).unwrap())
    };
    let plain = get(None).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-encoding"), "");
    let plain_text = plain.text();
    assert!(plain_text.contains("Setting up your account"), "{plain_text}");

    let br = get(Some("gzip, deflate, br")).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), "br");
    assert!(br.header("vary").to_ascii_lowercase().contains("accept-encoding"), "{:?}", br.headers);
    assert_eq!(br.header("cache-control"), "no-store", "the page's own headers are kept");
    let mut html = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut &br.body[..], &mut html).expect("valid brotli");
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("Setting up your account") && html.ends_with("</script>"), "the whole page: {html}");
    // About 40 % of the page as rendered.
    assert!(br.body.len() * 2 < html.len(), "{} bytes compressed from {}", br.body.len(), html.len());

    let gzip = get(Some("gzip")).await;
    assert_eq!(gzip.header("content-encoding"), "gzip");

    // The registration's JSON answer is small, and not compressed.
    let reply = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/checkout/api/register")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::from(format!("invoice_id={}&basket_session={}", paid.invoice, paid.basket)))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("content-encoding"), "");
    assert!(reply.json()["pdf_url"].is_string());

    // Registered, the page holds the invoice token beside text from its URL:
    // it goes out uncompressed (BREACH), and says so to proxies.
    let cookie = cookie_pair(&reply);
    let registered = app
        .send(
            Request::builder()
                .method(Method::GET)
                .uri(page_uri(paid.invoice, "guessed-text"))
                .header(header::ACCEPT, "text/html")
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK);
    assert_eq!(registered.header("content-encoding"), "", "a page with a secret is not compressed");
    assert_eq!(registered.header("cache-control"), "no-store, no-transform");
    assert!(registered.text().contains("pdfByToken?token="), "{}", registered.text());
}
