//! What Stripe answers, read leniently (unknown fields ignored) and mapped
//! strictly onto the provider contract. Only the fields the app uses are
//! declared; every one of them exists, with the same meaning, in the pinned
//! API version (`super::STRIPE_API_VERSION`).

use serde::Deserialize;

use super::amounts;
use super::parse_session_id;
use crate::server::payments::{CardSummary, PaymentState, ProviderError, SessionState, SessionStatus};

/// A field Stripe may return as an id or, when asked to `expand` it, as the object.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

impl<T: HasId> Expandable<T> {
    pub fn id(&self) -> &str {
        match self {
            Self::Id(id) => id,
            Self::Object(object) => object.id(),
        }
    }

    pub fn object(&self) -> Option<&T> {
        match self {
            Self::Id(_) => None,
            Self::Object(object) => Some(object),
        }
    }
}

pub trait HasId {
    fn id(&self) -> &str;
}

/// A Checkout Session (`object: "checkout.session"`).
#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub object: Option<String>,
    pub status: Option<String>,
    pub payment_status: Option<String>,
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    pub client_reference_id: Option<String>,
    pub payment_intent: Option<Expandable<PaymentIntent>>,
    pub url: Option<String>,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub status: Option<String>,
    pub latest_charge: Option<Expandable<Charge>>,
}

impl HasId for PaymentIntent {
    fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Charge {
    pub id: String,
    pub payment_method_details: Option<PaymentMethodDetails>,
}

impl HasId for Charge {
    fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct PaymentMethodDetails {
    pub card: Option<Card>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Card {
    pub brand: Option<String>,
    pub last4: Option<String>,
}

/// A Refund (`object: "refund"`).
#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub id: String,
    pub status: Option<String>,
}

/// `{"error": {...}}`, Stripe's error envelope.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ApiError,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<String>,
}

impl ApiError {
    /// `code` when Stripe gives one, else `type`.
    pub fn code_or_type(&self) -> Option<String> {
        self.code.clone().or_else(|| self.kind.clone()).filter(|c| is_code(c))
    }
}

/// Codes are short snake_case words; anything else is not passed on.
fn is_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 100 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

pub fn decode<'a, T: Deserialize<'a>>(body: &'a [u8], what: &str) -> Result<T, ProviderError> {
    serde_json::from_slice(body).map_err(|_| ProviderError::Malformed(format!("{what} could not be decoded")))
}

impl CheckoutSession {
    /// The session's id, checked to look like one.
    pub fn checked_id(&self) -> Result<&str, ProviderError> {
        if self.object.as_deref().is_some_and(|o| o != "checkout.session") {
            return Err(ProviderError::Malformed("the answer is not a checkout.session".into()));
        }
        parse_session_id(&self.id).ok_or_else(|| ProviderError::Malformed("the session id is not a Checkout Session id".into()))
    }

    /// A complete but unpaid session (a delayed method such as SEPA Debit)
    /// whose payment failed: its PaymentIntent went back to
    /// `requires_payment_method` (a failed attempt) or was `canceled`, and a
    /// complete session cannot be paid again. Only known when the
    /// PaymentIntent is expanded, as [`super::StripeProvider`] reads it;
    /// `processing` and `requires_action` (a voucher not paid yet) are still
    /// pending.
    pub fn payment_failed(&self) -> bool {
        self.status.as_deref() == Some("complete")
            && self.payment_status.as_deref() == Some("unpaid")
            && self
                .payment_intent
                .as_ref()
                .and_then(Expandable::object)
                .and_then(|pi| pi.status.as_deref())
                .is_some_and(|status| matches!(status, "requires_payment_method" | "canceled"))
    }

