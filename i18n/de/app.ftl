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
