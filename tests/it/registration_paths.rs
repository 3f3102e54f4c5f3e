//! The registration fast paths leave exactly the rows the portable path
//! leaves: the same purchases registered the same way on two fresh
//! databases, one per path, and every table registration touches compared
//! (secrets aside: they are random by design).

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use checkout_portal::server::db::RegistrationRoute;
use common::{Backend, Browser, TestApp};
use sqlx::Row;

on_both_backends!(the_fast_and_portable_paths_leave_the_same_rows);

async fn the_fast_and_portable_paths_leave_the_same_rows(backend: Backend) {
    let fast = TestApp::with_env(backend, &[("REGISTRATION_PATH", "fast")]).await;
    let portable = TestApp::with_env(backend, &[("REGISTRATION_PATH", "portable")]).await;
    assert!(matches!(portable.state.db.registration_route(), RegistrationRoute::Portable));
    match backend {
        Backend::Sqlite => assert!(matches!(fast.state.db.registration_route(), RegistrationRoute::SqliteWriter(_))),
        Backend::Postgres => assert!(matches!(fast.state.db.registration_route(), RegistrationRoute::FusedPostgres)),
    }

    let fast_statuses = register_every_kind(&fast).await;
    let portable_statuses = register_every_kind(&portable).await;

    assert_eq!(fast_statuses, portable_statuses);
    assert_eq!(
        fast_statuses,
        [
            StatusCode::OK,           // created
            StatusCode::OK,           // created, through the page
            StatusCode::OK,           // a password set on the page
            StatusCode::OK,           // linked: that unconfirmed password is cleared
            StatusCode::OK,           // linked: no password yet, a link to set one
            StatusCode::UNAUTHORIZED, // used
            StatusCode::NOT_FOUND,    // another invoice's token
            StatusCode::UNAUTHORIZED, // expired
        ]
    );
    // The secrets left out of the comparison are stored hashed on both paths.
    for app in [&fast, &portable] {
        for table in ["invoice_access_tokens", "account_links"] {
            let unhashed = format!("SELECT COUNT(*) FROM {table} WHERE LENGTH(token_hash) <> 64");
            assert_eq!(app.count(&unhashed).await, 0, "{table}");
        }
    }
    for (table, sql) in TABLES {
        let (fast_rows, portable_rows) = (rows(&fast, sql).await, rows(&portable, sql).await);
        assert!(!fast_rows.is_empty(), "{table}: the scenario writes rows");
        assert_eq!(fast_rows, portable_rows, "{table}");
    }
}

/// Every outcome a registration can have, in one order on one clock.
async fn register_every_kind(app: &TestApp) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    let ann = app.purchase_as("Ann.Lee@Example.com", "Ann Lee").await;
    statuses.push(app.register(ann.invoice, ann.basket).await.status);

    let bob = app.purchase_as("bob@example.com", "Bob Roe").await;
    let mut guest = Browser::new(app);
    let form = format!("invoice_id={}&basket_session={}", bob.invoice, bob.basket);
    statuses.push(guest.call("/checkout/api/register", &form).await.status);
    let form = format!("invoice_id={}&password=bobs+first+password", bob.invoice);
    statuses.push(guest.call("/checkout/api/password", &form).await.status);
    app.advance(Duration::from_secs(60));

    let bob_again = app.purchase_as("BOB@example.com", "Robert Roe").await;
    statuses.push(app.register(bob_again.invoice, bob_again.basket).await.status);
    let ann_again = app.purchase_as("ann.lee@example.com", "Ann Lee").await;
    statuses.push(app.register(ann_again.invoice, ann_again.basket).await.status);
    statuses.push(app.register(ann_again.invoice, ann_again.basket).await.status);

    let cat = app.purchase_as("cat@example.com", "Cat Poe").await;
    let dan = app.purchase_as("dan@example.com", "Dan Moe").await;
    statuses.push(app.register(cat.invoice, dan.basket).await.status);
    app.advance(Duration::from_secs(25 * 3600));
    statuses.push(app.register(cat.invoice, cat.basket).await.status);
    statuses
}

/// What registration writes, without the columns that hold random secrets
/// (hashes of tokens and passwords); email bodies with their links' secrets masked.
const TABLES: [(&str, &str); 7] = [
    (
        "customers",
        "SELECT id, full_name, email, email_normalized, created_at, portal_access_granted_at,
                password_hash IS NULL AS no_password, email_verified_at, inline_password_allowed
         FROM customers ORDER BY id",
    ),
    ("invoices", "SELECT id, customer_id, registration_kind, registered_at FROM invoices ORDER BY id"),
    (
        "basket_sessions",
        "SELECT invoice_id, created_at, completed_at, expires_at, registration_used_at FROM basket_sessions ORDER BY invoice_id",
    ),
    ("invoice_access_tokens", "SELECT id, invoice_id, customer_id, created_at, expires_at FROM invoice_access_tokens ORDER BY id"),
    ("account_links", "SELECT id, customer_id, purpose, created_at, expires_at, used_at FROM account_links ORDER BY id"),
    ("auth_sessions", "SELECT id, customer_id, kind, created_at, expires_at, revoked_at FROM auth_sessions ORDER BY id"),
    (
        "outbox",
        "SELECT id, recipient, subject, text_body, html_body, created_at, status, attempts, next_attempt_at,
                attachment_invoice_id
         FROM outbox ORDER BY id",
    ),
];

async fn rows(app: &TestApp, sql: &str) -> Vec<Vec<String>> {
    let rows = sqlx::query(sql).fetch_all(&app.state.db.pool).await.unwrap();
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| match row.try_get::<Option<i64>, _>(i) {
                    Ok(number) => format!("{number:?}"),
                    Err(_) => row.try_get::<Option<bool>, _>(i).map(|b| format!("{b:?}")).unwrap_or_else(|_| {
                        mask_secrets(&row.try_get::<Option<String>, _>(i).unwrap().unwrap_or_default())
                    }),
                })
                .collect()
        })
        .collect()
}

/// Replaces every run of 32 or more token characters (the links' secrets).
fn mask_secrets(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut run = String::new();
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    for c in text.chars().chain(std::iter::once(' ')) {
        if token_char(c) {
            run.push(c);
            continue;
        }
        masked.push_str(if run.len() >= 32 { "<secret>" } else { &run });
        run.clear();
        masked.push(c);
    }
    masked.pop();
    masked
}
