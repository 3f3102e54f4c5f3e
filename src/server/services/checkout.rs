//! The guest checkout: basket, guest details and payment. It speaks the
//! domain (`Product`, `Basket`, `EnteredDetails`); the pages' adapter builds
//! their views. All SQL is in `store`.

use std::sync::Arc;

use crate::api::checkout::{CheckoutError, FieldError, FieldName, FieldProblem, Rejection, COUNTRIES};
use crate::domain::locale::Locale;
use crate::domain::invoice::price;
use crate::domain::{Basket, BasketToken, BillTo, Clock, Currency, Email, EnteredDetails, Priced, Product};
use crate::server::shop::ShopCell;
use crate::server::db::Db;
use crate::server::services::accounts::parse;
use crate::server::services::payments::Payments;
use crate::server::services::unavailable;
use crate::server::store;
use crate::server::store::baskets::{BasketState, OpenBasket};

#[derive(Clone)]
pub struct Checkout {
    db: Db,
    clock: Arc<dyn Clock>,
    /// The shop's currency, as the last applied shop file set it.
    shop: ShopCell,
    /// A basket being changed first closes its open checkout session.
    payments: Payments,
}

impl Checkout {
    pub fn new(db: Db, clock: Arc<dyn Clock>, shop: ShopCell, payments: Payments) -> Self {
        Self { db, clock, shop, payments }
    }

    /// The currency every price is in now.
    pub fn currency(&self) -> Currency {
        self.shop.currency()
    }

    /// The products for sale, named in `locale`.
    pub async fn catalogue(&self, locale: Locale) -> Result<Vec<Product>, CheckoutError> {
        Ok(store::reads::products(&self.db, locale).await.map_err(unavailable)?)
    }

    /// What the cookie's basket holds now; an unknown or paid basket reads as empty.
    /// A visitor without a basket cookie (every page's header asks) costs no connection.
    /// Its products are named in `locale`.
    pub async fn view(&self, basket: Option<BasketToken>, locale: Locale) -> Result<Basket, CheckoutError> {
        let empty = || self.priced(Vec::new(), EnteredDetails::default());
        let Some(token) = basket else { return empty() };
        match store::reads::open_basket(&self.db, &token.hash(), locale).await.map_err(unavailable)? {
            Some((details, lines)) => self.priced(lines, details),
            None => empty(),
        }
    }

    /// Adds a product. Starts a new basket when there is none or the old one
    /// is paid; returns the basket's token (new or not) and its contents.
    pub async fn add(
        &self,
        basket: Option<BasketToken>,
        product_id: i64,
        quantity: u32,
        locale: Locale,
    ) -> Result<(BasketToken, Basket), CheckoutError> {
        let now = self.clock.now();
        if let Some(token) = basket {
            self.close_payment(token).await?;
        }
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let existing = match basket {
            Some(token) => match store::baskets::find_basket_state(&mut tx, &token.hash()).await.map_err(unavailable)? {
                Some(BasketState::Open(open)) => Some((token, open.id)),
                _ => None,
            },
            None => None,
        };
        let (token, basket_id) = match existing {
            Some(found) => found,
            None => {
                let token = BasketToken::generate();
                let id = store::baskets::insert_open_basket(&mut tx, &token.hash(), now).await.map_err(unavailable)?;
                (token, id)
            }
        };
        self.lock_for_change(&mut tx, basket_id).await?;
        // More than one basket may hold is refused; adding up to past it stops at it.
        if let Some(max) = store::baskets::product_max_quantity(&mut tx, product_id).await.map_err(unavailable)? {
            if quantity > max {
                return Err(CheckoutError::TooMany { max });
            }
        }
        if !store::baskets::add_basket_item(&mut tx, basket_id, product_id, quantity).await.map_err(unavailable)? {
            return Err(CheckoutError::Rejected(Rejection::ProductUnavailable));
        }
        tx.commit().await.map_err(unavailable)?;
        Ok((token, self.view(Some(token), locale).await?))
    }

