//! What the pages and the server agree on, compiled into both: view types,
//! typed errors and the `#[server]` function stubs. Each module pairs with its
//! adapter in `server::http::server_fns` and its service in `server::services`.
//!
//! The typed errors carry codes, never free text: every message a page shows
//! is written here, chosen by the error's variant, because a failed form post
//! comes back to its page with the error in the URL, where anyone can write
//! one. A code a URL makes up does not decode.

pub mod checkout;
pub mod guest_access;
pub mod portal;

/// An error type with one HTTP status per variant: the status a server
/// function answers with, and the REST envelope's.
pub trait HttpStatus {
    fn status(&self) -> u16;

    /// Seconds a client should wait before trying again (`Retry-After`), when that is known.
    fn retry_after_seconds(&self) -> Option<u64> {
        None
    }
}

/// An error type with a `Transport` variant: the call failed before the
/// app answered (network, encoding). It is also what leptos makes of an
/// error in a URL that does not decode, so it is never the app's own answer.
pub trait TransportFailure {
    fn is_transport(&self) -> bool;
}
