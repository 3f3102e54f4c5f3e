//! Email: messages are written to the outbox in the transaction of the event
//! that causes them; a background worker delivers them over SMTP (lettre) or,
//! without an SMTP server, as `.eml` files in a directory.
//!
//! Delivery is at least once: a row is claimed with a lease before sending
//! and marked sent afterwards, so two workers never send the same message;
//! only a crash between the SMTP answer and the mark could repeat one.

pub mod templates;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::domain::{Clock, InvoiceId};
use crate::server::config::MailSettings;
use crate::server::services::shop::{PrintedLetterhead, Shop};
use crate::server::db::Db;
use crate::server::pdf;
use crate::server::store::outbox::{self, ClaimedEmail, OutgoingEmail};
use crate::domain::Invoice;
use crate::server::store;
pub use templates::Templates;

/// After this many failed attempts a message is given up (about an hour of retries).
pub const MAX_ATTEMPTS: i64 = 8;
/// How many messages a worker claims at once: under load, claiming and
/// recording a batch in one transaction each keeps the worker from taking
/// turns with registrations for every single email.
const BATCH: usize = 10;
/// The most one delivery attempt may take, all SMTP steps included.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a worker may hold a claimed batch: every attempt timing out, with room to spare.
const LEASE: Duration = Duration::from_secs(30 * BATCH as u64 + 60);
/// After a nudge, wait this long so that mail queued together goes out together.
const GATHER: Duration = Duration::from_millis(100);

/// What services need to queue mail: the wording, and a way to wake this
/// instance's worker once the queuing transaction has committed.
#[derive(Clone)]
pub struct Mail {
    pub templates: Arc<Templates>,
    wake: Arc<Notify>,
}

impl Mail {
    pub fn new(templates: Templates) -> Self {
        Self { templates: Arc::new(templates), wake: Arc::new(Notify::new()) }
    }

    /// Call after committing a transaction that queued mail.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("MAIL_FROM: {0}")]
    From(String),
    #[error("SMTP_URL: {0}")]
    Smtp(String),
}

/// Where delivered messages go.
#[derive(Clone)]
enum Delivery {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Directory(PathBuf),
}

/// How one delivery attempt ended.
enum Attempt {
    Delivered,
    /// Worth retrying later (connection refused, 4xx, timeout).
    Transient(String),
    /// Retrying cannot help (5xx, an unusable address).
    Permanent(String),
}

/// What becomes of a message after one attempt.
enum Verdict {
    Sent,
    Retry(String),
    GiveUp(String),
}

