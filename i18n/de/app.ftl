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
