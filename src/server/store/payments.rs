//! Payment attempts: one hosted checkout session each, with the snapshot of
//! what it charges for, and the conditional updates that let exactly one
//! caller fulfil a paid session.

use sqlx::{AnyConnection, Row};

use super::invoices::stored_invoice_id;
use super::{decode_error, DbResult};
use crate::domain::locale::Locale;
use crate::domain::{BillTo, InvoiceId, LineItem, PaymentStatus, TaxRate, Timestamp, TokenHash};

/// A recorded payment attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: i64,
    pub basket_session_id: i64,
    pub key: String,
    pub status: PaymentStatus,
    /// The provider's checkout session, once it was made.
    pub session_id: Option<String>,
    /// The hosted page. Never logged.
    pub session_url: Option<String>,
    pub amount_minor: i64,
    /// Upper-case ISO 4217 code.
    pub currency: String,
    pub expires_at: Option<Timestamp>,
    /// The hash of the payer cookie set when the attempt started.
    pub owner_hash: Option<String>,
    pub invoice_id: Option<InvoiceId>,
    pub payment_reference: Option<String>,
    pub created_at: Timestamp,
}

impl AttemptRow {
    /// Whether the browser with this payer cookie started the attempt.
    pub fn is_owned_by(&self, cookie: &TokenHash) -> bool {
        self.owner_hash.as_deref() == Some(cookie.as_str())
    }
}

/// What one attempt charges for: the invoice is issued from exactly this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub bill_to: BillTo,
    pub items: Vec<LineItem>,
    /// The language the guest paid in: the invoice's, for ever.
    pub locale: Locale,
}

pub struct NewAttempt<'a> {
    pub basket_id: i64,
    pub key: &'a str,
    pub provider: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub owner: &'a TokenHash,
    pub snapshot: &'a Snapshot,
    pub expires_at: Timestamp,
    pub now: Timestamp,
}

const ATTEMPT_COLUMNS: &str = "id, basket_session_id, idempotency_key, status, gateway_reference, session_url, amount_minor,
     currency, expires_at, owner_hash, invoice_id, payment_reference, created_at";

/// Statuses from which a paid session may still be fulfilled (`PaymentStatus::is_unpaid`).
const UNPAID: &str = "('processing', 'declined', 'expired', 'failed')";

/// Records a new open attempt. `None` when the key was used before or the
/// basket already has an open attempt (both are unique).
pub async fn insert_attempt(conn: &mut AnyConnection, new: &NewAttempt<'_>) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO payment_attempts (basket_session_id, idempotency_key, provider, amount_minor, currency, status,
             owner_hash, snapshot, expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'processing', $6, $7, $8, $9, $9)
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind(new.basket_id)
    .bind(new.key)
    .bind(new.provider)
    .bind(new.amount_minor)
    .bind(new.currency)
    .bind(new.owner.as_str())
    .bind(encode_snapshot(new.snapshot))
    .bind(new.expires_at.millis())
    .bind(new.now.millis())
    .fetch_optional(conn)
    .await
}

/// Stores the session made for an open attempt; `false` if it has one
/// already or is no longer open (given up as abandoned meanwhile).
pub async fn attach_session(conn: &mut AnyConnection, attempt: i64, session_id: &str, url: &str, now: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE payment_attempts SET gateway_reference = $2, session_url = $3, updated_at = $4
         WHERE id = $1 AND gateway_reference IS NULL AND status = 'processing'",
    )
    .bind(attempt)
    .bind(session_id)
    .bind(url)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn find_by_key(conn: &mut AnyConnection, key: &str) -> DbResult<Option<AttemptRow>> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE idempotency_key = $1");
    sqlx::query(&sql).bind(key).fetch_optional(conn).await?.map(|row| attempt_from_row(&row)).transpose()
}

