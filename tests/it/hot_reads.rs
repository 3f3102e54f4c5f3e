//! The hot pages' reads (`store::reads`): on an SQLite file they run on the
//! calling thread through connections of their own, elsewhere through the
//! pool. Either way they answer as the store functions do, and a database
//! that SQLite reports busy is waited out through the pool, not failed.

use crate::common;

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
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

/// Another process holds the SQLite file exclusively for a moment (a
/// restore, say): a page that needs a read waits for it through the pool,
/// as every other read does, instead of answering 503 at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_waits_out_a_database_held_exclusively() {
    let app = TestApp::new(Backend::Sqlite).await;
    assert_eq!(app.call(Method::GET, "/").await.status, StatusCode::OK);
    let path = app.db.url.trim_start_matches("sqlite://").to_owned();
    let (locked, held) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE products SET position = position;").unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        conn.execute_batch("ROLLBACK").unwrap();
        // The exclusive lock goes with the connection.
    });
    held.recv().unwrap();
    let asked = Instant::now();
    let page = app.call(Method::GET, "/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(asked.elapsed() >= Duration::from_millis(200), "the read waited for the lock: {:?}", asked.elapsed());
    holder.join().unwrap();
}
