//! Each request's locale, decided once before any handler runs (the order
//! is `server::i18n::negotiate`'s), kept in the request's extensions, where
//! pages, server functions and handlers read it.
//!
//! `?lang=` also sets the language cookie, so the choice sticks, and every
//! page says what its language depended on (`Vary`), so no cache hands one
//! visitor's language to another.

use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::locale::Locale;
use crate::domain::SecretToken;
use crate::server::http::cookies::{self, LANGUAGE_COOKIE, SESSION_COOKIE};
use crate::server::http::state::AppState;
use crate::server::i18n::negotiate::Asked;

/// The locale a request is answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

/// How long a chosen language is remembered.
pub const REMEMBERED_FOR: std::time::Duration = std::time::Duration::from_secs(365 * 24 * 60 * 60);

/// Paths whose answers carry no words for people: no reason to look up
/// a signed-in customer's saved locale for them.
fn speaks_to_people(path: &str) -> bool {
    !["/pkg/", "/api/", "/health", "/metrics", "/shop/", "/favicon", "/webhooks/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The middleware: decides the locale, remembers a `?lang=` choice, and
/// marks pages as varying by what decided it.
pub async fn choose_locale(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let offer = state.languages;
    let query = query_lang(request.uri().query());
    let cookie = cookies::from_headers(request.headers(), state.cookies.name(LANGUAGE_COOKIE));
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let asked = Asked { query: query.as_deref(), cookie: cookie.as_deref(), accept_language: accept_language.as_deref() };
    let session = match offer.explicit(asked) {
        Some(_) => None,
        None => portal_session(&state, &request),
    };
    let customer = match session {
        Some(token) => state.accounts.session_locale(&token).await,
        None => None,
    };
    let locale = offer.choose(asked, customer);
    let remember = query.as_deref().and_then(|tag| offer.chosen(tag)).filter(|chosen| cookie.as_deref() != Some(chosen.tag()));
    request.extensions_mut().insert(RequestLocale(locale));

    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Only pages speak, so only they remember the choice and vary by it.
    let is_page = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| value.starts_with("text/html"));
    if is_page {
        if let Some(chosen) = remember {
            if let Some(value) = cookies::setting_site_header(state.cookies, LANGUAGE_COOKIE, chosen.tag(), REMEMBERED_FOR) {
                headers.append(header::SET_COOKIE, value);
            }
        }
        headers.append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}

/// The last `lang` parameter of a query string, if any.
fn query_lang(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .filter(|(name, _)| name == "lang")
        .map(|(_, value)| value.into_owned())
        .last()
}

/// The portal session a request carries, where its answer speaks to people.
fn portal_session(state: &AppState, request: &Request<Body>) -> Option<SecretToken> {
    if !speaks_to_people(request.uri().path()) {
        return None;
    }
    cookies::from_headers(request.headers(), state.cookies.name(SESSION_COOKIE))?.trim().parse().ok()
}

/// Handlers take the request's locale as an argument.
impl<S: Send + Sync> FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(of(parts))
    }
}

/// The locale the middleware chose for a request (the fallback where it did not run).
pub fn of(parts: &Parts) -> RequestLocale {
    parts.extensions.get::<RequestLocale>().copied().unwrap_or(RequestLocale(Locale::FALLBACK))
}

/// The query parameters that decide what a page shows, which the
/// language switcher keeps. Others (a one-time notice, anything made up)
/// are left behind, so no page reflects text from its address.
const PAGE_PARAMETERS: &[&str] = &["invoiceId", "basketSession", "token", "page", "attempt", "session_id", "next"];

/// Where the language switcher sends a visitor for `locale`: this page
/// (a query-only reference, so it cannot lead elsewhere, whatever the
/// path), with the parameters that decide what it shows and `lang`. A
/// checkout-complete page whose purchase this browser has registered needs
/// its basket secret no more: leaving it out keeps it out of the address
/// bar and history, which the page cleared.
pub fn switch_href(parts: &Parts, locale: Locale) -> String {
    let current: Vec<(String, String)> =
        parts.uri.query().map(|query| url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()).unwrap_or_default();
    let registered_here = parts.uri.path() == "/checkout/complete"
        && current
            .iter()
            .find(|(name, _)| name == "invoiceId")
            .and_then(|(_, id)| id.parse::<crate::domain::InvoiceId>().ok())
            .and_then(|invoice| cookies::from_headers(&parts.headers, &crate::server::http::server_fns::guest_access::invoice_token_cookie(invoice)))
            .is_some();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &current {
        let kept = PAGE_PARAMETERS.contains(&name.as_str()) && !(registered_here && name == "basketSession");
        if kept {
            query.append_pair(name, value);
        }
    }
    query.append_pair("lang", locale.tag());
    format!("?{}", query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str) -> Parts {
        Request::builder().uri(uri).body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_switcher_keeps_the_page_and_what_it_shows() {
        let ar: Locale = "ar".parse().unwrap();
        assert_eq!(switch_href(&parts("/basket"), ar), "?lang=ar");
        assert_eq!(
            switch_href(&parts("/checkout/complete?invoiceId=7&basketSession=abc&lang=de&lang=en"), ar),
            "?invoiceId=7&basketSession=abc&lang=ar"
        );
        assert_eq!(switch_href(&parts("/account/invoices?page=2&saved=language"), ar), "?page=2&lang=ar", "a notice is shown once");
    }

    #[test]
    fn the_switcher_reflects_nothing_made_up_and_leads_nowhere_else() {
        let de: Locale = "de".parse().unwrap();
        assert_eq!(switch_href(&parts("/?q=%22%3E%3Cscript%3E"), de), "?lang=de");
        assert_eq!(switch_href(&parts("//evil.example/x"), de), "?lang=de", "a query-only reference stays on this page");
    }

    #[test]
    fn a_registered_purchase_s_switcher_leaves_its_basket_secret_behind() {
        let de: Locale = "de".parse().unwrap();
        let mut registered = parts("/checkout/complete?invoiceId=7&basketSession=abc");
        registered.headers.insert(header::COOKIE, HeaderValue::from_static("invoice_token_7=secret"));
        assert_eq!(switch_href(&registered, de), "?invoiceId=7&lang=de");
        let mut other_purchase = parts("/checkout/complete?invoiceId=7&basketSession=abc");
        other_purchase.headers.insert(header::COOKIE, HeaderValue::from_static("invoice_token_8=secret"));
        assert_eq!(switch_href(&other_purchase, de), "?invoiceId=7&basketSession=abc&lang=de");
    }

    #[test]
    fn the_last_lang_parameter_counts() {
        assert_eq!(query_lang(Some("lang=de&x=1&lang=ar")).as_deref(), Some("ar"));
        assert_eq!(query_lang(Some("language=de")), None);
        assert_eq!(query_lang(None), None);
    }
}
