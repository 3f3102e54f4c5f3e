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
    if let Some(chosen) = remember {
        if let Some(value) = cookies::setting_site_header(state.cookies, LANGUAGE_COOKIE, chosen.tag(), REMEMBERED_FOR) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    let is_page = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| value.starts_with("text/html"));
    if is_page {
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

/// Where the language switcher sends a visitor for `locale`: this page,
/// its query kept (re-encoded, `lang` replaced), so a page opened from a
/// link (checkout-complete's, an emailed one) stays that page.
pub fn switch_href(parts: &Parts, locale: Locale) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(current) = parts.uri.query() {
        for (name, value) in url::form_urlencoded::parse(current.as_bytes()).filter(|(name, _)| name != "lang") {
            query.append_pair(&name, &value);
        }
    }
    query.append_pair("lang", locale.tag());
    format!("{}?{}", parts.uri.path(), query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str) -> Parts {
        Request::builder().uri(uri).body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_switcher_keeps_the_page_and_its_query() {
        let ar: Locale = "ar".parse().unwrap();
        assert_eq!(switch_href(&parts("/basket"), ar), "/basket?lang=ar");
        assert_eq!(
            switch_href(&parts("/checkout/complete?invoiceId=7&basketSession=abc&lang=de&lang=en"), ar),
            "/checkout/complete?invoiceId=7&basketSession=abc&lang=ar"
        );
        assert_eq!(switch_href(&parts("/?q=%22%3E%3Cscript%3E"), ar), "/?q=%22%3E%3Cscript%3E&lang=ar");
    }

    #[test]
    fn the_last_lang_parameter_counts() {
        assert_eq!(query_lang(Some("lang=de&x=1&lang=ar")).as_deref(), Some("ar"));
        assert_eq!(query_lang(Some("language=de")), None);
        assert_eq!(query_lang(None), None);
    }
}
