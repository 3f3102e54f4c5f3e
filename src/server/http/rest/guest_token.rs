//! The guest's token endpoints (Nexudus-compatible, no bearer token):
//! `registerByToken` turns a paid basket session into a customer and an
//! invoice token, which `pdfByToken` accepts. Handlers only translate HTTP to
//! domain types and back; `GuestAccess` does the work.


use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{invoice_pdf, ApiError, ErrorEnvelope};
use crate::api::guest_access::GuestAccessError;
use crate::domain::{BasketToken, InvoiceId};
use crate::server::services::shop::Shop;
use crate::server::http::state::AppState;
use crate::server::services::guest_access::{GuestAccess, GuestToken};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/public/billing/invoices/{invoice_id}/registerByToken", post(register_by_token))
        // axum answers HEAD from the GET handler without a body; nothing here writes.
        .route("/api/public/billing/invoices/{invoice_id}/pdfByToken", get(pdf_by_token))
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `{"Token": "…"}`: a fresh token scoped to the invoice, for `pdfByToken`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TokenResponse {
    /// 43 characters of URL-safe base64 (256 random bits).
    #[schema(min_length = 43, max_length = 43, pattern = "^[A-Za-z0-9_-]{43}$")]
    pub token: String,
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

/// Register Customer by Invoice Token: the guest who paid `invoiceId` (proved
/// by the basket-session GUID) becomes a customer with portal access, or the
/// invoice is linked to the customer who already has the bill-to email.
/// The basket token works once.
#[utoipa::path(
    post,
    path = "/api/public/billing/invoices/{invoiceId}/registerByToken",
    operation_id = "registerByToken",
    tag = "guest",
    params(
        ("invoiceId" = i64, Path, minimum = 1, maximum = 999_999_999_999_999_999_i64, description = "The paid invoice."),
        ("token" = String, Query, format = Uuid, description = "The basket-session GUID of the purchase (any letter case)."),
    ),
    responses(
        (status = 200, description = "Registered; the token opens `pdfByToken` for this invoice.", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`")),
            links(("PdfByToken" = (
                operation_id = "pdfByToken",
                parameters(("invoiceId" = "$request.path.invoiceId"), ("token" = "$response.body#/Token")),
                description = "Download the invoice with the returned token."
            )))),
        (status = 400, description = "The invoice id is not a positive whole number (the token was genuine).", body = ErrorEnvelope),
        (status = 401, description = "The token is missing, not a GUID, unknown, already used or expired.", body = ErrorEnvelope),
        (status = 404, description = "No invoice has this id, or the token belongs to another invoice.", body = ErrorEnvelope),
    )
)]
pub(super) async fn register_by_token(
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

/// The invoice as a PDF, for a guest: with the token from `registerByToken`,
/// or with the basket-session GUID itself until it expires.
#[utoipa::path(
    get,
    path = "/api/public/billing/invoices/{invoiceId}/pdfByToken",
    operation_id = "pdfByToken",
    tag = "guest",
    params(
        ("invoiceId" = i64, Path, minimum = 1, maximum = 999_999_999_999_999_999_i64, description = "The invoice."),
        ("token" = String, Query, description = "An invoice token from `registerByToken`, or the basket-session GUID."),
    ),
    responses(
        (status = 200, description = "The invoice PDF.", content_type = "application/pdf", body = Vec<u8>,
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"INV-000123.pdf\"`"),
                ("Cache-Control" = String, description = "`no-store`"),
            )),
        (status = 400, description = "The invoice id is not a positive whole number (the token was genuine).", body = ErrorEnvelope),
        (status = 401, description = "The token is missing, malformed, unknown or expired.", body = ErrorEnvelope),
        (status = 404, description = "No invoice has this id, or the token belongs to another invoice.", body = ErrorEnvelope),
    )
)]
pub(super) async fn pdf_by_token(
    State(access): State<GuestAccess>,
    State(shop): State<Shop>,
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
    invoice_pdf(invoice, &shop).await
}
