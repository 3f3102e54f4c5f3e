//! The guest checkout as the pages see it: the shared view types, the typed
//! error and the `#[server]` functions. Prices and totals are computed on the
//! server only; the client never sends a price.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::api::{HttpStatus, TransportFailure};

/// One product on the catalogue page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub price: String,
    pub tax_rate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketLineView {
    pub product_id: i64,
    pub name: String,
    pub quantity: u32,
    /// The most of it this basket may hold (the quantity field's bound).
    pub max_quantity: u32,
    pub unit_price: String,
    pub tax_rate: String,
    pub amount: String,
}

/// A basket line whose product is no longer for sale: shown, not charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnavailableLineView {
    pub product_id: i64,
    pub name: String,
    pub quantity: u32,
}

/// The guest's details as typed, so a form can be shown again with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestDetails {
    pub name: String,
    pub email: String,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketView {
    pub lines: Vec<BasketLineView>,
    pub unavailable: Vec<UnavailableLineView>,
    pub item_count: u32,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub details: GuestDetails,
    /// Whether the saved details are complete and valid (payment may start).
    pub details_complete: bool,
    /// What must change before the basket can be paid, if anything.
    pub problem: Option<Rejection>,
    /// The total as priced for this view, `CODE:minor` (`EUR:3025`): the
    /// payment form sends it back, so a price changed in between is caught.
    pub priced_as: String,
}

/// A form field (or a REST query parameter) that can be invalid. Serialized
/// as its form name, which the REST envelope also gives as `PropertyName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Name,
    Email,
    Address,
    City,
    Postcode,
    Country,
    Password,
    /// `page` of the REST invoice list.
    Page,
    /// `size` of the REST invoice list.
    Size,
}

impl FieldName {
    /// The field's name in forms and in the REST envelope.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Address => "address",
            Self::City => "city",
            Self::Postcode => "postcode",
            Self::Country => "country",
            Self::Password => "password",
            Self::Page => "page",
            Self::Size => "size",
        }
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    /// Nothing was entered.
    Missing,
    /// Not in the form the field takes (an email address without a domain,
    /// a country not offered, a page that is not a number).
    Malformed,
    TooShort,
    TooLong,
    /// Only spaces.
    Blank,
    /// A whole number outside the field's range.
    OutOfRange,
    /// A query parameter given more than once (or not decodable at all).
    Repeated,
}

/// A field-level validation problem, shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: FieldName,
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: FieldName, problem: FieldProblem) -> Self {
        Self { field, problem }
    }

    /// What the field's owner is told. The form fields' messages are
    /// sentences shown beside the field; `page` and `size` are only ever
    /// REST parameters, whose messages follow their name (`page: must be …`).
    pub fn message(&self) -> &'static str {
        use FieldName as F;
        use FieldProblem as P;
        match (self.field, self.problem) {
            (F::Name, _) => "Enter your full name.",
            (F::Address, _) => "Enter your street and house number.",
            (F::City, _) => "Enter your town or city.",
            (F::Postcode, _) => "Enter your postcode.",
            (F::Country, _) => "Choose your country.",
            (F::Email, P::Missing | P::Blank) => "Enter an email address.",
            (F::Email, P::TooLong) => "An email address can be at most 254 characters long.",
            (F::Email, _) => "Enter an email address like name@example.com.",
            (F::Password, P::Missing) => "Enter your password.",
            (F::Password, P::TooLong) => "A password can be at most 128 characters long.",
            (F::Password, P::Blank) => "Choose a password that is not only spaces.",
            (F::Password, _) => "Choose a password of at least 8 characters.",
            (F::Page, P::Repeated) => "must be given once, as a whole number",
            (F::Page, _) => "must be a whole number from 1 to 1000000",
            (F::Size, _) => "must be a whole number from 1 to 100",
        }
    }

    /// The message for `field` among `errors`, if it has one.
    pub fn message_for(errors: &[FieldError], field: FieldName) -> Option<&'static str> {
        errors.iter().find(|e| e.field == field).map(FieldError::message)
    }

    /// All of `errors` in one line, `field: message; …` (the Nexudus style
    /// of a validation failure's message).
    pub fn summary(errors: &[FieldError]) -> String {
        errors.iter().map(|e| format!("{}: {}", e.field.as_str(), e.message())).collect::<Vec<_>>().join("; ")
    }
}

