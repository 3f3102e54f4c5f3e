//! The built-in test provider: a hosted payment page of our own that takes
//! the test cards (`test_cards`) and sends the shopper back exactly as
//! Stripe Checkout does, so that everything from "pay" to "fulfil" runs the
//! same code for both providers. For tests and demos only: the server
//! refuses it behind https unless `ALLOW_TEST_PAYMENTS=1`.
//!
//! Its sessions live in this instance's memory (a restart forgets them, and
//! the app then treats their attempts as expired): run one instance with it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::test_cards::{self, CardInput, CardVerdict, DeclineReason};
use super::{
    CardSummary, HostedSession, PaymentProvider, PaymentState, ProviderError, ProviderFuture, ProviderKind, Refund,
    SessionLine, SessionRequest, SessionState, SessionStatus,
};
use crate::domain::{Clock, Currency, Timestamp};

/// Where the hosted page is served, below the app's public URL.
pub const PAGE_PATH: &str = "/test-payments";

#[derive(Clone)]
pub struct TestProvider {
    clock: Arc<dyn Clock>,
    sessions: Arc<Mutex<Sessions>>,
    /// Session creation passes through here; tests close it to make the
    /// provider slow (`hold_creates`).
    gate: Arc<tokio::sync::RwLock<()>>,
    /// How many creates have reached the gate, for tests to wait on.
    arrivals: Arc<tokio::sync::watch::Sender<usize>>,
}

/// While held, no session is created (see `TestProvider::hold_creates`).
pub struct HeldCreates {
    _closed: tokio::sync::OwnedRwLockWriteGuard<()>,
    arrivals: tokio::sync::watch::Receiver<usize>,
    before: usize,
}

impl HeldCreates {
    /// Waits until a create arrived at the closed gate (and is held there).
    pub async fn until_one_waits(&mut self) {
        let before = self.before;
        self.arrivals.wait_for(|arrived| *arrived > before).await.expect("the provider lives");
    }
}

#[derive(Default)]
struct Sessions {
    by_id: HashMap<String, TestSession>,
    /// Idempotency-Key → the session it made.
    by_key: HashMap<String, String>,
    /// Refund idempotency key → the refund it made.
    refunds: HashMap<String, String>,
}

#[derive(Debug, Clone)]
struct TestSession {
    id: String,
    currency: Currency,
    lines: Vec<SessionLine>,
    total_minor: i64,
    success_url: String,
    cancel_url: String,
    expires_at: Timestamp,
    client_reference: String,
    state: Lifecycle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lifecycle {
    Open,
    Paid { payment: String, card: CardSummary, refunded: bool },
    Expired,
}

/// What the hosted page shows for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    pub currency: Currency,
    pub lines: Vec<SessionLine>,
    pub total_minor: i64,
    pub cancel_url: String,
    pub payable: Payable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payable {
    Yes,
    AlreadyPaid,
    Expired,
}

/// What paying on the hosted page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    /// Paid: send the shopper to this success URL.
    Paid(String),
    Declined(DeclineReason),
    NotPayable(Payable),
    Unknown,
}

