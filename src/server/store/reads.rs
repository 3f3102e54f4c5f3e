//! The hot pages' reads: the catalogue, and checkout-complete's status check
//! (also registerByToken's answer for a malformed invoice id).
//!
//! Each runs the same SQL text as its store function, on the calling thread
//! through `server::sqlite_reader` when the database is an SQLite file, and
//! through the pool otherwise (PostgreSQL, an in-memory database, or SQLite
//! answering "busy"). tests/it/hot_reads.rs checks that both give the same
//! answers.

use super::baskets::{self, BasketSessionRow};
use super::catalogue::{self, tax_rate};
use super::registration::{bound, corrupt, RegistrationStore};
use crate::domain::{Product, TokenHash};
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

/// The products for sale, in catalogue order.
pub async fn products(db: &Db) -> Result<Vec<Product>, ReadError> {
    if let Some(products) = db.read_here(products_on).map_err(ReadError::Direct)? {
        return Ok(products);
    }
    let mut conn = db.pool.acquire().await?;
    Ok(catalogue::list_products(&mut conn).await?)
}

fn products_on(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<Product>> {
    let mut statement = bound(conn, catalogue::LIST_PRODUCTS, &[])?;
    let mut rows = statement.raw_query();
    let mut products = Vec::new();
    while let Some(row) = rows.next()? {
        products.push(Product {
            id: row.get("id")?,
            name: row.get("name")?,
            description: row.get("description")?,
            unit_price_minor: row.get("unit_price_minor")?,
            tax_rate: tax_rate(row.get("tax_rate_bp")?).map_err(corrupt)?,
        });
    }
    Ok(products)
}