    /// Sets a line's quantity; 0 removes the line.
    pub async fn set_quantity(
        &self,
        basket: Option<BasketToken>,
        product_id: i64,
        quantity: u32,
        locale: Locale,
    ) -> Result<Basket, CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        self.close_payment(token).await?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let open = self.open_basket(&mut tx, token).await?;
        self.lock_for_change(&mut tx, open.id).await?;
        if quantity > 0 {
            match store::baskets::product_max_quantity(&mut tx, product_id).await.map_err(unavailable)? {
                Some(max) if quantity > max => return Err(CheckoutError::TooMany { max }),
                Some(_) => {}
                None => return Err(CheckoutError::Rejected(Rejection::NotInBasket)),
            }
        }
        if !store::baskets::set_basket_item_quantity(&mut tx, open.id, product_id, quantity).await.map_err(unavailable)? {
            return Err(CheckoutError::Rejected(Rejection::NotInBasket));
        }
        tx.commit().await.map_err(unavailable)?;
        self.view(Some(token), locale).await
    }

    /// Saves the details as typed, trimmed and bounded (so nothing is lost),
    /// then validates them.
    pub async fn save_details(&self, basket: Option<BasketToken>, details: &EnteredDetails) -> Result<(), CheckoutError> {
        let details = &details.bounded();
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        self.close_payment(token).await?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let open = self.open_basket(&mut tx, token).await?;
        self.lock_for_change(&mut tx, open.id).await?;
        store::baskets::save_guest_details(&mut tx, open.id, details).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        validate_details(details).map(drop).map_err(CheckoutError::Invalid)
    }

    /// Before a basket changes, its open checkout session (if any) is
    /// expired, so the shopper never pays for what the basket no longer holds.
    async fn close_payment(&self, token: BasketToken) -> Result<(), CheckoutError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let state = store::baskets::find_basket_state(&mut conn, &token.hash()).await.map_err(unavailable)?;
        drop(conn);
        match state {
            Some(BasketState::Open(open)) => self.payments.close_open_session(open.id).await,
            _ => Ok(()),
        }
    }

    /// Locks an unpaid basket for a change, which no open payment may
    /// overlap (one may have started since `close_payment`).
    async fn lock_for_change(&self, conn: &mut sqlx::AnyConnection, basket_id: i64) -> Result<(), CheckoutError> {
        if !store::baskets::lock_open_basket(conn, basket_id).await.map_err(unavailable)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        if store::payments::find_open_for_basket(conn, basket_id).await.map_err(unavailable)?.is_some() {
            return Err(CheckoutError::Rejected(Rejection::PaymentInAnotherTab));
        }
        Ok(())
    }

    async fn open_basket(&self, conn: &mut sqlx::AnyConnection, token: BasketToken) -> Result<OpenBasket, CheckoutError> {
        match store::baskets::find_basket_state(conn, &token.hash()).await.map_err(unavailable)? {
            Some(BasketState::Open(open)) => Ok(open),
            Some(BasketState::Completed(_)) => Err(CheckoutError::AlreadyPaid),
            None => Err(CheckoutError::EmptyBasket),
        }
    }

    /// The basket priced by the invoice's rule (per line, half up); lines
    /// no longer for sale are set apart, unpriced.
    fn priced(&self, lines: Vec<(Product, u32)>, details: EnteredDetails) -> Result<Basket, CheckoutError> {
        price_basket(lines, details, self.currency())
    }
}

fn too_large() -> CheckoutError {
    CheckoutError::Rejected(Rejection::TotalTooLarge)
}

/// What a basket is priced as, as a page shows it and its payment form
/// posts it back (`EUR:3025:9f86d081884c`): the currency, the total and a
/// digest of every line (product, quantity, unit price, tax rate), so any
/// change is caught, even one that leaves the total as it was.
pub fn priced_as_shown(basket: &Basket) -> String {
    let lines: String = basket
        .items
        .iter()
        .map(|(product, quantity)| format!("{}:{quantity}:{}:{};", product.id, product.unit_price_minor, product.tax_rate.basis_points()))
        .collect();
    let digest = crate::domain::ids::sha256_hex(lines.as_bytes(), 6);
    format!("{}:{}:{digest}", basket.currency.code(), basket.priced.total_minor)
}

