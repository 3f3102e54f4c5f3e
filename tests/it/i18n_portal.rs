//! The customer portal in English, German and Arabic, and the customer's
//! saved language: set from the purchase at registration, used where the
//! browser has not chosen a language, changed on My invoices. The REST and
//! OAuth API stay English whatever the request's language.

use crate::common;

on_both_backends!(
    the_sign_in_page_speaks_german_and_arabic,
    my_invoices_and_an_invoice_speak_german_and_arabic_with_their_money_and_dates,
    a_wrong_password_is_refused_in_german,
    the_pages_of_emailed_links_speak_german,
    an_arabic_purchase_saves_arabic_which_beats_accept_language_but_not_a_language_cookie,
    changing_the_saved_language_stores_it_sets_the_cookie_and_the_next_page_speaks_it,
    an_unsupported_language_is_refused_beside_the_list_and_changes_nothing,
    the_rest_and_oauth_answers_stay_english_whatever_the_language,
    in_the_pseudo_locale_no_portal_page_has_english_left,
);

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use checkout_portal::domain::locale::Locale;
use checkout_portal::domain::{Currency, Money, Timestamp};
use checkout_portal::server::i18n::format;
use checkout_portal::server::services::purchase::{demo_purchase, record_paid_guest_purchase, PaidPurchase};
use common::steps::{customer_with_password, sign_in, token_request};
use common::{form_value, Backend, Browser, Reply, TestApp};

const PASSWORD: &str = "correct horse battery";

/// A page as a browser asking for `accept_language` gets it, cookies kept
/// both ways (`Browser::get` sends no Accept-Language).
async fn get_in(browser: &mut Browser<'_>, uri: &str, accept_language: &str) -> Reply {
    let mut request = Request::builder().method(Method::GET).uri(uri).header(header::ACCEPT, "text/html");
    if !accept_language.is_empty() {
        request = request.header(header::ACCEPT_LANGUAGE, accept_language);
    }
    if !browser.cookies.is_empty() {
        let cookies = browser.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
        request = request.header(header::COOKIE, cookies);
    }
    let reply = browser.app.send(request.body(Body::empty()).unwrap()).await;
    keep_cookies(browser, &reply);
    reply
}

/// What a browser does with a reply's `Set-Cookie`s.
fn keep_cookies(browser: &mut Browser<'_>, reply: &Reply) {
    for set in reply.headers.get_all(header::SET_COOKIE) {
        let pair = set.to_str().unwrap().split(';').next().unwrap();
        let (name, value) = pair.split_once('=').unwrap();
        browser.cookies.retain(|(k, _)| k != name);
        if !value.is_empty() {
            browser.cookies.push((name.to_owned(), value.to_owned()));
        }
    }
}

fn locale(tag: &str) -> Locale {
    tag.parse().unwrap()
}

fn assert_speaks(page: &Reply, present: &[&str], absent: &[&str]) {
    let text = page.text();
    for words in present {
        assert!(text.contains(words), "{words:?} missing from: {text}");
    }
    for words in absent {
        assert!(!text.contains(words), "{words:?} still on the page: {text}");
    }
}

/// A guest purchase made in Arabic (the invoice's locale), as the checkout
/// records it.
async fn arabic_purchase(app: &TestApp, email: &str, name: &str) -> PaidPurchase {
    let mut purchase = demo_purchase(email.parse().unwrap(), name, &app.state.shop.current());
    purchase.locale = locale("ar");
    record_paid_guest_purchase(&app.state.db, app.clock.as_ref(), &app.config.token_policy, &purchase).await.expect("purchase recorded")
}

async fn saved_locale(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar::<_, String>("SELECT locale FROM customers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .expect("the customer")
}

/// A browser signed in as a customer with a password (English purchase).
async fn signed_in_customer<'a>(app: &'a TestApp, email: &str) -> (Browser<'a>, PaidPurchase) {
    let paid = customer_with_password(app, email, PASSWORD).await;
    let mut browser = Browser::new(app);
    assert_eq!(sign_in(&mut browser, email, PASSWORD).await.status, StatusCode::OK);
    (browser, paid)
}

