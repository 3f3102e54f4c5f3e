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
use crate::server::i18n::checkout as checkout_words;
use crate::server::i18n::format;
use crate::server::http::state::AppState;
use crate::server::mail::templates::escape;
use crate::server::payments::test_cards::{CardInput, DeclineReason};
use crate::server::payments::test_provider::{PageOutcome, PageView, Payable, PAGE_PATH};
use crate::server::payments::is_session_id;
use crate::tr;

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
        None => unknown(locale),
    }
}

async fn pay(State(state): State<AppState>, RequestLocale(locale): RequestLocale, Path(session): Path<String>, body: Bytes) -> Response {
    let Some(provider) = &state.test_payments else { return StatusCode::NOT_FOUND.into_response() };
    if !is_session_id(&session) {
        return unknown(locale);
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
            None => unknown(locale),
        },
        PageOutcome::NotPayable(_) => match provider.page(&session) {
            Some(view) => page(locale, StatusCode::CONFLICT, &session, &view, None),
            None => unknown(locale),
        },
        PageOutcome::Unknown => unknown(locale),
    }
}

fn page(locale: Locale, status: StatusCode, session: &str, view: &PageView, declined: Option<DeclineReason>) -> Response {
    let money = |minor: i64| escape(&format::money(locale, Money::new(minor, view.currency)));
    let lines: String = view
        .lines
        .iter()
        .map(|line| {
            let amount = line.unit_amount_minor.saturating_mul(i64::from(line.quantity));
            let name = if line.quantity == 1 {
                escape(&line.name)
            } else {
                escape(&tr!(locale, "checkout-line", quantity = line.quantity, product = line.name.as_str()))
            };
            format!("<li><span>{name}</span><span>{}</span></li>", money(amount))
        })
        .collect();
    let total = money(view.total_minor);
    let back = escape(&view.cancel_url);
    let body = match view.payable {
        Payable::Yes => {
            let error = declined
                .map(|reason| format!(r#"<p class="error" role="alert">{}</p>"#, escape(&checkout_words::decline(locale, reason))))
                .unwrap_or_default();
            let say = |text: String| escape(&text);
            let card_number = say(tr!(locale, "checkout-test-page-card-number"));
            let expiry = say(tr!(locale, "checkout-test-page-expiry"));
            let expiry_placeholder = say(tr!(locale, "checkout-test-page-expiry-placeholder"));
            let cvc = say(tr!(locale, "checkout-test-page-cvc"));
            let cards = say(tr!(locale, "checkout-test-page-cards"));
            // The total is written the locale's way, its direction marks
            // included; the button holds nothing else, so no isolates.
            let pay = say(crate::tr_plain!(locale, "checkout-payment-pay", total = format::money(locale, Money::new(view.total_minor, view.currency))));
            format!(
                r#"{error}<form method="post" action="{PAGE_PATH}/{session}" class="payment-form">
  <div class="field"><label for="card_number">{card_number}</label><input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required></div>
  <div class="field-row">
    <div class="field"><label for="expiry">{expiry}</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="{expiry_placeholder}" required></div>
    <div class="field"><label for="cvc">{cvc}</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required></div>
  </div>
  <p class="muted">{cards}</p>
  <button type="submit" class="button primary">{pay}</button>
</form>"#
            )
        }
        Payable::AlreadyPaid => format!(r#"<p role="status">{}</p>"#, escape(&tr!(locale, "checkout-test-page-already-paid"))),
        Payable::Expired => format!(r#"<p role="alert">{}</p>"#, escape(&tr!(locale, "checkout-test-page-expired"))),
    };
    let (lang, dir) = (locale.tag(), locale.direction().html());
    let title = escape(&tr!(locale, "checkout-test-page-title"));
    let test_mode = escape(&tr!(locale, "test-mode-label"));
    let banner = escape(&tr!(locale, "checkout-test-page-banner"));
    let paying = escape(&tr!(locale, "checkout-test-page-paying"));
    let total_label = escape(&tr!(locale, "checkout-total"));
    let back_label = escape(&tr!(locale, "checkout-test-page-back"));
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>{title}</title><link rel="stylesheet" href="/pkg/checkout-portal.css"></head>
<body>
<aside class="test-mode-banner" aria-label="{test_mode}">{banner}</aside>
<main class="container">
<h1>{title}</h1>
<section class="card"><h2 class="small-heading">{paying}</h2><ul class="summary">{lines}</ul>
<dl class="totals"><dt class="total">{total_label}</dt><dd class="total">{total}</dd></dl></section>
<section class="card">{body}</section>
<p><a href="{back}">{back_label}</a></p>
</main>
</body>
</html>"#
    );
    with_policy(status, html)
}

fn unknown(locale: Locale) -> Response {
    let (lang, dir) = (locale.tag(), locale.direction().html());
    let title = escape(&tr!(locale, "checkout-test-page-not-found-title"));
    let text = escape(&tr!(locale, "checkout-test-page-not-found-text"));
    let back = escape(&tr!(locale, "checkout-test-page-back"));
    with_policy(
        StatusCode::NOT_FOUND,
        format!(
            r#"<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>{title}</title><link rel="stylesheet" href="/pkg/checkout-portal.css"></head><body><main class="container"><h1>{title}</h1><p>{text}</p><p><a href="/basket">{back}</a></p></main></body></html>"#
        ),
    )
}

fn with_policy(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
