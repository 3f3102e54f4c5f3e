//! The payment receipt: written with the payment, sent once, carrying the
//! invoice PDF and the link back to the checkout-complete page, which
//! registers the guest or, once it cannot, leads to signing in.

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM, VISA_DECLINED, VISA_OK};
use common::{form_value, Backend, Browser, ReceivedMail, TestApp};

on_both_backends!(
    the_receipt_is_queued_with_the_payment_and_only_then,
    the_receipt_has_both_parts_the_pdf_and_the_completion_link,
    the_receipt_link_registers_the_guest_in_a_fresh_browser,
    after_registration_the_link_leads_to_the_sign_in_path,
    an_unopened_link_after_expiry_still_leads_to_the_invoice,
    a_sign_in_link_request_checks_its_link_and_is_rate_limited,
);

const SHOPPER_EMAIL: &str = "sam@example.com";
const RECEIPT_SUBJECT: &str = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Your receipt%'";

/// A shopper who has filled in their details for a day pass and a meeting room.
async fn ready_to_pay(app: &TestApp) -> Shopper<'_> {
    let mut shopper = Shopper::new(app);
    shopper.add(DAY_PASS, 2).await;
    shopper.add(MEETING_ROOM, 1).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    shopper
}

/// Pays and returns the receipt as the guest receives it.
async fn paid_receipt(app: &TestApp) -> ReceivedMail {
    let mut shopper = ready_to_pay(app).await;
    assert_eq!(shopper.pay_fresh(VISA_OK).await.status, StatusCode::SEE_OTHER);
    receipt_in(app).await
}

async fn receipt_in(app: &TestApp) -> ReceivedMail {
    let mut receipts: Vec<_> = app.mailbox().await.into_iter().filter(|m| m.subject.starts_with("Your receipt")).collect();
    assert_eq!(receipts.len(), 1, "one receipt");
    receipts.remove(0)
}

/// The completion link's path and query, as the receipt gives it.
fn completion_link(receipt: &ReceivedMail) -> String {
    let start = receipt.text.find("http://127.0.0.1:3000/checkout/complete?").expect("a completion link in the text part");
    let link: String = receipt.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    link.trim_start_matches("http://127.0.0.1:3000").to_owned()
}

/// `(invoice id, basket session)` from a completion link.
fn link_ids(link: &str) -> (String, String) {
    let query = link.split_once('?').unwrap().1;
    let value = |name: &str| {
        query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).unwrap_or_default().to_owned()
    };
    (value("invoiceId"), value("basketSession"))
}

async fn the_receipt_is_queued_with_the_payment_and_only_then(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready_to_pay(&app).await;
    // A session, a declined card and a refused card write nothing to the outbox.
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    assert_eq!(shopper.pay_on_page(&page, VISA_DECLINED).await.status, StatusCode::PAYMENT_REQUIRED);
    let bad_expiry = shopper.app.send(
        axum::http::Request::post(common::shopper::on_this_app(&page))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("card_number={VISA_OK}&expiry=13%2F34&cvc=123")))
            .unwrap(),
    );
    assert_eq!(bad_expiry.await.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);

    // Paid, then the way back taken again (a reload, the back button): one receipt.
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(app.count(RECEIPT_SUBJECT).await, 0, "nothing before the payment is fulfilled");
    let back = paid.header("location").to_owned();
    assert_eq!(shopper.come_back(&back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count(RECEIPT_SUBJECT).await, 1, "queued by the fulfilment's own transaction");
    assert_eq!(shopper.come_back(&back).await.status, StatusCode::SEE_OTHER);
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::BAD_REQUEST, "a paid basket pays nothing again");
    assert_eq!(app.count(RECEIPT_SUBJECT).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);

    let receipt = receipt_in(&app).await;
    assert_eq!(receipt.to, SHOPPER_EMAIL, "to the address the guest typed");
    // Delivered once: another pass sends nothing more.
    assert_eq!(app.deliver_mail().await.sent, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await, 1);
}

