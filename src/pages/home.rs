use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="Welcome"/>
        <section class="card">
            <h1>"Coworking billing"</h1>
            <p>
                "Finished paying for a day pass, meeting room or office? Open the link from your payment "
                "confirmation to set up your account and download your invoice."
            </p>
        </section>
    }
}
