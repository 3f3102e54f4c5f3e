//! What every `#[server]` function does with its response: typed errors get
//! their HTTP status, and secret-bearing answers are never cached.

use axum::http::{header, HeaderValue, StatusCode};
use leptos::prelude::*;

use crate::checkout::CheckoutError;
use crate::guest_access::GuestAccessError;
use crate::portal::PortalError;
use crate::server::complete_page::submitted_without_javascript;

/// An error type with one HTTP status per variant.
pub trait ErrorStatus {
    fn http_status(&self) -> u16;
}

impl ErrorStatus for CheckoutError {
    fn http_status(&self) -> u16 {
        self.status()
    }
}

impl ErrorStatus for PortalError {
    fn http_status(&self) -> u16 {
        self.status()
    }
}

impl ErrorStatus for GuestAccessError {
    fn http_status(&self) -> u16 {
        self.status()
    }
}

/// Gives an error its HTTP status when the function was called over HTTP
/// (the page's fetch decodes typed errors from any 4xx/5xx). A plain form
/// post keeps leptos' redirect back to the page, and a page render that calls
/// the function directly decides its own status, except that a page whose
/// data could not be loaded at all (the database is unavailable) is a 503:
/// a load balancer or a crawler must not take it for a good page.
pub fn with_status<T, E: ErrorStatus>(result: Result<T, E>) -> Result<T, E> {
    if let Err(error) = &result {
        let status = error.http_status();
        let applies = if called_over_http() { !submitted_without_javascript() } else { status == 503 };
        if let (true, Some(response), Ok(status)) =
            (applies, use_context::<leptos_axum::ResponseOptions>(), StatusCode::from_u16(status))
        {
            response.set_status(status);
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
