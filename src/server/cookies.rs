//! Reading and setting the app's cookies (and the client address) from inside server functions and
//! page renders (leptos_axum puts the request and response in context).

use axum::http::{header, HeaderValue};
use leptos::prelude::*;

/// The value of cookie `name` on the current request.
pub fn read(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    from_headers(&parts.headers, name)
}

/// The value of cookie `name` in request headers.
pub fn from_headers(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Sets an HttpOnly, SameSite=Lax session cookie (no expiry: it ends with the
/// browser session), `Secure` when the app is served over https.
pub fn set_session(name: &str, value: &str, path: &str, secure: bool) {
    set(name, value, path, secure, None);
}

/// Sets an HttpOnly, SameSite=Lax cookie that lasts `max_age` (or the browser
/// session when `None`), `Secure` when the app is served over https.
pub fn set(name: &str, value: &str, path: &str, secure: bool, max_age: Option<std::time::Duration>) {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = max_age.map(|age| format!("; Max-Age={}", age.as_secs())).unwrap_or_default();
    let cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax{max_age}{secure}");
    if let (Some(response), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// Tells the browser to drop cookie `name`.
pub fn clear(name: &str, path: &str, secure: bool) {
    set(name, "", path, secure, Some(std::time::Duration::ZERO));
}

/// The client's address, for rate limits (see `client_ip_of`).
pub fn client_ip() -> Option<std::net::IpAddr> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let trust_forwarded = use_context::<crate::server::state::AppState>().is_some_and(|s| s.trust_forwarded_for);
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
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
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
    }
}
