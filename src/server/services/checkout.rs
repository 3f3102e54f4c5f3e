//! The guest checkout: basket, guest details and payment. It speaks the
//! domain (`Product`, `Basket`, `EnteredDetails`); the pages' adapter builds
//! their views. All SQL is in `store`.

use std::sync::Arc;
use std::time::Duration;

use crate::api::checkout::{CheckoutError, DeclineReason, FieldError, FieldName, FieldProblem, Rejection, COUNTRIES};
use crate::domain::invoice::price;
use crate::domain::{
    Basket, BasketToken, BillTo, Clock, Currency, Email, EnteredDetails, InvoiceId, Money, PaymentStatus, Priced, Product,
};
use crate::server::config::TokenPolicy;
use crate::server::db::Db;
use crate::server::mail::templates::Receipt;
use crate::server::mail::Mail;
use crate::server::payment::{CardInput, ChargeOutcome, ChargeRequest, PaymentGateway};
use crate::server::services::accounts::parse;
use crate::server::services::purchase::{issue_paid_invoice, GuestPurchase};
use crate::server::services::unavailable;
use crate::server::store::baskets::{BasketState, OpenBasket};
use crate::server::store::{self, outbox};

/// The most of one product a basket line may hold.
pub const MAX_QUANTITY: u32 = 99;
/// A payment claim older than this is considered abandoned.
const PAYMENT_CLAIM_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone)]
pub struct Checkout {
    db: Db,
    clock: Arc<dyn Clock>,
    token_policy: TokenPolicy,
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

impl Checkout {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        token_policy: TokenPolicy,
        currency: Currency,
        gateway: Arc<dyn PaymentGateway>,
        mail: Mail,
    ) -> Self {
        Self { db, clock, token_policy, currency, gateway, mail }
    }

