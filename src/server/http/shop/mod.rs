//! The shop's look, served from the app's own origin (the page policy
//! allows images and styles from nowhere else): the logo by the SHA-256 of
//! its bytes, and the accent colour as a stylesheet named by the colour.
//! Both names change whenever the content does, so browsers keep them for good.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::shop::{Accent, LogoFormat};
use crate::server::http::state::AppState;
use crate::server::services::shop::Shop;

pub fn routes() -> Router<AppState> {
    Router::new().route("/shop/logo/{file}", get(logo)).route("/shop/theme/{file}", get(theme))
}

/// What a logo or theme URL is cached with: its name is its content.
const FOR_GOOD: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// An SVG opened on its own (not as an `<img>`) runs nothing and loads nothing.
const LOGO_POLICY: HeaderValue =
    HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'");

/// `/shop/logo/{sha256}.{svg|png}`: a logo the shop stored.
async fn logo(State(shop): State<Shop>, Path(file): Path<String>) -> Response {
    let Some((sha256, extension)) = file.split_once('.') else { return not_found() };
    let well_formed = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let Some(wanted) = LogoFormat::from_extension(extension).filter(|_| well_formed) else { return not_found() };
    match shop.logo(sha256).await {
        Ok(Some((format, bytes))) if format == wanted => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(format.media_type())),
                (header::CACHE_CONTROL, FOR_GOOD),
                (header::CONTENT_SECURITY_POLICY, LOGO_POLICY),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ],
            bytes,
        )
            .into_response(),
        Ok(_) => not_found(),
        Err(error) => {
            tracing::error!(%error, "cannot read a logo");
            (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, HeaderValue::from_static("5"))]).into_response()
        }
    }
}

/// `/shop/theme/{rrggbb}.css`: the page's accent variables for that colour.
async fn theme(Path(file): Path<String>) -> Response {
    let accent = file
        .strip_suffix(".css")
        .filter(|hex| hex.len() == 6)
        .and_then(|hex| format!("#{hex}").parse::<Accent>().ok());
    match accent {
        Some(accent) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
                (header::CACHE_CONTROL, FOR_GOOD),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ],
            theme_css(accent),
        )
            .into_response(),
        None => not_found(),
    }
}

/// The stylesheet path of `accent`, as every page's head links it.
pub fn theme_path(accent: Accent) -> String {
    format!("/shop/theme/{}.css", &accent.hex()[1..])
}

/// The custom properties `style/main.css` draws the accent from.
pub fn theme_css(accent: Accent) -> String {
    let strong = accent.darker();
    format!(
        ":root{{--accent:{};--accent-strong:{};--focus:0 0 0 3px rgba({}, {}, {}, 0.35)}}\n",
        accent.hex(),
        strong.hex(),
        accent.red,
        accent.green,
        accent.blue
    )
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_sets_the_accent_its_hover_and_focus() {
        let css = theme_css("#0b5d3b".parse().unwrap());
        assert_eq!(css, ":root{--accent:#0b5d3b;--accent-strong:#084a2f;--focus:0 0 0 3px rgba(11, 93, 59, 0.35)}\n");
        assert_eq!(theme_path(Accent::DEFAULT), "/shop/theme/1f5f8b.css");
    }
}
