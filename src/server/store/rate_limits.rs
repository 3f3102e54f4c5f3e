//! SQL for fixed-window rate-limit counters, shared by all app instances.

use sqlx::AnyConnection;

use super::DbResult;
use crate::domain::Timestamp;

/// Counts one hit on `bucket` in the window starting at `window_start`;
/// returns the hits in that window so far, this one included.
pub async fn hit(conn: &mut AnyConnection, bucket: &str, window_start: Timestamp) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start.millis())
    .fetch_one(conn)
    .await
}

/// The hits on `bucket` in the window starting at `window_start` so far (a read).
pub async fn hits(conn: &mut AnyConnection, bucket: &str, window_start: Timestamp) -> DbResult<i64> {
    let hits: Option<i64> = sqlx::query_scalar("SELECT hits FROM rate_limit_hits WHERE bucket = $1 AND window_start = $2")
        .bind(bucket)
        .bind(window_start.millis())
        .fetch_optional(conn)
        .await?;
    Ok(hits.unwrap_or(0))
}

/// Deletes windows that started before `before`.
pub async fn prune(conn: &mut AnyConnection, before: Timestamp) -> DbResult<u64> {
    let result = sqlx::query("DELETE FROM rate_limit_hits WHERE window_start < $1")
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}
