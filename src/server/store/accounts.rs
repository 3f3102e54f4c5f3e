//! SQL for customer accounts: passwords, emailed links, sessions and the
//! customer's own invoices.

use sqlx::{AnyConnection, Row};

use super::DbResult;
use crate::domain::{Currency, InvoiceId, Timestamp, TokenHash};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub password_hash: Option<String>,
}

const CUSTOMER_COLUMNS: &str = "id, full_name, email, password_hash";

fn customer_from_row(row: &sqlx::any::AnyRow) -> DbResult<CustomerRow> {
    Ok(CustomerRow {
        id: row.try_get(0)?,
        full_name: row.try_get(1)?,
        email: row.try_get(2)?,
        password_hash: row.try_get(3)?,
    })
}

pub async fn find_customer(conn: &mut AnyConnection, id: i64) -> DbResult<Option<CustomerRow>> {
    let row = sqlx::query(&format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(customer_from_row).transpose()
}

/// The customer with portal access whose normalised email this is.
pub async fn find_portal_customer_by_email(conn: &mut AnyConnection, normalized: &str) -> DbResult<Option<CustomerRow>> {
    let row = sqlx::query(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email_normalized = $1 AND portal_access_granted_at IS NOT NULL"
    ))
    .bind(normalized)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(customer_from_row).transpose()
}

pub async fn set_password_hash(conn: &mut AnyConnection, customer_id: i64, hash: &str) -> DbResult<()> {
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that the customer has used a link sent to their email; from now
/// on the checkout-complete page cannot set their password.
pub async fn mark_email_verified(conn: &mut AnyConnection, customer_id: i64, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE customers SET email_verified_at = COALESCE(email_verified_at, $1), inline_password_allowed = 0 WHERE id = $2",
    )
    .bind(now.millis())
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the checkout-complete page's chance to set a password, and removes a
/// password set there that no emailed link has confirmed, with every session
/// it may have opened. True if one was removed.
pub async fn close_inline_password(conn: &mut AnyConnection, customer_id: i64, now: Timestamp) -> DbResult<bool> {
    let cleared = sqlx::query(
        "UPDATE customers SET password_hash = NULL WHERE id = $1 AND password_hash IS NOT NULL AND email_verified_at IS NULL",
    )
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE customers SET inline_password_allowed = 0 WHERE id = $1")
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    let cleared = cleared.rows_affected() == 1;
    if cleared {
        revoke_all_sessions(conn, customer_id, now).await?;
    }
    Ok(cleared)
}

/// Sets the first password from the checkout-complete page, if that is still
/// allowed. One conditional UPDATE on the customer's row, so a concurrent
/// purchase or link that closes the chance is re-checked, not raced.
pub async fn set_inline_password(conn: &mut AnyConnection, customer_id: i64, hash: &str) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE customers SET password_hash = $1, inline_password_allowed = 0
         WHERE id = $2 AND password_hash IS NULL AND inline_password_allowed = 1",
    )
    .bind(hash)
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

// ---------------------------------------------------------------- emailed links

pub use crate::portal::LinkPurpose;

fn purpose_str(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::SetPassword => "set_password",
        LinkPurpose::ResetPassword => "reset_password",
        LinkPurpose::SignIn => "sign_in",
    }
}

fn parse_purpose(raw: &str) -> DbResult<LinkPurpose> {
    match raw {
        "set_password" => Ok(LinkPurpose::SetPassword),
        "reset_password" => Ok(LinkPurpose::ResetPassword),
        "sign_in" => Ok(LinkPurpose::SignIn),
        other => Err(sqlx::Error::Decode(format!("unknown link purpose {other:?}").into())),
    }
}

