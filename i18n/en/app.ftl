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
