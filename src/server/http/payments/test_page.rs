//! `/test-payments/{session}`: the built-in test provider's hosted payment
//! page, served only when the test provider is configured. Like Stripe
//! Checkout it is a page of its own (not one of the shop's): it shows what is
//! being paid, takes a test card, and on success sends the browser to the
//! session's success URL; a declined card stays on the page with the reason;
//! "Back" returns to the shop. No JavaScript.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::locale::Locale;
use crate::domain::Money;
use crate::server::http::i18n::RequestLocale;
use crate::server::i18n::format;
use crate::server::http::state::AppState;
use crate::server::mail::templates::escape;
use crate::server::payments::test_cards::{CardInput, DeclineReason};
use crate::server::payments::test_provider::{PageOutcome, PageView, Payable, PAGE_PATH};
use crate::server::payments::is_session_id;

/// Its own policy: our stylesheet, a form posting to itself, nothing else.
const PAGE_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn routes() -> Router<AppState> {
    Router::new().route(&format!("{PAGE_PATH}/{{session}}"), get(show).post(pay))
}

async fn show(State(state): State<AppState>, RequestLocale(locale): RequestLocale, Path(session): Path<String>) -> Response {
    let Some(provider) = &state.test_payments else { return StatusCode::NOT_FOUND.into_response() };
    match is_session_id(&session).then(|| provider.page(&session)).flatten() {
        Some(view) => page(locale, StatusCode::OK, &session, &view, None),
        None => unknown(),
    }
}

async fn pay(State(state): State<AppState>, RequestLocale(locale): RequestLocale, Path(session): Path<String>, body: Bytes) -> Response {
    let Some(provider) = &state.test_payments else { return StatusCode::NOT_FOUND.into_response() };
    if !is_session_id(&session) {
        return unknown();
    }
    let field = |name: &str| {
        url::form_urlencoded::parse(&body).find(|(key, _)| key == name).map(|(_, value)| value.into_owned()).unwrap_or_default()
    };
    let card = CardInput { number: field("card_number"), expiry: field("expiry"), cvc: field("cvc") };
    match provider.pay(&session, &card) {
        PageOutcome::Paid(success_url) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&success_url) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        PageOutcome::Declined(reason) => match provider.page(&session) {
            Some(view) => page(locale, StatusCode::PAYMENT_REQUIRED, &session, &view, Some(reason)),
            None => unknown(),
        },
        PageOutcome::NotPayable(_) => match provider.page(&session) {
            Some(view) => page(locale, StatusCode::CONFLICT, &session, &view, None),
            None => unknown(),
        },
        PageOutcome::Unknown => unknown(),
    }
}

fn page(locale: Locale, status: StatusCode, session: &str, view: &PageView, declined: Option<DeclineReason>) -> Response {
    let money = |minor: i64| escape(&format::money(locale, Money::new(minor, view.currency)));
    let lines: String = view
        .lines
        .iter()
        .map(|line| {
            let amount = line.unit_amount_minor.saturating_mul(i64::from(line.quantity));
            let name = if line.quantity == 1 { escape(&line.name) } else { format!("{} × {}", line.quantity, escape(&line.name)) };
            format!("<li><span>{name}</span><span>{}</span></li>", money(amount))
        })
        .collect();
    let total = money(view.total_minor);
    let back = escape(&view.cancel_url);
    let body = match view.payable {
        Payable::Yes => {
            let error = declined
                .map(|reason| format!(r#"<p class="error" role="alert">{}</p>"#, escape(reason.message())))
                .unwrap_or_default();
            format!(
                r#"{error}<form method="post" action="{PAGE_PATH}/{session}" class="payment-form">
  <div class="field"><label for="card_number">Card number</label><input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required></div>
  <div class="field-row">
    <div class="field"><label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM/YY" required></div>
    <div class="field"><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required></div>
  </div>
  <p class="muted">Test cards: 4242 4242 4242 4242 is paid; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 has insufficient funds. Any future expiry, any 3 digits.</p>
  <button type="submit" class="button primary">Pay {total}</button>
</form>"#
            )
        }
        Payable::AlreadyPaid => r#"<p role="status">This payment is complete. Nothing more is due.</p>"#.to_owned(),
        Payable::Expired => r#"<p role="alert">This payment page has expired; nothing was charged. Go back to the shop to pay again.</p>"#.to_owned(),
    };
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>Test payment</title><link rel="stylesheet" href="/pkg/checkout-portal.css"></head>
<body>
<aside class="test-mode-banner" aria-label="Test mode">Test mode: this page takes test cards only, and no money moves.</aside>
<main class="container">
<h1>Test payment</h1>
<section class="card"><h2 class="small-heading">You are paying</h2><ul class="summary">{lines}</ul>
<dl class="totals"><dt class="total">Total</dt><dd class="total">{total}</dd></dl></section>
<section class="card">{body}</section>
<p><a href="{back}">Back to the shop</a></p>
</main>
</body>
</html>"#
    );
    with_policy(status, html)
}

fn unknown() -> Response {
    with_policy(
        StatusCode::NOT_FOUND,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Payment not found</title><link rel="stylesheet" href="/pkg/checkout-portal.css"></head><body><main class="container"><h1>Payment not found</h1><p>There is no payment here. Go back to the shop to pay.</p><p><a href="/basket">Back to the shop</a></p></main></body></html>"#.to_owned(),
    )
}

fn with_policy(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
