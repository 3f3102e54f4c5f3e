//! Every SQL statement the app runs, written once for both backends, one
//! module per group of tables. Rows are read by column name.
//!
//! Functions take `&mut AnyConnection` so callers decide the transaction
//! boundaries (a `Transaction` derefs to one).

pub mod accounts;
pub mod baskets;
pub mod catalogue;
pub mod customers;
pub mod invoices;
pub mod outbox;
pub mod payments;
pub mod rate_limits;
pub mod reads;
pub mod registration;
pub mod shop;

pub type DbResult<T> = Result<T, sqlx::Error>;

/// A stored value that does not parse: the row is corrupt, not the request.
pub(crate) fn decode_error(what: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is invalid").into())
}
