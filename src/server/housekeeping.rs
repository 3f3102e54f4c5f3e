//! Housekeeping: rows that can never be used again (rate-limit windows,
//! expired sessions, links and device cookies, and baskets that never got
//! details) are deleted now and then, so the tables that
//! every sign-in reads stay small. Every instance may run it; the deletes are
//! idempotent.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::Clock;
use crate::server::db::Db;
use crate::server::store;

/// How often expired rows are deleted.
pub const PRUNE_EVERY: Duration = Duration::from_secs(30 * 60);
/// Rows are kept this long after they expire: late requests that carry them
/// still get "expired" rather than "unknown" in the meantime.
const KEEP_EXPIRED: Duration = Duration::from_secs(24 * 60 * 60);
/// A basket that got no details within this long is abandoned: its cookie
/// ends with the browser session, and a cookieless "add to basket" (a bot)
/// leaves one per request.
pub const ABANDONED_BASKET_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Clone)]
pub struct Housekeeping {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl Housekeeping {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// Deletes what expired over a day ago; returns how many rows went.
    pub async fn prune_expired(&self) -> Result<u64, sqlx::Error> {
        let before = self.clock.now().minus(KEEP_EXPIRED);
        let mut tx = self.db.begin_write().await?;
        let windows = store::rate_limits::prune(&mut tx, before).await?;
        let sessions_and_links = store::accounts::prune_expired(&mut tx, before).await?;
        let baskets = store::baskets::prune_abandoned(&mut tx, self.clock.now().minus(ABANDONED_BASKET_AFTER)).await?;
        tx.commit().await?;
        Ok(windows + sessions_and_links + baskets)
    }

    /// Runs forever: prunes at start and every `PRUNE_EVERY`. Stopping is
    /// dropping the task; an interrupted prune rolls back and loses nothing.
    pub async fn run(self) {
        let mut every = tokio::time::interval(PRUNE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match self.prune_expired().await {
                Ok(pruned) => tracing::debug!(pruned, "pruned expired rate limits, sessions, links and abandoned baskets"),
                Err(error) => tracing::warn!(%error, "could not prune expired rate limits, sessions, links and abandoned baskets"),
            }
        }
    }
}
