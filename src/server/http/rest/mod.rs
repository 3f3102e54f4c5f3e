//! The REST API: Nexudus-shaped JSON, PascalCase, errors in the Nexudus
//! action envelope (`error`), one module per resource group.

mod customer_invoices;
mod error;
mod guest_token;
mod oauth;
mod openapi;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Router;

pub use error::{ApiError, ErrorEnvelope};

use crate::api::guest_access::GuestAccessError;
use crate::server::config::Seller;
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

/// An invoice as a PDF download, rendered off the async runtime.
pub async fn invoice_pdf(invoice: Invoice, seller: Arc<Seller>) -> Result<Response, ApiError> {
    let (invoice_id, filename) = (invoice.id, format!("{}.pdf", invoice.number));
    let bytes = tokio::task::spawn_blocking(move || pdf::render_invoice(&invoice, &seller))
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
