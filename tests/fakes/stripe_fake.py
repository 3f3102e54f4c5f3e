#!/usr/bin/env python3
"""A local, stateful Stripe fake for checkout-portal's tests.

It runs localstripe's aiohttp request handlers (PaymentIntents,
PaymentMethods, Charges, Refunds, test-card behaviour) inside one aiohttp
application of its own, which adds what localstripe lacks: Checkout
Sessions with a hosted payment page (no JavaScript), Idempotency-Key,
per-secret-key accounts, signed webhook deliveries, and a test control API
under /_fake/. Everything listens on 127.0.0.1 only.

Why in the same process rather than wrapping a localstripe server: every
request has to pass through the per-account layers (auth, idempotency,
request log, holds, faults) before localstripe sees it, and the hosted page
drives localstripe's PaymentIntent/Charge model directly. In one process
that is a function call instead of a second server and a proxy hop, and
localstripe's global state can be patched where it misbehaves for a shared
test server (it pickles its whole store to /tmp/localstripe.pickle on every
write, and declines only three test cards when charging).

Run:  <venv>/bin/python tests/fakes/stripe_fake.py [--port 0]
           [--webhook URL --webhook-secret whsec_... --account sk_test_...]
It prints one line, `STRIPE_FAKE_LISTENING http://127.0.0.1:<port>`, when
ready, and exits on SIGTERM/SIGINT or when its standard input (if a pipe)
reaches end of file. --webhook registers an `auto` endpoint for --account.

Accounts: every /v1 and /_fake request needs `Authorization: Bearer
sk_test_...` (or Basic with the key as user name); each distinct key is an
isolated account: sessions, idempotency keys, endpoints, events, request
log, holds, faults and clock.

Stripe API (form-encoded, Stripe's bracket syntax, Stripe's error shape):
  POST /v1/checkout/sessions              mode=payment, line_items[i][price_data]...,
                                          success_url, cancel_url, expires_at, ...
  GET  /v1/checkout/sessions[?status=&payment_intent=]
  GET  /v1/checkout/sessions/{id}[?expand[]=payment_intent(.latest_charge)&expand[]=line_items]
  GET  /v1/checkout/sessions/{id}/line_items
  POST /v1/checkout/sessions/{id}/expire
  POST /v1/refunds                        payment_intent=pi_... | charge=ch_..., amount, reason, metadata
  GET  /v1/refunds[?payment_intent=], GET /v1/refunds/{id}
  GET  /v1/events[?type=], GET /v1/events/{id}
  and localstripe's other /v1 routes (payment_intents, charges, ...), kept
  to the account whose key created the objects.
Every POST honours Idempotency-Key (replay with `Idempotent-Replayed:
true`; other parameters -> 400 idempotency_error; same key while the first
is in progress -> 409 idempotency_key_in_use).

Hosted page (no JavaScript): GET/POST /c/pay/{id}; fields labelled
"Email", "Card number", "Expiry" (MM/YY), "CVC"; button "Pay"; link "Back".
Paid -> 303 to success_url; declined -> 402; invalid card data -> 400;
session no longer open -> 409 (GET shows it with 200).

Test controls (JSON bodies and answers, errors as {"error": "..."}):
  GET    /_fake/health                           (no key needed)
  POST   /_fake/webhook_endpoints                {url, secret, delivery: auto|queued, enabled_events?}
  GET    /_fake/webhook_endpoints, DELETE /_fake/webhook_endpoints/{id}
  GET    /_fake/events[?session=cs_...]          events with their delivery attempts
  POST   /_fake/events/{id}/deliver              {endpoint?, tamper?: none|body|signature|stale}
  POST   /_fake/events/deliver_pending           {session?}: every queued, unattempted delivery
  GET    /_fake/checkout/sessions/{id}           the session now (not logged)
  POST   /_fake/checkout/sessions/{id}/pay       {card, expiry?, cvc?, email?} -> {outcome: paid|declined|
                                                 invalid|unavailable, redirect, code, decline_code, message}
  POST   /_fake/checkout/sessions/{id}/complete_unpaid
  POST   /_fake/checkout/sessions/{id}/async_payment  {outcome: succeeded|failed}
  POST   /_fake/checkout/sessions/{id}/expire    as Stripe does at expires_at
  GET    /_fake/requests, DELETE /_fake/requests the /v1 request log
  POST   /_fake/holds                            {method, path_prefix, stage?: request|response}
  GET    /_fake/holds/{id}
  POST   /_fake/holds/{id}/wait                  {count, timeout_ms?}: answers once `count` are held (408 at timeout)
  POST   /_fake/holds/{id}/release               {count?}: without count, all, and the hold ends
  POST   /_fake/faults                           {method, path_prefix, times, status? | drop: true, stage?}
  GET    /_fake/faults
  GET    /_fake/clock, POST /_fake/clock         {now?: unix (freezes), advance?: seconds, real?: true}
The hosted page and the control calls that cause events wait (up to 10 s)
for those events' automatic deliveries before answering.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import html
import json
import logging
import os
import re
import secrets
import signal
import socket
import stat
import string
import sys
import threading
import time
import traceback
from urllib.parse import parse_qsl

from aiohttp import ClientSession, ClientTimeout, web

import localstripe.resources as ls
import localstripe.server as ls_server
from localstripe.errors import UserError


DEFAULT_API_VERSION = "2025-06-30.basil"
# How long the hosted page (and the control API) waits for the automatic
# webhook deliveries its own events caused before answering.
AUTO_DELIVERY_WAIT_SECONDS = 10.0
WEBHOOK_TIMEOUT_SECONDS = 15.0
IDEMPOTENCY_KEY_LIFETIME = 24 * 3600
BASE_URL = "http://127.0.0.1"  # set at start-up, with the real port


# ---------------------------------------------------------------------------
# localstripe, adjusted for a shared, in-memory test server
# ---------------------------------------------------------------------------

# localstripe pickles the whole store to a fixed path in /tmp after every
# write: slow as the store grows, and shared by every fake on the machine.
ls.Store.dump_to_disk = lambda self: None
ls.Store.try_load_from_disk = lambda self: None
# Its own webhooks (global, not per account) are replaced by ours.
ls.schedule_webhook = lambda event: None

# Stripe's test cards that are declined, with Stripe's codes and messages:
# number -> (failure code, decline code, message shown to the customer).
DECLINES = {
    "4000000000000002": ("card_declined", "generic_decline", "Your card was declined."),
    "4000000000009995": ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "4000000000009987": ("card_declined", "lost_card", "Your card was declined."),
    "4000000000009979": ("card_declined", "stolen_card", "Your card was declined."),
    "4000000000000069": ("expired_card", "expired_card", "Your card has expired."),
    "4000000000000127": ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
    "4000000000000119": ("processing_error", "processing_error",
                         "An error occurred while processing your card. Try again in a little bit."),
    "4000000000000341": ("card_declined", "generic_decline", "Your card was declined."),
    "4100000000000019": ("card_declined", "fraudulent", "Your card was declined."),
    "4000008260003178": ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "4000008400001629": ("card_declined", "generic_decline", "Your card was declined."),
}
DEBIT_CARDS = {"4000056655665556", "5200828282828210"}

_original_charging_is_declined = ls.PaymentMethod._charging_is_declined


def _charging_is_declined(self):
    # localstripe declines 4000000000000002 and friends only when attaching
    # them to a customer; Stripe declines them when charging too.
    if self.type == "card" and self._card_number in DECLINES:
        return True
    return _original_charging_is_declined(self)


ls.PaymentMethod._charging_is_declined = _charging_is_declined


def _set_auth_failure(self):
    self.status = "failed"
    pm = ls.PaymentMethod._api_retrieve(self.payment_method)
    if pm.type == "card":
        code, decline, message = DECLINES.get(
            pm._card_number, ("card_declined", "generic_decline", "Your card was declined."))
    else:
        code, decline, message = ("insufficient_funds", None,
                                  "The customer's account has insufficient funds to cover this payment.")
    self.failure_code = code
    self.failure_message = message
    self._decline_code = decline


ls.Charge._set_auth_failure = _set_auth_failure


def _charge_payment_method_details(self):
    try:
        pm = ls.PaymentMethod._api_retrieve(self.payment_method)
    except UserError:
        return None
    if pm.type == "card":
        card = dict(pm.card)
        return {"type": "card", "card": {
            "brand": card["brand"], "last4": card["last4"], "exp_month": card["exp_month"],
            "exp_year": card["exp_year"], "country": card.get("country"), "funding": card.get("funding"),
            "fingerprint": card.get("fingerprint"), "network": card["brand"],
            "checks": {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"},
            "three_d_secure": None, "wallet": None}}
    if pm.type == "sepa_debit":
        return {"type": "sepa_debit", "sepa_debit": dict(pm.sepa_debit)}
    return {"type": pm.type}


def _charge_outcome(self):
    if self.status == "pending":
        return None
    if self.status == "succeeded":
        return {"network_status": "approved_by_network", "reason": None, "risk_level": "normal",
                "risk_score": 20, "seller_message": "Payment complete.", "type": "authorized"}
    decline = getattr(self, "_decline_code", None)
    if decline == "fraudulent":
        return {"network_status": "not_sent_to_network", "reason": "highest_risk_level",
                "risk_level": "highest", "risk_score": 95,
                "seller_message": "Stripe blocked this payment as too risky.", "type": "blocked"}
    return {"network_status": "declined_by_network", "reason": decline, "risk_level": "normal",
            "risk_score": 20, "seller_message": "The bank did not return any further details with this decline.",
            "type": "issuer_declined"}


# localstripe exports every public attribute and property, so these appear
# in its Charge objects too.
ls.Charge.payment_method_details = property(_charge_payment_method_details)
ls.Charge.outcome = property(_charge_outcome)


def card_brand(number):
    if number.startswith("4"):
        return "visa"
    if re.match(r"^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)", number):
        return "mastercard"
    if number[:2] in ("34", "37"):
        return "amex"
    if number.startswith("6011") or number.startswith("65") or re.match(r"^64[4-9]", number):
        return "discover"
    if number.startswith("35"):
        return "jcb"
    if number.startswith("62"):
        return "unionpay"
    if re.match(r"^(36|30[0-5]|38|39)", number):
        return "diners"
    return "unknown"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

_ALNUM = string.ascii_letters + string.digits


def random_id(prefix, n=24):
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(n))


def dumps(obj):
    return json.dumps(obj, indent=2) + "\n"


def json_response(obj, status=200, headers=None):
    return web.Response(text=dumps(obj), status=status, content_type="application/json", headers=headers)


class StripeError(Exception):
    """An error answered in Stripe's shape: {"error": {...}}."""

    def __init__(self, status, message, type="invalid_request_error", code=None, param=None, **extra):
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "type": type}
        if code:
            self.body["code"] = code
            self.body["doc_url"] = "https://stripe.com/docs/error-codes/" + code.replace("_", "-")
        if param:
            self.body["param"] = param
        self.body.update(extra)

    def response(self):
        return json_response({"error": self.body}, status=self.status)


