//! Paying a basket on a hosted page, and fulfilling the payment exactly once.
//!
//! `start` records an attempt that snapshots what it charges for, and makes
//! the provider's checkout session (at most one open per basket). The
//! payment then arrives through any of three doors: the shopper's return
//! (`/checkout/return`), the provider's webhook, or the sweep that asks the
//! provider about sessions still open past their expiry. All three call
//! `fulfil`, which trusts neither the URL nor the event: it asks the
//! provider, requires the snapshot's amount and currency paid, and lets one
//! conditional UPDATE choose the single caller that issues the invoice,
//! completes the basket and queues the receipt. Every other caller gets the
//! same invoice. A second paid session for a basket that is already paid is
//! refunded.

use std::sync::Arc;
use std::time::Duration;

use crate::api::checkout::{CheckoutError, Rejection};
use crate::domain::locale::Locale;
use crate::domain::invoice::price;
use crate::domain::{BasketProblem, BasketToken, Clock, Currency, InvoiceId, PaymentStatus, Priced, SecretToken, Timestamp};
use crate::server::config::TokenPolicy;
use crate::server::db::Db;
use crate::server::mail::templates::Receipt;
use crate::server::mail::Mail;
use crate::server::metrics;
use crate::server::payments::{
    PaymentProvider, PaymentState, ProviderKind, ALREADY_REFUNDED, ProviderError, SessionLine, SessionRequest, SessionState, SessionStatus,
};
use crate::server::services::checkout::{price_basket, priced_as_shown, validate_details};
use crate::server::services::shop::Shop;
use crate::server::services::purchase::{checkout_complete_url, issue_paid_invoice, GuestPurchase};
use crate::server::services::{unavailable, Unavailable};
use crate::server::store::baskets::BasketState;
use crate::server::store::payments::{AttemptRow, NewAttempt, PaidSession, Snapshot};
use crate::server::store::{self, outbox};

/// How long a checkout session may be paid. Stripe allows 30 minutes to 24 hours.
pub const SESSION_TTL: Duration = Duration::from_secs(60 * 60);
/// How often the sweep looks for payments no door settled.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// An open attempt whose session was never stored after this long was cut
/// off mid-request (its shopper never saw a payment page): it is dropped.
pub const ABANDONED_CREATE_AFTER: Duration = Duration::from_secs(2 * 60);
pub use crate::api::checkout::PAYMENT_RETURN_PATH as RETURN_PATH;
/// The same-origin page that sends the shopper on to the hosted page.
pub const HANDOFF_PATH: &str = "/checkout/handoff";

#[derive(Clone)]
pub struct Payments {
    db: Db,
    clock: Arc<dyn Clock>,
    provider: Arc<dyn PaymentProvider>,
    token_policy: TokenPolicy,
    /// The currency prices are in now, and the letterhead invoices are issued with.
    shop: Shop,
    mail: Mail,
    public_url: Arc<str>,
}

/// The door a payment came through, as metrics and the attempt record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// The shopper's browser, back from the hosted page.
    Return,
    Webhook,
    Sweep,
    /// The basket was being changed or paid again, and its open session
    /// turned out paid.
    Basket,
}

impl Door {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Return => "return",
            Self::Webhook => "webhook",
            Self::Sweep => "sweep",
            Self::Basket => "basket",
        }
    }
}

/// Where a payment stands after `fulfil` asked the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fulfilment {
    /// Paid: the basket's invoice (issued now or before).
    Paid(InvoiceId),
    /// Not paid yet: the session is open, or a delayed payment is pending.
    Pending,
    /// The session ended unpaid; the basket is payable again.
    Released,
    /// Paid for a basket that another payment had paid: refunded (or due).
    Refunded,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FulfilError {
    /// No attempt of ours has this session.
    #[error("no payment attempt has this session")]
    NotOurs,
    #[error("the payment provider could not be reached")]
    ProviderUnreachable,
    #[error("the database is unavailable")]
    Unavailable,
}

impl From<Unavailable> for FulfilError {
    fn from(_: Unavailable) -> Self {
        Self::Unavailable
    }
}

/// What `pay` leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// The hosted page to pay on, and (for a new session) the payer secret
    /// the browser keeps as its cookie: the hand-off page and the return
    /// page answer only to it. The basket cookie is not enough: it may have
    /// been planted, and then another browser holds it too.
    PayAt { url: String, payer: Option<SecretToken> },
    /// The basket's open session was paid meanwhile (and is fulfilled now).
    /// Its session id is not revealed: whoever holds the basket cookie (it
    /// may have been planted) must not learn where the completion secret is
    /// collected. The paying browser has its return URL; the receipt has
    /// the link.
    AlreadyPaid,
}

