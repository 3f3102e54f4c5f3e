//! The shopper's checkout in German and Arabic: every page, its errors, the
//! island's words and the test provider's hosted page speak the request's
//! language, with `<html lang dir>`, prices written the locale's way and a
//! language switcher that keeps the page.

use crate::common;

on_both_backends!(
    each_checkout_page_speaks_german_to_a_german_browser,
    each_checkout_page_speaks_arabic_when_asked_by_lang,
    a_chosen_language_is_remembered_over_the_browser_s_and_a_bad_one_falls_back_to_english,
    a_failed_form_post_says_what_went_wrong_in_german,
    the_test_provider_s_page_speaks_german_and_arabic,
    the_pseudo_locale_finds_no_english_left_on_a_checkout_page,
);

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::shopper::{on_this_app, Shopper, DAY_PASS, VISA_DECLINED, VISA_OK};
use common::{Backend, Reply, TestApp};

/// What a request says about its sender's language.
#[derive(Clone, Copy)]
enum Asking<'a> {
    /// A browser set to this `Accept-Language`.
    Browser(&'a str),
    /// No preference: English unless the URL or a cookie says otherwise.
    Nothing,
}

/// A page as a browser without JavaScript loads it: its cookies, its
/// `Accept-Language`, and (for a form post coming back) the page it was on.
async fn load(app: &TestApp, uri: &str, cookie: Option<&str>, asking: Asking<'_>) -> Reply {
    let mut request = Request::builder().method(Method::GET).uri(uri).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Asking::Browser(languages) = asking {
        request = request.header(header::ACCEPT_LANGUAGE, languages);
    }
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
    reply
}

/// A shopper with two day passes in the basket and their details given.
async fn ready_to_pay(app: &TestApp) -> Shopper<'_> {
    let mut shopper = Shopper::new(app);
    assert_eq!(shopper.add(DAY_PASS, 2).await.status, StatusCode::OK);
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    shopper
}

/// Pays the shopper's basket; the checkout-complete page's address.
async fn pay(shopper: &mut Shopper<'_>) -> String {
    let back = shopper.pay_fresh(VISA_OK).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.text());
    let complete = on_this_app(back.header("location")).to_owned();
    assert!(complete.starts_with("/checkout/complete?invoiceId="), "{complete}");
    complete
}