def missing(param):
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def unknown(param):
    return StripeError(400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param)


def empty(param):
    return StripeError(
        400,
        f"You passed an empty string for '{param}'. We assume empty values are an attempt to unset a "
        f"parameter; however '{param}' cannot be unset. You should remove '{param}' from your request or "
        f"supply a non-empty value.",
        code="parameter_invalid_empty", param=param)


def no_such(kind, id, param, status=400):
    """A missing object: 404 when it is the request's own resource, 400 when a parameter names it."""
    return StripeError(status, f"No such {kind}: '{id}'", code="resource_missing", param=param)


class FakeError(Exception):
    """An error of the control API: {"error": "..."}."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def parse_form(pairs):
    """Stripe's bracket syntax (a[b][0][c]=v, a[]=v) into dicts and lists."""
    root = {}
    for key, value in pairs:
        m = re.match(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$", key)
        if not m:
            raise StripeError(400, f"Invalid parameter name: {key}", param=key)
        parts = [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))
        node = root
        for i, part in enumerate(parts):
            if not isinstance(node, dict):
                raise StripeError(400, f"Invalid value for {key}: a parameter is given both as a value and as a hash",
                                  param=key)
            if part == "":
                part = str(len(node))
            if i == len(parts) - 1:
                if part in node:
                    raise StripeError(400, f"Parameter {key} is given more than once", param=key)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise StripeError(400, f"Invalid value for {key}: a parameter is given both as a value and "
                                           f"as a hash", param=key)
                node = child

    def lists(node, path):
        if not isinstance(node, dict):
            return node
        for k in list(node):
            node[k] = lists(node[k], f"{path}[{k}]" if path else k)
        if node and all(re.match(r"^\d+$", k) for k in node):
            indices = sorted(int(k) for k in node)
            if indices != list(range(len(indices))):
                raise StripeError(400, f"Invalid array: {path} must have indices from 0 without gaps", param=path)
            return [node[str(i)] for i in indices]
        return node

    return lists(root, "")


def as_int(value, param, minimum=None, maximum=None):
    if isinstance(value, (dict, list)) or not re.match(r"^-?\d+$", str(value)):
        raise StripeError(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=param)
    n = int(value)
    if minimum is not None and n < minimum:
        raise StripeError(400, f"This value must be greater than or equal to {minimum}.", param=param)
    if maximum is not None and n > maximum:
        raise StripeError(400, f"This value must be less than or equal to {maximum}.", param=param)
    return n


def as_str(value, param, max_len=5000, required=False):
    if isinstance(value, (dict, list)):
        raise StripeError(400, f"Invalid string: {param} must be a string", param=param)
    if value == "" and required:
        raise empty(param)
    if len(value) > max_len:
        raise StripeError(400, f"Invalid string: {value[:50]}...; must be at most {max_len} characters",
                          param=param)
    return value


def as_url(value, param):
    as_str(value, param, required=True)
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", value):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param=param)
    return value


def as_dict(value, param):
    if not isinstance(value, dict):
        raise StripeError(400, f"Invalid object: {param} must be a hash", param=param)
    return value


def as_list(value, param):
    if not isinstance(value, list):
        raise StripeError(400, f"Invalid array: {param} must be an array", param=param)
    return value


def only_keys(value, allowed, path):
    for key in value:
        if key not in allowed:
            raise unknown(f"{path}[{key}]" if path else key)


def as_metadata(value, param):
    as_dict(value, param)
    if len(value) > 50:
        raise StripeError(400, "Invalid metadata: metadata cannot have more than 50 keys", param=param)
    out = {}
    for k, v in value.items():
        if isinstance(v, (dict, list)):
            raise StripeError(400, f"Invalid value for {param}[{k}]: metadata values must be strings",
                              param=f"{param}[{k}]")
        if len(k) > 40:
            raise StripeError(400, f"Invalid metadata: keys can be at most 40 characters long ({k})",
                              param=f"{param}[{k}]")
        if len(v) > 500:
            raise StripeError(400, f"Invalid metadata: values can be at most 500 characters long ({k})",
                              param=f"{param}[{k}]")
        if v != "":
            out[k] = v
    return out


ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
                "xaf", "xof", "xpf"}
MINIMUM_AMOUNT = {"usd": 50, "eur": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50, "jpy": 50, "dkk": 250,
                  "sek": 300, "nok": 300, "pln": 200, "czk": 1500, "huf": 17500}
SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£"}


def money(amount, currency):
    if currency in ZERO_DECIMAL:
        text = f"{amount:,}"
    else:
        text = f"{amount // 100:,}.{amount % 100:02d}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


# ---------------------------------------------------------------------------
# Accounts and their state
# ---------------------------------------------------------------------------

ACCOUNTS = {}
SESSIONS = {}  # checkout session id -> (account, session), for the hosted page
OWNER = {}     # id of a localstripe object -> the secret key that created it


class Account:
    def __init__(self, key):
        self.key = key
        self.sessions = {}
        self.idempotency = {}
        self.endpoints = []
        self.events = []
        self.events_by_id = {}
        self.log = []
        self.holds = []
        self.faults = []
        self.frozen_now = None
        self.offset = 0
        self.api_version = DEFAULT_API_VERSION
        self.hold_changed = asyncio.Condition()

    def now(self):
        if self.frozen_now is not None:
            return self.frozen_now
        return int(time.time()) + self.offset

    def own(self, obj):
        OWNER[obj.id] = self.key
        obj.created = self.now()
        return obj


def account_for(key):
    account = ACCOUNTS.get(key)
    if account is None:
        account = ACCOUNTS[key] = Account(key)
    return account


def api_key(request):
    """The secret key of a request, or a StripeError (401)."""
    header = request.headers.get("Authorization", "")
    key = None
    scheme, _, value = header.partition(" ")
    if scheme == "Bearer":
        key = value.strip()
    elif scheme == "Basic":
        try:
            key = base64.b64decode(value.strip()).decode("utf-8").split(":")[0]
        except Exception:
            key = ""
    if not header or key is None:
        raise StripeError(
            401, "You did not provide an API key. You need to provide your API key in the Authorization header, "
                 "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                 "https://stripe.com/docs/api#authentication for details, or we can help at "
                 "https://support.stripe.com/.")
    if not re.match(r"^sk_test_[A-Za-z0-9_]+$", key):
        masked = key[:8] + "*" * max(0, len(key) - 12) + key[-4:] if len(key) > 12 else key
        raise StripeError(401, f"Invalid API Key provided: {masked}")
    return key


# ---------------------------------------------------------------------------
# Checkout Sessions
# ---------------------------------------------------------------------------

SESSION_PARAMS = {
    "after_expiration", "allow_promotion_codes", "automatic_tax", "billing_address_collection", "cancel_url",
    "client_reference_id", "consent_collection", "currency", "custom_fields", "custom_text", "customer",
    "customer_creation", "customer_email", "customer_update", "discounts", "expand", "expires_at",
    "invoice_creation", "line_items", "locale", "metadata", "mode", "payment_intent_data",
    "payment_method_collection", "payment_method_configuration", "payment_method_options",
    "payment_method_types", "phone_number_collection", "redirect_on_completion", "return_url",
    "saved_payment_method_options", "setup_intent_data", "shipping_address_collection", "shipping_options",
    "submit_type", "subscription_data", "success_url", "tax_id_collection", "ui_mode",
}
LINE_ITEM_PARAMS = {"adjustable_quantity", "dynamic_tax_rates", "price", "price_data", "quantity", "tax_rates"}
PRICE_DATA_PARAMS = {"currency", "product", "product_data", "recurring", "tax_behavior", "unit_amount",
                     "unit_amount_decimal"}
PRODUCT_DATA_PARAMS = {"description", "images", "metadata", "name", "tax_code", "unit_label"}
PAYMENT_INTENT_DATA_PARAMS = {"application_fee_amount", "capture_method", "description", "metadata",
                              "on_behalf_of", "receipt_email", "setup_future_usage", "shipping",
                              "statement_descriptor", "statement_descriptor_suffix", "transfer_data",
                              "transfer_group"}


