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

## Checkout: the shopper's pages, their errors and the test payment page

checkout-progress-label = Fortschritt der Bestellung
checkout-step-basket = Warenkorb
checkout-step-details = Angaben
checkout-step-payment = Zahlung
checkout-step-done = Fertig

checkout-subtotal = Zwischensumme
checkout-vat = MwSt.
checkout-total = Gesamtbetrag
checkout-vat-line = MwSt. { $rate }
checkout-plus-vat = zzgl. { $rate } MwSt.
checkout-line = { $quantity } × { $product }

checkout-catalogue-title = Buchen Sie Ihren Platz
checkout-catalogue-lead = Tagespässe, Besprechungsräume und Büros. Bezahlen Sie als Gast – ganz ohne Kundenkonto.
checkout-catalogue-empty = Derzeit ist nichts im Angebot. Der Betreiber des Shops trägt die Produkte in eine Shop-Datei ein und wendet sie an (siehe „Operating your shop“ in der README).
checkout-add-to-basket = In den Warenkorb
checkout-add-product-to-basket = { $product } in den Warenkorb legen

checkout-basket-title = Ihr Warenkorb
checkout-basket-caption = Artikel in Ihrem Warenkorb
checkout-basket-item = Artikel
checkout-basket-price = Preis
checkout-basket-quantity = Menge
checkout-basket-amount = Betrag
checkout-basket-quantity-of = Menge von { $product }
checkout-basket-update = Aktualisieren
checkout-basket-remove = Entfernen
checkout-basket-remove-product = { $product } entfernen
checkout-basket-no-longer-available = Nicht mehr erhältlich
checkout-basket-in-basket = { $count ->
    [one] { $count } im Warenkorb
   *[other] { $count } im Warenkorb
}
checkout-basket-add-more = Weitere hinzufügen
checkout-basket-continue = Weiter zu Ihren Angaben
checkout-basket-empty = Ihr Warenkorb ist leer.
checkout-browse-products = Produkte ansehen

checkout-unavailable-heading = Wir können unsere Daten gerade nicht abrufen
checkout-unavailable-products = Die Produkte konnten nicht geladen werden.
checkout-unavailable-basket = Ihr Warenkorb konnte nicht geladen werden.
checkout-unavailable-payment-form = Das Zahlungsformular konnte nicht geladen werden.
checkout-unavailable-advice = Ihre Eingaben und Zahlungen gehen nicht verloren. Bitte versuchen Sie es in einer Minute erneut.
checkout-try-again = Erneut versuchen

checkout-details-title = Ihre Angaben
checkout-details-lead = Diese Angaben erscheinen auf Ihrer Rechnung, und Ihre Zahlungsbestätigung senden wir an Ihre E-Mail-Adresse.
checkout-field-name = Vollständiger Name
checkout-field-email = E-Mail-Adresse
checkout-field-address = Straße und Hausnummer
checkout-field-postcode = Postleitzahl
checkout-field-city = Ort
checkout-field-country = Land
checkout-field-choose = Bitte wählen…
checkout-details-back = Zurück zum Warenkorb
checkout-details-continue = Weiter zur Zahlung
checkout-form-password-hint = Mindestens 8 Zeichen. Einige Wörter, die Sie sich gut merken können, eignen sich gut.

checkout-country-nl = Niederlande
checkout-country-be = Belgien
checkout-country-de = Deutschland
checkout-country-fr = Frankreich
checkout-country-es = Spanien
checkout-country-it = Italien
checkout-country-ie = Irland
checkout-country-gb = Vereinigtes Königreich
checkout-country-us = Vereinigte Staaten
checkout-country-pt = Portugal
checkout-country-at = Österreich
checkout-country-dk = Dänemark
checkout-country-se = Schweden
checkout-country-pl = Polen

checkout-field-error-name = Bitte geben Sie Ihren vollständigen Namen ein.
checkout-field-error-address = Bitte geben Sie Straße und Hausnummer ein.
checkout-field-error-city = Bitte geben Sie Ihren Ort ein.
checkout-field-error-postcode = Bitte geben Sie Ihre Postleitzahl ein.
checkout-field-error-country = Bitte wählen Sie Ihr Land.
checkout-field-error-email-missing = Bitte geben Sie eine E-Mail-Adresse ein.
checkout-field-error-email-too-long = Eine E-Mail-Adresse darf höchstens 254 Zeichen lang sein.
checkout-field-error-email-malformed = Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein.

