//! Rate limits on sign-in and on emailed-link requests, counted in the
//! database so every app instance shares them. Buckets are keyed by the
//! normalised email typed (whether or not it has an account, so the limit
//! itself reveals nothing) and by the client address when it is known.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::AnyConnection;

use crate::domain::{Email, Timestamp};
use crate::server::store::rate_limits;

/// A fixed window: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

/// Password sign-in (the portal form and the OAuth password grant): per
/// email from one client, per email from anywhere (a ceiling against
/// distributed guessing, high enough that a stranger cannot easily lock the
/// owner out), and per client.
pub const SIGN_IN_PER_EMAIL_AND_CLIENT: Limit = Limit { name: "sign-in:email+client", max: 10, window: Duration::from_secs(15 * 60) };
pub const SIGN_IN_PER_EMAIL: Limit = Limit { name: "sign-in:email", max: 100, window: Duration::from_secs(15 * 60) };
pub const SIGN_IN_PER_CLIENT: Limit = Limit { name: "sign-in:client", max: 50, window: Duration::from_secs(15 * 60) };
/// Requests for an emailed sign-in or reset link: bounds the mail one address can be sent.
pub const LINKS_PER_EMAIL: Limit = Limit { name: "links:email", max: 5, window: Duration::from_secs(15 * 60) };
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

/// The buckets a sign-in attempt counts against.
pub fn sign_in_buckets(email: &Email, client: Option<IpAddr>) -> Vec<(Limit, String)> {
    let mut buckets = vec![(SIGN_IN_PER_EMAIL, email.normalized().to_owned())];
    if let Some(ip) = client {
        buckets.push((SIGN_IN_PER_EMAIL_AND_CLIENT, format!("{}|{ip}", email.normalized())));
        buckets.push((SIGN_IN_PER_CLIENT, ip.to_string()));
    } else {
        buckets.push((SIGN_IN_PER_EMAIL_AND_CLIENT, email.normalized().to_owned()));
    }
    buckets
}

/// The buckets an emailed-link request counts against.
pub fn link_buckets(email: &Email, client: Option<IpAddr>) -> Vec<(Limit, String)> {
    let mut buckets = vec![(LINKS_PER_EMAIL, email.normalized().to_owned())];
    if let Some(ip) = client {
        buckets.push((LINKS_PER_CLIENT, ip.to_string()));
    }
    buckets
}

/// Counts one attempt in every bucket, inside the caller's transaction.
pub async fn count(conn: &mut AnyConnection, now: Timestamp, buckets: &[(Limit, String)]) -> Result<Result<(), Limited>, sqlx::Error> {
    let mut verdict = Ok(());
    for (limit, key) in buckets {
        let window_ms = i64::try_from(limit.window.as_millis()).unwrap_or(i64::MAX);
        let window_start = Timestamp::from_millis(now.millis() - now.millis().rem_euclid(window_ms));
        let hits = rate_limits::hit(conn, &format!("{}:{key}", limit.name), window_start).await?;
        if hits > limit.max {
            crate::server::metrics::rate_limited(limit.name);
            let ends = window_start.millis() + window_ms;
            verdict = Err(Limited { retry_after: Duration::from_millis(u64::try_from(ends - now.millis()).unwrap_or(0)) });
        }
    }
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

    #[test]
    fn sign_in_counts_per_email_and_client_when_the_client_is_known() {
        let email: Email = "Jane@Example.com".parse().unwrap();
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let keys: Vec<_> = sign_in_buckets(&email, Some(ip)).into_iter().map(|(l, k)| format!("{}:{k}", l.name)).collect();
        assert_eq!(keys, ["sign-in:email:jane@example.com", "sign-in:email+client:jane@example.com|203.0.113.7", "sign-in:client:203.0.113.7"]);
    }
}
