//! The invoice PDF in the invoice's language: German words, money and
//! dates; Arabic words, right to left, mirrored, with the Latin invoice
//! number still left to right; the document's language. Downloaded the way
//! a guest downloads it (pdfByToken) and read back with poppler.

use crate::common;

on_both_backends!(
    a_german_invoice_pdf_has_german_words_amounts_and_dates,
    an_arabic_invoice_pdf_has_arabic_words_and_the_number_reads_left_to_right,
    an_arabic_invoice_pdf_is_laid_out_as_a_mirror_image,
    the_pdf_declares_the_invoice_s_language_and_title,
    the_pdf_follows_the_invoice_s_language_not_the_request_s,
);

use axum::http::{Method, StatusCode};
use checkout_portal::domain::{LineItem, TaxRate};
use checkout_portal::server::services::purchase::{demo_email, demo_purchase, record_paid_guest_purchase, PaidPurchase};
use common::{pdf_text, Backend, TestApp};

/// A paid purchase made in `tag`, with one line over a thousand euros.
async fn purchase_in(app: &TestApp, tag: &str) -> PaidPurchase {
    let mut purchase = demo_purchase(demo_email(), "Robin Ödegaard", &app.state.shop.current());
    purchase.locale = tag.parse().expect("a supported locale");
    purchase.items.push(LineItem {
        description: "Private office (December)".into(),
        quantity: 1,
        unit_price_minor: 123_450,
        tax_rate: TaxRate::from_basis_points(2100).unwrap(),
    });
    record_paid_guest_purchase(&app.state.db, app.clock.as_ref(), &app.config.token_policy, &purchase)
        .await
        .expect("purchase recorded")
}

async fn pdf_in(app: &TestApp, tag: &str) -> (PaidPurchase, Vec<u8>) {
    let paid = purchase_in(app, tag).await;
    let reply = app.pdf(paid.invoice, paid.basket).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    (paid, reply.body)
}

/// The PDF's text as poppler reads it, without the direction marks
/// pdftotext writes around right-to-left words, and with no-break spaces
/// as spaces.
fn readable_text(pdf: &[u8]) -> String {
    pdf_text(pdf)
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c == '\u{A0}' { ' ' } else { c })
        .collect()
}

async fn a_german_invoice_pdf_has_german_words_amounts_and_dates(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, pdf) = pdf_in(&app, "de").await;
    let text = readable_text(&pdf);
    for expected in [
        "RECHNUNG",
        &format!("Nr. {}", paid.invoice_number),
        "Ausgestellt am 24.11.2026", // the test clock's day
        "Bezahlt am 24.11.2026",
        "BEZAHLT",
        "RECHNUNGSEMPFÄNGER",
        "BESCHREIBUNG",
        "EINZELPREIS",
        "Private office (December)",
        "1.234,50 €",
        "21 %",
        "9 %",
        "Zwischensumme",
        "1.603,50 €", // 369,00 € + 1.234,50 €
        "USt. 21 %",
        "331,49 €", // 72,24 € + 259,25 €
        "USt. 9 %",
        "Gesamtbetrag EUR",
        "1.937,24 €",
        "Offener Betrag",
        "0,00 €",
        "Vielen Dank für Ihren Auftrag.",
        "Seite 1 von 1",
    ] {
        assert!(text.contains(expected), "the German PDF lacks {expected:?}:\n{text}");
    }
    for english in ["INVOICE", "Issued", "PAID", "BILL TO", "Subtotal", "Total", "Amount due", "Page 1", "€1,234.50", "24 Nov 2026"] {
        assert!(!text.contains(english), "English {english:?} in the German PDF:\n{text}");
    }
}