pub async fn find_by_session(conn: &mut AnyConnection, session_id: &str) -> DbResult<Option<AttemptRow>> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE gateway_reference = $1");
    sqlx::query(&sql).bind(session_id).fetch_optional(conn).await?.map(|row| attempt_from_row(&row)).transpose()
}

pub async fn find_by_id(conn: &mut AnyConnection, id: i64) -> DbResult<Option<AttemptRow>> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(conn).await?.map(|row| attempt_from_row(&row)).transpose()
}

/// The basket's open attempt, if it has one.
pub async fn find_open_for_basket(conn: &mut AnyConnection, basket_id: i64) -> DbResult<Option<AttemptRow>> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE basket_session_id = $1 AND status = 'processing'");
    sqlx::query(&sql).bind(basket_id).fetch_optional(conn).await?.map(|row| attempt_from_row(&row)).transpose()
}

pub async fn snapshot(conn: &mut AnyConnection, attempt: i64) -> DbResult<Option<Snapshot>> {
    let raw: Option<Option<String>> =
        sqlx::query_scalar("SELECT snapshot FROM payment_attempts WHERE id = $1").bind(attempt).fetch_optional(conn).await?;
    raw.flatten().map(|raw| decode_snapshot(&raw).ok_or_else(|| decode_error("payment snapshot"))).transpose()
}

