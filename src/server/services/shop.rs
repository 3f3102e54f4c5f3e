//! The operator's shop: planning and applying a shop file (one locked
//! transaction, idempotent), and keeping what this instance sells in step
//! with the database when an apply anywhere changes it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::domain::shop::{Letterhead, LogoFormat, Seller};
use crate::domain::{Clock, Currency};
use crate::server::db::Db;
use crate::server::payments::{currency_problem, ProviderKind};
use crate::server::shop::file::ShopFile;
use crate::server::shop::plan::{Current, Plan};
use crate::server::shop::{CurrentShop, SellerOverrides, ShopCell};
use crate::server::store;
use crate::server::store::shop::ShopSettings;

/// How often a running instance asks whether another one applied a file.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(2);

/// A letterhead as an invoice prints it, its logo's bytes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLetterhead {
    pub letterhead: Letterhead,
    pub logo: Option<(LogoFormat, Vec<u8>)>,
}

#[derive(Clone)]
pub struct Shop {
    db: Db,
    clock: Arc<dyn Clock>,
    overrides: SellerOverrides,
    cell: ShopCell,
    /// Told each revision this instance reads (see `changes`).
    revisions: Arc<tokio::sync::watch::Sender<i64>>,
    /// Letterheads never change once stored, so each is read once.
    printed: Arc<Mutex<HashMap<i64, Arc<PrintedLetterhead>>>>,
}

impl Shop {
    /// The shop as stored, read without writing anything (for `shop plan`).
    pub async fn open(db: Db, clock: Arc<dyn Clock>, overrides: SellerOverrides) -> Result<Self, sqlx::Error> {
        let mut conn = db.pool.acquire().await?;
        let settings = store::shop::settings(&mut conn).await?;
        drop(conn);
        let seller = overrides.apply(file_seller(&settings)?);
        let cell = ShopCell::new(CurrentShop { seller, letterhead_id: 0, revision: settings.revision });
        let revisions = Arc::new(tokio::sync::watch::Sender::new(settings.revision));
        Ok(Self { db, clock, overrides, cell, revisions, printed: Arc::default() })
    }

    /// The server, ready to sell: the letterhead this instance prints (the
    /// file's, with the environment's overrides) is stored, and invoices
    /// issued before letterheads were kept get the one they have been
    /// printed with: the server's own, as configured when it last ran.
    pub async fn start(db: Db, clock: Arc<dyn Clock>, overrides: SellerOverrides) -> Result<Self, sqlx::Error> {
        let shop = Self::open(db, clock, overrides).await?;
        shop.reload(History::FillIn).await?;
        Ok(shop)
    }

    /// A tool that issues invoices (`demo-checkout`): its letterhead is
    /// stored, but it leaves earlier invoices to the server, whose
    /// environment (not a shell's) printed them.
    pub async fn load(db: Db, clock: Arc<dyn Clock>, overrides: SellerOverrides) -> Result<Self, sqlx::Error> {
        let shop = Self::open(db, clock, overrides).await?;
        shop.reload(History::Leave).await?;
        Ok(shop)
    }

    /// What pages, prices, emails and new invoices use.
    pub fn cell(&self) -> ShopCell {
        self.cell.clone()
    }

    pub fn current(&self) -> Arc<CurrentShop> {
        self.cell.get()
    }

