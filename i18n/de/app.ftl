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
## Portal

# Anmeldung
portal-sign-in-title = Anmelden
portal-sign-in-lead = Sehen Sie Ihre Rechnungen ein und laden Sie sie jederzeit herunter.
portal-email-label = E-Mail
portal-password-label = Passwort
portal-sign-in-button = Anmelden
portal-email-me-a-link = Anmeldelink per E-Mail senden
portal-forgot-password = Passwort vergessen?
# Links per E-Mail: anfordern und verwenden
portal-request-link-lead = Wir senden Ihnen einen Link per E-Mail, mit dem Sie sich einmal ohne Passwort anmelden können.
portal-request-link-button = Link senden
portal-reset-heading = Passwort zurücksetzen
portal-reset-lead = Wir senden Ihnen einen Link per E-Mail, mit dem Sie ein neues Passwort wählen können.
portal-reset-button = Link zum Zurücksetzen senden
portal-back-to-sign-in = Zurück zur Anmeldung
portal-check-inbox = Bitte sehen Sie in Ihrem Posteingang nach.
portal-check-inbox-detail = Falls zu dieser E-Mail-Adresse ein Konto besteht, haben wir einen Link dorthin gesendet. Er funktioniert nur einmal und nur für kurze Zeit.
portal-use-link-lead = Weiter zu Ihren Rechnungen.
portal-link-unusable-heading = Dieser Link kann nicht verwendet werden
portal-link-unusable-lead = Er ist abgelaufen oder wurde bereits verwendet.
portal-new-sign-in-link = Neuen Anmeldelink senden
portal-reset-my-password = Passwort zurücksetzen
# Ein Passwort über einen Link wählen
portal-set-password-heading = Passwort festlegen
portal-new-password-heading = Neues Passwort wählen
portal-new-password-label = Neues Passwort
portal-save-password-button = Passwort speichern und anmelden
# Die Leiste über jeder Seite für Angemeldete
portal-signed-in-as = Angemeldet als { $name } ({ $email })
portal-sign-out = Abmelden
portal-sign-out-everywhere = Auf allen Geräten abmelden
# Wenn das Konto nicht gelesen werden kann (die Datenbank ist nicht erreichbar).
portal-account-unavailable = Ihr Konto konnte nicht geladen werden.
portal-invoice-not-found = Rechnung nicht gefunden
portal-something-went-wrong = Etwas ist schiefgelaufen
portal-back-to-my-invoices = Zurück zu meinen Rechnungen
# Meine Rechnungen
portal-my-invoices = Meine Rechnungen
portal-no-invoices-on-page = Auf dieser Seite gibt es keine Rechnungen.
portal-invoices-caption = Ihre Rechnungen, die neuesten zuerst
portal-column-invoice = Rechnung
portal-column-date = Datum
portal-column-total = Gesamtbetrag
portal-column-status = Status
portal-column-download = Herunterladen
portal-status-paid = Bezahlt
portal-status-open = Offen
portal-pdf = PDF
# Nur für Screenreader, nach „PDF“.
portal-pdf-of-invoice = der Rechnung { $number }
portal-pages = Seiten
portal-newer = Neuere
portal-older = Ältere
portal-page-of = Seite { $page } von { $pages }
# Eine Rechnung
portal-invoice-heading = Rechnung { $number }
portal-back-link = ← Meine Rechnungen
portal-issued-on = Ausgestellt am { $date }
portal-paid-on = Bezahlt am { $date }
portal-billed-to = Rechnungsempfänger
portal-invoice-lines = Rechnungspositionen
portal-column-description = Beschreibung
portal-column-quantity = Menge
portal-column-unit-price = Einzelpreis
portal-column-tax = Steuer
portal-column-amount = Betrag
portal-line-tax = { $amount } ({ $rate })
portal-subtotal = Zwischensumme
portal-tax = Steuer
portal-total = Gesamtbetrag
portal-download-pdf = PDF herunterladen
# Die gespeicherte Sprache, auf „Meine Rechnungen“
portal-language-heading = Sprache
portal-language-lead = Die Sprache dieser Seiten und der E-Mails, die wir Ihnen senden.
portal-language-label = Ihre Sprache
portal-language-save = Sprache speichern
portal-language-saved = Ihre Sprache wurde gespeichert.
# Was schiefgelaufen ist
portal-error-invalid = Bitte korrigieren Sie die markierten Felder.
portal-error-wrong-credentials = Diese E-Mail-Adresse und dieses Passwort passen zu keinem Konto. Bitte prüfen Sie Ihre Angaben oder melden Sie sich mit einem Link per E-Mail an.
portal-error-rate-limited = { $minutes ->
    [one] Zu viele Versuche. Bitte warten Sie 1 Minute und versuchen Sie es dann erneut.
   *[other] Zu viele Versuche. Bitte warten Sie { $minutes } Minuten und versuchen Sie es dann erneut.
}
portal-error-link-invalid = Dieser Link ist abgelaufen oder wurde bereits verwendet.
portal-error-signed-out = Bitte melden Sie sich an, um fortzufahren.
portal-error-not-found = Wir konnten diese Rechnung in Ihrem Konto nicht finden.
portal-error-busy = Gerade ist sehr viel los. Bitte versuchen Sie es in ein paar Sekunden erneut.
portal-error-unavailable = Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es in Kürze erneut.
portal-error-transport = Die Anfrage konnte nicht abgeschlossen werden. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
portal-error-unsupported-language = Bitte wählen Sie eine der angebotenen Sprachen.
# Neben einem Feld
portal-field-email-missing = Bitte geben Sie eine E-Mail-Adresse ein.
portal-field-email-too-long = Eine E-Mail-Adresse darf höchstens 254 Zeichen lang sein.
portal-field-email-malformed = Bitte geben Sie eine E-Mail-Adresse wie name@example.com ein.
portal-field-password-missing = Bitte geben Sie Ihr Passwort ein.
portal-field-password-too-long = Ein Passwort darf höchstens 128 Zeichen lang sein.
portal-field-password-blank = Bitte wählen Sie ein Passwort, das nicht nur aus Leerzeichen besteht.
portal-field-password-too-short = Bitte wählen Sie ein Passwort mit mindestens 8 Zeichen.
portal-field-invalid = Bitte prüfen Sie dieses Feld.
## Emails

