//! `/pkg` in production: served from memory through the real router.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkout_portal::server::startup::build_state;
use checkout_portal::server::http::router::app_router;
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
