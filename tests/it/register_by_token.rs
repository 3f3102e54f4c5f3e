//! registerByToken over HTTP on the real router and a real database, on both backends.

use crate::common;

on_every_registration_path!(
    registers_the_guest_and_returns_an_invoice_token,
    accepts_an_uppercase_guid,
    rejects_malformed_missing_and_unknown_tokens_with_401,
    a_genuine_token_for_another_or_missing_invoice_is_404_and_not_consumed,
    invoice_ids_cannot_be_probed_without_a_genuine_token,
    a_used_token_is_401,
    an_expired_token_is_401_after_the_default_24_hours,
    the_registration_window_is_configurable,
    a_malformed_invoice_id_is_a_400_never_a_5xx,
    only_post_registers,
    fifty_concurrent_registrations_with_one_token_succeed_exactly_once,
    a_registration_abandoned_at_any_point_leaves_all_or_nothing,
    twenty_purchases_by_one_new_email_registered_at_once_make_one_customer,
    an_existing_customer_with_the_same_email_is_linked_not_duplicated,
    the_consuming_update_and_the_verdict_agree_on_every_state,
);

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{Backend, TestApp};

async fn registers_the_guest_and_returns_an_invoice_token(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase_as("Jane.Doe@Example.com", "Jane Doe").await;

    let reply = app.register(paid.invoice, paid.basket).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.header("cache-control"), "no-store");
    let body = reply.json();
    let object = body.as_object().unwrap();
    assert_eq!(object.len(), 1, "only Token: {body}");
    let token = object["Token"].as_str().unwrap();
    assert_eq!(token.len(), 43, "256-bit base64url token");

    // Customer created from the bill-to details, with portal access granted.
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customers WHERE email_normalized = 'jane.doe@example.com' AND full_name = 'Jane Doe' AND portal_access_granted_at IS NOT NULL").await,
        1
    );
    // Invoice attached, basket consumed, one token stored, and only as a hash.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM invoices WHERE id = {} AND customer_id IS NOT NULL AND registration_kind = 'created'", paid.invoice)).await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 1);
    let hash = token.parse::<checkout_portal::domain::InvoiceAccessToken>().unwrap().hash();
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM invoice_access_tokens WHERE token_hash = '{}'", hash.as_str())).await,
        1
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM invoice_access_tokens WHERE token_hash = '{token}'")).await, 0);
    // No sign-in session is handed out by registration.
    assert!(reply.headers.get("set-cookie").is_none());
}

async fn accepts_an_uppercase_guid(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let reply = app.register(paid.invoice, paid.basket.to_string().to_uppercase()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

fn assert_error(reply: &common::Reply, status: StatusCode, message_part: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.header("content-type"), "application/json");
    let body = reply.json();
    assert_eq!(body["WasSuccessful"], false);
    assert_eq!(body["Status"], status.as_u16());
    let message = body["Message"].as_str().unwrap();
    assert!(message.contains(message_part), "{message:?} should mention {message_part:?}");
}

async fn rejects_malformed_missing_and_unknown_tokens_with_401(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    assert_error(&app.register(paid.invoice, "not-a-guid").await, StatusCode::UNAUTHORIZED, "not valid");
    assert_error(&app.register(paid.invoice, "").await, StatusCode::UNAUTHORIZED, "required");
    let reply = app.call(Method::POST, &format!("/api/public/billing/invoices/{}/registerByToken", paid.invoice)).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "required");
    assert_error(
        &app.register(paid.invoice, "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f").await,
        StatusCode::UNAUTHORIZED,
        "not valid",
    );
    // A query string that does not decode as one token is still just a bad token.
    let reply = app
        .call(Method::POST, &format!("/api/public/billing/invoices/{}/registerByToken?token=a&token=b", paid.invoice))
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "not valid");
    // Nothing was consumed by any of that.
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
}

async fn a_genuine_token_for_another_or_missing_invoice_is_404_and_not_consumed(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mine = app.purchase().await;
    let other = app.purchase().await;
    assert_error(&app.register(other.invoice, mine.basket).await, StatusCode::NOT_FOUND, "No invoice");
    assert_error(&app.register(999_999, mine.basket).await, StatusCode::NOT_FOUND, "No invoice");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);
    assert_eq!(app.register(mine.invoice, mine.basket).await.status, StatusCode::OK);
}

async fn invoice_ids_cannot_be_probed_without_a_genuine_token(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let unknown = "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f";
    // Existing and missing invoices answer the same without a real token.
    let existing = app.register(paid.invoice, unknown).await;
    let missing = app.register(999_999, unknown).await;
    assert_eq!(existing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(existing.body, missing.body);
}

async fn a_used_token_is_401(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    assert_error(&app.register(paid.invoice, paid.basket).await, StatusCode::UNAUTHORIZED, "already been used");
    // Even paired with the wrong invoice, the token problem is reported first.
    assert_error(&app.register(999_999, paid.basket).await, StatusCode::UNAUTHORIZED, "already been used");
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 1);
}

