//! `GET /checkout/return?session_id=…`: where the hosted page sends the
//! shopper back. It fulfils the payment (one of the three doors) and sends
//! the browser on: to checkout-complete with the completion secret the
//! payment minted (clearing the basket cookie), to the "confirming" page, or
//! back to a payable basket. A browser whose basket did not start the
//! payment is shown nothing of it.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::api::checkout::PaymentNotice;
use crate::domain::SecretToken;
use crate::server::http::cookies::{self, BASKET_COOKIE, PAYER_COOKIE};
use crate::server::http::state::{AppState, CookiePolicy};
use crate::server::payments::is_session_id;
use crate::server::services::payments::{Payments, Returned, RETURN_PATH};

/// The page that waits for a payment still being confirmed.
pub const PROCESSING_PATH: &str = "/checkout/processing";

pub fn routes() -> Router<AppState> {
    Router::new().route(RETURN_PATH, get(payment_return))
}

async fn payment_return(
    State(payments): State<Payments>,
    State(policy): State<CookiePolicy>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let session_id = query
        .as_deref()
        .and_then(|query| url::form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == "session_id"))
        .map(|(_, value)| value.into_owned())
        .filter(|id| is_session_id(id));
    let Some(session_id) = session_id else { return see_other(&notice(PaymentNotice::Unknown), [None, None]) };
    let payer: Option<SecretToken> = cookies::from_headers(&headers, policy.name(PAYER_COOKIE)).and_then(|value| value.parse().ok());
    // Paid: the basket cookie opens nothing any more, and the payment is over.
    let clear_basket = [cookies::clearing_site_header(policy, BASKET_COOKIE), cookies::clearing_site_header(policy, PAYER_COOKIE)];
    match payments.returned(payer, &session_id).await {
        Ok(Returned::Complete(url)) => see_other(&url, clear_basket),
        Ok(Returned::PaidCollected) => see_other(&notice(PaymentNotice::Paid), clear_basket),
        Ok(Returned::Refunded) => see_other(&notice(PaymentNotice::Refunded), clear_basket),
        Ok(Returned::RefundedUnpaid) => see_other(&notice(PaymentNotice::RefundedUnpaid), [None, None]),
        Ok(Returned::Released) => see_other(&notice(PaymentNotice::NotCompleted), [None, None]),
        Ok(Returned::Unknown) => see_other(&notice(PaymentNotice::Unknown), [None, None]),
        // Not confirmed yet, or not confirmable right now: the waiting page
        // comes back here every few seconds.
        Ok(Returned::Pending) | Err(_) => see_other(&format!("{PROCESSING_PATH}?session_id={session_id}"), [None, None]),
    }
}

fn notice(notice: PaymentNotice) -> String {
    format!("/checkout/payment?payment={}", notice.code())
}

fn see_other(location: &str, set_cookies: [Option<HeaderValue>; 2]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in set_cookies.into_iter().flatten() {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}
