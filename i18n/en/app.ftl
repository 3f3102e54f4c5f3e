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

## Checkout: the shopper's pages, their errors and the test payment page

checkout-progress-label = Checkout progress
checkout-step-basket = Basket
checkout-step-details = Details
checkout-step-payment = Payment
checkout-step-done = Done

checkout-subtotal = Subtotal
checkout-vat = VAT
checkout-total = Total
# A tax line on the payment provider's page: the VAT of one rate ("VAT 21%").
checkout-vat-line = VAT { $rate }
# After a price: the VAT rate, already formatted ("21%").
checkout-plus-vat = + { $rate } VAT
# A basket line: how many of a product.
checkout-line = { $quantity } × { $product }

checkout-catalogue-title = Book your space
checkout-catalogue-lead = Day passes, meeting rooms and offices. Pay as a guest: no account needed.
checkout-catalogue-empty = Nothing is for sale yet. The shop's operator lists products in a shop file and applies it (see "Operating your shop" in the README).
checkout-add-to-basket = Add to basket
checkout-add-product-to-basket = Add { $product } to basket

checkout-basket-title = Your basket
checkout-basket-caption = Items in your basket
checkout-basket-item = Item
checkout-basket-price = Price
checkout-basket-quantity = Quantity
checkout-basket-amount = Amount
checkout-basket-quantity-of = Quantity of { $product }
checkout-basket-update = Update
checkout-basket-remove = Remove
checkout-basket-remove-product = Remove { $product }
checkout-basket-no-longer-available = No longer available
checkout-basket-in-basket = { $count ->
    [one] { $count } in basket
   *[other] { $count } in basket
}
checkout-basket-add-more = Add more
checkout-basket-continue = Continue to your details
checkout-basket-empty = Your basket is empty.
checkout-browse-products = Browse products

checkout-unavailable-heading = We cannot reach our records right now
checkout-unavailable-products = The products could not be loaded.
checkout-unavailable-basket = Your basket could not be loaded.
checkout-unavailable-payment-form = The payment form could not be loaded.
checkout-unavailable-advice = Nothing you entered or paid is lost: please try again in a minute.
checkout-try-again = Try again

checkout-details-title = Your details
checkout-details-lead = We put these on your invoice and send your receipt to your email.
checkout-field-name = Full name
checkout-field-email = Email
checkout-field-address = Street and house number
checkout-field-postcode = Postcode
checkout-field-city = Town or city
checkout-field-country = Country
checkout-field-choose = Choose…
checkout-details-back = Back to basket
checkout-details-continue = Continue to payment
checkout-form-password-hint = At least 8 characters. A few words you can remember work well.

checkout-country-nl = Netherlands
checkout-country-be = Belgium
checkout-country-de = Germany
checkout-country-fr = France
checkout-country-es = Spain
checkout-country-it = Italy
checkout-country-ie = Ireland
checkout-country-gb = United Kingdom
checkout-country-us = United States
checkout-country-pt = Portugal
checkout-country-at = Austria
checkout-country-dk = Denmark
checkout-country-se = Sweden
checkout-country-pl = Poland

checkout-field-error-name = Enter your full name.
checkout-field-error-address = Enter your street and house number.
checkout-field-error-city = Enter your town or city.
checkout-field-error-postcode = Enter your postcode.
checkout-field-error-country = Choose your country.
checkout-field-error-email-missing = Enter an email address.
checkout-field-error-email-too-long = An email address can be at most 254 characters long.
checkout-field-error-email-malformed = Enter an email address like name@example.com.

checkout-payment-title = Payment
checkout-payment-go-to-basket = Go to your basket
checkout-payment-need-details = We still need your details for the invoice.
checkout-payment-enter-details = Enter your details
checkout-payment-summary = Order summary
checkout-payment-invoice-to = Invoice to { $name }, { $email }
checkout-payment-change = Change
checkout-payment-how = You pay by card on our payment provider's secure page, then come straight back here for your invoice.
# The pay button; the total is already formatted.
checkout-payment-pay = Pay { $total }
checkout-handoff-text = Taking you to the secure payment page…
checkout-handoff-continue = Continue to payment
checkout-handoff-back = Back to payment
checkout-processing-title = Confirming your payment
checkout-processing-text = Your payment has not been confirmed yet. This page checks again every few seconds; there is no need to pay again.
checkout-processing-check-now = Check now

checkout-notice-cancelled = You left the payment page, so nothing was charged. Your basket is still here when you are ready.
checkout-notice-not-completed = The payment was not completed, so nothing was charged. Your basket is still here: you can pay again.
checkout-notice-unknown = We could not find that payment for this browser. If you paid, the receipt we emailed you has the link to your invoice.
checkout-notice-refunded = This basket had already been paid, so your second payment has been refunded in full.
checkout-notice-refunded-unpaid = Your payment did not match your order, so it has been refunded in full. Your basket is still here: please pay again.
checkout-notice-paid = Your payment is complete. The link to your invoice and account is in the receipt we emailed you.

