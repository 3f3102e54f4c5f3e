//! The signed-in customer's invoices in the Nexudus-shaped REST API (list,
//! one invoice, its PDF). They accept a bearer access token from
//! `POST /api/token` or the portal session cookie.


use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{invoice_pdf, ApiError, ErrorEnvelope};
use crate::api::portal::{FieldName, FieldProblem, PortalError};
use crate::domain::{Currency, CustomerId, Invoice, InvoiceId, Timestamp};
use crate::server::services::shop::Shop;
use crate::server::http::cookies;
use crate::server::http::cookies::SESSION_COOKIE;
use crate::server::http::state::CookiePolicy;
use crate::server::http::state::AppState;
use crate::server::services::accounts::{parse, Accounts};
use crate::server::services::my_invoices::{parse_paging, MyInvoices};
use crate::server::store::accounts::SessionKind;
use crate::domain::invoice::InvoiceSummary;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/public/billing/invoices/my", get(list_my_invoices))
        .route("/api/public/billing/invoices/{invoice_id}", get(get_invoice))
        .route("/api/public/billing/invoices/{invoice_id}/pdf", get(get_invoice_pdf))
}

// ---------------------------------------------------------------- authentication

/// The customer making the request: by `Authorization: Bearer <access token>`,
/// or else by the portal session cookie. Anything else is a 401.
pub struct SignedIn(pub CustomerId);

impl<S> FromRequestParts<S> for SignedIn
where
    S: Send + Sync,
    Accounts: FromRef<S>,
    CookiePolicy: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let accounts = Accounts::from_ref(state);
        let customer = match parts.headers.get(header::AUTHORIZATION) {
            Some(value) => {
                let token = value
                    .to_str()
                    .ok()
                    .and_then(|v| v.split_once(' '))
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                    .map(|(_, token)| token)
                    .ok_or(PortalError::SignedOut)?;
                accounts.authenticate(&parse::session_token(token)?, SessionKind::Access).await?
            }
            None => {
                let name = CookiePolicy::from_ref(state).name(SESSION_COOKIE);
                let token = cookies::from_headers(&parts.headers, name).ok_or(PortalError::SignedOut)?;
                accounts.authenticate(&parse::session_token(&token)?, SessionKind::Portal).await?
            }
        };
        Ok(Self(customer))
    }
}

