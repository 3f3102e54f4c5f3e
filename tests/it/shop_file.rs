//! The operator's shop file: plan and apply (in-process and through the
//! command line), what an apply changes and what it must never change.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::http::{Method, StatusCode};
use checkout_portal::server::shop::file::{self, ShopFile};
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM, VISA_OK};
use common::{Backend, Reply, TestApp, TestDb, EXAMPLE_SHOP};
use checkout_portal::api::checkout::CheckoutError;

const BINARY: &str = env!("CARGO_BIN_EXE_checkout-portal");

/// What a page shows for a refused server function: its typed error's message.
fn message(reply: &Reply) -> String {
    serde_json::from_slice::<CheckoutError>(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.text())).to_string()
}

on_both_backends!(
    plan_shows_every_change_and_writes_nothing,
    apply_makes_the_plan_and_again_changes_nothing,
    two_applies_at_once_run_one_after_the_other,
    an_invoice_prints_the_same_after_any_apply,
    a_price_changed_after_the_payment_page_is_refused_and_nothing_is_charged,
    an_archived_product_in_a_basket_is_shown_and_can_be_removed,
    a_basket_may_not_hold_more_than_the_product_s_maximum,
    the_shop_s_look_is_served_from_our_origin,
    an_apply_on_another_instance_reaches_this_one,
    the_environment_overrides_the_file_s_seller,
    a_zero_decimal_currency_prices_in_whole_units,
    an_invalid_shop_file_stops_the_server_from_starting,
    the_command_line_plans_applies_and_refuses_bad_files_with_their_place,
    existing_products_keep_their_ids_and_get_slugs,
    an_instance_that_has_not_seen_a_new_currency_charges_nothing,
    planning_an_older_database_writes_nothing,
    earlier_invoices_keep_the_server_s_seller_and_a_shell_s_apply_waits_for_it,
    an_apply_closes_the_open_sessions_of_products_it_takes_away,
    a_currency_stripe_cannot_charge_exactly_is_refused_before_the_shop_opens,
    a_stale_instance_issues_and_signs_with_the_database_s_seller,
);