pub async fn insert_account_link(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    customer_id: i64,
    purpose: LinkPurpose,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO account_links (token_hash, customer_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash.as_str())
    .bind(customer_id)
    .bind(purpose_str(purpose))
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The purpose of a link that can still be used, without using it.
pub async fn find_usable_link(conn: &mut AnyConnection, hash: &TokenHash, now: Timestamp) -> DbResult<Option<LinkPurpose>> {
    let purpose: Option<String> = sqlx::query_scalar(
        "SELECT purpose FROM account_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(hash.as_str())
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    purpose.as_deref().map(parse_purpose).transpose()
}

/// Uses a link for one of two purposes: a single conditional UPDATE, so a
/// link works once even when opened twice at the same moment. Returns the
/// customer and the link's purpose.
pub async fn consume_link(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    purposes: [LinkPurpose; 2],
    now: Timestamp,
) -> DbResult<Option<(i64, LinkPurpose)>> {
    let row = sqlx::query(
        "UPDATE account_links SET used_at = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 AND (purpose = $3 OR purpose = $4)
         RETURNING customer_id, purpose",
    )
    .bind(now.millis())
    .bind(hash.as_str())
    .bind(purpose_str(purposes[0]))
    .bind(purpose_str(purposes[1]))
    .fetch_optional(conn)
    .await?;
    row.map(|row| Ok((row.try_get(0)?, parse_purpose(&row.try_get::<String, _>(1)?)?)))
        .transpose()
}

/// Retires a customer's unused password links (set or reset), e.g. once a password is chosen.
pub async fn retire_password_links(conn: &mut AnyConnection, customer_id: i64, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE account_links SET used_at = $1
         WHERE customer_id = $2 AND used_at IS NULL AND (purpose = 'set_password' OR purpose = 'reset_password')",
    )
    .bind(now.millis())
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- sessions and API tokens

/// What a stored session token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// The portal's browser cookie.
    Portal,
    /// An OAuth bearer access token.
    Access,
    /// An OAuth refresh token (single use: each refresh rotates it).
    Refresh,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    customer_id: i64,
    kind: SessionKind,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, customer_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash.as_str())
    .bind(customer_id)
    .bind(kind.as_str())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The customer a live (unexpired, unrevoked) session token of this kind belongs to.
pub async fn find_live_session(conn: &mut AnyConnection, hash: &TokenHash, kind: SessionKind, now: Timestamp) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT customer_id FROM auth_sessions
         WHERE token_hash = $1 AND kind = $2 AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(hash.as_str())
    .bind(kind.as_str())
    .bind(now.millis())
    .fetch_optional(conn)
    .await
}

/// Revokes one live session token; returns its customer if it was live.
/// Conditional, so a refresh token can be exchanged only once.
pub async fn revoke_session(conn: &mut AnyConnection, hash: &TokenHash, kind: SessionKind, now: Timestamp) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE auth_sessions SET revoked_at = $1
         WHERE token_hash = $2 AND kind = $3 AND revoked_at IS NULL AND expires_at > $1
         RETURNING customer_id",
    )
    .bind(now.millis())
    .bind(hash.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await
}

/// Revokes every session and API token of a customer.
pub async fn revoke_all_sessions(conn: &mut AnyConnection, customer_id: i64, now: Timestamp) -> DbResult<u64> {
    let result = sqlx::query("UPDATE auth_sessions SET revoked_at = $1 WHERE customer_id = $2 AND revoked_at IS NULL")
        .bind(now.millis())
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}

// ---------------------------------------------------------------- the customer's invoices

/// One row of "My invoices".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub number: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub issued_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

pub async fn count_customer_invoices(conn: &mut AnyConnection, customer_id: i64) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(conn)
        .await
}

/// A page of the customer's invoices, newest first.
pub async fn list_customer_invoices(conn: &mut AnyConnection, customer_id: i64, limit: i64, offset: i64) -> DbResult<Vec<InvoiceSummary>> {
    let rows = sqlx::query(
        "SELECT id, invoice_number, currency, total_minor, issued_at, paid_at FROM invoices
         WHERE customer_id = $1 ORDER BY issued_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(customer_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let currency: String = row.try_get(2)?;
            Ok(InvoiceSummary {
                id: InvoiceId::new(row.try_get(0)?).map_err(|e| sqlx::Error::Decode(e.into()))?,
                number: row.try_get(1)?,
                currency: currency.parse().map_err(|e: crate::domain::money::UnsupportedCurrency| sqlx::Error::Decode(e.into()))?,
                total_minor: row.try_get(3)?,
                issued_at: Timestamp::from_millis(row.try_get(4)?),
                paid_at: row.try_get::<Option<i64>, _>(5)?.map(Timestamp::from_millis),
            })
        })
        .collect()
}

/// How registration attached an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRegistration {
    pub customer_id: i64,
    /// `created` or `linked`.
    pub kind: String,
    pub registered_at: Timestamp,
}

pub async fn find_invoice_registration(conn: &mut AnyConnection, invoice: InvoiceId) -> DbResult<Option<InvoiceRegistration>> {
    let row = sqlx::query(
        "SELECT customer_id, registration_kind, registered_at FROM invoices
         WHERE id = $1 AND customer_id IS NOT NULL AND registration_kind IS NOT NULL AND registered_at IS NOT NULL",
    )
    .bind(invoice.get())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(InvoiceRegistration {
            customer_id: row.try_get(0)?,
            kind: row.try_get(1)?,
            registered_at: Timestamp::from_millis(row.try_get(2)?),
        })
    })
    .transpose()
}

/// Deletes sessions and links that expired before `before`; they can never be used again.
pub async fn prune_expired(conn: &mut AnyConnection, before: Timestamp) -> DbResult<u64> {
    let sessions = sqlx::query("DELETE FROM auth_sessions WHERE expires_at < $1")
        .bind(before.millis())
        .execute(&mut *conn)
        .await?;
    let links = sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(sessions.rows_affected() + links.rows_affected())
}
