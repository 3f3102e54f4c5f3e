//! The built assets under `/pkg` (the CSS, JS and wasm), held in memory in
//! production: read once at start-up with their precompressed variants, so a
//! request touches no file system and revalidation is a cheap 304.
//! In development `ServeDir` serves them instead, because they change on
//! every rebuild. Files the server makes itself (the islands' boot script)
//! are held in memory always, under content-hashed names.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

struct Asset {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    /// The identity's tag; each encoding's is derived from it (`"…-br"`),
    /// since a tag names one representation.
    etag: String,
}

/// Every file of the `/pkg` directory, by name.
#[derive(Clone)]
pub struct PkgFiles {
    assets: Arc<HashMap<String, Asset>>,
}

impl PkgFiles {
    /// Reads every file of `dir` (not its subdirectories); `x.br` and
    /// `x.gz` become the compressed forms of `x`.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut raw: HashMap<String, Vec<u8>> = HashMap::new();
        // Subdirectories too (wasm-bindgen puts inline JS under `snippets/`).
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current)? {
                let entry = entry?;
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    pending.push(entry.path());
                } else if kind.is_file() {
                    let relative = entry.path().strip_prefix(dir).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                    raw.insert(relative, std::fs::read(entry.path())?);
                }
            }
        }
        let mut assets = HashMap::new();
        for (name, bytes) in &raw {
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let etag = format!("\"{}\"", content_hash(bytes, 12));
            assets.insert(
                name.clone(),
                Asset {
                    identity: Bytes::from(bytes.clone()),
                    brotli: raw.get(&format!("{name}.br")).map(|b| Bytes::from(b.clone())),
                    gzip: raw.get(&format!("{name}.gz")).map(|b| Bytes::from(b.clone())),
                    content_type: HeaderValue::from_static(content_type(name)),
                    etag,
                },
            );
        }
        Ok(Self { assets: Arc::new(assets) })
    }

    pub fn len(&self) -> usize {
        self.assets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// A router serving these files at `/{name}` (nest it under `/pkg`).
    pub fn router(self) -> Router {
        Router::new().route("/{*name}", get(serve)).with_state(self)
    }

    fn respond(&self, name: &str, request: &HeaderMap) -> Response {
        let Some(asset) = self.assets.get(name) else {
            return (StatusCode::NOT_FOUND, "Not found").into_response();
        };
        let (body, encoding) = match (accepts(request, "br"), &asset.brotli, accepts(request, "gzip"), &asset.gzip) {
            (true, Some(br), _, _) => (br.clone(), Some("br")),
            (_, _, true, Some(gz)) => (gz.clone(), Some("gzip")),
            _ => (asset.identity.clone(), None),
        };
        let etag = match encoding {
            Some(encoding) => format!("{}-{encoding}\"", asset.etag.trim_end_matches('"')),
            None => asset.etag.clone(),
        };
        let etag = HeaderValue::from_str(&etag).expect("hex and a coding name are a valid header value");
        let mut response = if if_none_match(request, &etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(body));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag);
        // Names are not content-hashed: revalidate every time (a 304 is cheap).
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

/// A file the server makes itself at start-up, served under a name that
/// carries a hash of its content: browsers keep it for a year without asking
/// again, and a changed file is a new name. The router's compression layer
/// compresses it on the rare request (precompressing at start-up cost the
/// idle server several MB that the allocator kept).
#[derive(Clone)]
pub struct HashedFile {
    path: String,
    content: Bytes,
    content_type: HeaderValue,
}

impl HashedFile {
    /// Served at `{dir}/{stem}.{hash}.{extension}`.
    pub fn new(dir: &str, stem: &str, extension: &str, content: Vec<u8>) -> Self {
        Self {
            path: format!("{dir}/{stem}.{}.{extension}", content_hash(&content, 8)),
            content: Bytes::from(content),
            content_type: HeaderValue::from_static(content_type(extension)),
        }
    }

    /// The address pages link to.
    pub fn path(&self) -> &str {
        &self.path
    }

    #[cfg(test)]
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// A router serving this one file at its path.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let file = self.clone();
        Router::new().route(&self.path, get(move || async move { file.respond() }))
    }

    fn respond(&self) -> Response {
        let headers = [
            (header::CONTENT_TYPE, self.content_type.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ];
        (headers, self.content.clone()).into_response()
    }
}

/// The first `bytes` bytes of the content's SHA-256, in hex: a name for
/// exactly this content (ETags, hashed file names).
fn content_hash(content: &[u8], bytes: usize) -> String {
    crate::domain::ids::sha256_hex(content, bytes)
}

async fn serve(State(files): State<PkgFiles>, UrlPath(name): UrlPath<String>, headers: HeaderMap) -> Response {
    files.respond(&name, &headers)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Whether `Accept-Encoding` allows `coding` (present, and not `q=0`).
fn accepts(request: &HeaderMap, coding: &str) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding))
                && parts.all(|param| !matches!(param.strip_prefix("q="), Some(q) if q.parse::<f32>().is_ok_and(|q| q == 0.0)))
        })
}

fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.to_str().unwrap_or_default()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> (tempfile::TempDir, PkgFiles) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("app.css.br"), "BR").unwrap();
        std::fs::write(dir.path().join("app.css.gz"), "GZ").unwrap();
        std::fs::write(dir.path().join("app.wasm"), "WASM").unwrap();
        std::fs::create_dir_all(dir.path().join("snippets/x")).unwrap();
        std::fs::write(dir.path().join("snippets/x/inline0.js"), "export{}").unwrap();
        let files = PkgFiles::load(dir.path()).unwrap();
        (dir, files)
    }

    fn request(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), HeaderValue::from_static(v))).collect()
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()
    }

    #[tokio::test]
    async fn serves_the_best_encoding_the_client_accepts() {
        let (_dir, files) = files();
        assert_eq!(files.len(), 3, "compressed variants are not files of their own");
        let snippet = files.respond("snippets/x/inline0.js", &HeaderMap::new());
        assert_eq!(snippet.headers()[header::CONTENT_TYPE], "text/javascript");
        let br = files.respond("app.css", &request(&[(header::ACCEPT_ENCODING, "gzip, deflate, br")]));
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::CONTENT_TYPE], "text/css");
        assert_eq!(br.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        assert_eq!(body(br).await, b"BR");
        let gz = files.respond("app.css", &request(&[(header::ACCEPT_ENCODING, "gzip, br;q=0")]));
        assert_eq!(body(gz).await, b"GZ");
        let plain = files.respond("app.css", &HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body(plain).await, b"body{}");
        let wasm = files.respond("app.wasm", &request(&[(header::ACCEPT_ENCODING, "br")]));
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(body(wasm).await, b"WASM", "no .br variant: identity");
    }

    #[tokio::test]
    async fn revalidation_is_a_304_and_unknown_files_a_404() {
        let (_dir, files) = files();
        let brotli = files.respond("app.css", &request(&[(header::ACCEPT_ENCODING, "br")]));
        let identity_tag = files.respond("app.css", &HeaderMap::new()).headers()[header::ETAG].clone();
        assert_ne!(brotli.headers()[header::ETAG], identity_tag, "each encoding has its own tag");
        let first = files.respond("app.css", &HeaderMap::new());
        let etag = first.headers()[header::ETAG].clone();
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag.clone());
        let cached = files.respond("app.css", &again);
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(cached.headers()[header::ETAG], etag);
        assert!(body(cached).await.is_empty());
        assert_eq!(files.respond("nope.css", &HeaderMap::new()).status(), StatusCode::NOT_FOUND);
        assert_eq!(files.respond("app.css.br", &HeaderMap::new()).status(), StatusCode::NOT_FOUND);
    }
}
