//! Server side of the portal pages' `#[server]` functions: the session
//! cookie, statuses, and where the browser goes next.

use leptos::prelude::*;

use crate::domain::{InvoiceAccessToken, InvoiceId, Money};
use crate::guest_access::completion_path;
use crate::portal::{
    safe_next, AccountView, InlinePasswordOutcome, InvoiceDetailView, InvoiceLineView, InvoiceListView, InvoiceRowView,
    LinkPurpose, PortalError, MY_INVOICES, SIGN_IN,
};
use crate::server::accounts::SessionGrant;
use crate::server::complete_page::{invoice_token_cookie, submitted_without_javascript};
use crate::server::cookies;
use crate::server::my_invoices::parse_paging;
use crate::server::respond::{no_store, with_status};
use crate::server::state::AppState;
use crate::server::store::accounts::SessionKind;
use crate::server::store::Invoice;

/// The portal's session cookie (HttpOnly, SameSite=Lax, whole site).
pub const SESSION_COOKIE: &str = "portal_session";
const INVOICES_PER_PAGE: u32 = 20;

pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = state.accounts.sign_in(&email, &password, cookies::client_ip()).await;
    with_status(result.map(|grant| {
        start_session(&state, &grant);
        leptos_axum::redirect(&safe_next(next.as_deref()));
    }))
}

pub async fn request_link(email: String, purpose: LinkPurpose) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = state.accounts.request_link(&email, purpose, cookies::client_ip()).await;
    if result.is_ok() && submitted_without_javascript() {
        // Without JavaScript the page is loaded again: tell it to say "check your inbox".
        let page = if purpose == LinkPurpose::SignIn { "/account/sign-in-link" } else { "/account/forgot-password" };
        leptos_axum::redirect(&format!("{page}?sent=1"));
    }
    with_status(result)
}

pub async fn link_status(token: String) -> Result<LinkPurpose, PortalError> {
    let state = expect_context::<AppState>();
    no_store();
    with_status(state.accounts.link_purpose(&token).await)
}

pub async fn use_sign_in_link(token: String) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    with_status(state.accounts.sign_in_with_link(&token).await.map(|grant| {
        start_session(&state, &grant);
        leptos_axum::redirect(MY_INVOICES);
    }))
}

pub async fn choose_password(token: String, password: String) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    with_status(state.accounts.choose_password(&token, &password).await.map(|grant| {
        start_session(&state, &grant);
        leptos_axum::redirect(MY_INVOICES);
    }))
}

pub async fn set_password_now(invoice_id: String, password: String) -> Result<InlinePasswordOutcome, PortalError> {
    let state = expect_context::<AppState>();
    no_store();
    let result = async {
        let invoice: InvoiceId = invoice_id.parse().map_err(|_| PortalError::LinkInvalid)?;
        let token: InvoiceAccessToken = cookies::read(&invoice_token_cookie(invoice))
            .and_then(|raw| raw.parse().ok())
            .ok_or(PortalError::LinkInvalid)?;
        let (outcome, grant) = state.accounts.set_password_after_checkout(invoice, &token, &password).await?;
        if let Some(grant) = &grant {
            start_session(&state, grant);
        }
        if submitted_without_javascript() {
            // The page is loaded again: take the browser where the outcome shows.
            match outcome {
                InlinePasswordOutcome::SignedIn => leptos_axum::redirect(MY_INVOICES),
                InlinePasswordOutcome::CheckEmail => {
                    leptos_axum::redirect(&format!("{}&password=check-email", completion_path(&invoice.to_string())))
                }
            }
        }
        Ok(outcome)
    }
    .await;
    with_status(result)
}

pub async fn sign_out(everywhere: bool) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    // This browser is signed out even if the revocation below fails.
    cookies::clear(SESSION_COOKIE, "/", state.cookies.secure);
    if let Some(token) = cookies::read(SESSION_COOKIE) {
        with_status(state.accounts.sign_out(&token, everywhere).await)?;
    }
    leptos_axum::redirect(SIGN_IN);
    Ok(())
}

pub async fn my_invoices(page: Option<String>) -> Result<InvoiceListView, PortalError> {
    let state = expect_context::<AppState>();
    no_store();
    let result = async {
        let customer = signed_in(&state).await?;
        // A bad page number in the address shows the first page.
        let page = parse_paging(page.as_deref(), None).map_or(1, |(page, _)| page);
        let account = state.accounts.account(customer).await?;
        let listed = state.my_invoices.page(customer, page, INVOICES_PER_PAGE).await?;
        Ok(InvoiceListView {
            account,
            page: listed.page,
            total_pages: listed.total_pages(),
            total_items: listed.total_items,
            invoices: listed
                .invoices
                .iter()
                .map(|invoice| InvoiceRowView {
                    id: invoice.id.get(),
                    number: invoice.number.clone(),
                    date: invoice.issued_at.display_date(),
                    total: Money::new(invoice.total_minor, invoice.currency).to_string(),
                    paid: invoice.paid_at.is_some(),
                    pdf_url: pdf_url(invoice.id),
                })
                .collect(),
        })
    }
    .await;
    with_status(result)
}

pub async fn invoice_detail(id: String) -> Result<InvoiceDetailView, PortalError> {
    let state = expect_context::<AppState>();
    no_store();
    let result = async {
        let customer = signed_in(&state).await?;
        let id: InvoiceId = id.parse().map_err(|_| PortalError::NotFound)?;
        let account = state.accounts.account(customer).await?;
        let invoice = state.my_invoices.invoice(customer, id).await?;
        Ok(detail_view(account, &invoice))
    }
    .await;
    with_status(result)
}

fn detail_view(account: AccountView, invoice: &Invoice) -> InvoiceDetailView {
    let money = |minor| Money::new(minor, invoice.currency).to_string();
    let bill_to = &invoice.bill_to;
    InvoiceDetailView {
        account,
        id: invoice.id.get(),
        number: invoice.number.clone(),
        date: invoice.issued_at.display_date(),
        paid_on: invoice.paid_at.map(|at| at.display_date()),
        bill_to: vec![
            bill_to.name.clone(),
            bill_to.address.clone(),
            format!("{} {}", bill_to.postcode, bill_to.city),
            bill_to.country.clone(),
            bill_to.email.to_string(),
        ],
        lines: invoice
            .lines
            .iter()
            .map(|line| InvoiceLineView {
                description: line.description.clone(),
                quantity: line.quantity,
                unit_price: money(line.unit_price_minor),
                tax_rate: line.tax_rate.to_string(),
                net: money(line.net_minor),
                tax: money(line.tax_minor),
            })
            .collect(),
        subtotal: money(invoice.subtotal_minor),
        tax: money(invoice.tax_minor),
        total: money(invoice.total_minor),
        pdf_url: pdf_url(invoice.id),
    }
}

pub fn pdf_url(invoice: InvoiceId) -> String {
    format!("/api/public/billing/invoices/{invoice}/pdf")
}

/// The customer signed in by this request's session cookie.
async fn signed_in(state: &AppState) -> Result<i64, PortalError> {
    let token = cookies::read(SESSION_COOKIE).ok_or(PortalError::SignedOut)?;
    state.accounts.authenticate(&token, SessionKind::Portal).await
}

fn start_session(state: &AppState, grant: &SessionGrant) {
    cookies::set(SESSION_COOKIE, grant.token.reveal(), "/", state.cookies.secure, Some(grant.valid_for));
}
