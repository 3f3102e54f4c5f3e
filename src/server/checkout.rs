//! The guest checkout: basket, guest details and payment. One service used by
//! the pages' server functions; all SQL is in `store`.

use std::sync::Arc;
use std::time::Duration;

use crate::checkout::{BasketLineView, BasketView, CheckoutError, FieldError, GuestDetails, ProductView, COUNTRIES};
use crate::domain::{BasketToken, Clock, Currency, Email, InvoiceId, LineAmounts, Money, Timestamp};
use crate::server::config::TokenPolicy;
use crate::server::db::Db;
use crate::server::mail::templates::Receipt;
use crate::server::mail::Mail;
use crate::server::payment::{CardInput, ChargeOutcome, ChargeRequest, PaymentGateway};
use crate::server::purchase::{issue_paid_invoice, GuestPurchase, LineItem};
use crate::server::store::{self, outbox, BasketState, BillTo, OpenBasket, Product};

/// The most of one product a basket line may hold.
pub const MAX_QUANTITY: u32 = 99;
/// A payment claim older than this is considered abandoned.
const PAYMENT_CLAIM_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone)]
pub struct Checkout {
    db: Db,
    clock: Arc<dyn Clock>,
    policy: TokenPolicy,
    currency: Currency,
    gateway: Arc<dyn PaymentGateway>,
    mail: Mail,
}

/// How a payment ended, for the page to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// The basket is paid by this invoice: go to checkout-complete.
    Completed(InvoiceId),
    /// A hosted provider takes over: send the shopper there.
    Redirect(String),
}

fn storage(error: sqlx::Error) -> CheckoutError {
    tracing::error!(%error, "database operation failed");
    CheckoutError::Unavailable
}