impl TestProvider {
    /// Its page is served by this app: its URLs are paths on the shop's origin.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            sessions: Arc::default(),
            gate: Arc::default(),
            arrivals: Arc::new(tokio::sync::watch::Sender::new(0)),
        }
    }

    /// For tests: session creation waits until the returned guard is dropped,
    /// as a provider that answers slowly would.
    pub async fn hold_creates(&self) -> HeldCreates {
        let closed = self.gate.clone().write_owned().await;
        let arrivals = self.arrivals.subscribe();
        let before = *arrivals.borrow();
        HeldCreates { _closed: closed, arrivals, before }
    }

    /// The hosted page's view of a session; `None` for an unknown id.
    pub fn page(&self, id: &str) -> Option<PageView> {
        let mut sessions = self.lock();
        let now = self.clock.now();
        let session = sessions.by_id.get_mut(id)?;
        session.expire_if_due(now);
        Some(PageView {
            currency: session.currency,
            lines: session.lines.clone(),
            total_minor: session.total_minor,
            cancel_url: session.cancel_url.clone(),
            payable: session.payable(),
        })
    }

    /// Pays a session with a test card, as the hosted page's form does.
    pub fn pay(&self, id: &str, card: &CardInput) -> PageOutcome {
        let now = self.clock.now();
        let mut sessions = self.lock();
        let Some(session) = sessions.by_id.get_mut(id) else { return PageOutcome::Unknown };
        session.expire_if_due(now);
        match session.payable() {
            Payable::Yes => {}
            other => return PageOutcome::NotPayable(other),
        }
        match test_cards::verdict(year_and_month(now), card) {
            CardVerdict::Declined(reason) => PageOutcome::Declined(reason),
            CardVerdict::Approved(card) => {
                session.state = Lifecycle::Paid { payment: format!("pi_test_{}", random_id()), card, refunded: false };
                PageOutcome::Paid(session.success_url.replace("{CHECKOUT_SESSION_ID}", &session.id))
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sessions> {
        // A panic while holding the lock leaves plain data, still consistent.
        self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn state(&self, id: &str) -> Result<SessionState, ProviderError> {
        let now = self.clock.now();
        let mut sessions = self.lock();
        let session = sessions.by_id.get_mut(id).ok_or(ProviderError::NotFound)?;
        session.expire_if_due(now);
        Ok(session.reported())
    }
}

impl TestSession {
    fn expire_if_due(&mut self, now: Timestamp) {
        if self.state == Lifecycle::Open && now >= self.expires_at {
            self.state = Lifecycle::Expired;
        }
    }

    fn payable(&self) -> Payable {
        match self.state {
            Lifecycle::Open => Payable::Yes,
            Lifecycle::Paid { .. } => Payable::AlreadyPaid,
            Lifecycle::Expired => Payable::Expired,
        }
    }

    fn reported(&self) -> SessionState {
        let (status, payment, payment_reference, card) = match &self.state {
            Lifecycle::Open => (SessionStatus::Open, PaymentState::Unpaid, None, None),
            Lifecycle::Expired => (SessionStatus::Expired, PaymentState::Unpaid, None, None),
            Lifecycle::Paid { payment, card, .. } => {
                (SessionStatus::Complete, PaymentState::Paid, Some(payment.clone()), Some(card.clone()))
            }
        };
        SessionState {
            id: self.id.clone(),
            status,
            payment,
            amount_total_minor: Some(self.total_minor),
            currency: self.currency.code().to_owned(),
            payment_reference,
            client_reference: Some(self.client_reference.clone()),
            card,
            payment_failed: false,
        }
    }
}

impl PaymentProvider for TestProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Test
    }

    fn create_session<'a>(&'a self, request: &'a SessionRequest) -> ProviderFuture<'a, HostedSession> {
        Box::pin(async move {
            self.arrivals.send_modify(|arrived| *arrived += 1);
            let _open = self.gate.read().await;
            self.create_now(request)
        })
    }


    fn retrieve_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState> {
        let state = self.state(id);
        Box::pin(async move { state })
    }

    fn expire_session<'a>(&'a self, id: &'a str) -> ProviderFuture<'a, SessionState> {
        let expired = (|| {
            let mut sessions = self.lock();
            let session = sessions.by_id.get_mut(id).ok_or(ProviderError::NotFound)?;
            if session.state == Lifecycle::Open {
                session.state = Lifecycle::Expired;
            }
            Ok(session.reported())
        })();
        Box::pin(async move { expired })
    }

    fn refund<'a>(&'a self, payment: &'a str, idempotency_key: &'a str) -> ProviderFuture<'a, Refund> {
        let refunded = (|| {
            let mut sessions = self.lock();
            if let Some(id) = sessions.refunds.get(idempotency_key) {
                return Ok(Refund { id: id.clone() });
            }
            let session = sessions
                .by_id
                .values_mut()
                .find(|session| matches!(&session.state, Lifecycle::Paid { payment: paid, .. } if paid == payment))
                .ok_or(ProviderError::NotFound)?;
            match &mut session.state {
                Lifecycle::Paid { refunded: true, .. } => {
                    return Err(ProviderError::Refused { status: 400, code: Some("charge_already_refunded".into()) });
                }
                Lifecycle::Paid { refunded, .. } => *refunded = true,
                _ => unreachable!("found by its payment"),
            }
            let id = format!("re_test_{}", random_id());
            sessions.refunds.insert(idempotency_key.to_owned(), id.clone());
            Ok(Refund { id })
        })();
        Box::pin(async move { refunded })
    }
}

impl TestProvider {
    /// Creates a session now, once per idempotency key, as Stripe does.
    fn create_now(&self, request: &SessionRequest) -> Result<HostedSession, ProviderError> {
        let sum = request.lines.iter().try_fold(0i64, |sum, line| {
            line.unit_amount_minor.checked_mul(i64::from(line.quantity)).and_then(|amount| sum.checked_add(amount))
        });
        if sum != Some(request.total_minor) || request.total_minor <= 0 {
            return Err(ProviderError::Refused { status: 400, code: Some("amount_mismatch".into()) });
        }
        let mut sessions = self.lock();
        if let Some(id) = sessions.by_key.get(&request.idempotency_key) {
            let session = &sessions.by_id[id];
            return Ok(HostedSession { id: id.clone(), url: self.page_url(id), expires_at: session.expires_at });
        }
        let id = format!("cs_test_{}", random_id());
        sessions.by_key.insert(request.idempotency_key.clone(), id.clone());
        sessions.by_id.insert(
            id.clone(),
            TestSession {
                id: id.clone(),
                currency: request.currency,
                lines: request.lines.clone(),
                total_minor: request.total_minor,
                success_url: request.success_url.clone(),
                cancel_url: request.cancel_url.clone(),
                expires_at: request.expires_at,
                client_reference: request.idempotency_key.clone(),
                state: Lifecycle::Open,
            },
        );
        Ok(HostedSession { url: self.page_url(&id), id, expires_at: request.expires_at })
    }

