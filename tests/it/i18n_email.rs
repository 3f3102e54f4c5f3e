//! Every email in its reader's language: the receipt (and its PDF's file
//! name) in the invoice's, account emails in the customer's saved one,
//! whatever language the browser that caused them spoke. The HTML part
//! says `lang` and `dir` and keeps names in `<bdi>`; the subject and the
//! plain text carry no direction isolates; every link opens in the
//! email's language.

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use checkout_portal::server::services::purchase::{demo_purchase, record_paid_guest_purchase, PaidPurchase};
use common::shopper::{Shopper, DAY_PASS, MEETING_ROOM, VISA_OK};
use common::{Backend, Browser, ReceivedMail, TestApp};

on_both_backends!(
    a_german_purchase_gets_a_german_receipt_with_a_german_attachment,
    an_arabic_purchase_gets_a_right_to_left_receipt,
    an_english_receipt_stays_english_and_its_links_say_so,
    sign_in_and_reset_links_follow_the_customers_saved_locale,
    a_completion_links_sign_in_email_follows_the_owner_not_the_invoice,
);

mod registration {
    use super::*;
    on_every_registration_path!(
        the_welcome_after_an_arabic_purchase_is_arabic,
        an_invoice_added_to_a_german_customer_is_announced_in_german,
    );
}

const SHOPPER_EMAIL: &str = "sam@example.com";
const NO_BREAK_SPACE: char = '\u{A0}';

/// A receipt as the guest receives it: the only email with the invoice attached.
async fn receipt_in(app: &TestApp) -> ReceivedMail {
    let mut receipts: Vec<_> = app.mailbox().await.into_iter().filter(|mail| !mail.attachments.is_empty()).collect();
    assert_eq!(receipts.len(), 1, "one receipt");
    receipts.remove(0)
}

/// The one link in the text part that leads to `path`, as a path and query.
fn link_to(mail: &ReceivedMail, path: &str) -> String {
    let marker = format!("http://127.0.0.1:3000{path}");
    let start = mail.text.find(&marker).unwrap_or_else(|| panic!("no {path} link in:\n{}", mail.text));
    let link: String = mail.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    link.trim_start_matches("http://127.0.0.1:3000").to_owned()
}

/// Neither the subject nor the plain text holds a direction isolate
/// (U+2066 LRI, U+2067 RLI, U+2068 FSI, U+2069 PDI): no bidi algorithm
/// reads them there, and some mail programs show them as boxes.
fn assert_no_isolates(mail: &ReceivedMail) {
    let isolate = |c: char| ('\u{2066}'..='\u{2069}').contains(&c);
    assert!(!mail.subject.chars().any(isolate), "an isolate in the subject: {:?}", mail.subject);
    assert!(!mail.text.chars().any(isolate), "an isolate in the text part: {:?}", mail.text);
}

/// A purchase recorded in `locale`, as the payment of a guest shopping in it records one.
async fn purchase_in(app: &TestApp, locale: &str, email: &str, name: &str) -> PaidPurchase {
    let mut purchase = demo_purchase(email.parse().unwrap(), name, &app.state.shop.current());
    purchase.locale = locale.parse().unwrap();
    record_paid_guest_purchase(&app.state.db, app.clock.as_ref(), &app.config.token_policy, &purchase).await.expect("purchase recorded")
}

/// Pays the shopper's basket, the pay call sent with `accept_language`,
/// as a browser set to that language sends it.
async fn pay_with_accept_language(shopper: &mut Shopper<'_>, accept_language: &str) {
    let attempt = shopper.attempt().await;
    let priced_as = shopper.basket().await["priced_as"].as_str().unwrap().to_owned();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/checkout/api/pay")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, accept_language)
        .header(header::COOKIE, shopper.cookie.clone().expect("the basket cookie"))
        .body(Body::from(format!("attempt={attempt}&priced_as={}", priced_as.replace(':', "%3A"))))
        .unwrap();
    let started = shopper.app.send(request).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.text());
    // The browser keeps what the answer set, as `Shopper` does for its own calls.
    let mut jar: Vec<(String, String)> = shopper
        .cookie
        .iter()
        .flat_map(|header| header.split("; "))
        .filter_map(|pair| pair.split_once('=').map(|(name, value)| (name.to_owned(), value.to_owned())))
        .collect();
    for set in started.headers.get_all(header::SET_COOKIE) {
        let (name, value) = set.to_str().unwrap().split(';').next().unwrap().split_once('=').unwrap();
        jar.retain(|(kept, _)| kept != name);
        jar.push((name.to_owned(), value.to_owned()));
    }
    shopper.cookie = Some(jar.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; "));
    let page = shopper.hosted_page(&attempt).await;
    let paid = shopper.pay_on_page(&page, VISA_OK).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER);
    assert_eq!(shopper.come_back(&paid.header("location").to_owned()).await.status, StatusCode::SEE_OTHER);
}

