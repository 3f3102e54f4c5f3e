//! Customers: created or linked at registration, and what signing in and
//! setting a password read and write of them.

use sqlx::{AnyConnection, Row};

use super::accounts::{forget_devices, revoke_all_sessions};
use super::DbResult;
use crate::domain::locale::Locale;
use crate::domain::{CustomerId, Email, InvoiceId, RegistrationKind, Timestamp};

/// The customer a registration found: created for it, or already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerLink {
    pub id: CustomerId,
    pub kind: RegistrationKind,
}

/// Creates the customer with portal access, or gives portal access to the
/// one that already has this normalised email (its first grant is kept).
/// The unique constraint decides races: a conflicting insert becomes a link.
/// A created customer may set a first password on the checkout-complete page
/// (see `store::accounts::set_inline_password`).
pub const INSERT_CUSTOMER: &str =
    "INSERT INTO customers (full_name, email, email_normalized, created_at, portal_access_granted_at, inline_password_allowed, locale)
     VALUES ($1, $2, $3, $4, $4, 1, $5)
     ON CONFLICT (email_normalized) DO NOTHING
     RETURNING id";

pub const LINK_CUSTOMER: &str = "UPDATE customers SET portal_access_granted_at = COALESCE(portal_access_granted_at, $2)
     WHERE email_normalized = $1
     RETURNING id";

pub async fn create_or_link_customer(
    conn: &mut AnyConnection,
    full_name: &str,
    email: &Email,
    locale: Locale,
    now: Timestamp,
) -> DbResult<CustomerLink> {
    let inserted: Option<i64> = sqlx::query_scalar(INSERT_CUSTOMER)
    .bind(full_name)
    .bind(email.as_str())
    .bind(email.normalized())
    .bind(now.millis())
    .bind(locale.tag())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Created });
    }
    let id: i64 = sqlx::query_scalar(LINK_CUSTOMER)
    .bind(email.normalized())
    .bind(now.millis())
    .fetch_one(conn)
    .await?;
    Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Linked })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub full_name: String,
    pub email: String,
    pub password_hash: Option<String>,
    /// The language the customer's emails are written in.
    pub locale: Locale,
}

macro_rules! customer_columns {
    () => {
        "id, full_name, email, password_hash, locale"
    };
}

pub const FIND_CUSTOMER: &str = concat!("SELECT ", customer_columns!(), " FROM customers WHERE id = $1");

fn customer_from_row(row: &sqlx::any::AnyRow) -> DbResult<CustomerRow> {
    Ok(CustomerRow {
        id: CustomerId::from_row(row.try_get("id")?),
        full_name: row.try_get("full_name")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
    })
}

pub async fn find_customer(conn: &mut AnyConnection, id: CustomerId) -> DbResult<Option<CustomerRow>> {
    let row = sqlx::query(FIND_CUSTOMER)
        .bind(id.get())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(customer_from_row).transpose()
}

/// The customer with portal access whose normalised email this is.
pub async fn find_portal_customer_by_email(conn: &mut AnyConnection, normalized: &str) -> DbResult<Option<CustomerRow>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers WHERE email_normalized = $1 AND portal_access_granted_at IS NOT NULL"
    ))
    .bind(normalized)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(customer_from_row).transpose()
}

