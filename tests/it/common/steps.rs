//! Steps of the guest's and the customer's journeys that many tests take,
//! over HTTP on the test app, each asserting that it worked.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use checkout_portal::server::services::purchase::PaidPurchase;

use super::{form_value, Browser, Reply, TestApp};

/// A guest purchase registered through the complete page's server function
/// (so the browser holds the invoice cookie).
pub async fn register_in_browser(app: &TestApp, browser: &mut Browser<'_>, email: &str, name: &str) -> PaidPurchase {
    let paid = app.purchase_as(email, name).await;
    let reply = browser
        .call("/checkout/api/register", &format!("invoice_id={}&basket_session={}", paid.invoice, paid.basket))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    paid
}

/// A customer with `password`, chosen from the welcome email's link (so the
/// mailbox is confirmed).
pub async fn customer_with_password(app: &TestApp, email: &str, password: &str) -> PaidPurchase {
    let paid = app.purchase_as(email, "Jane Doe").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let token = app.only_mail_to(email).await.link_token("/account/set-password");
    let reply = Browser::new(app).call("/account/api/password", &format!("token={token}&password={}", form_value(password))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    paid
}

/// Password sign-in, as the hydrated sign-in page posts it.
pub async fn sign_in(browser: &mut Browser<'_>, email: &str, password: &str) -> Reply {
    browser
        .call("/account/api/sign_in", &format!("email={}&password={}", form_value(email), form_value(password)))
        .await
}

/// "Set a password now" on the checkout-complete page.
pub async fn set_password_now(browser: &mut Browser<'_>, invoice: impl std::fmt::Display, password: &str) -> Reply {
    browser.call("/checkout/api/password", &format!("invoice_id={invoice}&password={}", form_value(password))).await
}

/// `POST /api/token` with a form body.
pub async fn token_request(app: &TestApp, form: &str) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    app.send(request).await
}
