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
