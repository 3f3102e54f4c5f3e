//! The statements of one registration (registerByToken), behind one trait so
//! that the registration is written once (`GuestAccess::register_in`) and
//! runs on either of two connections:
//!
//! - `AnyConnection`, the portable reference: the store functions every
//!   other caller uses, one round trip each;
//! - `&rusqlite::Connection`, the SQLite fast path: the same SQL text (the
//!   store modules' constants) run on the writer thread that owns the
//!   connection (`server::sqlite_writer`), with no hop per statement.
//!
//! tests/it/registration_paths.rs checks that both leave the same rows.

use rusqlite::types::ToSql;
use rusqlite::CachedStatement;
use sqlx::AnyConnection;

use super::accounts::{self, purpose_str};
use super::baskets::{self, BasketSessionRow};
use super::customers::{self, CustomerLink, CustomerRow};
use super::invoices::{self, stored_invoice_id, InvoiceContact};
use super::outbox::{self, OutgoingEmail};
use crate::api::portal::LinkPurpose;
use crate::domain::{CustomerId, Email, InvoiceId, RegistrationKind, Timestamp, TokenHash};

/// What a registration reads and writes. The methods are async for the
/// portable connection; the SQLite ones complete without waiting.
#[allow(async_fn_in_trait)] // only ever called with a concrete connection
pub trait RegistrationStore {
    type Error: std::fmt::Display;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> Result<bool, Self::Error>;
    async fn find_basket_session(&mut self, hash: &TokenHash) -> Result<Option<BasketSessionRow>, Self::Error>;
    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> Result<Option<InvoiceContact>, Self::Error>;
    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, now: Timestamp) -> Result<CustomerLink, Self::Error>;
    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<CustomerRow>, Self::Error>;
    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> Result<bool, Self::Error>;
    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> Result<i64, Self::Error>;
}

impl RegistrationStore for AnyConnection {
    type Error = sqlx::Error;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> Result<bool, sqlx::Error> {
        baskets::consume_basket_for_registration(self, hash, invoice, now).await
    }

    async fn find_basket_session(&mut self, hash: &TokenHash) -> Result<Option<BasketSessionRow>, sqlx::Error> {
        baskets::find_basket_session(self, hash).await
    }

    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> Result<Option<InvoiceContact>, sqlx::Error> {
        invoices::find_invoice_contact(self, invoice).await
    }

    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, now: Timestamp) -> Result<CustomerLink, sqlx::Error> {
        customers::create_or_link_customer(self, full_name, email, now).await
    }

    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> Result<(), sqlx::Error> {
        invoices::attach_invoice_to_customer(self, invoice, customer, kind, now).await
    }

    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        invoices::insert_invoice_access_token(self, hash, invoice, customer, now, expires_at).await
    }

    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        accounts::insert_account_link(self, hash, customer, purpose, now, expires_at).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<CustomerRow>, sqlx::Error> {
        customers::find_customer(self, id).await
    }

    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> Result<bool, sqlx::Error> {
        customers::close_inline_password(self, customer, now).await
    }

    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> Result<i64, sqlx::Error> {
        outbox::enqueue(self, email, now).await
    }
}

/// The parameter names of the shared SQL, which numbers them `$1`, `$2`, …
const PARAMETERS: [&str; 8] = ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8"];

/// Prepares (once per connection) one of the shared statements and binds
/// `values` to its `$1`, `$2`, … by name, wherever in the text they appear.
fn bound<'c>(conn: &'c rusqlite::Connection, sql: &str, values: &[&dyn ToSql]) -> rusqlite::Result<CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(sql)?;
    for (name, value) in PARAMETERS.iter().zip(values) {
        let index = statement.parameter_index(name)?.ok_or_else(|| rusqlite::Error::InvalidParameterName((*name).into()))?;
        statement.raw_bind_parameter(index, value)?;
    }
    Ok(statement)
}

fn execute(conn: &rusqlite::Connection, sql: &str, values: &[&dyn ToSql]) -> rusqlite::Result<usize> {
    bound(conn, sql, values)?.raw_execute()
}

/// The first row's answer of `read`, if there is a row.
fn first_row<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    values: &[&dyn ToSql],
    read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Option<T>> {
    let mut statement = bound(conn, sql, values)?;
    let mut rows = statement.raw_query();
    rows.next()?.map(read).transpose()
}