/// What the return URL shows the browser that comes back with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    /// Paid, and this is the browser that paid: the checkout-complete page
    /// with the completion secret minted by the payment (path and query).
    Complete(String),
    /// Paid, but the completion link was collected already (it is in the
    /// receipt email too).
    PaidCollected,
    Pending,
    Released,
    /// A second payment of a paid basket, refunded.
    Refunded,
    /// A payment not as priced, refunded; the basket is still unpaid.
    RefundedUnpaid,
    /// Not this browser's payment, or no payment at all: nothing is shown.
    Unknown,
}

impl Payments {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        provider: Arc<dyn PaymentProvider>,
        token_policy: TokenPolicy,
        shop: Shop,
        mail: Mail,
        public_url: &str,
    ) -> Self {
        Self { db, clock, provider, token_policy, shop, mail, public_url: public_url.trim_end_matches('/').into() }
    }

    /// Starts paying the cookie's basket with the payment form's attempt key:
    /// makes (or, for the same key, finds) the one open checkout session.
    /// `priced_as` is the total the payment page showed (`BasketView::priced_as`):
    /// if the basket prices differently now, nothing is charged and the
    /// guest is shown the new total.
    /// `locale` is the language the guest pays in: the basket keeps it, and
    /// the invoice is issued in it.
    pub async fn start(
        &self,
        basket: Option<BasketToken>,
        attempt_key: &str,
        priced_as: Option<&str>,
        locale: Locale,
    ) -> Result<Started, CheckoutError> {
        let locale = locale.to_keep();
        let payer = SecretToken::generate();
        let payer_hash = payer.hash();
        let cookie = basket.ok_or(CheckoutError::EmptyBasket)?.hash();
        if !is_attempt_key(attempt_key) {
            return Err(CheckoutError::Rejected(Rejection::PaymentFormExpired));
        }
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let open = match store::baskets::find_basket_state(&mut conn, &cookie).await.map_err(unavailable)? {
            Some(BasketState::Open(open)) => open,
            Some(BasketState::Completed(_)) => return Err(CheckoutError::AlreadyPaid),
            None => return Err(CheckoutError::EmptyBasket),
        };
        // The same form again (double submit, back button): the same session.
        if let Some(attempt) = store::payments::find_by_key(&mut conn, attempt_key).await.map_err(unavailable)? {
            drop(conn);
            return self.replay(open.id, attempt).await;
        }
        // Another form of this basket (a second tab, an older render) has a
        // session open: it is expired first, or fulfilled if it was paid.
        if let Some(other) = store::payments::find_open_for_basket(&mut conn, open.id).await.map_err(unavailable)? {
            drop(conn);
            if let Some(paid) = self.close(other).await? {
                return Ok(paid);
            }
        } else {
            drop(conn);
        }
        let now = self.clock.now();
        let expires_at = now.plus(SESSION_TTL);

        // Under the basket's lock, so no edit slips in between, and the
        // unique index allows one open attempt per basket. What is charged
        // for is read here, under the lock: the details and lines as they
        // are now, not as they were before an older session was closed.
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        if !store::baskets::lock_open_basket(&mut tx, open.id).await.map_err(unavailable)? {
            return Err(CheckoutError::AlreadyPaid);
        }
        let details = match store::baskets::find_basket_state(&mut tx, &cookie).await.map_err(unavailable)? {
            Some(BasketState::Open(now_open)) if now_open.id == open.id => now_open.details,
            _ => return Err(CheckoutError::EmptyBasket),
        };
        // Named in the language the guest pays in: the invoice's lines read so.
        let lines = store::baskets::basket_lines(&mut tx, open.id, locale).await.map_err(unavailable)?;
        if lines.is_empty() {
            return Err(CheckoutError::EmptyBasket);
        }
        // The database's currency, not this instance's memory of it: an
        // apply elsewhere may have changed it a moment ago.
        let currency = self.shop.currency_now(&mut tx).await.map_err(unavailable)?;
        let basket = price_basket(lines, details, currency)?;
        match basket.payable_problem() {
            Some(BasketProblem::Unavailable) => return Err(CheckoutError::Rejected(Rejection::ItemsUnavailable)),
            Some(BasketProblem::OverMaximum) => return Err(CheckoutError::Rejected(Rejection::OverMaximum)),
            None => {}
        }
        // Priced as the page showed it, or refused before anything is made.
        if priced_as != Some(priced_as_shown(&basket).as_str()) {
            drop(tx);
            if currency != self.shop.current().seller.currency {
                // The page was priced from a stale shop: read it again, so the next one is right.
                if let Err(error) = self.shop.refresh().await {
                    tracing::warn!(%error, "cannot read the shop again");
                }
            }
            return Err(CheckoutError::Rejected(Rejection::TotalChanged));
        }
        let snapshot = Snapshot {
            bill_to: validate_details(&basket.details).map_err(CheckoutError::Invalid)?,
            items: basket.items.iter().map(|(product, quantity)| product.item(*quantity)).collect(),
            locale,
        };
        let priced = price(&snapshot.items).map_err(|_| CheckoutError::Rejected(Rejection::TotalTooLarge))?;
        let total = priced.total_minor;
        let new = NewAttempt {
            basket_id: open.id,
            key: attempt_key,
            provider: self.provider.kind().as_str(),
            amount_minor: total,
            currency: currency.code(),
            owner: &payer_hash,
            snapshot: &snapshot,
            expires_at,
            now,
        };
        let Some(attempt_id) = store::payments::insert_attempt(&mut tx, &new).await.map_err(unavailable)? else {
            // The key or the basket's one open attempt was taken meanwhile.
            return Err(CheckoutError::Rejected(Rejection::PaymentInAnotherTab));
        };
        store::baskets::set_locale(&mut tx, open.id, locale).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        metrics::payment("started", None);

        // No connection is held while the provider works.
        let request = self.session_request(attempt_key, currency, &snapshot, &priced, expires_at);
        match self.provider.create_session(&request).await {
            Ok(session) => {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                let attached = store::payments::attach_session(&mut conn, attempt_id, &session.id, &session.url, self.clock.now())
                    .await
                    .map_err(unavailable)?;
                drop(conn);
                if !attached {
                    // The attempt was given up while its session was being
                    // made (too slow): nobody may pay this session.
                    tracing::warn!(session = %session.id, "a checkout session came too late for its attempt; expiring it");
                    if let Err(error) = self.provider.expire_session(&session.id).await {
                        tracing::error!(%error, session = %session.id, "could not expire a checkout session nobody will use");
                    }
                    return Err(CheckoutError::Rejected(Rejection::PaymentFormUsed));
                }
                tracing::info!(session = %session.id, provider = self.provider.kind().as_str(), "checkout session created");
                Ok(Started::PayAt { url: session.url, payer: Some(payer) })
            }
            Err(error) => {
                tracing::warn!(%error, "could not create a checkout session; the basket stays payable");
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                store::payments::close_open(&mut conn, attempt_id, PaymentStatus::Failed, self.clock.now()).await.map_err(unavailable)?;
                metrics::payment("failed", None);
                Err(CheckoutError::Rejected(Rejection::PaymentUnavailable))
            }
        }
    }

    /// The hosted page of the payment form `attempt_key`, for the browser
    /// that started it (its payer cookie), while it may still be paid.
    pub async fn hosted_page(&self, payer: Option<SecretToken>, attempt_key: &str) -> Result<String, CheckoutError> {
        let expired = CheckoutError::Rejected(Rejection::PaymentFormExpired);
        if !is_attempt_key(attempt_key) {
            return Err(expired);
        }
        let cookie = payer.ok_or(expired.clone())?.hash();
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let attempt = store::payments::find_by_key(&mut conn, attempt_key).await.map_err(unavailable)?;
        match attempt {
            Some(attempt) if attempt.is_owned_by(&cookie) => match (attempt.status, attempt.session_url) {
                (PaymentStatus::Processing, Some(url)) => Ok(url),
                (PaymentStatus::Processing, None) => Err(CheckoutError::Rejected(Rejection::PaymentStillProcessing)),
                (status, _) if !status.is_unpaid() => Err(CheckoutError::AlreadyPaid),
                _ => Err(CheckoutError::Rejected(Rejection::PaymentFormUsed)),
            },
            _ => Err(expired),
        }
    }

    /// The same payment form posted again: its session, never a second one.
    async fn replay(&self, basket_id: i64, attempt: AttemptRow) -> Result<Started, CheckoutError> {
        if attempt.basket_session_id != basket_id {
            return Err(CheckoutError::Rejected(Rejection::PaymentFormOfAnotherBasket));
        }
        match (attempt.status, attempt.session_url) {
            // The browser has its payer cookie from the first post.
            (PaymentStatus::Processing, Some(url)) => Ok(Started::PayAt { url, payer: None }),
            // The first post is still making the session.
            (PaymentStatus::Processing, None) => Err(CheckoutError::Rejected(Rejection::PaymentStillProcessing)),
            (PaymentStatus::Succeeded | PaymentStatus::RefundDue | PaymentStatus::Refunded, _) => {
                Err(CheckoutError::AlreadyPaid)
            }
            _ => Err(CheckoutError::Rejected(Rejection::PaymentFormUsed)),
        }
    }

    /// Closes a basket's open attempt before the basket changes or is paid
    /// anew: its session is expired at the provider, or, if it was paid
    /// meanwhile, fulfilled (then the outcome is returned).
    async fn close(&self, attempt: AttemptRow) -> Result<Option<Started>, CheckoutError> {
        let now = self.clock.now();
        let Some(session_id) = attempt.session_id.clone() else {
            // Its session is still being made, or never was.
            if attempt.created_at < now.minus(ABANDONED_CREATE_AFTER) {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                if store::payments::abandon_unattached(&mut conn, attempt.id, now).await.map_err(unavailable)? {
                    return Ok(None);
                }
                // Its session arrived meanwhile: close that one.
                let attempt = store::payments::find_by_id(&mut conn, attempt.id).await.map_err(unavailable)?;
                drop(conn);
                return match attempt {
                    Some(attempt) if attempt.status == PaymentStatus::Processing => Box::pin(self.close(attempt)).await,
                    _ => Ok(None),
                };
            }
            return Err(CheckoutError::Rejected(Rejection::PaymentInAnotherTab));
        };
        let state = match self.provider.expire_session(&session_id).await {
            Ok(state) => state,
            Err(ProviderError::NotFound) => {
                self.release(&attempt).await.map_err(|_| CheckoutError::Unavailable)?;
                return Ok(None);
            }
            Err(error) => {
                tracing::warn!(%error, session = %session_id, "could not expire the open checkout session");
                return Err(CheckoutError::Rejected(Rejection::PaymentUnavailable));
            }
        };
        match self.settle(&attempt, &state, Door::Basket).await {
            Ok(Fulfilment::Released) => Ok(None),
            Ok(Fulfilment::Paid(_)) => Ok(Some(Started::AlreadyPaid)),
            // Refunded: the basket is paid by another session, or (a payment
            // not as priced) still unpaid, and then payable again.
            Ok(Fulfilment::Refunded) => {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                let paid = store::baskets::is_basket_completed(&mut conn, attempt.basket_session_id).await.map_err(unavailable)?;
                Ok(paid.then_some(Started::AlreadyPaid))
            }
            Ok(Fulfilment::Pending) => Err(CheckoutError::Rejected(Rejection::PaymentStillProcessing)),
            Err(FulfilError::ProviderUnreachable) => Err(CheckoutError::Rejected(Rejection::PaymentUnavailable)),
            Err(_) => Err(CheckoutError::Unavailable),
        }
    }

    /// Before a basket is edited: closes its open session, if any. `Err`
    /// when it cannot be closed (or was paid: `AlreadyPaid`).
    pub async fn close_open_session(&self, basket_id: i64) -> Result<(), CheckoutError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let open = store::payments::find_open_for_basket(&mut conn, basket_id).await.map_err(unavailable)?;
        drop(conn);
        match open {
            None => Ok(()),
            Some(attempt) => match self.close(attempt).await? {
                None => Ok(()),
                Some(_) => Err(CheckoutError::AlreadyPaid),
            },
        }
    }

    /// Closes the open sessions of baskets holding a product that is no
    /// longer for sale, or more of one than its maximum (an apply took it
    /// away): the guest, back on our pages, is told and removes it. A
    /// session paid just before closes as paid, as any other would.
    /// Returns how many were closed.
    pub async fn close_sessions_for_unsellable(&self) -> Result<usize, Unavailable> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let baskets = store::payments::baskets_paying_for_unsellable(&mut conn).await.map_err(unavailable)?;
        drop(conn);
        let mut closed = 0;
        for basket in baskets {
            match self.close_open_session(basket).await {
                Ok(()) => closed += 1,
                Err(CheckoutError::AlreadyPaid) => {}
                Err(error) => tracing::warn!(%error, "could not close a session the shop file took products from; the sweep tries again"),
            }
        }
        Ok(closed)
    }

    /// Runs for the life of the server: after every apply this instance
    /// sees, the sessions it took products from are closed.
    pub async fn close_after_applies(self, mut changes: tokio::sync::watch::Receiver<i64>) {
        while changes.changed().await.is_ok() {
            match self.close_sessions_for_unsellable().await {
                Ok(0) => {}
                Ok(closed) => tracing::info!(closed, "closed checkout sessions for products no longer for sale"),
                Err(Unavailable) => tracing::warn!("could not look for sessions to close after an apply; the sweep will"),
            }
        }
    }

    /// Fulfils the session if it is paid: the one function behind all three doors.
    pub async fn fulfil(&self, session_id: &str, door: Door) -> Result<Fulfilment, FulfilError> {
        let attempt = self.attempt_of(session_id).await?;
        if let Some(known) = settled(&attempt) {
            return Ok(known);
        }
        let state = match self.provider.retrieve_session(session_id).await {
            Ok(state) => state,
            // The provider does not know it here (the test provider's other
            // instance, or after a restart; a Stripe key of another
            // account): not a sign it was not paid. It stays open, for a
            // door that can see it; the basket's owner closes it by paying
            // again or changing the basket.
            Err(ProviderError::NotFound) => {
                tracing::warn!(session = %session_id, door = door.as_str(), "the payment provider does not know this session");
                return Ok(Fulfilment::Pending);
            }
            Err(error) => {
                tracing::warn!(%error, session = %session_id, door = door.as_str(), "could not ask the provider about a session");
                return Err(FulfilError::ProviderUnreachable);
            }
        };
        self.settle(&attempt, &state, door).await
    }

    /// What the browser returning with `session_id` is shown: only the
    /// browser that started the payment (its payer cookie) is shown it.
    pub async fn returned(&self, payer: Option<SecretToken>, session_id: &str) -> Result<Returned, FulfilError> {
        let Some(cookie) = payer.map(|token| token.hash()) else { return Ok(Returned::Unknown) };
        let attempt = match self.attempt_of(session_id).await {
            Ok(attempt) if attempt.is_owned_by(&cookie) => attempt,
            Ok(_) | Err(FulfilError::NotOurs) => return Ok(Returned::Unknown),
            Err(error) => return Err(error),
        };
        Ok(match self.fulfil(session_id, Door::Return).await? {
            Fulfilment::Paid(invoice) => {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                match store::payments::take_pickup(&mut conn, attempt.id).await.map_err(unavailable)? {
                    Some(secret) => {
                        let secret: BasketToken = secret.parse().map_err(|_| unavailable("stored completion secret is not a GUID"))?;
                        Returned::Complete(checkout_complete_url(invoice, &secret))
                    }
                    None => Returned::PaidCollected,
                }
            }
            Fulfilment::Pending => Returned::Pending,
            Fulfilment::Released => Returned::Released,
            Fulfilment::Refunded => {
                let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                if store::baskets::is_basket_completed(&mut conn, attempt.basket_session_id).await.map_err(unavailable)? {
                    Returned::Refunded
                } else {
                    Returned::RefundedUnpaid
                }
            }
        })
    }

    /// Asks the provider about what no door settled: sessions still open past
    /// their expiry (their webhook never came), sessions never stored, and
    /// refunds still due. Returns how many attempts it looked at.
    pub async fn sweep(&self) -> Result<usize, Unavailable> {
        let now = self.clock.now();
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        // A completion secret the paying browser never came back for goes
        // when it could no longer register anyway (the receipt has it).
        store::payments::forget_pickups(&mut conn, now.minus(self.token_policy.basket_ttl)).await.map_err(unavailable)?;
        let due = store::payments::unsettled(&mut conn, now, now.minus(ABANDONED_CREATE_AFTER), 100).await.map_err(unavailable)?;
        drop(conn);
        // A session an apply took products from, missed when the apply was seen.
        self.close_sessions_for_unsellable().await?;
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        // Looked at now: next time the ones not looked at for longest come
        // first, so attempts that stay unsettled (a refund the provider keeps
        // refusing, a delayed payment) never crowd out the rest.
        for attempt in &due {
            store::payments::touch(&mut conn, attempt.id, now).await.map_err(unavailable)?;
        }
        drop(conn);
        for attempt in &due {
            match (&attempt.status, &attempt.session_id) {
                (PaymentStatus::RefundDue, _) => self.refund(attempt).await,
                (_, Some(session)) => {
                    if let Err(error) = self.fulfil(session, Door::Sweep).await {
                        tracing::warn!(%error, session = %session, "sweep could not settle a payment; next time");
                    }
                }
                (_, None) => {
                    let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
                    store::payments::abandon_unattached(&mut conn, attempt.id, now).await.map_err(unavailable)?;
                }
            }
        }
        Ok(due.len())
    }

    /// Runs forever: sweeps every `SWEEP_EVERY`. Every instance may run it:
    /// settling a payment is exactly-once whoever does it.
    pub async fn run_sweep(self) {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match self.sweep().await {
                Ok(0) => {}
                Ok(looked_at) => tracing::info!(looked_at, "payment sweep asked the provider about unsettled payments"),
                Err(Unavailable) => tracing::warn!("payment sweep could not read the database; next time"),
            }
        }
    }

    async fn attempt_of(&self, session_id: &str) -> Result<AttemptRow, FulfilError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        store::payments::find_by_session(&mut conn, session_id).await.map_err(unavailable)?.ok_or(FulfilError::NotOurs)
    }

    /// Acts on what the provider says about an attempt's session.
    async fn settle(&self, attempt: &AttemptRow, state: &SessionState, door: Door) -> Result<Fulfilment, FulfilError> {
        match (state.status, state.payment) {
            (_, PaymentState::Paid) => {
                if state.amount_total_minor != Some(attempt.amount_minor) || !state.currency.eq_ignore_ascii_case(&attempt.currency) {
                    // Never an invoice for what was not charged as priced.
                    tracing::error!(
                        session = %state.id,
                        expected = attempt.amount_minor,
                        currency = %attempt.currency,
                        "a paid session's amount or currency differs from its attempt's; refunding it, no invoice"
                    );
                    metrics::payment("mismatched", Some(door));
                    return self.settle_paid(attempt, state, door, Settle::Refund).await;
                }
                self.settle_paid(attempt, state, door, Settle::Fulfil).await
            }
            (SessionStatus::Expired, _) => self.release(attempt).await,
            (SessionStatus::Complete, _) if state.payment_failed => self.release(attempt).await,
            (SessionStatus::Open, _) if attempt.expires_at.is_some_and(|at| self.clock.now() > at) => {
                // Past its expiry but still open at the provider (clocks
                // differ): expire it now rather than wait.
                match self.provider.expire_session(&state.id).await {
                    Ok(after) if after.status != SessionStatus::Open => Box::pin(self.settle(attempt, &after, door)).await,
                    Ok(_) => Ok(Fulfilment::Pending),
                    Err(_) => Err(FulfilError::ProviderUnreachable),
                }
            }
            _ => Ok(Fulfilment::Pending),
        }
    }

    /// Ends an attempt unpaid; its basket is payable again.
    async fn release(&self, attempt: &AttemptRow) -> Result<Fulfilment, FulfilError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        if store::payments::close_open(&mut conn, attempt.id, PaymentStatus::Expired, self.clock.now()).await.map_err(unavailable)? {
            metrics::payment("expired", None);
            tracing::info!(session = attempt.session_id.as_deref().unwrap_or("none"), "checkout session ended unpaid; basket payable again");
        }
        Ok(Fulfilment::Released)
    }

    /// A paid session: the first caller issues the invoice (or, for a basket
    /// already paid, marks the payment for refund); every caller returns
    /// what the winner did.
    async fn settle_paid(&self, attempt: &AttemptRow, state: &SessionState, door: Door, intent: Settle) -> Result<Fulfilment, FulfilError> {
        let now = self.clock.now();
        let card = state.card.as_ref();
        let paid = PaidSession {
            door: door.as_str(),
            payment_reference: state.payment_reference.as_deref(),
            card: card.map(|card| (card.brand.as_str(), card.last4.as_str())),
            now,
        };
        // Twice at most: a concurrent payment of the same basket can complete
        // it between our check and our UPDATE; the second round refunds.
        for _ in 0..2 {
            let mut tx = self.db.begin_write().await.map_err(unavailable)?;
            // The claim comes first: the transaction's first statement is a
            // write, so on SQLite it waits for the write lock before reading
            // anything (a read first could not upgrade once another
            // instance had written).
            let claim = if intent == Settle::Refund { PaymentStatus::RefundDue } else { PaymentStatus::Succeeded };
            if !store::payments::settle_paid(&mut tx, attempt.id, claim, &paid).await.map_err(unavailable)? {
                drop(tx);
                return self.settled_by_another(attempt.id).await;
            }
            let basket_paid = store::baskets::is_basket_completed(&mut tx, attempt.basket_session_id).await.map_err(unavailable)?;
            if basket_paid || intent == Settle::Refund {
                if claim == PaymentStatus::Succeeded {
                    store::payments::mark_refund_due(&mut tx, attempt.id).await.map_err(unavailable)?;
                }
                tx.commit().await.map_err(unavailable)?;
                tracing::warn!(
                    session = %state.id,
                    door = door.as_str(),
                    "a payment arrived for a basket that was already paid (or not as priced); refunding it"
                );
                let due = AttemptRow { payment_reference: state.payment_reference.clone(), status: PaymentStatus::RefundDue, ..attempt.clone() };
                self.refund(&due).await;
                return Ok(Fulfilment::Refunded);
            }
            let snapshot = store::payments::snapshot(&mut tx, attempt.id)
                .await
                .map_err(unavailable)?
                .ok_or_else(|| unavailable("a payment attempt has no snapshot"))?;
            // Invoiced in the currency charged, whatever this instance sells in now.
            let currency: Currency =
                attempt.currency.parse().map_err(|_| unavailable(format_args!("stored currency {:?} is not ours", attempt.currency)))?;
            // Issued with the seller's letterhead as it is now.
            let (letterhead_id, seller) = self.shop.letterhead_now(&mut tx).await.map_err(unavailable)?;
            let purchase = GuestPurchase { bill_to: snapshot.bill_to, currency, items: snapshot.items, letterhead_id, locale: snapshot.locale };
            let invoice = issue_paid_invoice(&mut tx, &purchase, now)
                .await
                .map_err(|error| unavailable(format_args!("cannot issue the invoice of a paid session: {error}")))?;
            // The payment mints the completion secret: the basket cookie that
            // filled the basket (or was planted in the browser) opens nothing now.
            let completion = BasketToken::generate();
            let link_valid_for = self.token_policy.basket_ttl;
            let completed = store::baskets::complete_basket(
                &mut tx,
                attempt.basket_session_id,
                invoice.id,
                &completion.hash(),
                now,
                now.plus(link_valid_for),
            )
            .await
            .map_err(unavailable)?;
            if !completed {
                // Paid by another session since we looked: roll back, refund this one.
                drop(tx);
                continue;
            }
            store::payments::record_fulfilment(&mut tx, attempt.id, invoice.id, &completion.to_string()).await.map_err(unavailable)?;
            let receipt = self.mail.templates.payment_receipt(&Receipt {
                invoice: &invoice,
                seller: &seller,
                paid_with: card,
                basket: &completion,
                link_valid_for,
            });
            outbox::enqueue(&mut tx, &receipt, now).await.map_err(unavailable)?;
            tx.commit().await.map_err(unavailable)?;
            self.mail.nudge();
            metrics::payment("fulfilled", Some(door));
            tracing::info!(invoice = %invoice.id, session = %state.id, door = door.as_str(), "payment fulfilled; receipt queued");
            return Ok(Fulfilment::Paid(invoice.id));
        }
        Err(unavailable("a basket kept changing while its payment was settled").into())
    }

    /// Another caller settled the attempt first: its outcome.
    async fn settled_by_another(&self, attempt: i64) -> Result<Fulfilment, FulfilError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let row = store::payments::find_by_id(&mut conn, attempt).await.map_err(unavailable)?.ok_or(FulfilError::NotOurs)?;
        settled(&row).ok_or_else(|| unavailable("a payment attempt changed to an unexpected state").into())
    }

    /// Refunds a `RefundDue` attempt, once (`Idempotency-Key: refund-<session>`).
    /// A failure is logged; the sweep tries again.
    async fn refund(&self, attempt: &AttemptRow) {
        let (Some(session), Some(payment)) = (attempt.session_id.as_deref(), attempt.payment_reference.as_deref()) else {
            tracing::error!(attempt = attempt.id, "a refund is due but the payment is unknown; refund it by hand");
            return;
        };
        let refund = match self.provider.refund(payment, &format!("refund-{session}")).await {
            Ok(refund) => refund.id,
            // Refunded already: an earlier request of ours whose answer was
            // lost (past the provider's idempotency window), or the operator
            // by hand. The money is back either way.
            Err(ProviderError::Refused { code: Some(code), .. }) if code == ALREADY_REFUNDED => {
                tracing::warn!(session = %session, "the payment to refund was refunded already; recording it");
                ALREADY_REFUNDED.to_owned()
            }
            Err(error) => {
                // A failed refund (no money went back) stays due: the sweep
                // asks again, and every time it says so, for the operator.
                tracing::error!(%error, session = %session, "a refund is due and did not go through; refund it by hand if this repeats");
                metrics::payment("refund_failed", None);
                return;
            }
        };
        let recorded = async {
            let mut conn = self.db.pool.acquire().await?;
            store::payments::record_refund(&mut conn, attempt.id, &refund, self.clock.now()).await
        }
        .await;
        match recorded {
            Ok(true) => {
                metrics::payment("refunded", None);
                tracing::warn!(
                    session = %session,
                    refund = %refund,
                    amount_minor = attempt.amount_minor,
                    currency = %attempt.currency,
                    "refunded a second payment for an already paid basket"
                );
            }
            Ok(false) => {}
            Err(error) => tracing::error!(%error, session = %session, "refunded, but could not record it; the sweep will"),
        }
    }

    /// The session request for an attempt: the net lines, then one line
    /// per tax rate, which sum exactly to the invoice's total.
    fn session_request(&self, key: &str, currency: Currency, snapshot: &Snapshot, priced: &Priced, expires_at: Timestamp) -> SessionRequest {
        SessionRequest {
            idempotency_key: key.to_owned(),
            currency,
            lines: session_lines(snapshot, priced),
            total_minor: priced.total_minor,
            customer_email: snapshot.bill_to.email.as_str().to_owned(),
            success_url: format!("{}{RETURN_PATH}?session_id={{CHECKOUT_SESSION_ID}}", self.site_for_provider()),
            cancel_url: format!("{}/checkout/payment?payment=cancelled", self.site_for_provider()),
            expires_at,
        }
    }
}

