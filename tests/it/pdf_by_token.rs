//! pdfByToken: headers, real PDF content, both token kinds, and HEAD.

use crate::common;

on_both_backends!(
    the_invoice_token_downloads_a_real_invoice_pdf,
    the_pdf_is_a4_with_embedded_subset_fonts,
    the_basket_guid_also_opens_the_pdf_until_it_expires,
    pdf_errors_follow_the_same_rules,
    the_invoice_token_expires_after_seven_days_by_default,
    head_answers_with_headers_only_and_consumes_nothing,
);

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{pdf_text, Backend, TestApp};

async fn registered(app: &TestApp) -> (checkout_portal::server::services::purchase::PaidPurchase, String) {
    let paid = app.purchase_as("robin@example.com", "Robin Ödegaard").await;
    let reply = app.register(paid.invoice, paid.basket).await;
    assert_eq!(reply.status, StatusCode::OK);
    let token = reply.json()["Token"].as_str().unwrap().to_owned();
    (paid, token)
}

async fn the_invoice_token_downloads_a_real_invoice_pdf(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, token) = registered(&app).await;

    let reply = app.pdf(paid.invoice, &token).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "application/pdf");
    assert_eq!(
        reply.header("content-disposition"),
        format!("attachment; filename=\"{}.pdf\"", paid.invoice_number)
    );
    assert_eq!(reply.header("cache-control"), "no-store");
    assert_eq!(reply.header("referrer-policy"), "no-referrer");
    assert!(reply.body.starts_with(b"%PDF-"));

    let text = pdf_text(&reply.body);
    for expected in [
        paid.invoice_number.as_str(),
        "Harbourside Coworking B.V.",
        "Westerdok 12",
        "Robin Ödegaard",
        "robin@example.com",
        "Day Pass",
        "Meeting Room (1 h)",
        "21%",
        "9%",
        "€369.00", // subtotal
        "€72.24",  // tax at 21 % (per line: 10.50 + 18.90 + 41.79 + 1.05)
        "€2.25",   // tax at 9 %
        "€443.49", // total
        "PAID",
    ] {
        assert!(text.contains(expected), "PDF text lacks {expected:?}:\n{text}");
    }
}

async fn the_pdf_is_a4_with_embedded_subset_fonts(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, token) = registered(&app).await;
    let reply = app.pdf(paid.invoice, &token).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, &reply.body).unwrap();

    let info = std::process::Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");

    let fonts = std::process::Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_rows.is_empty(), "{fonts}");
    for row in font_rows {
        // name+subset tag … emb sub uni
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert!(columns[0].contains('+'), "font is not subset: {row}");
        assert_eq!(&columns[columns.len() - 5..columns.len() - 2], ["yes", "yes", "yes"], "{row}");
    }
    assert!(reply.body.len() < 40 * 1024, "PDF is {} bytes", reply.body.len());
}

async fn the_basket_guid_also_opens_the_pdf_until_it_expires(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    assert_eq!(app.pdf(paid.invoice, paid.basket).await.status, StatusCode::OK);
    assert_eq!(app.pdf(paid.invoice, paid.basket.to_string().to_uppercase()).await.status, StatusCode::OK);
    // Reading the PDF did not consume the registration.
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    assert_eq!(app.pdf(paid.invoice, paid.basket).await.status, StatusCode::OK);
    app.advance(Duration::from_secs(24 * 3600));
    assert_eq!(app.pdf(paid.invoice, paid.basket).await.status, StatusCode::UNAUTHORIZED);
}

async fn pdf_errors_follow_the_same_rules(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, token) = registered(&app).await;
    let other = app.purchase().await;
    assert_eq!(app.pdf(other.invoice, &token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.pdf(999_999, &token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.pdf(paid.invoice, "garbage").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pdf(paid.invoice, "A".repeat(43)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pdf(paid.invoice, "").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pdf("INV-1", &token).await.status, StatusCode::BAD_REQUEST);
    // Token first, also when the id is malformed.
    assert_eq!(app.pdf("INV-1", "garbage").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pdf("INV-1", "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f").await.status, StatusCode::UNAUTHORIZED);
    let reply = app.pdf(paid.invoice, "garbage").await;
    assert_eq!(reply.json()["Status"], 401);
    assert_eq!(reply.header("cache-control"), "no-store");
}

async fn the_invoice_token_expires_after_seven_days_by_default(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, token) = registered(&app).await;
    app.advance(Duration::from_secs(7 * 24 * 3600 - 1));
    assert_eq!(app.pdf(paid.invoice, &token).await.status, StatusCode::OK);
    app.advance(Duration::from_secs(1));
    let reply = app.pdf(paid.invoice, &token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.json()["Message"].as_str().unwrap().contains("expired"));
}

async fn head_answers_with_headers_only_and_consumes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let uri = format!("/api/public/billing/invoices/{}/pdfByToken?token={}", paid.invoice, paid.basket);
    let head = app.call(Method::HEAD, &uri).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-type"), "application/pdf");
    assert!(head.body.is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 0);
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
}