# Nach der Anrede mit Komma beginnt der erste Absatz klein (die *-intro-Nachrichten).
email-greeting = Guten Tag { $name },
email-paste-link = Oder kopieren Sie diese Adresse in Ihren Browser: { $url }
email-seller-tax-id = USt-IdNr. { $tax_id }
# Im Satz: „… ist { $valid } lang gültig“.
email-duration-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
email-duration-hours = { $count ->
    [one] { $count } Stunde
   *[other] { $count } Stunden
}
email-duration-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
email-receipt-subject = Ihre Zahlungsbestätigung von { $seller }: Rechnung { $number }
email-receipt-intro = vielen Dank für Ihre Zahlung. Dies ist Ihre Zahlungsbestätigung für die Rechnung { $number } vom { $issued }.
email-receipt-paid-by-card = Bezahlt am { $paid } UTC mit { $brand }, Karte mit den Endziffern { $last4 }.
email-receipt-paid-online = Online bezahlt am { $paid } UTC.
email-receipt-line = { $quantity } × { $description } zu je { $price } (MwSt. { $rate })
email-receipt-subtotal = Zwischensumme
email-receipt-tax = MwSt.
email-receipt-total = Bezahlter Gesamtbetrag
email-receipt-action = Rechnung und Kundenkonto abrufen
email-receipt-note = Über den Link richten Sie Ihr Konto im Kundenportal ein und können die Rechnung herunterladen. Er ist nach Ihrer Zahlung { $valid } lang gültig, bis zum { $expires } UTC; danach – oder sobald Ihr Konto eingerichtet ist – können Sie sich über denselben Link einen Anmeldelink per E-Mail zusenden lassen. Die Rechnung ist als PDF angehängt. Bitte geben Sie diese E-Mail nicht weiter: Der Link gilt nur für Sie. Haben Sie Fragen? Antworten Sie einfach auf diese E-Mail.
email-receipt-attachment-name = Rechnung { $number }.pdf
email-set-password-action = Passwort festlegen
email-welcome-subject = Willkommen bei { $seller }: Legen Sie Ihr Passwort fest
email-welcome-intro = vielen Dank für Ihren Einkauf. Die Rechnung { $number } ist bezahlt, und wir haben für Sie ein Konto im Kundenportal eingerichtet.
email-welcome-choose = Legen Sie ein Passwort fest, um sich anzumelden, Ihre Rechnungen einzusehen und sie jederzeit herunterzuladen.
email-welcome-note = Dieser Link funktioniert nur einmal und ist { $valid } lang gültig. Ist er abgelaufen, wählen Sie auf der Anmeldeseite „Passwort vergessen?“.
email-invoice-added-subject = Ihrem Konto wurde eine Rechnung hinzugefügt: { $number }
email-invoice-added-intro = ein Einkauf mit Ihrer E-Mail-Adresse wurde abgeschlossen, und die Rechnung { $number } wurde Ihrem Konto im Kundenportal hinzugefügt.
email-invoice-added-first-password = Sie haben noch kein Passwort festgelegt. Über diesen Link können Sie eines wählen; er funktioniert nur einmal und ist { $valid } lang gültig.
email-invoice-added-action = Rechnung ansehen
email-invoice-added-not-you = Falls Sie diesen Einkauf nicht getätigt haben, antworten Sie bitte auf diese E-Mail; wir gehen der Sache dann nach.
email-sign-in-subject = Ihr Anmeldelink für { $seller }
email-sign-in-intro = jemand (hoffentlich Sie) hat einen Link zur Anmeldung in Ihrem Kundenportal angefordert.
email-sign-in-action = Anmelden
email-sign-in-note = Dieser Link funktioniert nur einmal und ist { $valid } lang gültig. Falls Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren.
email-reset-subject = Setzen Sie Ihr Passwort für { $seller } zurück
email-reset-intro = jemand (hoffentlich Sie) hat angefordert, das Passwort Ihres Kontos im Kundenportal zurückzusetzen.
email-reset-action = Neues Passwort wählen
email-reset-note = Dieser Link funktioniert nur einmal und ist { $valid } lang gültig. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail einfach: Ihr Passwort bleibt unverändert.