checkout-payment-title = Zahlung
checkout-payment-go-to-basket = Zu Ihrem Warenkorb
checkout-payment-need-details = Für die Rechnung benötigen wir noch Ihre Angaben.
checkout-payment-enter-details = Angaben eingeben
checkout-payment-summary = Bestellübersicht
checkout-payment-invoice-to = Rechnung an { $name }, { $email }
checkout-payment-change = Ändern
checkout-payment-how = Sie bezahlen per Karte auf der sicheren Seite unseres Zahlungsanbieters und kommen danach direkt hierher zurück, um Ihre Rechnung zu erhalten.
checkout-payment-pay = { $total } bezahlen
checkout-handoff-text = Sie werden zur sicheren Zahlungsseite weitergeleitet…
checkout-handoff-continue = Weiter zur Zahlung
checkout-handoff-back = Zurück zur Zahlung
checkout-processing-title = Ihre Zahlung wird bestätigt
checkout-processing-text = Ihre Zahlung ist noch nicht bestätigt. Diese Seite prüft alle paar Sekunden erneut; Sie müssen nicht noch einmal bezahlen.
checkout-processing-check-now = Jetzt prüfen

checkout-notice-cancelled = Sie haben die Zahlungsseite verlassen, es wurde nichts abgebucht. Ihr Warenkorb wartet auf Sie, wann immer Sie bereit sind.
checkout-notice-not-completed = Die Zahlung wurde nicht abgeschlossen, es wurde nichts abgebucht. Ihr Warenkorb ist noch da: Sie können erneut bezahlen.
checkout-notice-unknown = Wir konnten diese Zahlung für diesen Browser nicht finden. Falls Sie bezahlt haben, enthält die Zahlungsbestätigung, die wir Ihnen per E-Mail gesendet haben, den Link zu Ihrer Rechnung.
checkout-notice-refunded = Dieser Warenkorb war bereits bezahlt, daher wurde Ihre zweite Zahlung vollständig erstattet.
checkout-notice-refunded-unpaid = Ihre Zahlung stimmte nicht mit Ihrer Bestellung überein und wurde daher vollständig erstattet. Ihr Warenkorb ist noch da: Bitte bezahlen Sie erneut.
checkout-notice-paid = Ihre Zahlung ist abgeschlossen. Den Link zu Ihrer Rechnung und Ihrem Kundenkonto finden Sie in der Zahlungsbestätigung, die wir Ihnen per E-Mail gesendet haben.