/// Why a checkout request was refused (400).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    ProductUnavailable,
    NotInBasket,
    QuantityOutOfRange,
    /// The payment form's attempt key is missing or malformed.
    PaymentFormExpired,
    PaymentFormUsed,
    PaymentFormOfAnotherBasket,
    /// Another tab is paying this basket right now.
    PaymentInAnotherTab,
    /// This form's payment has not finished yet.
    PaymentStillProcessing,
    /// The payment provider could not be reached; nothing was charged.
    PaymentUnavailable,
    TotalTooLarge,
    /// The basket holds a product that is no longer for sale.
    ItemsUnavailable,
    /// The basket holds more of a product than one order may (its maximum was lowered).
    OverMaximum,
    /// A price changed between the payment page and the click on Pay.
    TotalChanged,
}

impl Rejection {
    /// In English, as the REST API answers and the logs say; pages show the
    /// request's language's words for it (`server::i18n::checkout`).
    pub fn message(self) -> &'static str {
        match self {
            Self::ProductUnavailable => "That product is not available.",
            Self::NotInBasket => "That item is not in your basket.",
            // The bound is `domain::shop::MAX_QUANTITY_CEILING` (a test in server_fns::checkout checks).
            Self::QuantityOutOfRange => "Choose a quantity from 1 to 999.",
            Self::PaymentFormExpired => "This payment form has expired. Please reload the page and try again.",
            Self::PaymentFormUsed => "This payment form has already been used. Please reload the page.",
            Self::PaymentFormOfAnotherBasket => "This payment form belongs to another basket.",
            Self::PaymentInAnotherTab => "A payment for this basket is already in progress in another tab. Please wait a moment.",
            Self::PaymentStillProcessing => "Your payment is still being processed. Please wait a moment and reload.",
            Self::PaymentUnavailable => "The payment service cannot be reached right now. Nothing was charged; please try again in a moment.",
            Self::TotalTooLarge => "The basket total is too large.",
            Self::ItemsUnavailable => "Your basket holds an item that is no longer available. Remove it from your basket to continue.",
            Self::OverMaximum => "Your basket holds more of an item than one order may. Lower its quantity in your basket to continue.",
            Self::TotalChanged => "The price changed since this page was shown, and nothing was charged. Check the new total below, then pay.",
        }
    }
}

/// Why a card was refused, in the shopper's terms. The codes are also what
/// a payment attempt records (`payment_attempts.decline_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeclineReason {
    #[serde(rename = "invalid_number")]
    InvalidNumber,
    #[serde(rename = "invalid_expiry")]
    InvalidExpiry,
    #[serde(rename = "expired_card")]
    Expired,
    #[serde(rename = "invalid_cvc")]
    InvalidCvc,
    #[serde(rename = "card_declined")]
    CardDeclined,
    #[serde(rename = "insufficient_funds")]
    InsufficientFunds,
}

impl DeclineReason {
    const ALL: [Self; 6] =
        [Self::InvalidNumber, Self::InvalidExpiry, Self::Expired, Self::InvalidCvc, Self::CardDeclined, Self::InsufficientFunds];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidNumber => "invalid_number",
            Self::InvalidExpiry => "invalid_expiry",
            Self::Expired => "expired_card",
            Self::InvalidCvc => "invalid_cvc",
            Self::CardDeclined => "card_declined",
            Self::InsufficientFunds => "insufficient_funds",
        }
    }

    pub fn from_code(code: Option<&str>) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| Some(reason.as_str()) == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::InvalidNumber => "That card number isn't valid. Check the digits and try again.",
            Self::InvalidExpiry => "Enter the expiry date as MM/YY.",
            Self::Expired => "This card has expired. Try another card.",
            Self::InvalidCvc => "Enter the 3 or 4 digit security code from the back of the card.",
            Self::CardDeclined => "Your bank declined this card. Try another card; nothing was charged.",
            Self::InsufficientFunds => "The card has insufficient funds. Try another card; nothing was charged.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CheckoutError {
    #[error("Please correct the highlighted fields.")]
    Invalid(Vec<FieldError>),
    #[error("{}", .0.message())]
    Rejected(Rejection),
    #[error("{}", .0.message())]
    PaymentDeclined(DeclineReason),
    #[error("This order has already been paid.")]
    AlreadyPaid,
    #[error("Your basket is empty.")]
    EmptyBasket,
    /// More of a product than one basket may hold.
    #[error("You can have at most {max} of this item in one order.")]
    TooMany { max: u32 },
    #[error("Something went wrong on our side. Nothing was charged; please try again.")]
    Unavailable,
    /// The call failed before the server answered; what went wrong stays
    /// here, for debugging, and never travels (nor shows).
    #[error("The request could not be completed. Check your connection and try again.")]
    Transport(#[serde(skip)] String),
}

