//! `/account/set-password?token=…` and `/account/reset-password?token=…`:
//! choose a password from an emailed link, then land signed in.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::pages::account::links::EmailedLinkPage;
use crate::pages::account::{field_error_text, form_error_text, AccountNewPasswordField};
use crate::pages::notes::ErrorNote;
use crate::pages::form::posted_error;
use crate::api::portal::{ChoosePassword as ChoosePasswordAction, FieldName, LinkPurpose};
use crate::t;

#[component]
pub fn ChoosePassword(
    /// The page title and heading: "Set your password" or "Choose a new password".
    #[prop(into)]
    heading: String,
) -> impl IntoView {
    let error = posted_error::<ChoosePasswordAction>();
    let accepts = |purpose| matches!(purpose, LinkPurpose::SetPassword | LinkPurpose::ResetPassword);
    view! {
        <EmailedLinkPage title=heading.clone() accepts form=move |token| view! {
            <h1>{heading.clone()}</h1>
            <ErrorNote error=error.as_ref().and_then(form_error_text)/>
            <form method="post" action=ChoosePasswordAction::url() class="account-form" novalidate>
                <input type="hidden" name="token" value=token/>
                <AccountNewPasswordField label=t!("portal-new-password-label") message=error.as_ref().and_then(|e| field_error_text(e, FieldName::Password))/>
                <div class="actions">
                    <button type="submit" class="button primary">{t!("portal-save-password-button")}</button>
                </div>
            </form>
        }.into_any()/>
    }
}
