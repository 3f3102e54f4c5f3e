//! The adapters behind the `#[server]` stubs in `crate::api`: each reads the
//! request's cookies, calls its service and decides the response's status,
//! cookies and caching. They run inside leptos_axum's request context.
//!
//! Shared here: typed errors get their HTTP status, secret-bearing answers
//! are never cached, and a plain form post is told apart from the page's fetch.

pub mod checkout;
pub mod guest_access;
pub mod portal;

use axum::http::{header, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;

use crate::api::HttpStatus;

/// Gives an error its HTTP status when the function was called over HTTP
/// (the page's fetch decodes typed errors from any 4xx/5xx). A plain form
/// post keeps leptos' redirect back to the page, and a page render that calls
/// the function directly decides its own status, except that a page whose
/// data could not be loaded at all (the database is unavailable) is a 503:
/// a load balancer or a crawler must not take it for a good page.
pub fn with_status<T, E: HttpStatus>(result: Result<T, E>) -> Result<T, E> {
    if let Err(error) = &result {
        let status = error.status();
        let applies = if called_over_http() { !submitted_without_javascript() } else { status == 503 };
        if let (true, Some(response), Ok(status)) =
            (applies, use_context::<leptos_axum::ResponseOptions>(), StatusCode::from_u16(status))
        {
            response.set_status(status);
            if let Some(seconds) = error.retry_after_seconds() {
                response.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
        }
    }
    result
}

/// Marks the response as not cacheable.
pub fn no_store() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// True inside a server-function request (always a POST here), false while a
/// page (a GET) is rendered on the server.
fn called_over_http() -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|parts| parts.method == axum::http::Method::POST)
}

/// True for a browser's plain form submission: it asks for HTML, where the
/// hydrated page's fetch asks for JSON (the same test leptos uses to redirect).
pub fn submitted_without_javascript() -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// `page` (a path with query) plus the error of the server function at
/// `path`, encoded the way leptos does for a failed form post (read back by
/// `pages::form::posted_error` when the page is rendered): where a plain
/// form post is sent when it fails.
pub fn failure_path_for<E: FromServerFnError + Clone>(path: &str, page: &str, error: &E) -> String {
    let base = url::Url::parse("http://page.invalid/").expect("static URL parses");
    let Ok(page) = base.join(page) else {
        return page.to_owned();
    };
    let with_error = ServerFnUrlError::new(path, error.clone())
        .to_url(page.as_str())
        .unwrap_or(page);
    match with_error.query() {
        Some(query) => format!("{}?{query}", with_error.path()),
        None => with_error.path().to_owned(),
    }
}
