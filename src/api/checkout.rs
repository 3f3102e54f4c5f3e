//! The guest checkout as the pages see it: the shared view types, the typed
//! error and the `#[server]` functions. Prices and totals are computed on the
//! server only; the client never sends a price.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::api::HttpStatus;

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
    pub unit_price: String,
    pub tax_rate: String,
    pub amount: String,
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
    pub item_count: u32,
    pub subtotal: String,
    pub tax: String,
    pub total: String,
    pub details: GuestDetails,
    /// Whether the saved details are complete and valid (payment may start).
    pub details_complete: bool,
}

/// A field-level validation problem, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// The message for field `name` among `errors`, if it has one.
    pub fn message_for(errors: &[FieldError], name: &str) -> Option<String> {
        errors.iter().find(|e| e.field == name).map(|e| e.message.clone())
    }

    /// All of `errors` in one line, `field: message; …` (the Nexudus style
    /// of a validation failure's message).
    pub fn summary(errors: &[FieldError]) -> String {
        errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CheckoutError {
    #[error("Please correct the highlighted fields.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Rejected(String),
    #[error("{0}")]
    PaymentDeclined(String),
    #[error("This order has already been paid.")]
    AlreadyPaid,
    #[error("Your basket is empty.")]
    EmptyBasket,
    #[error("Something went wrong on our side. Nothing was charged; please try again.")]
    Unavailable,
    #[error("The request could not be completed. Check your connection and try again.")]
    Transport(String),
}

impl HttpStatus for CheckoutError {
    fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) | Self::Rejected(_) | Self::EmptyBasket => 400,
            Self::PaymentDeclined(_) => 402,
            Self::AlreadyPaid => 409,
            Self::Unavailable => 503,
            Self::Transport(_) => 500,
        }
    }
}

impl CheckoutError {

    /// The message for one field, if it has one.
    pub fn field(&self, name: &str) -> Option<String> {
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

#[server(prefix = "/checkout/api", endpoint = "pay")]
pub async fn pay(
    attempt: Option<String>,
    card_number: Option<String>,
    expiry: Option<String>,
    cvc: Option<String>,
) -> Result<(), CheckoutError> {
    crate::server::http::server_fns::checkout::pay(
        attempt.unwrap_or_default(),
        card_number.unwrap_or_default(),
        expiry.unwrap_or_default(),
        cvc.unwrap_or_default(),
    )
    .await
}
