//! Browser security headers. Pages get a Content-Security-Policy with a
//! fresh nonce per response (Leptos puts the same nonce on its hydration and
//! islands scripts); every other response gets a policy that allows nothing,
//! since JSON, PDFs and static files never need to run anything.

use axum::http::{header, HeaderName, HeaderValue};
use leptos::prelude::*;
use tower_http::set_header::SetResponseHeaderLayer;

/// Scripts only from this origin or carrying this response's nonce, wasm
/// compiled by them, and nothing framed, based or posted elsewhere.
pub fn page_policy(nonce: &str, live_reload: bool) -> String {
    // `cargo leptos watch` reloads the page over a WebSocket on its own port.
    let connect = if live_reload { "'self' ws: wss:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src {connect}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// For everything that is not a page.
const NOTHING_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// No camera, microphone, location, USB or payment handler for any page.
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), usb=(), payment=()";

/// Sets the page's policy, with the nonce of this render. Called by the shell.
pub fn send_page_policy() {
    let (Some(response), Some(nonce)) = (use_context::<leptos_axum::ResponseOptions>(), leptos::nonce::use_nonce()) else {
        return;
    };
    let live_reload = std::env::var_os("LEPTOS_WATCH").is_some();
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce.to_string(), live_reload)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The headers every response carries (unless a handler set its own).
/// `Strict-Transport-Security` only when the app is reached over https.
pub fn layers(https: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut layers = vec![
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(NOTHING_POLICY)),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ),
    ];
    if https {
        layers.push(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    layers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_only_this_origin_and_the_nonce() {
        let policy = page_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        for directive in ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'", "connect-src 'self';"] {
            assert!(policy.contains(directive), "{directive} missing: {policy}");
        }
        assert!(page_policy("n", true).contains("connect-src 'self' ws: wss:"));
    }
}
