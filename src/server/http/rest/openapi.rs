//! The REST API's contract: an OpenAPI 3.1 description generated from the
//! handlers' `#[utoipa::path]` annotations and the response types, served at
//! `GET /api/openapi.json`. The test command checks the running app against
//! it with schemathesis (`scripts/api-contract`).

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

use super::{customer_invoices, guest_token, oauth};
use crate::server::http::cookies::SESSION_COOKIE;
use crate::server::http::state::CookiePolicy;
use crate::server::http::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "checkout-portal",
        description = "The Nexudus-compatible billing endpoints of the guest checkout: register a paid guest by \
            invoice token, download an invoice, and a customer's own invoices over OAuth2 bearer tokens.",
        license(name = "MIT"),
    ),
    paths(
        guest_token::register_by_token,
        guest_token::pdf_by_token,
        oauth::token,
        customer_invoices::list_my_invoices,
        customer_invoices::get_invoice,
        customer_invoices::get_invoice_pdf,
    ),
    tags(
        (name = "guest", description = "A guest who has just paid: no account, the purchase's tokens prove it."),
        (name = "customer", description = "A signed-in customer: a bearer token from `/api/token`, or the portal's session cookie."),
    ),
    modifiers(&Auth, &EveryOperation),
)]
struct ApiDoc;

/// The two ways a customer is signed in.
struct Auth;

impl Modify for Auth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An `access_token` from `POST /api/token`."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "portalSession",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                CookiePolicy::new(false).name(SESSION_COOKIE),
                "The customer portal's session cookie, set by signing in on the site (`__Host-portal_session` when the site is served over https).",
            ))),
        );
    }
}

/// What every operation can answer besides its own outcomes: the limits the
/// router puts on every request, a 503 when the database cannot answer, and,
/// where a customer must be signed in, the 401 that asks for credentials.
struct EveryOperation;

impl Modify for EveryOperation {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let unavailable = ResponseBuilder::new()
            .description("The service cannot answer now (the database is unreachable); try again shortly.")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build())
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::Integer))
                    .description(Some("Seconds to wait."))
                    .build(),
            )
            .build();
        let timeout = ResponseBuilder::new().description("The request took longer than the server allows (`REQUEST_TIMEOUT`).").build();
        let too_large = ResponseBuilder::new().description("The body is larger than the server accepts (`MAX_REQUEST_BODY`).").build();
        let signed_out = ResponseBuilder::new()
            .description("Not signed in: no, an unknown or an expired bearer token or session cookie.")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build())
            .header("WWW-Authenticate", HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(Type::String)).description(Some("`Bearer`")).build())
            .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                let add = |operation: &mut Operation, status: &str, response: &utoipa::openapi::Response| {
                    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| response.clone().into());
                };
                add(operation, "503", &unavailable);
                add(operation, "408", &timeout);
                add(operation, "413", &too_large);
                if operation.security.as_ref().is_some_and(|security| !security.is_empty()) {
                    add(operation, "401", &signed_out);
                }
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(description))
}

/// The description, built once.
fn document() -> &'static serde_json::Value {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI description serialises");
        camel_case_links(&mut document);
        binary_pdf_bodies(&mut document);
        document
    })
}

/// A PDF body is bytes, not JSON: utoipa describes `Vec<u8>` as an array of
/// integers whatever the content type, so the PDF responses get the schema
/// OpenAPI 3.1 uses for binary content.
fn binary_pdf_bodies(document: &mut serde_json::Value) {
    let Some(paths) = document["paths"].as_object_mut() else { return };
    let operations = paths.values_mut().filter_map(serde_json::Value::as_object_mut).flat_map(|item| item.values_mut());
    let responses = operations.filter_map(|operation| operation["responses"].as_object_mut()).flat_map(|r| r.values_mut());
    for pdf in responses.filter_map(|response| response.pointer_mut("/content/application~1pdf")) {
        pdf["schema"] = serde_json::json!({ "type": "string", "contentMediaType": "application/pdf" });
    }
}

/// utoipa 5.5 writes a Link Object's fields in snake_case (`operation_id`);
/// OpenAPI names them `operationId`, `operationRef` and `requestBody`, and
/// clients following links (schemathesis' stateful phase) read those.
fn camel_case_links(document: &mut serde_json::Value) {
    let Some(paths) = document["paths"].as_object_mut() else { return };
    let operations = paths.values_mut().filter_map(serde_json::Value::as_object_mut).flat_map(|item| item.values_mut());
    let responses = operations.filter_map(|operation| operation["responses"].as_object_mut()).flat_map(|r| r.values_mut());
    for links in responses.filter_map(|response| response.get_mut("links").and_then(serde_json::Value::as_object_mut)) {
        for link in links.values_mut().filter_map(serde_json::Value::as_object_mut) {
            for (snake, camel) in [("operation_id", "operationId"), ("operation_ref", "operationRef"), ("request_body", "requestBody")] {
                if let Some(value) = link.remove(snake) {
                    link.insert(camel.to_owned(), value);
                }
            }
        }
    }
}

async fn description() -> Response {
    let mut response = Json(document()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rest_route_is_described_with_its_statuses() {
        let doc = document();
        let operation = |path: &str, method: &str| &doc["paths"][path][method];
        let register = operation("/api/public/billing/invoices/{invoiceId}/registerByToken", "post");
        for status in ["200", "400", "401", "404", "408", "413", "503"] {
            assert!(register["responses"][status].is_object(), "registerByToken {status}");
        }
        assert_eq!(register["responses"]["200"]["links"]["PdfByToken"]["operationId"], "pdfByToken");
        assert!(operation("/api/public/billing/invoices/{invoiceId}/pdfByToken", "get").is_object());
        assert!(operation("/api/token", "post")["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
        // A form carries no null, and the server wants an email as the username.
        let token_request = &doc["components"]["schemas"]["TokenRequest"]["properties"];
        assert_eq!(token_request["username"]["type"], "string", "{token_request}");
        assert_eq!(token_request["username"]["format"], "email", "{token_request}");
        for field in ["grant_type", "username", "password", "refresh_token"] {
            assert!(!token_request[field].to_string().contains("null"), "{field} is never null: {token_request}");
        }
        for path in ["/api/public/billing/invoices/my", "/api/public/billing/invoices/{invoiceId}", "/api/public/billing/invoices/{invoiceId}/pdf"] {
            let security = &operation(path, "get")["security"];
            assert_eq!(security[0]["bearer"], serde_json::json!([]), "{path}");
            assert_eq!(security[1]["portalSession"], serde_json::json!([]), "{path}");
            let signed_out = &operation(path, "get")["responses"]["401"];
            assert!(signed_out["headers"]["WWW-Authenticate"].is_object(), "{path}");
            assert_eq!(signed_out["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorEnvelope");
        }
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(doc["components"]["securitySchemes"]["portalSession"]["name"], CookiePolicy::new(false).name(SESSION_COOKIE));
        assert_eq!(doc["components"]["schemas"]["TokenResponse"]["properties"]["Token"]["minLength"], 43);
        for path in ["/api/public/billing/invoices/{invoiceId}/pdfByToken", "/api/public/billing/invoices/{invoiceId}/pdf"] {
            let pdf = &operation(path, "get")["responses"]["200"]["content"]["application/pdf"]["schema"];
            assert_eq!(pdf, &serde_json::json!({ "type": "string", "contentMediaType": "application/pdf" }), "{path}");
        }
    }
}