impl HttpStatus for CheckoutError {
    fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) | Self::Rejected(_) | Self::EmptyBasket | Self::TooMany { .. } => 400,
            Self::PaymentDeclined(_) => 402,
            Self::AlreadyPaid => 409,
            Self::Unavailable => 503,
            Self::Transport(_) => 500,
        }
    }
}

impl TransportFailure for CheckoutError {
    fn is_transport(&self) -> bool {
        matches!(self, Self::Transport(_))
    }
}

impl CheckoutError {

    /// The message for one field, if it has one.
    pub fn field(&self, name: FieldName) -> Option<&'static str> {
        match self {
            Self::Invalid(errors) => FieldError::message_for(errors, name),
            _ => None,
        }
    }
}

impl FromServerFnError for CheckoutError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

/// Countries the guest can be billed in (ISO 3166 alpha-2 code, name).
pub const COUNTRIES: &[(&str, &str)] = &[
    ("NL", "Netherlands"),
    ("BE", "Belgium"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("IE", "Ireland"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("PT", "Portugal"),
    ("AT", "Austria"),
    ("DK", "Denmark"),
    ("SE", "Sweden"),
    ("PL", "Poland"),
];

#[server(prefix = "/checkout/api", endpoint = "catalogue")]
pub async fn catalogue() -> Result<Vec<ProductView>, CheckoutError> {
    crate::server::http::server_fns::checkout::catalogue().await
}

#[server(prefix = "/checkout/api", endpoint = "basket")]
pub async fn basket() -> Result<BasketView, CheckoutError> {
    crate::server::http::server_fns::checkout::basket().await
}

#[server(prefix = "/checkout/api", endpoint = "add")]
pub async fn add_to_basket(product_id: Option<String>, quantity: Option<String>) -> Result<BasketView, CheckoutError> {
    crate::server::http::server_fns::checkout::add_to_basket(product_id, quantity).await
}

#[server(prefix = "/checkout/api", endpoint = "quantity")]
pub async fn set_quantity(product_id: Option<String>, quantity: Option<String>) -> Result<BasketView, CheckoutError> {
    crate::server::http::server_fns::checkout::set_quantity(product_id, quantity).await
}

#[server(prefix = "/checkout/api", endpoint = "details")]
pub async fn save_details(
    name: Option<String>,
    email: Option<String>,
    address: Option<String>,
    city: Option<String>,
    postcode: Option<String>,
    country: Option<String>,
) -> Result<(), CheckoutError> {
    let details = GuestDetails {
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        address: address.unwrap_or_default(),
        city: city.unwrap_or_default(),
        postcode: postcode.unwrap_or_default(),
        country: country.unwrap_or_default(),
    };
    crate::server::http::server_fns::checkout::save_details(details).await
}

/// A fresh idempotency key for one payment attempt (one render of the payment form).
#[server(prefix = "/checkout/api", endpoint = "attempt")]
pub async fn new_payment_attempt() -> Result<String, CheckoutError> {
    crate::server::http::server_fns::checkout::new_payment_attempt().await
}

/// Starts paying the basket: makes its checkout session and sends the
/// browser to `/checkout/handoff`, from where it goes to the hosted page.
#[server(prefix = "/checkout/api", endpoint = "pay")]
pub async fn pay(attempt: Option<String>, priced_as: Option<String>) -> Result<(), CheckoutError> {
    crate::server::http::server_fns::checkout::pay(attempt.unwrap_or_default(), priced_as).await
}

/// The hosted payment page of this browser's payment form `attempt`, while
/// it may still be paid.
#[server(prefix = "/checkout/api", endpoint = "handoff")]
pub async fn hosted_payment_page(attempt: Option<String>) -> Result<String, CheckoutError> {
    crate::server::http::server_fns::checkout::hosted_payment_page(attempt.unwrap_or_default()).await
}

/// Where the payment provider sends the shopper back, with `?session_id=`.
pub const PAYMENT_RETURN_PATH: &str = "/checkout/return";

/// Whether `raw` looks like a checkout session id (Stripe's `cs_live_…`,
/// `cs_test_…`, and the test provider's): checked before an id from a URL or
/// an event is looked up, put into a provider's URL or into a link.
pub fn is_session_id(raw: &str) -> bool {
    (4..=255).contains(&raw.len()) && raw.starts_with("cs_") && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The return URL of checkout session `session_id` (path and query), if it is one.
pub fn payment_return_path(session_id: &str) -> Option<String> {
    is_session_id(session_id).then(|| format!("{PAYMENT_RETURN_PATH}?session_id={session_id}"))
}

/// Why the payment page is shown again after the hosted page (`?payment=`):
/// a closed set of codes, so nothing from the URL is ever printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentNotice {
    /// The shopper left the hosted page.
    Cancelled,
    /// The session ended unpaid (expired or the delayed payment failed).
    NotCompleted,
    /// The return URL was not this browser's payment.
    Unknown,
    /// A second payment of a paid basket, refunded.
    Refunded,
    /// A payment that did not match the order, refunded; the basket is still payable.
    RefundedUnpaid,
    /// Paid, and the completion link was collected before.
    Paid,
}

impl PaymentNotice {
    pub const ALL: [Self; 6] = [Self::Cancelled, Self::NotCompleted, Self::Unknown, Self::Refunded, Self::RefundedUnpaid, Self::Paid];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cancelled => "cancelled",
            Self::NotCompleted => "not_completed",
            Self::Unknown => "unknown",
            Self::Refunded => "refunded",
            Self::RefundedUnpaid => "refunded_unpaid",
            Self::Paid => "paid",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|notice| notice.code() == code)
    }

    /// In English; pages show the request's language's words for it
    /// (`server::i18n::checkout`, whose English a test holds to this).
    pub fn message(self) -> &'static str {
        match self {
            Self::Cancelled => "You left the payment page, so nothing was charged. Your basket is still here when you are ready.",
            Self::NotCompleted => "The payment was not completed, so nothing was charged. Your basket is still here: you can pay again.",
            Self::Unknown => {
                "We could not find that payment for this browser. If you paid, the receipt we emailed you has the link to your invoice."
            }
            Self::Refunded => "This basket had already been paid, so your second payment has been refunded in full.",
            Self::RefundedUnpaid => {
                "Your payment did not match your order, so it has been refunded in full. Your basket is still here: please pay again."
            }
            Self::Paid => "Your payment is complete. The link to your invoice and account is in the receipt we emailed you.",
        }
    }

    /// Whether the notice reports a problem (shown as an alert) or news.
    pub fn is_problem(self) -> bool {
        matches!(self, Self::NotCompleted | Self::Unknown | Self::RefundedUnpaid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTACK: &str = "Your card was flagged. Call +1 555 0100";

    /// What a page gets from `__err` JSON (leptos' decoding, before base64).
    fn decoded(json: &str) -> CheckoutError {
        CheckoutError::de(json.as_bytes().to_vec().into())
    }

    fn every_field_error() -> Vec<FieldError> {
        use FieldName::*;
        use FieldProblem::*;
        let fields = [Name, Email, Address, City, Postcode, Country, Password, Page, Size];
        let problems = [Missing, Malformed, TooShort, TooLong, Blank, OutOfRange, Repeated];
        fields.iter().flat_map(|&field| problems.iter().map(move |&problem| FieldError::new(field, problem))).collect()
    }

    fn every_error() -> Vec<CheckoutError> {
        use Rejection::*;
        let rejections = [
            ProductUnavailable, NotInBasket, QuantityOutOfRange, PaymentFormExpired, PaymentFormUsed,
            PaymentFormOfAnotherBasket, PaymentInAnotherTab, PaymentStillProcessing, PaymentUnavailable, TotalTooLarge,
        ];
        let mut errors: Vec<_> = rejections.into_iter().map(CheckoutError::Rejected).collect();
        errors.extend(DeclineReason::ALL.into_iter().map(CheckoutError::PaymentDeclined));
        errors.extend([
            CheckoutError::Invalid(every_field_error()),
            CheckoutError::AlreadyPaid,
            CheckoutError::EmptyBasket,
            CheckoutError::Unavailable,
            CheckoutError::Transport(String::new()),
        ]);
        errors
    }

    #[test]
    fn free_text_in_a_url_decodes_to_nothing_a_page_would_print() {
        let fields = |key: &str| {
            let entry = |field: &str| format!(r#"{{"field":"{field}","{key}":"{ATTACK}"}}"#);
            ["name", "email", "address", "city", "postcode", "country"].map(entry).join(",")
        };
        for json in [
            format!(r#"{{"Rejected":"{ATTACK}"}}"#),
            format!(r#"{{"PaymentDeclined":"{ATTACK}"}}"#),
            format!(r#"{{"Invalid":[{}]}}"#, fields("message")),
            format!(r#"{{"Invalid":[{}]}}"#, fields("problem")),
            format!(r#"{{"Invalid":[{{"field":"{ATTACK}","problem":"missing"}}]}}"#),
            format!(r#"{{"Transport":"{ATTACK}"}}"#),
            format!(r#"{{"EmptyBasket":"{ATTACK}"}}"#),
            format!(r#"{{"{ATTACK}":null}}"#),
        ] {
            let error = decoded(&json);
            assert!(error.is_transport(), "{json} decoded to {error:?}");
            assert_eq!(error.to_string(), "The request could not be completed. Check your connection and try again.");
            assert!(!String::from_utf8_lossy(&error.ser()).contains("555 0100"), "{json}: Transport carries no text on");
        }
    }

    #[test]
    fn codes_decode_to_their_variants() {
        assert_eq!(decoded(r#"{"Rejected":"product_unavailable"}"#), CheckoutError::Rejected(Rejection::ProductUnavailable));
        assert_eq!(decoded(r#"{"PaymentDeclined":"insufficient_funds"}"#), CheckoutError::PaymentDeclined(DeclineReason::InsufficientFunds));
        assert_eq!(
            decoded(r#"{"Invalid":[{"field":"email","problem":"malformed"}]}"#),
            CheckoutError::Invalid(vec![FieldError::new(FieldName::Email, FieldProblem::Malformed)])
        );
        for error in every_error() {
            assert_eq!(decoded(std::str::from_utf8(&error.ser()).unwrap()), error, "round trip");
        }
    }

    #[test]
    fn each_variant_has_a_fixed_message() {
        for error in every_error() {
            let message = error.to_string();
            assert!(!message.is_empty() && message.ends_with('.'), "{error:?}: {message:?}");
        }
        assert_eq!(CheckoutError::Transport(ATTACK.into()).to_string(), CheckoutError::Transport(String::new()).to_string());
        assert_eq!(CheckoutError::Rejected(Rejection::NotInBasket).to_string(), "That item is not in your basket.");
        assert_eq!(
            CheckoutError::PaymentDeclined(DeclineReason::CardDeclined).to_string(),
            "Your bank declined this card. Try another card; nothing was charged."
        );
        for field in every_field_error() {
            assert!(!field.message().is_empty());
        }
        let invalid = CheckoutError::Invalid(vec![FieldError::new(FieldName::City, FieldProblem::Missing)]);
        assert_eq!(invalid.field(FieldName::City), Some("Enter your town or city."));
        assert_eq!(invalid.field(FieldName::Email), None);
    }

    #[test]
    fn decline_codes_are_the_recorded_ones() {
        for reason in DeclineReason::ALL {
            assert_eq!(DeclineReason::from_code(Some(reason.as_str())), Some(reason));
            assert_eq!(
                String::from_utf8(CheckoutError::PaymentDeclined(reason).ser().to_vec()).unwrap(),
                format!(r#"{{"PaymentDeclined":"{}"}}"#, reason.as_str())
            );
        }
        assert_eq!(DeclineReason::from_code(Some("stolen")), None);
    }

    #[test]
    fn a_validation_summary_names_each_field() {
        let errors = [FieldError::new(FieldName::Page, FieldProblem::Repeated), FieldError::new(FieldName::Size, FieldProblem::OutOfRange)];
        assert_eq!(
            FieldError::summary(&errors),
            "page: must be given once, as a whole number; size: must be a whole number from 1 to 100"
        );
    }
}