/// A stored value that does not parse, as `store::decode_error` says it.
fn corrupt(error: sqlx::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(error.to_string().into())
}

impl RegistrationStore for &rusqlite::Connection {
    type Error = rusqlite::Error;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> rusqlite::Result<bool> {
        let changed = execute(self, baskets::CONSUME_BASKET_FOR_REGISTRATION, &[&now.millis(), &hash.as_str(), &invoice.get()])?;
        Ok(changed == 1)
    }

    async fn find_basket_session(&mut self, hash: &TokenHash) -> rusqlite::Result<Option<BasketSessionRow>> {
        let row = first_row(self, baskets::FIND_BASKET_SESSION, &[&hash.as_str()], |row| {
            Ok((
                row.get::<_, Option<i64>>("invoice_id")?,
                row.get::<_, Option<i64>>("completed_at")?,
                row.get::<_, Option<i64>>("expires_at")?,
                row.get::<_, Option<i64>>("registration_used_at")?,
            ))
        })?;
        row.map(|(invoice_id, completed_at, expires_at, registration_used_at)| {
            Ok(BasketSessionRow {
                invoice_id: invoice_id.map(stored_invoice_id).transpose().map_err(corrupt)?,
                completed_at: completed_at.map(Timestamp::from_millis),
                expires_at: expires_at.map(Timestamp::from_millis),
                registration_used_at: registration_used_at.map(Timestamp::from_millis),
            })
        })
        .transpose()
    }

    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> rusqlite::Result<Option<InvoiceContact>> {
        first_row(self, invoices::FIND_INVOICE_CONTACT, &[&invoice.get()], |row| {
            Ok(InvoiceContact {
                name: row.get("bill_to_name")?,
                email: row.get("bill_to_email")?,
                number: row.get("invoice_number")?,
            })
        })
    }

    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, now: Timestamp) -> rusqlite::Result<CustomerLink> {
        let values: [&dyn ToSql; 4] = [&full_name, &email.as_str(), &email.normalized(), &now.millis()];
        if let Some(id) = first_row(self, customers::INSERT_CUSTOMER, &values, |row| row.get::<_, i64>("id"))? {
            return Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Created });
        }
        let id = first_row(self, customers::LINK_CUSTOMER, &[&email.normalized(), &now.millis()], |row| row.get::<_, i64>("id"))?
            .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Linked })
    }

    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 4] = [&customer.get(), &kind.as_str(), &now.millis(), &invoice.get()];
        execute(self, invoices::ATTACH_INVOICE_TO_CUSTOMER, &values).map(drop)
    }

    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 5] = [&hash.as_str(), &invoice.get(), &customer.get(), &now.millis(), &expires_at.millis()];
        execute(self, invoices::INSERT_INVOICE_ACCESS_TOKEN, &values).map(drop)
    }

    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 5] = [&hash.as_str(), &customer.get(), &purpose_str(purpose), &now.millis(), &expires_at.millis()];
        execute(self, accounts::INSERT_ACCOUNT_LINK, &values).map(drop)
    }

    async fn find_customer(&mut self, id: CustomerId) -> rusqlite::Result<Option<CustomerRow>> {
        first_row(self, customers::FIND_CUSTOMER, &[&id.get()], |row| {
            Ok(CustomerRow {
                id: CustomerId::from_row(row.get("id")?),
                full_name: row.get("full_name")?,
                email: row.get("email")?,
                password_hash: row.get("password_hash")?,
            })
        })
    }

    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> rusqlite::Result<bool> {
        let cleared = execute(self, customers::CLEAR_UNCONFIRMED_PASSWORD, &[&customer.get()])? == 1;
        execute(self, customers::CLOSE_INLINE_PASSWORD, &[&customer.get()])?;
        if cleared {
            execute(self, accounts::REVOKE_ALL_SESSIONS, &[&now.millis(), &customer.get()])?;
        }
        Ok(cleared)
    }

    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> rusqlite::Result<i64> {
        let attachment = email.attachment.map(InvoiceId::get);
        let values: [&dyn ToSql; 6] = [&email.to, &email.subject, &email.text, &email.html, &now.millis(), &attachment];
        first_row(self, outbox::ENQUEUE, &values, |row| row.get::<_, i64>("id"))?.ok_or(rusqlite::Error::QueryReturnedNoRows)
    }
}
