//! What the guest checkout deals in before an invoice exists: the products,
//! the details as the guest typed them, and a payment attempt's status.

use crate::domain::{Currency, LineItem, Priced, TaxRate};

/// A product for sale, priced net of tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
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
    /// Each product with its quantity; `priced.lines` follows the same order.
    pub items: Vec<(Product, u32)>,
    pub priced: Priced,
    pub currency: Currency,
    pub details: EnteredDetails,
}

impl Basket {
    pub fn item_count(&self) -> u32 {
        self.items.iter().map(|(_, quantity)| quantity).sum()
    }
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

/// Where a payment attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Charging: the gateway has not answered yet.
    Processing,
    Succeeded,
    Declined,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Succeeded => "succeeded",
            Self::Declined => "declined",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        [Self::Processing, Self::Succeeded, Self::Declined].into_iter().find(|status| status.as_str() == raw)
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
        for status in [PaymentStatus::Processing, PaymentStatus::Succeeded, PaymentStatus::Declined] {
            assert_eq!(PaymentStatus::from_stored(status.as_str()), Some(status));
        }
        assert_eq!(PaymentStatus::from_stored("refunded"), None);
    }
}
