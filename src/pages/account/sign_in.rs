//! `/account/sign-in`: email and password, or the way to an emailed link.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::pages::notes::ErrorNote;
use crate::pages::form::{posted_error, Field};
use crate::api::portal::{FieldName, SignIn as SignInAction};

#[component]
pub fn SignIn() -> impl IntoView {
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    let error = posted_error::<SignInAction>();
    let field = |name| error.as_ref().and_then(|e| e.field(name));
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <p class="lead">"See your invoices and download them at any time."</p>
            <ErrorNote error=error.as_ref().and_then(|e| e.form_message())/>
            <form method="post" action=SignInAction::url() class="account-form" novalidate>
                <input type="hidden" name="next" value=next/>
                <Field name="email" label="Email" autocomplete="email" input_type="email" message=field(FieldName::Email)/>
                <Field name="password" label="Password" autocomplete="current-password" input_type="password" message=field(FieldName::Password)/>
                <div class="actions">
                    <button type="submit" class="button primary">"Sign in"</button>
                </div>
            </form>
            <p class="alternatives">
                <a href="/account/sign-in-link">"Email me a sign-in link"</a>
                " · "
                <a href="/account/forgot-password">"Forgot your password?"</a>
            </p>
        </section>
    }
}