    pub fn to_state(&self) -> Result<SessionState, ProviderError> {
        let id = self.checked_id()?.to_owned();
        let status = match self.status.as_deref() {
            Some("open") => SessionStatus::Open,
            Some("complete") => SessionStatus::Complete,
            Some("expired") => SessionStatus::Expired,
            _ => return Err(ProviderError::Malformed("unknown or missing session status".into())),
        };
        let payment = match self.payment_status.as_deref() {
            Some("paid") => PaymentState::Paid,
            Some("unpaid") => PaymentState::Unpaid,
            Some("no_payment_required") => PaymentState::NoPaymentRequired,
            _ => return Err(ProviderError::Malformed("unknown or missing payment status".into())),
        };
        let currency = self
            .currency
            .as_deref()
            .and_then(|c| amounts::normalize_code(c).ok())
            .ok_or_else(|| ProviderError::Malformed("missing or invalid session currency".into()))?;
        let amount_total_minor = match (self.amount_total, amounts::iso_digits(&currency)) {
            (Some(amount), Ok(digits)) => amounts::from_stripe_amount(&currency, digits, amount).ok(),
            _ => None,
        };
        let payment_reference = self.payment_intent.as_ref().map(|pi| pi.id().to_owned()).filter(|id| is_object_id(id, "pi_"));
        let card = self
            .payment_intent
            .as_ref()
            .and_then(Expandable::object)
            .and_then(|pi| pi.latest_charge.as_ref())
            .and_then(Expandable::object)
            .and_then(|charge| charge.payment_method_details.as_ref())
            .and_then(|details| details.card.as_ref())
            .and_then(card_summary);
        Ok(SessionState {
            id,
            status,
            payment,
            amount_total_minor,
            currency,
            payment_reference,
            client_reference: self.client_reference_id.clone(),
            card,
            payment_failed: self.payment_failed(),
        })
    }
}

fn card_summary(card: &Card) -> Option<CardSummary> {
    let last4 = card.last4.as_deref().filter(|l| l.len() == 4 && l.bytes().all(|b| b.is_ascii_digit()))?;
    Some(CardSummary { brand: display_brand(card.brand.as_deref()), last4: last4.to_owned() })
}

/// Stripe's card brand codes (`payment_method_details.card.brand`: amex,
/// cartes_bancaires, diners, discover, eftpos_au, interac, jcb, link,
/// mastercard, unionpay, visa, unknown) as a shopper reads them.
pub fn display_brand(brand: Option<&str>) -> String {
    let name = match brand.unwrap_or("unknown") {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        "cartes_bancaires" => "Cartes Bancaires",
        "eftpos_au" => "Eftpos Australia",
        "interac" => "Interac",
        "link" => "Link",
        "girocard" => "Girocard",
        "unknown" | "" => "Card",
        other => {
            // A brand Stripe adds later: words, capitalised, no markup.
            let words: Vec<String> = other
                .split(['_', ' ', '-'])
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let w: String = w.chars().filter(|c| c.is_ascii_alphanumeric()).take(20).collect();
                    let mut chars = w.chars();
                    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
                })
                .filter(|w| !w.is_empty())
                .take(4)
                .collect();
            return if words.is_empty() { "Card".to_owned() } else { words.join(" ") };
        }
    };
    name.to_owned()
}

