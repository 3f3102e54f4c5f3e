//! What the pages and the server agree on, compiled into both: view types,
//! typed errors and the `#[server]` function stubs. Each module pairs with its
//! adapter in `server::http::server_fns` and its service in `server::services`.

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