impl Payments {
    /// What the provider's URLs back to the shop start with: the public
    /// URL for Stripe; nothing for the test provider, whose page is on the
    /// shop's own origin, so its links work on whatever address the shopper
    /// used (localhost or 127.0.0.1 alike, each with its own cookies).
    fn site_for_provider(&self) -> &str {
        match self.provider.kind() {
            ProviderKind::Stripe => &self.public_url,
            ProviderKind::Test => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settle {
    Fulfil,
    Refund,
}

/// Whether `raw` can be a payment form's attempt key (what
/// `new_payment_attempt` hands out): checked before any lookup.
fn is_attempt_key(raw: &str) -> bool {
    (1..=64).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The outcome of an attempt that needs the provider no more.
fn settled(attempt: &AttemptRow) -> Option<Fulfilment> {
    match attempt.status {
        PaymentStatus::Succeeded => attempt.invoice_id.map(Fulfilment::Paid),
        PaymentStatus::RefundDue | PaymentStatus::Refunded => Some(Fulfilment::Refunded),
        _ => None,
    }
}


/// The hosted page's lines for a snapshot: each line net of tax, as the
/// invoice prints it, then the tax of each rate, so that they add up to the
/// invoice's total exactly (per-line rounding and all).
fn session_lines(snapshot: &Snapshot, priced: &Priced) -> Vec<SessionLine> {
    let mut lines: Vec<SessionLine> = snapshot
        .items
        .iter()
        .map(|item| SessionLine { name: item.description.clone(), quantity: item.quantity, unit_amount_minor: item.unit_price_minor })
        .collect();
    let mut taxes: Vec<(crate::domain::TaxRate, i64)> = Vec::new();
    for (item, line) in snapshot.items.iter().zip(&priced.lines) {
        match taxes.iter_mut().find(|(rate, _)| *rate == item.tax_rate) {
            Some((_, sum)) => *sum += line.tax_minor,
            None => taxes.push((item.tax_rate, line.tax_minor)),
        }
    }
    lines.extend(taxes.into_iter().filter(|(_, tax)| *tax > 0).map(|(rate, tax)| SessionLine {
        // What the hosted page lists, in the language the guest pays in.
        name: crate::tr_plain!(snapshot.locale, "checkout-vat-line", rate = crate::server::i18n::format::percent(snapshot.locale, rate)),
        quantity: 1,
        unit_amount_minor: tax,
    }));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BillTo, LineItem, TaxRate};

    #[test]
    fn the_session_lines_add_up_to_the_invoice_total_with_per_line_rounding() {
        let rate = |bp| TaxRate::from_basis_points(bp).unwrap();
        let item = |description: &str, quantity, unit_price_minor, tax_rate| LineItem {
            description: description.into(),
            quantity,
            unit_price_minor,
            tax_rate,
        };
        // 3 × 0.33 at 21 % (tax 0.2079 → 0.21), 1 × 0.35 at 21 % (0.0735 → 0.07), 1 × 12.50 at 9 % (1.125 → 1.13).
        let snapshot = Snapshot {
            bill_to: BillTo {
                name: "A".into(),
                email: "a@example.com".parse().unwrap(),
                address: "x".into(),
                city: "x".into(),
                postcode: "x".into(),
                country: "x".into(),
            },
            items: vec![item("Print", 3, 33, rate(2100)), item("Copy", 1, 35, rate(2100)), item("Lunch", 1, 1250, rate(900)), item("Free", 1, 100, rate(0))],
            locale: Locale::FALLBACK,
        };
        let priced = price(&snapshot.items).unwrap();
        let lines = session_lines(&snapshot, &priced);
        let sum: i64 = lines.iter().map(|line| line.unit_amount_minor * i64::from(line.quantity)).sum();
        assert_eq!(sum, priced.total_minor);
        let names: Vec<&str> = lines.iter().map(|line| line.name.as_str()).collect();
        assert_eq!(names, ["Print", "Copy", "Lunch", "Free", "VAT 21%", "VAT 9%"]);
        assert_eq!(lines[4].unit_amount_minor, 21 + 7);
    }
}
