//! Server side of the portal pages' `#[server]` functions: the session
//! cookie, statuses, and where the browser goes next.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::domain::{Customer, CustomerId, Invoice, InvoiceAccessToken, InvoiceId, Money, SecretToken};
use crate::server::i18n::format;
use crate::api::guest_access::completion_path;
use crate::api::portal::{
    safe_next, AccountView, InlinePasswordOutcome, InvoiceDetailView, InvoiceLineView, InvoiceListView, InvoiceRowView,
    LinkPurpose, PortalError, SaveLanguage, SetPasswordNow, LANGUAGE_SAVED, MY_INVOICES, PASSWORD_SET, SIGN_IN,
};
use crate::server::services::accounts::{parse, SessionGrant};
use crate::server::http::server_fns::guest_access::invoice_token_cookie;
use crate::server::http::server_fns::{failure_path_for, no_store, submitted_without_javascript, with_status};
use crate::server::http::cookies::{self, DEVICE_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE};
use crate::server::http::client_addr;
use crate::server::http::i18n;
use crate::server::services::my_invoices::parse_paging;
use crate::server::http::state::AppState;
use crate::server::store::accounts::SessionKind;

const INVOICES_PER_PAGE: u32 = 20;

pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = match parse::email(&email) {
        Ok(email) => state.accounts.sign_in(&email, &password, client_addr::client_ip(), device().as_ref()).await,
        Err(invalid) => Err(invalid),
    };
    with_status(result.map(|grant| {
        start_session(&state, &grant);
        leptos_axum::redirect(&safe_next(next.as_deref()));
    }))
}

pub async fn request_link(email: String, purpose: LinkPurpose) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = match parse::email(&email) {
        Ok(email) => state.accounts.request_link(&email, purpose, client_addr::client_ip(), device().as_ref()).await,
        Err(invalid) => Err(invalid),
    };
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
    with_status(match parse::link_token(&token) {
        Ok(token) => state.accounts.link_purpose(&token).await,
        Err(invalid) => Err(invalid),
    })
}

pub async fn use_sign_in_link(token: String) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = match parse::link_token(&token) {
        Ok(token) => state.accounts.sign_in_with_link(&token, device().as_ref()).await,
        Err(invalid) => Err(invalid),
    };
    with_status(result.map(|grant| {
        start_session(&state, &grant);
        leptos_axum::redirect(MY_INVOICES);
    }))
}

pub async fn choose_password(token: String, password: String) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    // The password's own errors first: the form shows them beside the field.
    let result = match (parse::new_password(&password), parse::link_token(&token)) {
        (Ok(password), Ok(token)) => state.accounts.choose_password(&token, &password).await,
        (Err(invalid), _) | (_, Err(invalid)) => Err(invalid),
    };
    with_status(result.map(|grant| {
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
        let password = parse::new_password(&password)?;
        let (outcome, grant) =
            state.accounts.set_password_after_checkout(invoice, &token, &password, client_addr::client_ip()).await?;
        if let Some(grant) = &grant {
            start_session(&state, grant);
        }
        Ok(outcome)
    }
    .await;
    if submitted_without_javascript() {
        // A plain form post (or the islands router's): back to the page,
        // which shows the outcome, or the error beside the field. The page
        // sends no Referer, so leptos could not find the way back itself.
        let page = completion_path(&invoice_id);
        let target = match &result {
            Ok(outcome) => format!("{page}&{PASSWORD_SET}={}", outcome.query_value()),
            Err(error) => failure_path_for(SetPasswordNow::PATH, &page, error),
        };
        leptos_axum::redirect(&target);
    }
    with_status(result)
}

pub async fn sign_out(everywhere: bool) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    // This browser is signed out even if the revocation below fails.
    cookies::clear_site(state.cookies, SESSION_COOKIE);
    // A cookie that is not a token names no session: nothing to revoke.
    if let Some(token) = cookies::read_site(SESSION_COOKIE).and_then(|raw| parse::session_token(&raw).ok()) {
        with_status(state.accounts.sign_out(&token, everywhere).await)?;
    }
    leptos_axum::redirect(SIGN_IN);
    Ok(())
}

pub async fn save_language(language: String) -> Result<(), PortalError> {
    let state = expect_context::<AppState>();
    let result = async {
        let customer = signed_in(&state).await?;
        let locale = parse::saved_locale(&language)?;
        state.accounts.save_locale(customer, locale).await?;
        // The language cookie outranks the saved language (the browser's own
        // choice), so it follows the change: the next page is in `locale`.
        cookies::set_site(state.cookies, LANGUAGE_COOKIE, locale.tag(), Some(i18n::REMEMBERED_FOR));
        Ok(())
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(LANGUAGE_SAVED),
        // A plain form post goes back to the page, which shows the error
        // beside the list (no Referer needed to find the way back).
        Err(error) if submitted_without_javascript() => leptos_axum::redirect(&failure_path_for(SaveLanguage::PATH, MY_INVOICES, error)),
        Err(_) => {}
    }
    with_status(result)
}

pub async fn my_invoices(page: Option<String>) -> Result<InvoiceListView, PortalError> {
    let state = expect_context::<AppState>();
    no_store();
    let result = async {
        let customer = signed_in(&state).await?;
        // A bad page number in the address shows the first page.
        let page = parse_paging(page.as_deref(), None).map_or(1, |(page, _)| page);
        let account = account_view(state.accounts.customer(customer).await?);
        let listed = state.my_invoices.page(customer, page, INVOICES_PER_PAGE).await?;
        let locale = crate::pages::i18n::locale();
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
                    date: format::date(locale, invoice.issued_at),
                    total: format::money(locale, Money::new(invoice.total_minor, invoice.currency)),
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
        let account = account_view(state.accounts.customer(customer).await?);
        let invoice = state.my_invoices.invoice(customer, id).await?;
        Ok(detail_view(account, &invoice))
    }
    .await;
    with_status(result)
}

fn account_view(customer: Customer) -> AccountView {
    AccountView { name: customer.name, email: customer.email, language: customer.locale.tag().to_owned() }
}

fn detail_view(account: AccountView, invoice: &Invoice) -> InvoiceDetailView {
    let locale = crate::pages::i18n::locale();
    let money = |minor| format::money(locale, Money::new(minor, invoice.currency));
    let bill_to = &invoice.bill_to;
    InvoiceDetailView {
        account,
        id: invoice.id.get(),
        number: invoice.number.clone(),
        date: format::date(locale, invoice.issued_at),
        paid_on: invoice.paid_at.map(|at| format::date(locale, at)),
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
                tax_rate: format::percent(locale, line.tax_rate),
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
async fn signed_in(state: &AppState) -> Result<CustomerId, PortalError> {
    let token = cookies::read_site(SESSION_COOKIE).ok_or(PortalError::SignedOut)?;
    state.accounts.authenticate(&parse::session_token(&token)?, SessionKind::Portal).await
}

fn start_session(state: &AppState, grant: &SessionGrant) {
    cookies::set_site(state.cookies, SESSION_COOKIE, grant.token.reveal(), Some(grant.valid_for));
    if let Some(device) = &grant.device {
        cookies::set_site(state.cookies, DEVICE_COOKIE, device.token.reveal(), Some(device.valid_for));
    }
}

/// This browser's device cookie, if it sent a well-formed one.
fn device() -> Option<SecretToken> {
    cookies::read_site(DEVICE_COOKIE).and_then(|raw| raw.trim().parse().ok())
}