    fn page_url(&self, id: &str) -> String {
        format!("{PAGE_PATH}/{id}")
    }
}

/// (year, month) of `now`, which the test cards' expiry is checked against.
fn year_and_month(now: Timestamp) -> (u32, u32) {
    let now = time::OffsetDateTime::from_unix_timestamp(now.millis() / 1000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    (now.year().max(0) as u32, u32::from(u8::from(now.month())))
}

fn random_id() -> String {
    crate::domain::unique_key()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SystemClock;

    fn request(key: &str) -> SessionRequest {
        SessionRequest {
            idempotency_key: key.into(),
            currency: Currency::EUR,
            lines: vec![
                SessionLine { name: "Day Pass".into(), quantity: 2, unit_amount_minor: 2_500 },
                SessionLine { name: "VAT 21%".into(), quantity: 1, unit_amount_minor: 1_050 },
            ],
            total_minor: 6_050,
            customer_email: "ana@example.com".into(),
            success_url: "http://shop.test/checkout/return?session_id={CHECKOUT_SESSION_ID}".into(),
            cancel_url: "http://shop.test/checkout/payment?payment=cancelled".into(),
            expires_at: SystemClock.now().plus(std::time::Duration::from_secs(3600)),
        }
    }

    fn provider() -> TestProvider {
        TestProvider::new(Arc::new(SystemClock))
    }

    fn card(number: &str) -> CardInput {
        CardInput { number: number.into(), expiry: "12/40".into(), cvc: "123".into() }
    }

    #[tokio::test]
    async fn one_key_makes_one_session_and_paying_it_returns_like_stripe() {
        let provider = provider();
        let first = provider.create_session(&request("k1")).await.unwrap();
        assert_eq!(provider.create_session(&request("k1")).await.unwrap(), first);
        assert!(first.url.starts_with("/test-payments/cs_test_"), "{}", first.url);
        assert_eq!(provider.retrieve_session(&first.id).await.unwrap().status, SessionStatus::Open);

        assert_eq!(provider.pay(&first.id, &card("4000000000000002")), PageOutcome::Declined(DeclineReason::CardDeclined));
        let outcome = provider.pay(&first.id, &card("4242424242424242"));
        assert_eq!(outcome, PageOutcome::Paid(format!("http://shop.test/checkout/return?session_id={}", first.id)));
        let paid = provider.retrieve_session(&first.id).await.unwrap();
        assert_eq!((paid.status, paid.payment, paid.amount_total_minor), (SessionStatus::Complete, PaymentState::Paid, Some(6_050)));
        assert_eq!(paid.card, Some(CardSummary { brand: "Visa".into(), last4: "4242".into() }));
        assert_eq!(provider.pay(&first.id, &card("4242424242424242")), PageOutcome::NotPayable(Payable::AlreadyPaid));
    }

    #[tokio::test]
    async fn an_expired_session_cannot_be_paid_and_a_paid_one_cannot_expire() {
        let provider = provider();
        let open = provider.create_session(&request("open")).await.unwrap();
        assert_eq!(provider.expire_session(&open.id).await.unwrap().status, SessionStatus::Expired);
        assert_eq!(provider.pay(&open.id, &card("4242424242424242")), PageOutcome::NotPayable(Payable::Expired));

        let paid = provider.create_session(&request("paid")).await.unwrap();
        provider.pay(&paid.id, &card("4242424242424242"));
        assert_eq!(provider.expire_session(&paid.id).await.unwrap().status, SessionStatus::Complete);
    }

    #[tokio::test]
    async fn a_refund_happens_once_per_key() {
        let provider = provider();
        let session = provider.create_session(&request("r")).await.unwrap();
        provider.pay(&session.id, &card("4242424242424242"));
        let payment = provider.retrieve_session(&session.id).await.unwrap().payment_reference.unwrap();
        let refund = provider.refund(&payment, "refund-1").await.unwrap();
        assert_eq!(provider.refund(&payment, "refund-1").await.unwrap(), refund);
        assert!(matches!(provider.refund(&payment, "refund-2").await, Err(ProviderError::Refused { .. })));
    }

    #[tokio::test]
    async fn lines_that_do_not_add_up_make_no_session() {
        let mut bad = request("bad");
        bad.total_minor += 1;
        assert!(matches!(provider().create_session(&bad).await, Err(ProviderError::Refused { .. })));
    }
}
