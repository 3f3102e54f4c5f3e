//! Short messages that several pages show.

use leptos::prelude::*;

use crate::api::checkout::{basket, BasketView, CheckoutError};
use crate::pages::words;
use crate::t;

/// A message in an alert region; renders nothing without one.
#[component]
pub fn ErrorNote(error: Option<String>) -> impl IntoView {
    view! {
        <div role="alert" class="error-region">
            {error.map(|message| view! { <p class="error-note">{message}</p> })}
        </div>
    }
}

/// What the basket, details and payment pages show for an empty basket.
#[component]
pub fn EmptyBasket() -> impl IntoView {
    view! {
        <section class="card">
            <p>{t!("checkout-basket-empty")}</p>
            <a class="button primary" href="/">{t!("checkout-browse-products")}</a>
        </section>
    }
}

/// What every page shows when what it needs cannot be loaded (the database
/// is unreachable; the server answers 503): the same notice, and a way to
/// try again. `what` says, in the page's language, what could not be loaded
/// ("The products could not be loaded.").
#[component]
pub fn Unavailable(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <section class="card unavailable" role="alert">
            <h2>{t!("checkout-unavailable-heading")}</h2>
            <p>{what}" "{t!("checkout-unavailable-advice")}</p>
            <a class="button" href="">{t!("checkout-try-again")}</a>
        </section>
    }
}

/// The basket a checkout page works on, or what the page shows instead: the
/// notice that it could not be loaded (`what` says so), or the empty basket.
pub async fn basket_with_items(what: String) -> Result<BasketView, AnyView> {
    match basket().await {
        Err(error) => Err(load_failure(error, what)),
        Ok(view) if view.lines.is_empty() && view.unavailable.is_empty() => Err(view! { <EmptyBasket/> }.into_any()),
        Ok(view) => Ok(view),
    }
}

/// A checkout page whose data could not be loaded: the app's notice when the
/// service is unavailable, otherwise what went wrong.
pub fn load_failure(error: CheckoutError, what: String) -> AnyView {
    match error {
        CheckoutError::Unavailable | CheckoutError::Transport(_) => view! { <Unavailable what/> }.into_any(),
        other => view! { <p class="error-note">{words::checkout_error(&other)}</p> }.into_any(),
    }
}
