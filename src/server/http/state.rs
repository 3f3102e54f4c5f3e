//! Shared application state; handlers take the parts they need via `FromRef`.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::domain::Clock;
use crate::server::config::RequestLimits;
use crate::server::db::Db;
use crate::server::housekeeping::Housekeeping;
use crate::server::http::health::DatabaseReadiness;
use crate::server::mail::Outbox;
use crate::server::passwords::Passwords;
use crate::server::metrics::ScrapeReads;
use crate::server::services::accounts::Accounts;
use crate::server::services::checkout::Checkout;
use crate::server::services::guest_access::GuestAccess;
use crate::server::services::my_invoices::MyInvoices;
use crate::server::services::payments::Payments;
use crate::server::services::shop::Shop;
use crate::server::payments::test_provider::TestProvider;
use crate::server::payments::stripe::WebhookSecrets;

/// What every handler and server function can reach. One `Arc`: leptos puts
/// the state into each request's context and hands out a clone at every
/// lookup, so a clone must be one reference count, not one per service.
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl AppState {
    pub fn new(parts: AppParts) -> Self {
        Self(Arc::new(parts))
    }
}

impl Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// The parts handlers extract with `State<Part>`.
macro_rules! parts_from_state {
    ($($field:ident: $part:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $part {
            fn from_ref(state: &AppState) -> Self {
                state.$field.clone()
            }
        })*
    };
}

parts_from_state!(
    leptos_options: LeptosOptions,
    db: Db,
    guest_access: GuestAccess,
    checkout: Checkout,
    payments: Payments,
    accounts: Accounts,
    my_invoices: MyInvoices,
    outbox: Outbox,
    housekeeping: Housekeeping,
    shop: Shop,
    cookies: CookiePolicy,
    passwords: Passwords,
    readiness: DatabaseReadiness,
    scrape_reads: ScrapeReads,
);

pub struct AppParts {
    pub leptos_options: LeptosOptions,
    /// For what reads the database itself: health probes and metrics.
    pub db: Db,
    pub guest_access: GuestAccess,
    pub checkout: Checkout,
    /// Paying on the hosted page, and fulfilling through any door.
    pub payments: Payments,
    /// The built-in test provider, whose hosted page the app serves, when it is the provider.
    pub test_payments: Option<TestProvider>,
    /// Stripe's webhook signing secrets, when Stripe is the provider.
    pub stripe_webhooks: Option<WebhookSecrets>,
    /// No real money moves (the test provider, or a Stripe test-mode key):
    /// every page shows the test-mode banner.
    pub test_mode: bool,
    /// The clock webhook signatures' timestamps are checked against.
    pub clock: Arc<dyn Clock>,
    pub accounts: Accounts,
    /// The bounded password hashing queue `accounts` uses (for its figures).
    pub passwords: Passwords,
    pub my_invoices: MyInvoices,
    /// Delivers queued email; `main` runs it in the background.
    pub outbox: Outbox,
    /// Deletes expired rows; `main` runs it in the background.
    pub housekeeping: Housekeeping,
    /// The operator's shop: its seller and look, its letterheads and logos.
    pub shop: Shop,
    pub cookies: CookiePolicy,
    /// Take the client address for rate limits from `X-Forwarded-For` (`TRUST_FORWARDED_FOR=1`).
    pub trust_forwarded_for: bool,
    /// `/health/ready`'s database check, kept for about a second.
    pub readiness: DatabaseReadiness,
    /// What `/metrics` reads from the database, kept for about a second.
    pub scrape_reads: ScrapeReads,
    /// Serve `/metrics` on the app's own port: true unless `METRICS_ADDR`
    /// gives it a listener of its own.
    pub metrics_on_app_port: bool,
    /// Serve `/__bench/baseline` (benchmarks only).
    pub bench_baseline: bool,
    pub limits: RequestLimits,
    /// The default locale, and whether the pseudo-locale is offered.
    pub languages: crate::server::i18n::negotiate::Offer,
}

/// How the app sets its cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    /// Add `Secure`: set when the public URL is https.
    pub secure: bool,
}
