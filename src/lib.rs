//! checkout-portal: guest checkout completion and customer portal.
//!
//! Layout (start-axum): `main.rs` is the server, this file the hydrate entry,
//! `app.rs` the HTML shell and routes. `pages` and `api` (what pages and
//! server agree on) build for both sides; `domain` and `server` are behind
//! the `ssr` feature.

// The pages' view types nest deeply (every element is a type); rustc's
// default limit is too low to lay out the largest page's render future.
#![recursion_limit = "256"]

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
