//! The client's address, for rate limits: from inside server functions (the
//! request is in context) and as an axum extractor for the REST handlers.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use leptos::prelude::use_context;

use crate::server::http::state::AppState;

/// The client's address, when the server runs with connection info.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip_of(&parts.extensions, &parts.headers, state.trust_forwarded_for)))
    }
}

/// The client's address, for rate limits (see `client_ip_of`).
pub fn client_ip() -> Option<std::net::IpAddr> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let trust_forwarded = use_context::<AppState>().is_some_and(|s| s.trust_forwarded_for);
    client_ip_of(&parts.extensions, &parts.headers, trust_forwarded)
}

/// The client's address: the connection's peer, or, behind a reverse proxy
/// that is trusted to set it (`TRUST_FORWARDED_FOR=1`), the last address in
/// `X-Forwarded-For` (the one that proxy saw; earlier entries are the client's word).
pub fn client_ip_of(
    extensions: &axum::http::Extensions,
    headers: &axum::http::HeaderMap,
    trust_forwarded: bool,
) -> Option<std::net::IpAddr> {
    if trust_forwarded {
        // Only the last entry was written by the trusted proxy; if it is not
        // a plain address, fall back to the peer rather than to an earlier,
        // client-written entry.
        // Read as bytes: a client's non-UTF-8 entry in the line the proxy
        // appends to must not hide the proxy's own entry at its end.
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|line| line.as_bytes().rsplit(|b| *b == b',').next())
            .and_then(|entry| std::str::from_utf8(entry).ok())
            .and_then(|ip| ip.trim().parse().ok());
        if last.is_some() {
            return last;
        }
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_counts_only_when_trusted() {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([10, 0, 0, 1], 4000))));
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, 203.0.113.9"));
        assert_eq!(client_ip_of(&extensions, &headers, false), Some([10, 0, 0, 1].into()));
        assert_eq!(client_ip_of(&extensions, &headers, true), Some([203, 0, 113, 9].into()));
        assert_eq!(client_ip_of(&extensions, &axum::http::HeaderMap::new(), true), Some([10, 0, 0, 1].into()));
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, unknown"));
        assert_eq!(client_ip_of(&extensions, &headers, true), Some([10, 0, 0, 1].into()), "never an earlier, client-written entry");
        // A client's bytes that are not UTF-8, in the line the proxy appended to.
        headers.insert("x-forwarded-for", HeaderValue::from_bytes(b"\xff\xfe, 203.0.113.9").unwrap());
        assert_eq!(client_ip_of(&extensions, &headers, true), Some([203, 0, 113, 9].into()));
        // Several lines: the proxy's is the last.
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1"));
        headers.append("x-forwarded-for", HeaderValue::from_static("198.51.100.4"));
        assert_eq!(client_ip_of(&extensions, &headers, true), Some([198, 51, 100, 4].into()));
    }
}
