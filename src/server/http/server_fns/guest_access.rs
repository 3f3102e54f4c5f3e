//! Server side of the checkout-complete page's `#[server]` functions.
//!
//! After registration the invoice token is kept in this browser in an
//! HttpOnly session cookie scoped to `/checkout`, never in the URL. That is
//! what makes the page reload-safe (a reload renders the download link again
//! instead of "already used") and lets the no-JavaScript form post land on a
//! page that shows the result.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::domain::{BasketToken, InvoiceAccessToken, InvoiceId, Money};
use crate::server::i18n::format;
use crate::api::guest_access::{
    completion_path, completion_path_with_basket, CompleteRegistration, CompletionState, EmailPurchaseSignInLink, GuestAccessError, VerifiedPurchase,
    SIGN_IN_LINK_SENT,
};
use crate::server::http::{client_addr, cookies};
use crate::server::http::server_fns::{failure_path_for, no_store, submitted_without_javascript, with_status};
use crate::server::services::guest_access::GuestToken;
use crate::server::http::state::AppState;
use crate::domain::Invoice;

pub async fn completion_status(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<CompletionState, GuestAccessError> {
    let state = expect_context::<AppState>();
    // Responses of these functions can carry the invoice token.
    no_store();
    let Some(Ok(invoice)) = invoice_id.map(|id| id.parse::<InvoiceId>()) else {
        return Ok(CompletionState::Failed(GuestAccessError::InvalidInvoiceId));
    };
    // Only a passing failure (the database is away) is an `Err`: then the
    // page that asked is a 503, as every page whose data cannot be loaded.
    with_status(status_of(&state, invoice, basket_session.as_deref()).await)
}

/// Where this browser's purchase of `invoice` stands: registered here
/// (its invoice cookie), ready to register, or why not.
async fn status_of(state: &AppState, invoice: InvoiceId, basket_session: Option<&str>) -> Result<CompletionState, GuestAccessError> {
    if let Some(purchase) = remembered_purchase(state, invoice).await? {
        return Ok(CompletionState::Registered(purchase));
    }
    let basket = match basket_token(basket_session) {
        Ok(basket) => basket,
        Err(error) => return Ok(CompletionState::Failed(error)),
    };
    match state.guest_access.check_basket(invoice, basket).await {
        Ok(()) => Ok(CompletionState::Ready),
        Err(error) if error.is_transient() => Err(error),
        Err(error) => Ok(CompletionState::Failed(error)),
    }
}

pub async fn complete_registration(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<VerifiedPurchase, GuestAccessError> {
    let (invoice_id, basket_session) = (invoice_id.unwrap_or_default(), basket_session.unwrap_or_default());
    // Responses of these functions can carry the invoice token.
    no_store();
    let result = register_once(&invoice_id, &basket_session).await;
    if submitted_without_javascript() {
        // A plain form post: send the browser back to the page, which renders
        // the outcome. The basket secret stays out of the redirect, except
        // after a passing failure, where the retry button needs it.
        let target = match &result {
            Ok(_) => completion_path(&invoice_id),
            Err(error) if error.is_transient() => {
                failure_path(&completion_path_with_basket(&invoice_id, &basket_session), error)
            }
            Err(error) => failure_path(&completion_path(&invoice_id), error),
        };
        leptos_axum::redirect(&target);
    }
    // The same status the REST endpoint uses.
    with_status(result)
}

pub async fn email_purchase_sign_in_link(
    invoice_id: Option<String>,
    basket_session: Option<String>,
) -> Result<(), GuestAccessError> {
    let state = expect_context::<AppState>();
    no_store();
    let (invoice_id, basket_session) = (invoice_id.unwrap_or_default(), basket_session.unwrap_or_default());
    let result = async {
        let invoice: InvoiceId = invoice_id.parse().map_err(|_| GuestAccessError::InvalidInvoiceId)?;
        let basket = basket_token(Some(&basket_session))?;
        state.guest_access.email_sign_in_link(invoice, basket, client_addr::client_ip()).await
    }
    .await;
    if submitted_without_javascript() {
        // Back to the same page (it still needs the link's basket session to
        // explain itself), which then says the link is on its way.
        let page = completion_path_with_basket(&invoice_id, &basket_session);
        let target = match &result {
            Ok(()) => format!("{page}&{SIGN_IN_LINK_SENT}=sent"),
            Err(error) => failure_path_for(EmailPurchaseSignInLink::PATH, &page, error),
        };
        leptos_axum::redirect(&target);
    }
    with_status(result)
}

async fn register_once(invoice_id: &str, basket_session: &str) -> Result<VerifiedPurchase, GuestAccessError> {
    let state = expect_context::<AppState>();
    // Refusals before the service runs are counted here; the service counts its own.
    let refused = crate::server::metrics::registration_refused;
    let invoice: InvoiceId = invoice_id.parse().map_err(|_| refused(GuestAccessError::InvalidInvoiceId))?;
    // A second submit from the same browser (double click, back button) gets
    // the same answer instead of "already used".
    if let Some(purchase) = remembered_purchase(&state, invoice).await? {
        return Ok(purchase);
    }
    let basket = basket_token(Some(basket_session)).map_err(refused)?;
    let registration = state.guest_access.register(invoice, basket).await?;
    remember_token(&state, invoice, &registration.token);
    let token = GuestToken::Invoice(registration.token.clone());
    let invoice = state.guest_access.authorize_read(invoice, &token).await?;
    Ok(verified_purchase(&invoice, &registration.token))
}

fn basket_token(raw: Option<&str>) -> Result<BasketToken, GuestAccessError> {
    match raw.map(str::trim) {
        None | Some("") => Err(GuestAccessError::MissingToken),
        Some(raw) => raw.parse().map_err(|_| GuestAccessError::InvalidToken),
    }
}

/// The cookie that remembers this browser's invoice token (path `/checkout`).
pub fn invoice_token_cookie(invoice: InvoiceId) -> String {
    format!("invoice_token_{invoice}")
}

fn remember_token(state: &AppState, invoice: InvoiceId, token: &InvoiceAccessToken) {
    cookies::set_session(&invoice_token_cookie(invoice), token.reveal(), "/checkout", state.cookies.secure);
}

/// The purchase this browser registered earlier, if its cookie still opens it.
async fn remembered_purchase(state: &AppState, invoice: InvoiceId) -> Result<Option<VerifiedPurchase>, GuestAccessError> {
    let Some(token) = cookies::read(&invoice_token_cookie(invoice)).and_then(|value| value.parse::<InvoiceAccessToken>().ok()) else {
        return Ok(None);
    };
    match state.guest_access.authorize_read(invoice, &GuestToken::Invoice(token.clone())).await {
        Ok(invoice) => Ok(Some(verified_purchase(&invoice, &token))),
        Err(error) if error.is_transient() => Err(error),
        // Expired or stale: fall back to the basket token.
        Err(_) => Ok(None),
    }
}

fn verified_purchase(invoice: &Invoice, token: &InvoiceAccessToken) -> VerifiedPurchase {
    VerifiedPurchase {
        invoice_id: invoice.id.get(),
        invoice_number: invoice.number.clone(),
        total: format::money(crate::pages::i18n::locale(), Money::new(invoice.total_minor, invoice.currency)),
        email: invoice.bill_to.email.to_string(),
        pdf_url: format!(
            "/api/public/billing/invoices/{}/pdfByToken?token={}",
            invoice.id,
            token.reveal()
        ),
    }
}

/// `page` (a path with query) plus the registration's error, encoded the way
/// `pages::form::posted_error` reads it back on the next render.
fn failure_path(page: &str, error: &GuestAccessError) -> String {
    failure_path_for(CompleteRegistration::PATH, page, error)
}
