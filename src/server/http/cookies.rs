//! Reading and setting the app's cookies from inside server functions and
//! page renders (leptos_axum puts the request and response in context).

use axum::http::{header, HeaderValue};
use leptos::prelude::*;

use crate::server::http::state::{AppState, CookiePolicy};

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
    if let (Some(response), Some(value)) = (use_context::<leptos_axum::ResponseOptions>(), set_cookie_header(name, value, path, secure, max_age)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The `Set-Cookie` value `set` sends; `None` if `value` cannot be a header.
fn set_cookie_header(name: &str, value: &str, path: &str, secure: bool, max_age: Option<std::time::Duration>) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = max_age.map(|age| format!("; Max-Age={}", age.as_secs())).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax{max_age}{secure}")).ok()
}

/// For plain axum handlers and middleware: the `Set-Cookie` value that sets
/// site cookie `cookie` for `max_age`.
pub fn setting_site_header(policy: CookiePolicy, cookie: SiteCookie, value: &str, max_age: std::time::Duration) -> Option<HeaderValue> {
    set_cookie_header(policy.name(cookie), value, "/", policy.secure, Some(max_age))
}

/// For plain axum handlers: the `Set-Cookie` value that drops site cookie `cookie`.
pub fn clearing_site_header(policy: CookiePolicy, cookie: SiteCookie) -> Option<HeaderValue> {
    set_cookie_header(policy.name(cookie), "", "/", policy.secure, Some(std::time::Duration::ZERO))
}

/// Tells the browser to drop cookie `name`.
pub fn clear(name: &str, path: &str, secure: bool) {
    set(name, "", path, secure, Some(std::time::Duration::ZERO));
}

/// The value of site cookie `cookie` on the current request, under the name
/// this deployment gives it (only that one: over https an unprefixed cookie
/// may have been planted by a sibling subdomain).
pub fn read_site(cookie: SiteCookie) -> Option<String> {
    let policy = use_context::<AppState>()?.cookies;
    read(policy.name(cookie))
}

/// Sets site cookie `cookie` (`Path=/`, HttpOnly, SameSite=Lax) for `max_age`,
/// or for the browser session when `None`.
pub fn set_site(policy: CookiePolicy, cookie: SiteCookie, value: &str, max_age: Option<std::time::Duration>) {
    set(policy.name(cookie), value, "/", policy.secure, max_age);
}

/// Tells the browser to drop site cookie `cookie`.
pub fn clear_site(policy: CookiePolicy, cookie: SiteCookie) {
    clear(policy.name(cookie), "/", policy.secure);
}

/// A cookie of the whole site (`Path=/`), by its two names (see `CookiePolicy::name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteCookie {
    plain: &'static str,
    host_prefixed: &'static str,
}

/// The portal's sign-in session.
pub const SESSION_COOKIE: SiteCookie = SiteCookie { plain: "portal_session", host_prefixed: "__Host-portal_session" };
/// The guest's basket session.
pub const BASKET_COOKIE: SiteCookie = SiteCookie { plain: "basket_session", host_prefixed: "__Host-basket_session" };
/// A browser that has signed in to an account before (`rate_limit::Requester`).
/// The browser that started a payment (a secret per checkout session, set
/// by "Pay"): only it is sent to the hosted page and shown the outcome.
pub const PAYER_COOKIE: SiteCookie = SiteCookie { plain: "checkout_payer", host_prefixed: "__Host-checkout_payer" };
pub const DEVICE_COOKIE: SiteCookie = SiteCookie { plain: "portal_device", host_prefixed: "__Host-portal_device" };
/// The language a visitor chose with `?lang=` (`server::http::i18n`).
pub const LANGUAGE_COOKIE: SiteCookie = SiteCookie { plain: "lang", host_prefixed: "__Host-lang" };

impl CookiePolicy {
    pub fn new(secure: bool) -> Self {
        Self { secure }
    }

    /// The name `cookie` goes by: over https with the `__Host-` prefix, which
    /// browsers accept only from this host, `Secure`, with `Path=/` and no
    /// `Domain`, so a sibling subdomain can neither set nor overwrite it
    /// (session fixation, basket planting). Over http, as in development,
    /// the plain name: browsers refuse the prefix there.
    pub fn name(self, cookie: SiteCookie) -> &'static str {
        if self.secure { cookie.host_prefixed } else { cookie.plain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_cookies_take_the_host_prefix_over_https_only() {
        for cookie in [SESSION_COOKIE, BASKET_COOKIE, DEVICE_COOKIE] {
            assert_eq!(CookiePolicy::new(true).name(cookie), format!("__Host-{}", CookiePolicy::new(false).name(cookie)));
        }
    }
}
