//! Issuing the paid invoice of a guest purchase: the guest checkout's payment
//! does it inside its own transaction (`issue_paid_invoice`), and the
//! operator's `demo-checkout` command, the tests and the benchmarks record a
//! whole paid purchase with its completed basket session
//! (`record_paid_guest_purchase`). Where a paid guest goes next is
//! `checkout_complete_url`.

use crate::api::guest_access::completion_path_with_basket;
use crate::domain::invoice::{self, invoice_number};
use crate::domain::locale::Locale;
use crate::domain::{BasketToken, BillTo, Clock, Currency, Email, Invoice, InvoiceId, LineItem, Priced, PricingError, TaxRate, Timestamp};
use crate::server::config::TokenPolicy;
use crate::server::db::Db;
use crate::server::shop::{CurrentShop, ShopCell};
use crate::server::store;
use crate::server::store::invoices::NewInvoice;

#[derive(Debug, Clone)]
pub struct GuestPurchase {
    pub bill_to: BillTo,
    pub currency: Currency,
    pub items: Vec<LineItem>,
    /// The seller's letterhead at issue (`CurrentShop::letterhead_id`):
    /// the invoice prints it for ever, whatever the shop later becomes.
    pub letterhead_id: i64,
    /// The language the guest shopped in: the invoice's.
    pub locale: Locale,
}

/// A recorded purchase and the secret that completes it.
#[derive(Debug, Clone)]
pub struct PaidPurchase {
    pub invoice: InvoiceId,
    pub invoice_number: String,
    pub basket: BasketToken,
}

impl PaidPurchase {
    /// The checkout-complete URL the guest is sent to (path and query).
    pub fn complete_url(&self) -> String {
        checkout_complete_url(self.invoice, &self.basket)
    }
}

/// Where a paid guest registers: the checkout-complete page with the basket
/// session (path and query). The redirect after payment and the receipt's
/// link both lead here.
pub fn checkout_complete_url(invoice: InvoiceId, basket: &BasketToken) -> String {
    completion_path_with_basket(&invoice.to_string(), &basket.to_string())
}

