//! The use cases. Each service owns its transactions, takes parsed domain
//! types and is called by both the `#[server]` adapters and the REST handlers.

pub mod accounts;
pub mod checkout;
pub mod guest_access;
pub mod my_invoices;
pub mod payments;
pub mod purchase;
pub mod shop;

use crate::api::checkout::CheckoutError;
use crate::api::guest_access::GuestAccessError;
use crate::api::portal::PortalError;

/// A failure the caller cannot fix (the database, a background task, stored
/// data that does not parse). It is logged where it happens, never with
/// request data, and every service's error answers it as its `Unavailable`
/// (a 503 with Retry-After).
#[derive(Debug)]
pub struct Unavailable;

/// Logs `error` and hides it from the caller: `.map_err(unavailable)?`.
pub fn unavailable(error: impl std::fmt::Display) -> Unavailable {
    tracing::error!(%error, "request failed on the server side");
    Unavailable
}

impl From<Unavailable> for CheckoutError {
    fn from(_: Unavailable) -> Self {
        Self::Unavailable
    }
}

impl From<Unavailable> for GuestAccessError {
    fn from(_: Unavailable) -> Self {
        Self::Unavailable
    }
}

impl From<Unavailable> for PortalError {
    fn from(_: Unavailable) -> Self {
        Self::Unavailable
    }
}
