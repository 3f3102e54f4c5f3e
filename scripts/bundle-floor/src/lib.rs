//! One page with a form that calls one server function and shows its answer:
//! hydrated whole (with or without the client-side router), or as one island
//! (`islands`), the way the real app now ships checkout-complete.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};

#[server]
pub async fn echo(text: String) -> Result<String, ServerFnError> {
    Ok(text)
}

#[cfg(not(feature = "islands"))]
#[component]
fn Page() -> impl IntoView {
    view! { <Echoer/> }
}

/// Islands: the page is server HTML and only this runs in the browser.
#[cfg(feature = "islands")]
#[component]
fn Page() -> impl IntoView {
    view! { <EchoIsland/> }
}

#[cfg(feature = "islands")]
#[island]
fn EchoIsland() -> impl IntoView {
    view! { <Echoer/> }
}

#[component]
fn Echoer() -> impl IntoView {
    let echo = ServerAction::<Echo>::new();
    view! {
        <Title text="Floor"/>
        <ActionForm action=echo>
            <input name="text"/>
            <button>"Send"</button>
        </ActionForm>
        <p>{move || echo.value().get().map(|answer| answer.unwrap_or_default())}</p>
    }
}

#[cfg(feature = "router")]
#[component]
pub fn App() -> impl IntoView {
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::path;
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Page/>
            </Routes>
        </Router>
    }
}

#[cfg(not(feature = "router"))]
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! { <Page/> }
}

#[cfg(all(feature = "hydrate", not(feature = "islands")))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

#[cfg(all(feature = "hydrate", feature = "islands"))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
