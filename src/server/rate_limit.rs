//! Rate limits on sign-in and on emailed-link requests, counted in the
//! database so every app instance shares them. Buckets are keyed by the
//! normalised email typed (whether or not it has an account, so the limit
//! itself reveals nothing) and by the client address when it is known.

use std::net::IpAddr;
use std::time::Duration;

use crate::domain::{Email, Timestamp};
use crate::server::db::Db;
use crate::server::store::rate_limits;

/// A fixed window: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

/// Password sign-in (the portal form and the OAuth password grant).
pub const SIGN_IN_PER_EMAIL: Limit = Limit { name: "sign-in:email", max: 10, window: Duration::from_secs(15 * 60) };
pub const SIGN_IN_PER_CLIENT: Limit = Limit { name: "sign-in:client", max: 50, window: Duration::from_secs(15 * 60) };
/// Requests for an emailed sign-in or reset link.
pub const LINKS_PER_EMAIL: Limit = Limit { name: "links:email", max: 3, window: Duration::from_secs(15 * 60) };
pub const LINKS_PER_CLIENT: Limit = Limit { name: "links:client", max: 20, window: Duration::from_secs(15 * 60) };

/// Over the limit: when the current window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: Duration,
}

impl Limited {
    pub fn minutes(self) -> u64 {
        self.retry_after.as_secs().div_ceil(60).max(1)
    }
}

/// Counts one attempt against the per-email and per-client limits.
pub async fn check(
    db: &Db,
    now: Timestamp,
    email: &Email,
    client: Option<IpAddr>,
    per_email: Limit,
    per_client: Limit,
) -> Result<Result<(), Limited>, sqlx::Error> {
    let mut keys = vec![(per_email, email.normalized().to_owned())];
    if let Some(ip) = client {
        keys.push((per_client, ip.to_string()));
    }
    let mut tx = db.begin_write().await?;
    let mut verdict = Ok(());
    for (limit, key) in keys {
        let window_ms = i64::try_from(limit.window.as_millis()).unwrap_or(i64::MAX);
        let window_start = Timestamp::from_millis(now.millis() - now.millis().rem_euclid(window_ms));
        let hits = rate_limits::hit(&mut tx, &format!("{}:{key}", limit.name), window_start).await?;
        if hits > limit.max {
            let ends = window_start.millis() + window_ms;
            verdict = Err(Limited { retry_after: Duration::from_millis(u64::try_from(ends - now.millis()).unwrap_or(0)) });
        }
    }
    tx.commit().await?;
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_minutes() {
        assert_eq!(Limited { retry_after: Duration::from_secs(61) }.minutes(), 2);
        assert_eq!(Limited { retry_after: Duration::from_secs(1) }.minutes(), 1);
        assert_eq!(Limited { retry_after: Duration::from_secs(900) }.minutes(), 15);
    }
}
