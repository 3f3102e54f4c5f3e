//! Sign-in state: single-use emailed links and sessions (portal cookies,
//! API access and refresh tokens), and pruning the expired ones.

use sqlx::{AnyConnection, Row};

use super::{decode_error, DbResult};
use crate::api::portal::LinkPurpose;
use crate::domain::{CustomerId, Timestamp, TokenHash};

pub(crate) fn purpose_str(purpose: LinkPurpose) -> &'static str {
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
        other => Err(decode_error(format_args!("link purpose {other:?}"))),
    }
}

pub const INSERT_ACCOUNT_LINK: &str =
    "INSERT INTO account_links (token_hash, customer_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";

pub async fn insert_account_link(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    customer: CustomerId,
    purpose: LinkPurpose,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(INSERT_ACCOUNT_LINK)
    .bind(hash.as_str())
    .bind(customer.get())
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

/// The customer and purpose a link statement returned.
fn link_owner(row: &sqlx::any::AnyRow) -> DbResult<(CustomerId, LinkPurpose)> {
    Ok((CustomerId::from_row(row.try_get("customer_id")?), parse_purpose(&row.try_get::<String, _>("purpose")?)?))
}

/// Locks a usable link for one of two purposes until `until`, unless it is
/// locked already: the one caller that gets the lock hashes its password,
/// the others are refused without hashing. Returns the customer and purpose.
pub async fn lock_link(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    purposes: [LinkPurpose; 2],
    now: Timestamp,
    until: Timestamp,
) -> DbResult<Option<(CustomerId, LinkPurpose)>> {
    let row = sqlx::query(
        "UPDATE account_links SET locked_until = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 AND (purpose = $4 OR purpose = $5)
           AND (locked_until IS NULL OR locked_until <= $3)
         RETURNING customer_id, purpose",
    )
    .bind(until.millis())
    .bind(hash.as_str())
    .bind(now.millis())
    .bind(purpose_str(purposes[0]))
    .bind(purpose_str(purposes[1]))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(link_owner).transpose()
}

/// Lifts a lock taken by `lock_link` whose password was never set.
pub async fn unlock_link(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<()> {
    sqlx::query("UPDATE account_links SET locked_until = NULL WHERE token_hash = $1")
        .bind(hash.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses a link for one of two purposes: a single conditional UPDATE, so a
/// link works once even when opened twice at the same moment. Returns the
/// customer and the link's purpose.
pub async fn consume_link(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    purposes: [LinkPurpose; 2],
    now: Timestamp,
) -> DbResult<Option<(CustomerId, LinkPurpose)>> {
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
    row.as_ref().map(link_owner).transpose()
}

/// Retires a customer's unused password links (set or reset), e.g. once a password is chosen.
pub async fn retire_password_links(conn: &mut AnyConnection, customer: CustomerId, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE account_links SET used_at = $1
         WHERE customer_id = $2 AND used_at IS NULL AND (purpose = 'set_password' OR purpose = 'reset_password')",
    )
    .bind(now.millis())
    .bind(customer.get())
    .execute(conn)
    .await?;
    Ok(())
}

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
    customer: CustomerId,
    kind: SessionKind,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, customer_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash.as_str())
    .bind(customer.get())
    .bind(kind.as_str())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The customer a live (unexpired, unrevoked) session token of this kind belongs to.
pub async fn find_live_session(conn: &mut AnyConnection, hash: &TokenHash, kind: SessionKind, now: Timestamp) -> DbResult<Option<CustomerId>> {
    let customer: Option<i64> = sqlx::query_scalar(
        "SELECT customer_id FROM auth_sessions
         WHERE token_hash = $1 AND kind = $2 AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(hash.as_str())
    .bind(kind.as_str())
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    Ok(customer.map(CustomerId::from_row))
}

/// The saved locale of the customer a live session belongs to, as stored.
pub async fn find_live_session_locale(conn: &mut AnyConnection, hash: &TokenHash, kind: SessionKind, now: Timestamp) -> DbResult<Option<String>> {
    sqlx::query_scalar(
        "SELECT customers.locale FROM auth_sessions JOIN customers ON customers.id = auth_sessions.customer_id
         WHERE auth_sessions.token_hash = $1 AND auth_sessions.kind = $2
           AND auth_sessions.revoked_at IS NULL AND auth_sessions.expires_at > $3",
    )
    .bind(hash.as_str())
    .bind(kind.as_str())
    .bind(now.millis())
    .fetch_optional(conn)
    .await
}

/// Revokes one live session token; returns its customer if it was live.
/// Conditional, so a refresh token can be exchanged only once.
pub async fn revoke_session(conn: &mut AnyConnection, hash: &TokenHash, kind: SessionKind, now: Timestamp) -> DbResult<Option<CustomerId>> {
    let customer: Option<i64> = sqlx::query_scalar(
        "UPDATE auth_sessions SET revoked_at = $1
         WHERE token_hash = $2 AND kind = $3 AND revoked_at IS NULL AND expires_at > $1
         RETURNING customer_id",
    )
    .bind(now.millis())
    .bind(hash.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(customer.map(CustomerId::from_row))
}

/// Revokes every session and API token of a customer.
pub const REVOKE_ALL_SESSIONS: &str = "UPDATE auth_sessions SET revoked_at = $1 WHERE customer_id = $2 AND revoked_at IS NULL";

pub async fn revoke_all_sessions(conn: &mut AnyConnection, customer: CustomerId, now: Timestamp) -> DbResult<u64> {
    let result = sqlx::query(REVOKE_ALL_SESSIONS)
        .bind(now.millis())
        .bind(customer.get())
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}

/// Remembers a browser that signed in to `customer` (its device cookie's hash).
pub async fn insert_trusted_device(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    customer: CustomerId,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query("INSERT INTO trusted_devices (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash.as_str())
        .bind(customer.get())
        .bind(now.millis())
        .bind(expires_at.millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// The customer an unexpired device cookie was issued for.
pub async fn find_trusted_device(conn: &mut AnyConnection, hash: &TokenHash, now: Timestamp) -> DbResult<Option<CustomerId>> {
    let customer: Option<i64> = sqlx::query_scalar("SELECT customer_id FROM trusted_devices WHERE token_hash = $1 AND expires_at > $2")
        .bind(hash.as_str())
        .bind(now.millis())
        .fetch_optional(conn)
        .await?;
    Ok(customer.map(CustomerId::from_row))
}

/// Keeps only the newest `keep` device cookies of `customer`.
pub async fn keep_newest_devices(conn: &mut AnyConnection, customer: CustomerId, keep: i64) -> DbResult<u64> {
    let result = sqlx::query(
        "DELETE FROM trusted_devices WHERE customer_id = $1
           AND id NOT IN (SELECT id FROM trusted_devices WHERE customer_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(customer.get())
    .bind(keep)
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

pub const FORGET_DEVICES: &str = "DELETE FROM trusted_devices WHERE customer_id = $1";

/// Forgets every browser that signed in to `customer`.
pub async fn forget_devices(conn: &mut AnyConnection, customer: CustomerId) -> DbResult<u64> {
    let result = sqlx::query(FORGET_DEVICES).bind(customer.get()).execute(conn).await?;
    Ok(result.rows_affected())
}

/// Deletes sessions, links and device cookies that expired before `before`; they can never be used again.
pub async fn prune_expired(conn: &mut AnyConnection, before: Timestamp) -> DbResult<u64> {
    let sessions = sqlx::query("DELETE FROM auth_sessions WHERE expires_at < $1")
        .bind(before.millis())
        .execute(&mut *conn)
        .await?;
    let links = sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(before.millis())
        .execute(&mut *conn)
        .await?;
    let devices = sqlx::query("DELETE FROM trusted_devices WHERE expires_at < $1")
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(sessions.rows_affected() + links.rows_affected() + devices.rows_affected())
}
