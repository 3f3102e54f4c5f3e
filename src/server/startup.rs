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
use crate::server::config::PaymentSettings;
use crate::server::payments::stripe::{StripeProvider, WebhookSecrets};
use crate::server::payments::test_provider::TestProvider;
use crate::server::payments::{PaymentProvider, ProviderKind};
use crate::server::services::payments::Payments;
use crate::server::services::shop::Shop;
use crate::server::{mail, metrics};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Mail(#[from] mail::MailSetupError),
    #[error("payments: {0}")]
    Payments(String),
    #[error("SHOP_FILE: {0}")]
    ShopFile(String),
    #[error("the shop: {0}")]
    Shop(#[from] sqlx::Error),
}

/// Connects to the database (migrating it) and assembles the app state.
pub async fn build_state(config: &Config, leptos_options: LeptosOptions, clock: Arc<dyn Clock>) -> Result<AppState, StartupError> {
    metrics::install();
    let db = Db::connect(&config.database_url, &config.pool).await?;
    let shop = Shop::start(db.clone(), clock.clone(), config.seller.clone()).await?;
    // Told to the database, so a shell's apply checks the currency against it.
    shop.record_provider(ProviderKind::of(&config.payments)).await?;
    if let Some(path) = &config.shop_file {
        apply_shop_file(&shop, path).await?;
    }
    if let Some(problem) = crate::server::payments::currency_problem(ProviderKind::of(&config.payments), shop.current().seller.currency) {
        return Err(StartupError::Payments(problem));
    }
    let mail = mail::Mail::new(mail::Templates::new(&config.public_url, shop.cell()));
    let (provider, test_payments, stripe_webhooks): (Arc<dyn PaymentProvider>, _, _) = match &config.payments {
        PaymentSettings::Test => {
            let test = TestProvider::new(clock.clone());
            (Arc::new(test.clone()), Some(test), None)
        }
        PaymentSettings::Stripe { secret_key, webhook_secrets, api_base } => {
            let stripe = StripeProvider::new(secret_key, api_base).map_err(StartupError::Payments)?;
            (Arc::new(stripe), None, Some(WebhookSecrets::new(webhook_secrets.clone())))
        }
    };
    let payments = Payments::new(
        db.clone(),
        clock.clone(),
        provider,
        config.token_policy,
        shop.clone(),
        mail.clone(),
        &config.public_url,
    );
    let passwords = Passwords::new(config.hashing);
    let outbox = mail::Outbox::new(db.clone(), clock.clone(), &config.mail, shop.clone(), mail.clone())?;
    Ok(AppState::new(AppParts {
        leptos_options,
        db: db.clone(),
        checkout: Checkout::new(db.clone(), clock.clone(), shop.cell(), payments.clone()),
        payments,
        test_payments,
        stripe_webhooks,
        clock: clock.clone(),
        accounts: Accounts::new(db.clone(), clock.clone(), config.account_policy, mail.clone(), passwords.clone()),
        passwords,
        my_invoices: MyInvoices::new(db.clone()),
        outbox,
        housekeeping: Housekeeping::new(db.clone(), clock.clone()),
        readiness: DatabaseReadiness::new(db.clone(), clock.clone()),
        scrape_reads: metrics::ScrapeReads::new(db.clone(), clock.clone()),
        guest_access: GuestAccess::new(db, clock, config.token_policy, config.account_policy, mail),
        shop,
        cookies: CookiePolicy::new(crate::server::config::is_https(&config.public_url)),
        test_mode: config.payments.is_test_mode(),
        trust_forwarded_for: config.trust_forwarded_for,
        metrics_on_app_port: config.metrics_addr.is_none(),
        bench_baseline: config.bench_baseline,
        languages: config.languages,
        limits: config.limits,
    }))
}

/// `SHOP_FILE` at start: applied before the first request, or no start at
/// all if the file has any problem.
async fn apply_shop_file(shop: &Shop, path: &std::path::Path) -> Result<(), StartupError> {
    let file = crate::server::shop::file::read(path).map_err(|errors| StartupError::ShopFile(format!("\n{errors}")))?;
    let plan = shop.apply(&file).await.map_err(|error| StartupError::ShopFile(error.to_string()))?;
    if plan.is_empty() {
        tracing::info!(file = %path.display(), "the shop already matches SHOP_FILE");
    } else {
        tracing::info!(
            file = %path.display(),
            added = plan.added.len(),
            changed = plan.changed.len(),
            archived = plan.archived.len(),
            seller_changed = !plan.seller.is_empty(),
            "applied SHOP_FILE"
        );
    }
    Ok(())
}

/// The production clock.
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}