class CheckoutSession:
    def __init__(self, account, **fields):
        self.account = account
        self.id = random_id("cs_test_", 58)
        self.__dict__.update(fields)
        self.status = "open"
        self.payment_status = "no_payment_required" if self.amount_total == 0 else "unpaid"
        self.payment_intent = None      # shown once the session is complete
        self.pi = None                  # the PaymentIntent of the payment attempts
        self.customer_details = None
        self.created = account.now()

    def export(self, expand=()):
        obj = {
            "id": self.id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": self.amount_total,
            "amount_total": self.amount_total,
            "automatic_tax": {"enabled": False, "liability": None, "status": None},
            "billing_address_collection": self.billing_address_collection,
            "cancel_url": self.cancel_url,
            "client_reference_id": self.client_reference_id,
            "client_secret": None,
            "consent": None,
            "consent_collection": None,
            "created": self.created,
            "currency": self.currency,
            "currency_conversion": None,
            "custom_fields": [],
            "custom_text": {"after_submit": None, "shipping_address": None, "submit": None,
                            "terms_of_service_acceptance": None},
            "customer": None,
            "customer_creation": self.customer_creation,
            "customer_details": self.customer_details,
            "customer_email": self.customer_email,
            "expires_at": self.expires_at,
            "invoice": None,
            "invoice_creation": {"enabled": False, "invoice_data": {
                "account_tax_ids": None, "custom_fields": None, "description": None, "footer": None,
                "issuer": None, "metadata": {}, "rendering_options": None}},
            "livemode": False,
            "locale": self.locale,
            "metadata": dict(self.metadata),
            "mode": self.mode,
            "payment_intent": self.payment_intent,
            "payment_link": None,
            "payment_method_collection": "if_required",
            "payment_method_configuration_details": None,
            "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
            "payment_method_types": ["card"],
            "payment_status": self.payment_status,
            "phone_number_collection": {"enabled": False},
            "recovered_from": None,
            "saved_payment_method_options": None,
            "setup_intent": None,
            "shipping_address_collection": None,
            "shipping_cost": None,
            "shipping_details": None,
            "shipping_options": [],
            "status": self.status,
            "submit_type": self.submit_type,
            "subscription": None,
            "success_url": self.success_url,
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": "hosted",
            # Stripe shows the URL only while the session can be paid.
            "url": f"{BASE_URL}/c/pay/{self.id}" if self.status == "open" else None,
        }
        return apply_expand(obj, expand, {"line_items": lambda _: self.line_items_list()})

    def line_items_list(self):
        return {"object": "list", "data": [dict(item) for item in self.line_items], "has_more": False,
                "url": f"/v1/checkout/sessions/{self.id}/line_items"}


def export_object(id):
    """A localstripe object by id, in Stripe's shape."""
    for prefix, cls in (("pi_", ls.PaymentIntent), ("ch_", ls.Charge), ("pm_", ls.PaymentMethod),
                        ("re_", ls.Refund), ("txn_", ls.BalanceTransaction)):
        if id.startswith(prefix):
            obj = cls._api_retrieve(id)
            break
    else:
        return None
    if prefix == "pi_":
        return export_payment_intent(obj)
    if prefix == "re_":
        return export_refund(obj)
    return obj._export()


def export_payment_intent(pi):
    obj = pi._export()
    # localstripe always embeds the whole charge (and a deprecated charge
    # list); Stripe gives the id unless `latest_charge` is expanded.
    obj.pop("charges", None)
    obj["latest_charge"] = pi.latest_charge.id if pi.latest_charge is not None else None
    obj["amount_received"] = pi.amount if obj["status"] == "succeeded" else 0
    obj.setdefault("amount_capturable", 0)
    obj.setdefault("description", None)
    obj.setdefault("receipt_email", None)
    obj.setdefault("payment_method_types", ["card"])
    obj.setdefault("canceled_at", None)
    obj.setdefault("cancellation_reason", None)
    return obj


def export_refund(refund):
    obj = refund._export()
    obj.pop("date", None)
    obj.setdefault("reason", None)
    obj.setdefault("receipt_number", None)
    obj.setdefault("source_transfer_reversal", None)
    obj.setdefault("transfer_reversal", None)
    obj.setdefault("destination_details", {"type": "card", "card": {"reference_status": "pending",
                                                                     "reference_type": "acquirer_reference_number",
                                                                     "type": "refund"}})
    return obj


def apply_expand(obj, expand, special=None):
    """Expands Stripe-style dotted paths (`payment_intent.latest_charge`)."""
    special = special or {}
    for path in expand:
        if not isinstance(path, str):
            raise StripeError(400, "Invalid array: expand must be an array of strings", param="expand")
        parts = path.split(".")
        if len(parts) > 4:
            raise StripeError(400, "You cannot expand more than 4 levels of a property", param="expand")
        node = obj
        for i, part in enumerate(parts):
            if i == 0 and part in special and not isinstance(obj.get(part), dict):
                obj[part] = special[part](obj.get(part))
            if not isinstance(node, dict) or part not in node:
                raise StripeError(400, f"This property cannot be expanded ({'.'.join(parts[:i + 1])}).",
                                  param="expand")
            value = node[part]
            if isinstance(value, str) and not (i == 0 and part in special):
                expanded = export_object(value)
                if expanded is None:
                    raise StripeError(400, f"This property cannot be expanded ({'.'.join(parts[:i + 1])}).",
                                      param="expand")
                node[part] = value = expanded
            node = value
            if node is None:
                break
    return obj


def expand_param(params):
    expand = params.get("expand", [])
    if isinstance(expand, str):
        expand = [expand]
    return as_list(expand, "expand")


def session_from_params(account, p):
    only_keys(p, SESSION_PARAMS, "")
    mode = p.get("mode")
    if mode is None:
        raise missing("mode")
    if mode not in ("payment", "setup", "subscription"):
        raise StripeError(400, "Invalid mode: must be one of payment, setup, or subscription", param="mode")
    if mode != "payment":
        raise StripeError(400, f"This Stripe fake supports mode=payment only, not {mode}.", param="mode")
    ui_mode = p.get("ui_mode", "hosted")
    if ui_mode != "hosted":
        raise StripeError(400, f"This Stripe fake supports ui_mode=hosted only, not {ui_mode}.", param="ui_mode")
    if "success_url" not in p:
        raise missing("success_url")
    success_url = as_url(p["success_url"], "success_url")
    cancel_url = as_url(p["cancel_url"], "cancel_url") if "cancel_url" in p else None

    if "line_items" not in p:
        raise missing("line_items")
    raw_items = as_list(p["line_items"], "line_items")
    if not raw_items:
        raise missing("line_items")
    if len(raw_items) > 100:
        raise StripeError(400, "Checkout supports at most 100 line items.", param="line_items")
    currency = None
    if "currency" in p:
        currency = as_str(p["currency"], "currency", required=True).lower()
    items = []
    total = 0
    for i, raw in enumerate(raw_items):
        at = f"line_items[{i}]"
        as_dict(raw, at)
        only_keys(raw, LINE_ITEM_PARAMS, at)
        if "price" in raw:
            raise no_such("price", raw["price"], f"{at}[price]")
        if "price_data" not in raw:
            raise StripeError(400, f"You must specify either `price` or `price_data` in `{at}`.", param=at)
        pd = as_dict(raw["price_data"], f"{at}[price_data]")
        only_keys(pd, PRICE_DATA_PARAMS, f"{at}[price_data]")
        if "currency" not in pd:
            raise missing(f"{at}[price_data][currency]")
        item_currency = as_str(pd["currency"], f"{at}[price_data][currency]", required=True).lower()
        if not re.match(r"^[a-z]{3}$", item_currency):
            raise StripeError(400, f"Invalid currency: {item_currency}.", param=f"{at}[price_data][currency]")
        if currency is not None and item_currency != currency:
            raise StripeError(400, "Checkout does not support multiple currencies. All line items and the "
                                   "`currency` parameter must use the same currency.", param="line_items")
        currency = item_currency
        if "recurring" in pd:
            raise StripeError(400, "You specified `payment` mode but passed a recurring price. Either switch "
                                   "to `subscription` mode or use only one-time prices.",
                              param=f"{at}[price_data][recurring]")
        if "unit_amount" in pd:
            unit_amount = as_int(pd["unit_amount"], f"{at}[price_data][unit_amount]", minimum=0)
        elif "unit_amount_decimal" in pd:
            raw_decimal = as_str(pd["unit_amount_decimal"], f"{at}[price_data][unit_amount_decimal]",
                                 required=True)
            if not re.match(r"^\d+(\.0+)?$", raw_decimal):
                raise StripeError(400, "This Stripe fake supports whole unit_amount_decimal values only.",
                                  param=f"{at}[price_data][unit_amount_decimal]")
            unit_amount = int(raw_decimal.split(".")[0])
        else:
            raise missing(f"{at}[price_data][unit_amount]")
        if "product" in pd:
            raise no_such("product", pd["product"], f"{at}[price_data][product]")
        if "product_data" not in pd:
            raise missing(f"{at}[price_data][product_data]")
        product = as_dict(pd["product_data"], f"{at}[price_data][product_data]")
        only_keys(product, PRODUCT_DATA_PARAMS, f"{at}[price_data][product_data]")
        if "name" not in product:
            raise missing(f"{at}[price_data][product_data][name]")
        name = as_str(product["name"], f"{at}[price_data][product_data][name]", max_len=250, required=True)
        if "quantity" not in raw:
            raise missing(f"{at}[quantity]")
        quantity = as_int(raw["quantity"], f"{at}[quantity]", minimum=1, maximum=999999)
        amount = unit_amount * quantity
        total += amount
        product_id = random_id("prod_", 14)
        items.append({
            "id": random_id("li_", 24),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": amount,
            "amount_tax": 0,
            "amount_total": amount,
            "currency": item_currency,
            "description": name,
            "price": {
                "id": random_id("price_", 24), "object": "price", "active": False,
                "billing_scheme": "per_unit", "created": account.now(), "currency": item_currency,
                "custom_unit_amount": None, "livemode": False, "lookup_key": None, "metadata": {},
                "nickname": None, "product": product_id, "recurring": None,
                "tax_behavior": pd.get("tax_behavior", "unspecified"), "tiers_mode": None,
                "transform_quantity": None, "type": "one_time", "unit_amount": unit_amount,
                "unit_amount_decimal": str(unit_amount),
            },
            "quantity": quantity,
        })
    if total > 99999999:
        raise StripeError(400, f"The Checkout Session's total amount due must be no more than "
                               f"{money(99999999, currency)}.", code="amount_too_large", param="line_items")
    minimum = MINIMUM_AMOUNT.get(currency, 50)
    if 0 < total < minimum:
        raise StripeError(400, f"The Checkout Session's total amount due must add up to at least "
                               f"{money(minimum, currency)}.", code="amount_too_small", param="line_items")

    now = account.now()
    if "expires_at" in p:
        expires_at = as_int(p["expires_at"], "expires_at")
        if expires_at < now + 30 * 60:
            raise StripeError(400, "The `expires_at` timestamp must be at least 30 minutes from Checkout "
                                   "Session creation.", param="expires_at")
        if expires_at > now + 24 * 3600:
            raise StripeError(400, "The `expires_at` timestamp must be less than 24 hours from Checkout "
                                   "Session creation.", param="expires_at")
    else:
        expires_at = now + 24 * 3600

    client_reference_id = None
    if "client_reference_id" in p:
        client_reference_id = as_str(p["client_reference_id"], "client_reference_id", max_len=200) or None
    customer_email = None
    if "customer_email" in p:
        customer_email = as_str(p["customer_email"], "customer_email", max_len=800, required=True)
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", customer_email):
            raise StripeError(400, f"Invalid email address: {customer_email}", code="email_invalid",
                              param="customer_email")
    if "customer" in p:
        raise no_such("customer", p["customer"], "customer")
    metadata = as_metadata(p.get("metadata", {}), "metadata")
    pid = as_dict(p.get("payment_intent_data", {}), "payment_intent_data")
    only_keys(pid, PAYMENT_INTENT_DATA_PARAMS, "payment_intent_data")
    pi_metadata = as_metadata(pid.get("metadata", {}), "payment_intent_data[metadata]")
    pi_description = as_str(pid["description"], "payment_intent_data[description]", max_len=1000) \
        if "description" in pid else None
    if "payment_method_types" in p:
        types = as_list(p["payment_method_types"], "payment_method_types")
        for i, t in enumerate(types):
            if t != "card":
                raise StripeError(400, f"This Stripe fake supports the card payment method only, not {t}.",
                                  param=f"payment_method_types[{i}]")
    locale = p.get("locale")
    submit_type = p.get("submit_type")
    if submit_type is not None and submit_type not in ("auto", "book", "donate", "pay", "subscribe"):
        raise StripeError(400, "Invalid submit_type: must be one of auto, book, donate, pay, or subscribe",
                          param="submit_type")
    billing = p.get("billing_address_collection")
    if billing is not None and billing not in ("auto", "required"):
        raise StripeError(400, "Invalid billing_address_collection: must be one of auto or required",
                          param="billing_address_collection")
    customer_creation = p.get("customer_creation", "if_required")
    if customer_creation not in ("always", "if_required"):
        raise StripeError(400, "Invalid customer_creation: must be one of always or if_required",
                          param="customer_creation")
    expand = expand_param(p)
    return CheckoutSession(
        account, mode=mode, success_url=success_url, cancel_url=cancel_url, line_items=items,
        amount_total=total, currency=currency, expires_at=expires_at,
        client_reference_id=client_reference_id, customer_email=customer_email, metadata=metadata,
        pi_metadata=pi_metadata, pi_description=pi_description, locale=locale, submit_type=submit_type,
        billing_address_collection=billing, customer_creation=customer_creation), expand