/// `prefix` + letters, digits and underscores, at most 255 bytes.
pub fn is_object_id(id: &str, prefix: &str) -> bool {
    id.len() > prefix.len()
        && id.len() <= 255
        && id.starts_with(prefix)
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
pub mod fixtures {
    //! Bodies shaped like the examples in Stripe's API reference
    //! (docs.stripe.com/api/checkout/sessions/object, /api/refunds/object,
    //! /api/errors), trimmed of fields irrelevant here but keeping enough
    //! of the rest to show unknown fields are ignored.

    pub const SESSION_OPEN: &str = r#"{
      "id": "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u",
      "object": "checkout.session",
      "adaptive_pricing": {"enabled": false},
      "after_expiration": null,
      "allow_promotion_codes": null,
      "amount_subtotal": 2198,
      "amount_total": 2198,
      "automatic_tax": {"enabled": false, "liability": null, "status": null},
      "billing_address_collection": null,
      "cancel_url": "https://portal.example/checkout/cancel",
      "client_reference_id": "att_01HZX3",
      "client_secret": null,
      "consent": null,
      "consent_collection": null,
      "created": 1764000000,
      "currency": "eur",
      "custom_fields": [],
      "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
      "customer": null,
      "customer_creation": "if_required",
      "customer_details": {"address": null, "email": "anna@example.com", "name": null, "phone": null, "tax_exempt": "none", "tax_ids": null},
      "customer_email": "anna@example.com",
      "expires_at": 1764003600,
      "invoice": null,
      "invoice_creation": {"enabled": false, "invoice_data": {}},
      "livemode": false,
      "locale": null,
      "metadata": {"attempt": "att_01HZX3"},
      "mode": "payment",
      "payment_intent": null,
      "payment_link": null,
      "payment_method_collection": "if_required",
      "payment_method_configuration_details": null,
      "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
      "payment_method_types": ["card"],
      "payment_status": "unpaid",
      "phone_number_collection": {"enabled": false},
      "recovered_from": null,
      "saved_payment_method_options": null,
      "setup_intent": null,
      "shipping_address_collection": null,
      "shipping_cost": null,
      "shipping_options": [],
      "status": "open",
      "submit_type": null,
      "subscription": null,
      "success_url": "https://portal.example/checkout/return?session_id={CHECKOUT_SESSION_ID}",
      "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
      "ui_mode": "hosted_page",
      "url": "https://checkout.stripe.com/c/pay/cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u#fidkdWxOYHwnPyd1blpxYHZxWjA0",
      "wallet_options": null
    }"#;

    pub const SESSION_COMPLETE_PAID: &str = r#"{
      "id": "cs_test_b1PAID",
      "object": "checkout.session",
      "amount_subtotal": 2198,
      "amount_total": 2198,
      "client_reference_id": "att_01HZX3",
      "created": 1764000000,
      "currency": "eur",
      "customer_details": {"email": "anna@example.com", "name": "Anna Example"},
      "expires_at": 1764003600,
      "livemode": false,
      "metadata": {"attempt": "att_01HZX3"},
      "mode": "payment",
      "payment_intent": {
        "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
        "object": "payment_intent",
        "amount": 2198,
        "amount_received": 2198,
        "currency": "eur",
        "latest_charge": {
          "id": "ch_3MtwBwLkdIwHu7ix28a3tqPa",
          "object": "charge",
          "amount": 2198,
          "amount_captured": 2198,
          "amount_refunded": 0,
          "captured": true,
          "currency": "eur",
          "paid": true,
          "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
          "payment_method": "pm_1MtwBwLkdIwHu7ixik1vVAVX",
          "payment_method_details": {
            "card": {
              "amount_authorized": 2198,
              "brand": "visa",
              "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
              "country": "US",
              "exp_month": 12,
              "exp_year": 2034,
              "fingerprint": "Xt5EWLLDS7FJjR1c",
              "funding": "credit",
              "last4": "4242",
              "network": "visa",
              "three_d_secure": null,
              "wallet": null
            },
            "type": "card"
          },
          "status": "succeeded"
        },
        "metadata": {"attempt": "att_01HZX3"},
        "status": "succeeded"
      },
      "payment_method_types": ["card"],
      "payment_status": "paid",
      "status": "complete",
      "url": null
    }"#;

    /// Complete, paid with a delayed method (SEPA Debit): not paid yet, the
    /// PaymentIntent not expanded.
    pub const SESSION_COMPLETE_UNPAID: &str = r#"{
      "id": "cs_test_c1SEPA",
      "object": "checkout.session",
      "amount_total": 2198,
      "client_reference_id": "att_01HZX4",
      "currency": "eur",
      "expires_at": 1764003600,
      "mode": "payment",
      "payment_intent": "pi_3MtwBwLkdIwHu7ix0SEPA000",
      "payment_method_types": ["card", "sepa_debit"],
      "payment_status": "unpaid",
      "status": "complete",
      "url": null
    }"#;

    /// The same, read with its PaymentIntent expanded after the debit failed.
    pub const SESSION_COMPLETE_PAYMENT_FAILED: &str = r#"{
      "id": "cs_test_c1SEPA",
      "object": "checkout.session",
      "amount_total": 2198,
      "client_reference_id": "att_01HZX4",
      "currency": "eur",
      "expires_at": 1764003600,
      "mode": "payment",
      "payment_intent": {
        "id": "pi_3MtwBwLkdIwHu7ix0SEPA000",
        "object": "payment_intent",
        "amount": 2198,
        "currency": "eur",
        "last_payment_error": {"code": "payment_method_customer_decline", "type": "card_error"},
        "latest_charge": {
          "id": "py_3MtwBwLkdIwHu7ix0SEPA000",
          "object": "charge",
          "failure_code": "insufficient_funds",
          "payment_method_details": {"sepa_debit": {"bank_code": "37040044", "country": "DE", "last4": "3000"}, "type": "sepa_debit"},
          "status": "failed"
        },
        "status": "requires_payment_method"
      },
      "payment_status": "unpaid",
      "status": "complete",
      "url": null
    }"#;

    pub const SESSION_EXPIRED: &str = r#"{
      "id": "cs_test_d1EXPIRED",
      "object": "checkout.session",
      "after_expiration": null,
      "amount_total": 500,
      "client_reference_id": null,
      "currency": "isk",
      "expires_at": 1764003600,
      "mode": "payment",
      "payment_intent": null,
      "payment_status": "unpaid",
      "recovered_from": null,
      "status": "expired",
      "url": null
    }"#;

    pub const REFUND: &str = r#"{
      "id": "re_1Nispe2eZvKYlo2Cd31jOCgZ",
      "object": "refund",
      "amount": 2198,
      "balance_transaction": "txn_1Nispe2eZvKYlo2CYezqFhEx",
      "charge": "ch_3MtwBwLkdIwHu7ix28a3tqPa",
      "created": 1692942318,
      "currency": "eur",
      "destination_details": {"card": {"reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund"}, "type": "card"},
      "metadata": {},
      "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
      "reason": null,
      "receipt_number": null,
      "source_transfer_reversal": null,
      "status": "succeeded",
      "transfer_reversal": null
    }"#;

    pub const ERROR_RESOURCE_MISSING: &str = r#"{
      "error": {
        "code": "resource_missing",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
        "message": "No such checkout.session: 'cs_test_nope'",
        "param": "session",
        "request_log_url": "https://dashboard.stripe.com/test/logs/req_1234?t=1764000000",
        "type": "invalid_request_error"
      }
    }"#;

    pub const ERROR_NOT_OPEN: &str = r#"{
      "error": {
        "message": "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of `complete`.",
        "request_log_url": "https://dashboard.stripe.com/test/logs/req_5678?t=1764000000",
        "type": "invalid_request_error"
      }
    }"#;

    pub const ERROR_API: &str = r#"{
      "error": {
        "message": "An unknown error occurred",
        "type": "api_error"
      }
    }"#;

    pub const ERROR_IDEMPOTENCY: &str = r#"{
      "error": {
        "message": "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'att_01HZX3' if you meant to execute a different request.",
        "type": "idempotency_error"
      }
    }"#;
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn session(json: &str) -> CheckoutSession {
        decode(json.as_bytes(), "session").unwrap()
    }

    #[test]
    fn open_unpaid_session() {
        let s = session(SESSION_OPEN);
        assert!(s.url.as_deref().unwrap().starts_with("https://checkout.stripe.com/c/pay/cs_test_"));
        assert_eq!(s.expires_at, Some(1_764_003_600));
        let state = s.to_state().unwrap();
        assert_eq!(
            state,
            SessionState {
                id: "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u".into(),
                status: SessionStatus::Open,
                payment: PaymentState::Unpaid,
                amount_total_minor: Some(2198),
                currency: "EUR".into(),
                payment_reference: None,
                client_reference: Some("att_01HZX3".into()),
                card: None,
                payment_failed: false,
            }
        );
    }

    #[test]
    fn complete_paid_session_with_expanded_charge() {
        let state = session(SESSION_COMPLETE_PAID).to_state().unwrap();
        assert_eq!(state.status, SessionStatus::Complete);
        assert_eq!(state.payment, PaymentState::Paid);
        assert_eq!(state.amount_total_minor, Some(2198));
        assert_eq!(state.payment_reference.as_deref(), Some("pi_3MtwBwLkdIwHu7ix28a3tqPa"));
        assert_eq!(state.card, Some(CardSummary { brand: "Visa".into(), last4: "4242".into() }));
    }

    #[test]
    fn complete_unpaid_session_with_plain_payment_intent_id() {
        let state = session(SESSION_COMPLETE_UNPAID).to_state().unwrap();
        assert_eq!(state.status, SessionStatus::Complete);
        assert_eq!(state.payment, PaymentState::Unpaid);
        assert_eq!(state.payment_reference.as_deref(), Some("pi_3MtwBwLkdIwHu7ix0SEPA000"));
        assert_eq!(state.card, None);
    }

    #[test]
    fn failed_delayed_payments_are_told_apart_from_pending_ones() {
        let failed = session(SESSION_COMPLETE_PAYMENT_FAILED);
        assert!(failed.payment_failed());
        let state = failed.to_state().unwrap();
        assert_eq!((state.status, state.payment), (SessionStatus::Complete, PaymentState::Unpaid));
        // A SEPA debit has no card.
        assert_eq!(state.card, None);
        assert_eq!(state.payment_reference.as_deref(), Some("pi_3MtwBwLkdIwHu7ix0SEPA000"));
        for pending in ["processing", "requires_action"] {
            let json = SESSION_COMPLETE_PAYMENT_FAILED.replace("\"status\": \"requires_payment_method\"", &format!("\"status\": \"{pending}\""));
            assert!(!session(&json).payment_failed(), "{pending}");
        }
        let canceled = SESSION_COMPLETE_PAYMENT_FAILED.replace("\"status\": \"requires_payment_method\"", "\"status\": \"canceled\"");
        assert!(session(&canceled).payment_failed());
        // Unknown without the expanded PaymentIntent; never for paid or open sessions.
        assert!(!session(SESSION_COMPLETE_UNPAID).payment_failed());
        assert!(!session(SESSION_COMPLETE_PAID).payment_failed());
        assert!(!session(SESSION_OPEN).payment_failed());
    }

    #[test]
    fn expired_session_converts_isk_back_to_whole_kronur() {
        let state = session(SESSION_EXPIRED).to_state().unwrap();
        assert_eq!(state.status, SessionStatus::Expired);
        assert_eq!(state.currency, "ISK");
        assert_eq!(state.amount_total_minor, Some(5));
        assert_eq!(state.client_reference, None);
    }

    #[test]
    fn amounts_that_do_not_convert_are_none() {
        let json = SESSION_EXPIRED.replace("\"amount_total\": 500", "\"amount_total\": 550");
        assert_eq!(session(&json).to_state().unwrap().amount_total_minor, None);
        let json = SESSION_EXPIRED.replace("\"amount_total\": 500", "\"amount_total\": null");
        assert_eq!(session(&json).to_state().unwrap().amount_total_minor, None);
        let json = SESSION_OPEN.replace("\"currency\": \"eur\"", "\"currency\": \"jpy\"");
        let state = session(&json).to_state().unwrap();
        assert_eq!((state.currency.as_str(), state.amount_total_minor), ("JPY", Some(2198)));
    }

    #[test]
    fn unknown_states_are_malformed() {
        for (from, to) in [
            ("\"status\": \"open\"", "\"status\": \"pending\""),
            ("\"status\": \"open\"", "\"status\": null"),
            ("\"payment_status\": \"unpaid\"", "\"payment_status\": \"partially_paid\""),
            ("\"currency\": \"eur\"", "\"currency\": null"),
            ("\"object\": \"checkout.session\"", "\"object\": \"payment_intent\""),
            ("\"id\": \"cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u\"", "\"id\": \"cs_../../v1/refunds\""),
        ] {
            let json = SESSION_OPEN.replace(from, to);
            assert!(matches!(session(&json).to_state(), Err(ProviderError::Malformed(_))), "{to}");
        }
        assert!(matches!(decode::<CheckoutSession>(b"<html>", "session"), Err(ProviderError::Malformed(_))));
    }

    #[test]
    fn card_details_need_four_digits() {
        let json = SESSION_COMPLETE_PAID.replace("\"last4\": \"4242\"", "\"last4\": null");
        assert_eq!(session(&json).to_state().unwrap().card, None);
        let json = SESSION_COMPLETE_PAID.replace("\"brand\": \"visa\"", "\"brand\": \"amex\"").replace("4242", "8431");
        assert_eq!(
            session(&json).to_state().unwrap().card,
            Some(CardSummary { brand: "American Express".into(), last4: "8431".into() })
        );
    }

    #[test]
    fn brands_read_nicely() {
        assert_eq!(display_brand(Some("visa")), "Visa");
        assert_eq!(display_brand(Some("mastercard")), "Mastercard");
        assert_eq!(display_brand(Some("amex")), "American Express");
        assert_eq!(display_brand(Some("diners")), "Diners Club");
        assert_eq!(display_brand(Some("cartes_bancaires")), "Cartes Bancaires");
        assert_eq!(display_brand(Some("eftpos_au")), "Eftpos Australia");
        assert_eq!(display_brand(Some("unknown")), "Card");
        assert_eq!(display_brand(None), "Card");
        assert_eq!(display_brand(Some("new_brand")), "New Brand");
        assert_eq!(display_brand(Some("<script>")), "Script");
        assert_eq!(display_brand(Some("__")), "Card");
    }

    #[test]
    fn refunds_and_errors_decode() {
        let refund: Refund = decode(REFUND.as_bytes(), "refund").unwrap();
        assert_eq!((refund.id.as_str(), refund.status.as_deref()), ("re_1Nispe2eZvKYlo2Cd31jOCgZ", Some("succeeded")));
        let error: ErrorEnvelope = decode(ERROR_RESOURCE_MISSING.as_bytes(), "error").unwrap();
        assert_eq!(error.error.code_or_type().as_deref(), Some("resource_missing"));
        let error: ErrorEnvelope = decode(ERROR_NOT_OPEN.as_bytes(), "error").unwrap();
        assert_eq!(error.error.code_or_type().as_deref(), Some("invalid_request_error"));
        let error: ErrorEnvelope = decode(ERROR_IDEMPOTENCY.as_bytes(), "error").unwrap();
        assert_eq!(error.error.code_or_type().as_deref(), Some("idempotency_error"));
        let weird = ApiError { kind: None, code: Some("has spaces <b>".into()) };
        assert_eq!(weird.code_or_type(), None);
    }

    #[test]
    fn object_ids() {
        assert!(is_object_id("pi_3MtwBwLkdIwHu7ix28a3tqPa", "pi_"));
        assert!(!is_object_id("pi_", "pi_"));
        assert!(!is_object_id("ch_1", "pi_"));
        assert!(!is_object_id("pi_1/refunds", "pi_"));
        assert!(!is_object_id(&format!("pi_{}", "a".repeat(253)), "pi_"));
    }
}