async fn a_german_purchase_gets_a_german_receipt_with_a_german_attachment(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    // The guest picks German on the first page; the cookie keeps it.
    assert_eq!(shopper.get("/?lang=de").await.status, StatusCode::OK);
    assert!(shopper.cookie.as_deref().is_some_and(|jar| jar.contains("lang=de")), "{:?}", shopper.cookie);
    shopper.add(DAY_PASS, 41).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    assert_eq!(shopper.pay_fresh(VISA_OK).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE locale = 'de'").await, 1);

    let receipt = receipt_in(&app).await;
    assert_eq!(receipt.to, SHOPPER_EMAIL);
    assert_eq!(receipt.subject, "Ihre Zahlungsbestätigung von Harbourside Coworking B.V.: Rechnung INV-000001");
    assert_no_isolates(&receipt);
    // 41 × €25.00 = €1,025.00, 21 % VAT €215.25: German figures, the
    // currency after a no-break space.
    let total = format!("1.240,25{NO_BREAK_SPACE}€");
    for expected in [
        "Guten Tag Sam Shopper,".to_owned(),
        "vielen Dank für Ihre Zahlung. Dies ist Ihre Zahlungsbestätigung für die Rechnung INV-000001 vom 24.11.2026.".to_owned(),
        "Bezahlt am 24.11.2026, 10:30 UTC mit Visa, Karte mit den Endziffern 4242.".to_owned(),
        format!("41 × Tagespass zu je 25,00{NO_BREAK_SPACE}€ (MwSt. 21{NO_BREAK_SPACE}%)"),
        format!("1.025,00{NO_BREAK_SPACE}€"),
        format!("215,25{NO_BREAK_SPACE}€"),
        "Zwischensumme".to_owned(),
        "Bezahlter Gesamtbetrag".to_owned(),
        total.clone(),
        "24 Stunden lang gültig, bis zum 25.11.2026, 10:30 UTC".to_owned(),
        "Rechnung und Kundenkonto abrufen:".to_owned(),
        "USt-IdNr. NL859231476B01".to_owned(),
    ] {
        assert!(receipt.text.contains(&expected), "{expected:?} missing from\n{}", receipt.text);
    }
    for english in ["Hello", "Thank you", "Total paid", "Subtotal", "hours", "Paid "] {
        assert!(!receipt.text.contains(english), "English {english:?} left in\n{}", receipt.text);
    }

    assert!(receipt.html.contains("<html lang=\"de\" dir=\"ltr\">"), "{}", receipt.html);
    assert!(receipt.html.contains("Guten Tag <bdi>Sam Shopper</bdi>,"), "{}", receipt.html);
    assert!(receipt.html.contains(&format!("<bdi>{total}</bdi>")), "amounts keep their direction: {}", receipt.html);
    assert!(receipt.html.contains("Rechnung <bdi>INV-000001</bdi>"), "{}", receipt.html);

    // The link opens the purchase in German, in a browser that never chose a language.
    let link = link_to(&receipt, "/checkout/complete");
    assert!(link.ends_with("&lang=de"), "{link}");
    assert!(receipt.html.contains(&format!("href=\"http://127.0.0.1:3000{}\"", link.replace('&', "&amp;"))), "{}", receipt.html);
    let page = Browser::new(&app).get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<html lang=\"de\""), "{}", page.text());

    // The PDF is named in the invoice's language.
    assert_eq!(receipt.attachments.len(), 1);
    assert_eq!(receipt.attachments[0].name, "Rechnung INV-000001.pdf");
    assert_eq!(receipt.attachments[0].content_type, "application/pdf");
}

async fn an_arabic_purchase_gets_a_right_to_left_receipt(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 2).await;
    shopper.add(MEETING_ROOM, 1).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    pay_with_accept_language(&mut shopper, "ar-EG,ar;q=0.9,en;q=0.5").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE locale = 'ar'").await, 1);

    let receipt = receipt_in(&app).await;
    assert_eq!(receipt.subject, "إيصالك من Harbourside Coworking B.V.: الفاتورة INV-000001");
    assert_no_isolates(&receipt);
    assert!(receipt.text.starts_with("مرحبًا Sam Shopper،"), "{}", receipt.text);
    assert!(receipt.text.contains("إجمالي المبلغ المدفوع"), "{}", receipt.text);
    // Arabic money: a right-to-left mark, Latin digits, the euro after a no-break space.
    assert!(receipt.text.contains(&format!("\u{200F}96.80{NO_BREAK_SPACE}€")), "{:?}", receipt.text);
    assert!(receipt.text.contains("لمدة 24 ساعة"), "{}", receipt.text);

    let html = &receipt.html;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("مرحبًا <bdi>Sam Shopper</bdi>،"), "the guest's name in a <bdi>: {html}");
    assert!(html.contains("<bdi>INV-000001</bdi>"), "{html}");
    assert!(html.contains("text-align:left"), "amounts on the side right-to-left text ends: {html}");
    assert!(!html.contains('\u{2068}') && !html.contains('\u{2069}'), "isolates became <bdi>: {html}");

    assert!(link_to(&receipt, "/checkout/complete").ends_with("&lang=ar"));
    assert_eq!(receipt.attachments[0].name, "فاتورة INV-000001.pdf");
}