async fn the_sign_in_page_speaks_german_and_arabic(backend: Backend) {
    let app = TestApp::new(backend).await;

    let german = get_in(&mut Browser::new(&app), "/account/sign-in", "de-DE,de;q=0.9,en;q=0.5").await;
    assert_eq!(german.status, StatusCode::OK);
    assert_speaks(
        &german,
        &["<html lang=\"de\" dir=\"ltr\"", "<h1>Anmelden</h1>", "Passwort vergessen?", "Anmeldelink per E-Mail senden", ">Passwort</label>", ">E-Mail</label>"],
        &["Forgot your password?", "Email me a sign-in link", ">Password</label>", "See your invoices"],
    );

    let arabic = get_in(&mut Browser::new(&app), "/account/sign-in?lang=ar", "de").await;
    assert_eq!(arabic.status, StatusCode::OK);
    assert_speaks(
        &arabic,
        &["<html lang=\"ar\" dir=\"rtl\"", "<h1>تسجيل الدخول</h1>", "هل نسيت كلمة المرور؟", ">كلمة المرور</label>"],
        &["Forgot your password?", "Passwort vergessen?", ">Password</label>"],
    );

    // English stays as it was.
    let english = get_in(&mut Browser::new(&app), "/account/sign-in", "en").await;
    assert_speaks(&english, &["<html lang=\"en\"", "<h1>Sign in</h1>", "Forgot your password?"], &["Anmelden"]);

    // The other pages of the way in, in German.
    let link = get_in(&mut Browser::new(&app), "/account/sign-in-link", "de").await;
    assert_speaks(&link, &["Link senden", "Zurück zur Anmeldung"], &["Email me a link", "Back to sign in"]);
    let sent = get_in(&mut Browser::new(&app), "/account/forgot-password?sent=1", "de").await;
    assert_speaks(&sent, &["<h1>Passwort zurücksetzen</h1>", "Bitte sehen Sie in Ihrem Posteingang nach."], &["Check your inbox."]);
    let unusable = get_in(&mut Browser::new(&app), "/account/set-password?token=not-a-token", "de").await;
    assert_speaks(&unusable, &["Dieser Link kann nicht verwendet werden", "Neuen Anmeldelink senden"], &["This link can't be used"]);
}

async fn my_invoices_and_an_invoice_speak_german_and_arabic_with_their_money_and_dates(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (mut browser, paid) = signed_in_customer(&app, "jane@example.com").await;
    let total = app.count("SELECT total_minor FROM invoices").await;
    let issued: Timestamp = common::START;
    let money = |tag: &str| format::money(locale(tag), Money::new(total, Currency::EUR));

    // The customer's saved language (English, from the purchase) beats
    // Accept-Language; the browser's own choice (`?lang=`) beats it.
    let english = get_in(&mut browser, "/account/invoices", "de").await;
    assert_speaks(&english, &["<html lang=\"en\"", "<h1>My invoices</h1>", "Page 1 of 1", "24 Nov 2026", &money("en")], &["Meine Rechnungen</h1>"]);
    let german = get_in(&mut browser, "/account/invoices?lang=de", "en").await;
    assert_eq!(german.status, StatusCode::OK, "{}", german.text());
    assert_speaks(
        &german,
        &[
            "<html lang=\"de\" dir=\"ltr\"",
            "<h1>Meine Rechnungen</h1>",
            "Angemeldet als",
            ">Abmelden</button>",
            "Auf allen Geräten abmelden",
            ">Bezahlt</td>",
            ">Gesamtbetrag</th>",
            "Ihre Rechnungen, die neuesten zuerst",
            "Seite 1 von 1",
            &paid.invoice_number,
            // Dates and money the German way.
            "24.11.2026",
            &money("de"),
            "\u{A0}€",
        ],
        &["My invoices</h1>", "Signed in as", ">Sign out</button>", ">Paid</td>", "Page 1 of 1", "24 Nov 2026"],
    );
    assert!(money("de").contains(',') && money("de").ends_with("\u{A0}€"), "{}", money("de"));

    let arabic = get_in(&mut browser, "/account/invoices?lang=ar", "de").await;
    assert_speaks(
        &arabic,
        &[
            "<html lang=\"ar\" dir=\"rtl\"",
            "<h1>فواتيري</h1>",
            "تسجيل الخروج",
            ">مدفوعة</td>",
            "الصفحة 1 من 1",
            &format::date(locale("ar"), issued),
            &money("ar"),
        ],
        &["Meine Rechnungen</h1>", "My invoices</h1>", "24.11.2026"],
    );
    assert!(money("ar").starts_with('\u{200F}'), "Arabic money starts with a right-to-left mark: {:?}", money("ar"));

    // One invoice, in German: its labels, dates and amounts.
    let detail = get_in(&mut browser, &format!("/account/invoices/{}?lang=de", paid.invoice), "en").await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_speaks(
        &detail,
        &["Rechnungsempfänger", "Zwischensumme", "Einzelpreis", "PDF herunterladen", "Ausgestellt am", "24.11.2026", &money("de"), "← Meine Rechnungen"],
        &["Billed to", "Subtotal", "Download PDF", "Issued "],
    );
    // An invoice that is not theirs: the page says so in German.
    assert_eq!(browser.cookie("lang"), Some("de"), "?lang= is remembered");
    let missing = get_in(&mut browser, "/account/invoices/999999", "en").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_speaks(&missing, &["Rechnung nicht gefunden", "Wir konnten diese Rechnung in Ihrem Konto nicht finden."], &["Invoice not found"]);
}

