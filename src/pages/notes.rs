//! Short messages that several pages show.

use leptos::prelude::*;

/// A message in an alert region; renders nothing without one.
#[component]
pub fn ErrorNote(error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div role="alert" class="error-region">
            {move || error.get().map(|message| view! { <p class="error-note">{message}</p> })}
        </div>
    }
}

/// What the basket, details and payment pages show for an empty basket.
#[component]
pub fn EmptyBasket() -> impl IntoView {
    view! {
        <section class="card">
            <p>"Your basket is empty."</p>
            <a class="button primary" href="/">"Browse products"</a>
        </section>
    }
}
