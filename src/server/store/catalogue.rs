//! The products for sale.

use sqlx::{AnyConnection, Row};

use super::{decode_error, DbResult};
use crate::domain::{Product, TaxRate};

/// A product from a row that has the `products` columns under their own names.
pub(super) fn product_from_row(row: &sqlx::any::AnyRow) -> DbResult<Product> {
    Ok(Product {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
        tax_rate: tax_rate(row.try_get("tax_rate_bp")?)?,
    })
}

/// A product's stored tax rate (basis points).
pub(super) fn tax_rate(stored: i64) -> DbResult<TaxRate> {
    TaxRate::from_stored(stored).ok_or_else(|| decode_error(format_args!("product tax rate {stored}")))
}

pub const LIST_PRODUCTS: &str =
    "SELECT id, name, description, unit_price_minor, tax_rate_bp FROM products WHERE active = 1 ORDER BY position, id";

pub async fn list_products(conn: &mut AnyConnection) -> DbResult<Vec<Product>> {
    let rows = sqlx::query(LIST_PRODUCTS).fetch_all(conn).await?;
    rows.iter().map(product_from_row).collect()
}
