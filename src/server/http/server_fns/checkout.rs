//! Server side of the checkout pages' `#[server]` functions: the basket
//! cookie, statuses, and where the browser goes next.

use leptos::prelude::*;

use crate::api::checkout::{BasketLineView, BasketView, CheckoutError, GuestDetails, PaymentNotice, ProductView, Rejection, UnavailableLineView};
use crate::domain::shop::MAX_QUANTITY_CEILING;
use crate::server::i18n::format;
use crate::domain::{Basket, BasketProblem, BasketToken, EnteredDetails, Money};
use crate::server::services::checkout::{priced_as_shown, validate_details};
use crate::server::services::payments::{Started, HANDOFF_PATH};
use crate::server::http::cookies::{self, BASKET_COOKIE, PAYER_COOKIE};
use crate::server::http::server_fns::{no_store, with_status};
use crate::server::http::state::AppState;


pub async fn catalogue() -> Result<Vec<ProductView>, CheckoutError> {
    let state = expect_context::<AppState>();
    let checkout = &state.checkout;
    let currency = checkout.currency();
    let locale = crate::pages::i18n::locale();
    with_status(checkout.catalogue(locale).await.map(|products| {
        products
            .into_iter()
            .map(|p| ProductView {
                id: p.id,
                price: format::money(locale, Money::new(p.unit_price_minor, currency)),
                tax_rate: format::percent(locale, p.tax_rate),
                name: p.name,
                description: p.description,
            })
            .collect()
    }))
}

pub async fn basket() -> Result<BasketView, CheckoutError> {
    let state = expect_context::<AppState>();
    no_store();
    with_status(state.checkout.view(basket_cookie(), crate::pages::i18n::locale()).await.map(basket_view))
}

pub async fn add_to_basket(product_id: Option<String>, quantity: Option<String>) -> Result<BasketView, CheckoutError> {
    let state = expect_context::<AppState>();
    let result = async {
        let product_id = parse_product(product_id.as_deref())?;
        let quantity = parse_quantity(quantity.as_deref().unwrap_or("1"), 1)?;
        let (token, view) = state.checkout.add(basket_cookie(), product_id, quantity, crate::pages::i18n::locale()).await?;
        set_basket_cookie(&state, token);
        leptos_axum::redirect("/basket");
        Ok(basket_view(view))
    }
    .await;
    with_status(result)
}

pub async fn set_quantity(product_id: Option<String>, quantity: Option<String>) -> Result<BasketView, CheckoutError> {
    let state = expect_context::<AppState>();
    let result = async {
        let product_id = parse_product(product_id.as_deref())?;
        let quantity = parse_quantity(quantity.as_deref().unwrap_or_default(), 0)?;
        state.checkout.set_quantity(basket_cookie(), product_id, quantity, crate::pages::i18n::locale()).await.map(basket_view)
    }
    .await;
    with_status(result)
}

pub async fn save_details(details: GuestDetails) -> Result<(), CheckoutError> {
    let state = expect_context::<AppState>();
    let result = state.checkout.save_details(basket_cookie(), &details.into()).await;
    if result.is_ok() {
        leptos_axum::redirect("/checkout/payment");
    }
    with_status(result)
}

pub async fn new_payment_attempt() -> Result<String, CheckoutError> {
    no_store();
    Ok(crate::domain::unique_key())
}

/// Makes the basket's checkout session, then sends the browser to the
/// same-origin hand-off page: the islands router fetches form posts, and a
/// fetch cannot follow a redirect to another origin.
pub async fn pay(attempt: String, priced_as: Option<String>) -> Result<(), CheckoutError> {
    let state = expect_context::<AppState>();
    no_store();
    let result = state.payments.start(basket_cookie(), &attempt, priced_as.as_deref(), crate::pages::i18n::locale()).await;
    match &result {
        Ok(Started::PayAt { payer, .. }) => {
            if let Some(payer) = payer {
                cookies::set_site(state.cookies, PAYER_COOKIE, payer.reveal(), None);
            }
            leptos_axum::redirect(&format!("{HANDOFF_PATH}?attempt={attempt}"));
        }
        Ok(Started::AlreadyPaid) => leptos_axum::redirect(&format!("/checkout/payment?payment={}", PaymentNotice::Paid.code())),
        Err(_) => {}
    }
    with_status(result.map(drop))
}

pub async fn hosted_payment_page(attempt: String) -> Result<String, CheckoutError> {
    let state = expect_context::<AppState>();
    no_store();
    let payer = cookies::read_site(PAYER_COOKIE).and_then(|value| value.parse().ok());
    with_status(state.payments.hosted_page(payer, &attempt).await)
}

