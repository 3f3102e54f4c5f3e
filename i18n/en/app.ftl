# checkout-portal's words in English, the fallback: every other catalogue has
# exactly these message ids, with the same variables (the catalogue test
# checks). Money, dates and names arrive already formatted, as arguments.

## The language itself

# This language's own name, in the language switcher.
language-name = English

## Examples the tests use

invoice-title = Invoice { $number }
item-count = { $count ->
    [one] { $count } item
   *[other] { $count } items
}

## Every page: header, footer, banners

site-name-fallback = Coworking billing
nav-site = Site
nav-basket = Basket
nav-my-invoices = My invoices
nav-language = Language
footer-note = Payments and invoices are handled securely. Questions? Reply to your payment receipt email.
test-mode-label = Test mode
test-mode-banner = Test mode: payments use test cards only, and no money moves.

## Invoice PDF

# The document's title, in a viewer's title bar and its properties.
pdf-document-title = Invoice { $number }
pdf-heading = INVOICE
pdf-invoice-number = No. { $number }
pdf-issued = Issued { $date }
pdf-paid-on = Paid { $date }
# The stamp on a paid invoice.
pdf-paid-stamp = PAID
pdf-bill-to = BILL TO
pdf-vat-id = VAT ID { $vat_id }
pdf-column-description = DESCRIPTION
pdf-column-quantity = QTY
pdf-column-unit-price = UNIT PRICE
pdf-column-tax = TAX
pdf-column-amount = AMOUNT
pdf-subtotal = Subtotal
# The tax at one rate, in the totals: "VAT 21%".
pdf-tax-at-rate = VAT { $rate }
# $currency is the ISO code: "Total EUR".
pdf-total = Total { $currency }
pdf-amount-due = Amount due
# At the top of each further page of a long invoice.
pdf-continued = { $number } (continued)
pdf-footer = { $seller } · Thank you for your business.
pdf-footer-with-vat-id = { $seller } · VAT ID { $vat_id } · Thank you for your business.
pdf-page-of = Page { $page } of { $pages }
## Portal

# Sign-in
portal-sign-in-title = Sign in
portal-sign-in-lead = See your invoices and download them at any time.
portal-email-label = Email
portal-password-label = Password
portal-sign-in-button = Sign in
portal-email-me-a-link = Email me a sign-in link
portal-forgot-password = Forgot your password?
# Emailed links: asking for one, using one
portal-request-link-lead = We'll email you a link that signs you in once, without a password.
portal-request-link-button = Email me a link
portal-reset-heading = Reset your password
portal-reset-lead = We'll email you a link to choose a new password.
portal-reset-button = Email me a reset link
portal-back-to-sign-in = Back to sign in
portal-check-inbox = Check your inbox.
portal-check-inbox-detail = If an account exists for that email, we've sent it a link. It works once and only for a short time.
portal-use-link-lead = Continue to your invoices.
portal-link-unusable-heading = This link can't be used
portal-link-unusable-lead = It has expired or has already been used.
portal-new-sign-in-link = Email me a new sign-in link
portal-reset-my-password = Reset my password
# Choosing a password from an emailed link
portal-set-password-heading = Set your password
portal-new-password-heading = Choose a new password
portal-new-password-label = New password
portal-save-password-button = Save password and sign in
# The bar above every signed-in page
portal-signed-in-as = Signed in as { $name } ({ $email })
portal-sign-out = Sign out
portal-sign-out-everywhere = Sign out on all devices
# When the account cannot be read (the database is unreachable).
portal-account-unavailable = Your account could not be loaded.
portal-invoice-not-found = Invoice not found
portal-something-went-wrong = Something went wrong
portal-back-to-my-invoices = Back to my invoices
# My invoices
portal-my-invoices = My invoices
portal-no-invoices-on-page = There are no invoices on this page.
portal-invoices-caption = Your invoices, newest first
portal-column-invoice = Invoice
portal-column-date = Date
portal-column-total = Total
portal-column-status = Status
portal-column-download = Download
portal-status-paid = Paid
portal-status-open = Open
portal-pdf = PDF
# Read out after "PDF" by screen readers only.
portal-pdf-of-invoice = of { $number }
# The pagination's landmark.
portal-pages = Pages
portal-newer = Newer
portal-older = Older
portal-page-of = Page { $page } of { $pages }
# One invoice
portal-invoice-heading = Invoice { $number }
# A link back to the list; the arrow points the way the text reads back.
portal-back-link = ← My invoices
# $date is already formatted.
portal-issued-on = Issued { $date }
portal-paid-on = Paid { $date }
portal-billed-to = Billed to
portal-invoice-lines = Invoice lines
portal-column-description = Description
portal-column-quantity = Qty
portal-column-unit-price = Unit price
portal-column-tax = Tax
portal-column-amount = Amount
# A line's tax: the amount and the rate, both already formatted.
portal-line-tax = { $amount } ({ $rate })
portal-subtotal = Subtotal
portal-tax = Tax
portal-total = Total
portal-download-pdf = Download PDF
# The customer's saved language, on "My invoices"
portal-language-heading = Language
portal-language-lead = The language of these pages and of the emails we send you.
portal-language-label = Your language
portal-language-save = Save language
portal-language-saved = Your language is saved.
# What went wrong (one message per kind of error)
portal-error-invalid = Please correct the highlighted fields.
portal-error-wrong-credentials = That email and password don't match an account. Check them, or sign in with an emailed link.
portal-error-rate-limited = { $minutes ->
    [one] Too many attempts. Please wait 1 minute and try again.
   *[other] Too many attempts. Please wait { $minutes } minutes and try again.
}
portal-error-link-invalid = This link has expired or has already been used.
portal-error-signed-out = Please sign in to continue.
portal-error-not-found = We couldn't find that invoice in your account.
portal-error-busy = We're very busy right now. Please try again in a few seconds.
portal-error-unavailable = Something went wrong on our side. Please try again shortly.
portal-error-transport = The request could not be completed. Check your connection and try again.
portal-error-unsupported-language = Choose one of the languages offered.
# Beside a field
portal-field-email-missing = Enter an email address.
portal-field-email-too-long = An email address can be at most 254 characters long.
portal-field-email-malformed = Enter an email address like name@example.com.
portal-field-password-missing = Enter your password.
portal-field-password-too-long = A password can be at most 128 characters long.
portal-field-password-blank = Choose a password that is not only spaces.
portal-field-password-too-short = Choose a password of at least 8 characters.
portal-field-invalid = Check this field.
## Emails

