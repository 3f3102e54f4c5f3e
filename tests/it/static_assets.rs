//! `/pkg` in production: served from memory through the real router; and
//! the islands' boot script, which the server makes itself.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkout_portal::server::startup::build_state;
use checkout_portal::server::http::router::app_router;
use common::{Backend, TestApp};
use leptos::config::{Env, LeptosOptions};
use tower::ServiceExt;

#[tokio::test]
async fn production_serves_pkg_from_memory_with_revalidation() {
    let db = common::TestDb::create(common::Backend::Sqlite).await;
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("checkout-portal.css"), "body { color: black }").unwrap();
    std::fs::write(pkg.join("checkout-portal.css.br"), "brotli bytes").unwrap();
    let config = checkout_portal::server::config::Config::from_lookup(|name| (name == "DATABASE_URL").then(|| db.url.clone())).unwrap();
    let options = LeptosOptions::builder()
        .output_name("checkout-portal")
        .site_root(site.path().display().to_string())
        .env(Env::PROD)
        .build();
    let clock = std::sync::Arc::new(checkout_portal::domain::ManualClock::starting_at(common::START));
    let router = app_router(build_state(&config, options, clock).await.unwrap());
    // Changes on disk after start-up are not seen: the files were read once.
    std::fs::remove_file(pkg.join("checkout-portal.css")).unwrap();

    let get = |headers: &[(header::HeaderName, String)]| {
        let mut request = Request::builder().uri("/pkg/checkout-portal.css");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        router.clone().oneshot(request.body(Body::empty()).unwrap())
    };
    let response = get(&[(header::ACCEPT_ENCODING, "gzip, br".into())]).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/css");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(response.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let etag = response.headers()[header::ETAG].to_str().unwrap().to_owned();

    let revalidated = get(&[(header::ACCEPT_ENCODING, "br".into()), (header::IF_NONE_MATCH, etag)]).await.unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    let identity = get(&[]).await.unwrap();
    assert_eq!(identity.status(), StatusCode::OK, "still served: from memory");
    assert!(identity.headers().get(header::CONTENT_ENCODING).is_none());
    let body = axum::body::to_bytes(identity.into_body(), usize::MAX).await.unwrap();
    assert_eq!(&body[..], b"body { color: black }");
    let other = router.clone().oneshot(Request::builder().uri("/pkg/nope.js").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

on_both_backends!(every_page_boots_its_islands_from_one_cached_script);

/// The islands loader and router: one module at a content-hashed address,
/// kept by browsers for a year, rather than 13 KB inline in every page.
async fn every_page_boots_its_islands_from_one_cached_script(backend: Backend) {
    let app = TestApp::new(backend).await;
    let paid = app.purchase().await;
    let mut addresses = Vec::new();
    for page in ["/".to_owned(), "/basket".to_owned(), paid.complete_url(), "/no-such-page".to_owned()] {
        let html = app.call(axum::http::Method::GET, &page).await.text();
        let tag = "<script type=\"module\" src=\"";
        let start = html.find(tag).unwrap_or_else(|| panic!("{page}: no boot script in {html}")) + tag.len();
        addresses.push(html[start..].split('"').next().unwrap().to_owned());
        assert!(html.contains("<link rel=\"modulepreload\" href=\"/pkg/checkout-portal.js\" crossorigin=\"anonymous\">"), "{page}: {html}");
        assert!(html.contains("<link rel=\"preload\" href=\"/pkg/checkout-portal"), "{page}: the wasm is preloaded");
        assert!(!html.contains("hydrateIslands") && !html.contains("Islands-Router"), "{page}: nothing of the loader inline");
    }
    addresses.dedup();
    assert_eq!(addresses.len(), 1, "every page names the same script: {addresses:?}");
    let address = &addresses[0];
    assert!(address.starts_with("/pkg/boot/islands.") && address.ends_with(".js"), "{address}");

    let get = |encoding: &'static str| {
        let request = Request::builder().uri(address.as_str()).header(header::ACCEPT_ENCODING, encoding);
        app.send(request.body(Body::empty()).unwrap())
    };
    let plain = get("identity").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-type"), "text/javascript");
    assert_eq!(plain.header("cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(plain.header("x-content-type-options"), "nosniff");
    let script = plain.text();
    assert!(script.contains("hydrateIslands") && script.contains("Islands-Router"), "the loader and the router");
    assert!(script.contains(r#""checkout-portal""#), "it loads this app's module");

    let brotli = get("gzip, br").await;
    assert_eq!(brotli.header("content-encoding"), "br");
    assert_eq!(brotli.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(brotli.header("vary").to_ascii_lowercase().contains("accept-encoding"), "{:?}", brotli.headers);
    let mut unpacked = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut &brotli.body[..], &mut unpacked).unwrap();
    assert_eq!(unpacked, plain.body, "the same script, compressed");
    assert!(brotli.body.len() * 2 < plain.body.len(), "{} of {} bytes", brotli.body.len(), plain.body.len());
    let gzip = get("gzip").await;
    assert_eq!(gzip.header("content-encoding"), "gzip");

    let other = app.call(axum::http::Method::GET, "/pkg/boot/islands.0000000000000000.js").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "only the current script");
}
