use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"This address does not exist. Check the link, or go back to the " <a href="/">"start page"</a> "."</p>
        </section>
    }
}
