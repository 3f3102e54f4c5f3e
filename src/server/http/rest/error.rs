//! The Nexudus action envelope every REST error is answered with, and how the
//! services' typed errors map onto it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::api::checkout::FieldError;
use crate::api::guest_access::GuestAccessError;
use crate::api::portal::PortalError;
use crate::api::HttpStatus;

/// The Nexudus action envelope, used for every error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorEnvelope {
    /// Always `false`.
    was_successful: bool,
    /// The HTTP status again.
    status: u16,
    /// What went wrong, for a person; a validation failure lists its fields.
    message: String,
    /// Always `null` on an error.
    #[schema(value_type = Option<Object>)]
    value: Option<()>,
    /// One entry per invalid field, or `null`.
    errors: Option<Vec<PropertyError>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PropertyError {
    property_name: String,
    message: String,
    /// Never echoed back.
    #[schema(value_type = Option<Object>)]
    attempted_value: Option<()>,
}

/// A failure of a public API call, answered with the Nexudus envelope.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    fields: Vec<FieldError>,
    /// Ask for credentials (`WWW-Authenticate: Bearer`): the caller is not signed in.
    challenge: bool,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let errors: Vec<PropertyError> = self
            .fields
            .iter()
            .map(|f| PropertyError { property_name: f.field.as_str().to_owned(), message: f.message().to_owned(), attempted_value: None })
            .collect();
        // A validation failure's message lists its errors, as Nexudus does.
        let message = if self.fields.is_empty() { self.message.clone() } else { FieldError::summary(&self.fields) };
        let body = ErrorEnvelope {
            was_successful: false,
            status: self.status.as_u16(),
            message,
            value: None,
            errors: (!errors.is_empty()).then_some(errors),
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if self.challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl From<GuestAccessError> for ApiError {
    fn from(error: GuestAccessError) -> Self {
        Self { status: status_of(error.status()), message: error.to_string(), fields: Vec::new(), challenge: false }
    }
}

impl From<PortalError> for ApiError {
    fn from(error: PortalError) -> Self {
        let status = status_of(error.status());
        match error {
            PortalError::Invalid(fields) => Self { status, message: String::new(), fields, challenge: false },
            other => Self { status, challenge: other == PortalError::SignedOut, message: other.to_string(), fields: Vec::new() },
        }
    }
}