/// A basket's lines as the guest sees and pays them: those for sale priced
/// by the invoice's rule in `currency`, the others set apart.
pub fn price_basket(lines: Vec<(Product, u32)>, details: EnteredDetails, currency: Currency) -> Result<Basket, CheckoutError> {
    let (items, unavailable): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(product, _)| product.for_sale);
    let line_items: Vec<_> = items.iter().map(|(product, quantity)| product.item(*quantity)).collect();
    let priced: Priced = price(&line_items).map_err(|_| too_large())?;
    Ok(Basket { items, unavailable, priced, currency, details })
}

/// Checks the guest's details; on success, the invoice's bill-to.
pub fn validate_details(details: &EnteredDetails) -> Result<BillTo, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut require = |field: FieldName, value: &str| {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, FieldProblem::Missing));
        }
    };
    require(FieldName::Name, &details.name);
    require(FieldName::Address, &details.address);
    require(FieldName::City, &details.city);
    require(FieldName::Postcode, &details.postcode);
    let email = match details.email.parse::<Email>() {
        Ok(email) => Some(email),
        Err(error) => {
            errors.push(parse::email_error(&error));
            None
        }
    };
    let country = COUNTRIES.iter().find(|(code, _)| *code == details.country);
    if country.is_none() {
        let problem = if details.country.trim().is_empty() { FieldProblem::Missing } else { FieldProblem::Malformed };
        errors.push(FieldError::new(FieldName::Country, problem));
    }
    match (email, country) {
        (Some(email), Some((_, country_name))) if errors.is_empty() => Ok(BillTo {
            name: details.name.trim().to_owned(),
            email,
            address: details.address.trim().to_owned(),
            city: details.city.trim().to_owned(),
            postcode: details.postcode.trim().to_owned(),
            country: (*country_name).to_owned(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> EnteredDetails {
        EnteredDetails {
            name: "Ana Silva".into(),
            email: "ana@example.com".into(),
            address: "Rua Augusta 1".into(),
            city: "Lisboa".into(),
            postcode: "1100-048".into(),
            country: "PT".into(),
        }
    }

    #[test]
    fn valid_details_become_the_bill_to() {
        let bill_to = validate_details(&details()).unwrap();
        assert_eq!(bill_to.country, "Portugal");
        assert_eq!(bill_to.email.normalized(), "ana@example.com");
    }

    #[test]
    fn each_missing_or_bad_field_gets_its_own_message() {
        let empty = EnteredDetails::default();
        let errors = validate_details(&empty).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(errors.iter().all(|e| e.problem == FieldProblem::Missing), "{errors:?}");
        assert_eq!(fields, ["name", "address", "city", "postcode", "email", "country"]);
        let bad_email = EnteredDetails { email: "ana@".into(), ..details() };
        let errors = validate_details(&bad_email).unwrap_err();
        assert_eq!(errors, [FieldError::new(FieldName::Email, FieldProblem::Malformed)]);
        assert_eq!(errors[0].message(), "Enter an email address like name@example.com.");
        let bad_country = EnteredDetails { country: "XX".into(), ..details() };
        assert_eq!(validate_details(&bad_country).unwrap_err(), [FieldError::new(FieldName::Country, FieldProblem::Malformed)]);
    }

    #[test]
    fn clip_trims_and_bounds_input() {
        let typed = |name: String, country: &str| EnteredDetails { name, country: country.into(), ..EnteredDetails::default() };
        assert_eq!(typed(String::new(), "  abc  ").bounded().country, "ab");
        assert_eq!(typed("é".repeat(500), "").bounded().name.chars().count(), 200);
    }
}
