//! What applying a shop file would change, worked out before anything is
//! written, so `shop plan` can show it and `shop apply` can do exactly it.

use std::fmt;

use crate::domain::shop::{Letterhead, ProductSpec, Seller, Slug};
use crate::domain::{Currency, Money};
use crate::server::shop::file::ShopFile;
use crate::server::shop::SellerOverrides;
use crate::server::store::shop::StoredProduct;

/// The shop as it stands, as far as a file can change it.
#[derive(Debug, Clone)]
pub struct Current<'a> {
    /// The applied file's seller (the built-in one before any file).
    pub seller: &'a Seller,
    pub products: &'a [StoredProduct],
}

/// One field that changes: its key in the file, and the old and new values as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub key: &'static str,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductChange {
    pub spec: ProductSpec,
    /// Listed again after it was archived.
    pub restored: bool,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub added: Vec<ProductSpec>,
    pub changed: Vec<ProductChange>,
    /// Products the file no longer lists: (id, slug, name).
    pub archived: Vec<(i64, Slug, String)>,
    pub seller: Vec<FieldChange>,
    /// The file's seller, to record when anything about it changed.
    pub new_seller: Seller,
    /// Environment variables that override the file's seller on this
    /// instance, so what they set is not what the file says.
    pub overridden: Vec<&'static str>,
}

impl Plan {
    pub fn compute(current: &Current<'_>, file: &ShopFile, overrides: &SellerOverrides) -> Self {
        let new_currency = file.spec.seller.currency;
        let old_currency = current.seller.currency;
        let mut added = Vec::new();
        let mut changed = Vec::new();
        for spec in &file.spec.products {
            match current.products.iter().find(|stored| stored.spec.slug == spec.slug) {
                None => added.push(spec.clone()),
                Some(stored) => {
                    let fields = product_fields(&stored.spec, old_currency, spec, new_currency);
                    if !fields.is_empty() || stored.archived {
                        changed.push(ProductChange { spec: spec.clone(), restored: stored.archived, fields });
                    }
                }
            }
        }
        let archived = current
            .products
            .iter()
            .filter(|stored| !stored.archived && !file.spec.products.iter().any(|spec| spec.slug == stored.spec.slug))
            .map(|stored| (stored.id, stored.spec.slug.clone(), stored.spec.name.clone()))
            .collect();
        Self {
            added,
            changed,
            archived,
            seller: seller_fields(current.seller, &file.spec.seller),
            new_seller: file.spec.seller.clone(),
            overridden: overrides.names(),
        }
    }

    /// Whether applying changes nothing at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.archived.is_empty() && self.seller.is_empty()
    }
}

/// The fields that differ, in the order they are compared.
#[derive(Default)]
struct Differences(Vec<FieldChange>);

impl Differences {
    fn compare(&mut self, key: &'static str, old: String, new: String) {
        if old != new {
            self.0.push(FieldChange { key, old, new });
        }
    }
}

/// The plan is for the operator, in English.
fn money(amount: Money) -> String {
    crate::server::i18n::format::money(crate::domain::locale::Locale::FALLBACK, amount)
}

fn product_fields(old: &ProductSpec, old_currency: Currency, new: &ProductSpec, new_currency: Currency) -> Vec<FieldChange> {
    let mut fields = Differences::default();
    let mut compare = |key, old, new| fields.compare(key, old, new);
    compare("name", format!("{:?}", old.name), format!("{:?}", new.name));
    compare("description", format!("{:?}", old.description), format!("{:?}", new.description));
    compare(
        "unit_price",
        money(Money::new(old.unit_price_minor, old_currency)),
        money(Money::new(new.unit_price_minor, new_currency)),
    );
    compare("tax_rate", old.tax_rate.to_string(), new.tax_rate.to_string());
    compare("position", old.position.to_string(), new.position.to_string());
    compare("max_quantity", old.max_quantity.to_string(), new.max_quantity.to_string());
    compare("active", old.active.to_string(), new.active.to_string());
    fields.0
}

fn seller_fields(old: &Seller, new: &Seller) -> Vec<FieldChange> {
    let (o, n): (&Letterhead, &Letterhead) = (&old.letterhead, &new.letterhead);
    let mut fields = Differences::default();
    let mut compare = |key, old, new| fields.compare(key, old, new);
    compare("name", format!("{:?}", o.name), format!("{:?}", n.name));
    compare("address", format!("{:?}", o.address_lines), format!("{:?}", n.address_lines));
    compare("tax_id", format!("{:?}", o.tax_id), format!("{:?}", n.tax_id));
    compare("email", o.email.clone(), n.email.clone());
    compare("currency", old.currency.code().to_owned(), new.currency.code().to_owned());
    let logo = |letterhead: &Letterhead| match &letterhead.logo {
        Some(logo) => format!("{} image {}…", logo.format.extension().to_uppercase(), &logo.sha256[..12]),
        None => "none".to_owned(),
    };
    compare("logo", logo(o), logo(n));
    compare("accent", o.accent.hex(), n.accent.hex());
    fields.0
}