# Every email opens with the name the customer gave.
email-greeting = Hello { $name },
# Under an email's button, for mail programs that do not show it.
email-paste-link = Or paste this address into your browser: { $url }
# The seller's tax id, in the signature of every email.
email-seller-tax-id = VAT { $tax_id }
# How long an emailed link works, put into the sentences below as { $valid }.
email-duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
email-duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
email-duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
# The payment receipt. { $paid }, { $issued } and { $expires } are dates
# (with the time, in UTC, for { $paid } and { $expires }).
email-receipt-subject = Your receipt from { $seller }: invoice { $number }
email-receipt-intro = Thank you for your payment. This is your receipt for invoice { $number }, issued { $issued }.
email-receipt-paid-by-card = Paid { $paid } UTC by { $brand } ending in { $last4 }.
email-receipt-paid-online = Paid { $paid } UTC online.
email-receipt-line = { $quantity } × { $description } at { $price } (VAT { $rate })
email-receipt-subtotal = Subtotal
email-receipt-tax = VAT
email-receipt-total = Total paid
email-receipt-action = Get your invoice and account
email-receipt-note = The link sets up your customer portal account and offers the invoice download. It works for { $valid } after your payment, until { $expires } UTC; after that, or once your account is set up, the same link lets you have a sign-in link emailed to you. The invoice is attached as a PDF. Keep this email private: the link is yours alone. Questions? Reply to this email.
# The file name of the invoice PDF attached to the receipt.
email-receipt-attachment-name = { $number }.pdf
# A new customer's welcome, with the link that sets their first password.
email-set-password-action = Set your password
email-welcome-subject = Welcome to { $seller }: set your password
email-welcome-intro = Thank you for your purchase. Invoice { $number } is paid, and we have set up a customer portal account for you.
email-welcome-choose = Choose a password to sign in, see your invoices and download them at any time.
email-welcome-note = This link works once, for { $valid }. If it expires, use "Forgot your password?" on the sign-in page.
# To an existing customer: a purchase with their email was added to their account.
email-invoice-added-subject = An invoice was added to your account: { $number }
email-invoice-added-intro = A purchase made with your email address was completed, and invoice { $number } was added to your customer portal account.
email-invoice-added-first-password = You have not chosen a password yet. This link lets you choose one; it works once, for { $valid }.
email-invoice-added-action = View the invoice
email-invoice-added-not-you = If you did not make this purchase, reply to this email and we will look into it.
email-sign-in-subject = Your sign-in link for { $seller }
email-sign-in-intro = Someone (hopefully you) asked for a link to sign in to your customer portal.
email-sign-in-action = Sign in
email-sign-in-note = This link works once, for { $valid }. If you did not ask for it, you can ignore this email.
email-reset-subject = Reset your { $seller } password
email-reset-intro = Someone (hopefully you) asked to reset the password of your customer portal account.
email-reset-action = Choose a new password
email-reset-note = This link works once, for { $valid }. If you did not ask for it, ignore this email: your password stays as it is.