checkout-error-invalid = Bitte korrigieren Sie die markierten Felder.
checkout-error-already-paid = Diese Bestellung wurde bereits bezahlt.
checkout-error-empty-basket = Ihr Warenkorb ist leer.
checkout-error-too-many = Sie können höchstens { $max } Stück dieses Artikels in einer Bestellung haben.
checkout-error-unavailable = Bei uns ist etwas schiefgelaufen. Es wurde nichts abgebucht; bitte versuchen Sie es erneut.
checkout-error-transport = Die Anfrage konnte nicht abgeschlossen werden. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
checkout-rejection-product-unavailable = Dieses Produkt ist nicht erhältlich.
checkout-rejection-not-in-basket = Dieser Artikel ist nicht in Ihrem Warenkorb.
checkout-rejection-quantity-out-of-range = Bitte wählen Sie eine Menge von 1 bis 999.
checkout-rejection-payment-form-expired = Dieses Zahlungsformular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
checkout-rejection-payment-form-used = Dieses Zahlungsformular wurde bereits verwendet. Bitte laden Sie die Seite neu.
checkout-rejection-payment-form-of-another-basket = Dieses Zahlungsformular gehört zu einem anderen Warenkorb.
checkout-rejection-payment-in-another-tab = Eine Zahlung für diesen Warenkorb läuft bereits in einem anderen Tab. Bitte warten Sie einen Moment.
checkout-rejection-payment-still-processing = Ihre Zahlung wird noch verarbeitet. Bitte warten Sie einen Moment und laden Sie die Seite dann neu.
checkout-rejection-payment-unavailable = Der Zahlungsdienst ist gerade nicht erreichbar. Es wurde nichts abgebucht; bitte versuchen Sie es gleich noch einmal.
checkout-rejection-total-too-large = Der Gesamtbetrag des Warenkorbs ist zu hoch.
checkout-rejection-items-unavailable = Ihr Warenkorb enthält einen Artikel, der nicht mehr erhältlich ist. Entfernen Sie ihn aus dem Warenkorb, um fortzufahren.
checkout-rejection-over-maximum = Ihr Warenkorb enthält mehr von einem Artikel, als eine Bestellung enthalten darf. Verringern Sie die Menge im Warenkorb, um fortzufahren.
checkout-rejection-total-changed = Der Preis hat sich geändert, seit diese Seite angezeigt wurde; es wurde nichts abgebucht. Prüfen Sie den neuen Gesamtbetrag unten und bezahlen Sie dann.
checkout-decline-invalid-number = Diese Kartennummer ist ungültig. Bitte prüfen Sie die Ziffern und versuchen Sie es erneut.
checkout-decline-invalid-expiry = Bitte geben Sie das Ablaufdatum im Format MM/JJ ein.
checkout-decline-expired-card = Diese Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.
checkout-decline-invalid-cvc = Bitte geben Sie den 3- oder 4-stelligen Sicherheitscode von der Rückseite der Karte ein.
checkout-decline-card-declined = Ihre Bank hat diese Karte abgelehnt. Bitte verwenden Sie eine andere Karte; es wurde nichts abgebucht.
checkout-decline-insufficient-funds = Die Karte ist nicht ausreichend gedeckt. Bitte verwenden Sie eine andere Karte; es wurde nichts abgebucht.

checkout-not-found-title = Seite nicht gefunden
checkout-not-found-text = Diese Adresse gibt es nicht. Bitte prüfen Sie den Link, dem Sie gefolgt sind.
checkout-not-found-start = Zur Startseite