impl fmt::Display for Plan {
    /// Terraform-like: `+` added, `~` changed, `-` archived.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            writeln!(f, "No changes: the shop already matches the file.")?;
        }
        let currency = self.new_seller.currency;
        for product in &self.added {
            writeln!(
                f,
                "  + product {}: {:?}, {} + {} tax, position {}, at most {} per basket{}",
                product.slug,
                product.name,
                money(Money::new(product.unit_price_minor, currency)),
                product.tax_rate,
                product.position,
                product.max_quantity,
                if product.active { "" } else { ", inactive" },
            )?;
        }
        for change in &self.changed {
            let restored = if change.restored { " (restored from the archive)" } else { "" };
            writeln!(f, "  ~ product {}{restored}", change.spec.slug)?;
            for field in &change.fields {
                writeln!(f, "      {}: {} → {}", field.key, field.old, field.new)?;
            }
        }
        for (_, slug, name) in &self.archived {
            writeln!(f, "  - product {slug}: {name:?} is archived (it leaves the catalogue; baskets holding it are told)")?;
        }
        if !self.seller.is_empty() {
            writeln!(f, "  ~ seller")?;
            for field in &self.seller {
                writeln!(f, "      {}: {} → {}", field.key, field.old, field.new)?;
            }
        }
        for variable in &self.overridden {
            writeln!(f, "  ! {variable} is set here and overrides the file's seller on this instance")?;
        }
        write!(
            f,
            "Plan: {} to add, {} to change, {} to archive, seller {}.",
            self.added.len(),
            self.changed.len(),
            self.archived.len(),
            if self.seller.is_empty() { "unchanged" } else { "changed" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shop::Accent;
    use crate::domain::TaxRate;

    fn spec(slug: &str, price: i64) -> ProductSpec {
        ProductSpec {
            slug: slug.parse().unwrap(),
            name: format!("Product {slug}"),
            description: String::new(),
            unit_price_minor: price,
            tax_rate: TaxRate::from_basis_points(2100).unwrap(),
            position: 1,
            max_quantity: 99,
            active: true,
        }
    }

    fn stored(id: i64, slug: &str, price: i64, archived: bool) -> StoredProduct {
        StoredProduct { id, spec: spec(slug, price), archived }
    }

    fn file(products: Vec<ProductSpec>) -> ShopFile {
        ShopFile { spec: crate::domain::shop::ShopSpec { seller: Seller::default(), products }, logo: None }
    }

    #[test]
    fn adds_changes_archives_and_restores_by_slug() {
        let seller = Seller::default();
        let products = [stored(1, "a", 100, false), stored(2, "b", 200, false), stored(3, "c", 300, true), stored(4, "d", 400, false)];
        let current = Current { seller: &seller, products: &products };
        let plan = Plan::compute(&current, &file(vec![spec("a", 100), spec("b", 250), spec("c", 300), spec("e", 500)]), &SellerOverrides::default());
        assert_eq!(plan.added.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["e"]);
        assert_eq!(plan.changed.len(), 2);
        assert_eq!(plan.changed[0].fields, [FieldChange { key: "unit_price", old: "€2.00".into(), new: "€2.50".into() }]);
        assert!(plan.changed[1].restored && plan.changed[1].fields.is_empty());
        assert_eq!(plan.archived, [(4, "d".parse().unwrap(), "Product d".to_owned())]);
        assert!(plan.seller.is_empty());
        let shown = plan.to_string();
        assert!(shown.contains("  ~ product b\n      unit_price: €2.00 → €2.50\n"), "{shown}");
        assert!(shown.ends_with("Plan: 1 to add, 2 to change, 1 to archive, seller unchanged."), "{shown}");
    }

    #[test]
    fn the_same_file_again_is_no_change() {
        let seller = Seller::default();
        let products = [stored(1, "a", 100, false)];
        let plan = Plan::compute(&Current { seller: &seller, products: &products }, &file(vec![spec("a", 100)]), &SellerOverrides::default());
        assert!(plan.is_empty());
        assert!(plan.to_string().starts_with("No changes"));
    }

    #[test]
    fn seller_changes_are_listed_field_by_field() {
        let seller = Seller::default();
        let mut new = file(vec![]);
        new.spec.seller.letterhead.name = "Kanal Werkhaus".into();
        new.spec.seller.letterhead.accent = Accent::rgb(0x0b, 0x5d, 0x3b);
        new.spec.seller.currency = Currency::GBP;
        let plan = Plan::compute(&Current { seller: &seller, products: &[] }, &new, &SellerOverrides::default());
        let keys: Vec<_> = plan.seller.iter().map(|field| field.key).collect();
        assert_eq!(keys, ["name", "currency", "accent"]);
        assert_eq!(plan.seller[1], FieldChange { key: "currency", old: "EUR".into(), new: "GBP".into() });
    }
}
