//! The hot pages' reads (`store::reads`): on an SQLite file they run on the
//! calling thread through connections of their own, elsewhere through the
//! pool. Either way they answer as the store functions do.

use crate::common;

use axum::http::StatusCode;
use checkout_portal::domain::BasketToken;
use checkout_portal::server::store::{baskets, catalogue, reads};
use common::shopper::DAY_PASS;
use common::{Backend, Browser, TestApp};

on_both_backends!(the_hot_reads_answer_as_the_store_functions_do);

async fn the_hot_reads_answer_as_the_store_functions_do(backend: Backend) {
    let app = TestApp::new(backend).await;
    let db = &app.state.db;
    let on_this_thread = db.read_here(|_| Ok(())).unwrap().is_some();
    assert_eq!(on_this_thread, backend == Backend::Sqlite, "SQLite files are read on the calling thread");

    let paid = app.purchase().await;
    let used = app.purchase().await;
    assert_eq!(app.register(used.invoice, &used.basket).await.status, StatusCode::OK);
    let mut shopper = Browser::new(&app);
    let added = shopper.call("/checkout/api/add", &format!("product_id={DAY_PASS}&quantity=1")).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    let open: BasketToken = shopper.cookie("basket_session").expect("a basket cookie").parse().unwrap();

    let mut conn = db.pool.acquire().await.unwrap();
    let products = reads::products(db).await.unwrap();
    assert!(!products.is_empty(), "the demo catalogue");
    assert_eq!(products, catalogue::list_products(&mut conn).await.unwrap());
    for (state, token) in [("paid", paid.basket), ("used", used.basket), ("open", open), ("unknown", BasketToken::generate())] {
        let hash = token.hash();
        let read = reads::basket_session(db, &hash).await.unwrap();
        assert_eq!(read, baskets::find_basket_session(&mut conn, &hash).await.unwrap(), "{state}");
        assert_eq!(read.is_some(), state != "unknown", "{state}");
    }
}