def find_session(account, id):
    s = account.sessions.get(id)
    if s is None:
        raise no_such("checkout.session", id, "session", 404)
    expire_if_due(account, s)
    return s


def expire_session(account, s, request_info=None):
    s.status = "expired"
    if s.pi is not None and s.pi.status not in ("succeeded", "canceled"):
        s.pi._canceled = True
        s.pi.next_action = None
    return emit(account, "checkout.session.expired", s, request_info)


def expire_if_due(account, s):
    """Stripe expires an open session by itself once `expires_at` passes."""
    if s.status == "open" and account.now() >= s.expires_at:
        expire_session(account, s)


def sweep_expired(account):
    for s in list(account.sessions.values()):
        expire_if_due(account, s)


# ---------------------------------------------------------------------------
# Payments (shared by the hosted page and the control API)
# ---------------------------------------------------------------------------

def luhn_ok(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def read_card(account, number, expiry, cvc):
    """(number, exp_month, exp_year, cvc) or raises FormProblem."""
    number = re.sub(r"[\s-]", "", number or "")
    if not number:
        raise FormProblem("Your card number is incomplete.", "cardnumber")
    if not number.isdigit():
        raise FormProblem("Your card number is invalid.", "cardnumber")
    if len(number) < 14 or (len(number) < 16 and card_brand(number) not in ("amex", "diners")):
        raise FormProblem("Your card number is incomplete.", "cardnumber")
    if not luhn_ok(number):
        raise FormProblem("Your card number is invalid.", "cardnumber")
    if len(number) != 16:
        raise FormProblem("This Stripe fake accepts 16-digit card numbers only.", "cardnumber")
    m = re.match(r"^\s*(\d{1,2})\s*/?\s*(\d{2}|\d{4})\s*$", expiry or "")
    if not m:
        raise FormProblem("Your card's expiration date is incomplete.", "expiry")
    month, year = int(m.group(1)), int(m.group(2))
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        raise FormProblem("Your card's expiration date is invalid.", "expiry")
    now = time.gmtime(account.now())
    if (year, month) < (now.tm_year, now.tm_mon):
        raise FormProblem("Your card's expiration date is in the past.", "expiry")
    if year >= 2100:
        raise FormProblem("Your card's expiration year is invalid.", "expiry")
    cvc = (cvc or "").strip()
    if not re.match(r"^\d{3}$", cvc):
        raise FormProblem("Your card's security code is incomplete.", "cvc")
    return number, month, year, cvc


class FormProblem(Exception):
    def __init__(self, message, field):
        super().__init__(message)
        self.message = message
        self.field = field


def success_redirect(s):
    return s.success_url.replace("{CHECKOUT_SESSION_ID}", s.id)


def pay_session(account, s, number, expiry, cvc, email=None):
    """Pays an open session with a card. Returns (result dict, events)."""
    expire_if_due(account, s)
    if s.status != "open":
        reason = s.status
        message = ("This checkout session has expired." if reason == "expired"
                   else "This checkout session is already complete.")
        return {"outcome": "unavailable", "reason": reason, "message": message, "redirect": None}, []
    try:
        number, month, year, cvc = read_card(account, number, expiry, cvc)
    except FormProblem as problem:
        return {"outcome": "invalid", "message": problem.message, "field": problem.field, "redirect": None}, []
    email = (email or "").strip() or s.customer_email
    if s.amount_total == 0:
        return complete_paid(account, s, email, None)

    try:
        pm = ls.PaymentMethod(type="card", card={"number": number, "exp_month": month, "exp_year": year,
                                                 "cvc": cvc},
                              billing_details={"email": email, "name": None, "phone": None, "address": None})
    except UserError:
        return {"outcome": "invalid", "message": "Your card's expiration year is invalid.", "field": "expiry",
                "redirect": None}, []
    account.own(pm)
    pm.card["brand"] = card_brand(number)
    pm.card["display_brand"] = pm.card["brand"]
    pm.card["country"] = "US"
    pm.card["funding"] = "debit" if number in DEBIT_CARDS else "credit"
    pi = s.pi
    if pi is None:
        pi = s.pi = account.own(ls.PaymentIntent(amount=s.amount_total, currency=s.currency,
                                                 payment_method=pm.id, metadata=dict(s.pi_metadata)))
        pi.description = s.pi_description
        pi.receipt_email = None
        pi.payment_method_types = ["card"]
    else:
        # A new attempt after a decline: the same PaymentIntent, a new card.
        pi.payment_method = pm.id
        pi.latest_charge = None
    pi._confirm(on_failure_now=lambda: None)
    if pi.status == "requires_action":
        # 3D Secure cards: the fake's customer always completes the challenge.
        pi.next_action = None
        pi._create_charge(on_failure_now=lambda: None)
    if pi.latest_charge is not None:
        account.own(pi.latest_charge)
        if pi.latest_charge.balance_transaction:
            OWNER[pi.latest_charge.balance_transaction] = account.key
    if pi.status == "succeeded":
        return complete_paid(account, s, email, pi)
    charge = pi.latest_charge
    return {"outcome": "declined", "code": charge.failure_code,
            "decline_code": getattr(charge, "_decline_code", None), "message": charge.failure_message,
            "payment_intent": pi.id, "redirect": None}, []


def complete_paid(account, s, email, pi):
    s.status = "complete"
    s.payment_status = "paid" if pi is not None else "no_payment_required"
    s.payment_intent = pi.id if pi is not None else None
    s.customer_details = {"address": None, "email": email, "name": None, "phone": None, "tax_exempt": "none",
                          "tax_ids": []}
    event = emit(account, "checkout.session.completed", s)
    return {"outcome": "paid", "redirect": success_redirect(s), "payment_intent": s.payment_intent}, [event]


def complete_unpaid(account, s):
    """Complete with a delayed payment method (SEPA Debit): unpaid for now."""
    if s.status != "open":
        raise FakeError(409, f"The session is {s.status}, not open.")
    if s.amount_total == 0:
        raise FakeError(409, "The session's total is 0: nothing to pay later.")
    pm = account.own(ls.PaymentMethod(type="sepa_debit", sepa_debit={"iban": "DE89370400440532013000"},
                                      billing_details={"email": s.customer_email}))
    pi = account.own(ls.PaymentIntent(amount=s.amount_total, currency=s.currency, payment_method=pm.id,
                                      metadata=dict(s.pi_metadata)))
    pi.description = s.pi_description
    pi.payment_method_types = ["sepa_debit"]
    charge = account.own(ls.Charge(amount=s.amount_total, currency=s.currency, source=pm.id))
    charge.payment_intent = pi.id
    pi.latest_charge = charge  # pending: the PaymentIntent is `processing`
    s.pi = pi
    s.status = "complete"
    s.payment_status = "unpaid"
    s.payment_intent = pi.id
    s.customer_details = {"address": None, "email": s.customer_email, "name": None, "phone": None,
                          "tax_exempt": "none", "tax_ids": []}
    return [emit(account, "checkout.session.completed", s)]


def settle_async(account, s, succeeded):
    charge = s.pi.latest_charge if s.pi is not None else None
    if s.status != "complete" or s.payment_status != "unpaid" or charge is None or charge.status != "pending":
        raise FakeError(409, "The session has no delayed payment pending (complete it unpaid first).")
    if succeeded:
        charge.status = "succeeded"
        s.payment_status = "paid"
        return [emit(account, "checkout.session.async_payment_succeeded", s)]
    charge._set_auth_failure()
    return [emit(account, "checkout.session.async_payment_failed", s)]


# ---------------------------------------------------------------------------
# Events and webhook deliveries
# ---------------------------------------------------------------------------

HTTP = None  # aiohttp ClientSession, made at start-up


class Endpoint:
    def __init__(self, account, url, secret, delivery, enabled_events):
        self.id = random_id("we_", 24)
        self.account = account
        self.url = url
        self.secret = secret
        self.delivery = delivery
        self.enabled_events = enabled_events
        self.queue = asyncio.Queue()
        self.worker = asyncio.ensure_future(self.work()) if delivery == "auto" else None

    def wants(self, event_type):
        return "*" in self.enabled_events or event_type in self.enabled_events

    def export(self):
        return {"id": self.id, "url": self.url, "delivery": self.delivery, "enabled_events": self.enabled_events}

    async def work(self):
        while True:
            event, delivery = await self.queue.get()
            try:
                await attempt(event, delivery, "none")
            except Exception:
                traceback.print_exc()
            finally:
                delivery.first_attempt.set()


class Delivery:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.attempts = []
        self.first_attempt = asyncio.Event()

    @property
    def state(self):
        if any(a["tamper"] == "none" and a["status"] is not None and 200 <= a["status"] < 300
               for a in self.attempts):
            return "delivered"
        return "failed" if self.attempts else "pending"

    def export(self):
        return {"endpoint": self.endpoint.id, "url": self.endpoint.url, "delivery": self.endpoint.delivery,
                "state": self.state, "attempts": list(self.attempts)}


class Event:
    def __init__(self, account, type, session, request_info):
        self.account = account
        self.id = random_id("evt_", 24)
        self.type = type
        self.session_id = session.id
        endpoints = [e for e in account.endpoints if e.wants(type)]
        self.object = {
            "id": self.id,
            "object": "event",
            "api_version": account.api_version,
            "created": account.now(),
            "data": {"object": session.export()},
            "livemode": False,
            "pending_webhooks": len(endpoints),
            "request": request_info or {"id": None, "idempotency_key": None},
            "type": type,
        }
        # The exact bytes every delivery sends (and signs).
        self.body = dumps(self.object).encode("utf-8")
        self.deliveries = [Delivery(e) for e in endpoints]

    def export_api(self):
        obj = json.loads(self.body)
        obj["pending_webhooks"] = sum(1 for d in self.deliveries if d.state != "delivered")
        return obj

    def export_fake(self):
        return {"id": self.id, "type": self.type, "created": self.object["created"], "session": self.session_id,
                "event": self.export_api(), "deliveries": [d.export() for d in self.deliveries]}


def emit(account, type, session, request_info=None):
    event = Event(account, type, session, request_info)
    account.events.append(event)
    account.events_by_id[event.id] = event
    for delivery in event.deliveries:
        if delivery.endpoint.delivery == "auto":
            delivery.endpoint.queue.put_nowait((event, delivery))
    return event


async def wait_auto_deliveries(events, timeout=AUTO_DELIVERY_WAIT_SECONDS):
    waits = [d.first_attempt.wait() for e in events for d in e.deliveries if d.endpoint.delivery == "auto"]
    if waits:
        try:
            await asyncio.wait_for(asyncio.gather(*waits), timeout)
        except asyncio.TimeoutError:
            pass


def tampered_body(body):
    event = json.loads(body)
    obj = event.get("data", {}).get("object", {})
    if isinstance(obj.get("amount_total"), int):
        obj["amount_total"] += 100
    obj["payment_status"] = "paid"
    changed = dumps(event).encode("utf-8")
    return changed if changed != body else body + b" "


def signature_header(secret, timestamp, body):
    signed = str(timestamp).encode("ascii") + b"." + body
    return f"t={timestamp},v1={hmac.new(secret.encode('utf-8'), signed, hashlib.sha256).hexdigest()}"


async def attempt(event, delivery, tamper):
    endpoint = delivery.endpoint
    timestamp = event.account.now() - (600 if tamper == "stale" else 0)
    secret = endpoint.secret + ("_not_the_secret" if tamper == "signature" else "")
    header = signature_header(secret, timestamp, event.body)
    body = tampered_body(event.body) if tamper == "body" else event.body
    record = {"at": event.account.now(), "tamper": tamper, "signature": header, "status": None, "error": None,
              "response": None}
    try:
        async with HTTP.post(endpoint.url, data=body, allow_redirects=False,
                             timeout=ClientTimeout(total=WEBHOOK_TIMEOUT_SECONDS),
                             headers={"Content-Type": "application/json; charset=utf-8",
                                      "Stripe-Signature": header,
                                      "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                                      "Cache-Control": "no-cache",
                                      "Accept": "*/*; q=0.5, application/xml"}) as response:
            record["status"] = response.status
            record["response"] = (await response.text(errors="replace"))[:2000]
    except asyncio.TimeoutError:
        record["error"] = f"timed out after {WEBHOOK_TIMEOUT_SECONDS:g} s"
    except Exception as e:
        record["error"] = f"{type(e).__name__}: {e}"
    delivery.attempts.append(record)
    return record


# ---------------------------------------------------------------------------
# The /v1 layers: auth, request log, faults, holds, idempotency
# ---------------------------------------------------------------------------

class Hold:
    def __init__(self, account, method, path_prefix, stage):
        self.id = random_id("hold_", 16)
        self.account = account
        self.method = method
        self.path_prefix = path_prefix
        self.stage = stage
        self.waiting = []     # futures of the requests held now
        self.arrived = 0
        self.released = 0

    def matches(self, method, path, stage):
        return stage == self.stage and self.method in ("*", method) and path.startswith(self.path_prefix)

    def export(self):
        return {"id": self.id, "method": self.method, "path_prefix": self.path_prefix, "stage": self.stage,
                "held": len(self.waiting), "arrived": self.arrived, "released": self.released,
                "active": self in self.account.holds}


class Fault:
    def __init__(self, method, path_prefix, times, status, drop, stage, body):
        self.id = random_id("fault_", 16)
        self.method = method
        self.path_prefix = path_prefix
        self.remaining = times
        self.status = status
        self.drop = drop
        self.stage = stage
        self.body = body

    def matches(self, method, path, stage):
        return (self.remaining > 0 and stage == self.stage and self.method in ("*", method)
                and path.startswith(self.path_prefix))

    def export(self):
        return {"id": self.id, "method": self.method, "path_prefix": self.path_prefix,
                "remaining": self.remaining, "status": self.status, "drop": self.drop, "stage": self.stage}


async def hold_point(account, request, stage):
    for hold in list(account.holds):
        if hold.matches(request.method, request.path, stage):
            future = asyncio.get_running_loop().create_future()
            hold.waiting.append(future)
            hold.arrived += 1
            async with account.hold_changed:
                account.hold_changed.notify_all()
            try:
                await future
            finally:
                if future in hold.waiting:
                    hold.waiting.remove(future)


def take_fault(account, request, stage):
    for fault in account.faults:
        if fault.matches(request.method, request.path, stage):
            fault.remaining -= 1
            if fault.remaining <= 0:
                account.faults.remove(fault)
            return fault
    return None


def fault_response(request, fault, entry):
    entry["fault"] = True
    if fault.drop:
        entry["dropped"] = True
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)
    body = fault.body or {"error": {"message": "An unknown error occurred (injected by the Stripe fake).",
                                    "type": "api_error"}}
    return json_response(body, status=fault.status)


