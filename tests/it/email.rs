//! Email delivery: the outbox over real SMTP, retries, permanent failures,
//! and no duplicates with two workers.

use crate::common;

on_every_registration_path!(registration_email_arrives_over_smtp_with_a_working_link, a_refused_registration_queues_no_email);

mod delivery {
    use super::*;
    on_both_backends!(
    a_deferred_message_is_retried_with_backoff,
    a_permanent_refusal_is_recorded_and_not_retried,
    two_workers_never_send_a_message_twice,
    a_message_held_by_a_crashed_worker_is_sent_once_its_lease_ends,
    a_delivery_is_recorded_only_under_the_claim_that_holds_it,
    a_crashed_workers_message_is_taken_over_ahead_of_a_backlog,
    );
}

use std::time::Duration;

use axum::http::StatusCode;
use checkout_portal::domain::{Clock, Timestamp};
use checkout_portal::server::store::outbox::{claim_due, enqueue, mark_sent, OutgoingEmail};
use common::smtp::{Behaviour, SmtpSink};
use common::{form_value, Backend, Browser, TestApp};

async fn app_with_smtp(backend: Backend, behaviour: Behaviour) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start(behaviour).await;
    let app = TestApp::with_env(backend, &[("SMTP_URL", &sink.url())]).await;
    (app, sink)
}

async fn registration_email_arrives_over_smtp_with_a_working_link(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::Accept).await;
    let paid = app.purchase_as("jane@example.com", "Jane Doe").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    let report = app.deliver_mail().await;
    assert_eq!(report.sent, 1);

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let mail = &messages[0];
    assert_eq!(mail.to, "jane@example.com");
    assert_eq!(mail.from, "billing@harbourside.example");
    assert!(!mail.html.is_empty() && !mail.text.is_empty(), "plain text and HTML");
    let token = mail.link_token("/account/set-password");
    let reply = Browser::new(&app).call("/account/api/password", &format!("token={token}&password={}", form_value("a good passphrase"))).await;
    assert_eq!(reply.status, StatusCode::OK, "the emailed link works: {}", reply.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at IS NOT NULL").await, 1);
    assert!(std::fs::read_dir(app.mail_dir.path()).unwrap().next().is_none(), "nothing written to the mail dir with SMTP");
    // A second pass sends nothing again.
    assert_eq!(app.deliver_mail().await.sent, 0);
    assert_eq!(sink.messages().len(), 1);
}

async fn a_deferred_message_is_retried_with_backoff(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::DeferFirst(2)).await;
    let paid = app.purchase().await;
    app.register(paid.invoice, paid.basket).await;

    assert_eq!(app.deliver_mail().await.retried, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 1 AND last_error LIKE '%451%'").await, 1);
    // Not due yet: nothing happens until the backoff has passed.
    assert_eq!(app.deliver_mail().await, Default::default());
    app.advance(Duration::from_secs(30));
    assert_eq!(app.deliver_mail().await.retried, 1, "second attempt, deferred again");
    app.advance(Duration::from_secs(59));
    assert_eq!(app.deliver_mail().await.sent, 0, "the backoff doubled to 60 s");
    app.advance(Duration::from_secs(1));
    assert_eq!(app.deliver_mail().await.sent, 1);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 3").await, 1);
}

async fn a_permanent_refusal_is_recorded_and_not_retried(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::RejectRecipients).await;
    let paid = app.purchase().await;
    app.register(paid.invoice, paid.basket).await;
    assert_eq!(app.deliver_mail().await.failed, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND last_error LIKE '%550%'").await, 1);
    app.advance(Duration::from_secs(24 * 3600));
    assert_eq!(app.deliver_mail().await, Default::default());
    assert!(sink.messages().is_empty());
}

async fn two_workers_never_send_a_message_twice(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::Accept).await;
    let twin = app.twin().await;
    let now = Timestamp::from_millis(common::START.millis());
    {
        let mut tx = app.state.db.begin_write().await.unwrap();
        for n in 0..40 {
            let email = OutgoingEmail {
                to: format!("guest{n}@example.com"),
                subject: format!("message {n}"),
                text: "hello".into(),
                html: "<p>hello</p>".into(),
                attachment: None,
            };
            enqueue(&mut tx, &email, now).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    // Two instances' workers, each with two passes in flight.
    let (a, b, c, d) = tokio::join!(
        app.state.outbox.deliver_due(),
        twin.state.outbox.deliver_due(),
        app.state.outbox.deliver_due(),
        twin.state.outbox.deliver_due(),
    );
    let sent: usize = [a, b, c, d].into_iter().map(|r| r.unwrap().sent).sum();
    assert_eq!(sent, 40);
    let mut subjects: Vec<_> = sink.messages().into_iter().map(|m| m.subject).collect();
    assert_eq!(subjects.len(), 40, "each message arrived exactly once");
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 40, "no duplicates");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await, 40);
}

