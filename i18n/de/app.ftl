# checkout-portal auf Deutsch. Die Nachrichten-IDs und Variablen sind genau
# die des englischen Katalogs (i18n/en/app.ftl); der Katalogtest prüft das.

## The language itself

language-name = Deutsch

## Examples the tests use

invoice-title = Rechnung { $number }
item-count = { $count ->
    [one] { $count } Artikel
   *[other] { $count } Artikel
}

## Every page: header, footer, banners

site-name-fallback = Coworking-Abrechnung
nav-site = Website
nav-basket = Warenkorb
nav-my-invoices = Meine Rechnungen
nav-language = Sprache
footer-note = Zahlungen und Rechnungen werden sicher abgewickelt. Fragen? Antworten Sie einfach auf die E-Mail mit Ihrer Zahlungsbestätigung.
test-mode-label = Testmodus
test-mode-banner = Testmodus: Zahlungen nur mit Testkarten, es fließt kein Geld.

## Invoice PDF

pdf-document-title = Rechnung { $number }
pdf-heading = RECHNUNG
pdf-invoice-number = Nr. { $number }
pdf-issued = Ausgestellt am { $date }
pdf-paid-on = Bezahlt am { $date }
pdf-paid-stamp = BEZAHLT
pdf-bill-to = RECHNUNGSEMPFÄNGER
pdf-vat-id = USt-IdNr. { $vat_id }
pdf-column-description = BESCHREIBUNG
pdf-column-quantity = MENGE
pdf-column-unit-price = EINZELPREIS
pdf-column-tax = STEUER
pdf-column-amount = BETRAG
pdf-subtotal = Zwischensumme
pdf-tax-at-rate = USt. { $rate }
pdf-total = Gesamtbetrag { $currency }
pdf-amount-due = Offener Betrag
pdf-continued = { $number } (Fortsetzung)
pdf-footer = { $seller } · Vielen Dank für Ihren Auftrag.
pdf-footer-with-vat-id = { $seller } · USt-IdNr. { $vat_id } · Vielen Dank für Ihren Auftrag.
pdf-page-of = Seite { $page } von { $pages }
