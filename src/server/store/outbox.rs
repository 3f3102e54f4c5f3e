//! SQL for the email outbox. Rows are claimed one at a time with a
//! conditional UPDATE and a lease, so two workers (in one process or in two
//! app instances) never hold the same message.

use sqlx::{AnyConnection, Row};

use super::DbResult;
use crate::domain::{InvoiceId, Timestamp};

/// An email ready to be queued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The invoice whose PDF goes with the message, rendered when it is sent.
    pub attachment: Option<InvoiceId>,
}

/// A message this worker now holds until `claimed_until`.
#[derive(Debug, Clone)]
pub struct ClaimedEmail {
    pub id: i64,
    pub email: OutgoingEmail,
    /// Including this one.
    pub attempts: i64,
}

pub const ENQUEUE: &str =
    "INSERT INTO outbox (recipient, subject, text_body, html_body, created_at, status, attempts, next_attempt_at,
                         attachment_invoice_id)
     VALUES ($1, $2, $3, $4, $5, 'pending', 0, $5, $6)
     RETURNING id";

pub async fn enqueue(conn: &mut AnyConnection, email: &OutgoingEmail, now: Timestamp) -> DbResult<i64> {
    sqlx::query_scalar(ENQUEUE)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(now.millis())
    .bind(email.attachment.map(InvoiceId::get))
    .fetch_one(conn)
    .await
}

/// Claims up to `limit` due messages: first any held by a worker whose lease
/// ran out (it crashed; there are few), then pending ones, oldest first, so
/// a backlog cannot hold back a crashed worker's messages. The condition is
/// repeated outside the subquery, so rows another worker claimed first (on
/// PostgreSQL: after waiting for its row locks) are not taken again; as a
/// `CASE`, so that no planner searches by it instead of by the ids.
///
/// Each kind is its own ordered, limited search of `outbox_due`, like
/// `has_due`: an `OR` of the two made PostgreSQL combine bitmaps of the
/// index, which visits the table for every older version of every message
/// until a vacuum (6 ms a claim after 8,000 sent messages, growing).
pub async fn claim_due(
    conn: &mut AnyConnection,
    claim_token: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> DbResult<Vec<ClaimedEmail>> {
    let rows = sqlx::query(
        "UPDATE outbox SET status = 'sending', claim_token = $1, claimed_until = $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM (SELECT id FROM outbox WHERE status = 'sending' AND claimed_until < $3
                                      ORDER BY next_attempt_at LIMIT $4) AS lapsed
                      UNION ALL
                      SELECT id FROM (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3
                                      ORDER BY next_attempt_at LIMIT $4) AS pending
                      LIMIT $4)
           AND CASE status WHEN 'pending' THEN next_attempt_at <= $3 WHEN 'sending' THEN claimed_until < $3 ELSE FALSE END
         RETURNING id, recipient, subject, text_body, html_body, attempts, attachment_invoice_id",
    )
    .bind(claim_token)
    .bind(lease_until.millis())
    .bind(now.millis())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let mut claimed: Vec<ClaimedEmail> = rows
        .iter()
        .map(|row| {
            Ok(ClaimedEmail {
                id: row.try_get("id")?,
                email: OutgoingEmail {
                    to: row.try_get("recipient")?,
                    subject: row.try_get("subject")?,
                    text: row.try_get("text_body")?,
                    html: row.try_get("html_body")?,
                    attachment: row
                        .try_get::<Option<i64>, _>("attachment_invoice_id")?
                        .map(|id| InvoiceId::new(id).map_err(|e| sqlx::Error::Decode(e.into())))
                        .transpose()?,
                },
                attempts: row.try_get("attempts")?,
            })
        })
        .collect::<DbResult<_>>()?;
    // RETURNING follows no ORDER BY; send in queue order.
    claimed.sort_by_key(|message| message.id);
    Ok(claimed)
}

/// How much mail is waiting to go out now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Pending messages whose time has come.
    pub due: i64,
    /// How long the oldest of them has waited (zero when none).
    pub oldest_due_age: std::time::Duration,
}

pub async fn backlog(conn: &mut AnyConnection, now: Timestamp) -> DbResult<Backlog> {
    let row = sqlx::query("SELECT COUNT(*) AS due, MIN(next_attempt_at) AS oldest FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1")
        .bind(now.millis())
        .fetch_one(conn)
        .await?;
    let oldest: Option<i64> = row.try_get("oldest")?;
    let waited = oldest.map_or(0, |oldest| now.millis().saturating_sub(oldest).max(0));
    Ok(Backlog { due: row.try_get("due")?, oldest_due_age: std::time::Duration::from_millis(u64::try_from(waited).unwrap_or(0)) })
}

/// Whether any message could be claimed now (one more pass is worth it).
/// Two index searches, not one `OR`: without fresh statistics PostgreSQL
/// answered the `OR … LIMIT 1` with a scan of the whole table, every sent
/// message included, on every pass of the worker.
pub async fn has_due(conn: &mut AnyConnection, now: Timestamp) -> DbResult<bool> {
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
         UNION ALL
         SELECT id FROM outbox WHERE status = 'sending' AND claimed_until < $1
         LIMIT 1",
    )
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    Ok(due.is_some())
}

/// Records the delivery of `ids`, all of this claim, in one statement; how
/// many were still held by it (the rest were taken over after their lease
/// ran out). The bodies are dropped: they carried single-use links, and a
/// delivered message needs only its envelope for the record.
pub async fn mark_sent(conn: &mut AnyConnection, ids: &[i64], claim_token: &str, now: Timestamp) -> DbResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let ids_list = (3..ids.len() + 3).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "UPDATE outbox SET status = 'sent', sent_at = $2, text_body = '', html_body = '', claim_token = NULL,
             claimed_until = NULL, last_error = NULL
         WHERE claim_token = $1 AND status = 'sending' AND id IN ({ids_list})"
    );
    let mut query = sqlx::query(&sql).bind(claim_token).bind(now.millis());
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.execute(conn).await?.rows_affected())
}

/// Puts a message back for another attempt at `retry_at`.
pub async fn mark_retry(conn: &mut AnyConnection, id: i64, claim_token: &str, retry_at: Timestamp, error: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $3, last_error = $4, claim_token = NULL, claimed_until = NULL
         WHERE id = $1 AND claim_token = $2 AND status = 'sending'",
    )
    .bind(id)
    .bind(claim_token)
    .bind(retry_at.millis())
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives up on a message for good. Its bodies are dropped too: a link in them may still be valid.
pub async fn mark_failed(conn: &mut AnyConnection, id: i64, claim_token: &str, error: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $3, claim_token = NULL, claimed_until = NULL,
             text_body = '', html_body = ''
         WHERE id = $1 AND claim_token = $2 AND status = 'sending'",
    )
    .bind(id)
    .bind(claim_token)
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}
