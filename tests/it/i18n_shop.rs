//! The operator's words in every language: the shop file's per-language
//! product names, descriptions and seller address reach the catalogue, the
//! basket and the invoice (lines and PDF) in the shopper's language, with
//! the file's own language where a translation is missing, and `shop plan`
//! lists what each language lacks.

use crate::common;

on_both_backends!(
    the_catalogue_and_basket_speak_the_shopper_s_language,
    a_missing_translation_shows_in_the_file_s_language_and_the_plan_lists_it,
    an_invoice_keeps_the_names_and_address_of_the_language_it_was_paid_in,
    a_changed_translation_is_a_change_and_the_same_file_again_is_not,
);

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use checkout_portal::server::shop::file::{self, ShopFile};
use common::shopper::{Shopper, DAY_PASS, VISA_OK};
use common::{pdf_text, Backend, TestApp, EXAMPLE_SHOP};

/// A shopper whose browser chose `tag` (the language cookie).
fn shopper_in<'a>(app: &'a TestApp, tag: &str) -> Shopper<'a> {
    Shopper { app, cookie: Some(format!("lang={tag}")) }
}

async fn names(shopper: &mut Shopper<'_>) -> Vec<String> {
    let catalogue = shopper.call("catalogue", "").await;
    assert_eq!(catalogue.status, StatusCode::OK, "{}", catalogue.text());
    catalogue.json().as_array().unwrap().iter().map(|product| product["name"].as_str().unwrap().to_owned()).collect()
}

/// The demo shop file edited, beside a copy of its logo.
fn edited_shop(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("branding")).unwrap();
    let examples = Path::new(EXAMPLE_SHOP).parent().unwrap();
    std::fs::copy(examples.join("branding/harbourside.svg"), dir.path().join("branding/harbourside.svg")).unwrap();
    let path = dir.path().join("shop.toml");
    std::fs::write(&path, edit(std::fs::read_to_string(EXAMPLE_SHOP).unwrap())).unwrap();
    (dir, path)
}

fn read(path: &Path) -> ShopFile {
    file::read(path).unwrap_or_else(|errors| panic!("{errors}"))
}

async fn the_catalogue_and_basket_speak_the_shopper_s_language(backend: Backend) {
    let app = TestApp::new(backend).await;
    assert_eq!(names(&mut Shopper::new(&app)).await[..2], ["Day Pass", "Meeting Room (1 h)"]);
    let mut german = shopper_in(&app, "de");
    assert_eq!(names(&mut german).await[..2], ["Tagespass", "Besprechungsraum (1 Std.)"]);
    let catalogue = german.call("catalogue", "").await.json();
    assert_eq!(catalogue[0]["description"], "Ein flexibler Arbeitsplatz für einen Tag, 08:00–18:00, Kaffee inklusive.");
    assert_eq!(catalogue[0]["price"], "25,00\u{A0}€", "German money too");
    let mut arabic = shopper_in(&app, "ar");
    assert_eq!(names(&mut arabic).await[0], "تذكرة يوم");

    // The same basket, read in two languages.
    assert_eq!(german.add(DAY_PASS, 1).await.status, StatusCode::OK);
    assert_eq!(german.basket().await["lines"][0]["name"], "Tagespass");
    let basket_cookie = german.cookie.clone().unwrap().replace("lang=de", "lang=ar");
    let mut same_basket_in_arabic = Shopper { app: &app, cookie: Some(basket_cookie) };
    assert_eq!(same_basket_in_arabic.basket().await["lines"][0]["name"], "تذكرة يوم");
}

async fn a_missing_translation_shows_in_the_file_s_language_and_the_plan_lists_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    // The meeting room loses its Arabic name (its Arabic description stays).
    let (_dir, path) = edited_shop(|text| text.replacen("name = \"قاعة اجتماعات (ساعة واحدة)\"\n", "", 1));
    let plan = app.state.shop.plan(&read(&path)).await.unwrap();
    let shown = plan.to_string();
    assert!(
        shown.contains("  ! not translated into ar, so shown in the file's language: meeting-room (name)\n"),
        "{shown}"
    );
    assert!(!shown.contains("not translated into de"), "German is complete: {shown}");
    app.state.shop.apply(&read(&path)).await.unwrap();
    let catalogue = shopper_in(&app, "ar").call("catalogue", "").await.json();
    assert_eq!(catalogue[1]["name"], "Meeting Room (1 h)", "the file's own name");
    assert_eq!(catalogue[1]["description"], "ستة مقاعد وشاشة كبيرة وسبورة بيضاء، لمدة ساعة.", "its translation");
}

async fn an_invoice_keeps_the_names_and_address_of_the_language_it_was_paid_in(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut german = shopper_in(&app, "de");
    german.add(DAY_PASS, 2).await;
    german.details().await;
    let paid = german.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    let line: (String, String) =
        sqlx::query_as("SELECT l.description, i.locale FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(line, ("Tagespass".to_owned(), "de".to_owned()));
    let basket: String = sqlx::query_scalar("SELECT locale FROM basket_sessions WHERE invoice_id IS NOT NULL")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(basket, "de", "the basket keeps the language it was paid in");

    // Later changes to the shop's words change no issued invoice.
    let (_dir, path) = edited_shop(|text| text.replace("Tagespass", "Tageskarte"));
    app.state.shop.apply(&read(&path)).await.unwrap();
    let location = paid.header("location").to_owned();
    let (invoice, basket) = common::complete_page_ids(&location);
    let token = app.register(invoice, &basket).await.json()["Token"].as_str().unwrap().to_owned();
    let pdf = app.pdf(invoice, &token).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    let text = pdf_text(&pdf.body);
    assert!(text.contains("Tagespass") && !text.contains("Tageskarte"), "{text}");
    assert!(text.contains("Niederlande"), "the seller's German address: {text}");
}

async fn a_changed_translation_is_a_change_and_the_same_file_again_is_not(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (_dir, path) = edited_shop(|text| text.replace("name = \"Tagespass\"", "name = \"Tageskarte\""));
    let plan = app.state.shop.apply(&read(&path)).await.unwrap();
    assert_eq!(plan.changed.len(), 1, "{plan}");
    assert_eq!(plan.changed[0].fields[0].key, "name[de]");
    assert_eq!(plan.changed[0].fields[0].new, "\"Tageskarte\"");
    assert!(app.state.shop.apply(&read(&path)).await.unwrap().is_empty(), "the same file again");
    assert_eq!(names(&mut shopper_in(&app, "de")).await[0], "Tageskarte");
    // A new seller address in German is a new letterhead; English invoices print the file's own.
    let (_dir, path) = edited_shop(|text| text.replace("\"Niederlande\"", "\"Die Niederlande\""));
    let plan = app.state.shop.apply(&read(&path)).await.unwrap();
    assert_eq!(plan.seller.iter().map(|field| field.key.as_str()).collect::<Vec<_>>(), ["address[de]"]);
    let german = "de".parse().unwrap();
    assert_eq!(app.state.shop.current().seller.letterhead.address_in(german)[2], "Die Niederlande");
    assert_eq!(app.state.shop.current().seller.letterhead.address_in(Default::default())[2], "Netherlands");
}