async fn an_english_receipt_stays_english_and_its_links_say_so(backend: Backend) {
    let app = TestApp::new(backend).await;
    let mut shopper = Shopper::new(&app);
    shopper.add(DAY_PASS, 2).await;
    assert_eq!(shopper.details().await.status, StatusCode::OK);
    assert_eq!(shopper.pay_fresh(VISA_OK).await.status, StatusCode::SEE_OTHER);

    let receipt = receipt_in(&app).await;
    assert_eq!(receipt.subject, "Your receipt from Harbourside Coworking B.V.: invoice INV-000001");
    assert_no_isolates(&receipt);
    assert!(receipt.text.starts_with("Hello Sam Shopper,") && receipt.text.contains("Thank you for your payment."), "{}", receipt.text);
    assert!(receipt.text.contains("2 × Day Pass at €25.00 (VAT 21%)"), "{}", receipt.text);
    assert!(receipt.text.contains("Total paid"), "{}", receipt.text);
    assert!(receipt.html.contains("<html lang=\"en\" dir=\"ltr\">"), "{}", receipt.html);
    assert!(receipt.html.contains("Hello <bdi>Sam Shopper</bdi>,"), "{}", receipt.html);
    assert!(link_to(&receipt, "/checkout/complete").ends_with("&lang=en"));
    assert_eq!(receipt.attachments[0].name, "INV-000001.pdf");
}

