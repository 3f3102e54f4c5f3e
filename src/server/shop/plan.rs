//! What applying a shop file would change, worked out before anything is
//! written, so `shop plan` can show it and `shop apply` can do exactly it.

use std::fmt;

use crate::domain::locale::Locale;
use crate::domain::shop::{Letterhead, ProductSpec, ProductText, Seller, ShopSpec, Slug};
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
    /// The applied file's language (`None` before any file).
    pub locale: Option<Locale>,
}

/// One field that changes: its key in the file, and the old and new values as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `name`, or `name[de]` for a translation.
    pub key: String,
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
    /// The file's language, when it changes.
    pub locale: Option<FieldChange>,
    /// For each other language, the products whose words it lacks (shown
    /// in the file's language instead): slug and the missing fields.
    pub untranslated: Vec<(Locale, Vec<(Slug, Vec<&'static str>)>)>,
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
        let old_locale = current.locale.unwrap_or(Locale::FALLBACK);
        let locale = (current.locale.is_some() && old_locale != file.spec.locale)
            .then(|| FieldChange { key: "locale".into(), old: old_locale.tag().into(), new: file.spec.locale.tag().into() });
        Self {
            added,
            changed,
            archived,
            seller: seller_fields(current.seller, &file.spec.seller),
            new_seller: file.spec.seller.clone(),
            overridden: overrides.names(),
            locale,
            untranslated: untranslated(&file.spec),
        }
    }

    /// Whether applying changes nothing at all. (Missing translations are
    /// advice, not a change.)
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.archived.is_empty() && self.seller.is_empty() && self.locale.is_none()
    }
}

/// The fields that differ, in the order they are compared.
#[derive(Default)]
struct Differences(Vec<FieldChange>);

impl Differences {
    fn compare(&mut self, key: impl Into<String>, old: String, new: String) {
        if old != new {
            self.0.push(FieldChange { key: key.into(), old, new });
        }
    }
}

