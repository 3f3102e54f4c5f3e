//! Form pieces shared by the checkout and portal pages.
//!
//! Pages other than the islands render on the server only, so their forms
//! are plain HTML forms that post to a server function (the islands router,
//! or the browser without JavaScript, sends them), and what a failed post
//! came back with is read once, when the page is rendered.

use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError};
use leptos::server_fn::ServerFn;

/// The error the last post of server function `S` came back with, if the
/// page was reached that way: a failed form post is sent back to its page
/// with the error in the URL, which the router provides as context.
pub fn posted_error<S>() -> Option<S::Error>
where
    S: ServerFn,
    S::Error: FromServerFnError,
{
    use_context::<ServerActionError>()
        .filter(|carried| carried.path() == S::PATH)
        .map(|carried| ServerFnUrlError::<S::Error>::decode_err(carried.err()))
}

/// A labelled input whose error message appears under it and is announced
/// with it (`aria-describedby`), marked `aria-invalid` while it has one.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] value: String,
    /// A short hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    message: Option<String>,
) -> impl IntoView {
    let invalid = message.is_some();
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                value=value
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id>{message}</p>
        </div>
    }
}

/// The field where a customer chooses a password, wherever they do: the same
/// name, browser hint (a password manager offers to generate one) and advice.
#[component]
pub fn NewPasswordField(label: &'static str, message: Option<String>) -> impl IntoView {
    view! {
        <Field
            name="password"
            label=label
            autocomplete="new-password"
            input_type="password"
            hint="At least 8 characters. A few words you can remember work well."
            message=message
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::portal::{PortalError, RequestLink, SignIn};

    /// What the router provides after a failed post of `S`: its path and
    /// error as leptos writes them into the URL it redirects to.
    fn carried<S: ServerFn>(error: S::Error) -> ServerActionError
    where
        S::Error: FromServerFnError,
    {
        let url = ServerFnUrlError::new(S::PATH, error).to_url("http://localhost/page").unwrap();
        let value = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()).unwrap();
        ServerActionError::new(&value("__path"), &value("__err"))
    }

    #[test]
    fn a_failed_post_s_error_is_read_back_only_by_its_own_form() {
        Owner::new().with(|| {
            assert_eq!(posted_error::<SignIn>(), None, "nothing was posted");
            provide_context(carried::<SignIn>(PortalError::WrongCredentials));
            assert_eq!(posted_error::<SignIn>(), Some(PortalError::WrongCredentials));
            assert_eq!(posted_error::<RequestLink>(), None, "another form's post");
        });
    }
}
