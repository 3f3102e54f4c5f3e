//! The payment provider's doors into the app: the return URL the shopper
//! comes back to, Stripe's webhook, and (with the test provider) the hosted
//! payment page the app serves itself.

mod return_url;
mod test_page;
mod webhook;

use axum::Router;

use crate::server::http::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(return_url::routes()).merge(webhook::routes()).merge(test_page::routes())
}