    /// Reads the shop again and stores this instance's letterhead if it is new.
    async fn reload(&self, history: History) -> Result<(), sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        // The lock first: on SQLite a transaction that read before writing
        // cannot wait for another process's writer (it fails at once), and
        // instances starting together would.
        store::shop::lock_shop(&mut tx).await?;
        let current = self.current_in(&mut tx).await?;
        if history == History::FillIn && store::shop::invoices_lack_letterheads(&mut tx).await? {
            let filled = store::shop::fill_in_invoice_letterheads(&mut tx, current.letterhead_id).await?;
            tracing::info!(invoices = filled, "recorded the letterhead earlier invoices are printed with");
        }
        tx.commit().await?;
        let revision = current.revision;
        self.cell.set(current);
        self.revisions.send_replace(revision);
        Ok(())
    }

    /// The shop as the database has it, with this instance's overrides, its
    /// letterhead stored if new: in the caller's transaction.
    async fn current_in(&self, conn: &mut sqlx::AnyConnection) -> Result<CurrentShop, sqlx::Error> {
        let settings = store::shop::settings(&mut *conn).await?;
        let seller = self.overrides.apply(file_seller(&settings)?);
        let letterhead_id = store::shop::letterhead_id(conn, &seller.letterhead, self.clock.now()).await?;
        Ok(CurrentShop { seller, letterhead_id, revision: settings.revision })
    }

    /// The shop's currency as the database has it now (with this
    /// instance's override), read in the caller's transaction: what a
    /// payment is priced in, even on an instance that has not yet noticed
    /// an apply elsewhere.
    pub async fn currency_now(&self, conn: &mut sqlx::AnyConnection) -> Result<Currency, sqlx::Error> {
        if let Some(currency) = self.overrides.currency {
            return Ok(currency);
        }
        stored_currency(store::shop::currency(conn).await?.as_deref())
    }

    /// The letterhead an invoice issued now prints (the applied file's,
    /// with this instance's overrides), stored if new, in the caller's
    /// transaction: the seller at issue, whatever this instance last read.
    pub async fn letterhead_now(&self, conn: &mut sqlx::AnyConnection) -> Result<(i64, Letterhead), sqlx::Error> {
        let current = self.current_in(conn).await?;
        Ok((current.letterhead_id, current.seller.letterhead))
    }

    /// Reloads if an apply anywhere changed the shop since the last read.
    pub async fn refresh(&self) -> Result<(), sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let revision = store::shop::revision(&mut conn).await?;
        drop(conn);
        if revision != self.cell.get().revision {
            self.reload(History::Leave).await?;
            tracing::info!(revision, "the shop changed; now selling from the new file");
        }
        Ok(())
    }

    /// Runs for the life of the server: an apply from the command line or
    /// another instance reaches this one within [`WATCH_INTERVAL`].
    pub async fn watch(self) {
        loop {
            tokio::time::sleep(WATCH_INTERVAL).await;
            if let Err(error) = self.refresh().await {
                tracing::warn!(%error, "cannot check the shop for changes");
            }
        }
    }

    /// What applying `file` would change now, or why it would be refused.
    /// Writes nothing.
    pub async fn plan(&self, file: &ShopFile) -> Result<Plan, ApplyError> {
        let mut conn = self.db.pool.acquire().await?;
        let settings = store::shop::settings(&mut conn).await?;
        self.check_currency(&settings, file)?;
        let products = store::shop::all_products(&mut conn).await?;
        let seller = file_seller(&settings)?;
        Ok(Plan::compute(&Current { seller: &seller, products: &products, locale: settings.locale }, file, &self.overrides))
    }

    /// Applies `file` in one transaction under the shop's lock and returns
    /// what it changed. The same file again changes nothing.
    pub async fn apply(&self, file: &ShopFile) -> Result<Plan, ApplyError> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await?;
        store::shop::lock_shop(&mut tx).await?;
        // Invoices issued before letterheads were kept must first get the
        // one they have been printed with, which only the server knows (its
        // SELLER_* settings, not this shell's).
        if store::shop::invoices_lack_letterheads(&mut tx).await? {
            return Err(ApplyError::EarlierInvoices);
        }
        let settings = store::shop::settings(&mut tx).await?;
        self.check_currency(&settings, file)?;
        let products = store::shop::all_products(&mut tx).await?;
        let seller = file_seller(&settings)?;
        let plan = Plan::compute(&Current { seller: &seller, products: &products, locale: settings.locale }, file, &self.overrides);
        if plan.is_empty() {
            tx.commit().await?;
            return Ok(plan);
        }
        if let Some(logo) = &file.logo {
            store::shop::store_logo(&mut tx, &logo.reference, &logo.bytes, now).await?;
        }
        for product in plan.added.iter().chain(plan.changed.iter().map(|change| &change.spec)) {
            let id = store::shop::write_product(&mut tx, product).await?;
            store::shop::write_translations(&mut tx, id, &product.translations).await?;
        }
        for (id, _, _) in &plan.archived {
            store::shop::archive_product(&mut tx, *id, now).await?;
        }
        if plan.seller.is_empty() && plan.locale.is_none() && settings.letterhead.is_some() {
            store::shop::bump_revision(&mut tx, now).await?;
        } else {
            let id = store::shop::letterhead_id(&mut tx, &plan.new_seller.letterhead, now).await?;
            store::shop::record_settings(&mut tx, id, plan.new_seller.currency.code(), file.spec.locale, now).await?;
        }
        tx.commit().await?;
        // Applied, whatever happens next: this instance reads it again now,
        // or its watch does shortly.
        if let Err(error) = self.reload(History::Leave).await {
            tracing::warn!(%error, "applied the shop file, but could not read the shop again yet");
        }
        Ok(plan)
    }

    /// The server's provider (as it last started), not this shell's, must
    /// be able to charge every total in the file's currency.
    fn check_currency(&self, settings: &ShopSettings, file: &ShopFile) -> Result<(), ApplyError> {
        let provider = settings.payment_provider.as_deref().and_then(ProviderKind::from_stored);
        let currency = self.overrides.currency.unwrap_or(file.spec.seller.currency);
        match provider.and_then(|provider| currency_problem(provider, currency)) {
            Some(problem) => Err(ApplyError::Currency(problem)),
            None => Ok(()),
        }
    }

    /// Records the provider this server takes money with.
    pub async fn record_provider(&self, provider: ProviderKind) -> Result<(), sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        store::shop::record_provider(&mut tx, provider.as_str()).await?;
        tx.commit().await
    }

    /// The shop's revision as this instance last read it: it changes with
    /// every apply this instance sees (its own at once, another's within
    /// [`WATCH_INTERVAL`]), so payments can close the sessions an apply
    /// took products from.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<i64> {
        self.revisions.subscribe()
    }

    /// The letterhead an invoice was issued with (`None`: one issued by an
    /// older version while this one started, printed with today's).
    pub async fn printed_letterhead(&self, id: Option<i64>) -> Result<Arc<PrintedLetterhead>, sqlx::Error> {
        let id = id.unwrap_or_else(|| self.cell.get().letterhead_id);
        if let Some(found) = self.printed.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(found.clone());
        }
        let mut conn = self.db.pool.acquire().await?;
        let letterhead = store::shop::letterhead(&mut conn, id)
            .await?
            .ok_or_else(|| store::decode_error(format_args!("invoice letterhead {id}")))?;
        let logo = match &letterhead.logo {
            Some(logo) => store::shop::logo(&mut conn, &logo.sha256).await?,
            None => None,
        };
        let printed = Arc::new(PrintedLetterhead { letterhead, logo });
        self.printed.lock().unwrap_or_else(|p| p.into_inner()).insert(id, printed.clone());
        Ok(printed)
    }

    /// A stored logo's format and bytes.
    pub async fn logo(&self, sha256: &str) -> Result<Option<(LogoFormat, Vec<u8>)>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        store::shop::logo(&mut conn, sha256).await
    }
}

/// Whether starting records the letterhead of invoices issued before letterheads were kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum History {
    FillIn,
    Leave,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("the database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(
        "invoices issued before this version have no letterhead recorded yet; start the server once first \
         (with the SELLER_* settings it has run with), so they keep the seller they were issued by"
    )]
    EarlierInvoices,
    #[error("{0}")]
    Currency(String),
}

/// The seller the applied file gave (the built-in one before any file).
fn file_seller(settings: &ShopSettings) -> Result<Seller, sqlx::Error> {
    let currency = stored_currency(settings.currency.as_deref())?;
    let letterhead = settings.letterhead.as_ref().map(|(_, letterhead)| letterhead.clone()).unwrap_or_default();
    Ok(Seller { letterhead, currency })
}

/// The applied file's currency as stored (EUR before any file).
fn stored_currency(code: Option<&str>) -> Result<Currency, sqlx::Error> {
    match code {
        Some(code) => code.parse().map_err(|_| store::decode_error(format_args!("shop currency {code:?}"))),
        None => Ok(Seller::default().currency),
    }
}