async fn the_receipt_has_both_parts_the_pdf_and_the_completion_link(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready_to_pay(&app).await;
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER);
    // The completion secret the payment minted, as the browser was sent on with it.
    let basket = link_ids(paid.header("location")).1;
    let receipt = receipt_in(&app).await;

    assert_eq!(receipt.subject, "Your receipt from Harbourside Coworking B.V.: invoice INV-000001");
    // The HTML keeps each value in a <bdi> (its direction its own); the words are the same.
    let html = receipt.html.replace("<bdi>", "").replace("</bdi>", "");
    for part in [&receipt.text, &html] {
        for expected in [
            // The seller, the invoice, its lines, tax and total, and the card.
            "Harbourside Coworking B.V.",
            "Westerdok 12",
            "VAT NL859231476B01",
            "INV-000001",
            "24 Nov 2026",
            "2 × Day Pass",
            "1 × Meeting Room",
            "€80.00",
            "€16.80",
            "€96.80",
            "Visa ending in 4242",
            // The link and how long it works, in words.
            "24 hours",
            "25 Nov 2026, 10:30 UTC",
        ] {
            let expected_html = expected.replace('&', "&amp;");
            assert!(part.contains(expected) || part.contains(&expected_html), "{expected:?} missing from\n{part}");
        }
    }
    let link = completion_link(&receipt);
    assert_eq!(link, format!("/checkout/complete?invoiceId=1&basketSession={basket}&lang=en"), "opens in the invoice's language");
    assert!(receipt.html.contains(&format!("href=\"http://127.0.0.1:3000{}\"", link.replace('&', "&amp;"))), "{}", receipt.html);

    // The invoice PDF, the very bytes pdfByToken serves.
    assert_eq!(receipt.attachments.len(), 1);
    let pdf = &receipt.attachments[0];
    assert_eq!(pdf.name, "INV-000001.pdf");
    assert_eq!(pdf.content_type, "application/pdf");
    let served = app.pdf(1, &basket).await;
    assert_eq!(served.status, StatusCode::OK);
    assert!(pdf.bytes == served.body, "the attachment is the served PDF");

    // Sent: the stored bodies, which held the basket secret, are gone.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND text_body = '' AND html_body = ''").await, 1);
}