/// Sends a `Refresh` header: a browser loading the page moves on to `url`
/// after `seconds`, without JavaScript (the islands router ignores it on
/// the pages it fetches, which keep a link instead).
pub fn refresh_to(seconds: u32, url: &str) {
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(&format!("{seconds}; url={url}")))
    {
        response.insert_header(axum::http::HeaderName::from_static("refresh"), value);
    }
}

/// The basket as its pages show it: amounts formatted in its currency.
fn basket_view(basket: Basket) -> BasketView {
    let locale = crate::pages::i18n::locale();
    let money = |minor: i64| format::money(locale, Money::new(minor, basket.currency));
    let item_count = basket.item_count();
    let details_complete = validate_details(&basket.details).is_ok();
    let problem = basket.payable_problem().map(|problem| match problem {
        BasketProblem::Unavailable => Rejection::ItemsUnavailable,
        BasketProblem::OverMaximum => Rejection::OverMaximum,
    });
    let priced_as = priced_as_shown(&basket);
    let Basket { items, unavailable, priced, details, .. } = basket;
    BasketView {
        lines: items
            .into_iter()
            .zip(&priced.lines)
            .map(|((product, quantity), line)| BasketLineView {
                product_id: product.id,
                unit_price: money(product.unit_price_minor),
                tax_rate: format::percent(locale, product.tax_rate),
                amount: money(line.net_minor),
                name: product.name,
                quantity,
                max_quantity: product.max_quantity,
            })
            .collect(),
        unavailable: unavailable
            .into_iter()
            .map(|(product, quantity)| UnavailableLineView { product_id: product.id, name: product.name, quantity })
            .collect(),
        problem,
        priced_as,
        item_count,
        subtotal: money(priced.subtotal_minor),
        tax: money(priced.tax_minor),
        total: money(priced.total_minor),
        details_complete,
        details: details.into(),
    }
}

fn parse_product(raw: Option<&str>) -> Result<i64, CheckoutError> {
    raw.and_then(|raw| raw.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or(CheckoutError::Rejected(Rejection::ProductUnavailable))
}

fn parse_quantity(raw: &str, min: u32) -> Result<u32, CheckoutError> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|q| (min..=MAX_QUANTITY_CEILING).contains(q))
        .ok_or(CheckoutError::Rejected(Rejection::QuantityOutOfRange))
}

/// Whether this request carries a basket (a well-formed basket cookie).
pub fn has_basket() -> bool {
    basket_cookie().is_some()
}

pub(crate) fn basket_cookie() -> Option<BasketToken> {
    cookies::read_site(BASKET_COOKIE).and_then(|value| value.parse().ok())
}

fn set_basket_cookie(state: &AppState, token: BasketToken) {
    cookies::set_site(state.cookies, BASKET_COOKIE, &token.to_string(), None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_bounded() {
        assert_eq!(parse_quantity("3", 1).unwrap(), 3);
        assert_eq!(parse_quantity("0", 0).unwrap(), 0);
        for bad in ["0", "-1", "1000", "1e3", "", "abc", "99999999999"] {
            assert!(parse_quantity(bad, 1).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_quantity_message_states_the_bounds() {
        let expected = format!("Choose a quantity from 1 to {MAX_QUANTITY_CEILING}.");
        assert_eq!(parse_quantity("1000", 1).unwrap_err().to_string(), expected);
        assert_eq!(parse_quantity("1000", 0).unwrap_err().to_string(), expected, "0 removes a line, but is not a quantity to choose");
    }

    #[test]
    fn product_ids_must_be_positive_numbers() {
        assert_eq!(parse_product(Some("4")).unwrap(), 4);
        for bad in [None, Some(""), Some("0"), Some("-2"), Some("x")] {
            assert!(parse_product(bad).is_err(), "{bad:?}");
        }
    }
}

/// The details as the form sends and shows them, and as the domain checks
/// them: the same six fields.
impl From<GuestDetails> for EnteredDetails {
    fn from(details: GuestDetails) -> Self {
        let GuestDetails { name, email, address, city, postcode, country } = details;
        Self { name, email, address, city, postcode, country }
    }
}

impl From<EnteredDetails> for GuestDetails {
    fn from(details: EnteredDetails) -> Self {
        let EnteredDetails { name, email, address, city, postcode, country } = details;
        Self { name, email, address, city, postcode, country }
    }
}