/// What each language other than the file's lacks, among the listed products.
fn untranslated(spec: &ShopSpec) -> Vec<(Locale, Vec<(Slug, Vec<&'static str>)>)> {
    Locale::all()
        .filter(|locale| *locale != spec.locale)
        .map(|locale| {
            let missing = spec
                .products
                .iter()
                .filter(|product| product.active)
                .map(|product| (product.slug.clone(), product.untranslated(locale)))
                .filter(|(_, fields)| !fields.is_empty())
                .collect::<Vec<_>>();
            (locale, missing)
        })
        .filter(|(_, missing)| !missing.is_empty())
        .collect()
}

/// A translation as the plan shows it: quoted, or `none`.
fn shown(text: Option<&String>) -> String {
    text.map_or_else(|| "none".to_owned(), |text| format!("{text:?}"))
}

/// The plan is for the operator, in English.
fn money(amount: Money) -> String {
    crate::server::i18n::format::money(crate::domain::locale::Locale::FALLBACK, amount)
}

fn product_fields(old: &ProductSpec, old_currency: Currency, new: &ProductSpec, new_currency: Currency) -> Vec<FieldChange> {
    let mut fields = Differences::default();
    fields.compare("name", format!("{:?}", old.name), format!("{:?}", new.name));
    fields.compare("description", format!("{:?}", old.description), format!("{:?}", new.description));
    fields.compare(
        "unit_price",
        money(Money::new(old.unit_price_minor, old_currency)),
        money(Money::new(new.unit_price_minor, new_currency)),
    );
    fields.compare("tax_rate", old.tax_rate.to_string(), new.tax_rate.to_string());
    fields.compare("position", old.position.to_string(), new.position.to_string());
    fields.compare("max_quantity", old.max_quantity.to_string(), new.max_quantity.to_string());
    fields.compare("active", old.active.to_string(), new.active.to_string());
    for locale in Locale::all() {
        let (was, is) = (old.translations.get(&locale), new.translations.get(&locale));
        let name = |text: Option<&ProductText>| shown(text.and_then(|text| text.name.as_ref()));
        let description = |text: Option<&ProductText>| shown(text.and_then(|text| text.description.as_ref()));
        fields.compare(format!("name[{locale}]"), name(was), name(is));
        fields.compare(format!("description[{locale}]"), description(was), description(is));
    }
    fields.0
}

fn seller_fields(old: &Seller, new: &Seller) -> Vec<FieldChange> {
    let (o, n): (&Letterhead, &Letterhead) = (&old.letterhead, &new.letterhead);
    let mut fields = Differences::default();
    fields.compare("name", format!("{:?}", o.name), format!("{:?}", n.name));
    fields.compare("address", format!("{:?}", o.address_lines), format!("{:?}", n.address_lines));
    for locale in Locale::all() {
        let address = |letterhead: &Letterhead| letterhead.translated_addresses.get(&locale).map_or("none".to_owned(), |lines| format!("{lines:?}"));
        fields.compare(format!("address[{locale}]"), address(o), address(n));
    }
    fields.compare("tax_id", format!("{:?}", o.tax_id), format!("{:?}", n.tax_id));
    fields.compare("email", o.email.clone(), n.email.clone());
    fields.compare("currency", old.currency.code().to_owned(), new.currency.code().to_owned());
    let logo = |letterhead: &Letterhead| match &letterhead.logo {
        Some(logo) => format!("{} image {}…", logo.format.extension().to_uppercase(), &logo.sha256[..12]),
        None => "none".to_owned(),
    };
    fields.compare("logo", logo(o), logo(n));
    fields.compare("accent", o.accent.hex(), n.accent.hex());
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
        if let Some(locale) = &self.locale {
            writeln!(f, "  ~ locale: {} → {}", locale.old, locale.new)?;
        }
        for (locale, products) in &self.untranslated {
            let listed: Vec<String> = products.iter().map(|(slug, fields)| format!("{slug} ({})", fields.join(", "))).collect();
            writeln!(f, "  ! not translated into {locale}, so shown in the file's language: {}", listed.join("; "))?;
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
            translations: Default::default(),
        }
    }

    fn stored(id: i64, slug: &str, price: i64, archived: bool) -> StoredProduct {
        StoredProduct { id, spec: spec(slug, price), archived }
    }

    fn file(products: Vec<ProductSpec>) -> ShopFile {
        ShopFile { spec: crate::domain::shop::ShopSpec { locale: Locale::FALLBACK, seller: Seller::default(), products }, logo: None }
    }

    #[test]
    fn adds_changes_archives_and_restores_by_slug() {
        let seller = Seller::default();
        let products = [stored(1, "a", 100, false), stored(2, "b", 200, false), stored(3, "c", 300, true), stored(4, "d", 400, false)];
        let current = Current { seller: &seller, products: &products, locale: None };
        let plan = Plan::compute(&current, &file(vec![spec("a", 100), spec("b", 250), spec("c", 300), spec("e", 500)]), &SellerOverrides::default());
        assert_eq!(plan.added.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["e"]);
        assert_eq!(plan.changed.len(), 2);
        assert_eq!(plan.changed[0].fields, [FieldChange { key: "unit_price".into(), old: "€2.00".into(), new: "€2.50".into() }]);
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
        let plan = Plan::compute(&Current { seller: &seller, products: &products, locale: None }, &file(vec![spec("a", 100)]), &SellerOverrides::default());
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
        let plan = Plan::compute(&Current { seller: &seller, products: &[], locale: None }, &new, &SellerOverrides::default());
        let keys: Vec<_> = plan.seller.iter().map(|field| field.key.as_str()).collect();
        assert_eq!(keys, ["name", "currency", "accent"]);
        assert_eq!(plan.seller[1], FieldChange { key: "currency".into(), old: "EUR".into(), new: "GBP".into() });
    }

    #[test]
    fn translations_are_compared_and_what_is_missing_is_listed() {
        let seller = Seller::default();
        let german: Locale = "de".parse().unwrap();
        let mut translated = spec("a", 100);
        translated.description = "A desk".into();
        translated.translations.insert(german, ProductText { name: Some("Ein Tisch".into()), description: None });
        let products = [StoredProduct { id: 1, spec: ProductSpec { translations: Default::default(), ..translated.clone() }, archived: false }];
        let plan = Plan::compute(&Current { seller: &seller, products: &products, locale: None }, &file(vec![translated]), &SellerOverrides::default());
        assert_eq!(plan.changed[0].fields, [FieldChange { key: "name[de]".into(), old: "none".into(), new: "\"Ein Tisch\"".into() }]);
        let shown = plan.to_string();
        assert!(shown.contains("  ! not translated into de, so shown in the file's language: a (description)\n"), "{shown}");
        assert!(shown.contains("  ! not translated into ar, so shown in the file's language: a (name, description)\n"), "{shown}");
        assert!(!shown.contains("into en"), "the file's own language lacks nothing: {shown}");
    }
}
