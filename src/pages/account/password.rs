//! `/account/set-password?token=…` and `/account/reset-password?token=…`:
//! choose a password from an emailed link, then land signed in.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::pages::account::links::EmailedLinkPage;
use crate::pages::notes::ErrorNote;
use crate::pages::form::{posted_error, NewPasswordField};
use crate::api::portal::{ChoosePassword as ChoosePasswordAction, FieldName, LinkPurpose};

#[component]
pub fn ChoosePassword(
    /// The page title and heading: "Set your password" or "Choose a new password".
    heading: &'static str,
) -> impl IntoView {
    let error = posted_error::<ChoosePasswordAction>();
    let accepts = |purpose| matches!(purpose, LinkPurpose::SetPassword | LinkPurpose::ResetPassword);
    view! {
        <EmailedLinkPage title=heading accepts form=move |token| view! {
            <h1>{heading}</h1>
            <ErrorNote error=error.as_ref().and_then(|e| e.form_message())/>
            <form method="post" action=ChoosePasswordAction::url() class="account-form" novalidate>
                <input type="hidden" name="token" value=token/>
                <NewPasswordField label="New password" message=error.as_ref().and_then(|e| e.field(FieldName::Password))/>
                <div class="actions">
                    <button type="submit" class="button primary">"Save password and sign in"</button>
                </div>
            </form>
        }.into_any()/>
    }
}