checkout-error-invalid = Please correct the highlighted fields.
checkout-error-already-paid = This order has already been paid.
checkout-error-empty-basket = Your basket is empty.
checkout-error-too-many = You can have at most { $max } of this item in one order.
checkout-error-unavailable = Something went wrong on our side. Nothing was charged; please try again.
checkout-error-transport = The request could not be completed. Check your connection and try again.
checkout-rejection-product-unavailable = That product is not available.
checkout-rejection-not-in-basket = That item is not in your basket.
checkout-rejection-quantity-out-of-range = Choose a quantity from 1 to 999.
checkout-rejection-payment-form-expired = This payment form has expired. Please reload the page and try again.
checkout-rejection-payment-form-used = This payment form has already been used. Please reload the page.
checkout-rejection-payment-form-of-another-basket = This payment form belongs to another basket.
checkout-rejection-payment-in-another-tab = A payment for this basket is already in progress in another tab. Please wait a moment.
checkout-rejection-payment-still-processing = Your payment is still being processed. Please wait a moment and reload.
checkout-rejection-payment-unavailable = The payment service cannot be reached right now. Nothing was charged; please try again in a moment.
checkout-rejection-total-too-large = The basket total is too large.
checkout-rejection-items-unavailable = Your basket holds an item that is no longer available. Remove it from your basket to continue.
checkout-rejection-over-maximum = Your basket holds more of an item than one order may. Lower its quantity in your basket to continue.
checkout-rejection-total-changed = The price changed since this page was shown, and nothing was charged. Check the new total below, then pay.
checkout-decline-invalid-number = That card number isn't valid. Check the digits and try again.
checkout-decline-invalid-expiry = Enter the expiry date as MM/YY.
checkout-decline-expired-card = This card has expired. Try another card.
checkout-decline-invalid-cvc = Enter the 3 or 4 digit security code from the back of the card.
checkout-decline-card-declined = Your bank declined this card. Try another card; nothing was charged.
checkout-decline-insufficient-funds = The card has insufficient funds. Try another card; nothing was charged.

checkout-not-found-title = Page not found
checkout-not-found-text = This address does not exist. Check the link you followed.
checkout-not-found-start = Go to the start page

checkout-complete-title = Completing your purchase
checkout-complete-setting-up = Setting up your account…
checkout-complete-working = Your payment went through. We are setting up your account and invoice; this takes a moment.
checkout-complete-ready = Your account is ready
checkout-complete-registered = Invoice { $number } for { $total } is paid. Portal access is set up for { $email }.
checkout-complete-download = Download invoice (PDF)
checkout-complete-download-hint = Download it now and keep it for your records.
checkout-complete-register = Complete registration
checkout-complete-try-again = Try again
checkout-complete-invalid-heading = We couldn't confirm this purchase
checkout-complete-invalid-explanation = The link you followed is incomplete or not valid.
checkout-complete-invalid-next = Open the link from your payment receipt email again. If it still doesn't work, reply to that email and we'll sort it out.
checkout-complete-used-heading = This purchase is already registered
checkout-complete-used-explanation = Your purchase is registered: your account was set up with this link, in this or another browser.
checkout-complete-used-next = Sign in to see and download your invoice.
checkout-complete-expired-heading = This link has expired
checkout-complete-expired-explanation = For your security, this link only sets up an account for a limited time after payment.
checkout-complete-expired-next = Your payment is safe. Sign in to see and download your invoice.
checkout-complete-not-found-heading = We couldn't find this invoice
checkout-complete-not-found-explanation = The invoice in this link doesn't match your purchase.
checkout-complete-not-found-next = Open the link from your payment receipt email again, without changing it.
checkout-complete-failed-heading = Something went wrong on our side
checkout-complete-failed-explanation = Your payment is safe, but we couldn't finish setting up your account just now.
checkout-complete-failed-next = Please try again in a moment.
checkout-complete-sign-in-heading = Get to your invoice
checkout-complete-sign-in-text = The invoice PDF is attached to your payment receipt email. To see your invoices in your customer portal, sign in, or have a sign-in link emailed to the address on the invoice.
checkout-complete-sign-in = Sign in
checkout-complete-link-sent = We've emailed a sign-in link to the address on the invoice. It works once, for a short time. If it doesn't arrive within a few minutes, check your spam folder.
checkout-complete-email-link = Email me a sign-in link
checkout-complete-password-heading = Set a password now
checkout-complete-password-saved = Your password is saved and you're signed in.
checkout-complete-go-to-invoices = Go to my invoices
checkout-complete-password-check-email = For your security, a password for { $email } can't be set here. Use the link in the email we've sent there, or sign in with your password if you already have one.
checkout-complete-password-check-email-unknown = For your security, a password for this email address can't be set here. Use the link in the email we've sent there, or sign in with your password if you already have one.
checkout-complete-password-optional = Optional: sign in to your customer portal whenever you like. We've also emailed you about your account.
checkout-complete-password-label = Password
checkout-complete-password-submit = Set password and sign in

checkout-test-page-title = Test payment
checkout-test-page-banner = Test mode: this page takes test cards only, and no money moves.
checkout-test-page-paying = You are paying
checkout-test-page-card-number = Card number
checkout-test-page-expiry = Expiry (MM/YY)
checkout-test-page-expiry-placeholder = MM/YY
checkout-test-page-cvc = CVC
checkout-test-page-cards = Test cards: 4242 4242 4242 4242 is paid; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 has insufficient funds. Any future expiry, any 3 digits.
checkout-test-page-already-paid = This payment is complete. Nothing more is due.
checkout-test-page-expired = This payment page has expired; nothing was charged. Go back to the shop to pay again.
checkout-test-page-back = Back to the shop
checkout-test-page-not-found-title = Payment not found
checkout-test-page-not-found-text = There is no payment here. Go back to the shop to pay.
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
