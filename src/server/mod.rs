//! Everything that runs only on the server.

pub mod accounts;
pub mod checkout;
pub mod checkout_api;
pub mod complete_page;
pub mod cookies;
pub mod config;
pub mod db;
pub mod guest_access;
pub mod health;
pub mod invoices_api;
pub mod mail;
pub mod metrics;
pub mod my_invoices;
pub mod passwords;
pub mod payment;
pub mod pdf;
pub mod portal_api;
pub mod purchase;
pub mod rate_limit;
pub mod respond;
pub mod rest;
pub mod security;
pub mod router;
pub mod state;
pub mod static_files;
pub mod store;

use std::sync::Arc;

use leptos::config::LeptosOptions;

use crate::domain::{Clock, SystemClock};
use config::Config;
use db::Db;
use guest_access::GuestAccess;
use state::{AppState, CookiePolicy};

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
    let outbox = mail::Outbox::new(db.clone(), clock.clone(), &config.mail, seller.clone(), mail.clone())?;
    Ok(AppState {
        leptos_options,
        checkout: checkout::Checkout::new(db.clone(), clock.clone(), config.policy, config.seller.currency, gateway, mail.clone()),
        accounts: accounts::Accounts::new(db.clone(), clock.clone(), config.accounts, mail.clone()),
        my_invoices: my_invoices::MyInvoices::new(db.clone()),
        outbox,
        guest_access: GuestAccess::new(db, clock, config.policy, config.accounts, mail),
        seller,
        cookies: CookiePolicy { secure: config.public_url.starts_with("https://") },
        trust_forwarded_for: config.trust_forwarded_for,
        bench_baseline: config.bench_baseline,
        limits: config.limits,
    })
}

/// The production clock.
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}