/// The demo shop file with `edit` applied to its text, written beside a
/// copy of its logo; returns the file's path (the directory lives as long
/// as the returned guard).
fn edited_shop(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = Path::new(EXAMPLE_SHOP).parent().unwrap();
    std::fs::create_dir_all(dir.path().join("branding")).unwrap();
    std::fs::copy(examples.join("branding/harbourside.svg"), dir.path().join("branding/harbourside.svg")).unwrap();
    let text = edit(std::fs::read_to_string(EXAMPLE_SHOP).unwrap());
    let path = dir.path().join("shop.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The Kanal Werkhaus change: a new seller and accent, the day pass dearer,
/// the meeting room renamed, the private office gone, a phone booth added.
fn kanal(text: String) -> String {
    let text = text
        .replace("Harbourside Coworking B.V.", "Kanal Werkhaus")
        .replace("#0f5c7a", "#0b5d3b")
        .replace("unit_price = 2500", "unit_price = 2750")
        .replace("name = \"Meeting Room (1 h)\"", "name = \"Meeting room, one hour\"");
    let text = without_product(&text, "private-office");
    format!(
        "{text}\n[[products]]\nslug = \"phone-booth\"\nname = \"Phone booth (1 h)\"\ndescription = \"A quiet booth for calls.\"\n\
         unit_price = 800\ntax_rate = 21\nposition = 6\nmax_quantity = 8\nactive = true\n"
    )
}

/// The shop file's text without one product's block (its translations
/// included): from its `[[products]]` to the next product or comment.
fn without_product(text: &str, slug: &str) -> String {
    let start = text.find(&format!("[[products]]\nslug = \"{slug}\"")).unwrap();
    let rest = &text[start + 1..];
    let end = [rest.find("\n[[products]]"), rest.find("\n#")].into_iter().flatten().min().map_or(text.len(), |at| start + 1 + at + 1);
    format!("{}{}", &text[..start], &text[end..])
}

fn read(path: &Path) -> ShopFile {
    file::read(path).unwrap_or_else(|errors| panic!("{errors}"))
}

/// Every product row, as the shop keeps it: (slug, name, price, active, archived).
async fn products(app: &TestApp) -> Vec<(String, String, i64, i64, bool)> {
    sqlx::query_as::<_, (String, String, i64, i64, Option<i64>)>(
        "SELECT slug, name, unit_price_minor, active, archived_at FROM products ORDER BY id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(slug, name, price, active, archived)| (slug, name, price, active, archived.is_some()))
    .collect()
}

/// The catalogue as the page lists it: names in order.
async fn catalogue_names(app: &TestApp) -> Vec<String> {
    let mut shopper = Shopper::new(app);
    let reply = shopper.call("catalogue", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json().as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

async fn plan_shows_every_change_and_writes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let before = products(&app).await;
    let revision = app.count("SELECT revision FROM shop_settings").await;
    let (_dir, path) = edited_shop(kanal);
    let plan = app.state.shop.plan(&read(&path)).await.unwrap();
    let shown = plan.to_string();
    assert!(shown.contains("  + product phone-booth: \"Phone booth (1 h)\", €8.00 + 21% tax, position 6, at most 8 per basket\n"), "{shown}");
    assert!(shown.contains("  ~ product day-pass\n      unit_price: €25.00 → €27.50\n"), "{shown}");
    assert!(shown.contains("  ~ product meeting-room\n      name: \"Meeting Room (1 h)\" → \"Meeting room, one hour\"\n"), "{shown}");
    assert!(shown.contains("  - product private-office: \"Private Office (1 month)\" is archived"), "{shown}");
    assert!(shown.contains("  ~ seller\n      name: \"Harbourside Coworking B.V.\" → \"Kanal Werkhaus\"\n      accent: #0f5c7a → #0b5d3b\n"), "{shown}");
    assert!(shown.ends_with("Plan: 1 to add, 2 to change, 1 to archive, seller changed."), "{shown}");
    assert_eq!(products(&app).await, before, "a plan changes nothing");
    assert_eq!(app.count("SELECT revision FROM shop_settings").await, revision);
    assert_eq!(app.state.shop.current().seller.letterhead.name, "Harbourside Coworking B.V.");
}

async fn apply_makes_the_plan_and_again_changes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (_dir, path) = edited_shop(kanal);
    let file = read(&path);
    let applied = app.state.shop.apply(&file).await.unwrap();
    assert_eq!((applied.added.len(), applied.changed.len(), applied.archived.len()), (1, 2, 1));
    // The catalogue is exactly the file's active products, in its order.
    assert_eq!(catalogue_names(&app).await, ["Day Pass", "Meeting room, one hour", "10-visit bundle", "Phone booth (1 h)"]);
    let rows = products(&app).await;
    let office = rows.iter().find(|row| row.0 == "private-office").expect("archived, not deleted");
    assert_eq!((office.3, office.4), (0, true));
    assert!(rows.iter().any(|row| row.0 == "day-pass" && row.2 == 2750));
    assert_eq!(app.state.shop.current().seller.letterhead.name, "Kanal Werkhaus", "this instance sells as the new seller at once");
    // The same file again: nothing to do, nothing written.
    let revision = app.count("SELECT revision FROM shop_settings").await;
    let letterheads = app.count("SELECT COUNT(*) FROM letterheads").await;
    let again = app.state.shop.apply(&file).await.unwrap();
    assert!(again.is_empty(), "{again}");
    assert_eq!(products(&app).await, rows);
    assert_eq!(app.count("SELECT revision FROM shop_settings").await, revision);
    assert_eq!(app.count("SELECT COUNT(*) FROM letterheads").await, letterheads);
    // And the demo file once more brings the office back under its old id.
    let restored = app.state.shop.apply(&read(Path::new(EXAMPLE_SHOP))).await.unwrap();
    assert!(restored.changed.iter().any(|change| change.restored && change.spec.slug.as_str() == "private-office"));
    assert_eq!(app.count("SELECT id FROM products WHERE slug = 'private-office'").await, 4);
}

async fn two_applies_at_once_run_one_after_the_other(backend: Backend) {
    let app = TestApp::new(backend).await;
    let other = app.twin().await;
    let (_dir, path) = edited_shop(kanal);
    let file = read(&path);
    let (first, second) = tokio::join!(app.state.shop.apply(&file), other.state.shop.apply(&file));
    let (first, second) = (first.unwrap(), second.unwrap());
    // One did the work; the other, waiting for the lock, found it done.
    assert!(first.is_empty() != second.is_empty(), "first: {first}\nsecond: {second}");
    assert_eq!(app.count("SELECT COUNT(*) FROM products WHERE slug = 'phone-booth'").await, 1);
    assert_eq!(app.count("SELECT revision FROM shop_settings").await, 2, "the example file at start, then this one once");
}

async fn an_invoice_prints_the_same_after_any_apply(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 2).await;
    shopper.details().await;
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    let complete = paid.header("location").to_owned();
    let (invoice, basket) = common::complete_page_ids(&complete);
    let token = app.register(invoice, &basket).await.json()["Token"].as_str().unwrap().to_owned();
    let before = app.pdf(invoice, &token).await;
    assert_eq!(before.status, StatusCode::OK);
    let text = common::pdf_text(&before.body);
    assert!(text.contains("Harbourside Coworking B.V.") && text.contains("€25.00"), "{text}");

    // Everything an apply can change, changed: seller, logo, accent, prices.
    let (_dir, path) = edited_shop(|text| {
        kanal(text).replace("logo = \"branding/harbourside.svg\"", "logo = \"branding/kanal.svg\"").replacen("tax_rate = 21", "tax_rate = 9", 1)
    });
    std::fs::write(
        path.parent().unwrap().join("branding/kanal.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><circle cx="10" cy="10" r="9" fill="#0b5d3b"/></svg>"##,
    )
    .unwrap();
    app.state.shop.apply(&read(&path)).await.unwrap();
    let after = app.pdf(invoice, &token).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.body == before.body, "the issued invoice's PDF is byte for byte the same");
    // The emailed copy too.
    let mail = app.only_mail_to_with_subject("sam@example.com", "Your receipt").await;
    assert!(mail.attachments.iter().any(|pdf| pdf.bytes == before.body), "the receipt's PDF is the one pdfByToken serves");

    // A purchase now is invoiced by the new seller at the new price.
    let mut next = Shopper::new(&app);
    next.add(DAY_PASS, 1).await;
    next.details().await;
    let paid = next.pay_fresh(VISA_OK).await;
    let (invoice, basket) = common::complete_page_ids(paid.header("location"));
    let token = app.register(invoice, &basket).await.json()["Token"].as_str().unwrap().to_owned();
    let text = common::pdf_text(&app.pdf(invoice, &token).await.body);
    assert!(text.contains("Kanal Werkhaus") && text.contains("€27.50") && text.contains("9%"), "{text}");
}

async fn a_price_changed_after_the_payment_page_is_refused_and_nothing_is_charged(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    let shown = shopper.basket().await["priced_as"].as_str().unwrap().to_owned();
    assert!(shown.starts_with("EUR:3025:"), "{shown}");
    // The operator raises the price while the guest reads the payment page.
    let (_dir, path) = edited_shop(|text| text.replace("unit_price = 2500", "unit_price = 2750"));
    app.state.shop.apply(&read(&path)).await.unwrap();
    let attempt = shopper.attempt().await;
    let refused = shopper.start_payment_priced_as(&attempt, &shown).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text());
    assert!(message(&refused).starts_with("The price changed since this page was shown, and nothing was charged."), "{}", refused.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts").await, 0, "no checkout session was made");
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 0);
    // The page shown again has the new total, and paying it works.
    let page = shopper.get("/checkout/payment").await;
    assert!(page.text().contains("€33.28"), "the new total is shown");
    assert!(page.text().contains("value=\"EUR:3328:"), "and posted back");
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    assert_eq!(app.count("SELECT total_minor FROM invoices").await, 3328);
}

async fn an_archived_product_in_a_basket_is_shown_and_can_be_removed(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.add(MEETING_ROOM, 2).await;
    shopper.details().await;
    let (_dir, path) = edited_shop(|text| without_product(&text, "meeting-room"));
    app.state.shop.apply(&read(&path)).await.unwrap();
    let basket = shopper.basket().await;
    assert_eq!(basket["lines"].as_array().unwrap().len(), 1);
    assert_eq!(basket["unavailable"][0]["name"], "Meeting Room (1 h)");
    assert_eq!(basket["unavailable"][0]["quantity"], 2);
    assert_eq!(basket["total"], "€30.25", "only what is for sale is priced");
    assert_eq!(basket["problem"], "items_unavailable");
    let page = shopper.get("/basket").await.text();
    assert!(page.contains("No longer available") && page.contains("aria-label=\"Remove Meeting Room (1 h)\""), "{page}");
    let payment = shopper.get("/checkout/payment").await.text();
    assert!(payment.contains("no longer available") && !payment.contains("name=\"attempt\""), "no payment form: {payment}");
    let attempt = shopper.attempt().await;
    let refused = shopper.start_payment(&attempt).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(message(&refused).contains("no longer available"), "{}", refused.text());
    // Removing it, the basket pays as usual.
    let removed = shopper.call("quantity", &format!("product_id={MEETING_ROOM}&quantity=0")).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text());
    assert!(shopper.basket().await["unavailable"].as_array().unwrap().is_empty());
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    // Adding it again is refused: it is out of the catalogue.
    let mut late = Shopper::new(&app);
    assert_eq!(late.add(MEETING_ROOM, 1).await.status, StatusCode::BAD_REQUEST);
}

