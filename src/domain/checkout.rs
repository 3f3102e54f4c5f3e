//! What the guest checkout deals in before an invoice exists: the products,
//! the details as the guest typed them, and a payment attempt's status.

use crate::domain::{Currency, LineItem, Priced, TaxRate};

/// A product of the shop, priced net of tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
    /// The most of it one basket may hold.
    pub max_quantity: u32,
    /// Listed in the catalogue. A basket may still hold a product that is
    /// not (made inactive or archived since): it is shown, not charged.
    pub for_sale: bool,
}

impl Product {
    /// `quantity` of this product as an invoice line item.
    pub fn item(&self, quantity: u32) -> LineItem {
        LineItem {
            description: self.name.clone(),
            quantity,
            unit_price_minor: self.unit_price_minor,
            tax_rate: self.tax_rate,
        }
    }
}

/// An open basket's contents, priced by the rule the invoice will use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basket {
    /// Each product for sale with its quantity; `priced.lines` follows the same order.
    pub items: Vec<(Product, u32)>,
    /// Lines whose product is no longer for sale: shown so the guest can
    /// remove them, never priced nor paid for.
    pub unavailable: Vec<(Product, u32)>,
    pub priced: Priced,
    pub currency: Currency,
    pub details: EnteredDetails,
}

impl Basket {
    pub fn item_count(&self) -> u32 {
        self.items.iter().chain(&self.unavailable).map(|(_, quantity)| quantity).sum()
    }

    /// What stops this basket being paid as it is, if anything: a line no
    /// longer for sale, or more of a product than one basket may hold.
    pub fn payable_problem(&self) -> Option<BasketProblem> {
        if !self.unavailable.is_empty() {
            Some(BasketProblem::Unavailable)
        } else if self.items.iter().any(|(product, quantity)| *quantity > product.max_quantity) {
            Some(BasketProblem::OverMaximum)
        } else {
            None
        }
    }
}

/// Why a basket cannot be paid as it stands (the guest can fix either).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasketProblem {
    /// It holds a product that is no longer for sale.
    Unavailable,
    /// It holds more of a product than its maximum (lowered since).
    OverMaximum,
}

/// The guest's details exactly as typed on the details page (trimmed and
/// bounded, not yet valid): kept with the basket so nothing typed is lost,
/// and validated into the invoice's `BillTo` at payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnteredDetails {
    pub name: String,
    pub email: String,
    pub address: String,
    pub city: String,
    pub postcode: String,
    /// An ISO 3166-1 alpha-2 code.
    pub country: String,
}

impl EnteredDetails {
    /// Each field trimmed and cut to the length its column holds.
    pub fn bounded(&self) -> Self {
        let clip = |raw: &str, max_chars: usize| raw.trim().chars().take(max_chars).collect();
        Self {
            name: clip(&self.name, 200),
            email: clip(&self.email, 254),
            address: clip(&self.address, 300),
            city: clip(&self.city, 120),
            postcode: clip(&self.postcode, 20),
            country: clip(&self.country, 2),
        }
    }
}

/// Where a payment attempt (one hosted checkout session) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// The session is open: the shopper may still pay it. At most one per basket.
    Processing,
    /// Paid and fulfilled: the invoice is issued.
    Succeeded,
    /// Refused by the card's bank (card-form attempts made before hosted pages).
    Declined,
    /// The session ended unpaid (expired, abandoned, replaced or its delayed
    /// payment failed); the basket is payable again.
    Expired,
    /// The session was never made (the provider could not be reached).
    Failed,
    /// Paid, but the basket was already paid by another session: the
    /// payment is to be refunded.
    RefundDue,
    /// Paid and refunded in full.
    Refunded,
}

impl PaymentStatus {
    const ALL: [Self; 7] =
        [Self::Processing, Self::Succeeded, Self::Declined, Self::Expired, Self::Failed, Self::RefundDue, Self::Refunded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Succeeded => "succeeded",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::RefundDue => "refund_due",
            Self::Refunded => "refunded",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// Whether a payment for this attempt may still be fulfilled: it has not
    /// been fulfilled nor refunded. (A session the app gave up on may still
    /// have been paid at the last moment; the provider is the judge.)
    pub fn is_unpaid(self) -> bool {
        matches!(self, Self::Processing | Self::Declined | Self::Expired | Self::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entered_details_are_trimmed_and_bounded() {
        let typed = EnteredDetails {
            name: "  Ana  ".into(),
            email: "ana@example.com".into(),
            address: "é".repeat(500),
            city: "Lisboa".into(),
            postcode: "1100-048".into(),
            country: "PTX".into(),
        };
        let details = typed.bounded();
        assert_eq!(details.name, "Ana");
        assert_eq!(details.address.chars().count(), 300);
        assert_eq!(details.country, "PT");
    }

    #[test]
    fn payment_statuses_round_trip_through_storage() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(PaymentStatus::from_stored("paid"), None);
    }
}