async fn a_wrong_password_is_refused_in_german(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com", PASSWORD).await;

    // Without JavaScript the form comes back to the sign-in page, which says why.
    let mut browser = Browser::new(&app);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/account/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, "de")
        .header(header::REFERER, "http://127.0.0.1:3000/account/sign-in")
        .body(Body::from("email=jane%40example.com&password=not+the+password"))
        .unwrap();
    let posted = app.send(request).await;
    assert_eq!(posted.status, StatusCode::FOUND, "{}", posted.text());
    let back = posted.header("location");
    assert!(back.contains("__err="), "{back}");
    let back = back.strip_prefix("http://127.0.0.1:3000").unwrap_or(back).to_owned();
    assert!(back.starts_with("/account/sign-in"), "{back}");
    let page = get_in(&mut browser, &back, "de").await;
    assert_speaks(
        &page,
        &["Diese E-Mail-Adresse und dieses Passwort passen zu keinem Konto."],
        &["don't match an account"],
    );
    // A field error, beside its field.
    let malformed = form_value(&base64_url(r#"{"Invalid":[{"field":"email","problem":"malformed"}]}"#));
    let page = get_in(&mut browser, &format!("/account/sign-in?__path=/account/api/sign_in&__err={malformed}"), "de").await;
    assert_speaks(&page, &["Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein."], &["Enter an email address like"]);

    // The hydrated page's call gets the error's code, as before.
    let called = sign_in(&mut Browser::new(&app), "jane@example.com", "not the password").await;
    assert_eq!(called.status, StatusCode::UNAUTHORIZED);
    assert_eq!(called.json(), serde_json::json!("WrongCredentials"));
}

async fn the_pages_of_emailed_links_speak_german(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_with_password(&app, "jane@example.com", PASSWORD).await;
    app.mailbox().await;
    let mut browser = Browser::new(&app);
    for kind in ["reset", "sign-in"] {
        let asked = browser.call("/account/api/email_link", &format!("kind={kind}&email=jane%40example.com")).await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.text());
    }
    let mails = app.mailbox().await;
    let reset = mails.iter().find_map(|mail| mail.text.contains("/account/reset-password?token=").then(|| mail.link_token("/account/reset-password"))).unwrap();
    let sign_in_link = mails.iter().find_map(|mail| mail.text.contains("/account/link?token=").then(|| mail.link_token("/account/link"))).unwrap();

    let page = get_in(&mut browser, &format!("/account/reset-password?token={reset}&lang=de"), "en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_speaks(
        &page,
        &["<h1>Neues Passwort wählen</h1>", ">Neues Passwort</label>", "Passwort speichern und anmelden"],
        &["Choose a new password", "Save password and sign in"],
    );
    // A password refused beside its field, in German.
    let too_short = form_value(&base64_url(r#"{"Invalid":[{"field":"password","problem":"too_short"}]}"#));
    let page = get_in(&mut browser, &format!("/account/reset-password?token={reset}&__path=/account/api/password&__err={too_short}"), "en").await;
    assert_speaks(&page, &["Bitte wählen Sie ein Passwort mit mindestens 8 Zeichen."], &["Choose a password of at least 8 characters."]);

    let page = get_in(&mut browser, &format!("/account/link?token={sign_in_link}"), "en").await;
    assert_speaks(&page, &["<h1>Anmelden</h1>", "Weiter zu Ihren Rechnungen."], &["Continue to your invoices."]);
}

fn base64_url(json: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE.encode(json)
}

async fn an_arabic_purchase_saves_arabic_which_beats_accept_language_but_not_a_language_cookie(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = arabic_purchase(&app, "layla@example.com", "Layla Haddad").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    assert_eq!(saved_locale(&app, "layla@example.com").await, "ar", "registration keeps the purchase's language");
    let token = app.only_mail_to("layla@example.com").await.link_token("/account/set-password");
    let chosen = Browser::new(&app).call("/account/api/password", &format!("token={token}&password={}", form_value(PASSWORD))).await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text());

    // Another browser, with no language cookie, whose language is English.
    let mut browser = Browser::new(&app);
    assert_eq!(sign_in(&mut browser, "layla@example.com", PASSWORD).await.status, StatusCode::OK);
    assert!(browser.cookie("lang").is_none());
    let page = get_in(&mut browser, "/account/invoices", "en-GB,en;q=0.9").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_speaks(&page, &["<html lang=\"ar\" dir=\"rtl\"", "<h1>فواتيري</h1>", "تسجيل الخروج"], &["<h1>My invoices</h1>", "Sign out"]);
    assert_speaks(&page, &["<option value=\"ar\" lang=\"ar\" dir=\"rtl\" selected"], &[]);
    let vary: Vec<&str> = page.headers.get_all(header::VARY).iter().map(|value| value.to_str().unwrap()).collect();
    assert!(vary.iter().any(|value| value.contains("Cookie")), "{vary:?}");
    // Signed out, the same browser gets what it asks for.
    let signed_out = get_in(&mut Browser::new(&app), "/account/sign-in", "en-GB,en;q=0.9").await;
    assert_speaks(&signed_out, &["<html lang=\"en\""], &["تسجيل الدخول"]);

    // The browser's own choice (the language cookie) beats the saved language.
    browser.cookies.push(("lang".to_owned(), "de".to_owned()));
    let page = get_in(&mut browser, "/account/invoices", "en").await;
    assert_speaks(&page, &["<html lang=\"de\"", "<h1>Meine Rechnungen</h1>"], &["<h1>فواتيري</h1>"]);
    // The saved language is still shown as saved.
    assert_speaks(&page, &["<option value=\"ar\" lang=\"ar\" dir=\"rtl\" selected"], &[]);
    assert_eq!(saved_locale(&app, "layla@example.com").await, "ar");
}

async fn changing_the_saved_language_stores_it_sets_the_cookie_and_the_next_page_speaks_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (mut browser, _) = signed_in_customer(&app, "jane@example.com").await;
    assert_eq!(saved_locale(&app, "jane@example.com").await, "en");

    // The form: every language named in itself, the saved one chosen.
    let page = get_in(&mut browser, "/account/invoices", "en").await;
    assert_speaks(
        &page,
        &[
            "action=\"/account/api/language\"",
            "<option value=\"en\" lang=\"en\" dir=\"ltr\" selected",
            "<option value=\"de\" lang=\"de\" dir=\"ltr\">Deutsch</option>",
            "<option value=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</option>",
            "Save language",
        ],
        &["Your language is saved."],
    );

    // Saved without JavaScript: stored, remembered by this browser, back to the page.
    let saved = browser.submit("/account/api/language", "language=de").await;
    assert_eq!(saved.status, StatusCode::FOUND, "{}", saved.text());
    assert_eq!(saved.header("location"), "/account/invoices?saved=language");
    assert_eq!(saved_locale(&app, "jane@example.com").await, "de");
    assert_eq!(browser.cookie("lang"), Some("de"));
    let cookie = saved.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).find(|v| v.starts_with("lang=")).unwrap();
    assert!(cookie.contains("Path=/") && cookie.contains("Max-Age=31536000"), "{cookie}");

    let next = get_in(&mut browser, "/account/invoices?saved=language", "en").await;
    assert_speaks(
        &next,
        &["<html lang=\"de\"", "<h1>Meine Rechnungen</h1>", "Ihre Sprache wurde gespeichert.", "<option value=\"de\" lang=\"de\" dir=\"ltr\" selected"],
        &["<h1>My invoices</h1>", "Your language is saved."],
    );

    // As the hydrated page's call: Arabic, and the saved language follows on
    // any browser that has not chosen one.
    let called = browser.call("/account/api/language", "language=ar").await;
    assert!(called.status.is_success() || called.status.is_redirection(), "{} {}", called.status, called.text());
    assert_eq!(saved_locale(&app, "jane@example.com").await, "ar");
    assert_eq!(browser.cookie("lang"), Some("ar"));
    let mut laptop = Browser::new(&app);
    assert_eq!(sign_in(&mut laptop, "jane@example.com", PASSWORD).await.status, StatusCode::OK);
    assert_speaks(&get_in(&mut laptop, "/account/invoices", "de").await, &["<html lang=\"ar\" dir=\"rtl\""], &[]);

    // Another site cannot change it with the customer's cookies.
    let cookies = browser.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
    let forged = Request::builder()
        .method(Method::POST)
        .uri("/account/api/language")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, cookies)
        .body(Body::from("language=de"))
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(saved_locale(&app, "jane@example.com").await, "ar");

    // Signed out, nothing can be saved.
    let mut stranger = Browser::new(&app);
    let refused = stranger.call("/account/api/language", "language=en").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(saved_locale(&app, "jane@example.com").await, "ar");
    assert!(stranger.cookie("lang").is_none());
}

