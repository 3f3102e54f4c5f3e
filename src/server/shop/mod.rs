//! The operator's shop file and the shop it makes: reading and checking the
//! file (`file`), working out what applying it changes (`plan`), and the
//! shop as this instance sells it right now (`ShopCell`). Applying is the
//! `services::shop` service's job; the SQL is in `store::shop`.

pub mod file;
pub mod logo;
pub mod plan;

use std::sync::{Arc, RwLock};

use crate::domain::shop::Seller;
use crate::domain::Currency;

/// `SELLER_*` environment variables: they override the shop file's seller
/// on the instance that has them (a staging deployment's own name, say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SellerOverrides {
    pub name: Option<String>,
    pub address_lines: Option<Vec<String>>,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub currency: Option<Currency>,
}

impl SellerOverrides {
    /// `seller` with what the environment sets in its place.
    pub fn apply(&self, mut seller: Seller) -> Seller {
        let letterhead = &mut seller.letterhead;
        if let Some(name) = &self.name {
            letterhead.name = name.clone();
        }
        if let Some(lines) = &self.address_lines {
            letterhead.address_lines = lines.clone();
        }
        if let Some(tax_id) = &self.tax_id {
            letterhead.tax_id = tax_id.clone();
        }
        if let Some(email) = &self.email {
            letterhead.email = email.clone();
        }
        if let Some(currency) = self.currency {
            seller.currency = currency;
        }
        seller
    }

    /// The variables that are set.
    pub fn names(&self) -> Vec<&'static str> {
        [
            ("SELLER_NAME", self.name.is_some()),
            ("SELLER_ADDRESS", self.address_lines.is_some()),
            ("SELLER_TAX_ID", self.tax_id.is_some()),
            ("SELLER_EMAIL", self.email.is_some()),
            ("SELLER_CURRENCY", self.currency.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// The shop as this instance sells right now: the seller with the
/// environment's overrides, the stored letterhead an invoice issued now
/// points at, and the revision it was read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentShop {
    pub seller: Seller,
    pub letterhead_id: i64,
    pub revision: i64,
}

/// Shared by everything that shows or prices in the shop's name; replaced
/// whole when an apply (here or on another instance) changes the shop.
/// Reading it is a lock and a reference count, never a database read.
#[derive(Debug, Clone)]
pub struct ShopCell(Arc<RwLock<Arc<CurrentShop>>>);

impl ShopCell {
    pub fn new(shop: CurrentShop) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(shop))))
    }

    pub fn get(&self) -> Arc<CurrentShop> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn set(&self, shop: CurrentShop) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(shop);
    }

    /// The shop's currency now.
    pub fn currency(&self) -> Currency {
        self.get().seller.currency
    }
}

impl ShopCell {
    /// The built-in seller, as a shop without a file sells (for tests and tools).
    pub fn unconfigured() -> Self {
        Self::new(CurrentShop { seller: Seller::default(), letterhead_id: 0, revision: 0 })
    }
}
