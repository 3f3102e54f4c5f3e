//! The products for sale.

use sqlx::{AnyConnection, Row};

use super::{decode_error, DbResult};
use crate::domain::locale::Locale;
use crate::domain::{Product, TaxRate};

/// A product from a row that has the `products` columns `LIST_PRODUCTS`
/// selects, under their own names.
pub(super) fn product_from_row(row: &sqlx::any::AnyRow) -> DbResult<Product> {
    Ok(Product {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
        tax_rate: tax_rate(row.try_get("tax_rate_bp")?)?,
        max_quantity: max_quantity(row.try_get("max_quantity")?)?,
        for_sale: for_sale(row.try_get("active")?, row.try_get("archived_at")?),
    })
}

/// A product's stored per-basket maximum.
pub(super) fn max_quantity(stored: i64) -> DbResult<u32> {
    u32::try_from(stored).map_err(|_| decode_error(format_args!("product max_quantity {stored}")))
}

/// Whether a product is in the catalogue: active and not archived.
pub(super) fn for_sale(active: i64, archived_at: Option<i64>) -> bool {
    active == 1 && archived_at.is_none()
}

/// A product's stored tax rate (basis points).
pub(super) fn tax_rate(stored: i64) -> DbResult<TaxRate> {
    TaxRate::from_stored(stored).ok_or_else(|| decode_error(format_args!("product tax rate {stored}")))
}

/// A product's columns in the language of `$locale` (a placeholder): its
/// translation's name and description where it has them, else the shop
/// file's own.
macro_rules! product_columns {
    ($locale:literal) => {
        concat!(
            "p.id, COALESCE(t.name, p.name) AS name, COALESCE(t.description, p.description) AS description,
             p.unit_price_minor, p.tax_rate_bp, p.max_quantity, p.active, p.archived_at
             FROM products p LEFT JOIN product_translations t ON t.product_id = p.id AND t.locale = ",
            $locale
        )
    };
}
pub(super) use product_columns;

/// The catalogue in the language `$1`.
pub const LIST_PRODUCTS: &str =
    concat!("SELECT ", product_columns!("$1"), " WHERE p.active = 1 AND p.archived_at IS NULL ORDER BY p.position, p.id");

pub async fn list_products(conn: &mut AnyConnection, locale: Locale) -> DbResult<Vec<Product>> {
    let rows = sqlx::query(LIST_PRODUCTS).bind(locale.tag()).fetch_all(conn).await?;
    rows.iter().map(product_from_row).collect()
}
