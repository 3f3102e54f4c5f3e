//! The guest checkout's server functions over HTTP, as the pages call them.

use crate::common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM, VISA_DECLINED, VISA_OK};
use common::{Backend, TestApp};

on_both_backends!(
    totals_are_computed_on_the_server_and_tampered_prices_are_ignored,
    bad_basket_input_gets_a_clear_4xx_and_changes_nothing,
    a_paid_basket_becomes_an_invoice_that_registers,
    a_double_submit_charges_once_and_issues_one_invoice,
    two_tabs_paying_at_once_issue_one_invoice,
    a_declined_card_issues_no_invoice_and_another_card_can_follow,
    a_cookie_from_before_the_payment_opens_nothing_afterwards,
    invalid_details_are_saved_as_typed_and_reported_per_field,
);


async fn totals_are_computed_on_the_server_and_tampered_prices_are_ignored(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    let first = shopper.add(DAY_PASS, 2).await;
    assert_eq!(first.status, StatusCode::OK);
    // The basket lives server-side behind an HttpOnly, SameSite=Lax session cookie holding a v4 GUID.
    let cookie = first.header("set-cookie");
    assert!(cookie.starts_with("basket_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let guid = cookie.trim_start_matches("basket_session=").split(';').next().unwrap();
    assert_eq!(guid.len(), 36);
    assert_eq!(&guid[14..15], "4", "a version-4 GUID: {guid}");
    // Extra fields such as a price are not arguments: they are ignored.
    let tampered = shopper.call("add", &format!("product_id={MEETING_ROOM}&quantity=1&price=1&unit_price_minor=1")).await;
    assert_eq!(tampered.status, StatusCode::OK);
    let basket = shopper.basket().await;
    // 2 × 25.00 + 30.00 = 80.00 net; 21 % per line: 10.50 + 6.30 = 16.80.
    assert_eq!(basket["subtotal"], "€80.00");
    assert_eq!(basket["tax"], "€16.80");
    assert_eq!(basket["total"], "€96.80");
    assert_eq!(basket["item_count"], 3);
    // Adding again accumulates on the line.
    shopper.add(DAY_PASS, 1).await;
    assert_eq!(shopper.basket().await["lines"][0]["quantity"], 3);
}

async fn bad_basket_input_gets_a_clear_4xx_and_changes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    for body in [
        "product_id=1&quantity=-1".to_owned(),
        "product_id=1&quantity=0".to_owned(),
        "product_id=1&quantity=100".to_owned(),
        "product_id=1&quantity=99999999999999".to_owned(),
        "product_id=999&quantity=1".to_owned(),
        "product_id=abc&quantity=1".to_owned(),
        "quantity=1".to_owned(),
    ] {
        let reply = shopper.call("add", &body).await;
        assert!(reply.status.is_client_error(), "{body}: {} {}", reply.status, reply.text());
        let message = reply.json();
        // 100 is more than the day pass's maximum per basket (99): said with the number.
        let reason = message["Rejected"].is_string() || message["TooMany"]["max"] == 99;
        assert!(reason, "{body}: a reason for the shopper: {message}");
    }
    let reply = shopper.call("quantity", "product_id=2&quantity=3").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "not in the basket");
    let basket = shopper.basket().await;
    assert_eq!(basket["item_count"], 1);
    assert_eq!(basket["total"], "€30.25");
}

async fn a_paid_basket_becomes_an_invoice_that_registers(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(MEETING_ROOM, 2).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    let basket_cookie = shopper.cookie.clone().unwrap();
    let attempt = shopper.attempt().await;
    let reply = shopper.pay(&attempt, VISA_OK).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.header("location").to_owned();
    assert!(location.starts_with("/checkout/complete?invoiceId="), "{location}");

    // The completion URL works with the registration endpoint.
    let query = location.split_once('?').unwrap().1;
    let params: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    let invoice = params.iter().find(|(k, _)| *k == "invoiceId").unwrap().1;
    let basket = params.iter().find(|(k, _)| *k == "basketSession").unwrap().1;
    // The payment minted the completion secret: it is not the basket cookie.
    assert!(!basket_cookie.ends_with(basket), "{basket_cookie} vs {basket}");
    let registered = app.register(invoice, basket).await;
    assert_eq!(registered.status, StatusCode::OK);
    let token = registered.json()["Token"].as_str().unwrap().to_owned();
    let text = common::pdf_text(&app.pdf(invoice, &token).await.body);
    assert!(text.contains("Meeting Room (1 h)") && text.contains("€72.60") && text.contains("Sam Shopper"), "{text}");

    // Only brand and last 4 digits of the card are kept, and only by the provider's report.
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE card_brand = 'Visa' AND card_last4 = '4242'").await, 1);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM payment_attempts WHERE card_last4 = '{VISA_OK}'")).await, 0);
    // The browser's basket cookie is cleared: the basket is empty for the next purchase.
    assert_eq!(shopper.cookie, None);
    assert_eq!(shopper.basket().await["item_count"], 0);
}