checkout-complete-title = Ihr Kauf wird abgeschlossen
checkout-complete-setting-up = Ihr Kundenkonto wird eingerichtet…
checkout-complete-working = Ihre Zahlung ist eingegangen. Wir richten Ihr Kundenkonto und Ihre Rechnung ein; das dauert einen Moment.
checkout-complete-ready = Ihr Kundenkonto ist bereit
checkout-complete-registered = Rechnung { $number } über { $total } ist bezahlt. Der Zugang zum Kundenportal ist für { $email } eingerichtet.
checkout-complete-download = Rechnung herunterladen (PDF)
checkout-complete-download-hint = Laden Sie sie jetzt herunter und bewahren Sie sie für Ihre Unterlagen auf.
checkout-complete-register = Registrierung abschließen
checkout-complete-try-again = Erneut versuchen
checkout-complete-invalid-heading = Wir konnten diesen Kauf nicht bestätigen
checkout-complete-invalid-explanation = Der Link, dem Sie gefolgt sind, ist unvollständig oder ungültig.
checkout-complete-invalid-next = Öffnen Sie den Link aus der E-Mail mit Ihrer Zahlungsbestätigung erneut. Wenn es dann noch immer nicht funktioniert, antworten Sie auf diese E-Mail, und wir kümmern uns darum.
checkout-complete-used-heading = Dieser Kauf ist bereits registriert
checkout-complete-used-explanation = Ihr Kauf ist registriert: Ihr Kundenkonto wurde mit diesem Link eingerichtet, in diesem oder einem anderen Browser.
checkout-complete-used-next = Melden Sie sich an, um Ihre Rechnung anzusehen und herunterzuladen.
checkout-complete-expired-heading = Dieser Link ist abgelaufen
checkout-complete-expired-explanation = Zu Ihrer Sicherheit richtet dieser Link nur für eine begrenzte Zeit nach der Zahlung ein Kundenkonto ein.
checkout-complete-expired-next = Ihre Zahlung ist sicher. Melden Sie sich an, um Ihre Rechnung anzusehen und herunterzuladen.
checkout-complete-not-found-heading = Wir konnten diese Rechnung nicht finden
checkout-complete-not-found-explanation = Die Rechnung in diesem Link passt nicht zu Ihrem Kauf.
checkout-complete-not-found-next = Öffnen Sie den Link aus der E-Mail mit Ihrer Zahlungsbestätigung erneut, ohne ihn zu verändern.
checkout-complete-failed-heading = Bei uns ist etwas schiefgelaufen
checkout-complete-failed-explanation = Ihre Zahlung ist sicher, aber wir konnten die Einrichtung Ihres Kundenkontos gerade nicht abschließen.
checkout-complete-failed-next = Bitte versuchen Sie es gleich noch einmal.
checkout-complete-sign-in-heading = So erhalten Sie Ihre Rechnung
checkout-complete-sign-in-text = Die Rechnung ist als PDF an die E-Mail mit Ihrer Zahlungsbestätigung angehängt. Um Ihre Rechnungen im Kundenportal zu sehen, melden Sie sich an oder lassen Sie sich einen Anmeldelink an die Adresse auf der Rechnung senden.
checkout-complete-sign-in = Anmelden
checkout-complete-link-sent = Wir haben einen Anmeldelink an die Adresse auf der Rechnung gesendet. Er ist einmal und nur kurze Zeit gültig. Sollte er nicht innerhalb weniger Minuten ankommen, sehen Sie bitte in Ihrem Spam-Ordner nach.
checkout-complete-email-link = Anmeldelink per E-Mail senden
checkout-complete-password-heading = Jetzt ein Passwort festlegen
checkout-complete-password-saved = Ihr Passwort ist gespeichert, und Sie sind angemeldet.
checkout-complete-go-to-invoices = Zu meinen Rechnungen
checkout-complete-password-check-email = Zu Ihrer Sicherheit kann ein Passwort für { $email } nicht hier festgelegt werden. Verwenden Sie den Link in der E-Mail, die wir an diese Adresse gesendet haben, oder melden Sie sich mit Ihrem Passwort an, falls Sie bereits eines haben.
checkout-complete-password-check-email-unknown = Zu Ihrer Sicherheit kann ein Passwort für diese E-Mail-Adresse nicht hier festgelegt werden. Verwenden Sie den Link in der E-Mail, die wir an diese Adresse gesendet haben, oder melden Sie sich mit Ihrem Passwort an, falls Sie bereits eines haben.
checkout-complete-password-optional = Optional: Melden Sie sich jederzeit in Ihrem Kundenportal an. Wir haben Ihnen außerdem eine E-Mail zu Ihrem Kundenkonto gesendet.
checkout-complete-password-label = Passwort
checkout-complete-password-submit = Passwort festlegen und anmelden

checkout-test-page-title = Testzahlung
checkout-test-page-banner = Testmodus: Diese Seite akzeptiert nur Testkarten, es fließt kein Geld.
checkout-test-page-paying = Sie bezahlen
checkout-test-page-card-number = Kartennummer
checkout-test-page-expiry = Ablaufdatum (MM/JJ)
checkout-test-page-expiry-placeholder = MM/JJ
checkout-test-page-cvc = Prüfnummer (CVC)
checkout-test-page-cards = Testkarten: 4242 4242 4242 4242 wird bezahlt; 4000 0000 0000 0002 wird abgelehnt; 4000 0000 0000 9995 ist nicht ausreichend gedeckt. Beliebiges Ablaufdatum in der Zukunft, beliebige 3 Ziffern.
checkout-test-page-already-paid = Diese Zahlung ist abgeschlossen. Es ist nichts mehr zu zahlen.
checkout-test-page-expired = Diese Zahlungsseite ist abgelaufen; es wurde nichts abgebucht. Kehren Sie zum Shop zurück, um erneut zu bezahlen.
checkout-test-page-back = Zurück zum Shop
checkout-test-page-not-found-title = Zahlung nicht gefunden
checkout-test-page-not-found-text = Hier gibt es keine Zahlung. Kehren Sie zum Shop zurück, um zu bezahlen.
