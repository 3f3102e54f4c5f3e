//! The hot pages' reads: the catalogue, checkout-complete's status check
//! (also registerByToken's answer for a malformed invoice id), and the basket
//! of a shopper holding one (every page's header counts its items).
//!
//! Each runs the same SQL text as its store function, on the calling thread
//! through `server::sqlite_reader` when the database is an SQLite file, and
//! through the pool otherwise (PostgreSQL, an in-memory database, or SQLite
//! answering "busy"). tests/it/hot_reads.rs checks that both give the same
//! answers.

use super::baskets::{self, BasketSessionRow, BasketState};
use super::catalogue::{self, for_sale, max_quantity, tax_rate};
use super::invoices::stored_invoice_id;
use super::registration::{all_rows, corrupt, first_row, RegistrationStore};
use crate::domain::locale::Locale;
use crate::domain::{EnteredDetails, Product, TokenHash};
use crate::server::db::Db;
use crate::server::sqlite_reader::ReadFailed;
use crate::server::sqlite_writer::complete_now;

/// A read that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Direct(ReadFailed),
    #[error(transparent)]
    Pooled(#[from] sqlx::Error),
}

/// What the database knows about the basket session with this hash.
pub async fn basket_session(db: &Db, hash: &TokenHash) -> Result<Option<BasketSessionRow>, ReadError> {
    if let Some(row) = db.read_here(|mut conn| complete_now(conn.find_basket_session(hash))).map_err(ReadError::Direct)? {
        return Ok(row);
    }
    let mut conn = db.pool.acquire().await?;
    Ok(baskets::find_basket_session(&mut conn, hash).await?)
}

/// The products for sale, in catalogue order, named in `locale`.
pub async fn products(db: &Db, locale: Locale) -> Result<Vec<Product>, ReadError> {
    if let Some(products) = db.read_here(|conn| products_on(conn, locale)).map_err(ReadError::Direct)? {
        return Ok(products);
    }
    let mut conn = db.pool.acquire().await?;
    Ok(catalogue::list_products(&mut conn, locale).await?)
}

fn products_on(conn: &rusqlite::Connection, locale: Locale) -> rusqlite::Result<Vec<Product>> {
    all_rows(conn, catalogue::LIST_PRODUCTS, &[&locale.tag()], product_on)
}

/// A product as `catalogue::product_from_row` reads it from the pool.
fn product_on(row: &rusqlite::Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: row.get("id")?,
        name: row.get("name")?,
        description: row.get("description")?,
        unit_price_minor: row.get("unit_price_minor")?,
        tax_rate: tax_rate(row.get("tax_rate_bp")?).map_err(corrupt)?,
        max_quantity: max_quantity(row.get("max_quantity")?).map_err(corrupt)?,
        for_sale: for_sale(row.get("active")?, row.get("archived_at")?),
    })
}

/// What an open basket holds: the details entered so far and its lines.
pub type OpenBasketContents = (EnteredDetails, Vec<(Product, u32)>);

/// The basket with this hash, if it is still open (`None` when it is unknown
/// or paid): `baskets::find_basket_state`, then `baskets::basket_lines`,
/// its products named in `locale`.
pub async fn open_basket(db: &Db, hash: &TokenHash, locale: Locale) -> Result<Option<OpenBasketContents>, ReadError> {
    if let Some(contents) = db.read_here(|conn| open_basket_on(conn, hash, locale)).map_err(ReadError::Direct)? {
        return Ok(contents);
    }
    let mut conn = db.pool.acquire().await?;
    let Some(BasketState::Open(open)) = baskets::find_basket_state(&mut conn, hash).await? else { return Ok(None) };
    let lines = baskets::basket_lines(&mut conn, open.id, locale).await?;
    Ok(Some((open.details, lines)))
}

fn open_basket_on(conn: &rusqlite::Connection, hash: &TokenHash, locale: Locale) -> rusqlite::Result<Option<OpenBasketContents>> {
    let open = first_row(conn, baskets::FIND_BASKET_STATE, &[&hash.as_str()], |row| {
        let completed = row.get::<_, Option<i64>>("completed_at")?;
        let invoice = row.get::<_, Option<i64>>("invoice_id")?;
        // Paid: the rule and the check of `baskets::find_basket_state`.
        if let (Some(_), Some(invoice)) = (completed, invoice) {
            stored_invoice_id(invoice).map_err(corrupt)?;
            return Ok(None);
        }
        let details = baskets::entered_details(|column| row.get::<_, Option<String>>(column))?;
        Ok(Some((row.get::<_, i64>("id")?, details)))
    })?;
    let Some((id, details)) = open.flatten() else { return Ok(None) };
    let lines = all_rows(conn, baskets::BASKET_LINES, &[&id, &locale.tag()], |row| {
        Ok((product_on(row)?, baskets::quantity(row.get("quantity")?).map_err(corrupt)?))
    })?;
    Ok(Some((details, lines)))
}