// ---------------------------------------------------------------- invoices

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CurrencyJson {
    #[schema(value_type = String, example = "EUR")]
    code: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InvoiceRecord {
    id: i64,
    invoice_number: String,
    paid: bool,
    paid_on: Option<String>,
    due_date: String,
    total_amount: f64,
    currency: CurrencyJson,
    created_on: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InvoicePageJson {
    records: Vec<InvoiceRecord>,
    current_page: u32,
    current_page_size: u32,
    total_items: u64,
    total_pages: u32,
    has_next_page: bool,
    has_previous_page: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InvoiceLineJson {
    description: String,
    quantity: u32,
    unit_price: f64,
    sub_total: f64,
    tax_rate: f64,
    tax_amount: f64,
    total: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InvoiceJson {
    #[serde(flatten)]
    record: InvoiceRecord,
    #[schema(value_type = String)]
    currency_code: &'static str,
    sub_total: f64,
    tax_amount: f64,
    paid_amount: f64,
    due_amount: f64,
    bill_to_name: String,
    bill_to_email: String,
    bill_to_address: String,
    bill_to_city: String,
    bill_to_post_code: String,
    bill_to_country_name: String,
    lines: Vec<InvoiceLineJson>,
}

/// Minor units as the decimal amount the API shows (all supported currencies have two decimals).
fn amount(minor: i64) -> f64 {
    minor as f64 / 100.0
}

fn record(id: InvoiceId, number: &str, currency: Currency, total_minor: i64, issued_at: Timestamp, paid_at: Option<Timestamp>) -> InvoiceRecord {
    InvoiceRecord {
        id: id.get(),
        invoice_number: number.to_owned(),
        paid: paid_at.is_some(),
        paid_on: paid_at.map(Timestamp::to_rfc3339),
        // Guests pay up front, so an invoice is due the moment it is issued.
        due_date: issued_at.to_rfc3339(),
        total_amount: amount(total_minor),
        currency: CurrencyJson { code: currency.code() },
        created_on: issued_at.to_rfc3339(),
    }
}

fn summary_record(invoice: &InvoiceSummary) -> InvoiceRecord {
    record(invoice.id, &invoice.number, invoice.currency, invoice.total_minor, invoice.issued_at, invoice.paid_at)
}

fn invoice_json(invoice: Invoice) -> InvoiceJson {
    let paid = if invoice.paid_at.is_some() { invoice.total_minor } else { 0 };
    InvoiceJson {
        record: record(invoice.id, &invoice.number, invoice.currency, invoice.total_minor, invoice.issued_at, invoice.paid_at),
        currency_code: invoice.currency.code(),
        sub_total: amount(invoice.subtotal_minor),
        tax_amount: amount(invoice.tax_minor),
        paid_amount: amount(paid),
        due_amount: amount(invoice.total_minor - paid),
        lines: invoice
            .lines
            .iter()
            .map(|line| InvoiceLineJson {
                description: line.description.clone(),
                quantity: line.quantity,
                unit_price: amount(line.unit_price_minor),
                sub_total: amount(line.net_minor),
                tax_rate: f64::from(line.tax_rate.basis_points()) / 100.0,
                tax_amount: amount(line.tax_minor),
                total: amount(line.net_minor + line.tax_minor),
            })
            .collect(),
        bill_to_name: invoice.bill_to.name,
        bill_to_email: invoice.bill_to.email.to_string(),
        bill_to_address: invoice.bill_to.address,
        bill_to_city: invoice.bill_to.city,
        bill_to_post_code: invoice.bill_to.postcode,
        bill_to_country_name: invoice.bill_to.country,
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct PagingQuery {
    page: Option<String>,
    size: Option<String>,
}

fn private<T: Serialize>(body: T) -> Response {
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// The signed-in customer's invoices, newest first.
#[utoipa::path(
    get,
    path = "/api/public/billing/invoices/my",
    operation_id = "listMyInvoices",
    tag = "customer",
    security(("bearer" = []), ("portalSession" = [])),
    params(
        ("page" = Option<u32>, Query, minimum = 1, maximum = 1_000_000, description = "From 1 (default 1); a page past the end is empty."),
        ("size" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Invoices per page, 1 to 100 (default 25)."),
    ),
    responses(
        (status = 200, description = "One page of the customer's invoices.", body = InvoicePageJson,
            headers(("Cache-Control" = String, description = "`private, no-store`")),
            links(("FirstInvoice" = (
                operation_id = "getMyInvoice",
                parameters(("invoiceId" = "$response.body#/Records/0/Id")),
                description = "The newest invoice on the page."
            )))),
        (status = 400, description = "`page` or `size` is not a whole number in range.", body = ErrorEnvelope),
    )
)]
pub(super) async fn list_my_invoices(
    State(invoices): State<MyInvoices>,
    SignedIn(customer): SignedIn,
    query: Result<Query<PagingQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    // A query that does not even decode (say, `page` twice) is a bad page number.
    let Query(query) = query.map_err(|_| PortalError::field_error(FieldName::Page, FieldProblem::Repeated))?;
    let (page, size) = parse_paging(query.page.as_deref(), query.size.as_deref())?;
    let listed = invoices.page(customer, page, size).await?;
    let total_pages = listed.total_pages();
    Ok(private(InvoicePageJson {
        records: listed.invoices.iter().map(summary_record).collect(),
        current_page: listed.page,
        current_page_size: listed.size,
        total_items: listed.total_items,
        total_pages,
        has_next_page: listed.page < total_pages,
        has_previous_page: listed.page > 1,
    }))
}

/// An id that is not a positive number cannot be one of the customer's invoices.
fn own_invoice_id(raw: &str) -> Result<InvoiceId, ApiError> {
    raw.parse().map_err(|_| PortalError::NotFound.into())
}

/// One of the signed-in customer's invoices, with its lines and bill-to.
/// Anyone else's invoice is "not found", so ids reveal nothing.
#[utoipa::path(
    get,
    path = "/api/public/billing/invoices/{invoiceId}",
    operation_id = "getMyInvoice",
    tag = "customer",
    security(("bearer" = []), ("portalSession" = [])),
    params(("invoiceId" = i64, Path, minimum = 1, description = "One of the customer's invoices.")),
    responses(
        (status = 200, description = "The invoice.", body = InvoiceJson,
            headers(("Cache-Control" = String, description = "`private, no-store`")),
            links(("Pdf" = (
                operation_id = "getMyInvoicePdf",
                parameters(("invoiceId" = "$request.path.invoiceId")),
                description = "The same invoice as a PDF."
            )))),
        (status = 404, description = "Not one of the customer's invoices.", body = ErrorEnvelope),
    )
)]
pub(super) async fn get_invoice(
    State(invoices): State<MyInvoices>,
    SignedIn(customer): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let invoice = invoices.invoice(customer, own_invoice_id(&raw)?).await?;
    Ok(private(invoice_json(invoice)))
}

/// One of the signed-in customer's invoices as a PDF.
#[utoipa::path(
    get,
    path = "/api/public/billing/invoices/{invoiceId}/pdf",
    operation_id = "getMyInvoicePdf",
    tag = "customer",
    security(("bearer" = []), ("portalSession" = [])),
    params(("invoiceId" = i64, Path, minimum = 1, description = "One of the customer's invoices.")),
    responses(
        (status = 200, description = "The invoice PDF.", content_type = "application/pdf", body = Vec<u8>,
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"INV-000123.pdf\"`"),
                ("Cache-Control" = String, description = "`no-store`"),
            )),
        (status = 404, description = "Not one of the customer's invoices.", body = ErrorEnvelope),
    )
)]
pub(super) async fn get_invoice_pdf(
    State(invoices): State<MyInvoices>,
    State(shop): State<Shop>,
    SignedIn(customer): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let invoice = invoices.invoice(customer, own_invoice_id(&raw)?).await?;
    invoice_pdf(invoice, &shop).await
}