    /// The currency every price is in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub async fn catalogue(&self) -> Result<Vec<Product>, CheckoutError> {
        Ok(store::reads::products(&self.db).await.map_err(unavailable)?)
    }

    /// What the cookie's basket holds now; an unknown or paid basket reads as empty.
    /// A visitor without a basket cookie (every page's header asks) costs no connection.
    pub async fn view(&self, basket: Option<BasketToken>) -> Result<Basket, CheckoutError> {
        let empty = || self.priced(Vec::new(), EnteredDetails::default());
        let Some(token) = basket else { return empty() };
        match store::reads::open_basket(&self.db, &token.hash()).await.map_err(unavailable)? {
            Some((details, lines)) => self.priced(lines, details),
            None => empty(),
        }
    }

    /// Adds a product. Starts a new basket when there is none or the old one
    /// is paid; returns the basket's token (new or not) and its contents.
    pub async fn add(&self, basket: Option<BasketToken>, product_id: i64, quantity: u32) -> Result<(BasketToken, Basket), CheckoutError> {
        let now = self.clock.now();
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
        if !store::baskets::lock_open_basket(&mut tx, basket_id).await.map_err(unavailable)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        if !store::baskets::add_basket_item(&mut tx, basket_id, product_id, quantity, MAX_QUANTITY).await.map_err(unavailable)? {
            return Err(CheckoutError::Rejected(Rejection::ProductUnavailable));
        }
        tx.commit().await.map_err(unavailable)?;
        Ok((token, self.view(Some(token)).await?))
    }

    /// Sets a line's quantity; 0 removes the line.
    pub async fn set_quantity(&self, basket: Option<BasketToken>, product_id: i64, quantity: u32) -> Result<Basket, CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let open = self.open_basket(&mut tx, token).await?;
        if !store::baskets::lock_open_basket(&mut tx, open.id).await.map_err(unavailable)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        if !store::baskets::set_basket_item_quantity(&mut tx, open.id, product_id, quantity).await.map_err(unavailable)? {
            return Err(CheckoutError::Rejected(Rejection::NotInBasket));
        }
        tx.commit().await.map_err(unavailable)?;
        self.view(Some(token)).await
    }

    /// Saves the details as typed, trimmed and bounded (so nothing is lost),
    /// then validates them.
    pub async fn save_details(&self, basket: Option<BasketToken>, details: &EnteredDetails) -> Result<(), CheckoutError> {
        let details = &details.bounded();
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let open = self.open_basket(&mut tx, token).await?;
        if !store::baskets::lock_open_basket(&mut tx, open.id).await.map_err(unavailable)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        store::baskets::save_guest_details(&mut tx, open.id, details).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        validate_details(details).map(drop).map_err(CheckoutError::Invalid)
    }

    /// Charges the basket once per attempt key and, on success, issues the
    /// paid invoice, completes the basket and queues the payment receipt in
    /// one transaction: a rollback sends nothing, a commit sends it once.
    pub async fn pay(&self, basket: Option<BasketToken>, attempt_key: &str, card: CardInput) -> Result<Paid, CheckoutError> {
        let token = basket.ok_or(CheckoutError::EmptyBasket)?;
        if attempt_key.is_empty() || attempt_key.len() > 64 || !attempt_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(CheckoutError::Rejected(Rejection::PaymentFormExpired));
        }
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let open = match store::baskets::find_basket_state(&mut conn, &token.hash()).await.map_err(unavailable)? {
            // Paid already (double submit, back button, second tab): show the result, charge nothing.
            Some(BasketState::Completed(invoice)) => return Ok(Paid::Completed(invoice)),
            Some(BasketState::Open(open)) => open,
            None => return Err(CheckoutError::EmptyBasket),
        };
        if let Some(outcome) = self.replay_attempt(&mut conn, open.id, attempt_key).await? {
            return outcome;
        }
        let lines = store::baskets::basket_lines(&mut conn, open.id).await.map_err(unavailable)?;
        if lines.is_empty() {
            return Err(CheckoutError::EmptyBasket);
        }
        let bill_to = validate_details(&open.details).map_err(CheckoutError::Invalid)?;
        let purchase = GuestPurchase {
            bill_to,
            currency: self.currency,
            items: lines.iter().map(|(product, quantity)| product.item(*quantity)).collect(),
        };
        // The amount charged is the total the invoice will carry.
        let total = price(&purchase.items).map_err(|_| too_large())?.total_minor;

        let now = self.clock.now();
        let stale_before = now.minus(PAYMENT_CLAIM_TIMEOUT);
        if !store::payments::claim_basket_for_payment(&mut conn, open.id, now, stale_before).await.map_err(unavailable)? {
            return Err(CheckoutError::Rejected(Rejection::PaymentInAnotherTab));
        }
        let Some(attempt_id) = store::payments::insert_payment_attempt(&mut conn, open.id, attempt_key, total, self.currency, now)
            .await
            .map_err(unavailable)?
        else {
            store::payments::release_payment_claim(&mut conn, open.id).await.map_err(unavailable)?;
            return Err(CheckoutError::Rejected(Rejection::PaymentFormUsed));
        };

        // No database connection is held while the gateway works (a real one
        // is a network call), nor while a write waits for its turn.
        drop(conn);
        let request = ChargeRequest { amount: Money::new(total, self.currency), idempotency_key: attempt_key.to_owned(), card };
        match self.gateway.charge(&request).await {
            ChargeOutcome::Succeeded { reference, brand, last4 } => {
                let mut tx = self.db.begin_write().await.map_err(unavailable)?;
                let invoice = issue_paid_invoice(&mut tx, &purchase, now)
                    .await
                    .map_err(|error| unavailable(format_args!("cannot issue the invoice of a paid basket: {error}")))?;
                let basket_ttl = self.token_policy.basket_ttl;
                if !store::baskets::complete_basket(&mut tx, open.id, invoice.id, now, now.plus(basket_ttl)).await.map_err(unavailable)? {
                    return Err(CheckoutError::AlreadyPaid);
                }
                store::payments::finish_payment_attempt(&mut tx, attempt_id, PaymentStatus::Succeeded, None, Some(&reference), Some((&brand, &last4)), Some(invoice.id))
                    .await
                    .map_err(unavailable)?;
                // To the address the guest typed, which is the invoice's bill-to.
                let receipt = self.mail.templates.payment_receipt(&Receipt {
                    invoice: &invoice,
                    card_brand: &brand,
                    card_last4: &last4,
                    basket: &token,
                    link_valid_for: basket_ttl,
                });
                outbox::enqueue(&mut tx, &receipt, now).await.map_err(unavailable)?;
                tx.commit().await.map_err(unavailable)?;
                self.mail.nudge();
                tracing::info!(invoice = %invoice.id, "basket paid; receipt queued");
                Ok(Paid::Completed(invoice.id))
            }
            ChargeOutcome::Declined { reason } => {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                store::payments::finish_payment_attempt(&mut conn, attempt_id, PaymentStatus::Declined, Some(reason.as_str()), None, None, None)
                    .await
                    .map_err(unavailable)?;
                store::payments::release_payment_claim(&mut conn, open.id).await.map_err(unavailable)?;
                tracing::info!(reason = reason.as_str(), "payment declined");
                Err(CheckoutError::PaymentDeclined(reason))
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
            let Some(attempt) = store::payments::find_payment_attempt(conn, key).await.map_err(unavailable)? else {
                return Ok(None);
            };
            if attempt.basket_session_id != basket_id {
                return Ok(Some(Err(CheckoutError::Rejected(Rejection::PaymentFormOfAnotherBasket))));
            }
            match attempt.status {
                PaymentStatus::Succeeded => {
                    let invoice = attempt.invoice_id.ok_or(CheckoutError::Unavailable)?;
                    return Ok(Some(Ok(Paid::Completed(invoice))));
                }
                PaymentStatus::Declined => {
                    // Every recorded reason is one of ours; a refusal of unknown cause is the bank's.
                    let reason = DeclineReason::from_code(attempt.decline_reason.as_deref()).unwrap_or(DeclineReason::CardDeclined);
                    return Ok(Some(Err(CheckoutError::PaymentDeclined(reason))));
                }
                PaymentStatus::Processing => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Ok(Some(Err(CheckoutError::Rejected(Rejection::PaymentStillProcessing))))
    }

    async fn open_basket(&self, conn: &mut sqlx::AnyConnection, token: BasketToken) -> Result<OpenBasket, CheckoutError> {
        match store::baskets::find_basket_state(conn, &token.hash()).await.map_err(unavailable)? {
            Some(BasketState::Open(open)) => Ok(open),
            Some(BasketState::Completed(_)) => Err(CheckoutError::AlreadyPaid),
            None => Err(CheckoutError::EmptyBasket),
        }
    }

    /// The basket priced by the invoice's rule (per line, half up).
    fn priced(&self, items: Vec<(Product, u32)>, details: EnteredDetails) -> Result<Basket, CheckoutError> {
        let line_items: Vec<_> = items.iter().map(|(product, quantity)| product.item(*quantity)).collect();
        let priced: Priced = price(&line_items).map_err(|_| too_large())?;
        Ok(Basket { items, priced, currency: self.currency, details })
    }
}

fn too_large() -> CheckoutError {
    CheckoutError::Rejected(Rejection::TotalTooLarge)
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
