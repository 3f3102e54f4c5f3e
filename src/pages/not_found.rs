use leptos::prelude::*;
use leptos_meta::Title;

use crate::t;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t!("checkout-not-found-title")/>
        <section class="card">
            <h1>{t!("checkout-not-found-title")}</h1>
            <p>{t!("checkout-not-found-text")}</p>
            <p><a class="button" href="/">{t!("checkout-not-found-start")}</a></p>
        </section>
    }
}
