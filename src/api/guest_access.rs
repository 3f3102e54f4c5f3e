//! What the checkout-complete page and the server agree on: the outcome
//! types, the typed error, and the `#[server]` functions the page calls.
//! The functions delegate to `server::guest_access::GuestAccess`, the same
//! service the REST endpoints use.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{HttpStatus, TransportFailure};
use leptos::server_fn::codec::JsonEncoding;

/// Why a guest-token operation failed. Each variant has one HTTP status
/// (Nexudus semantics) and a plain-language explanation on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum GuestAccessError {
    #[error("The token query parameter is required.")]
    MissingToken,
    #[error("The token is not valid for any completed checkout.")]
    InvalidToken,
    #[error("The token has already been used to register.")]
    TokenAlreadyUsed,
    #[error("The token has expired.")]
    TokenExpired,
    #[error("No invoice with this id belongs to the token.")]
    InvoiceNotFound,
    #[error("The invoice id must be a positive whole number.")]
    InvalidInvoiceId,
    #[error("The service is temporarily unavailable. Please retry shortly.")]
    Unavailable,
    /// The call failed before the server answered (network, encoding);
    /// what went wrong stays here, for debugging, and never travels (nor shows).
    #[error("The request could not be completed. Please try again.")]
    Transport(#[serde(skip)] String),
}

impl HttpStatus for GuestAccessError {
    fn status(&self) -> u16 {
        match self {
            Self::MissingToken | Self::InvalidToken | Self::TokenAlreadyUsed | Self::TokenExpired => 401,
            Self::InvoiceNotFound => 404,
            Self::InvalidInvoiceId => 400,
            Self::Unavailable => 503,
            Self::Transport(_) => 500,
        }
    }
}

impl TransportFailure for GuestAccessError {
    fn is_transport(&self) -> bool {
        matches!(self, Self::Transport(_))
    }
}

impl GuestAccessError {
    /// Whether trying the same thing again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable | Self::Transport(_))
    }
}

impl FromServerFnError for GuestAccessError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

/// A registered (or otherwise verified) purchase, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedPurchase {
    pub invoice_id: i64,
    pub invoice_number: String,
    pub total: String,
    pub email: String,
    /// `pdfByToken` link carrying the invoice-scoped token.
    pub pdf_url: String,
}

/// What the complete page should show when it is first rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionState {
    /// This browser already registered the purchase.
    Registered(VerifiedPurchase),
    /// The basket token is genuine and unused: registration can run.
    Ready,
    /// Registration cannot run; the error says why.
    Failed(GuestAccessError),
}

/// The page's URL without the basket secret, used once registration is done.
pub fn completion_path(invoice_id: &str) -> String {
    format!("/checkout/complete?invoiceId={}", urlencode(invoice_id))
}

/// The page's URL with the basket secret: where a paid guest registers (the
/// redirect after payment, the receipt's link) and where a failed attempt
/// that may be retried sends the browser back.
pub fn completion_path_with_basket(invoice_id: &str, basket_session: &str) -> String {
    format!("{}&basketSession={}", completion_path(invoice_id), urlencode(basket_session))
}

/// Percent-encodes a query value. `/` stays as it is: it is allowed in a
/// query, and keeps paths passed as `next=` readable.
pub(crate) fn urlencode(raw: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => encoded.push(b as char),
            _ => {
                encoded.push('%');
                encoded.push(HEX[usize::from(b >> 4)] as char);
                encoded.push(HEX[usize::from(b & 0xf)] as char);
            }
        }
    }
    encoded
}

/// Decides the first render of the complete page, without changing anything.
#[server(prefix = "/checkout/api", endpoint = "status")]
pub async fn completion_status(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<CompletionState, GuestAccessError> {
    crate::server::http::server_fns::guest_access::completion_status(invoice_id, basket_session).await
}

/// Registers the guest (registerByToken) for the complete page. Arguments are
/// optional so that a missing one is a clear `MissingToken`/`InvalidInvoiceId`,
/// not a decoding failure.
#[server(prefix = "/checkout/api", endpoint = "register")]
pub async fn complete_registration(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<VerifiedPurchase, GuestAccessError> {
    crate::server::http::server_fns::guest_access::complete_registration(invoice_id, basket_session).await
}

/// From a completion link that can no longer register (used or expired):
/// emails a sign-in link to the address on the invoice, which the page never
/// shows. The answer is the same whether or not anything was sent.
#[server(prefix = "/checkout/api", endpoint = "sign_in_link")]
pub async fn email_purchase_sign_in_link(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<(), GuestAccessError> {
    crate::server::http::server_fns::guest_access::email_purchase_sign_in_link(invoice_id, basket_session).await
}

/// The query flag a page posted without JavaScript comes back with once its
/// sign-in link is on its way.
pub const SIGN_IN_LINK_SENT: &str = "signInLink";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_nexudus_semantics() {
        assert_eq!(GuestAccessError::InvalidToken.status(), 401);
        assert_eq!(GuestAccessError::TokenAlreadyUsed.status(), 401);
        assert_eq!(GuestAccessError::TokenExpired.status(), 401);
        assert_eq!(GuestAccessError::MissingToken.status(), 401);
        assert_eq!(GuestAccessError::InvoiceNotFound.status(), 404);
        assert_eq!(GuestAccessError::InvalidInvoiceId.status(), 400);
        assert_eq!(GuestAccessError::Unavailable.status(), 503);
    }

    #[test]
    fn free_text_in_a_url_decodes_to_nothing_a_page_would_print() {
        const ATTACK: &str = "Your card was flagged. Call +1 555 0100";
        for json in [format!(r#"{{"Transport":"{ATTACK}"}}"#), format!(r#"{{"InvalidToken":"{ATTACK}"}}"#), format!(r#""{ATTACK}""#)] {
            let error = GuestAccessError::de(json.as_bytes().to_vec().into());
            assert!(error.is_transport(), "{json} decoded to {error:?}");
            assert_eq!(error.to_string(), "The request could not be completed. Please try again.");
            assert!(!String::from_utf8_lossy(&error.ser()).contains("555 0100"), "{json}: Transport carries no text on");
        }
        assert_eq!(GuestAccessError::de(br#""TokenExpired""#.to_vec().into()), GuestAccessError::TokenExpired);
    }

    #[test]
    fn completion_path_drops_the_secret_and_escapes() {
        assert_eq!(completion_path("42"), "/checkout/complete?invoiceId=42");
        assert_eq!(completion_path("4 2&x=1"), "/checkout/complete?invoiceId=4%202%26x%3D1");
    }

    #[test]
    fn query_values_are_percent_encoded_byte_by_byte() {
        assert_eq!(urlencode("/account/invoices?page=2"), "/account/invoices%3Fpage%3D2");
        assert_eq!(urlencode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(urlencode("é+\n"), "%C3%A9%2B%0A");
        assert_eq!(urlencode(""), "");
    }
}