async fn the_receipt_link_registers_the_guest_in_a_fresh_browser(backend: Backend) {
    let app = TestApp::new(backend).await;
    // The shopper pays and the tab closes before the complete page runs.
    let receipt = paid_receipt(&app).await;
    let link = completion_link(&receipt);
    let (invoice, basket) = link_ids(&link);

    // Another browser, without JavaScript: opening the link changes nothing.
    let mut phone = Browser::new(&app);
    let page = phone.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(">Complete registration</button>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);
    // Its form registers, as the redirect after payment would have.
    let posted = phone.submit("/checkout/api/register", &format!("invoice_id={invoice}&basket_session={basket}")).await;
    assert_eq!(posted.status, StatusCode::FOUND);
    assert_eq!(posted.header("location"), format!("/checkout/complete?invoiceId={invoice}"));
    let done = phone.get(&posted.header("location").to_owned()).await.text();
    assert!(done.contains(">Download invoice (PDF)</a>"), "{done}");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE customer_id IS NOT NULL").await, 1);
    // The welcome email follows, to the same address.
    let welcome: Vec<_> = app.mailbox().await.into_iter().filter(|m| m.subject.starts_with("Welcome")).collect();
    assert_eq!(welcome.len(), 1);
    assert_eq!(welcome[0].to, SHOPPER_EMAIL);
}

async fn after_registration_the_link_leads_to_the_sign_in_path(backend: Backend) {
    let app = TestApp::new(backend).await;
    let receipt = paid_receipt(&app).await;
    let link = completion_link(&receipt);
    let (invoice, basket) = link_ids(&link);
    assert_eq!(app.register(&invoice, &basket).await.status, StatusCode::OK);

    // The link opened again, in a browser that holds no token for the invoice.
    let mut laptop = Browser::new(&app);
    let page = laptop.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text().replace("&#x27;", "'");
    assert!(html.contains(">This purchase is already registered</h1>"), "{html}");
    assert!(html.contains("Email me a sign-in link") && html.contains("/account/sign-in"), "{html}");
    // Neither the address nor anything of the invoice.
    assert!(!html.contains(SHOPPER_EMAIL) && !html.contains("sam%40example.com"), "{html}");
    assert!(!html.contains("INV-000001") && !html.contains("96.80") && !html.contains("pdfByToken"), "{html}");

    // Without JavaScript: the form comes back to the page, which says the link is on its way.
    let form = format!("invoice_id={invoice}&basket_session={basket}");
    let posted = laptop.submit("/checkout/api/sign_in_link", &form).await;
    assert_eq!(posted.status, StatusCode::FOUND);
    let back = posted.header("location").to_owned();
    assert_eq!(back, format!("/checkout/complete?invoiceId={invoice}&basketSession={basket}&signInLink=sent"));
    let sent_page = laptop.get(&back).await.text().replace("&#x27;", "'");
    assert!(sent_page.contains("We've emailed a sign-in link to the address on the invoice"), "{sent_page}");
    assert!(!sent_page.contains(SHOPPER_EMAIL));

    // The link signs the guest in, where the invoice is.
    let sign_in = app.only_mail_to_with_subject(SHOPPER_EMAIL, "Your sign-in link").await;
    let token = sign_in.link_token("/account/link");
    assert_eq!(laptop.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::OK);
    let mine = laptop.get("/api/public/billing/invoices/my").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.json()["Records"][0]["InvoiceNumber"], "INV-000001");

    // As the hydrated page calls it: the same answer, another link.
    assert_eq!(Browser::new(&app).call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM account_links WHERE purpose = 'sign_in'").await, 2);
    // Nothing was registered twice.
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
}

async fn an_unopened_link_after_expiry_still_leads_to_the_invoice(backend: Backend) {
    let app = TestApp::new(backend).await;
    let receipt = paid_receipt(&app).await;
    let link = completion_link(&receipt);
    let (invoice, basket) = link_ids(&link);
    app.advance(Duration::from_secs(25 * 3600));

    let mut browser = Browser::new(&app);
    let html = browser.get(&link).await.text().replace("&#x27;", "'");
    assert!(html.contains(">This link has expired</h1>") && html.contains("Email me a sign-in link"), "{html}");
    assert!(!html.contains(SHOPPER_EMAIL) && !html.contains("INV-000001"), "{html}");
    assert_eq!(app.register(&invoice, &basket).await.status, StatusCode::UNAUTHORIZED);

    // The request registers the purchase through the mailbox: the account is
    // made, as registration would have made it, and the link signs in to it.
    let form = format!("invoice_id={invoice}&basket_session={basket}");
    assert_eq!(browser.call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE portal_access_granted_at IS NOT NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE customer_id IS NOT NULL").await, 1);
    let sign_in = app.only_mail_to_with_subject(SHOPPER_EMAIL, "Your sign-in link").await;
    let token = sign_in.link_token("/account/link");
    assert_eq!(browser.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::OK);
    let mine = browser.get("/api/public/billing/invoices/my").await;
    assert_eq!(mine.json()["TotalItems"], 1);

    // Asking again attaches nothing twice; the basket can no longer register at all.
    assert_eq!(browser.call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 1);
}

async fn a_sign_in_link_request_checks_its_link_and_is_rate_limited(backend: Backend) {
    let app = TestApp::new(backend).await;
    let receipt = paid_receipt(&app).await;
    let (invoice, basket) = link_ids(&completion_link(&receipt));
    let other = app.purchase().await;
    let mut browser = Browser::new(&app);
    let ask = |invoice: String, basket: String| format!("invoice_id={}&basket_session={}", form_value(&invoice), form_value(&basket));

    // Bad links get the documented statuses and change nothing.
    let cases = [
        (ask(invoice.clone(), "not-a-guid".into()), StatusCode::UNAUTHORIZED),
        (ask(invoice.clone(), String::new()), StatusCode::UNAUTHORIZED),
        (ask(invoice.clone(), "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f".into()), StatusCode::UNAUTHORIZED),
        (ask(other.invoice.to_string(), basket.clone()), StatusCode::NOT_FOUND),
        (ask("abc".into(), basket.clone()), StatusCode::BAD_REQUEST),
    ];
    for (form, status) in cases {
        let reply = browser.call("/checkout/api/sign_in_link", &form).await;
        assert_eq!(reply.status, status, "{form}: {}", reply.text());
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM account_links").await, 0);

    // At most five links per address in 15 minutes; the sixth request gets the same answer and sends nothing.
    for _ in 0..6 {
        assert_eq!(browser.call("/checkout/api/sign_in_link", &ask(invoice.clone(), basket.clone())).await.status, StatusCode::OK);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM account_links WHERE purpose = 'sign_in'").await, 5);
}

/// Every log line the journey writes, at every level, on one thread so that
/// the subscriber sees the services' and the outbox's lines.
#[tokio::test(flavor = "current_thread")]
async fn no_log_line_carries_the_completion_link() {
    let logs = common::capture_logs();

    let app = TestApp::new(Backend::Sqlite).await;
    let receipt = paid_receipt(&app).await;
    let link = completion_link(&receipt);
    let (invoice, basket) = link_ids(&link);
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get(&link).await.status, StatusCode::OK);
    assert_eq!(browser.call("/checkout/api/register", &format!("invoice_id={invoice}&basket_session={basket}")).await.status, StatusCode::OK);
    assert_eq!(browser.get(&link).await.status, StatusCode::OK);
    assert_eq!(Browser::new(&app).call("/checkout/api/sign_in_link", &format!("invoice_id={invoice}&basket_session={basket}")).await.status, StatusCode::OK);
    app.deliver_mail().await;

    let logs = logs.text();
    assert!(logs.contains("receipt queued") && logs.contains("email written"), "the journey was logged:\n{logs}");
    assert!(!logs.contains(&basket), "a log line carries the basket session:\n{logs}");
    assert!(!logs.contains("basketSession="), "a log line carries a completion link:\n{logs}");
}