def localstripe_error(e, request):
    body = dict(e.body.get("error", {}))
    body.setdefault("type", "invalid_request_error")
    if e.code == 404 and request.match_info.get("id"):
        kind = object_kind(request.path)
        body.update(message=f"No such {kind}: '{request.match_info['id']}'", code="resource_missing", param="id",
                    doc_url="https://stripe.com/docs/error-codes/resource-missing")
    elif "message" not in body:
        body["message"] = "Bad request"
    return json_response({"error": body}, status=e.code)


def object_kind(path):
    parts = path.split("/")
    kind = parts[2] if len(parts) > 2 else "object"
    return kind[:-1] if kind.endswith("s") else kind


async def run_handler(request, handler):
    try:
        return await handler(request)
    except StripeError as e:
        return e.response()
    except UserError as e:
        return localstripe_error(e, request)
    except web.HTTPException as e:
        if e.status in (404, 405):
            return StripeError(404, f"Unrecognized request URL ({request.method}: {request.path}). Please see "
                                    f"https://stripe.com/docs or we can help at https://support.stripe.com/.").response()
        raise
    except Exception:
        traceback.print_exc()
        return StripeError(500, "An unknown error occurred in the Stripe fake.", type="api_error").response()


def fingerprint(request, body):
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return request.path, sorted(pairs, key=lambda kv: kv[0])


class IdempotencyRecord:
    def __init__(self, request_path, params, at):
        self.path = request_path
        self.params = params
        self.at = at
        self.response = None  # (status, body bytes, request id) once finished

    @property
    def in_flight(self):
        return self.response is None


def storable(status):
    # Stripe saves a result once the endpoint began executing: successes,
    # card errors and server errors; not validation errors or conflicts.
    return 200 <= status < 300 or status == 402 or status >= 500


@web.middleware
async def api_layer(request, handler):
    if not request.path.startswith("/v1/") and request.path != "/v1":
        return await handler(request)
    request_id = random_id("req_", 14)
    try:
        key = api_key(request)
    except StripeError as e:
        response = e.response()
        response.headers["Request-Id"] = request_id
        return response
    account = account_for(key)
    if request.headers.get("Stripe-Version"):
        account.api_version = request.headers["Stripe-Version"]
    body = await request.read()
    idempotency_key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    entry = {"seq": len(account.log) + 1, "at": account.now(), "method": request.method, "path": request.path,
             "query": request.query_string, "idempotency_key": idempotency_key, "replayed": False,
             "status": None, "fault": False, "dropped": False, "request_id": request_id,
             "params": [list(kv) for kv in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)]}
    account.log.append(entry)
    request["account"] = account
    request["request_id"] = request_id
    request["idempotency_key"] = idempotency_key

    response = await layered(request, handler, account, entry, body, idempotency_key)
    if not entry["dropped"]:
        entry["status"] = response.status
        response.headers["Request-Id"] = response.headers.get("Request-Id", request_id)
        response.headers["Stripe-Version"] = account.api_version
        if idempotency_key is not None:
            response.headers["Idempotency-Key"] = idempotency_key
    return response