async fn an_expired_token_is_401_after_the_default_24_hours(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    app.advance(Duration::from_secs(24 * 3600));
    assert_error(&app.register(paid.invoice, paid.basket).await, StatusCode::UNAUTHORIZED, "expired");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 0);
}

async fn the_registration_window_is_configurable(backend: Backend) {
    let app = TestApp::with_env(backend, &[("BASKET_TOKEN_TTL", "1h")]).await;
    let fresh = app.purchase().await;
    let stale = app.purchase().await;
    app.advance(Duration::from_secs(59 * 60));
    assert_eq!(app.register(fresh.invoice, fresh.basket).await.status, StatusCode::OK);
    app.advance(Duration::from_secs(60));
    assert_error(&app.register(stale.invoice, stale.basket).await, StatusCode::UNAUTHORIZED, "expired");
}

async fn a_malformed_invoice_id_is_a_400_never_a_5xx(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    for bad in ["abc", "-1", "0", "1.5", "99999999999999999999999", "%FF"] {
        let reply = app.register(bad, paid.basket).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "invoice id");
    }
    // The token is checked first: a bad, unknown or used token with a bad id is a 401.
    assert_error(&app.register("abc", "nope").await, StatusCode::UNAUTHORIZED, "not valid");
    assert_error(
        &app.register("abc", "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f").await,
        StatusCode::UNAUTHORIZED,
        "not valid",
    );
    let used = app.purchase().await;
    app.register(used.invoice, used.basket).await;
    assert_error(&app.register("abc", used.basket).await, StatusCode::UNAUTHORIZED, "already been used");
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
}

async fn only_post_registers(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let uri = format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket);
    assert_eq!(app.call(Method::HEAD, &uri).await.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.call(Method::GET, &uri).await.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 0);
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
}

async fn fifty_concurrent_registrations_with_one_token_succeed_exactly_once(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::new(backend).await);
    let paid = app.purchase().await;
    let calls = (0..50).map(|_| {
        let app = app.clone();
        let paid = paid.clone();
        tokio::spawn(async move { app.register(paid.invoice, paid.basket).await.status })
    });
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let unauthorized = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!((ok, unauthorized), (1, 49), "{statuses:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 1);
}

/// A request dropped while it runs (a client gone, a timeout), at points
/// spread over the registration's length: whatever it had done is either
/// all there (the token then answers 401) or none of it (the token still
/// registers). Asking again waits for anything still in flight (SQLite's
/// writer thread finishes a registration it has started; PostgreSQL's row
/// lock holds the second until the first commits or rolls back), and
/// either way the invoice ends with exactly one of each row.
async fn a_registration_abandoned_at_any_point_leaves_all_or_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (mut done, mut undone) = (0, 0);
    for step in 0..25u64 {
        let email = format!("abandoned-{step}@example.com");
        let paid = app.purchase_as(&email, "Robin Gone").await;
        let uri = format!("/api/public/billing/invoices/{}/registerByToken?token={}", paid.invoice, paid.basket);
        if answered_within(1 + step * 8, app.call(Method::POST, &uri)).await.is_some() {
            continue; // answered before it could be dropped
        }
        let again = app.register(paid.invoice, paid.basket).await.status;
        let invoice = paid.invoice;
        let rows = [
            app.count(&format!("SELECT COUNT(*) FROM basket_sessions WHERE invoice_id = {invoice} AND registration_used_at IS NOT NULL")).await,
            app.count(&format!("SELECT COUNT(*) FROM invoices WHERE id = {invoice} AND customer_id IS NOT NULL")).await,
            app.count(&format!("SELECT COUNT(*) FROM invoice_access_tokens WHERE invoice_id = {invoice}")).await,
            app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{email}'")).await,
        ];
        assert_eq!(rows, [1, 1, 1, 1], "step {step}: one whole registration (asked again: {again})");
        match again {
            StatusCode::OK => undone += 1,
            StatusCode::UNAUTHORIZED => done += 1,
            other => panic!("step {step}: asked again, {other}"),
        }
    }
    eprintln!("abandoned: {done} done, {undone} undone");
    assert!(done + undone > 0, "some requests were dropped before their answer");
}

/// Polls `request` at most `polls` times, letting the runtime and the
/// database threads run between polls, and drops it unanswered after that:
/// a client gone partway. Counted in polls, not time: a timer fires no
/// sooner than the runtime's next millisecond, by when a fast machine has
/// finished the whole registration, so the early steps would never drop it.
async fn answered_within<T>(polls: u64, request: impl std::future::Future<Output = T>) -> Option<T> {
    let mut request = std::pin::pin!(request);
    for _ in 0..polls {
        if let std::task::Poll::Ready(answer) = std::future::poll_fn(|cx| std::task::Poll::Ready(request.as_mut().poll(cx))).await {
            return Some(answer);
        }
        tokio::task::yield_now().await;
    }
    None
}

