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