async fn a_basket_may_not_hold_more_than_the_product_s_maximum(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (_dir, path) = edited_shop(|text| text.replacen("max_quantity = 99", "max_quantity = 3", 1));
    app.state.shop.apply(&read(&path)).await.unwrap();
    let mut shopper = Shopper::new(&app);
    let refused = shopper.add(DAY_PASS, 4).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(message(&refused), "You can have at most 3 of this item in one order.");
    shopper.add(DAY_PASS, 2).await;
    shopper.add(DAY_PASS, 2).await;
    assert_eq!(shopper.basket().await["lines"][0]["quantity"], 3, "adding up stops at the maximum");
    assert_eq!(shopper.call("quantity", &format!("product_id={DAY_PASS}&quantity=4")).await.status, StatusCode::BAD_REQUEST);
    assert!(shopper.get("/basket").await.text().contains("max=\"3\""), "the field says so too");
}

async fn the_shop_s_look_is_served_from_our_origin(backend: Backend) {
    let app = TestApp::new(backend).await;
    let shop = app.state.shop.current();
    let logo = shop.seller.letterhead.logo.clone().expect("the demo shop has a logo");
    let page = app.call(Method::GET, "/").await;
    let html = page.text();
    assert!(html.contains(&format!("<img src=\"{}\" alt=\"\" height=\"32\" class=\"brand-logo\">", logo.path())), "{html}");
    assert!(html.contains("<span class=\"brand-name\">Harbourside Coworking B.V.</span>"), "{html}");
    assert!(html.contains("href=\"/shop/theme/0f5c7a.css\""), "{html}");
    // The policy still allows images and styles from this origin only.
    let policy = page.header("content-security-policy");
    assert!(policy.contains("img-src 'self' data:;") && policy.contains("style-src 'self';"), "{policy}");

    let served = app.call(Method::GET, &logo.path()).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "image/svg+xml");
    assert_eq!(served.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(served.header("content-security-policy").contains("sandbox"));
    assert_eq!(served.body, std::fs::read(Path::new(EXAMPLE_SHOP).parent().unwrap().join("branding/harbourside.svg")).unwrap());
    for missing in [format!("/shop/logo/{}.svg", "0".repeat(64)), logo.path().replace(".svg", ".png"), "/shop/logo/x.svg".into(), "/shop/logo/..%2F..%2Fetc.svg".into()] {
        assert_eq!(app.call(Method::GET, &missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let theme = app.call(Method::GET, "/shop/theme/0f5c7a.css").await;
    assert_eq!(theme.status, StatusCode::OK);
    assert!(theme.text().starts_with(":root{--accent:#0f5c7a;"), "{}", theme.text());
    assert_eq!(app.call(Method::GET, "/shop/theme/red.css").await.status, StatusCode::NOT_FOUND);
}

async fn an_apply_on_another_instance_reaches_this_one(backend: Backend) {
    let app = TestApp::new(backend).await;
    let other = app.twin().await;
    let (_dir, path) = edited_shop(kanal);
    other.state.shop.apply(&read(&path)).await.unwrap();
    assert_eq!(app.state.shop.current().seller.letterhead.name, "Harbourside Coworking B.V.", "not yet looked");
    // What the watch task does every few seconds.
    app.state.shop.refresh().await.unwrap();
    assert_eq!(app.state.shop.current().seller.letterhead.name, "Kanal Werkhaus");
    assert!(app.call(Method::GET, "/").await.text().contains("<span class=\"brand-name\">Kanal Werkhaus</span>"));
}

async fn the_environment_overrides_the_file_s_seller(backend: Backend) {
    let app = TestApp::with_env(backend, &[("SELLER_NAME", "Harbourside Staging"), ("SELLER_TAX_ID", "NL000000000B00")]).await;
    let (_dir, path) = edited_shop(kanal);
    let plan = app.state.shop.apply(&read(&path)).await.unwrap();
    assert!(plan.to_string().contains("  ! SELLER_NAME is set here and overrides the file's seller on this instance\n"), "{plan}");
    let seller = &app.state.shop.current().seller.letterhead;
    assert_eq!((seller.name.as_str(), seller.tax_id.as_str()), ("Harbourside Staging", "NL000000000B00"));
    assert_eq!(seller.accent.hex(), "#0b5d3b", "what the environment leaves alone comes from the file");
    let purchase = app.purchase().await;
    let token = app.register(purchase.invoice, purchase.basket).await.json()["Token"].as_str().unwrap().to_owned();
    let text = common::pdf_text(&app.pdf(purchase.invoice, &token).await.body);
    assert!(text.contains("Harbourside Staging") && text.contains("NL000000000B00"), "{text}");
}

async fn a_zero_decimal_currency_prices_in_whole_units(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (_dir, path) = edited_shop(|text| text.replace("currency = \"EUR\"", "currency = \"JPY\""));
    let plan = app.state.shop.apply(&read(&path)).await.unwrap();
    assert!(plan.seller.iter().any(|field| field.key == "currency" && field.new == "JPY"));
    let mut shopper = Shopper::new(&app);
    let catalogue = shopper.call("catalogue", "").await.json();
    assert_eq!(catalogue[0]["price"], "JP¥2,500", "British English writes yen as JP¥ (CLDR)");
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    // 21 % of ¥2,500 is ¥525: whole yen.
    assert_eq!(shopper.basket().await["total"], "JP¥3,025");
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    assert_eq!(app.count("SELECT total_minor FROM invoices").await, 3025);
}

async fn an_invalid_shop_file_stops_the_server_from_starting(backend: Backend) {
    let db = TestDb::create(backend).await;
    let (_dir, path) = edited_shop(|text| text.replace("unit_price = 2500", "unit_price = -2500"));
    let error = start_server(&db, &[("SHOP_FILE", &path.display().to_string())]).await.expect_err("a server with a bad shop file started");
    assert!(error.contains(&format!("{}:31:14: unit_price -2500 is negative", path.display())), "{error}");
    let pool = checkout_portal::server::db::Db::connect(&db.url, &Default::default()).await.unwrap().pool;
    let for_sale: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE active = 1").fetch_one(&pool).await.unwrap();
    assert_eq!(for_sale, 0, "nothing from the file was applied");
}

/// A server starting on `db` with `vars` as its environment: its error as printed, if it does not start.
async fn start_server(db: &TestDb, vars: &[(&str, &str)]) -> Result<(), String> {
    let config = checkout_portal::server::config::Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(db.url.clone()),
        _ => vars.iter().find(|(var, _)| *var == name).map(|(_, value)| (*value).to_owned()),
    })
    .unwrap();
    let options = leptos::config::LeptosOptions::builder().output_name("checkout-portal").site_root("target/site").build();
    checkout_portal::server::startup::build_state(&config, options, checkout_portal::server::startup::system_clock())
        .await
        .map(drop)
        .map_err(|error| error.to_string())
}

/// Runs `checkout-portal shop <verb> <file>` on `db`: (success, stdout, stderr).
fn cli(db: &TestDb, verb: &str, file: &Path) -> (bool, String, String) {
    let output = Command::new(BINARY)
        .args(["shop", verb, file.to_str().unwrap()])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

async fn the_command_line_plans_applies_and_refuses_bad_files_with_their_place(backend: Backend) {
    let db = TestDb::create(backend).await;
    let example = Path::new(EXAMPLE_SHOP);
    let (ok, out, err) = cli(&db, "apply", example);
    assert!(ok, "{err}");
    assert!(out.contains("  + product day-pass") || out.contains("  ~ product day-pass"), "{out}");
    assert!(out.ends_with(&format!("Applied {}.\n", example.display())), "{out}");
    let (ok, out, _) = cli(&db, "apply", example);
    assert!(ok && out.starts_with("No changes: the shop already matches the file."), "{out}");

    let (_dir, path) = edited_shop(kanal);
    let (ok, out, err) = cli(&db, "plan", &path);
    assert!(ok, "{err}");
    assert!(out.contains("  ~ product day-pass\n      unit_price: €25.00 → €27.50\n"), "{out}");
    assert!(out.contains("Nothing was changed. To make these changes: checkout-portal shop apply"), "{out}");
    let (ok, out, _) = cli(&db, "plan", &path);
    assert!(ok && out.contains("unit_price: €25.00 → €27.50"), "planning twice: still to do");

    let pool = checkout_portal::server::db::Db::connect(&db.url, &Default::default()).await.unwrap().pool;
    let snapshot = || async {
        sqlx::query_as::<_, (String, String, i64, i64)>("SELECT slug, name, unit_price_minor, active FROM products ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let before = snapshot().await;
    // One bad file per kind of problem: each is named with its place, and nothing is applied.
    let bad: [(&str, &str, (usize, usize), &str); 9] = [
        ("active = true", "colour = \"red\"", (35, 1), "unknown field `colour`"),
        ("slug = \"meeting-room\"", "slug = \"day-pass\"", (46, 8), "duplicate slug \"day-pass\": line 28 already has a product with it"),
        ("unit_price = 2500", "unit_price = -2500", (31, 14), "unit_price -2500 is negative"),
        ("unit_price = 2500", "unit_price = 99999999999999999999", (31, 14), "is too large: at most 999999999999 minor units"),
        ("tax_rate = 21", "tax_rate = 121", (32, 12), "tax_rate 121 must be a percentage from 0 to 100"),
        ("currency = \"EUR\"", "currency = \"EUX\"", (16, 12), "currency: EUX is not an ISO 4217 currency"),
        ("branding/harbourside.svg", "branding/missing.svg", (17, 8), "logo \"branding/missing.svg\" is not there"),
        ("accent = \"#0f5c7a\"", "accent = \"teal\"", (18, 10), "accent \"teal\" is not a colour"),
        ("accent = \"#0f5c7a\"", "accent = \"#ffd700\"", (18, 10), "accent #ffd700 has a contrast of 1.40:1 with white text"),
    ];
    for (from, to, (line, column), message) in bad {
        let (_dir, path) = edited_shop(|text| {
            assert!(text.contains(from), "{from}");
            text.replacen(from, to, 1)
        });
        for verb in ["plan", "apply"] {
            let (ok, out, err) = cli(&db, verb, &path);
            assert!(!ok, "{verb} with {to:?} succeeded: {out}");
            let place = format!("{}:{line}:{column}: ", path.display());
            assert!(err.contains(&place) && err.contains(message), "{verb} with {to:?}: expected {place}…{message} in:\n{err}");
            assert!(err.contains("nothing was applied"), "{err}");
        }
        assert_eq!(snapshot().await, before, "{to:?} changed the database");
    }
}

async fn existing_products_keep_their_ids_and_get_slugs(backend: Backend) {
    // A database as the release before the shop file left it: the first six
    // migrations, a basket that held the day pass, and a product an
    // operator inserted by hand.
    let db = TestDb::create(backend).await;
    let pool = common::migrated_until(&db, 20261207000006).await;
    sqlx::query("INSERT INTO basket_sessions (token_hash, created_at) VALUES ('h', 1)").execute(&pool).await.unwrap();
    sqlx::query("INSERT INTO basket_items (basket_session_id, product_id, quantity) VALUES (1, 1, 2)").execute(&pool).await.unwrap();
    sqlx::query("INSERT INTO products (name, description, unit_price_minor, tax_rate_bp, position) VALUES ('Locker', 'A locker', 1500, 2100, 9)")
        .execute(&pool)
        .await
        .unwrap();
    drop(pool);
    let app = TestApp::on(db, &[("SHOP_FILE", "")]).await;
    let rows = sqlx::query_as::<_, (i64, String, i64, Option<i64>)>("SELECT id, slug, active, archived_at FROM products ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    let summary: Vec<(i64, &str, bool)> = rows.iter().map(|(id, slug, active, archived)| (*id, slug.as_str(), *active == 1 && archived.is_none())).collect();
    assert_eq!(
        summary,
        [(1, "day-pass", true), (2, "meeting-room", false), (3, "10-visit-bundle", false), (4, "private-office", false), (5, "product-5", true)],
        "sold and hand-made products stay on sale; the unsold demo ones wait in the archive"
    );
    assert_eq!(catalogue_names(&app).await, ["Day Pass", "Locker"]);
}

async fn an_instance_that_has_not_seen_a_new_currency_charges_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let other = app.twin().await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    // Another instance switches the shop to yen and a new price; this one has not looked yet.
    let (_dir, path) = edited_shop(|text| text.replace("currency = \"EUR\"", "currency = \"JPY\"").replace("unit_price = 2500", "unit_price = 4000"));
    other.state.shop.apply(&read(&path)).await.unwrap();
    let stale = shopper.basket().await;
    assert_eq!(stale["total"], "€48.40", "this instance still shows euros (for at most the watch interval)");
    let attempt = shopper.attempt().await;
    let refused = shopper.start_payment_priced_as(&attempt, stale["priced_as"].as_str().unwrap()).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text());
    assert!(message(&refused).starts_with("The price changed"), "{}", refused.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM payment_attempts").await, 0, "nothing charged in the old currency");
    // The refusal made this instance read the shop again: the page is in yen now, and pays in yen.
    assert_eq!(shopper.basket().await["total"], "JP¥4,840");
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    let invoiced: (String, i64) = sqlx::query_as("SELECT currency, total_minor FROM invoices").fetch_one(&app.state.db.pool).await.unwrap();
    assert_eq!(invoiced, ("JPY".to_owned(), 4840));
}

async fn planning_an_older_database_writes_nothing(backend: Backend) {
    let db = TestDb::create(backend).await;
    let pool = common::migrated_until(&db, 20261207000006).await;
    let migrations = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&pool).await.unwrap() };
    let on_sale = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM products WHERE active = 1").fetch_one(&pool).await.unwrap() };
    let (before, selling) = (migrations().await, on_sale().await);
    let (ok, out, err) = cli(&db, "plan", Path::new(EXAMPLE_SHOP));
    assert!(!ok, "{out}");
    assert!(err.contains("the database lacks 2 migration(s) of this version"), "{err}");
    assert_eq!((migrations().await, on_sale().await), (before, selling), "a plan neither migrates nor archives");
    if backend == Backend::Sqlite {
        // Nor does it make a database where there is none.
        let missing = tempfile::tempdir().unwrap();
        let file = missing.path().join("none.db");
        let output = Command::new(BINARY)
            .args(["shop", "plan", EXAMPLE_SHOP])
            .env("DATABASE_URL", format!("sqlite://{}", file.display()))
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(!output.status.success());
        assert!(!file.exists(), "plan created {}", file.display());
    }
}

async fn earlier_invoices_keep_the_server_s_seller_and_a_shell_s_apply_waits_for_it(backend: Backend) {
    let app = TestApp::with_env(backend, &[("SELLER_NAME", "Dock 5"), ("SHOP_FILE", "")]).await;
    let purchase = app.purchase().await;
    // As an invoice issued before letterheads were kept.
    sqlx::query("UPDATE invoices SET letterhead_id = NULL").execute(&app.state.db.pool).await.unwrap();
    // An operator's shell, without the server's SELLER_NAME, may not decide what it printed.
    let (ok, out, err) = cli(&app.db, "apply", Path::new(EXAMPLE_SHOP));
    assert!(!ok, "{out}");
    assert!(err.contains("invoices issued before this version have no letterhead recorded yet; start the server once first"), "{err}");
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE letterhead_id IS NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM products WHERE active = 1").await, 0, "nothing applied");
    // The server's start records it with the server's own seller; then the apply goes through.
    let restarted = app.twin().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE letterhead_id IS NULL").await, 0);
    let (ok, _, err) = cli(&app.db, "apply", Path::new(EXAMPLE_SHOP));
    assert!(ok, "{err}");
    let token = restarted.register(purchase.invoice, purchase.basket).await.json()["Token"].as_str().unwrap().to_owned();
    let text = common::pdf_text(&restarted.pdf(purchase.invoice, &token).await.body);
    assert!(text.contains("Dock 5") && !text.contains("Harbourside"), "{text}");
}

async fn an_apply_closes_the_open_sessions_of_products_it_takes_away(backend: Backend) {
    let app = TestApp::new(backend).await;
    // What `serve` runs: after every apply it sees, the sessions it took products from close.
    tokio::spawn(app.state.payments.clone().close_after_applies(app.state.shop.changes()));
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.add(MEETING_ROOM, 1).await;
    shopper.details().await;
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let page = shopper.hosted_page(&attempt).await;
    let (_dir, path) = edited_shop(|text| text.replacen("active = true", "active = false", 1));
    app.state.shop.apply(&read(&path)).await.unwrap();
    // Wait for the closing (an event in the database), as long as it takes.
    let mut status = String::new();
    for _ in 0..2000 {
        status = sqlx::query_scalar("SELECT status FROM payment_attempts").fetch_one(&app.state.db.pool).await.unwrap();
        if status != "processing" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(status, "expired");
    let late = shopper.pay_on_page(&page, VISA_OK).await;
    assert_ne!(late.status, StatusCode::SEE_OTHER, "the closed session takes no payment");
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 0);
    // A price change alone leaves an open session as it was offered.
    let mut other = Shopper::new(&app);
    other.add(MEETING_ROOM, 1).await;
    other.details().await;
    let attempt = other.attempt().await;
    assert_eq!(other.start_payment(&attempt).await.status, StatusCode::OK);
    let (_dir, path) = edited_shop(|text| text.replacen("active = true", "active = false", 1).replace("unit_price = 3000", "unit_price = 3100"));
    app.state.shop.apply(&read(&path)).await.unwrap();
    assert_eq!(app.state.payments.close_sessions_for_unsellable().await.ok(), Some(0));
}

async fn a_currency_stripe_cannot_charge_exactly_is_refused_before_the_shop_opens(backend: Backend) {
    let db = TestDb::create(backend).await;
    let (_dir, path) = edited_shop(|text| text.replace("currency = \"EUR\"", "currency = \"KWD\""));
    let stripe = [
        ("SHOP_FILE", path.display().to_string()),
        ("PAYMENT_PROVIDER", "stripe".to_owned()),
        ("STRIPE_SECRET_KEY", "sk_test_123".to_owned()),
        ("STRIPE_WEBHOOK_SECRET", "whsec_123".to_owned()),
    ];
    let vars: Vec<(&str, &str)> = stripe.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let error = start_server(&db, &vars).await.expect_err("a KWD shop opened on Stripe");
    assert!(error.contains("Stripe charges KWD only in steps of 10 minor units"), "{error}");
    // A shell without the server's Stripe settings is held to the server's provider too.
    let (ok, out, err) = cli(&db, "apply", &path);
    assert!(!ok, "{out}");
    assert!(err.contains("Stripe charges KWD only in steps of 10 minor units") && err.contains("nothing was applied"), "{err}");
    let currency: Option<String> = sqlx::query_scalar("SELECT currency FROM shop_settings")
        .fetch_one(&checkout_portal::server::db::Db::connect(&db.url, &Default::default()).await.unwrap().pool)
        .await
        .unwrap();
    assert_eq!(currency, None, "no KWD shop");
    // On the test provider, whose amounts are exact, the same file is fine.
    let tested = TestApp::on(db, &[("SHOP_FILE", "")]).await;
    assert!(tested.state.shop.apply(&read(&path)).await.is_ok());
}

async fn a_stale_instance_issues_and_signs_with_the_database_s_seller(backend: Backend) {
    let app = TestApp::new(backend).await;
    let other = app.twin().await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 1).await;
    shopper.details().await;
    other.state.shop.apply(&read(&edited_shop(kanal).1)).await.unwrap();
    // This instance has not looked yet, and the day pass price changed: it re-reads and pays.
    let paid = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
    let mail = app.only_mail_to_with_subject("sam@example.com", "Your receipt").await;
    assert_eq!(mail.subject, "Your receipt from Kanal Werkhaus: invoice INV-000001");
    assert!(mail.text.contains("Kanal Werkhaus") && !mail.text.contains("Harbourside"), "{}", mail.text);
    let pdf = common::pdf_text(&mail.attachments[0].bytes);
    assert!(pdf.contains("Kanal Werkhaus"), "{pdf}");
}
