//! `/account/sign-in`: email and password, or the way to an emailed link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::pages::notes::ErrorNote;
use crate::pages::form::Field;
use crate::api::portal::SignIn as SignInAction;

#[component]
pub fn SignIn() -> impl IntoView {
    let sign_in = ServerAction::<SignInAction>::new();
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    let error = Signal::derive(move || sign_in.value().get().and_then(Result::err));
    let field = move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <p class="lead">"See your invoices and download them at any time."</p>
            <ErrorNote error=Signal::derive(move || error.get().and_then(|e| e.form_message()))/>
            <ActionForm action=sign_in attr:class="account-form" attr:novalidate=true>
                <input type="hidden" name="next" value=next/>
                <Field name="email" label="Email" autocomplete="email" input_type="email" message=field("email")/>
                <Field name="password" label="Password" autocomplete="current-password" input_type="password" message=field("password")/>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || sign_in.pending().get()>"Sign in"</button>
                </div>
            </ActionForm>
            <p class="alternatives">
                <a href="/account/sign-in-link">"Email me a sign-in link"</a>
                " · "
                <a href="/account/forgot-password">"Forgot your password?"</a>
            </p>
        </section>
    }
}
