//! Assembling the app from its configuration: connect (and migrate) the
//! database, build the services, hand them to the HTTP layer as `AppState`.

use std::sync::Arc;

use leptos::config::LeptosOptions;

use crate::domain::{Clock, SystemClock};
use crate::server::config::Config;
use crate::server::db::{self, Db};
use crate::server::housekeeping::Housekeeping;
use crate::server::http::health::DatabaseReadiness;
use crate::server::http::state::{AppParts, AppState, CookiePolicy};
use crate::server::services::{accounts::Accounts, checkout::Checkout, guest_access::GuestAccess, my_invoices::MyInvoices};
use crate::server::passwords::Passwords;
use crate::server::{mail, metrics, payment};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Mail(#[from] mail::MailSetupError),
}

/// Connects to the database (migrating it) and assembles the app state.
pub async fn build_state(config: &Config, leptos_options: LeptosOptions, clock: Arc<dyn Clock>) -> Result<AppState, StartupError> {
    metrics::install();
    let db = Db::connect(&config.database_url, &config.pool).await?;
    let gateway = Arc::new(payment::TestGateway::new(clock.clone()));
    let seller = Arc::new(config.seller.clone());
    let mail = mail::Mail::new(mail::Templates::new(&config.public_url, &seller));
    let passwords = Passwords::new(config.hashing);
    let outbox = mail::Outbox::new(db.clone(), clock.clone(), &config.mail, seller.clone(), mail.clone())?;
    Ok(AppState::new(AppParts {
        leptos_options,
        db: db.clone(),
        checkout: Checkout::new(db.clone(), clock.clone(), config.token_policy, config.seller.currency, gateway, mail.clone()),
        accounts: Accounts::new(db.clone(), clock.clone(), config.account_policy, mail.clone(), passwords.clone()),
        passwords,
        my_invoices: MyInvoices::new(db.clone()),
        outbox,
        housekeeping: Housekeeping::new(db.clone(), clock.clone()),
        readiness: DatabaseReadiness::new(db.clone(), clock.clone()),
        scrape_reads: metrics::ScrapeReads::new(db.clone(), clock.clone()),
        guest_access: GuestAccess::new(db, clock, config.token_policy, config.account_policy, mail),
        seller,
        cookies: CookiePolicy::new(config.public_url.starts_with("https://")),
        trust_forwarded_for: config.trust_forwarded_for,
        metrics_on_app_port: config.metrics_addr.is_none(),
        bench_baseline: config.bench_baseline,
        limits: config.limits,
    }))
}

/// The production clock.
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}