async fn an_unsupported_language_is_refused_beside_the_list_and_changes_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (mut browser, _) = signed_in_customer(&app, "jane@example.com").await;

    for wrong in ["fr", "", "en-XA", "de-AT", "%3Cscript%3E"] {
        let called = browser.call("/account/api/language", &format!("language={wrong}")).await;
        assert_eq!(called.status, StatusCode::BAD_REQUEST, "{wrong}: {}", called.text());
        assert_eq!(called.json(), serde_json::json!("UnsupportedLanguage"));
    }
    let called = browser.call("/account/api/language", "").await;
    assert_eq!(called.status, StatusCode::BAD_REQUEST, "no value at all");

    // Without JavaScript: back to the page, the error beside the list, in the page's language.
    let posted = browser.submit("/account/api/language", "language=klingon").await;
    assert_eq!(posted.status, StatusCode::FOUND);
    let back = posted.header("location").to_owned();
    assert!(back.starts_with("/account/invoices?") && back.contains("__err="), "{back}");
    assert_eq!(saved_locale(&app, "jane@example.com").await, "en", "nothing changed");
    assert!(browser.cookie("lang").is_none(), "no language cookie set");
    browser.cookies.push(("lang".to_owned(), "de".to_owned()));
    let page = get_in(&mut browser, &back, "en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_speaks(
        &page,
        &["Bitte wählen Sie eine der angebotenen Sprachen.", "aria-invalid=\"true\"", "aria-describedby=\"language-error\""],
        &["Ihre Sprache wurde gespeichert.", "klingon"],
    );
    browser.cookies.retain(|(name, _)| name != "lang");
    let english = get_in(&mut browser, &back, "de").await;
    assert_speaks(&english, &["Choose one of the languages offered."], &[]);
}

