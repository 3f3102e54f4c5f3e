//! checkout-portal: guest checkout completion and customer portal.
//!
//! Layout (start-axum): `main.rs` is the server, this file the hydrate entry,
//! `app.rs` the HTML shell and routes. `pages` and `api` (what pages and
//! server agree on) build for both sides; `domain` and `server` are behind
//! the `ssr` feature.

pub mod api;
pub mod app;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only the `#[island]` components run in the browser; the page
    // around them stays the server's HTML.
    leptos::mount::hydrate_islands();
}
