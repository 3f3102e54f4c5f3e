//! The invoice and its pricing. One rule prices the basket the guest sees,
//! the amount charged and the invoice issued: net per line, tax per line
//! rounded half up, totals summed with overflow checked.

use crate::domain::locale::Locale;
use crate::domain::{Currency, CustomerId, Email, InvoiceId, LineAmounts, TaxRate, Timestamp};

/// Who an invoice is made out to, as the guest entered it at checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillTo {
    pub name: String,
    pub email: Email,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

/// One thing bought, priced net of tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub description: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
}

/// A priced line, as the invoice shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
    pub net_minor: i64,
    pub tax_minor: i64,
}

/// Priced lines and their totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    pub lines: Vec<InvoiceLine>,
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("quantities must be at least 1")]
    ZeroQuantity,
    #[error("the amounts are too large")]
    Overflow,
}

/// Prices `items` in order. No items is a total of zero.
pub fn price(items: &[LineItem]) -> Result<Priced, PricingError> {
    let lines = items
        .iter()
        .map(|item| {
            if item.quantity == 0 {
                return Err(PricingError::ZeroQuantity);
            }
            let amounts = LineAmounts::compute(item.quantity, item.unit_price_minor, item.tax_rate)
                .map_err(|_| PricingError::Overflow)?;
            Ok(InvoiceLine {
                description: item.description.clone(),
                quantity: item.quantity,
                unit_price_minor: item.unit_price_minor,
                tax_rate: item.tax_rate,
                net_minor: amounts.net_minor,
                tax_minor: amounts.tax_minor,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sum = |amount: fn(&InvoiceLine) -> i64| {
        lines.iter().try_fold(0i64, |sum, line| sum.checked_add(amount(line))).ok_or(PricingError::Overflow)
    };
    let (subtotal_minor, tax_minor) = (sum(|l| l.net_minor)?, sum(|l| l.tax_minor)?);
    let total_minor = subtotal_minor.checked_add(tax_minor).ok_or(PricingError::Overflow)?;
    Ok(Priced { lines, subtotal_minor, tax_minor, total_minor })
}

/// An issued invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: String,
    /// The customer it is attached to, once the guest has registered.
    pub customer_id: Option<CustomerId>,
    pub bill_to: BillTo,
    pub currency: Currency,
    /// The seller's letterhead at issue, which the invoice always prints
    /// (`None` only for an invoice issued by a version before letterheads,
    /// until the next start records it).
    pub letterhead_id: Option<i64>,
    /// The language it was issued in: its PDF and receipt are in it, always.
    pub locale: Locale,
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub issued_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub lines: Vec<InvoiceLine>,
}

/// How registration found the customer an invoice is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationKind {
    /// A new customer, created for this purchase.
    Created,
    /// A customer who already had this email.
    Linked,
}

impl RegistrationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Linked => "linked",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        [Self::Created, Self::Linked].into_iter().find(|kind| kind.as_str() == raw)
    }
}

/// An invoice as a list shows it (no lines, no bill-to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub number: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub issued_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

/// The human invoice number: `INV-000123`.
pub fn invoice_number(sequence: i64) -> String {
    format!("INV-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(quantity: u32, unit_price_minor: i64, rate_bp: u32) -> LineItem {
        LineItem {
            description: "Day Pass".into(),
            quantity,
            unit_price_minor,
            tax_rate: TaxRate::from_basis_points(rate_bp).unwrap(),
        }
    }

    #[test]
    fn prices_each_line_and_sums_the_totals() {
        let priced = price(&[item(2, 2_500, 2100), item(3, 250, 900)]).unwrap();
        assert_eq!(priced.lines[0].net_minor, 5_000);
        assert_eq!(priced.lines[0].tax_minor, 1_050);
        // 750 × 9 % = 67.5, rounded half up per line.
        assert_eq!(priced.lines[1].tax_minor, 68);
        assert_eq!((priced.subtotal_minor, priced.tax_minor, priced.total_minor), (5_750, 1_118, 6_868));
    }

    #[test]
    fn no_items_cost_nothing() {
        let priced = price(&[]).unwrap();
        assert!(priced.lines.is_empty());
        assert_eq!(priced.total_minor, 0);
    }

    #[test]
    fn a_zero_quantity_is_refused() {
        assert_eq!(price(&[item(0, 2_500, 2100)]), Err(PricingError::ZeroQuantity));
    }

    #[test]
    fn an_overflow_is_an_error_never_a_zero() {
        assert_eq!(price(&[item(u32::MAX, i64::MAX, 2100)]), Err(PricingError::Overflow));
        // Each line fits; their sum does not.
        let big = item(1, i64::MAX / 2 + 1, 0);
        assert_eq!(price(&[big.clone(), big]), Err(PricingError::Overflow));
    }

    #[test]
    fn registration_kinds_round_trip_through_storage() {
        for kind in [RegistrationKind::Created, RegistrationKind::Linked] {
            assert_eq!(RegistrationKind::from_stored(kind.as_str()), Some(kind));
        }
        assert_eq!(RegistrationKind::from_stored("adopted"), None);
    }

    #[test]
    fn invoice_numbers_are_zero_padded() {
        assert_eq!(invoice_number(123), "INV-000123");
        assert_eq!(invoice_number(1_234_567), "INV-1234567");
    }
}