async def layered(request, handler, account, entry, body, idempotency_key):
    fault = take_fault(account, request, "request")
    if fault:
        return fault_response(request, fault, entry)
    await hold_point(account, request, "request")

    if idempotency_key is None:
        response = await run_handler(request, handler)
        await hold_point(account, request, "response")
    else:
        if len(idempotency_key) > 255:
            return StripeError(400, "Invalid Idempotency-Key: it must be at most 255 characters long.",
                               type="idempotency_error").response()
        path, params = fingerprint(request, body)
        record = account.idempotency.get(idempotency_key)
        if record is not None and record.at + IDEMPOTENCY_KEY_LIFETIME <= account.now() and not record.in_flight:
            record = None
        if record is not None:
            if record.in_flight:
                return StripeError(
                    409, f"There is currently another in-progress request using this Idempotent Key (that "
                         f"probably means you submitted twice, and the other request is still going through): "
                         f"{idempotency_key}. Please try again later.",
                    type="idempotency_error", code="idempotency_key_in_use").response()
            if record.path != path:
                return StripeError(
                    400, f"Keys for idempotent requests can only be used for the same endpoint they were first "
                         f"used for ('{record.path}' vs '{path}'). Try using a key other than "
                         f"'{idempotency_key}' if you meant to execute a different request.",
                    type="idempotency_error").response()
            if record.params != params:
                return StripeError(
                    400, f"Keys for idempotent requests can only be used with the same parameters they were "
                         f"first used with. Try using a key other than '{idempotency_key}' if you meant to "
                         f"execute a different request.", type="idempotency_error").response()
            status, stored_body, original_id = record.response
            entry["replayed"] = True
            return web.Response(body=stored_body, status=status, content_type="application/json",
                                headers={"Idempotent-Replayed": "true", "Original-Request": original_id,
                                         "Request-Id": original_id})
        record = account.idempotency[idempotency_key] = IdempotencyRecord(path, params, account.now())
        try:
            response = await run_handler(request, handler)
            await hold_point(account, request, "response")
        except BaseException:
            account.idempotency.pop(idempotency_key, None)
            raise
        if storable(response.status):
            record.response = (response.status, response.body, request["request_id"])
        else:
            account.idempotency.pop(idempotency_key, None)

    fault = take_fault(account, request, "response")
    if fault:
        return fault_response(request, fault, entry)
    return response


@web.middleware
async def scope_layer(request, handler):
    """Keeps localstripe's global objects to the account that made them."""
    if not request.path.startswith("/v1/") or getattr(handler, "ours", False) or "account" not in request:
        return await handler(request)
    account = request["account"]
    for name in ("id", "source_id"):
        id = request.match_info.get(name)
        if id is not None and OWNER.get(id) not in (None, account.key):
            raise UserError(404, "Not Found")
    response = await handler(request)
    if response.status < 400 and getattr(response, "body", None):
        try:
            obj = json.loads(response.body)
        except ValueError:
            return response
        obj = scope_json(obj, account, request)
        response = json_response(obj, status=response.status)
    return response


def scope_json(obj, account, request):
    expand = parse_form(parse_qsl(request.query_string, keep_blank_values=True)).get("expand", [])
    if obj.get("object") == "list":
        obj["data"] = [item for item in obj.get("data", []) if OWNER.get(item.get("id")) == account.key]
        obj["data"] = [fix_object(item, []) for item in obj["data"]]
        return obj

    def claim(node):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and node.get("object") not in (None, "list", "event"):
                OWNER.setdefault(node["id"], account.key)
            for value in node.values():
                claim(value)
        elif isinstance(node, list):
            for value in node:
                claim(value)

    claim(obj)
    return fix_object(obj, expand if isinstance(expand, list) else [])


def fix_object(obj, expand):
    if obj.get("object") == "payment_intent":
        obj.pop("charges", None)
        charge = obj.get("latest_charge")
        if isinstance(charge, dict) and "latest_charge" not in expand:
            obj["latest_charge"] = charge["id"]
    if obj.get("object") == "refund":
        obj.pop("date", None)
    return obj


# ---------------------------------------------------------------------------
# /v1 routes of our own
# ---------------------------------------------------------------------------

def ours(f):
    f.ours = True
    return f