/// The language `customer` chose in the portal. False if there is no such customer.
pub async fn set_locale(conn: &mut AnyConnection, customer: CustomerId, locale: Locale) -> DbResult<bool> {
    let updated = sqlx::query("UPDATE customers SET locale = $1 WHERE id = $2")
        .bind(locale.tag())
        .bind(customer.get())
        .execute(conn)
        .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn set_password_hash(conn: &mut AnyConnection, customer: CustomerId, hash: &str) -> DbResult<()> {
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(customer.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether `customer`'s password is still `hash`, taking the row's write
/// lock until the transaction ends (a no-op UPDATE: PostgreSQL re-reads the
/// row after any concurrent change commits; SQLite has one writer). A change
/// of the password that comes later waits, and then revokes what this
/// transaction wrote.
pub async fn hold_password(conn: &mut AnyConnection, customer: CustomerId, hash: &str) -> DbResult<bool> {
    let held = sqlx::query("UPDATE customers SET password_hash = password_hash WHERE id = $1 AND password_hash = $2")
        .bind(customer.get())
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(held.rows_affected() == 1)
}

/// Whether the customer has shown they read their mailbox (used a link we emailed).
pub async fn email_verified(conn: &mut AnyConnection, customer: CustomerId) -> DbResult<bool> {
    let verified: Option<Option<i64>> = sqlx::query_scalar("SELECT email_verified_at FROM customers WHERE id = $1")
        .bind(customer.get())
        .fetch_optional(conn)
        .await?;
    Ok(verified.flatten().is_some())
}

/// Records that the customer has used a link sent to their email; from now
/// on the checkout-complete page cannot set their password.
pub async fn mark_email_verified(conn: &mut AnyConnection, customer: CustomerId, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE customers SET email_verified_at = COALESCE(email_verified_at, $1), inline_password_allowed = 0 WHERE id = $2",
    )
    .bind(now.millis())
    .bind(customer.get())
    .execute(conn)
    .await?;
    Ok(())
}

pub const CLEAR_UNCONFIRMED_PASSWORD: &str =
    "UPDATE customers SET password_hash = NULL WHERE id = $1 AND password_hash IS NOT NULL AND email_verified_at IS NULL";
pub const CLOSE_INLINE_PASSWORD: &str = "UPDATE customers SET inline_password_allowed = 0 WHERE id = $1";

/// Ends the checkout-complete page's chance to set a password, and removes a
/// password set there that no emailed link has confirmed, with every session
/// and API token it may have opened and every browser it signed in. True if
/// one was removed.
pub async fn close_inline_password(conn: &mut AnyConnection, customer: CustomerId, now: Timestamp) -> DbResult<bool> {
    let cleared = sqlx::query(CLEAR_UNCONFIRMED_PASSWORD)
    .bind(customer.get())
    .execute(&mut *conn)
    .await?;
    sqlx::query(CLOSE_INLINE_PASSWORD)
        .bind(customer.get())
        .execute(&mut *conn)
        .await?;
    let cleared = cleared.rows_affected() == 1;
    if cleared {
        revoke_all_sessions(&mut *conn, customer, now).await?;
        forget_devices(conn, customer).await?;
    }
    Ok(cleared)
}

/// What "Set a password now" needs of the account, as SQL on the customer
/// `$1` and the purchase `$2`: no password yet, the chance still open, and no
/// invoice but this one.
macro_rules! inline_password_open {
    () => {
        "password_hash IS NULL AND inline_password_allowed = 1
         AND NOT EXISTS (SELECT 1 FROM invoices WHERE customer_id = $1 AND id <> $2)"
    };
}

/// Whether the checkout-complete page may still set the first password (a
/// read, so that a post that cannot set one costs no hash).
pub async fn inline_password_open(conn: &mut AnyConnection, customer: CustomerId, invoice: InvoiceId) -> DbResult<bool> {
    let open: Option<i64> = sqlx::query_scalar(concat!("SELECT id FROM customers WHERE id = $1 AND ", inline_password_open!()))
        .bind(customer.get())
        .bind(invoice.get())
        .fetch_optional(conn)
        .await?;
    Ok(open.is_some())
}

/// Sets the first password from the checkout-complete page for the purchase
/// `invoice`, if that is still allowed. One conditional UPDATE on the
/// customer's row, so a concurrent purchase or link that closes the chance
/// is re-checked, not raced.
pub async fn set_inline_password(conn: &mut AnyConnection, customer: CustomerId, invoice: InvoiceId, hash: &str) -> DbResult<bool> {
    let result = sqlx::query(concat!(
        "UPDATE customers SET password_hash = $3, inline_password_allowed = 0 WHERE id = $1 AND ",
        inline_password_open!()
    ))
    .bind(customer.get())
    .bind(invoice.get())
    .bind(hash)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
