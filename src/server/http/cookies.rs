//! Reading and setting the app's cookies from inside server functions and
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
