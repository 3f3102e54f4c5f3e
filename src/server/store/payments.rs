//! Payments: the claim that lets one charge run per basket, and each
//! attempt's outcome under its idempotency key.

use sqlx::{AnyConnection, Row};

use super::invoices::stored_invoice_id;
use super::{decode_error, DbResult};
use crate::domain::{Currency, InvoiceId, PaymentStatus, Timestamp};

/// Claims an unpaid basket for one charge. A claim older than `stale_before`
/// is abandoned (a crashed instance) and may be taken over.
pub async fn claim_basket_for_payment(conn: &mut AnyConnection, basket_id: i64, now: Timestamp, stale_before: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET payment_started_at = $2
         WHERE id = $1 AND completed_at IS NULL AND (payment_started_at IS NULL OR payment_started_at < $3)",
    )
    .bind(basket_id)
    .bind(now.millis())
    .bind(stale_before.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn release_payment_claim(conn: &mut AnyConnection, basket_id: i64) -> DbResult<()> {
    sqlx::query("UPDATE basket_sessions SET payment_started_at = NULL WHERE id = $1")
        .bind(basket_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A recorded payment attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentAttemptRow {
    pub basket_session_id: i64,
    pub status: PaymentStatus,
    pub decline_reason: Option<String>,
    pub invoice_id: Option<InvoiceId>,
}

/// Records a new attempt under `key`; `None` if the key was used before.
pub async fn insert_payment_attempt(
    conn: &mut AnyConnection,
    basket_id: i64,
    key: &str,
    amount_minor: i64,
    currency: Currency,
    now: Timestamp,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO payment_attempts (basket_session_id, idempotency_key, amount_minor, currency, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(basket_id)
    .bind(key)
    .bind(amount_minor)
    .bind(currency.code())
    .bind(PaymentStatus::Processing.as_str())
    .bind(now.millis())
    .fetch_optional(conn)
    .await
}

pub async fn find_payment_attempt(conn: &mut AnyConnection, key: &str) -> DbResult<Option<PaymentAttemptRow>> {
    let row = sqlx::query("SELECT basket_session_id, status, decline_reason, invoice_id FROM payment_attempts WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let status: String = row.try_get("status")?;
        Ok(PaymentAttemptRow {
            basket_session_id: row.try_get("basket_session_id")?,
            status: PaymentStatus::from_stored(&status).ok_or_else(|| decode_error(format_args!("payment status {status:?}")))?,
            decline_reason: row.try_get("decline_reason")?,
            invoice_id: row.try_get::<Option<i64>, _>("invoice_id")?.map(stored_invoice_id).transpose()?,
        })
    })
    .transpose()
}

pub async fn finish_payment_attempt(
    conn: &mut AnyConnection,
    attempt_id: i64,
    status: PaymentStatus,
    decline_reason: Option<&str>,
    gateway_reference: Option<&str>,
    card: Option<(&str, &str)>,
    invoice: Option<InvoiceId>,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE payment_attempts SET status = $2, decline_reason = $3, gateway_reference = $4,
             card_brand = $5, card_last4 = $6, invoice_id = $7
         WHERE id = $1",
    )
    .bind(attempt_id)
    .bind(status.as_str())
    .bind(decline_reason)
    .bind(gateway_reference)
    .bind(card.map(|(brand, _)| brand))
    .bind(card.map(|(_, last4)| last4))
    .bind(invoice.map(InvoiceId::get))
    .execute(conn)
    .await?;
    Ok(())
}
