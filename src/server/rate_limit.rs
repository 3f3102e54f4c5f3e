//! Rate limits on sign-in, on emailed-link requests and on "Set a password
//! now", counted in the database so every app instance shares them.
//!
//! Buckets are keyed by the normalised email typed (whether or not it has an
//! account, so the limit itself reveals nothing), by the client's network
//! (an IPv6 client by its /64, which one subscriber usually holds whole),
//! and, for a browser that has signed in to the account before, by its device
//! cookie instead (OWASP's "device cookies"): strangers who exhaust an
//! address's buckets do not lock its owner's browsers out, and each of those
//! has a ceiling of its own.
//!
//! A request is first checked against the counters with a read; only one that
//! is let through is counted, so a flood of refused requests costs no write.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::AnyConnection;

use crate::domain::{Email, InvoiceId, Timestamp, TokenHash};
use crate::server::store::rate_limits;

/// A fixed window: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window: Duration,
}

const FIFTEEN_MINUTES: Duration = Duration::from_secs(15 * 60);

/// Password sign-in (the portal form and the OAuth password grant) from a
/// browser not known to the account: per email from one client, per email
/// from anywhere (a ceiling against distributed guessing), and per client.
pub const SIGN_IN_PER_EMAIL_AND_CLIENT: Limit = Limit { name: "sign-in:email+client", max: 10, window: FIFTEEN_MINUTES };
pub const SIGN_IN_PER_EMAIL: Limit = Limit { name: "sign-in:email", max: 100, window: FIFTEEN_MINUTES };
pub const SIGN_IN_PER_CLIENT: Limit = Limit { name: "sign-in:client", max: 50, window: FIFTEEN_MINUTES };
/// Password sign-in from a browser that has signed in to this account
/// before: per browser, and per email from all of them together.
pub const SIGN_IN_PER_DEVICE: Limit = Limit { name: "sign-in:device", max: 10, window: FIFTEEN_MINUTES };
pub const SIGN_IN_PER_EMAIL_FROM_DEVICES: Limit = Limit { name: "sign-in:email-devices", max: 50, window: FIFTEEN_MINUTES };
/// Requests for an emailed sign-in or reset link: bounds the mail one
/// address can be sent (by unknown browsers together, and by its own
/// browsers together, each of those also on its own).
pub const LINKS_PER_EMAIL: Limit = Limit { name: "links:email", max: 5, window: FIFTEEN_MINUTES };
pub const LINKS_PER_CLIENT: Limit = Limit { name: "links:client", max: 20, window: FIFTEEN_MINUTES };
pub const LINKS_PER_DEVICE: Limit = Limit { name: "links:device", max: 5, window: FIFTEEN_MINUTES };
pub const LINKS_PER_EMAIL_FROM_DEVICES: Limit = Limit { name: "links:email-devices", max: 5, window: FIFTEEN_MINUTES };
/// "Set a password now": per purchase and per client.
pub const INLINE_PASSWORD_PER_INVOICE: Limit = Limit { name: "inline-password:invoice", max: 10, window: FIFTEEN_MINUTES };
pub const INLINE_PASSWORD_PER_CLIENT: Limit = Limit { name: "inline-password:client", max: 50, window: FIFTEEN_MINUTES };

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

/// Who is asking, as far as the limits tell clients apart.
#[derive(Debug, Clone, Copy)]
pub enum Requester<'a> {
    /// A browser holding a device cookie of the account the request is for.
    KnownDevice(&'a TokenHash),
    /// Anyone else, by address when the address is known.
    Unknown(Option<IpAddr>),
}

/// The key a client address counts under: an IPv4 address as it is, an IPv6
/// address by its /64 (an IPv4-mapped one as the IPv4 address).
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}

/// The buckets a password sign-in attempt counts against.
pub fn sign_in_buckets(email: &Email, requester: Requester<'_>) -> Vec<(Limit, String)> {
    match requester {
        Requester::KnownDevice(device) => vec![
            (SIGN_IN_PER_DEVICE, device.as_str().to_owned()),
            (SIGN_IN_PER_EMAIL_FROM_DEVICES, email.normalized().to_owned()),
        ],
        Requester::Unknown(client) => {
            let email = email.normalized();
            let mut buckets = vec![(SIGN_IN_PER_EMAIL, email.to_owned())];
            match client.map(client_key) {
                Some(client) => {
                    buckets.push((SIGN_IN_PER_EMAIL_AND_CLIENT, format!("{email}|{client}")));
                    buckets.push((SIGN_IN_PER_CLIENT, client));
                }
                None => buckets.push((SIGN_IN_PER_EMAIL_AND_CLIENT, email.to_owned())),
            }
            buckets
        }
    }
}

/// The buckets an emailed-link request counts against.
pub fn link_buckets(email: &Email, requester: Requester<'_>) -> Vec<(Limit, String)> {
    match requester {
        Requester::KnownDevice(device) => vec![
            (LINKS_PER_DEVICE, device.as_str().to_owned()),
            (LINKS_PER_EMAIL_FROM_DEVICES, email.normalized().to_owned()),
        ],
        Requester::Unknown(client) => {
            let mut buckets = vec![(LINKS_PER_EMAIL, email.normalized().to_owned())];
            if let Some(client) = client {
                buckets.push((LINKS_PER_CLIENT, client_key(client)));
            }
            buckets
        }
    }
}