async fn the_rest_and_oauth_answers_stay_english_whatever_the_language(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = arabic_purchase(&app, "layla@example.com", "Layla Haddad").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);

    let ask = |uri: &str, language: &str| {
        let mut request = Request::builder().uri(uri);
        if !language.is_empty() {
            request = request.header(header::ACCEPT_LANGUAGE, language);
        }
        request.body(Body::empty()).unwrap()
    };
    let plain = app.send(ask("/api/public/billing/invoices/my", "")).await;
    assert_eq!(plain.status, StatusCode::UNAUTHORIZED);
    assert_eq!(plain.json()["Message"], "Please sign in to continue.");
    for language in ["de", "ar", "de-DE,de;q=0.9"] {
        let reply = app.send(ask("/api/public/billing/invoices/my", language)).await;
        assert_eq!((reply.status, reply.text()), (plain.status, plain.text()), "{language}");
        let reply = app.send(ask("/api/public/billing/invoices/my?lang=ar", language)).await;
        assert_eq!(reply.text(), plain.text(), "?lang=ar");
    }

    // OAuth: a wrong password, asked in Arabic.
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, "ar")
        .header(header::COOKIE, "lang=ar")
        .body(Body::from("grant_type=password&username=layla%40example.com&password=wrong"))
        .unwrap();
    let refused = app.send(request).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["error"], "invalid_grant");
    assert_eq!(refused.json()["error_description"], "The user name or password is incorrect.");
    let english = token_request(&app, "grant_type=password&username=layla%40example.com&password=wrong").await;
    assert_eq!(english.text(), refused.text());
}