/// Twenty tokens of one new email at once: whichever creates the customer,
/// the others link to it, and every registration is whole (its token, its
/// email), none burnt.
async fn twenty_purchases_by_one_new_email_registered_at_once_make_one_customer(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::new(backend).await);
    let mut purchases = Vec::new();
    for _ in 0..20 {
        purchases.push(app.purchase_as("kim@example.com", "Kim Park").await);
    }
    let calls: Vec<_> = purchases
        .iter()
        .map(|paid| {
            let (app, paid) = (app.clone(), paid.clone());
            tokio::spawn(async move { app.register(paid.invoice, paid.basket).await.status })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE registration_kind = 'created'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE registration_kind = 'linked'").await, 19);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoice_access_tokens").await, 20);
    assert_eq!(app.count("SELECT COUNT(*) FROM basket_sessions WHERE registration_used_at IS NOT NULL").await, 20);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'kim@example.com'").await, 20);
}

async fn an_existing_customer_with_the_same_email_is_linked_not_duplicated(backend: Backend) {
    let app = TestApp::new(backend).await;
    let first = app.purchase_as("sam@example.com", "Sam Lee").await;
    let second = app.purchase_as("  SAM@Example.COM ", "Samuel Lee").await;
    let first_reply = app.register(first.invoice, first.basket).await;
    let second_reply = app.register(second.invoice, second.basket).await;

    assert_eq!(second_reply.status, StatusCode::OK);
    // The answer looks exactly like a new registration: a token, no session.
    assert_eq!(second_reply.json().as_object().unwrap().len(), 1);
    assert!(second_reply.headers.get("set-cookie").is_none());
    assert_eq!(first_reply.json().as_object().unwrap().keys().collect::<Vec<_>>(), second_reply.json().as_object().unwrap().keys().collect::<Vec<_>>());

    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT COUNT(DISTINCT customer_id) FROM invoices WHERE customer_id IS NOT NULL").await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM invoices WHERE id = {} AND registration_kind = 'linked'", second.invoice)).await,
        1
    );
    // The existing account keeps its name.
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE full_name = 'Sam Lee'").await, 1);
    // The new token opens only the new invoice.
    let token = second_reply.json()["Token"].as_str().unwrap().to_owned();
    assert_eq!(app.pdf(second.invoice, &token).await.status, StatusCode::OK);
    assert_eq!(app.pdf(first.invoice, &token).await.status, StatusCode::NOT_FOUND);
}

/// The single-use rule lives in one SQL condition (what consumes) and in
/// `basket_verdict` (what explains a refusal). Every combination of states
/// must get the same answer from both.
async fn the_consuming_update_and_the_verdict_agree_on_every_state(backend: Backend) {
    use checkout_portal::domain::InvoiceId;
    use checkout_portal::server::services::guest_access::basket_verdict;
    use checkout_portal::server::store;

    let app = TestApp::new(backend).await;
    let pool = &app.state.db.pool;
    let now = checkout_portal::domain::Clock::now(app.clock.as_ref());
    for paid in [false, true] {
        for used in [false, true] {
            for expired in [false, true] {
                for same_invoice in [false, true] {
                    let purchase = app.purchase().await;
                    let other = app.purchase().await;
                    let hash = purchase.basket.hash();
                    let set = |column: &str, value: Option<i64>| {
                        format!(
                            "UPDATE basket_sessions SET {column} = {} WHERE token_hash = '{}'",
                            value.map_or("NULL".to_owned(), |v| v.to_string()),
                            hash.as_str()
                        )
                    };
                    let mut updates = Vec::new();
                    if !paid {
                        updates.push(set("completed_at", None));
                    }
                    if used {
                        updates.push(set("registration_used_at", Some(now.millis() - 1)));
                    }
                    if expired {
                        updates.push(set("expires_at", Some(now.millis())));
                    }
                    for sql in updates {
                        sqlx::query(&sql).execute(pool).await.unwrap();
                    }
                    let invoice: InvoiceId = if same_invoice { purchase.invoice } else { other.invoice };

                    let mut conn = pool.acquire().await.unwrap();
                    let row = store::baskets::find_basket_session(&mut conn, &hash).await.unwrap();
                    let verdict = basket_verdict(row.as_ref(), invoice, now);
                    let consumed = store::baskets::consume_basket_for_registration(&mut conn, &hash, invoice, now).await.unwrap();
                    assert_eq!(
                        consumed,
                        verdict.is_ok(),
                        "paid={paid} used={used} expired={expired} same_invoice={same_invoice}: {verdict:?}"
                    );
                }
            }
        }
    }
}
