#!/usr/bin/env python3
"""Time from "Pay" to the checkout-complete page, as a browser without
JavaScript goes: the pay form's post, the hand-off page, the provider's
hosted page (the test provider's, on the shop; or the Stripe fake's, whose
answer waits for its webhook), the card, the return URL, and the
checkout-complete page itself. One shopper after another, each with a
basket of its own (filled before the clock starts).

    bench_payment.py <shop base URL> <rounds>

Prints one JSON line: the rounds, and the median, p90 and max in ms.
"""
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def send(opener, url, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept": "text/html"})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read().decode()


def follow(opener, base, url, form=None, hops=6):
    """Posts or gets `url`, then follows redirects (303s, and the hand-off
    page's Refresh header) the way a browser does; returns the last page."""
    for _ in range(hops):
        status, headers, body = send(opener, urllib.parse.urljoin(base, url), form)
        form = None
        if status in (301, 302, 303) and headers.get("Location"):
            base, url = urllib.parse.urljoin(base, url), headers["Location"]
            continue
        refresh = headers.get("Refresh")
        if refresh and "url=" in refresh:
            base, url = urllib.parse.urljoin(base, url), refresh.split("url=", 1)[1].strip()
            continue
        return status, urllib.parse.urljoin(base, url), body
    raise SystemExit(f"too many redirects at {url}")


def ready_to_pay(base):
    opener = browser()
    send(opener, base + "/checkout/api/add", {"product_id": "1", "quantity": "2"})
    send(opener, base + "/checkout/api/details", {
        "name": "Bench Guest", "email": "bench@example.com", "address": "Damrak 1",
        "city": "Amsterdam", "postcode": "1012 LG", "country": "NL"})
    _, _, page = send(opener, base + "/checkout/payment")
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="attempt" value="([^"]+)"', page)
    priced_as = re.search(r'<input type="hidden" name="priced_as" value="([^"]+)"', page)
    if not form or not priced_as:
        raise SystemExit("no payment form on /checkout/payment")
    return opener, form.group(1), {"attempt": form.group(2), "priced_as": priced_as.group(1)}


def pay(base, opener, action, fields):
    """Posts the payment form as the page rendered it (its attempt key and
    the total it showed), then pays on the hosted page."""
    status, url, page = follow(opener, base, action, fields)
    # The hosted page (the Refresh header took the browser there).
    form = re.search(r'<form method="post" action="([^"]+)"', page)
    if not form:
        raise SystemExit(f"no card form at {url} ({status})")
    target = urllib.parse.urljoin(url, form.group(1))
    fields = {"card_number": "4242 4242 4242 4242", "cardnumber": "4242 4242 4242 4242",
              "expiry": "12/34", "cvc": "123", "email": "bench@example.com"}
    status, url, page = follow(opener, url, target, fields)
    if "/checkout/complete?" not in url or status != 200:
        raise SystemExit(f"paying ended at {url} ({status})")


def main():
    base, rounds = sys.argv[1].rstrip("/"), int(sys.argv[2])
    shoppers = [ready_to_pay(base) for _ in range(rounds + 2)]
    times = []
    for n, (opener, action, fields) in enumerate(shoppers):
        started = time.perf_counter()
        pay(base, opener, action, fields)
        if n >= 2:  # the first two warm the connections and caches
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(json.dumps({
        "rounds": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        "max_ms": round(times[-1], 1),
    }))


if __name__ == "__main__":
    main()