impl Checkout {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        policy: TokenPolicy,
        currency: Currency,
        gateway: Arc<dyn PaymentGateway>,
        mail: Mail,
    ) -> Self {
        Self { db, clock, policy, currency, gateway, mail }
    }

    pub async fn catalogue(&self) -> Result<Vec<ProductView>, CheckoutError> {
        let mut conn = self.db.pool.acquire().await.map_err(storage)?;
        let products = store::list_products(&mut conn).await.map_err(storage)?;
        Ok(products
            .into_iter()
            .map(|p| ProductView {
                id: p.id,
                price: Money::new(p.unit_price_minor, self.currency).to_string(),
                tax_rate: p.tax_rate.to_string(),
                name: p.name,
                description: p.description,
            })
            .collect())
    }

    /// What the cookie's basket holds now; an unknown or paid basket reads as empty.
    pub async fn view(&self, basket: Option<BasketToken>) -> Result<BasketView, CheckoutError> {
        let mut conn = self.db.pool.acquire().await.map_err(storage)?;
        let open = match basket {
            Some(token) => match store::find_basket_state(&mut conn, &token.hash()).await.map_err(storage)? {
                Some(BasketState::Open(open)) => Some(open),
                _ => None,
            },
            None => None,
        };
        let Some(open) = open else { return Ok(self.priced(&[], &GuestDetails::default())) };
        let lines = store::basket_lines(&mut conn, open.id).await.map_err(storage)?;
        Ok(self.priced(&lines, &open.details))
    }

    /// Adds a product. Starts a new basket when there is none or the old one
    /// is paid; returns the basket's token (new or not) and its contents.
    pub async fn add(&self, basket: Option<BasketToken>, product_id: i64, quantity: u32) -> Result<(BasketToken, BasketView), CheckoutError> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(storage)?;
        let existing = match basket {
            Some(token) => match store::find_basket_state(&mut tx, &token.hash()).await.map_err(storage)? {
                Some(BasketState::Open(open)) => Some((token, open.id)),
                _ => None,
            },
            None => None,
        };
        let (token, basket_id) = match existing {
            Some(found) => found,
            None => {
                let token = BasketToken::generate();
                let id = store::insert_open_basket(&mut tx, &token.hash(), now).await.map_err(storage)?;
                (token, id)
            }
        };
        if !store::lock_open_basket(&mut tx, basket_id).await.map_err(storage)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        if !store::add_basket_item(&mut tx, basket_id, product_id, quantity, MAX_QUANTITY).await.map_err(storage)? {
            return Err(CheckoutError::Rejected("That product is not available.".into()));
        }
        tx.commit().await.map_err(storage)?;
        Ok((token, self.view(Some(token)).await?))
    }

    /// Sets a line's quantity; 0 removes the line.
    pub async fn set_quantity(&self, basket: Option<BasketToken>, product_id: i64, quantity: u32) -> Result<BasketView, CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        let mut tx = self.db.begin_write().await.map_err(storage)?;
        let open = self.open_basket(&mut tx, token).await?;
        if !store::lock_open_basket(&mut tx, open.id).await.map_err(storage)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        if !store::set_basket_item_quantity(&mut tx, open.id, product_id, quantity).await.map_err(storage)? {
            return Err(CheckoutError::Rejected("That item is not in your basket.".into()));
        }
        tx.commit().await.map_err(storage)?;
        self.view(Some(token)).await
    }

    /// Saves the details as typed (so nothing is lost), then validates them.
    pub async fn save_details(&self, basket: Option<BasketToken>, details: &GuestDetails) -> Result<(), CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        let mut tx = self.db.begin_write().await.map_err(storage)?;
        let open = self.open_basket(&mut tx, token).await?;
        if !store::lock_open_basket(&mut tx, open.id).await.map_err(storage)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        let row = GuestDetails {
            name: clip(&details.name, 200),
            email: clip(&details.email, 254),
            address: clip(&details.address, 300),
            city: clip(&details.city, 120),
            postcode: clip(&details.postcode, 20),
            country: clip(&details.country, 2),
        };
        store::save_guest_details(&mut tx, open.id, &row).await.map_err(storage)?;
        tx.commit().await.map_err(storage)?;
        validate_details(&row).map(drop).map_err(CheckoutError::Invalid)
    }

    /// Charges the basket once per attempt key and, on success, issues the
    /// paid invoice, completes the basket and queues the payment receipt in
    /// one transaction: a rollback sends nothing, a commit sends it once.
    pub async fn pay(&self, basket: Option<BasketToken>, attempt_key: &str, card: CardInput) -> Result<Paid, CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        if attempt_key.is_empty() || attempt_key.len() > 64 || !attempt_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(CheckoutError::Rejected("This payment form has expired. Please reload the page and try again.".into()));
        }
        let mut conn = self.db.pool.acquire().await.map_err(storage)?;
        let open = match store::find_basket_state(&mut conn, &token.hash()).await.map_err(storage)? {
            // Paid already (double submit, back button, second tab): show the result, charge nothing.
            Some(BasketState::Completed(invoice)) => return Ok(Paid::Completed(invoice)),
            Some(BasketState::Open(open)) => open,
            None => return Err(CheckoutError::EmptyBasket),
        };
        if let Some(outcome) = self.replay_attempt(&mut conn, open.id, attempt_key).await? {
            return outcome;
        }
        let lines = store::basket_lines(&mut conn, open.id).await.map_err(storage)?;
        if lines.is_empty() {
            return Err(CheckoutError::EmptyBasket);
        }
        let bill_to = validate_details(&open.details).map_err(CheckoutError::Invalid)?;
        let purchase = GuestPurchase {
            bill_to,
            currency: self.currency,
            items: lines
                .iter()
                .map(|(product, quantity)| LineItem {
                    description: product.name.clone(),
                    quantity: *quantity,
                    unit_price_minor: product.unit_price_minor,
                    tax_rate: product.tax_rate,
                })
                .collect(),
        };
        let total = self.priced_total(&lines)?;

        let now = self.clock.now();
        let stale_before = Timestamp::from_millis(now.millis() - PAYMENT_CLAIM_TIMEOUT.as_millis() as i64);
        if !store::claim_basket_for_payment(&mut conn, open.id, now, stale_before).await.map_err(storage)? {
            return Err(CheckoutError::Rejected(
                "A payment for this basket is already in progress in another tab. Please wait a moment.".into(),
            ));
        }
        let Some(attempt_id) = store::insert_payment_attempt(&mut conn, open.id, attempt_key, total, self.currency, now)
            .await
            .map_err(storage)?
        else {
            store::release_payment_claim(&mut conn, open.id).await.map_err(storage)?;
            return Err(CheckoutError::Rejected("This payment form has already been used. Please reload the page.".into()));
        };

        // No database connection is held while the gateway works (a real one
        // is a network call), nor while a write waits for its turn.
        drop(conn);
        let request = ChargeRequest { amount: Money::new(total, self.currency), idempotency_key: attempt_key.to_owned(), card };
        match self.gateway.charge(&request).await {
            ChargeOutcome::Succeeded { reference, brand, last4 } => {
                let mut tx = self.db.begin_write().await.map_err(storage)?;
                let invoice = issue_paid_invoice(&mut tx, &purchase, now).await.map_err(|error| {
                    tracing::error!(%error, "cannot issue the invoice of a paid basket");
                    CheckoutError::Unavailable
                })?;
                let basket_ttl = self.policy.basket_ttl;
                if !store::complete_basket(&mut tx, open.id, invoice.id, now, now.plus(basket_ttl)).await.map_err(storage)? {
                    return Err(CheckoutError::AlreadyPaid);
                }
                store::finish_payment_attempt(&mut tx, attempt_id, "succeeded", None, Some(&reference), Some((&brand, &last4)), Some(invoice.id))
                    .await
                    .map_err(storage)?;
                // To the address the guest typed, which is the invoice's bill-to.
                let receipt = self.mail.templates.payment_receipt(&Receipt {
                    invoice: &invoice,
                    card_brand: &brand,
                    card_last4: &last4,
                    basket: &token,
                    link_valid_for: basket_ttl,
                });
                outbox::enqueue(&mut tx, &receipt, now).await.map_err(storage)?;
                tx.commit().await.map_err(storage)?;
                self.mail.nudge();
                tracing::info!(invoice = %invoice.id, "basket paid; receipt queued");
                Ok(Paid::Completed(invoice.id))
            }
            ChargeOutcome::Declined { reason } => {
                let mut conn = self.db.pool.acquire().await.map_err(storage)?;
                store::finish_payment_attempt(&mut conn, attempt_id, "declined", Some(reason.as_str()), None, None, None)
                    .await
                    .map_err(storage)?;
                store::release_payment_claim(&mut conn, open.id).await.map_err(storage)?;
                tracing::info!(reason = reason.as_str(), "payment declined");
                Err(CheckoutError::PaymentDeclined(reason.message().into()))
            }
            ChargeOutcome::Pending { redirect_url, .. } => Ok(Paid::Redirect(redirect_url)),
        }
    }

    /// The outcome of an attempt already made with this key, if any.
    async fn replay_attempt(
        &self,
        conn: &mut sqlx::AnyConnection,
        basket_id: i64,
        key: &str,
    ) -> Result<Option<Result<Paid, CheckoutError>>, CheckoutError> {
        // A duplicate submit may arrive while the first is still charging: wait for it briefly.
        for _ in 0..50 {
            let Some(attempt) = store::find_payment_attempt(conn, key).await.map_err(storage)? else {
                return Ok(None);
            };
            if attempt.basket_session_id != basket_id {
                return Ok(Some(Err(CheckoutError::Rejected("This payment form belongs to another basket.".into()))));
            }
            match attempt.status.as_str() {
                "succeeded" => {
                    let invoice = attempt.invoice_id.and_then(|id| InvoiceId::new(id).ok()).ok_or(CheckoutError::Unavailable)?;
                    return Ok(Some(Ok(Paid::Completed(invoice))));
                }
                "declined" => {
                    let message = crate::server::payment::DeclineReason::from_code(attempt.decline_reason.as_deref())
                        .map_or("Your card was declined. Try another card; nothing was charged.", |r| r.message());
                    return Ok(Some(Err(CheckoutError::PaymentDeclined(message.into()))));
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Ok(Some(Err(CheckoutError::Rejected("Your payment is still being processed. Please wait a moment and reload.".into()))))
    }

    async fn open_basket(&self, conn: &mut sqlx::AnyConnection, token: BasketToken) -> Result<OpenBasket, CheckoutError> {
        match store::find_basket_state(conn, &token.hash()).await.map_err(storage)? {
            Some(BasketState::Open(open)) => Ok(open),
            Some(BasketState::Completed(_)) => Err(CheckoutError::AlreadyPaid),
            None => Err(CheckoutError::EmptyBasket),
        }
    }

    fn priced_total(&self, lines: &[(Product, u32)]) -> Result<i64, CheckoutError> {
        lines.iter().try_fold(0i64, |sum, (product, quantity)| {
            let amounts = LineAmounts::compute(*quantity, product.unit_price_minor, product.tax_rate)
                .map_err(|_| CheckoutError::Rejected("The basket total is too large.".into()))?;
            sum.checked_add(amounts.net_minor + amounts.tax_minor)
                .ok_or_else(|| CheckoutError::Rejected("The basket total is too large.".into()))
        })
    }

    /// Prices the lines with the same rule the invoice uses (per line, half up).
    fn priced(&self, lines: &[(Product, u32)], details: &GuestDetails) -> BasketView {
        let money = |minor: i64| Money::new(minor, self.currency).to_string();
        let (mut subtotal, mut tax, mut count) = (0i64, 0i64, 0u32);
        let lines = lines
            .iter()
            .map(|(product, quantity)| {
                // Quantities are capped at MAX_QUANTITY, so this cannot overflow.
                let amounts = LineAmounts::compute(*quantity, product.unit_price_minor, product.tax_rate)
                    .unwrap_or(LineAmounts { net_minor: 0, tax_minor: 0 });
                subtotal += amounts.net_minor;
                tax += amounts.tax_minor;
                count += quantity;
                BasketLineView {
                    product_id: product.id,
                    name: product.name.clone(),
                    quantity: *quantity,
                    unit_price: money(product.unit_price_minor),
                    tax_rate: product.tax_rate.to_string(),
                    amount: money(amounts.net_minor),
                }
            })
            .collect();
        BasketView {
            lines,
            item_count: count,
            subtotal: money(subtotal),
            tax: money(tax),
            total: money(subtotal + tax),
            details_complete: validate_details(details).is_ok(),
            details: details.clone(),
        }
    }
}


fn clip(raw: &str, max_chars: usize) -> String {
    raw.trim().chars().take(max_chars).collect()
}

/// Checks the guest's details; on success, the invoice's bill-to.
pub fn validate_details(details: &GuestDetails) -> Result<BillTo, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut require = |field: &str, value: &str, message: &str| {
        if value.trim().is_empty() {
            errors.push(FieldError { field: field.into(), message: message.into() });
        }
    };
    require("name", &details.name, "Enter your full name.");
    require("address", &details.address, "Enter your street and house number.");
    require("city", &details.city, "Enter your town or city.");
    require("postcode", &details.postcode, "Enter your postcode.");
    let email = match details.email.parse::<Email>() {
        Ok(email) => Some(email),
        Err(error) => {
            let mut message = error.to_string();
            if let Some(first) = message.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            errors.push(FieldError { field: "email".into(), message: format!("{message}.") });
            None
        }
    };
    let country = COUNTRIES.iter().find(|(code, _)| *code == details.country);
    if country.is_none() {
        errors.push(FieldError { field: "country".into(), message: "Choose your country.".into() });
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

    fn details() -> GuestDetails {
        GuestDetails {
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
        let empty = GuestDetails::default();
        let errors = validate_details(&empty).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "address", "city", "postcode", "email", "country"]);
        let bad_email = GuestDetails { email: "ana@".into(), ..details() };
        let errors = validate_details(&bad_email).unwrap_err();
        assert_eq!(errors, [FieldError { field: "email".into(), message: "Enter an email address like name@example.com.".into() }]);
        let bad_country = GuestDetails { country: "XX".into(), ..details() };
        assert_eq!(validate_details(&bad_country).unwrap_err()[0].field, "country");
    }

    #[test]
    fn clip_trims_and_bounds_input() {
        assert_eq!(clip("  abc  ", 2), "ab");
        assert_eq!(clip(&"é".repeat(500), 200).chars().count(), 200);
    }
}