async def form_params(request):
    body = await request.read()
    return parse_form(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def query_params(request):
    return parse_form(parse_qsl(request.query_string, keep_blank_values=True))


def request_info(request):
    return {"id": request["request_id"], "idempotency_key": request["idempotency_key"]}


@ours
async def create_session(request):
    account = request["account"]
    session, expand = session_from_params(account, await form_params(request))
    obj = session.export(expand)  # expand errors before anything is kept
    account.sessions[session.id] = session
    SESSIONS[session.id] = (account, session)
    return json_response(obj)


@ours
async def retrieve_session(request):
    account = request["account"]
    params = query_params(request)
    s = find_session(account, request.match_info["id"])
    return json_response(s.export(expand_param(params)))


@ours
async def list_sessions(request):
    account = request["account"]
    params = query_params(request)
    only_keys(params, {"limit", "starting_after", "ending_before", "status", "payment_intent",
                       "customer_details", "created", "customer", "expand", "payment_link", "subscription"}, "")
    sweep_expired(account)
    sessions = sorted(account.sessions.values(), key=lambda s: s.created, reverse=True)
    if "status" in params:
        sessions = [s for s in sessions if s.status == params["status"]]
    if "payment_intent" in params:
        sessions = [s for s in sessions if s.payment_intent == params["payment_intent"]]
    return json_response(paginate([s.export() for s in sessions], params, "/v1/checkout/sessions"))


def paginate(items, params, url):
    limit = as_int(params.get("limit", "10"), "limit", minimum=1, maximum=100)
    if "starting_after" in params:
        ids = [item["id"] for item in items]
        if params["starting_after"] in ids:
            items = items[ids.index(params["starting_after"]) + 1:]
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": url}


@ours
async def session_line_items(request):
    account = request["account"]
    params = query_params(request)
    s = find_session(account, request.match_info["id"])
    return json_response(paginate(s.line_items_list()["data"], params,
                                  f"/v1/checkout/sessions/{s.id}/line_items"))


@ours
async def expire_session_api(request):
    account = request["account"]
    params = await form_params(request)
    only_keys(params, {"expand"}, "")
    s = find_session(account, request.match_info["id"])
    if s.status != "open":
        raise StripeError(400, f"Only Checkout Sessions with a status in [\"open\"] can be expired. This "
                               f"Checkout Session has a status of \"{s.status}\".")
    expire_session(account, s, request_info(request))
    return json_response(s.export(expand_param(params)))


REFUND_PARAMS = {"amount", "charge", "currency", "customer", "expand", "instructions_email", "metadata",
                 "origin", "payment_intent", "reason", "refund_application_fee", "reverse_transfer"}


@ours
async def create_refund(request):
    account = request["account"]
    p = await form_params(request)
    only_keys(p, REFUND_PARAMS, "")
    if "payment_intent" in p and "charge" in p:
        raise StripeError(400, "You can only specify one of `charge` or `payment_intent`.", param="payment_intent")
    if "payment_intent" in p:
        pi_id = as_str(p["payment_intent"], "payment_intent", required=True)
        pi = lookup(account, ls.PaymentIntent, pi_id)
        if pi is None:
            raise no_such("payment_intent", pi_id, "payment_intent")
        charge = pi.latest_charge
        if charge is None or pi.status != "succeeded":
            raise StripeError(400, f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                              param="payment_intent")
    elif "charge" in p:
        charge_id = as_str(p["charge"], "charge", required=True)
        charge = lookup(account, ls.Charge, charge_id)
        if charge is None:
            raise no_such("charge", charge_id, "charge")
        if charge.status != "succeeded":
            raise StripeError(400, "Cannot refund a failed or pending payment.", param="charge")
    else:
        raise StripeError(400, "One of the following params should be provided for this request: "
                               "payment_intent or charge.", param="payment_intent")
    metadata = as_metadata(p.get("metadata", {}), "metadata")
    reason = p.get("reason")
    if reason is not None and reason not in ("duplicate", "fraudulent", "requested_by_customer"):
        raise StripeError(400, "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
                          param="reason")
    remaining = charge.amount - charge.amount_refunded
    if remaining <= 0:
        raise StripeError(400, f"Charge {charge.id} has already been refunded.", code="charge_already_refunded")
    amount = remaining
    if "amount" in p:
        amount = as_int(p["amount"], "amount", minimum=1)
        if amount > remaining:
            raise StripeError(
                400, f"Refund amount ({money(amount, charge.currency)}) is greater than unrefunded amount on "
                     f"charge ({money(remaining, charge.currency)})", code="amount_too_large", param="amount")
    expand = expand_param(p)
    refund = account.own(ls.Refund(charge=charge.id, amount=amount, metadata=metadata))
    OWNER[refund.balance_transaction] = account.key
    refund.payment_intent = charge.payment_intent
    refund.reason = reason
    return json_response(apply_expand(export_refund(refund), expand))


@ours
async def retrieve_refund(request):
    account = request["account"]
    refund = lookup(account, ls.Refund, request.match_info["id"])
    if refund is None:
        raise no_such("refund", request.match_info["id"], "id", 404)
    return json_response(apply_expand(export_refund(refund), expand_param(query_params(request))))


@ours
async def list_refunds(request):
    account = request["account"]
    params = query_params(request)
    refunds = [obj for key, obj in ls.store.items()
               if key.startswith("refund:") and OWNER.get(obj.id) == account.key]
    if "payment_intent" in params:
        refunds = [r for r in refunds if r.payment_intent == params["payment_intent"]]
    if "charge" in params:
        refunds = [r for r in refunds if r.charge == params["charge"]]
    refunds.sort(key=lambda r: r.created, reverse=True)
    return json_response(paginate([export_refund(r) for r in refunds], params, "/v1/refunds"))


def lookup(account, cls, id):
    try:
        obj = cls._api_retrieve(id)
    except UserError:
        return None
    return obj if OWNER.get(obj.id) == account.key else None


@ours
async def retrieve_event(request):
    account = request["account"]
    event = account.events_by_id.get(request.match_info["id"])
    if event is None:
        raise no_such("event", request.match_info["id"], "id", 404)
    return json_response(event.export_api())


@ours
async def list_events(request):
    account = request["account"]
    params = query_params(request)
    events = list(reversed(account.events))
    if "type" in params:
        wanted = params["type"]
        if wanted.endswith(".*"):
            events = [e for e in events if e.type.startswith(wanted[:-1])]
        else:
            events = [e for e in events if e.type == wanted]
    return json_response(paginate([e.export_api() for e in events], params, "/v1/events"))


# ---------------------------------------------------------------------------
# The hosted payment page
# ---------------------------------------------------------------------------

PAGE_STYLE = """
body { font-family: system-ui, sans-serif; background: #f6f8fa; color: #1a1f36; margin: 0; }
main { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px;
       box-shadow: 0 1px 3px rgba(0,0,0,.15); }
table { width: 100%; border-collapse: collapse; margin-bottom: 1rem; }
td { padding: .3rem 0; } td.amount { text-align: right; }
tr.total td { border-top: 1px solid #ccc; font-weight: bold; }
label { display: block; margin-top: .8rem; font-size: .9rem; }
input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
button { margin-top: 1.2rem; width: 100%; padding: .7rem; font-size: 1rem; background: #635bff; color: #fff;
         border: 0; border-radius: 4px; }
.error { background: #fdecea; color: #8a1c1c; padding: .6rem; border-radius: 4px; }
.test { font-size: .8rem; color: #697386; }
"""


def page(title, body, status=200):
    text = (f"<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
    # Chrome applies form-action to the redirect after a post too: the pay
    # form's 303 goes to the shop's success URL, on the shop's origin (any
    # local port).
    return web.Response(text=text, status=status, content_type="text/html",
                        headers={"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; "
                                 "style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*"})


def checkout_page(s, error=None, values=None, status=200):
    e = html.escape
    values = values or {}
    rows = "".join(
        f"<tr><td>{e(item['description'])} × {item['quantity']}</td>"
        f"<td class=\"amount\">{e(money(item['amount_total'], item['currency']))}</td></tr>\n"
        for item in s.line_items)
    total = money(s.amount_total, s.currency)
    error_html = f"<p class=\"error\" role=\"alert\" id=\"error\">{e(error)}</p>\n" if error else ""
    email = values.get("email", s.customer_email or "")
    back = (f"<p><a href=\"{e(s.cancel_url)}\">Back</a></p>\n" if s.cancel_url else "")
    body = (
        f"<p class=\"test\">TEST MODE — Stripe fake</p>\n"
        f"<h1>Pay {e(total)}</h1>\n"
        f"<table>\n{rows}<tr class=\"total\"><td>Total due</td><td class=\"amount\" id=\"total\">{e(total)}</td>"
        f"</tr>\n</table>\n{error_html}"
        f"<form method=\"post\" action=\"/c/pay/{e(s.id)}\">\n"
        f"<label for=\"email\">Email</label>\n"
        f"<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" value=\"{e(email)}\">\n"
        f"<label for=\"cardnumber\">Card number</label>\n"
        f"<input id=\"cardnumber\" name=\"cardnumber\" inputmode=\"numeric\" autocomplete=\"cc-number\" "
        f"placeholder=\"1234 1234 1234 1234\" value=\"{e(values.get('cardnumber', ''))}\">\n"
        f"<label for=\"expiry\">Expiry</label>\n"
        f"<input id=\"expiry\" name=\"expiry\" inputmode=\"numeric\" autocomplete=\"cc-exp\" placeholder=\"MM / YY\" "
        f"value=\"{e(values.get('expiry', ''))}\">\n"
        f"<label for=\"cvc\">CVC</label>\n"
        f"<input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" placeholder=\"CVC\">\n"
        f"<button type=\"submit\">Pay</button>\n"
        f"</form>\n{back}")
    return page(f"Pay {total}", body, status)


def unavailable_page(s, status):
    e = html.escape
    if s.status == "expired":
        text = "This checkout session has expired. No payment was taken."
        title = "Session expired"
    else:
        text = "This checkout session is already complete."
        title = "Already paid" if s.payment_status == "paid" else "Session complete"
    back = f"<p><a href=\"{e(s.cancel_url)}\">Back</a></p>\n" if s.cancel_url and s.status == "expired" else ""
    return page(title, f"<h1>{e(title)}</h1>\n<p id=\"status\">{e(text)}</p>\n{back}", status)


async def pay_page(request):
    found = SESSIONS.get(request.match_info["id"])
    if found is None:
        return page("Not found", "<h1>Not found</h1>\n<p>There is no checkout session here.</p>", 404)
    account, s = found
    expire_if_due(account, s)
    if s.status != "open":
        return unavailable_page(s, 200)
    return checkout_page(s)


async def pay_submit(request):
    found = SESSIONS.get(request.match_info["id"])
    if found is None:
        return page("Not found", "<h1>Not found</h1>\n<p>There is no checkout session here.</p>", 404)
    account, s = found
    form = await request.post()
    values = {k: form.get(k, "") for k in ("email", "cardnumber", "expiry", "cvc")}
    result, events = pay_session(account, s, values["cardnumber"], values["expiry"], values["cvc"],
                                 values["email"])
    if result["outcome"] == "paid":
        await wait_auto_deliveries(events)
        return web.Response(status=303, headers={"Location": result["redirect"], "Cache-Control": "no-store"})
    if result["outcome"] == "unavailable":
        return unavailable_page(s, 409)
    if result["outcome"] == "invalid":
        return checkout_page(s, result["message"], values, 400)
    return checkout_page(s, result["message"], values, 402)


# ---------------------------------------------------------------------------
# The control API (/_fake/...)
# ---------------------------------------------------------------------------

def control(f):
    async def wrapped(request):
        try:
            account = account_for(api_key(request))
        except StripeError as e:
            return json_response({"error": e.body["message"]}, status=401)
        try:
            if request.can_read_body:
                raw = await request.read()
                body = json.loads(raw) if raw.strip() else {}
            else:
                body = {}
            if not isinstance(body, dict):
                raise FakeError(400, "the body must be a JSON object")
            result = await f(request, account, body)
        except FakeError as e:
            return json_response({"error": e.message}, status=e.status)
        except StripeError as e:
            return json_response({"error": e.body["message"]}, status=e.status)
        except ValueError as e:
            return json_response({"error": f"bad JSON: {e}"}, status=400)
        if isinstance(result, web.Response):
            return result
        return json_response(result)
    return wrapped


def fake_session(account, id):
    s = account.sessions.get(id)
    if s is None:
        raise FakeError(404, f"no checkout session {id} in this account")
    expire_if_due(account, s)
    return s


def choice(body, name, allowed, default):
    value = body.get(name, default)
    if value not in allowed:
        raise FakeError(400, f"{name} must be one of {', '.join(allowed)}")
    return value


@control
async def c_add_endpoint(request, account, body):
    url = body.get("url")
    secret = body.get("secret")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        raise FakeError(400, "url must be an http(s) URL")
    if not isinstance(secret, str) or not secret:
        raise FakeError(400, "secret is required (whsec_...)")
    delivery = choice(body, "delivery", ("auto", "queued"), "auto")
    events = body.get("enabled_events", ["*"])
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise FakeError(400, "enabled_events must be a list of event types")
    endpoint = Endpoint(account, url, secret, delivery, events)
    account.endpoints.append(endpoint)
    return endpoint.export()


@control
async def c_list_endpoints(request, account, body):
    return {"data": [e.export() for e in account.endpoints]}


@control
async def c_delete_endpoint(request, account, body):
    for e in account.endpoints:
        if e.id == request.match_info["id"]:
            account.endpoints.remove(e)
            if e.worker is not None:
                e.worker.cancel()
            return e.export()
    raise FakeError(404, "no such endpoint")


@control
async def c_list_events(request, account, body):
    session = request.query.get("session")
    events = [e for e in account.events if session is None or e.session_id == session]
    return {"data": [e.export_fake() for e in events]}


def find_delivery(account, event_id, endpoint_id):
    event = account.events_by_id.get(event_id)
    if event is None:
        raise FakeError(404, f"no event {event_id} in this account")
    deliveries = [d for d in event.deliveries if endpoint_id in (None, d.endpoint.id)]
    if not deliveries:
        raise FakeError(404, "the event has no delivery to that endpoint" if endpoint_id
                        else "no webhook endpoint was registered when the event happened")
    if len(deliveries) > 1:
        queued = [d for d in deliveries if d.endpoint.delivery == "queued"]
        if len(queued) != 1:
            raise FakeError(400, "the event goes to several endpoints: name one (endpoint)")
        deliveries = queued
    return event, deliveries[0]


@control
async def c_deliver(request, account, body):
    tamper = choice(body, "tamper", ("none", "body", "signature", "stale"), "none")
    event, delivery = find_delivery(account, request.match_info["id"], body.get("endpoint"))
    record = await attempt(event, delivery, tamper)
    return dict(record, event=event.id, endpoint=delivery.endpoint.id)


@control
async def c_deliver_pending(request, account, body):
    session = body.get("session")
    results = []
    for event in list(account.events):
        if session is not None and event.session_id != session:
            continue
        for delivery in event.deliveries:
            if delivery.endpoint.delivery == "queued" and delivery.state == "pending":
                record = await attempt(event, delivery, "none")
                results.append(dict(record, event=event.id, type=event.type, endpoint=delivery.endpoint.id))
    return {"data": results}


@control
async def c_session(request, account, body):
    return fake_session(account, request.match_info["id"]).export(body.get("expand", []))


@control
async def c_pay(request, account, body):
    s = fake_session(account, request.match_info["id"])
    card = str(body.get("card", "4242424242424242"))
    result, events = pay_session(account, s, card, str(body.get("expiry", "12/34")), str(body.get("cvc", "123")),
                                 body.get("email"))
    await wait_auto_deliveries(events)
    return result


@control
async def c_complete_unpaid(request, account, body):
    s = fake_session(account, request.match_info["id"])
    await wait_auto_deliveries(complete_unpaid(account, s))
    return s.export()


@control
async def c_async_payment(request, account, body):
    s = fake_session(account, request.match_info["id"])
    outcome = choice(body, "outcome", ("succeeded", "failed"), None)
    await wait_auto_deliveries(settle_async(account, s, outcome == "succeeded"))
    return s.export()


@control
async def c_expire(request, account, body):
    s = fake_session(account, request.match_info["id"])
    if s.status != "open":
        raise FakeError(409, f"the session is {s.status}, not open")
    await wait_auto_deliveries([expire_session(account, s)])
    return s.export()


@control
async def c_requests(request, account, body):
    return {"data": list(account.log)}


@control
async def c_clear_requests(request, account, body):
    account.log.clear()
    return {"data": []}


def method_and_prefix(body):
    method = str(body.get("method", "*")).upper()
    prefix = body.get("path_prefix")
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise FakeError(400, "path_prefix must be a path starting with /")
    stage = choice(body, "stage", ("request", "response"), "request")
    return method, prefix, stage


@control
async def c_add_hold(request, account, body):
    method, prefix, stage = method_and_prefix(body)
    hold = Hold(account, method, prefix, stage)
    account.holds.append(hold)
    return hold.export()


def find_hold(account, id):
    for hold in account.holds:
        if hold.id == id:
            return hold
    raise FakeError(404, f"no active hold {id}")


@control
async def c_hold(request, account, body):
    return find_hold(account, request.match_info["id"]).export()


@control
async def c_wait_hold(request, account, body):
    hold = find_hold(account, request.match_info["id"])
    count = body.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise FakeError(400, "count must be a positive integer")
    if not isinstance(body.get("timeout_ms", 10000), int):
        raise FakeError(400, "timeout_ms must be an integer")
    timeout = body.get("timeout_ms", 10000) / 1000
    try:
        async with account.hold_changed:
            await asyncio.wait_for(account.hold_changed.wait_for(lambda: len(hold.waiting) >= count), timeout)
    except asyncio.TimeoutError:
        return json_response(dict(hold.export(), error=f"fewer than {count} requests held after {timeout:g} s"),
                             status=408)
    return hold.export()


@control
async def c_release_hold(request, account, body):
    hold = find_hold(account, request.match_info["id"])
    count = body.get("count")
    if count is None:
        account.holds.remove(hold)
        releasing = list(hold.waiting)
    else:
        if not isinstance(count, int) or count < 1:
            raise FakeError(400, "count must be a positive integer")
        releasing = hold.waiting[:count]
    for future in releasing:
        if future in hold.waiting:
            hold.waiting.remove(future)
        if not future.done():
            future.set_result(None)
    hold.released += len(releasing)
    return dict(hold.export(), released_now=len(releasing))


@control
async def c_add_fault(request, account, body):
    method, prefix, stage = method_and_prefix(body)
    times = body.get("times", 1)
    if not isinstance(times, int) or times < 1:
        raise FakeError(400, "times must be a positive integer")
    drop = bool(body.get("drop", False))
    status = body.get("status", 500)
    if not drop and (not isinstance(status, int) or not 100 <= status <= 599):
        raise FakeError(400, "status must be an HTTP status code")
    error_body = body.get("body")
    if error_body is not None and not isinstance(error_body, dict):
        raise FakeError(400, "body must be a JSON object")
    fault = Fault(method, prefix, times, status, drop, stage, error_body)
    account.faults.append(fault)
    return fault.export()


@control
async def c_faults(request, account, body):
    return {"data": [f.export() for f in account.faults]}


@control
async def c_clock(request, account, body):
    if request.method == "POST":
        if body.get("real"):
            account.frozen_now, account.offset = None, 0
        if "now" in body:
            if not isinstance(body["now"], int):
                raise FakeError(400, "now must be unix seconds")
            account.frozen_now = body["now"]
        if "advance" in body:
            if not isinstance(body["advance"], int):
                raise FakeError(400, "advance must be seconds")
            if account.frozen_now is not None:
                account.frozen_now += body["advance"]
            else:
                account.offset += body["advance"]
        events_before = len(account.events)
        sweep_expired(account)
        await wait_auto_deliveries(account.events[events_before:])
    return {"now": account.now(), "frozen": account.frozen_now is not None}


async def health(request):
    return json_response({"ok": True})


async def index(request):
    return web.Response(text="Stripe fake (checkout-portal tests): /v1 is the API, /_fake the test controls.\n")


# ---------------------------------------------------------------------------
# The application
# ---------------------------------------------------------------------------

def make_app():
    app = web.Application(middlewares=[api_layer, scope_layer])
    r = app.router
    r.add_get("/", index)
    r.add_post("/v1/checkout/sessions", create_session)
    r.add_get("/v1/checkout/sessions", list_sessions)
    r.add_get("/v1/checkout/sessions/{id}", retrieve_session)
    r.add_get("/v1/checkout/sessions/{id}/line_items", session_line_items)
    r.add_post("/v1/checkout/sessions/{id}/expire", expire_session_api)
    r.add_post("/v1/refunds", create_refund)
    r.add_get("/v1/refunds", list_refunds)
    r.add_get("/v1/refunds/{id}", retrieve_refund)
    r.add_get("/v1/events", list_events)
    r.add_get("/v1/events/{id}", retrieve_event)
    r.add_get("/c/pay/{id}", pay_page)
    r.add_post("/c/pay/{id}", pay_submit)

    r.add_get("/_fake/health", health)
    r.add_post("/_fake/webhook_endpoints", c_add_endpoint)
    r.add_get("/_fake/webhook_endpoints", c_list_endpoints)
    r.add_delete("/_fake/webhook_endpoints/{id}", c_delete_endpoint)
    r.add_get("/_fake/events", c_list_events)
    r.add_post("/_fake/events/deliver_pending", c_deliver_pending)
    r.add_post("/_fake/events/{id}/deliver", c_deliver)
    r.add_get("/_fake/checkout/sessions/{id}", c_session)
    r.add_post("/_fake/checkout/sessions/{id}/pay", c_pay)
    r.add_post("/_fake/checkout/sessions/{id}/complete_unpaid", c_complete_unpaid)
    r.add_post("/_fake/checkout/sessions/{id}/async_payment", c_async_payment)
    r.add_post("/_fake/checkout/sessions/{id}/expire", c_expire)
    r.add_get("/_fake/requests", c_requests)
    r.add_delete("/_fake/requests", c_clear_requests)
    r.add_post("/_fake/holds", c_add_hold)
    r.add_get("/_fake/holds/{id}", c_hold)
    r.add_post("/_fake/holds/{id}/wait", c_wait_hold)
    r.add_post("/_fake/holds/{id}/release", c_release_hold)
    r.add_post("/_fake/faults", c_add_fault)
    r.add_get("/_fake/faults", c_faults)
    r.add_get("/_fake/clock", c_clock)
    r.add_post("/_fake/clock", c_clock)

    # Then localstripe's routes (ours first: the first match wins), without
    # its configuration and Stripe.js routes.
    taken = {(route.method, route.resource.canonical) for route in r.routes()}
    for route in ls_server.app.router.routes():
        path = route.resource.canonical
        if route.method == "HEAD" or not path.startswith("/v1/") or (route.method, path) in taken:
            continue
        r.add_route(route.method, path, route.handler)

    async def on_startup(app):
        global HTTP
        HTTP = ClientSession()
        app["sweeper"] = asyncio.ensure_future(sweeper())

    async def on_cleanup(app):
        app["sweeper"].cancel()
        await HTTP.close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


async def sweeper():
    """Expires sessions whose time has come, as Stripe does by itself."""
    while True:
        await asyncio.sleep(1)
        for account in list(ACCOUNTS.values()):
            try:
                sweep_expired(account)
            except Exception:
                traceback.print_exc()


def watch_stdin(loop, stop):
    def run():
        try:
            while sys.stdin.buffer.read(65536):
                pass
        except Exception:
            pass
        loop.call_soon_threadsafe(stop.set)
    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


async def main(args):
    global BASE_URL
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    mode = os.fstat(0).st_mode
    if not args.ignore_stdin and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        watch_stdin(loop, stop)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    port = sock.getsockname()[1]
    BASE_URL = f"http://127.0.0.1:{port}"

    app = make_app()
    if args.verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
        runner = web.AppRunner(app)
    else:
        runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()

    if args.webhook:
        if not args.webhook_secret or not args.account:
            sys.exit("--webhook needs --webhook-secret and --account")
        account = account_for(args.account)
        account.endpoints.append(Endpoint(account, args.webhook, args.webhook_secret, "auto", ["*"]))

    print(f"STRIPE_FAKE_LISTENING {BASE_URL}", flush=True)
    await stop.wait()
    # Held requests and webhook workers need no goodbye.
    sys.stdout.flush()
    os._exit(0)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="A Stripe fake for checkout-portal's tests (127.0.0.1 only).")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    parser.add_argument("--webhook", metavar="URL", help="register an auto-delivery webhook endpoint at start")
    parser.add_argument("--webhook-secret", metavar="WHSEC", help="its signing secret (whsec_...)")
    parser.add_argument("--account", metavar="SK_TEST", help="the secret key (account) it belongs to")
    parser.add_argument("--ignore-stdin", action="store_true",
                        help="keep running when standard input reaches end of file")
    parser.add_argument("--verbose", action="store_true", help="log every request to standard error")
    args = parser.parse_args(argv)
    if args.account is not None and not re.match(r"^sk_test_[A-Za-z0-9_]+$", args.account):
        parser.error("--account must be a secret test key, sk_test_...")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
