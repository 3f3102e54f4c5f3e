//! `/account/set-password?token=…` and `/account/reset-password?token=…`:
//! choose a password from an emailed link, then land signed in.

use leptos::prelude::*;

use crate::pages::account::links::EmailedLinkPage;
use crate::pages::notes::ErrorNote;
use crate::pages::form::NewPasswordField;
use crate::api::portal::{ChoosePassword as ChoosePasswordAction, LinkPurpose};

#[component]
pub fn ChoosePassword(
    /// The page title and heading: "Set your password" or "Choose a new password".
    heading: &'static str,
) -> impl IntoView {
    let choose = ServerAction::<ChoosePasswordAction>::new();
    let error = Signal::derive(move || choose.value().get().and_then(Result::err));
    let accepts = |purpose| matches!(purpose, LinkPurpose::SetPassword | LinkPurpose::ResetPassword);
    view! {
        <EmailedLinkPage title=heading accepts form=move |token| view! {
            <h1>{heading}</h1>
            <ErrorNote error=Signal::derive(move || error.get().and_then(|e| e.form_message()))/>
            <ActionForm action=choose attr:class="account-form" attr:novalidate=true>
                <input type="hidden" name="token" value=token/>
                <NewPasswordField label="New password" message=Signal::derive(move || error.get().and_then(|e| e.field("password")))/>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || choose.pending().get()>"Save password and sign in"</button>
                </div>
            </ActionForm>
        }.into_any()/>
    }
}