async fn a_double_submit_charges_once_and_issues_one_invoice(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    let attempt = shopper.attempt().await;
    let first = shopper.start_payment(&attempt).await;
    let second = shopper.start_payment(&attempt).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(first.header("location"), format!("/checkout/handoff?attempt={attempt}"));
    assert_eq!(first.header("location"), second.header("location"));
    // One checkout session for the one form.
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts").await, 1);
    let page = shopper.hosted_page(&attempt).await;
    assert_eq!(shopper.hosted_page(&attempt).await, page);
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER);
    // The same hosted page cannot be paid twice.
    assert_eq!(shopper.pay_on_page(&page, VISA_OK).await.status, StatusCode::CONFLICT);
    let back = shopper.come_back(paid.header("location")).await;
    assert!(back.header("location").starts_with("/checkout/complete?"), "{}", back.header("location"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts").await, 1);
}

async fn two_tabs_paying_at_once_issue_one_invoice(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    let cookie = shopper.cookie.clone();
    let attempts = [shopper.attempt().await, shopper.attempt().await];
    let calls = attempts.clone().into_iter().map(|attempt| {
        let (app, cookie) = (app.clone(), cookie.clone());
        tokio::spawn(async move {
            let mut tab = Shopper { app: &app, cookie };
            let status = tab.start_payment(&attempt).await.status;
            (status, tab.cookie)
        })
    });
    let (mut statuses, mut tab_cookies) = (Vec::new(), Vec::new());
    for call in calls {
        let (status, cookie) = call.await.unwrap();
        statuses.push(status);
        tab_cookies.push(cookie);
    }
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
    // Whatever the order, one session at most is open for the basket.
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'processing'").await, 1);
    // Each tab tries its page: exactly one can be paid.
    let mut paid = 0;
    for ((attempt, status), cookie) in attempts.iter().zip(&statuses).zip(tab_cookies) {
        if *status != StatusCode::OK {
            continue;
        }
        // The tab's own cookies: the payer cookie its "Pay" was answered with.
        let mut shopper = Shopper { app: &app, cookie };
        let reply = shopper.call("handoff", &format!("attempt={attempt}")).await;
        if reply.status != StatusCode::OK {
            continue;
        }
        let page = reply.json().as_str().unwrap().to_owned();
        if shopper.pay_on_page(&page, VISA_OK).await.status == StatusCode::SEE_OTHER {
            paid += 1;
        }
    }
    assert_eq!(paid, 1);

    // A second tab after the first opened its page: the first page is closed.
    let mut later = Shopper::new(&app);
    later.add(DAY_PASS, 1).await;
    later.details().await;
    let first_tab = later.attempt().await;
    assert_eq!(later.start_payment(&first_tab).await.status, StatusCode::OK);
    let first_page = later.hosted_page(&first_tab).await;
    let second_tab = later.attempt().await;
    assert_eq!(later.start_payment(&second_tab).await.status, StatusCode::OK);
    assert_eq!(later.pay_on_page(&first_page, VISA_OK).await.status, StatusCode::CONFLICT, "the first tab's page was expired");
    let second_page = later.hosted_page(&second_tab).await;
    assert_eq!(later.pay_on_page(&second_page, VISA_OK).await.status, StatusCode::SEE_OTHER);
}

async fn a_declined_card_issues_no_invoice_and_another_card_can_follow(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    // The hosted page keeps the shopper and says why.
    let declined = shopper.pay_on_page(&page, VISA_DECLINED).await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
    assert!(declined.text().contains("Your bank declined this card"), "{}", declined.text());
    let broke = shopper.pay_on_page(&page, "4000000000009995").await;
    assert!(broke.text().contains("insufficient funds"), "{}", broke.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 0);
    // A decline on the page ends nothing: the same session takes another card.
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER);
    let back = shopper.come_back(paid.header("location")).await;
    assert!(back.header("location").starts_with("/checkout/complete?"));
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts WHERE status = 'succeeded'").await, 1);
}

async fn a_cookie_from_before_the_payment_opens_nothing_afterwards(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    // A cookie as it was before paying: kept by this browser, or planted in it by someone else.
    let planted = shopper.cookie.clone();
    let guid = planted.clone().unwrap().split_once('=').unwrap().1.to_owned();
    let paid = shopper.pay_fresh(VISA_OK).await;
    let completion = paid.header("location").to_owned();
    let invoice = completion.split("invoiceId=").nth(1).unwrap().split('&').next().unwrap().to_owned();

    let mut stale = Shopper { app: &app, cookie: planted.clone() };
    assert_eq!(stale.basket().await["item_count"], 0, "the paid basket is not this cookie's any more");
    let change = stale.call("quantity", "product_id=1&quantity=5").await;
    assert_eq!(change.status, StatusCode::BAD_REQUEST);
    assert_eq!(change.json(), serde_json::json!("EmptyBasket"));
    assert_eq!(stale.details().await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_lines WHERE quantity = 5").await, 0);
    // Neither registration nor the PDF opens with it.
    assert_eq!(app.register(&invoice, &guid).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pdf(&invoice, &guid).await.status, StatusCode::UNAUTHORIZED);

    // Shopping on starts a new basket; the paid one is untouched.
    stale.add(MEETING_ROOM, 1).await;
    assert_ne!(stale.cookie, planted);
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_items WHERE product_id = 2").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);
}

async fn invalid_details_are_saved_as_typed_and_reported_per_field(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    let reply = shopper.call("details", "name=Sam&email=sam%40&country=ZZ").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let errors = reply.json()["Invalid"].as_array().unwrap().clone();
    let fields: Vec<&str> = errors.iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["address", "city", "postcode", "email", "country"]);
    let basket = shopper.basket().await;
    assert_eq!(basket["details"]["name"], "Sam");
    assert_eq!(basket["details"]["email"], "sam@");
    assert_eq!(basket["details_complete"], false);
    // Payment refuses until the details are valid: no session is made.
    let pay = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(pay.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts").await, 0);
}