/// The `href` of the language switcher's link to `tag`, unescaped.
fn switcher_href(html: &str, tag: &str) -> String {
    let marker = format!(r#"hreflang="{tag}""#);
    let at = html.find(&marker).unwrap_or_else(|| panic!("no switcher link to {tag}"));
    let before = &html[..at];
    let start = before.rfind(r#"href=""#).expect("the link's href") + r#"href=""#.len();
    let end = start + before[start..].find('"').unwrap();
    before[start..end].replace("&amp;", "&")
}

/// The page answers in `lang`/`dir`, says it varies by what chose that, and
/// its switcher leads to this same page (query kept) in each language.
fn assert_page_language(reply: &Reply, uri: &str, lang: &str, dir: &str) {
    let html = reply.text();
    assert!(html.contains(&format!(r#"<html lang="{lang}" dir="{dir}""#)), "{uri}: {}", &html[..html.len().min(300)]);
    let vary: Vec<&str> = reply.headers.get_all(header::VARY).iter().filter_map(|value| value.to_str().ok()).collect();
    assert!(vary.contains(&"Accept-Language, Cookie"), "{uri}: Vary {vary:?}");
    // A query-only link: this same page, whatever its path.
    let query = uri.split_once('?').map_or("", |(_, query)| query);
    let kept: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty() && !pair.starts_with("lang=")).collect();
    for tag in ["en", "de", "ar"] {
        let mut expected = kept.clone();
        let lang_pair = format!("lang={tag}");
        expected.push(&lang_pair);
        assert_eq!(switcher_href(&html, tag), format!("?{}", expected.join("&")), "{uri}: the switcher's link to {tag}");
    }
}

fn assert_says(reply: &Reply, uri: &str, said: &[&str], not_said: &[&str]) {
    let html = reply.text();
    for words in said {
        assert!(html.contains(words), "{uri} should say {words:?}: {html}");
    }
    for words in not_said {
        assert!(!html.contains(words), "{uri} should not say {words:?}");
    }
}

async fn each_checkout_page_speaks_german_to_a_german_browser(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready_to_pay(&app).await;
    let german = Asking::Browser("de-DE,de;q=0.9,en;q=0.5");
    let pages: [(&str, &[&str], &[&str]); 4] = [
        ("/", &["Buchen Sie Ihren Platz", "In den Warenkorb", "zzgl. ", "25,00\u{A0}€"], &["Book your space", "Add to basket", "€25.00"]),
        (
            "/basket",
            &["Ihr Warenkorb", "Zwischensumme", "Weiter zu Ihren Angaben", "Aktualisieren", "50,00\u{A0}€"],
            &["Your basket", "Subtotal", "Continue to your details", "€50.00"],
        ),
        (
            "/checkout/details",
            &["Ihre Angaben", "Vollständiger Name", "Straße und Hausnummer", "Niederlande", "Weiter zur Zahlung"],
            &["Your details", "Full name", "Netherlands", "Continue to payment"],
        ),
        (
            "/checkout/payment",
            &["Bestellübersicht", "Gesamtbetrag", "Rechnung an", "\u{A0}€ bezahlen"],
            &["Order summary", "Invoice to", "You pay by card", "Pay "],
        ),
    ];
    for (uri, said, not_said) in pages {
        let reply = load(&app, uri, shopper.cookie.as_deref(), german).await;
        assert_page_language(&reply, uri, "de", "ltr");
        assert_says(&reply, uri, said, not_said);
        // The chrome and the progress steps too.
        assert_says(&reply, uri, &["Warenkorb", "Fortschritt der Bestellung"], &["Checkout progress"]);
    }

    let complete = pay(&mut shopper).await;
    let reply = load(&app, &complete, shopper.cookie.as_deref(), german).await;
    assert_page_language(&reply, &complete, "de", "ltr");
    assert_says(
        &reply,
        &complete,
        // The server's render of the island, and its props: the words it
        // shows once registered, translated before they travel.
        &["Ihr Kundenkonto wird eingerichtet…", "Registrierung abschließen", "Rechnung herunterladen (PDF)", "Ihr Kundenkonto ist bereit"],
        &["Setting up your account", "Complete registration", "Download invoice (PDF)", "Your account is ready"],
    );
    // Registered in German, the total is the German one.
    let registered = shopper.call("register", &complete_form(&complete)).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.text());
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/checkout/api/status")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, "de-DE");
    if let Some(cookie) = &shopper.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let status = app.send(request.body(Body::from(complete_form(&complete))).unwrap()).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text());
    assert!(status.json()["Registered"]["total"].as_str().unwrap().ends_with("\u{A0}€"), "{}", status.text());
}

/// `invoice_id=…&basket_session=…` from a checkout-complete address.
fn complete_form(complete: &str) -> String {
    let (invoice, basket) = common::complete_page_ids(complete);
    format!("invoice_id={invoice}&basket_session={basket}")
}

async fn each_checkout_page_speaks_arabic_when_asked_by_lang(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready_to_pay(&app).await;
    let pages: [(&str, &[&str], &[&str]); 4] = [
        ("/?lang=ar", &["احجز مساحتك", "أضف إلى السلة", "\u{200F}25.00\u{A0}€"], &["Book your space", "Add to basket"]),
        ("/basket?lang=ar", &["سلتك", "المجموع الفرعي", "تابع إلى بياناتك"], &["Your basket", "Subtotal"]),
        ("/checkout/details?lang=ar", &["بياناتك", "الاسم الكامل", "هولندا"], &["Full name", "Netherlands"]),
        ("/checkout/payment?lang=ar", &["ملخص الطلب", "الإجمالي", "ادفع \u{200F}60.50\u{A0}€"], &["Order summary", "Pay "]),
    ];
    for (uri, said, not_said) in pages {
        // Even from a browser that prefers German: the URL says Arabic.
        let reply = load(&app, uri, shopper.cookie.as_deref(), Asking::Browser("de-DE")).await;
        assert_page_language(&reply, uri, "ar", "rtl");
        assert_says(&reply, uri, said, not_said);
    }

    let complete = pay(&mut shopper).await;
    let uri = format!("{complete}&lang=ar");
    let reply = load(&app, &uri, shopper.cookie.as_deref(), Asking::Nothing).await;
    assert_page_language(&reply, &uri, "ar", "rtl");
    assert_says(
        &reply,
        &uri,
        &["جارٍ إعداد حسابك…", "إكمال التسجيل", "تنزيل الفاتورة (PDF)"],
        &["Setting up your account", "Complete registration", "Download invoice (PDF)"],
    );
}

async fn a_chosen_language_is_remembered_over_the_browser_s_and_a_bad_one_falls_back_to_english(backend: Backend) {
    let app = TestApp::new(backend).await;
    let chosen = load(&app, "/?lang=de", None, Asking::Browser("ar")).await;
    assert_page_language(&chosen, "/?lang=de", "de", "ltr");
    let set_cookie = chosen.header("set-cookie");
    assert!(set_cookie.contains("lang=de;"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    // The cookie wins over the browser's Arabic, on every page.
    for uri in ["/", "/basket", "/checkout/details", "/checkout/payment", "/no-such-page-here"] {
        let mut request = Request::builder().uri(uri).header(header::ACCEPT, "text/html").header(header::ACCEPT_LANGUAGE, "ar");
        request = request.header(header::COOKIE, &cookie);
        let reply = app.send(request.body(Body::empty()).unwrap()).await;
        let html = reply.text();
        assert!(html.contains(r#"<html lang="de" dir="ltr""#), "{uri}");
        assert!(html.contains("Fortschritt der Bestellung") || html.contains("Seite nicht gefunden"), "{uri}: {html}");
        assert!(reply.header("set-cookie").is_empty(), "{uri}: nothing new to remember");
    }

    // A language the shop does not speak, asked for any way: English, cleanly.
    let bad_lang = load(&app, "/?lang=xx-%3Cscript%3E", None, Asking::Nothing).await;
    assert_page_language(&bad_lang, "/?lang=xx-%3Cscript%3E", "en", "ltr");
    assert_says(&bad_lang, "/", &["Book your space", "Add to basket", "€25.00"], &["xx-"]);
    assert!(!bad_lang.header("set-cookie").contains("lang="), "a bad choice is not remembered");
    let bad_cookie = load(&app, "/basket", Some("lang=klingon; __Host-lang=%00"), Asking::Browser("fr-FR, *;q=0.1")).await;
    assert_page_language(&bad_cookie, "/basket", "en", "ltr");
    assert_says(&bad_cookie, "/basket", &["Your basket is empty.", "Browse products"], &[]);
}

async fn a_failed_form_post_says_what_went_wrong_in_german(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    assert_eq!(shopper.add(DAY_PASS, 1).await.status, StatusCode::OK);

    // Posted without JavaScript: back to the page, the error's code in the URL.
    let post = |path: &'static str, form: &'static str, from: &'static str, cookie: Option<String>| {
        let app = &app;
        async move {
            let mut request = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::ACCEPT_LANGUAGE, "de-DE")
                .header(header::REFERER, format!("http://127.0.0.1:3000{from}"));
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let reply = app.send(request.body(Body::from(form)).unwrap()).await;
            assert_eq!(reply.status, StatusCode::FOUND, "{path}: {}", reply.text());
            let back = on_this_app(reply.header("location")).to_owned();
            assert!(back.starts_with(from) && back.contains("__err="), "{back}");
            back
        }
    };
    let german = Asking::Browser("de-DE");

    let back = post("/checkout/api/add", "product_id=999&quantity=1", "/", shopper.cookie.clone()).await;
    let reply = load(&app, &back, shopper.cookie.as_deref(), german).await;
    assert_says(&reply, &back, &["Dieses Produkt ist nicht erhältlich."], &["That product is not available."]);

    let back = post("/checkout/api/details", "name=+&email=nobody&address=&city=&postcode=&country=", "/checkout/details", shopper.cookie.clone()).await;
    let reply = load(&app, &back, shopper.cookie.as_deref(), german).await;
    assert_says(
        &reply,
        &back,
        &[
            "Bitte korrigieren Sie die markierten Felder.",
            "Bitte geben Sie Ihren vollständigen Namen ein.",
            "Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein.",
            "Bitte wählen Sie Ihr Land.",
        ],
        &["Please correct the highlighted fields.", "Enter your full name.", "Choose your country."],
    );
    // The same post's error, read in English, is the REST API's words.
    let reply = load(&app, &back, shopper.cookie.as_deref(), Asking::Nothing).await;
    assert_says(&reply, &back, &["Please correct the highlighted fields.", "Enter your full name."], &[]);

    // "Set a password now" on checkout-complete, refused: the portal's words, in German.
    let mut browser = common::Browser::new(&app);
    let paid = common::steps::register_in_browser(&app, &mut browser, "kai@example.com", "Kai Weber").await;
    let refused = browser.submit("/checkout/api/password", &format!("invoice_id={}&password=short", paid.invoice)).await;
    assert_eq!(refused.status, StatusCode::FOUND);
    let back = refused.header("location").to_owned();
    let cookies = browser.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
    let reply = load(&app, &back, Some(&cookies), german).await;
    assert_says(
        &reply,
        &back,
        &["Jetzt ein Passwort festlegen", "Bitte wählen Sie ein Passwort mit mindestens 8 Zeichen.", "Mindestens 8 Zeichen."],
        &["Choose a password of at least 8 characters.", "Set a password now"],
    );
}

async fn the_test_provider_s_page_speaks_german_and_arabic(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = ready_to_pay(&app).await;
    // Paying in German (the language cookie): the session's tax line is German too.
    assert_eq!(shopper.get("/?lang=de").await.status, StatusCode::OK);
    let attempt = shopper.attempt().await;
    assert_eq!(shopper.start_payment(&attempt).await.status, StatusCode::OK);
    let hosted = on_this_app(&shopper.hosted_page(&attempt).await).to_owned();

    let german = load(&app, &hosted, None, Asking::Browser("de-AT")).await;
    let html = german.text();
    assert!(html.contains(r#"<html lang="de" dir="ltr">"#), "{html}");
    for words in ["<title>Testzahlung</title>", "Kartennummer", "Ablaufdatum (MM/JJ)", "Testkarten:", "60,50\u{A0}€ bezahlen", "MwSt. 21\u{A0}%", "Zurück zum Shop", "Sie bezahlen"] {
        assert!(html.contains(words), "{words:?}: {html}");
    }
    for english in ["Card number", "Test payment", "Pay ", "Back to the shop"] {
        assert!(!html.contains(english), "{english:?}");
    }

    // A declined card stays on the page, and says why in German.
    let declined = Request::builder()
        .method(Method::POST)
        .uri(&hosted)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, "de-DE")
        .body(Body::from(format!("card_number={VISA_DECLINED}&expiry=12%2F34&cvc=123")))
        .unwrap();
    let declined = app.send(declined).await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
    assert!(declined.text().contains("Ihre Bank hat diese Karte abgelehnt."), "{}", declined.text());
    assert!(!declined.text().contains("Your bank declined"));

    let arabic = load(&app, &format!("{hosted}?lang=ar"), None, Asking::Nothing).await;
    let html = arabic.text();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    for words in ["<title>دفع تجريبي</title>", "رقم البطاقة", "ادفع \u{200F}60.50\u{A0}€", "العودة إلى المتجر"] {
        assert!(html.contains(words), "{words:?}: {html}");
    }
    assert!(!html.contains("Card number"));

    // No such payment: the not-found page in the browser's language too.
    let missing = Request::builder().uri("/test-payments/cs_test_nosuchsession").header(header::ACCEPT_LANGUAGE, "ar").body(Body::empty()).unwrap();
    let missing = app.send(missing).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains(r#"<html lang="ar" dir="rtl">"#) && missing.text().contains("الدفعة غير موجودة"), "{}", missing.text());
}

/// Everything a person reads or hears on a page: its text (scripts left
/// out) and its `aria-label`, `alt`, `placeholder` and `title` attributes.
fn words_for_people(html: &str) -> String {
    let mut words = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        words.push_str(&rest[..start]);
        rest = rest[start..].find("</script>").map_or("", |end| &rest[start + end + "</script>".len()..]);
    }
    words.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in words.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    for attribute in ["aria-label=\"", "alt=\"", "placeholder=\"", "title=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            text.push(' ');
            text.push_str(&value[..value.find('"').unwrap_or(0)]);
        }
    }
    text
}

/// The English words left on a page in the pseudo-locale, whose every
/// catalogue word is accented: what remains in plain ASCII letters was
/// written in code (or is the shop's or the guest's own, `theirs`).
fn english_left(html: &str, theirs: &[String]) -> Vec<String> {
    let mut text = words_for_people(html).replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\"");
    for own in theirs {
        text = text.replace(own.as_str(), " ");
    }
    let mut left: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_owned)
        .collect();
    left.sort();
    left.dedup();
    left
}

/// The issue's pseudo-locale run: every checkout page, in every state this
/// test can reach without a provider, has no hard-coded English left.
async fn the_pseudo_locale_finds_no_english_left_on_a_checkout_page(backend: Backend) {
    let app = TestApp::with_env(backend, &[("PSEUDO_LOCALE", "1")]).await;
    let mut shopper = ready_to_pay(&app).await;
    // What the shop and the guest wrote, which no catalogue translates.
    let mut theirs: Vec<String> = shopper
        .call("catalogue", "")
        .await
        .json()
        .as_array()
        .expect("the products")
        .iter()
        .flat_map(|product| [product["name"].as_str().unwrap().to_owned(), product["description"].as_str().unwrap().to_owned()])
        .collect();
    theirs.push(app.state.shop.current().seller.letterhead.name.clone());
    theirs.extend(["Sam Shopper", "sam@example.com", "Damrak 1", "Amsterdam", "1012 LG"].map(str::to_owned));
    // The switcher names each language in itself; "PDF" is a format's name.
    theirs.extend(["English", "Deutsch", "PDF"].map(str::to_owned));

    // The same page in English is all English words: the check sees them.
    let english = load(&app, "/", shopper.cookie.as_deref(), Asking::Nothing).await;
    let seen = english_left(&english.text(), &theirs);
    assert!(seen.contains(&"Book".to_owned()) && seen.contains(&"basket".to_owned()), "{seen:?}");

    let crafted_error = |path: &str, error: &str| {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::URL_SAFE.encode(error);
        format!("__path={path}&__err={}", common::form_value(&encoded))
    };
    let mut pages = vec![
        "/".to_owned(),
        format!("/?{}", crafted_error("/checkout/api/add", r#"{"Rejected":"product_unavailable"}"#)),
        "/basket".to_owned(),
        format!("/basket?{}", crafted_error("/checkout/api/quantity", r#"{"TooMany":{"max":5}}"#)),
        "/checkout/details".to_owned(),
        format!("/checkout/details?{}", crafted_error("/checkout/api/details", r#"{"Invalid":[{"field":"email","problem":"malformed"},{"field":"country","problem":"missing"}]}"#)),
        "/checkout/payment".to_owned(),
        "/checkout/payment?payment=cancelled".to_owned(),
        format!("/checkout/payment?{}", crafted_error("/checkout/api/pay", r#"{"PaymentDeclined":"card_declined"}"#)),
        "/checkout/handoff?attempt=not-one".to_owned(),
        "/checkout/processing?session_id=cs_test_pending".to_owned(),
    ];
    let complete = pay(&mut shopper).await;
    let (invoice, _) = common::complete_page_ids(&complete);
    pages.push(complete.clone());
    pages.push(format!("/checkout/complete?invoiceId={invoice}&basketSession=not-a-guid"));
    for page in pages {
        let uri = format!("{page}{}lang=en-XA", if page.contains('?') { '&' } else { '?' });
        let reply = load(&app, &uri, shopper.cookie.as_deref(), Asking::Nothing).await;
        assert!(reply.text().contains(r#"<html lang="en-XA""#), "{uri}");
        assert_eq!(english_left(&reply.text(), &theirs), Vec::<String>::new(), "{uri}: {}", words_for_people(&reply.text()));
    }
    // An empty basket, and the page that is not there.
    for uri in ["/basket?lang=en-XA", "/no-such-page?lang=en-XA"] {
        let mut request = Request::builder().uri(uri).header(header::ACCEPT, "text/html");
        if uri.starts_with("/no-such") {
            request = request.header(header::COOKIE, shopper.cookie.as_deref().unwrap_or_default());
        }
        let reply = app.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(english_left(&reply.text(), &theirs), Vec::<String>::new(), "{uri}: {}", words_for_people(&reply.text()));
    }
}
