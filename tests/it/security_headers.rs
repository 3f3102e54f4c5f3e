//! Browser security headers: a per-response nonce policy on pages, a
//! nothing-allowed policy elsewhere, COOP, Permissions-Policy and HSTS.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};

on_both_backends!(
    pages_carry_a_nonce_policy_that_covers_every_inline_script,
    other_responses_allow_nothing_to_run,
    hsts_only_when_the_public_url_is_https,
);

/// The nonce a page's policy names.
fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_owned()
}

async fn pages_carry_a_nonce_policy_that_covers_every_inline_script(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let mut nonces = Vec::new();
    for page in ["/".to_owned(), "/basket".to_owned(), "/account/sign-in".to_owned(), paid.complete_url(), "/no-such-page".to_owned()] {
        let reply = app.call(Method::GET, &page).await;
        let policy = reply.header("content-security-policy").to_owned();
        assert!(policy.contains("script-src 'self' 'nonce-") && policy.contains("'wasm-unsafe-eval'"), "{page}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{page}: {policy}");
        for directive in ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"] {
            assert!(policy.contains(directive), "{page}: {directive} missing from {policy}");
        }
        let nonce = nonce_of(&policy);
        let html = reply.text();
        // The islands' boot script comes from this origin ('self'); every
        // other script is inline and carries this response's nonce.
        let scripts = html.matches("<script").count();
        let from_this_origin = html.matches("<script type=\"module\" src=\"/pkg/boot/islands.").count();
        assert_eq!(from_this_origin, 1, "{page}: one islands boot script");
        assert_eq!(html.matches(&format!("<script nonce=\"{nonce}\"")).count() + from_this_origin, scripts, "{page}: every inline script carries this response's nonce");
        assert_eq!(reply.header("cross-origin-opener-policy"), "same-origin");
        assert!(reply.header("permissions-policy").contains("camera=()"));
        assert_eq!(reply.header("strict-transport-security"), "", "not over plain http");
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 5, "a fresh nonce for every response");
}

async fn other_responses_allow_nothing_to_run(backend: Backend) {
    let app = TestApp::new(backend).await;
    for reply in [
        app.register(1, "not-a-token").await,
        app.call(Method::GET, "/health/live").await,
        app.call(Method::POST, "/checkout/api/basket").await,
    ] {
        assert_eq!(reply.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        assert_eq!(reply.header("cross-origin-opener-policy"), "same-origin");
    }
}

async fn hsts_only_when_the_public_url_is_https(backend: Backend) {
    let app = TestApp::with_env(backend, &[("PUBLIC_URL", "https://billing.example.com")]).await;
    for path in ["/", "/health/live"] {
        let reply = app.call(Method::GET, path).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("strict-transport-security"), "max-age=31536000", "{path}");
    }
}
