//! `POST /api/token`: the OAuth2 password and refresh grants a customer's
//! API client signs in with (RFC 6749 responses, as the Nexudus API answers).

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};

use crate::api::checkout::FieldError;
use crate::api::portal::PortalError;
use crate::api::HttpStatus;
use crate::server::http::client_addr::ClientAddr;
use crate::server::http::state::AppState;
use crate::server::services::accounts::{parse, Accounts, TokenPair};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/token", post(token))
}

/// The grants this endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
enum GrantType {
    /// `username` (the account's email) and `password`.
    Password,
    /// A `refresh_token` from an earlier answer; it works once.
    RefreshToken,
}

impl GrantType {
    fn from_form(raw: &str) -> Option<Self> {
        match raw {
            "password" => Some(Self::Password),
            "refresh_token" => Some(Self::RefreshToken),
            _ => None,
        }
    }
}

/// The form fields (`application/x-www-form-urlencoded`). Each grant needs
/// its own: `username` and `password`, or `refresh_token`.
///
/// Each field is optional (the grant decides which are needed, and a
/// missing one is an `invalid_request` answer) but never null: a form has
/// no null, so the description must not offer it as valid. `username` is
/// the account's email address, and described as one.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    #[schema(value_type = GrantType, nullable = false)]
    grant_type: Option<String>,
    /// The account's email address.
    #[schema(format = Email, nullable = false)]
    username: Option<String>,
    #[schema(format = Password, nullable = false)]
    password: Option<String>,
    #[schema(nullable = false)]
    refresh_token: Option<String>,
}

/// RFC 6749 token response (snake_case, as the Nexudus API answers).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OAuthTokenResponse {
    access_token: String,
    /// Always `bearer`.
    #[schema(value_type = String, example = "bearer")]
    token_type: &'static str,
    /// Seconds until the access token expires.
    expires_in: u64,
    refresh_token: String,
}

/// An RFC 6749 error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OAuthErrorBody {
    /// `invalid_request`, `invalid_grant`, `unsupported_grant_type` or `temporarily_unavailable`.
    #[schema(value_type = String)]
    error: &'static str,
    error_description: String,
}

/// An RFC 6749 error response.
pub(super) struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
    /// Seconds, for a rate-limited request.
    retry_after: Option<u64>,
}

impl OAuthError {
    fn invalid_request(description: &str) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code: "invalid_request", description: description.to_owned(), retry_after: None }
    }
}

impl From<PortalError> for OAuthError {
    fn from(error: PortalError) -> Self {
        let (status, code) = match &error {
            PortalError::Invalid(_) | PortalError::UnsupportedLanguage => (StatusCode::BAD_REQUEST, "invalid_request"),
            PortalError::WrongCredentials | PortalError::LinkInvalid | PortalError::SignedOut => (StatusCode::BAD_REQUEST, "invalid_grant"),
            PortalError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "invalid_request"),
            PortalError::NotFound | PortalError::Busy | PortalError::Unavailable | PortalError::Transport(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
            }
        };
        let retry_after = error.retry_after_seconds();
        let description = match error {
            PortalError::Invalid(fields) => FieldError::summary(&fields),
            PortalError::WrongCredentials => "The user name or password is incorrect.".to_owned(),
            PortalError::LinkInvalid => "The refresh token is invalid, expired or already used.".to_owned(),
            other => other.to_string(),
        };
        Self { status, code, description, retry_after }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(OAuthErrorBody { error: self.code, error_description: self.description })).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = self.retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}

/// OAuth2 sign-in for API clients: the password grant, and the refresh
/// grant that exchanges a refresh token (once) for a new pair.
#[utoipa::path(
    post,
    path = "/api/token",
    operation_id = "createToken",
    tag = "customer",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Signed in: a bearer access token and a refresh token.", body = OAuthTokenResponse,
            headers(
                ("Cache-Control" = String, description = "`no-store`"),
                ("Pragma" = String, description = "`no-cache`"),
            )),
        (status = 400, description = "A malformed request (`invalid_request`), wrong credentials or a used refresh token \
            (`invalid_grant`), or another grant type (`unsupported_grant_type`).", body = OAuthErrorBody),
        (status = 429, description = "Too many sign-in attempts for this account or address.", body = OAuthErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 503, description = "The service cannot answer now (`temporarily_unavailable`).", body = OAuthErrorBody),
    )
)]
pub(super) async fn token(
    State(accounts): State<Accounts>,
    ClientAddr(client): ClientAddr,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Result<Response, OAuthError> {
    let Form(request) = form.map_err(|_| OAuthError::invalid_request("Send the parameters form-encoded (application/x-www-form-urlencoded)."))?;
    let pair = match request.grant_type.as_deref().map(GrantType::from_form) {
        Some(Some(GrantType::Password)) => {
            let (Some(username), Some(password)) = (request.username, request.password) else {
                return Err(OAuthError::invalid_request("The password grant needs username and password."));
            };
            accounts.password_grant(&parse::email(&username)?, &password, client).await?
        }
        Some(Some(GrantType::RefreshToken)) => {
            let refresh = request.refresh_token.ok_or_else(|| OAuthError::invalid_request("The refresh_token grant needs refresh_token."))?;
            accounts.refresh_grant(&parse::link_token(&refresh)?).await?
        }
        Some(None) => {
            return Err(OAuthError {
                status: StatusCode::BAD_REQUEST,
                code: "unsupported_grant_type",
                description: "Use grant_type=password or grant_type=refresh_token.".into(),
                retry_after: None,
            })
        }
        None => return Err(OAuthError::invalid_request("grant_type is required.")),
    };
    Ok(token_response(pair))
}

fn token_response(pair: TokenPair) -> Response {
    let body = OAuthTokenResponse {
        access_token: pair.access.reveal().to_owned(),
        token_type: "bearer",
        expires_in: pair.expires_in.as_secs(),
        refresh_token: pair.refresh.reveal().to_owned(),
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
