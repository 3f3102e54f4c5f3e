//! The Nexudus-shaped API for signed-in customers: `POST /api/token` and the
//! invoice endpoints, with bearer tokens or the portal session.

use crate::common;

on_both_backends!(
    the_password_grant_issues_bearer_tokens,
    wrong_credentials_and_bad_requests_get_oauth_errors,
    a_refresh_token_is_exchanged_once,
    invoice_endpoints_need_authentication,
    another_customers_invoice_is_a_404,
    an_invoice_has_its_lines_bill_to_and_tax,
    my_invoices_are_paged,
);

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::steps::token_request;
use common::{form_value, Backend, Browser, Reply, TestApp};

const PASSWORD: &str = "correct horse battery";

/// A registered customer with a password and `invoices` paid invoices.
async fn customer(app: &TestApp, email: &str, invoices: usize) -> Vec<checkout_portal::server::services::purchase::PaidPurchase> {
    let mut paid = Vec::new();
    for _ in 0..invoices {
        let purchase = app.purchase_as(email, "Jane Doe").await;
        assert_eq!(app.register(purchase.invoice, purchase.basket).await.status, StatusCode::OK);
        app.advance(std::time::Duration::from_secs(60));
        paid.push(purchase);
    }
    let token = app.mailbox().await.iter().find(|m| m.to == email).expect("welcome email").link_token("/account/set-password");
    let reply = Browser::new(app).call("/account/api/password", &format!("token={token}&password={}", form_value(PASSWORD))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    paid
}

async fn password_grant(app: &TestApp, email: &str, password: &str) -> Reply {
    token_request(app, &format!("grant_type=password&username={}&password={}", form_value(email), form_value(password))).await
}

async fn get_with_bearer(app: &TestApp, uri: &str, token: &str) -> Reply {
    let request = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn access_token(app: &TestApp, email: &str) -> String {
    let reply = password_grant(app, email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

async fn the_password_grant_issues_bearer_tokens(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer(&app, "jane@example.com", 1).await;
    let reply = password_grant(&app, "Jane@Example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), "no-store");
    let body = reply.json();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(access.len(), 43);
    assert_ne!(body["refresh_token"], body["access_token"]);
    let list = get_with_bearer(&app, "/api/public/billing/invoices/my", access).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    assert_eq!(list.json()["TotalItems"], 1);
    // The refresh token is not an access token.
    let wrong_kind = get_with_bearer(&app, "/api/public/billing/invoices/my", body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(wrong_kind.status, StatusCode::UNAUTHORIZED);
    // Access tokens expire.
    app.advance(std::time::Duration::from_secs(3600));
    assert_eq!(get_with_bearer(&app, "/api/public/billing/invoices/my", access).await.status, StatusCode::UNAUTHORIZED);
}

async fn wrong_credentials_and_bad_requests_get_oauth_errors(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer(&app, "jane@example.com", 1).await;
    let wrong = password_grant(&app, "jane@example.com", "nope").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    let unknown = password_grant(&app, "ghost@example.com", "nope").await;
    assert_eq!(unknown.text(), wrong.text(), "an unknown user looks the same");

    let cases = [
        ("grant_type=client_credentials", "unsupported_grant_type"),
        ("username=jane%40example.com&password=x", "invalid_request"),
        ("grant_type=password&username=jane%40example.com", "invalid_request"),
        ("grant_type=refresh_token", "invalid_request"),
        ("grant_type=password&username=not-an-email&password=x", "invalid_request"),
    ];
    for (form, error) in cases {
        let reply = token_request(&app, form).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{form}");
        assert_eq!(reply.json()["error"], error, "{form}: {}", reply.text());
        assert!(!reply.json()["error_description"].as_str().unwrap().is_empty());
    }
    let json = Request::builder()
        .method(Method::POST)
        .uri("/api/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"grant_type":"password"}"#))
        .unwrap();
    let reply = app.send(json).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"], "invalid_request");
}

async fn a_refresh_token_is_exchanged_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer(&app, "jane@example.com", 1).await;
    let first = password_grant(&app, "jane@example.com", PASSWORD).await.json();
    let refresh = first["refresh_token"].as_str().unwrap();
    let renewed = token_request(&app, &format!("grant_type=refresh_token&refresh_token={refresh}")).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text());
    let renewed = renewed.json();
    assert_ne!(renewed["access_token"], first["access_token"]);
    assert_ne!(renewed["refresh_token"], first["refresh_token"]);
    let list = get_with_bearer(&app, "/api/public/billing/invoices/my", renewed["access_token"].as_str().unwrap()).await;
    assert_eq!(list.status, StatusCode::OK);

    let replay = token_request(&app, &format!("grant_type=refresh_token&refresh_token={refresh}")).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert_eq!(replay.json()["error"], "invalid_grant");
    let garbage = token_request(&app, "grant_type=refresh_token&refresh_token=garbage").await;
    assert_eq!(garbage.json()["error"], "invalid_grant");
}

async fn invoice_endpoints_need_authentication(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = customer(&app, "jane@example.com", 1).await;
    for uri in [
        "/api/public/billing/invoices/my".to_owned(),
        format!("/api/public/billing/invoices/{}", paid[0].invoice),
        format!("/api/public/billing/invoices/{}/pdf", paid[0].invoice),
    ] {
        let none = app.call(Method::GET, &uri).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(none.header("www-authenticate"), "Bearer");
        assert_eq!(none.json()["WasSuccessful"], false);
        for bad in ["Bearer nonsense", "Basic amFuZTpwdw==", "Bearer"] {
            let request = Request::builder().uri(&uri).header(header::AUTHORIZATION, bad).body(Body::empty()).unwrap();
            assert_eq!(app.send(request).await.status, StatusCode::UNAUTHORIZED, "{uri} with {bad}");
        }
        // The invoice token from registration is for the PDF link only.
        let reply = get_with_bearer(&app, &uri, paid[0].basket.to_string().as_str()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
}

async fn another_customers_invoice_is_a_404(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer(&app, "jane@example.com", 1).await;
    let bobs = customer(&app, "bob@example.com", 1).await;
    let jane = access_token(&app, "jane@example.com").await;
    for uri in [
        format!("/api/public/billing/invoices/{}", bobs[0].invoice),
        format!("/api/public/billing/invoices/{}/pdf", bobs[0].invoice),
        "/api/public/billing/invoices/999999".to_owned(),
        "/api/public/billing/invoices/abc".to_owned(),
        "/api/public/billing/invoices/0/pdf".to_owned(),
    ] {
        let reply = get_with_bearer(&app, &uri, &jane).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {}", reply.text());
        assert_eq!(reply.json()["Status"], 404);
    }
}

async fn an_invoice_has_its_lines_bill_to_and_tax(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = customer(&app, "jane@example.com", 1).await;
    let token = access_token(&app, "jane@example.com").await;
    let reply = get_with_bearer(&app, &format!("/api/public/billing/invoices/{}", paid[0].invoice), &token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), "private, no-store");
    let invoice = reply.json();
    assert_eq!(invoice["Id"], paid[0].invoice.get());
    assert_eq!(invoice["InvoiceNumber"], paid[0].invoice_number.as_str());
    assert_eq!(invoice["Paid"], true);
    assert_eq!(invoice["TotalAmount"], 443.49);
    assert_eq!(invoice["Currency"]["Code"], "EUR");
    assert_eq!(invoice["CurrencyCode"], "EUR");
    assert_eq!(invoice["CreatedOn"], "2026-11-24T10:30:00Z");
    assert_eq!(invoice["PaidOn"], "2026-11-24T10:30:00Z");
    assert_eq!(invoice["DueAmount"], 0.0);
    assert_eq!(invoice["BillToName"], "Jane Doe");
    assert_eq!(invoice["BillToCountryName"], "Netherlands");
    let lines = invoice["Lines"].as_array().unwrap();
    assert!(!lines.is_empty());
    let sum: f64 = lines.iter().map(|l| l["Total"].as_f64().unwrap()).sum();
    assert!((sum - 443.49).abs() < 0.001, "lines add up to the total: {sum}");
    assert_eq!(lines[0]["TaxRate"], 21.0);
    let tax: f64 = lines.iter().map(|l| l["TaxAmount"].as_f64().unwrap()).sum();
    assert!((tax - invoice["TaxAmount"].as_f64().unwrap()).abs() < 0.001);
    assert!(invoice.as_object().unwrap().keys().all(|k| k.chars().next().unwrap().is_ascii_uppercase()), "PascalCase: {invoice}");

    let pdf = get_with_bearer(&app, &format!("/api/public/billing/invoices/{}/pdf", paid[0].invoice), &token).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
}

async fn my_invoices_are_paged(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = customer(&app, "jane@example.com", 3).await;
    customer(&app, "bob@example.com", 1).await;
    let token = access_token(&app, "jane@example.com").await;

    let first = get_with_bearer(&app, "/api/public/billing/invoices/my?page=1&size=2", &token).await.json();
    assert_eq!(first["TotalItems"], 3, "only Jane's own invoices");
    assert_eq!(first["TotalPages"], 2);
    assert_eq!(first["CurrentPage"], 1);
    assert_eq!(first["CurrentPageSize"], 2);
    assert_eq!(first["HasNextPage"], true);
    assert_eq!(first["HasPreviousPage"], false);
    let numbers: Vec<_> = first["Records"].as_array().unwrap().iter().map(|r| r["InvoiceNumber"].as_str().unwrap().to_owned()).collect();
    assert_eq!(numbers, vec![paid[2].invoice_number.clone(), paid[1].invoice_number.clone()], "newest first");
    let record = &first["Records"][0];
    for key in ["Id", "InvoiceNumber", "Paid", "PaidOn", "DueDate", "TotalAmount", "Currency", "CreatedOn"] {
        assert!(record.get(key).is_some(), "{key} missing: {record}");
    }

    let second = get_with_bearer(&app, "/api/public/billing/invoices/my?page=2&size=2", &token).await.json();
    assert_eq!(second["Records"].as_array().unwrap().len(), 1);
    assert_eq!(second["Records"][0]["InvoiceNumber"], paid[0].invoice_number.as_str());
    assert_eq!((second["HasNextPage"].as_bool(), second["HasPreviousPage"].as_bool()), (Some(false), Some(true)));
    let beyond = get_with_bearer(&app, "/api/public/billing/invoices/my?page=9&size=2", &token).await.json();
    assert_eq!(beyond["Records"].as_array().unwrap().len(), 0);
    let default = get_with_bearer(&app, "/api/public/billing/invoices/my", &token).await.json();
    assert_eq!(default["CurrentPageSize"], 25);

    for bad in ["page=0", "page=-1", "size=0", "size=101", "page=abc"] {
        let reply = get_with_bearer(&app, &format!("/api/public/billing/invoices/my?{bad}"), &token).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        let body = reply.json();
        assert_eq!(body["WasSuccessful"], false);
        let field = bad.split('=').next().unwrap();
        assert_eq!(body["Errors"][0]["PropertyName"], field, "{body}");
        assert!(body["Message"].as_str().unwrap().starts_with(&format!("{field}: ")));
    }
}