async fn a_message_held_by_a_crashed_worker_is_sent_once_its_lease_ends(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::Accept).await;
    let paid = app.purchase().await;
    app.register(paid.invoice, paid.basket).await;
    // A worker claims the welcome email, then its process dies before sending.
    let now = app.clock.now();
    {
        let mut tx = app.state.db.begin_write().await.unwrap();
        let claimed = claim_due(&mut tx, "crashed-worker", now, now.plus(Duration::from_secs(300)), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        tx.commit().await.unwrap();
    }
    assert_eq!(app.deliver_mail().await, Default::default(), "still leased to the crashed worker");
    app.advance(Duration::from_secs(301));
    assert_eq!(app.deliver_mail().await.sent, 1, "taken over once the lease ran out");
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2").await, 1);
}

async fn a_delivery_is_recorded_only_under_the_claim_that_holds_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    let now = app.clock.now();
    let mut tx = app.state.db.begin_write().await.unwrap();
    for n in 0..3 {
        let email = OutgoingEmail { to: format!("guest{n}@example.com"), subject: "hi".into(), text: "hello".into(), html: "<p>hello</p>".into(), attachment: None };
        enqueue(&mut tx, &email, now).await.unwrap();
    }
    let claimed: Vec<i64> = claim_due(&mut tx, "worker-b", now, now.plus(Duration::from_secs(60)), 10).await.unwrap().iter().map(|m| m.id).collect();
    assert_eq!(claimed.len(), 3);
    // A worker whose lease lapsed (another took the messages over) records nothing.
    assert_eq!(mark_sent(&mut tx, &claimed, "worker-a", now).await.unwrap(), 0);
    // The holder records exactly the ids it names.
    assert_eq!(mark_sent(&mut tx, &claimed[..2], "worker-b", now).await.unwrap(), 2);
    assert_eq!(mark_sent(&mut tx, &[], "worker-b", now).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND text_body = '' AND claim_token IS NULL").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND claim_token = 'worker-b'").await, 1);
}

async fn a_crashed_workers_message_is_taken_over_ahead_of_a_backlog(backend: Backend) {
    let app = TestApp::new(backend).await;
    let now = app.clock.now();
    let email = |n: usize| OutgoingEmail { to: format!("guest{n}@example.com"), subject: "hi".into(), text: "hello".into(), html: "<p>hello</p>".into(), attachment: None };
    let mut tx = app.state.db.begin_write().await.unwrap();
    let held = enqueue(&mut tx, &email(0), now).await.unwrap();
    assert_eq!(claim_due(&mut tx, "crashed", now, now.plus(Duration::from_secs(60)), 1).await.unwrap()[0].id, held);
    // Then a backlog larger than one batch queues up behind it.
    for n in 1..=25 {
        enqueue(&mut tx, &email(n), now.plus(Duration::from_secs(1))).await.unwrap();
    }
    let later = now.plus(Duration::from_secs(61));
    let batch: Vec<i64> = claim_due(&mut tx, "next", later, later.plus(Duration::from_secs(60)), 10).await.unwrap().iter().map(|m| m.id).collect();
    tx.commit().await.unwrap();
    assert_eq!(batch.len(), 10);
    assert!(batch.contains(&held), "the lapsed message is in the first batch: {batch:?}");
}

async fn a_refused_registration_queues_no_email(backend: Backend) {
    let (app, sink) = app_with_smtp(backend, Behaviour::Accept).await;
    let paid = app.purchase().await;
    // A registration that fails (wrong invoice) writes nothing, email included.
    let other = app.purchase_as("other@example.com", "Other").await;
    assert_eq!(app.register(other.invoice, paid.basket).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(app.deliver_mail().await, Default::default());
    assert!(sink.messages().is_empty());
}

/// On shutdown the worker stops between batches, so it leaves no claim behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_worker_ends_promptly_and_holds_no_claim() {
    let app = TestApp::new(Backend::Sqlite).await;
    let paid = app.purchase().await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, axum::http::StatusCode::OK);
    let worker = tokio::spawn(app.state.outbox.clone().run());
    // The queued welcome email goes out, then the worker is asked to stop.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await < 1 {
        assert!(std::time::Instant::now() < deadline, "the email was never sent");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.state.outbox.stop();
    tokio::time::timeout(std::time::Duration::from_secs(5), worker).await.expect("stopped within 5 s").unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").await, 0);
}
