//! The axum router: REST API, Leptos pages and server functions, static files.

use axum::body::Body;
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Request};
use axum::response::IntoResponse;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::app::{shell, App};
use crate::server::http::{health, payments, rest, security, shop};
use crate::server::metrics;
use crate::server::http::state::AppState;
use crate::server::http::islands_boot::IslandsBoot;
use crate::server::http::static_files::PkgFiles;

pub fn app_router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);

    // Built assets are not content-hashed, so browsers revalidate them
    // (a cheap 304) instead of risking a JS/wasm mismatch after a deploy.
    // In production they are served from memory; in development from disk,
    // where every rebuild changes them.
    let in_memory = (options.env == leptos::config::Env::PROD)
        .then(|| PkgFiles::load(std::path::Path::new(&pkg_dir)))
        .and_then(|loaded| {
            loaded
                .inspect_err(|error| tracing::warn!(%error, dir = %pkg_dir, "cannot load /pkg into memory; serving it from disk"))
                .ok()
        })
        .filter(|files| !files.is_empty());
    let pkg = match in_memory {
        Some(files) => Router::new().nest_service("/pkg", files.router()),
        None => Router::new().nest_service(
            "/pkg",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
                .service(ServeDir::new(&pkg_dir).precompressed_br().precompressed_gzip()),
        ),
    };
    // Files copied from `public/`; anything else is the app's 404 page.
    let not_found = leptos_axum::file_and_error_handler::<AppState, _>(shell).with_state(state.clone());
    let public = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ))
        .service(
            ServeDir::new(site_root)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(not_found),
        );

    // Generated once per process: generation briefly suppresses resource
    // loading process-wide (leptos#4773), so a second generation while
    // another router serves (as in parallel tests) could stall a render.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let mut router = Router::new().merge(rest::routes()).merge(health::routes()).merge(payments::routes()).merge(shop::routes());
    if state.metrics_on_app_port {
        router = router.merge(metrics::routes());
    }
    if state.bench_baseline {
        router = router
            .route("/__bench/baseline", axum::routing::get(bench_baseline))
            .route("/__bench/leptos-floor", axum::routing::get(leptos_axum::render_app_async(leptos_floor)));
    }
    let router = router
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .layer(axum::middleware::map_response(server_fn_input_errors))
        .layer(axum::middleware::from_fn(refuse_cross_site_posts))
        .merge(pkg)
        .merge(IslandsBoot::get(&options).script.router())
        .fallback_service(public)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")));
    let router = security::layers(state.cookies.secure).into_iter().fold(router, |router, layer| router.layer(layer));
    let router = router.layer(compress_pages());
    // Outside every route, the 404 page and static files included, so each knows its language.
    let router = router.layer(axum::middleware::from_fn_with_state(state.clone(), crate::server::http::i18n::choose_locale));
    // Every route: a body over the limit is a 413, a request still
    // unanswered after the timeout a 408 (its transaction rolls back).
    let router = router
        .layer(tower_http::limit::RequestBodyLimitLayer::new(state.limits.max_body))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.limits.timeout,
        ));
    // Only method and path are logged: query strings carry tokens.
    router
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// Pages are compressed as they are sent (brotli at a fast level, else
/// gzip): a phone on a slow link waits for the HTML before anything else
/// can load. So are the server's own content-hashed scripts (the islands'
/// boot script), which browsers then keep. `/pkg` is compressed ahead of
/// time, and other answers are small JSON.
fn compress_pages() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{Predicate, SizeAbove};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    let pages_and_hashed_scripts = |_: axum::http::StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions| {
        let text = |name| headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok()).unwrap_or_default();
        let (content_type, cache_control) = (text(header::CONTENT_TYPE), text(header::CACHE_CONTROL));
        let hashed_script = content_type.starts_with("text/javascript") && cache_control.contains("immutable");
        // A page holding a secret beside text from its URL says `no-transform` (BREACH).
        (content_type.starts_with("text/html") || hashed_script) && !cache_control.contains("no-transform")
    };
    // Level 1: brotli at its default (11) costs milliseconds per page, and at 4 still doubled the render's CPU.
    CompressionLayer::new().quality(CompressionLevel::Precise(1)).compress_when(SizeAbove::new(1024).and(pages_and_hashed_scripts))
}

/// server_fn answers arguments it cannot decode (a tampered form, a wrong
/// content type) with a 500 before our code runs. Every failure of our own
/// has its proper status, so a 500 from these endpoints is bad input: a 400.
async fn server_fn_input_errors(
    uri: axum::http::Uri,
    mut response: axum::response::Response,
) -> axum::response::Response {
    if is_server_fn(uri.path()) && response.status() == axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    response
}

fn is_server_fn(path: &str) -> bool {
    path.starts_with("/checkout/api/") || path.starts_with("/account/api/")
}

/// Server functions sign in, set cookies and change data, and plain HTML
/// forms may post them; SameSite=Lax keeps other sites' posts from carrying
/// our cookies, but not from receiving new ones (login CSRF). A browser says
/// where a request comes from (`Sec-Fetch-Site`, `Origin`); a post from
/// another site is refused. Clients that send neither (API tools) pass.
async fn refuse_cross_site_posts(request: Request<Body>, next: axum::middleware::Next) -> axum::response::Response {
    if request.method() == axum::http::Method::POST && is_server_fn(request.uri().path()) && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site form post refused");
        return (axum::http::StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // `same-site` includes sibling subdomains, which are other sites to us.
        return !matches!(site, "same-origin" | "none");
    }
    match (text("origin"), text("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, authority)| authority) != Some(host),
        _ => false,
    }
}

/// For `scripts/bench` only (`BENCH_BASELINE=1`): the cheapest page Leptos
/// serves through leptos_axum (a document with one paragraph of about the
/// size of the checkout-complete page, no router, no meta tags, no data):
/// the floor under any server-rendered page of this app.
fn leptos_floor() -> impl leptos::IntoView {
    use leptos::prelude::*;
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| "Leptos. ".repeat(350));
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <body>
                <p>{TEXT.as_str()}</p>
            </body>
        </html>
    }
}

/// For `scripts/bench` only (`BENCH_BASELINE=1`): a trivial handler returning
/// a pre-rendered body of `?bytes=N`, the baseline the SSR page is compared with.
async fn bench_baseline(axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>) -> axum::response::Html<&'static str> {
    static BODY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| "x".repeat(256 * 1024));
    let bytes = params.get("bytes").and_then(|b| b.parse::<usize>().ok()).unwrap_or(0).min(BODY.len());
    axum::response::Html(&BODY[..bytes])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> axum::http::HeaderMap {
        pairs.iter().map(|(k, v)| (axum::http::HeaderName::from_static(k), HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "billing.example.com")])));
        assert!(!is_cross_site(&headers(&[("origin", "https://billing.example.com"), ("host", "billing.example.com")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "billing.example.com")])));
        assert!(!is_cross_site(&headers(&[])), "non-browser clients send neither");
    }
}