/// The buckets a "Set a password now" post counts against.
pub fn inline_password_buckets(invoice: InvoiceId, client: Option<IpAddr>) -> Vec<(Limit, String)> {
    let mut buckets = vec![(INLINE_PASSWORD_PER_INVOICE, invoice.to_string())];
    if let Some(client) = client {
        buckets.push((INLINE_PASSWORD_PER_CLIENT, client_key(client)));
    }
    buckets
}

/// Whether every bucket still has room, without counting anything.
pub async fn check(conn: &mut AnyConnection, now: Timestamp, buckets: &[(Limit, String)]) -> Result<Result<(), Limited>, sqlx::Error> {
    verdict(conn, now, buckets, Attempt::Considered).await
}

/// Counts one attempt in every bucket, inside the caller's transaction.
pub async fn count(conn: &mut AnyConnection, now: Timestamp, buckets: &[(Limit, String)]) -> Result<Result<(), Limited>, sqlx::Error> {
    verdict(conn, now, buckets, Attempt::Counted).await
}

/// Whether the attempt is only being considered (a read) or is counted (a write).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attempt {
    Considered,
    Counted,
}

/// Limited if this attempt, counted with the hits so far, goes over any bucket's limit.
async fn verdict(conn: &mut AnyConnection, now: Timestamp, buckets: &[(Limit, String)], attempt: Attempt) -> Result<Result<(), Limited>, sqlx::Error> {
    let mut verdict = Ok(());
    for (limit, key) in buckets {
        let window = Window::of(limit, now);
        let bucket = bucket_name(limit, key);
        let with_this_one = match attempt {
            Attempt::Considered => rate_limits::hits(conn, &bucket, window.start).await? + 1,
            Attempt::Counted => rate_limits::hit(conn, &bucket, window.start).await?,
        };
        if with_this_one > limit.max {
            crate::server::metrics::rate_limited(limit.name);
            verdict = Err(window.limited(now));
        }
    }
    Ok(verdict)
}

fn bucket_name(limit: &Limit, key: &str) -> String {
    format!("{}:{key}", limit.name)
}

/// The fixed window `now` falls in.
struct Window {
    start: Timestamp,
    length_ms: i64,
}

impl Window {
    fn of(limit: &Limit, now: Timestamp) -> Self {
        let length_ms = i64::try_from(limit.window.as_millis()).unwrap_or(i64::MAX);
        Self { start: Timestamp::from_millis(now.millis() - now.millis().rem_euclid(length_ms)), length_ms }
    }

    fn limited(&self, now: Timestamp) -> Limited {
        let ends = self.start.millis().saturating_add(self.length_ms);
        Limited { retry_after: Duration::from_millis(u64::try_from(ends - now.millis()).unwrap_or(0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(buckets: Vec<(Limit, String)>) -> Vec<String> {
        buckets.into_iter().map(|(limit, key)| bucket_name(&limit, &key)).collect()
    }

    #[test]
    fn retry_after_rounds_up_to_whole_minutes() {
        assert_eq!(Limited { retry_after: Duration::from_secs(61) }.minutes(), 2);
        assert_eq!(Limited { retry_after: Duration::from_secs(1) }.minutes(), 1);
        assert_eq!(Limited { retry_after: Duration::from_secs(900) }.minutes(), 15);
    }

    #[test]
    fn unknown_browsers_count_per_email_and_client() {
        let email: Email = "Jane@Example.com".parse().unwrap();
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(
            keys(sign_in_buckets(&email, Requester::Unknown(Some(ip)))),
            ["sign-in:email:jane@example.com", "sign-in:email+client:jane@example.com|203.0.113.7", "sign-in:client:203.0.113.7"]
        );
        assert_eq!(keys(link_buckets(&email, Requester::Unknown(Some(ip)))), ["links:email:jane@example.com", "links:client:203.0.113.7"]);
    }

    #[test]
    fn a_known_device_counts_against_itself_and_the_accounts_devices() {
        let email: Email = "jane@example.com".parse().unwrap();
        let device = crate::domain::SecretToken::generate().hash();
        assert_eq!(
            keys(sign_in_buckets(&email, Requester::KnownDevice(&device))),
            [format!("sign-in:device:{}", device.as_str()), "sign-in:email-devices:jane@example.com".to_owned()]
        );
        assert_eq!(
            keys(link_buckets(&email, Requester::KnownDevice(&device))),
            [format!("links:device:{}", device.as_str()), "links:email-devices:jane@example.com".to_owned()]
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let key = |raw: &str| client_key(raw.parse().unwrap());
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7", "an IPv4-mapped address is its IPv4 address");
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn a_window_ends_on_its_boundary() {
        let now = Timestamp::from_millis(15 * 60 * 1000 * 7 + 1000);
        let window = Window::of(&SIGN_IN_PER_EMAIL, now);
        assert_eq!(window.start, Timestamp::from_millis(15 * 60 * 1000 * 7));
        assert_eq!(window.limited(now).retry_after, Duration::from_secs(15 * 60 - 1));
    }
}