/// The words a person can read on a page (its `<body>` without scripts and
/// tags, and its `aria-label`s), which are all ASCII letters: in the
/// pseudo-locale every catalogue word is accented, so these were never
/// looked up.
fn unaccented_words(html: &str) -> Vec<String> {
    let body = &html[html.find("<body").expect("a body")..];
    let mut visible = String::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        visible.push_str(&rest[..start]);
        visible.push(' ');
        let tag_end = rest[start..].find('>').map_or(rest.len(), |end| start + end + 1);
        let tag = &rest[start..tag_end];
        for attribute in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
            if let Some(value) = tag.split(attribute).nth(1).and_then(|value| value.split('"').next()) {
                visible.push_str(value);
                visible.push(' ');
            }
        }
        rest = &rest[tag_end..];
        if tag.starts_with("<script") {
            rest = rest.find("</script>").map_or("", |end| &rest[end..]);
        }
    }
    visible.push_str(rest);
    for entity in ["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;"] {
        visible = visible.replace(entity, " ");
    }
    visible
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|word| word.chars().count() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_owned)
        .collect()
}

async fn in_the_pseudo_locale_no_portal_page_has_english_left(backend: Backend) {
    let app = TestApp::with_env(backend, &[("PSEUDO_LOCALE", "1")]).await;
    let (mut browser, paid) = signed_in_customer(&app, "jane@example.com").await;
    // What the pages show that is data, not words: the customer, the
    // shop's name, the bill-to address, the products, and the languages
    // each named in itself; the month, written by CLDR, not the catalogue.
    let data = "Jane Doe jane example com Harbourside Coworking Prinsengracht Amsterdam Netherlands \
        Day Pass hot desk Meeting Room seats with screen visit bundle Printing credits pages Coffee lunch voucher EUR INV English Deutsch Nov";
    let pages = [
        "/account/sign-in".to_owned(),
        "/account/sign-in-link".to_owned(),
        "/account/sign-in-link?sent=1".to_owned(),
        "/account/forgot-password".to_owned(),
        "/account/link?token=not-a-token".to_owned(),
        "/account/invoices".to_owned(),
        format!("/account/invoices/{}", paid.invoice),
        "/account/invoices/999999".to_owned(),
        "/account/invoices?__path=/account/api/language&__err=IlVuc3VwcG9ydGVkTGFuZ3VhZ2Ui".to_owned(),
        "/account/sign-in?__path=/account/api/sign_in&__err=eyJSYXRlTGltaXRlZCI6eyJyZXRyeV9hZnRlcl9taW51dGVzIjozfX0%3D".to_owned(),
    ];
    for page in pages {
        let separator = if page.contains('?') { '&' } else { '?' };
        let reply = get_in(&mut browser, &format!("{page}{separator}lang=en-XA"), "en").await;
        assert!(reply.text().contains("<html lang=\"en-XA\""), "{page}");
        let english: Vec<String> = unaccented_words(&reply.text()).into_iter().filter(|word| !data.split_whitespace().any(|known| known == word)).collect();
        assert!(english.is_empty(), "{page} has words no catalogue gave: {english:?}");
    }
}
