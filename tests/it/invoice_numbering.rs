//! Invoice numbers are sequential and gap-free, also when purchases race.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Backend, TestApp};

on_both_backends!(two_hundred_parallel_purchases_get_two_hundred_consecutive_numbers);

async fn two_hundred_parallel_purchases_get_two_hundred_consecutive_numbers(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let purchases: Vec<_> = (0..200)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.purchase().await })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for purchase in purchases {
        numbers.insert(purchase.await.unwrap().invoice_number);
    }
    let expected: BTreeSet<String> = (1..=200).map(|n| format!("INV-{n:06}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 200);
    assert_eq!(app.count("SELECT MAX(sequence_number) FROM invoices").await, 200);
}
