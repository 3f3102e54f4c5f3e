//! `/account/sign-in`: email and password, or the way to an emailed link.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::pages::account::{field_error_text, form_error_text, AccountField};
use crate::pages::notes::ErrorNote;
use crate::pages::form::posted_error;
use crate::api::portal::{FieldName, SignIn as SignInAction};
use crate::t;

#[component]
pub fn SignIn() -> impl IntoView {
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    let error = posted_error::<SignInAction>();
    let field = |name| error.as_ref().and_then(|e| field_error_text(e, name));
    view! {
        <Title text=t!("portal-sign-in-title")/>
        <section class="card narrow">
            <h1>{t!("portal-sign-in-title")}</h1>
            <p class="lead">{t!("portal-sign-in-lead")}</p>
            <ErrorNote error=error.as_ref().and_then(form_error_text)/>
            <form method="post" action=SignInAction::url() class="account-form" novalidate>
                <input type="hidden" name="next" value=next/>
                <AccountField name="email" label=t!("portal-email-label") autocomplete="email" input_type="email" message=field(FieldName::Email)/>
                <AccountField name="password" label=t!("portal-password-label") autocomplete="current-password" input_type="password" message=field(FieldName::Password)/>
                <div class="actions">
                    <button type="submit" class="button primary">{t!("portal-sign-in-button")}</button>
                </div>
            </form>
            <p class="alternatives">
                <a href="/account/sign-in-link">{t!("portal-email-me-a-link")}</a>
                " · "
                <a href="/account/forgot-password">{t!("portal-forgot-password")}</a>
            </p>
        </section>
    }
}