async fn an_arabic_invoice_pdf_has_arabic_words_and_the_number_reads_left_to_right(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (paid, pdf) = pdf_in(&app, "ar").await;
    let text = readable_text(&pdf);
    // Words without a lam-alef ligature: poppler, like most extractors,
    // copies a ligature of a right-to-left run with its letters swapped.
    for expected in ["فاتورة", "مدفوعة", "الوصف", "الكمية", "سعر الوحدة", "المجموع الفرعي", "المبلغ المستحق", "تاريخ الدفع", "صفحة"] {
        assert!(text.contains(expected), "the Arabic PDF lacks {expected:?}:\n{text}");
    }
    let number = paid.invoice_number.as_str();
    let reversed: String = number.chars().rev().collect();
    let label_line = text.lines().find(|line| line.contains("رقم")).unwrap_or_else(|| panic!("no number line:\n{text}"));
    assert!(label_line.contains(number), "the number in {label_line:?} is not {number}");
    assert!(!text.contains(&reversed), "{reversed} in:\n{text}");
    // Names, amounts and the e-mail address also read left to right.
    for latin in ["Robin Ödegaard", "Private office (December)", "1,234.50", "Harbourside Coworking B.V."] {
        assert!(text.contains(latin), "{latin:?} not left to right in:\n{text}");
    }
    for english in ["INVOICE", "Subtotal", "Amount due", "Page 1"] {
        assert!(!text.contains(english), "English {english:?} in the Arabic PDF:\n{text}");
    }
}

/// Each word's left edge (points from the page's left), from `pdftotext -bbox`.
fn word_lefts(pdf: &[u8]) -> Vec<(String, f32)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg("-bbox").arg(&path).arg("-").output().expect("pdftotext");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("<word xMin=\"")?;
            let (x_min, rest) = rest.split_once('"')?;
            let word = rest.split_once('>')?.1.strip_suffix("</word>")?;
            Some((word.to_owned(), x_min.parse().ok()?))
        })
        .collect()
}

/// The left edge of `word`'s first occurrence. `-bbox` writes right-to-left
/// words in the order their glyphs stand, so those are looked up reversed.
fn first_left(words: &[(String, f32)], word: &str) -> f32 {
    let as_drawn: String = word.chars().rev().collect();
    words
        .iter()
        .find(|(w, _)| w == word || *w == as_drawn)
        .unwrap_or_else(|| panic!("no word {word:?} in {words:?}"))
        .1
}

async fn an_arabic_invoice_pdf_is_laid_out_as_a_mirror_image(backend: Backend) {
    let app = TestApp::new(backend).await;
    let half_page = 595.0 / 2.0;

    let (_, english) = pdf_in(&app, "en").await;
    let words = word_lefts(&english);
    assert!(first_left(&words, "DESCRIPTION") < first_left(&words, "AMOUNT"));
    assert!(first_left(&words, "Harbourside") < half_page && first_left(&words, "INVOICE") > half_page);

    let (_, arabic) = pdf_in(&app, "ar").await;
    let words = word_lefts(&arabic);
    // The description column on the right, the amount column on the left.
    let (description, amount) = (first_left(&words, "الوصف"), first_left(&words, "المبلغ"));
    assert!(description > amount, "description at {description}, amount at {amount}");
    assert!(first_left(&words, "Private") > half_page && first_left(&words, "1,234.50") < half_page);
    // The seller and the bill-to block on the right, the title block on the left.
    assert!(first_left(&words, "Harbourside") > half_page);
    assert!(first_left(&words, "Robin") > half_page);
    assert!(first_left(&words, "مدفوعة") < half_page);
}

async fn the_pdf_declares_the_invoice_s_language_and_title(backend: Backend) {
    let app = TestApp::new(backend).await;
    for (tag, title) in [("en", "Invoice"), ("de", "Rechnung"), ("ar", "فاتورة")] {
        let (paid, pdf) = pdf_in(&app, tag).await;
        let bytes = String::from_utf8_lossy(&pdf);
        assert!(bytes.contains(&format!("/Lang({tag})")), "{tag}: the catalogue's /Lang is not {tag}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("invoice.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let info = std::process::Command::new("pdfinfo").arg(&path).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        let expected = format!("{title} {}", paid.invoice_number);
        assert!(info.lines().any(|line| line.starts_with("Title:") && line.ends_with(&expected)), "{tag}: {info}");
    }
}

async fn the_pdf_follows_the_invoice_s_language_not_the_request_s(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = purchase_in(&app, "de").await;
    let uri = format!("/api/public/billing/invoices/{}/pdfByToken?token={}&lang=ar", paid.invoice, paid.basket);
    let request = axum::http::Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header("accept-language", "en-GB,en;q=0.9")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let text = readable_text(&reply.body);
    assert!(text.contains("RECHNUNG") && text.contains("Gesamtbetrag EUR"), "{text}");
    assert!(!text.contains("فاتورة") && !text.contains("INVOICE"), "{text}");
}
