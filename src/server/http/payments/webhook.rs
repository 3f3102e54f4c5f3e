//! `POST /webhooks/stripe`: Stripe's events about checkout sessions, one of
//! the three doors to `fulfil`. The signature is checked on the raw body
//! before anything is read; the event only says which session to ask Stripe
//! about. A bad signature or body is a 400 and changes nothing; a failure on
//! our side is a 5xx, so Stripe delivers the event again; an event we do not
//! act on is a 200, so it does not.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

use crate::server::http::state::AppState;
use crate::server::metrics;
use crate::server::payments::is_session_id;
use crate::server::payments::stripe::EventKind;
use crate::server::services::payments::{Door, FulfilError};

pub const STRIPE_WEBHOOK_PATH: &str = "/webhooks/stripe";

pub fn routes() -> Router<AppState> {
    Router::new().route(STRIPE_WEBHOOK_PATH, post(stripe_webhook))
}

async fn stripe_webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(secrets) = &state.stripe_webhooks else { return StatusCode::NOT_FOUND };
    let signature = headers.get("stripe-signature").and_then(|value| value.to_str().ok()).unwrap_or_default();
    let now_unix = state.clock.now().millis() / 1000;
    let event = match secrets.verify(signature, &body, now_unix) {
        Ok(event) => event,
        Err(problem) => {
            metrics::webhook("bad_signature");
            tracing::warn!(%problem, "webhook refused");
            return StatusCode::BAD_REQUEST;
        }
    };
    let session_id = match (&event.kind, event.session_id.as_deref()) {
        (EventKind::Other(_), _) => return ignored(),
        (_, Some(id)) if is_session_id(id) => id.to_owned(),
        _ => {
            metrics::webhook("malformed");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Every checkout event means "ask Stripe about this session": completed
    // and async-succeeded ones fulfil it, expired and async-failed ones
    // release its basket, and whichever it says now wins over the event.
    match state.payments.fulfil(&session_id, Door::Webhook).await {
        Ok(_) => {
            metrics::webhook("processed");
            StatusCode::OK
        }
        Err(FulfilError::NotOurs) => ignored(),
        Err(error) => {
            metrics::webhook("error");
            tracing::warn!(%error, session = %session_id, "webhook could not be processed; Stripe will deliver it again");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn ignored() -> StatusCode {
    metrics::webhook("ignored");
    StatusCode::OK
}
