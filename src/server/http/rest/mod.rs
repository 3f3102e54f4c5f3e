//! The REST API: Nexudus-shaped JSON, PascalCase, errors in the Nexudus
//! action envelope (`error`), one module per resource group.

mod customer_invoices;
mod error;
mod guest_token;
mod oauth;
mod openapi;


use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Router;

pub use error::{ApiError, ErrorEnvelope};

use crate::api::guest_access::GuestAccessError;
use crate::server::services::shop::Shop;
use crate::server::http::state::AppState;
use crate::server::pdf;
use crate::server::services::unavailable;
use crate::domain::Invoice;

/// Every REST route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(guest_token::routes())
        .merge(customer_invoices::routes())
        .merge(oauth::routes())
        .merge(openapi::routes())
}

/// An invoice as a PDF download, with the letterhead it was issued with,
/// rendered off the async runtime.
pub async fn invoice_pdf(invoice: Invoice, shop: &Shop) -> Result<Response, ApiError> {
    let (invoice_id, filename) = (invoice.id, format!("{}.pdf", invoice.number));
    let letterhead = shop
        .printed_letterhead(invoice.letterhead_id)
        .await
        .map_err(|error| GuestAccessError::from(unavailable(format_args!("cannot read invoice {invoice_id}'s letterhead: {error}"))))?;
    let bytes = tokio::task::spawn_blocking(move || pdf::render_invoice(&invoice, &letterhead))
        .await
        .map_err(|error| GuestAccessError::from(unavailable(format_args!("PDF rendering task failed: {error}"))))?
        .map_err(|error| GuestAccessError::from(unavailable(format_args!("PDF rendering of invoice {invoice_id} failed: {error}"))))?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"invoice.pdf\""));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        bytes,
    )
        .into_response())
}
