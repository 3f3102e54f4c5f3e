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
