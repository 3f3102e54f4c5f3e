//! checkout-portal: guest checkout completion and customer portal.
//!
//! Layout (start-axum): `main.rs` is the server, this file the hydrate entry,
//! `app.rs` the HTML shell and routes. Server-only code lives in `server`
//! behind the `ssr` feature.

pub mod app;
pub mod checkout;
pub mod guest_access;
pub mod pages;
pub mod portal;

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