/// Ends an open attempt unpaid (`Expired` or `Failed`); `false` if it was not open.
pub async fn close_open(conn: &mut AnyConnection, attempt: i64, to: PaymentStatus, now: Timestamp) -> DbResult<bool> {
    debug_assert!(matches!(to, PaymentStatus::Expired | PaymentStatus::Failed));
    let result = sqlx::query("UPDATE payment_attempts SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'processing'")
        .bind(attempt)
        .bind(to.as_str())
        .bind(now.millis())
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives up an open attempt whose session was never stored (its request was
/// cut off); `false` if it is not open or its session arrived meanwhile.
pub async fn abandon_unattached(conn: &mut AnyConnection, attempt: i64, now: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE payment_attempts SET status = 'failed', updated_at = $2
         WHERE id = $1 AND status = 'processing' AND gateway_reference IS NULL",
    )
    .bind(attempt)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// How a paid session was settled.
pub struct PaidSession<'a> {
    pub door: &'a str,
    pub payment_reference: Option<&'a str>,
    pub card: Option<(&'a str, &'a str)>,
    pub now: Timestamp,
}

/// Moves an unpaid attempt to `Succeeded` (its basket is fulfilled by it) or
/// `RefundDue` (its basket was paid by another). The one conditional UPDATE
/// that lets exactly one of any number of concurrent callers settle a paid
/// session: on PostgreSQL the row lock makes the others re-check the
/// condition after the winner commits; SQLite serialises writers.
pub async fn settle_paid(conn: &mut AnyConnection, attempt: i64, to: PaymentStatus, paid: &PaidSession<'_>) -> DbResult<bool> {
    debug_assert!(matches!(to, PaymentStatus::Succeeded | PaymentStatus::RefundDue));
    let sql = format!(
        "UPDATE payment_attempts SET status = $2, fulfilled_by = $3, payment_reference = $4, card_brand = $5, card_last4 = $6,
             updated_at = $7
         WHERE id = $1 AND status IN {UNPAID}"
    );
    let result = sqlx::query(&sql)
        .bind(attempt)
        .bind(to.as_str())
        .bind(paid.door)
        .bind(paid.payment_reference)
        .bind(paid.card.map(|(brand, _)| brand))
        .bind(paid.card.map(|(_, last4)| last4))
        .bind(paid.now.millis())
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Turns the attempt just claimed as `Succeeded` (in this transaction) into
/// a refund: its basket turned out paid by another session.
pub async fn mark_refund_due(conn: &mut AnyConnection, attempt: i64) -> DbResult<()> {
    sqlx::query("UPDATE payment_attempts SET status = 'refund_due' WHERE id = $1 AND status = 'succeeded'").bind(attempt).execute(conn).await?;
    Ok(())
}

/// The invoice a fulfilled attempt issued, and the completion secret the
/// paying browser collects.
pub async fn record_fulfilment(conn: &mut AnyConnection, attempt: i64, invoice: InvoiceId, pickup: &str) -> DbResult<()> {
    sqlx::query("UPDATE payment_attempts SET invoice_id = $2, completion_pickup = $3 WHERE id = $1")
        .bind(attempt)
        .bind(invoice.get())
        .bind(pickup)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes the completion secret waiting for the paying browser: the first
/// caller gets it, and it is gone from the database afterwards.
pub async fn take_pickup(conn: &mut AnyConnection, attempt: i64) -> DbResult<Option<String>> {
    let waiting: Option<Option<String>> = sqlx::query_scalar("SELECT completion_pickup FROM payment_attempts WHERE id = $1")
        .bind(attempt)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(secret) = waiting.flatten() else { return Ok(None) };
    let taken = sqlx::query("UPDATE payment_attempts SET completion_pickup = NULL WHERE id = $1 AND completion_pickup = $2")
        .bind(attempt)
        .bind(&secret)
        .execute(conn)
        .await?;
    Ok((taken.rows_affected() == 1).then_some(secret))
}

/// Records the refund of a `RefundDue` attempt; `false` if it was recorded already.
pub async fn record_refund(conn: &mut AnyConnection, attempt: i64, refund: &str, now: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE payment_attempts SET status = 'refunded', refund_reference = $2, refunded_at = $3, updated_at = $3
         WHERE id = $1 AND status = 'refund_due'",
    )
    .bind(attempt)
    .bind(refund)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Attempts the sweep looks at: open ones past their session's expiry
/// (their webhook never came), open ones whose session was never stored
/// (made before `abandoned_before`), and refunds still due.
pub async fn unsettled(conn: &mut AnyConnection, now: Timestamp, abandoned_before: Timestamp, limit: i64) -> DbResult<Vec<AttemptRow>> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts
         WHERE (status = 'processing' AND expires_at < $1)
            OR (status = 'processing' AND gateway_reference IS NULL AND created_at < $2)
            OR status = 'refund_due'
         ORDER BY updated_at, id LIMIT $3"
    );
    let rows = sqlx::query(&sql).bind(now.millis()).bind(abandoned_before.millis()).bind(limit).fetch_all(conn).await?;
    rows.iter().map(attempt_from_row).collect()
}

/// Marks an attempt as looked at by the sweep (its place in `unsettled`).
pub async fn touch(conn: &mut AnyConnection, attempt: i64, now: Timestamp) -> DbResult<()> {
    sqlx::query("UPDATE payment_attempts SET updated_at = $2 WHERE id = $1").bind(attempt).bind(now.millis()).execute(conn).await?;
    Ok(())
}

/// Clears completion secrets no browser collected, of payments fulfilled
/// before `before`.
pub async fn forget_pickups(conn: &mut AnyConnection, before: Timestamp) -> DbResult<u64> {
    let result = sqlx::query("UPDATE payment_attempts SET completion_pickup = NULL WHERE completion_pickup IS NOT NULL AND updated_at < $1")
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}

fn attempt_from_row(row: &sqlx::any::AnyRow) -> DbResult<AttemptRow> {
    let status: String = row.try_get("status")?;
    Ok(AttemptRow {
        id: row.try_get("id")?,
        basket_session_id: row.try_get("basket_session_id")?,
        key: row.try_get("idempotency_key")?,
        status: PaymentStatus::from_stored(&status).ok_or_else(|| decode_error(format_args!("payment status {status:?}")))?,
        session_id: row.try_get("gateway_reference")?,
        session_url: row.try_get("session_url")?,
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        expires_at: row.try_get::<Option<i64>, _>("expires_at")?.map(Timestamp::from_millis),
        owner_hash: row.try_get("owner_hash")?,
        invoice_id: row.try_get::<Option<i64>, _>("invoice_id")?.map(stored_invoice_id).transpose()?,
        payment_reference: row.try_get("payment_reference")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

fn encode_snapshot(snapshot: &Snapshot) -> String {
    let BillTo { name, email, address, city, postcode, country } = &snapshot.bill_to;
    serde_json::json!({
        "bill_to": {
            "name": name, "email": email.as_str(), "address": address,
            "city": city, "postcode": postcode, "country": country,
        },
        "items": snapshot.items.iter().map(|item| serde_json::json!({
            "description": item.description,
            "quantity": item.quantity,
            "unit_price_minor": item.unit_price_minor,
            "tax_rate_bp": item.tax_rate.basis_points(),
        })).collect::<Vec<_>>(),
        "locale": snapshot.locale.tag(),
    })
    .to_string()
}

fn decode_snapshot(raw: &str) -> Option<Snapshot> {
    let value: serde_json::Value = serde_json::from_str(raw).ok()?;
    let text = |object: &serde_json::Value, key: &str| object.get(key)?.as_str().map(str::to_owned);
    let bill_to = value.get("bill_to")?;
    let items = value.get("items")?.as_array()?;
    Some(Snapshot {
        bill_to: BillTo {
            name: text(bill_to, "name")?,
            email: text(bill_to, "email")?.parse().ok()?,
            address: text(bill_to, "address")?,
            city: text(bill_to, "city")?,
            postcode: text(bill_to, "postcode")?,
            country: text(bill_to, "country")?,
        },
        items: items
            .iter()
            .map(|item| {
                Some(LineItem {
                    description: text(item, "description")?,
                    quantity: u32::try_from(item.get("quantity")?.as_u64()?).ok()?,
                    unit_price_minor: item.get("unit_price_minor")?.as_i64()?,
                    tax_rate: TaxRate::from_stored(item.get("tax_rate_bp")?.as_i64()?)?,
                })
            })
            .collect::<Option<_>>()?,
        // Snapshots from before languages were English.
        locale: value.get("locale").and_then(|tag| tag.as_str()).map_or(Locale::FALLBACK, Locale::from_stored),
    })
}

/// Baskets with an open session that hold a product no longer for sale, or
/// more of one than its maximum: at most 50 a time, so a sweep pass stays
/// short (the next pass takes the rest).
pub async fn baskets_paying_for_unsellable(conn: &mut AnyConnection) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT a.basket_session_id FROM payment_attempts a
         JOIN basket_items i ON i.basket_session_id = a.basket_session_id
         JOIN products p ON p.id = i.product_id
         WHERE a.status = 'processing' AND (p.active = 0 OR p.archived_at IS NOT NULL OR i.quantity > p.max_quantity)
         LIMIT 50",
    )
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_reads_back_as_written() {
        let snapshot = Snapshot {
            bill_to: BillTo {
                name: "Ana \"Nó\" Silva".into(),
                email: "ana@example.com".parse().unwrap(),
                address: "Rua Augusta 1".into(),
                city: "Lisboa".into(),
                postcode: "1100-048".into(),
                country: "Portugal".into(),
            },
            items: vec![LineItem {
                description: "Day Pass".into(),
                quantity: 3,
                unit_price_minor: 2_500,
                tax_rate: TaxRate::from_basis_points(2_100).unwrap(),
            }],
            locale: "ar".parse().unwrap(),
        };
        assert_eq!(decode_snapshot(&encode_snapshot(&snapshot)), Some(snapshot.clone()));
        assert_eq!(decode_snapshot(r#"{"bill_to":{}}"#), None);
        // Written before languages: English.
        let mut old: serde_json::Value = serde_json::from_str(&encode_snapshot(&snapshot)).unwrap();
        old.as_object_mut().unwrap().remove("locale");
        assert_eq!(decode_snapshot(&old.to_string()).unwrap().locale, Locale::FALLBACK);
    }
}