#[derive(Debug, thiserror::Error)]
pub enum PurchaseError {
    #[error("a purchase needs at least one line")]
    NoLines,
    #[error("quantities must be at least 1")]
    ZeroQuantity,
    #[error("guest checkout is for paid orders: the total must be above zero")]
    NotPaid,
    #[error("the amounts are too large")]
    Overflow,
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// Issues the next invoice for the purchase, marks it paid now and records the
/// completed basket session that may register the guest.
pub async fn record_paid_guest_purchase(
    db: &Db,
    clock: &dyn Clock,
    policy: &TokenPolicy,
    purchase: &GuestPurchase,
) -> Result<PaidPurchase, PurchaseError> {
    let now = clock.now();
    let basket = BasketToken::generate();
    let mut tx = db.begin_write().await?;
    let invoice = issue_paid_invoice(&mut tx, purchase, now).await?;
    store::baskets::insert_completed_basket_session(&mut tx, &basket.hash(), invoice.id, now, now, now.plus(policy.basket_ttl))
        .await?;
    tx.commit().await?;
    Ok(PaidPurchase { invoice: invoice.id, invoice_number: invoice.number, basket })
}

/// Prices the purchase and issues its invoice, paid at `now`, with the next
/// sequential number. Runs inside the caller's transaction, which also
/// completes the basket: the number is only used if that commits. Returns the
/// invoice as stored, without reading it back.
pub async fn issue_paid_invoice(
    conn: &mut sqlx::AnyConnection,
    purchase: &GuestPurchase,
    now: Timestamp,
) -> Result<Invoice, PurchaseError> {
    let Priced { lines, subtotal_minor: subtotal, tax_minor: tax, total_minor: total } = priced(&purchase.items)?;
    let sequence = store::invoices::next_invoice_sequence(&mut *conn).await?;
    let id = store::invoices::insert_invoice(
        conn,
        sequence,
        &NewInvoice {
            bill_to: &purchase.bill_to,
            currency: purchase.currency,
            letterhead_id: purchase.letterhead_id,
            locale: purchase.locale,
            lines: &lines,
            subtotal_minor: subtotal,
            tax_minor: tax,
            total_minor: total,
            issued_at: now,
            paid_at: Some(now),
        },
    )
    .await?;
    let number = invoice_number(sequence);
    tracing::info!(invoice = %id, %number, "paid invoice issued");
    Ok(Invoice {
        id,
        number,
        customer_id: None,
        bill_to: purchase.bill_to.clone(),
        currency: purchase.currency,
        letterhead_id: Some(purchase.letterhead_id),
        locale: purchase.locale,
        subtotal_minor: subtotal,
        tax_minor: tax,
        total_minor: total,
        issued_at: now,
        paid_at: Some(now),
        lines,
    })
}

/// Prices a purchase with the one pricing rule (`domain::invoice::price`);
/// a guest purchase has at least one line and a total above zero.
pub fn priced(items: &[LineItem]) -> Result<Priced, PurchaseError> {
    if items.is_empty() {
        return Err(PurchaseError::NoLines);
    }
    let priced = invoice::price(items).map_err(|error| match error {
        PricingError::ZeroQuantity => PurchaseError::ZeroQuantity,
        PricingError::Overflow => PurchaseError::Overflow,
    })?;
    if priced.total_minor <= 0 {
        return Err(PurchaseError::NotPaid);
    }
    Ok(priced)
}

/// A realistic coworking purchase for demos and tests, from `shop` as it is now.
pub fn demo_purchase(email: Email, name: &str, shop: &CurrentShop) -> GuestPurchase {
    let standard = TaxRate::from_basis_points(2100).expect("valid rate");
    let reduced = TaxRate::from_basis_points(900).expect("valid rate");
    let item = |description: &str, quantity, unit_price_minor, tax_rate| LineItem {
        description: description.to_owned(),
        quantity,
        unit_price_minor,
        tax_rate,
    };
    GuestPurchase {
        bill_to: BillTo {
            name: name.to_owned(),
            email,
            address: "Prinsengracht 263".into(),
            city: "Amsterdam".into(),
            postcode: "1016 GV".into(),
            country: "Netherlands".into(),
        },
        currency: shop.seller.currency,
        letterhead_id: shop.letterhead_id,
        locale: Locale::FALLBACK,
        items: vec![
            item("Day Pass (hot desk, 08:00–18:00)", 2, 2_500, standard),
            item("Meeting Room (1 h), 6 seats with screen", 3, 3_000, standard),
            item("10-visit bundle", 1, 19_900, standard),
            item("Printing credits (50 pages)", 1, 500, standard),
            item("Coffee & lunch voucher", 2, 1_250, reduced),
        ],
    }
}

/// A fresh, unique demo email, so every demo purchase registers a new customer.
pub fn demo_email() -> Email {
    format!("guest-{}@example.com", &crate::domain::unique_key()[..8]).parse().expect("demo email is valid")
}

/// The demo purchase as an issued, paid invoice of five lines, built without
/// a database: the typical invoice the PDF benchmark renders.
pub fn demo_invoice() -> Invoice {
    let purchase = demo_purchase("bench@example.com".parse().expect("valid email"), "Bench Guest", &ShopCell::unconfigured().get());
    let Priced { lines, subtotal_minor, tax_minor, total_minor } = priced(&purchase.items).expect("the demo lines are priced");
    let issued = Timestamp::from_millis(1_795_516_200_000);
    Invoice {
        id: InvoiceId::new(1).expect("valid id"),
        number: "INV-000001".into(),
        customer_id: None,
        bill_to: purchase.bill_to,
        currency: Currency::EUR,
        letterhead_id: None,
        locale: Locale::FALLBACK,
        subtotal_minor,
        tax_minor,
        total_minor,
        issued_at: issued,
        paid_at: Some(issued),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_purchase_prices_add_up() {
        let purchase = demo_purchase(demo_email(), "Alex Morgan", &ShopCell::unconfigured().get());
        let Priced { subtotal_minor: subtotal, tax_minor: tax, .. } = priced(&purchase.items).unwrap();
        // 50.00 + 90.00 + 199.00 + 5.00 at 21 % (tax 72.24), 25.00 at 9 % (tax 2.25).
        assert_eq!(subtotal, 36_900);
        assert_eq!(tax, 7_224 + 225);
    }

    #[test]
    fn rejects_empty_zero_and_free_purchases() {
        let mut purchase = demo_purchase(demo_email(), "A", &ShopCell::unconfigured().get());
        purchase.items[0].quantity = 0;
        assert!(matches!(priced(&purchase.items), Err(PurchaseError::ZeroQuantity)));
        assert!(matches!(priced(&[]), Err(PurchaseError::NoLines)));
        purchase.items[0].quantity = 1;
        purchase.items.iter_mut().for_each(|item| item.unit_price_minor = 0);
        assert!(matches!(priced(&purchase.items), Err(PurchaseError::NotPaid)));
    }

    #[test]
    fn demo_emails_are_unique() {
        assert_ne!(demo_email().normalized(), demo_email().normalized());
    }

    #[test]
    fn complete_url_carries_both_ids() {
        let purchase = PaidPurchase {
            invoice: InvoiceId::new(12).unwrap(),
            invoice_number: "INV-000012".into(),
            basket: "3F2B8C1E-9D4A-4F6B-8E2C-1A2B3C4D5E6F".parse().unwrap(),
        };
        assert_eq!(
            purchase.complete_url(),
            "/checkout/complete?invoiceId=12&basketSession=3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f"
        );
    }

}