impl Verdict {
    /// Decides (and logs) the fate of `message` after `attempt`.
    fn of(message: &ClaimedEmail, attempt: Attempt) -> Self {
        match attempt {
            Attempt::Delivered => Self::Sent,
            Attempt::Transient(error) if message.attempts < MAX_ATTEMPTS => {
                tracing::warn!(message = message.id, attempts = message.attempts, %error, "email delivery failed; will retry");
                Self::Retry(error)
            }
            Attempt::Transient(error) | Attempt::Permanent(error) => {
                tracing::error!(message = message.id, attempts = message.attempts, %error, "email delivery failed permanently");
                Self::GiveUp(error)
            }
        }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

impl DeliveryReport {
    fn count(&mut self, verdict: &Verdict) {
        let outcome = match verdict {
            Verdict::Sent => {
                self.sent += 1;
                "sent"
            }
            Verdict::Retry(_) => {
                self.retried += 1;
                "retry"
            }
            Verdict::GiveUp(_) => {
                self.failed += 1;
                "failed"
            }
        };
        crate::server::metrics::delivery(outcome);
    }
}

/// The delivering side of the outbox.
#[derive(Clone)]
pub struct Outbox {
    db: Db,
    clock: Arc<dyn Clock>,
    /// `MAIL_FROM`, if set; otherwise the seller's name and email.
    mail_from: Option<Mailbox>,
    delivery: Delivery,
    /// The seller who signs messages, and the letterheads attached invoices print.
    shop: Shop,
    mail: Mail,
    poll_interval: Duration,
    /// When the background worker last made progress (readiness reads it).
    heartbeat: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
    /// Set on shutdown: the worker finishes the batch in hand and stops.
    stopping: Arc<(std::sync::atomic::AtomicBool, Notify)>,
}

impl Outbox {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: &MailSettings,
        shop: Shop,
        mail: Mail,
    ) -> Result<Self, MailSetupError> {
        let mail_from = match &settings.from {
            Some(from) => Some(from.parse::<Mailbox>().map_err(|e| MailSetupError::From(format!("{e}")))?),
            None => None,
        };
        let delivery = match &settings.smtp_url {
            Some(url) => Delivery::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // lettre's message may quote the URL; never show it, it can hold a password.
                    .map_err(|_| MailSetupError::Smtp("not a usable SMTP URL (smtp://[user:pass@]host[:port][?tls=required] or smtps://…)".into()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => Delivery::Directory(PathBuf::from(&settings.mail_dir)),
        };
        Ok(Self {
            db,
            clock,
            mail_from,
            delivery,
            shop,
            mail,
            poll_interval: settings.poll_interval,
            heartbeat: Arc::default(),
            stopping: Arc::default(),
        })
    }

    /// Whether this instance's worker (`run`) has made progress within
    /// `within`: a pass began or a batch was recorded. False until it starts.
    pub fn worker_alive(&self, within: Duration) -> bool {
        self.heartbeat.lock().ok().and_then(|beat| *beat).is_some_and(|beat| beat.elapsed() <= within)
    }

    /// How long the worker may go without progress and still count as alive:
    /// several polls, or one slow batch (every attempt timing out).
    pub fn worker_grace(&self) -> Duration {
        (self.poll_interval * 10).max(ATTEMPT_TIMEOUT * 2)
    }

    /// Asks the worker to stop after the batch in hand: its outcomes are
    /// recorded, so no message is left claimed until its lease runs out.
    pub fn stop(&self) {
        self.stopping.0.store(true, std::sync::atomic::Ordering::SeqCst);
        self.stopping.1.notify_one();
    }

    fn stopped(&self) -> bool {
        self.stopping.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn beat(&self) {
        if let Ok(mut beat) = self.heartbeat.lock() {
            *beat = Some(std::time::Instant::now());
        }
    }

    /// Delivers until nothing is due. Several workers may run this at once.
    pub async fn deliver_due(&self) -> Result<DeliveryReport, sqlx::Error> {
        let mut report = DeliveryReport::default();
        // One claim token per pass identifies this worker's claims.
        let claim = crate::domain::unique_key();
        // A read before claiming: an idle poll should not queue for SQLite's
        // single writer behind registrations. After a full batch more is
        // likely due, so the claim itself is the check.
        let mut check_first = true;
        loop {
            if self.stopped() {
                return Ok(report);
            }
            if check_first && !outbox::has_due(&mut *self.db.pool.acquire().await?, self.clock.now()).await? {
                return Ok(report);
            }
            let now = self.clock.now();
            let claimed = {
                let mut tx = self.db.begin_write().await?;
                let claimed = outbox::claim_due(&mut tx, &claim, now, now.plus(LEASE), BATCH as i64).await?;
                tx.commit().await?;
                claimed
            };
            check_first = claimed.len() < BATCH;
            if claimed.is_empty() {
                // Another worker won the race for these rows.
                continue;
            }
            let invoices = self.invoices_to_attach(&claimed).await;
            // No database connection is held while talking to the mail server.
            let mut batch = Vec::with_capacity(claimed.len());
            for (message, prepared) in claimed.iter().zip(prepare_batch(self.composer(), &claimed, invoices).await) {
                let attempt = match prepared {
                    Ok(prepared) => tokio::time::timeout(ATTEMPT_TIMEOUT, self.deliver(message, prepared))
                        .await
                        .unwrap_or_else(|_| Attempt::Transient("delivery took too long".into())),
                    Err(attempt) => attempt,
                };
                let verdict = Verdict::of(message, attempt);
                report.count(&verdict);
                batch.push((message, verdict));
            }
            self.beat();
            if let Err(error) = self.record(&claim, &batch).await {
                // Do not let one failure undo the record of every message in
                // the batch (they would be sent again once the lease ends).
                tracing::warn!(%error, "recording a batch of deliveries failed; recording one by one");
                for one in batch.chunks(1) {
                    if let Err(error) = self.record(&claim, one).await {
                        tracing::error!(message = one[0].0.id, %error, "cannot record a delivery; it may be sent again");
                    }
                }
            }
        }
    }

    /// What turns this batch's rows into messages: the sender as the shop
    /// is now (unless `MAIL_FROM` names one) and where they go.
    fn composer(&self) -> Composer {
        let from = self.mail_from.clone().unwrap_or_else(|| {
            let seller = self.shop.current();
            let letterhead = &seller.seller.letterhead;
            match letterhead.email.parse() {
                Ok(address) => Mailbox::new(Some(letterhead.name.clone()), address),
                // The shop file and SELLER_EMAIL both check the address; the
                // built-in one is valid. Kept total all the same.
                Err(_) => "billing@localhost".parse().expect("a valid mailbox"),
            }
        });
        Composer { from, delivery: self.delivery.clone() }
    }

    /// The invoices a claimed batch attaches, with the letterheads they
    /// print, read once each. A read that fails is kept as its error: those
    /// messages are retried later.
    async fn invoices_to_attach(&self, claimed: &[ClaimedEmail]) -> HashMap<InvoiceId, Result<Attached, Unattachable>> {
        let mut wanted: Vec<InvoiceId> = claimed.iter().filter_map(|message| message.email.attachment).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut invoices = HashMap::with_capacity(wanted.len());
        if wanted.is_empty() {
            return invoices;
        }
        let mut conn = match self.db.pool.acquire().await {
            Ok(conn) => conn,
            Err(error) => {
                let reason = format!("cannot read the invoice to attach: {error}");
                return wanted.into_iter().map(|id| (id, Err(Unattachable::Unreadable(reason.clone())))).collect();
            }
        };
        for id in wanted {
            let found = match store::invoices::find_invoice(&mut conn, id).await {
                Ok(Some(invoice)) => match self.shop.printed_letterhead(invoice.letterhead_id).await {
                    Ok(letterhead) => Ok((invoice, letterhead)),
                    Err(error) => Err(Unattachable::Unreadable(format!("cannot read the invoice's letterhead: {error}"))),
                },
                Ok(None) => Err(Unattachable::Missing),
                Err(error) => Err(Unattachable::Unreadable(format!("cannot read the invoice to attach: {error}"))),
            };
            invoices.insert(id, found);
        }
        invoices
    }

    /// Records delivery verdicts in one transaction.
    async fn record(&self, claim: &str, batch: &[(&ClaimedEmail, Verdict)]) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await?;
        let mut sent = Vec::with_capacity(batch.len());
        for (message, verdict) in batch {
            match verdict {
                Verdict::Sent => sent.push(message.id),
                Verdict::Retry(error) => {
                    outbox::mark_retry(&mut tx, message.id, claim, now.plus(backoff(message.attempts)), error).await?
                }
                Verdict::GiveUp(error) => outbox::mark_failed(&mut tx, message.id, claim, error).await?,
            }
        }
        // All sent messages in one statement.
        let recorded = outbox::mark_sent(&mut tx, &sent, claim, now).await?;
        if recorded < sent.len() as u64 {
            tracing::warn!(emails = sent.len() as u64 - recorded, "emails sent after their claim lapsed; another worker may send them too");
        }
        tx.commit().await
    }

    /// Runs forever: delivers what is due, then waits for a nudge or the poll interval.
    pub async fn run(self) {
        while !self.stopped() {
            self.beat();
            if let Err(error) = self.deliver_due().await {
                tracing::error!(%error, "outbox pass failed");
            }
            tokio::select! {
                () = self.mail.wake.notified() => tokio::time::sleep(GATHER).await,
                () = tokio::time::sleep(self.poll_interval) => {}
                () = self.stopping.1.notified() => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }

    async fn deliver(&self, message: &ClaimedEmail, prepared: Prepared) -> Attempt {
        match prepared {
            Prepared::Written(path) => {
                tracing::info!(subject = %message.email.subject, path = %path.display(), "email written to the mail directory");
                Attempt::Delivered
            }
            Prepared::Smtp(built, transport) => match transport.send(built).await {
                Ok(_) => {
                    tracing::info!(message = message.id, "email sent");
                    Attempt::Delivered
                }
                Err(error) if error.is_permanent() => Attempt::Permanent(error.to_string()),
                Err(error) => Attempt::Transient(error.to_string()),
            },
        }
    }
}

/// Why an invoice could not be read for attaching.
enum Unattachable {
    /// Invoices are never deleted, so it cannot appear later either.
    Missing,
    /// A passing database failure: worth another attempt.
    Unreadable(String),
}

/// What turns a queued row into a message: the sender and where it goes.
#[derive(Clone)]
struct Composer {
    from: Mailbox,
    delivery: Delivery,
}

/// An invoice to attach and the letterhead it prints (as pdfByToken prints it).
type Attached = (Invoice, Arc<PrintedLetterhead>);

/// A message made ready on the blocking pool.
enum Prepared {
    Smtp(Message, AsyncSmtpTransport<Tokio1Executor>),
    Written(PathBuf),
}

/// Builds a batch's messages (and, for the directory, writes them): MIME
/// encoding and file writes are blocking work, done in one task on the
/// blocking pool, off the threads that answer requests. One result per
/// message, in order; a message that panics or a batch that hangs (a stuck
/// file system) comes back as a transient failure.
async fn prepare_batch(
    composer: Composer,
    claimed: &[ClaimedEmail],
    invoices: HashMap<InvoiceId, Result<Attached, Unattachable>>,
) -> Vec<Result<Prepared, Attempt>> {
    let emails: Vec<(i64, OutgoingEmail)> = claimed.iter().map(|message| (message.id, message.email.clone())).collect();
    let task = tokio::task::spawn_blocking(move || {
        emails
            .iter()
            .map(|(id, email)| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare_one(&composer, &invoices, *id, email)))
                    .unwrap_or_else(|_| Err(Attempt::Transient("preparing the message failed unexpectedly".into())))
            })
            .collect::<Vec<_>>()
    });
    let failed = |reason: String| -> Vec<Result<Prepared, Attempt>> { claimed.iter().map(|_| Err(Attempt::Transient(reason.clone()))).collect() };
    let prepared = match tokio::time::timeout(ATTEMPT_TIMEOUT, task).await {
        Ok(Ok(prepared)) => prepared,
        Ok(Err(error)) => failed(format!("delivery task failed: {error}")),
        Err(_) => failed("preparing the messages took too long".into()),
    };
    debug_assert_eq!(prepared.len(), claimed.len(), "one result per claimed message");
    prepared
}

fn prepare_one(
    composer: &Composer,
    invoices: &HashMap<InvoiceId, Result<Attached, Unattachable>>,
    id: i64,
    email: &OutgoingEmail,
) -> Result<Prepared, Attempt> {
    let attachment = match email.attachment {
        None => None,
        Some(invoice) => match invoices.get(&invoice) {
            Some(Ok((invoice, letterhead))) => Some(invoice_attachment(invoice, letterhead)?),
            Some(Err(Unattachable::Missing)) => return Err(Attempt::Permanent(format!("invoice {invoice} to attach does not exist"))),
            Some(Err(Unattachable::Unreadable(reason))) => return Err(Attempt::Transient(reason.clone())),
            None => return Err(Attempt::Transient(format!("invoice {invoice} to attach was not read"))),
        },
    };
    let built = build(composer.from.clone(), email, attachment).map_err(Attempt::Permanent)?;
    match &composer.delivery {
        Delivery::Smtp(transport) => Ok(Prepared::Smtp(built, transport.clone())),
        Delivery::Directory(dir) => write_eml(dir, id, &built.formatted())
            .map(Prepared::Written)
            .map_err(|error| Attempt::Transient(format!("cannot write to {}: {error}", dir.display()))),
    }
}

/// The invoice PDF as a mail part: the bytes pdfByToken serves, named in
/// the invoice's language (pdfByToken, part of the REST API, keeps its name).
fn invoice_attachment(invoice: &Invoice, letterhead: &PrintedLetterhead) -> Result<lettre::message::SinglePart, Attempt> {
    let bytes = pdf::render_invoice(invoice, letterhead).map_err(|error| Attempt::Permanent(format!("cannot render the invoice PDF: {error}")))?;
    let pdf_type = ContentType::parse("application/pdf").expect("a valid MIME type");
    Ok(Attachment::new(templates::attachment_name(invoice)).body(bytes, pdf_type))
}

fn build(from: Mailbox, email: &OutgoingEmail, attachment: Option<lettre::message::SinglePart>) -> Result<Message, String> {
    let to: Mailbox = email.to.parse().map_err(|e| format!("recipient address: {e}"))?;
    let body = MultiPart::alternative_plain_html(email.text.clone(), email.html.clone());
    let body = match attachment {
        Some(file) => MultiPart::mixed().multipart(body).singlepart(file),
        None => body,
    };
    Message::builder()
        .from(from)
        .to(to)
        .subject(&email.subject)
        .multipart(body)
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// 30 s after the first failure, doubling, at most an hour.
fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    Duration::from_secs(30).saturating_mul(2u32.saturating_pow(doublings)).min(Duration::from_secs(3600))
}

/// Writes `<dir>/<id>.eml` atomically (a temporary file, then a rename), so a
/// reader never sees half a message and a repeat overwrites instead of duplicating.
fn write_eml(dir: &std::path::Path, id: i64, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{id:08}.eml"));
    let partial = dir.join(format!(".{id:08}.eml.partial"));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimed(id: i64, to: &str) -> ClaimedEmail {
        let email = OutgoingEmail {
            to: to.into(),
            subject: format!("Message {id}"),
            text: "Hello".into(),
            html: "<p>Hello</p>".into(),
            attachment: None,
        };
        ClaimedEmail { id, email, attempts: 1 }
    }

    #[tokio::test]
    async fn a_batch_is_prepared_in_order_and_one_bad_message_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let from: Mailbox = "Billing <billing@example.com>".parse().unwrap();
        let batch = [claimed(7, "kim@example.com"), claimed(8, "not an address"), claimed(9, "sam@example.com")];

        let composer = Composer { from, delivery: Delivery::Directory(dir.path().to_path_buf()) };
        let prepared = prepare_batch(composer, &batch, HashMap::new()).await;

        assert_eq!(prepared.len(), 3);
        assert!(matches!(&prepared[0], Ok(Prepared::Written(path)) if path.ends_with("00000007.eml")));
        assert!(matches!(&prepared[1], Err(Attempt::Permanent(reason)) if reason.contains("recipient")));
        assert!(matches!(&prepared[2], Ok(Prepared::Written(path)) if path.ends_with("00000009.eml")));
        let written = std::fs::read_to_string(dir.path().join("00000009.eml")).unwrap();
        assert!(written.contains("sam@example.com") && written.contains("Message 9"), "{written}");
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(4), Duration::from_secs(240));
        assert_eq!(backoff(8), Duration::from_secs(3600));
        assert_eq!(backoff(100), Duration::from_secs(3600));
    }
}