async fn the_welcome_after_an_arabic_purchase_is_arabic(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = purchase_in(&app, "ar", "layla@example.com", "Layla Haddad").await;
    assert_eq!(app.register(paid.invoice, &paid.basket).await.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM customers WHERE locale = 'ar'").await, 1);

    let welcome = app.only_mail_to("layla@example.com").await;
    assert_eq!(welcome.subject, "مرحبًا بك في Harbourside Coworking B.V.: عيّن كلمة المرور الخاصة بك");
    assert_no_isolates(&welcome);
    assert!(welcome.text.starts_with("مرحبًا Layla Haddad،"), "{}", welcome.text);
    assert!(welcome.text.contains(&format!("تم دفع الفاتورة {}،", paid.invoice_number)), "{}", welcome.text);
    assert!(welcome.text.contains("لمدة 24 ساعة"), "{}", welcome.text);
    assert!(welcome.html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", welcome.html);
    assert!(welcome.html.contains("<bdi>Layla Haddad</bdi>"), "{}", welcome.html);

    // The link opens its page in Arabic, and still works.
    let link = link_to(&welcome, "/account/set-password");
    let token = welcome.link_token("/account/set-password");
    assert_eq!(link, format!("/account/set-password?token={token}&lang=ar"));
    let mut browser = Browser::new(&app);
    let page = browser.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("<html lang=\"ar\" dir=\"rtl\""), "{}", page.text());
    let set = browser.call("/account/api/password", &format!("token={token}&password=a+good+passphrase")).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
}

async fn an_invoice_added_to_a_german_customer_is_announced_in_german(backend: Backend) {
    let app = TestApp::new(backend).await;
    // A German purchase makes a German-speaking customer.
    let first = purchase_in(&app, "de", "jana@example.com", "Jana Krüger").await;
    assert_eq!(app.register(first.invoice, &first.basket).await.status, StatusCode::OK);
    let welcome = app.only_mail_to("jana@example.com").await;
    assert_eq!(welcome.subject, "Willkommen bei Harbourside Coworking B.V.: Legen Sie Ihr Passwort fest");
    assert_no_isolates(&welcome);

    // Her next purchase is made in English, with the same email.
    let second = purchase_in(&app, "en", "jana@example.com", "Jana Krüger").await;
    assert_eq!(app.register(second.invoice, &second.basket).await.status, StatusCode::OK);
    let added = app.only_mail_to_with_subject("jana@example.com", "Ihrem Konto wurde").await;
    assert_eq!(added.subject, format!("Ihrem Konto wurde eine Rechnung hinzugefügt: {}", second.invoice_number));
    assert_no_isolates(&added);
    assert!(added.text.starts_with("Guten Tag Jana Krüger,"), "{}", added.text);
    assert!(
        added.text.contains(&format!("die Rechnung {} wurde Ihrem Konto im Kundenportal hinzugefügt", second.invoice_number)),
        "{}",
        added.text
    );
    // She has no password yet, so the email offers to set one, in German.
    assert!(added.text.contains("Sie haben noch kein Passwort festgelegt"), "{}", added.text);
    assert!(added.text.contains("24 Stunden lang gültig"), "{}", added.text);
    assert!(link_to(&added, "/account/set-password").ends_with("&lang=de"));
    assert!(added.html.contains("<html lang=\"de\" dir=\"ltr\">"), "{}", added.html);
    assert!(!added.text.contains("was added"), "{}", added.text);
    // The invoice itself stays English.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM invoices WHERE id = {} AND locale = 'en'", second.invoice)).await, 1);
}

/// The customer registered from an English purchase, then chose `locale`
/// (as the portal's language setting saves it).
async fn customer_speaking(app: &TestApp, email: &str, locale: &str) {
    let paid = app.purchase_as(email, "Sam Shopper").await;
    assert_eq!(app.register(paid.invoice, paid.basket).await.status, StatusCode::OK);
    app.mailbox().await; // the welcome email, already read
    let updated = sqlx::query("UPDATE customers SET locale = $1").bind(locale).execute(&app.state.db.pool).await.unwrap();
    assert_eq!(updated.rows_affected(), 1);
}

async fn sign_in_and_reset_links_follow_the_customers_saved_locale(backend: Backend) {
    let app = TestApp::new(backend).await;
    customer_speaking(&app, SHOPPER_EMAIL, "de").await;
    // Asked for from a browser that speaks English: the email speaks the customer's language.
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get("/account/sign-in?lang=en").await.status, StatusCode::OK);
    assert_eq!(browser.call("/account/api/email_link", "kind=reset&email=sam%40example.com").await.status, StatusCode::OK);
    let reset = app.only_mail_to_with_subject(SHOPPER_EMAIL, "Setzen Sie").await;
    assert_eq!(reset.subject, "Setzen Sie Ihr Passwort für Harbourside Coworking B.V. zurück");
    assert_no_isolates(&reset);
    assert!(reset.text.contains("1 Stunde lang gültig"), "{}", reset.text);
    assert!(reset.text.contains("Neues Passwort wählen:"), "{}", reset.text);
    assert!(link_to(&reset, "/account/reset-password").ends_with("&lang=de"));
    assert!(reset.html.contains("<html lang=\"de\" dir=\"ltr\">"), "{}", reset.html);

    sqlx::query("UPDATE customers SET locale = 'ar'").execute(&app.state.db.pool).await.unwrap();
    assert_eq!(browser.call("/account/api/email_link", "kind=sign-in&email=sam%40example.com").await.status, StatusCode::OK);
    let sign_in = app.only_mail_to_with_subject(SHOPPER_EMAIL, "رابط تسجيل الدخول").await;
    assert_eq!(sign_in.subject, "رابط تسجيل الدخول إلى Harbourside Coworking B.V.");
    assert_no_isolates(&sign_in);
    assert!(sign_in.text.contains("لمدة 15 دقيقة"), "{}", sign_in.text);
    assert!(sign_in.html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", sign_in.html);
    let link = link_to(&sign_in, "/account/link");
    assert!(link.ends_with("&lang=ar"), "{link}");
    // The link still signs in: `lang` is one more parameter the page ignores.
    let token = sign_in.link_token("/account/link");
    let mut phone = Browser::new(&app);
    assert!(phone.get(&link).await.text().contains("<html lang=\"ar\" dir=\"rtl\""));
    assert_eq!(phone.call("/account/api/use_link", &format!("token={token}")).await.status, StatusCode::OK);
}

async fn a_completion_links_sign_in_email_follows_the_owner_not_the_invoice(backend: Backend) {
    let app = TestApp::new(backend).await;
    // An English purchase, registered; its owner has since chosen Arabic.
    let paid = app.purchase_as(SHOPPER_EMAIL, "Sam Shopper").await;
    assert_eq!(app.register(paid.invoice, &paid.basket).await.status, StatusCode::OK);
    app.mailbox().await;
    sqlx::query("UPDATE customers SET locale = 'ar'").execute(&app.state.db.pool).await.unwrap();

    // The used completion link asks for a sign-in link.
    let form = format!("invoice_id={}&basket_session={}", paid.invoice, paid.basket);
    assert_eq!(Browser::new(&app).call("/checkout/api/sign_in_link", &form).await.status, StatusCode::OK);
    let sign_in = app.only_mail_to_with_subject(SHOPPER_EMAIL, "رابط تسجيل الدخول").await;
    assert_eq!(sign_in.subject, "رابط تسجيل الدخول إلى Harbourside Coworking B.V.");
    assert_no_isolates(&sign_in);
    assert!(link_to(&sign_in, "/account/link").ends_with("&lang=ar"));
}
