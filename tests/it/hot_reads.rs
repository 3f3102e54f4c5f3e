//! The hot pages' reads (`store::reads`): on an SQLite file they run on the
//! calling thread through connections of their own, elsewhere through the
//! pool. Either way they answer as the store functions do.

use crate::common;

use axum::http::StatusCode;
use checkout_portal::domain::locale::Locale;
use checkout_portal::domain::BasketToken;
use checkout_portal::domain::Timestamp;
use checkout_portal::server::store::baskets::BasketState;
use checkout_portal::server::store::{baskets, catalogue, reads};
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM};
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
    for locale in Locale::all() {
        let products = reads::products(db, locale).await.unwrap();
        assert!(!products.is_empty(), "the demo catalogue");
        assert_eq!(products, catalogue::list_products(&mut conn, locale).await.unwrap(), "{locale}");
    }
    let german = reads::products(db, "de".parse().unwrap()).await.unwrap();
    assert_eq!(german[0].name, "Tagespass", "the demo shop file's German name, on both paths");
    for (state, token) in [("paid", paid.basket), ("used", used.basket), ("open", open), ("unknown", BasketToken::generate())] {
        let hash = token.hash();
        let read = reads::basket_session(db, &hash).await.unwrap();
        assert_eq!(read, baskets::find_basket_session(&mut conn, &hash).await.unwrap(), "{state}");
        assert_eq!(read.is_some(), state != "unknown", "{state}");
    }

    // The basket every page's header counts: the lines and entered details
    // of an open basket (one without either too), nothing for a paid or
    // unknown one.
    let mut filling = Shopper::new(&app);
    assert_eq!(filling.add(MEETING_ROOM, 2).await.status, StatusCode::OK);
    assert_eq!(filling.add(DAY_PASS, 3).await.status, StatusCode::OK);
    assert_eq!(filling.details().await.status, StatusCode::OK);
    let filled: BasketToken = filling.cookie.as_deref().and_then(|c| c.strip_prefix("basket_session=")).expect("a basket cookie").parse().unwrap();
    let bare = BasketToken::generate();
    baskets::insert_open_basket(&mut conn, &bare.hash(), Timestamp::from_millis(0)).await.unwrap();
    // Completed without an invoice: not paid, so still open (`find_basket_state`).
    let half = BasketToken::generate();
    baskets::insert_open_basket(&mut conn, &half.hash(), Timestamp::from_millis(0)).await.unwrap();
    sqlx::query("UPDATE basket_sessions SET completed_at = 1 WHERE token_hash = $1").bind(half.hash().as_str()).execute(&mut *conn).await.unwrap();
    let states = [
        ("filled", filled),
        ("one line, no details", open),
        ("bare", bare),
        ("completed without an invoice", half),
        ("paid", paid.basket),
        ("unknown", BasketToken::generate()),
    ];
    for (state, token) in states {
        let hash = token.hash();
        let arabic: Locale = "ar".parse().unwrap();
        let read = reads::open_basket(db, &hash, arabic).await.unwrap();
        let expected = match baskets::find_basket_state(&mut conn, &hash).await.unwrap() {
            Some(BasketState::Open(open)) => Some((open.details, baskets::basket_lines(&mut conn, open.id, arabic).await.unwrap())),
            _ => None,
        };
        assert_eq!(read, expected, "{state}");
        let lines = read.as_ref().map(|(_, lines)| lines.len());
        let expected_lines = match state {
            "filled" => Some(2),
            "one line, no details" => Some(1),
            "bare" | "completed without an invoice" => Some(0),
            _ => None,
        };
        assert_eq!(lines, expected_lines, "{state}");
    }
    let (details, _) = reads::open_basket(db, &filled.hash(), Locale::FALLBACK).await.unwrap().unwrap();
    assert_eq!((details.name.as_str(), details.city.as_str()), ("Sam Shopper", "Amsterdam"));
}
