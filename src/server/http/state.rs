//! Shared application state; handlers take the parts they need via `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::server::config::{RequestLimits, Seller};
use crate::server::db::Db;
use crate::server::housekeeping::Housekeeping;
use crate::server::mail::Outbox;
use crate::server::services::accounts::Accounts;
use crate::server::services::checkout::Checkout;
use crate::server::services::guest_access::GuestAccess;
use crate::server::services::my_invoices::MyInvoices;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// For what reads the database itself: health probes and metrics.
    pub db: Db,
    pub guest_access: GuestAccess,
    pub checkout: Checkout,
    pub accounts: Accounts,
    pub my_invoices: MyInvoices,
    /// Delivers queued email; `main` runs it in the background.
    pub outbox: Outbox,
    /// Deletes expired rows; `main` runs it in the background.
    pub housekeeping: Housekeeping,
    pub seller: Arc<Seller>,
    pub cookies: CookiePolicy,
    /// Take the client address for rate limits from `X-Forwarded-For` (`TRUST_FORWARDED_FOR=1`).
    #[from_ref(skip)]
    pub trust_forwarded_for: bool,
    /// Serve `/__bench/baseline` (benchmarks only).
    pub bench_baseline: bool,
    #[from_ref(skip)]
    pub limits: RequestLimits,
}

/// How the app sets its cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    /// Add `Secure`: set when the public URL is https.
    pub secure: bool,
}
