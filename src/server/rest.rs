//! The Nexudus-compatible public invoice endpoints. Handlers only translate
//! HTTP to domain types and back; `GuestAccess` does the work.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::{BasketToken, InvoiceId};
use crate::checkout::FieldError;
use crate::guest_access::GuestAccessError;
use crate::portal::PortalError;
use crate::server::store::Invoice;
use crate::server::config::Seller;
use crate::server::guest_access::{GuestAccess, GuestToken};
use crate::server::pdf;
use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::server::invoices_api::routes())
        .route("/api/public/billing/invoices/{invoice_id}/registerByToken", post(register_by_token))
        // axum answers HEAD from the GET handler without a body; nothing here writes.
        .route("/api/public/billing/invoices/{invoice_id}/pdfByToken", get(pdf_by_token))
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `{"Token": "…"}`
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenResponse {
    pub token: String,
}

/// The Nexudus action envelope, used for every error.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorEnvelope<'a> {
    was_successful: bool,
    status: u16,
    message: String,
    value: Option<()>,
    errors: Option<Vec<PropertyError<'a>>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct PropertyError<'a> {
    property_name: &'a str,
    message: &'a str,
    attempted_value: Option<()>,
}

/// A failure of a public API call, answered with the Nexudus envelope.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    fields: Vec<FieldError>,
    /// Ask for credentials (`WWW-Authenticate: Bearer`): the caller is not signed in.
    challenge: bool,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let errors: Vec<PropertyError<'_>> = self
            .fields
            .iter()
            .map(|f| PropertyError { property_name: &f.field, message: &f.message, attempted_value: None })
            .collect();
        // A validation failure's message lists its errors, as Nexudus does.
        let message = if self.fields.is_empty() { self.message.clone() } else { FieldError::summary(&self.fields) };
        let body = ErrorEnvelope {
            was_successful: false,
            status: self.status.as_u16(),
            message,
            value: None,
            errors: (!errors.is_empty()).then_some(errors),
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if self.challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl From<GuestAccessError> for ApiError {
    fn from(error: GuestAccessError) -> Self {
        Self { status: status_of(error.status()), message: error.to_string(), fields: Vec::new(), challenge: false }
    }
}

impl From<PortalError> for ApiError {
    fn from(error: PortalError) -> Self {
        let status = status_of(error.status());
        match error {
            PortalError::Invalid(fields) => Self { status, message: String::new(), fields, challenge: false },
            other => Self { status, challenge: other == PortalError::SignedOut, message: other.to_string(), fields: Vec::new() },
        }
    }
}

/// The `token` parameter, present and non-empty. Checked before the invoice id.
fn token_param(query: Result<Query<TokenQuery>, QueryRejection>) -> Result<String, GuestAccessError> {
    // A query string that does not even decode (say, `token` twice) holds no usable token.
    let Query(query) = query.map_err(|_| GuestAccessError::InvalidToken)?;
    query.token.filter(|t| !t.trim().is_empty()).ok_or(GuestAccessError::MissingToken)
}

fn invoice_param(path: Result<Path<String>, PathRejection>) -> Result<InvoiceId, GuestAccessError> {
    let Path(raw) = path.map_err(|_| GuestAccessError::InvalidInvoiceId)?;
    raw.parse().map_err(|_| GuestAccessError::InvalidInvoiceId)
}

async fn register_by_token(
    State(access): State<GuestAccess>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<TokenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    // Refusals before the service runs are counted here; the service counts its own.
    let refused = crate::server::metrics::registration_refused;
    let basket: BasketToken = token_param(query).map_err(refused)?.parse().map_err(|_| refused(GuestAccessError::InvalidToken))?;
    let invoice = match invoice_param(path) {
        Ok(invoice) => invoice,
        Err(malformed) => {
            // Token first: a bad token is a 401 whatever the id looks like.
            access.check_basket_token(basket).await.map_err(refused)?;
            return Err(refused(malformed).into());
        }
    };
    let registration = access.register(invoice, basket).await?;
    let mut response = Json(TokenResponse { token: registration.token.reveal().to_owned() }).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn pdf_by_token(
    State(access): State<GuestAccess>,
    State(seller): State<Arc<Seller>>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<TokenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let token = GuestToken::parse(&token_param(query)?)?;
    let invoice_id = match invoice_param(path) {
        Ok(invoice) => invoice,
        Err(malformed) => {
            access.check_read_token(&token).await?;
            return Err(malformed.into());
        }
    };
    let invoice = access.authorize_read(invoice_id, &token).await?;
    invoice_pdf(invoice, seller).await
}

/// An invoice as a PDF download, rendered off the async runtime.
pub async fn invoice_pdf(invoice: Invoice, seller: Arc<Seller>) -> Result<Response, ApiError> {
    let (invoice_id, filename) = (invoice.id, format!("{}.pdf", invoice.number));
    let bytes = tokio::task::spawn_blocking(move || pdf::render_invoice(&invoice, &seller))
        .await
        .map_err(|error| {
            tracing::error!(%error, "PDF rendering task failed");
            GuestAccessError::Unavailable
        })?
        .map_err(|error| {
            tracing::error!(%error, invoice = %invoice_id, "PDF rendering failed");
            GuestAccessError::Unavailable
        })?;
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
