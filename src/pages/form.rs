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

use crate::api::TransportFailure;

/// The error the last post of server function `S` came back with, if the
/// page was reached that way: a failed form post is sent back to its page
/// with the error in the URL, which the router provides as context.
///
/// Anyone can write such a URL, so all it can do is pick one of the error
/// type's variants, each with its fixed message (see `crate::api`). What
/// does not decode as one (leptos makes it a `Transport` error) is ignored,
/// as is a `Transport` error itself, which is never the app's answer.
pub fn posted_error<S>() -> Option<S::Error>
where
    S: ServerFn,
    S::Error: FromServerFnError + TransportFailure,
{
    use_context::<ServerActionError>()
        .filter(|carried| carried.path() == S::PATH)
        .map(|carried| ServerFnUrlError::<S::Error>::decode_err(carried.err()))
        .filter(|error| !error.is_transport())
}

/// A field's error message, already in the page's language: the checkout's
/// words (`Option<String>`) or one of an error type's fixed messages
/// (`Option<&'static str>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMessage(Option<String>);

impl From<Option<String>> for FieldMessage {
    fn from(message: Option<String>) -> Self {
        Self(message)
    }
}

impl From<Option<&str>> for FieldMessage {
    fn from(message: Option<&str>) -> Self {
        Self(message.map(str::to_owned))
    }
}

/// A labelled input whose error message appears under it and is announced
/// with it (`aria-describedby`), marked `aria-invalid` while it has one.
/// Label, hint and message arrive translated.
#[component]
pub fn Field(
    name: &'static str,
    #[prop(into)] label: String,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] value: String,
    /// A short hint shown under the label.
    #[prop(optional, into)]
    hint: Option<String>,
    #[prop(into)] message: FieldMessage,
) -> impl IntoView {
    let FieldMessage(message) = message;
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
pub fn NewPasswordField(#[prop(into)] label: String, #[prop(into)] message: FieldMessage) -> impl IntoView {
    view! {
        <Field
            name="password"
            label=label
            autocomplete="new-password"
            input_type="password"
            hint=crate::t!("checkout-form-password-hint")
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

    /// What the router provides for a URL whose `__err` is `json`, written
    /// by hand (leptos' encoding: URL-safe base64, padded).
    #[cfg(feature = "ssr")]
    fn crafted<S: ServerFn>(json: &str) -> ServerActionError {
        use base64::Engine;
        ServerActionError::new(S::PATH, &base64::engine::general_purpose::URL_SAFE.encode(json))
    }

    /// `S`'s error read back from a crafted URL, if the page would show one.
    #[cfg(feature = "ssr")]
    fn read_back<S: ServerFn>(json: &str) -> Option<S::Error>
    where
        S::Error: FromServerFnError + TransportFailure,
    {
        Owner::new().with(|| {
            provide_context(crafted::<S>(json));
            posted_error::<S>()
        })
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_crafted_url_s_free_text_reaches_no_page() {
        use crate::api::checkout::{AddToBasket, Pay, SaveDetails};
        use crate::api::guest_access::{CompleteRegistration, EmailPurchaseSignInLink};
        use crate::api::portal::{ChoosePassword, SetPasswordNow};
        const ATTACK: &str = "Your card was flagged. Call +1 555 0100";
        let checkout = [
            format!(r#"{{"Rejected":"{ATTACK}"}}"#),
            format!(r#"{{"PaymentDeclined":"{ATTACK}"}}"#),
            format!(r#"{{"Invalid":[{{"field":"email","message":"{ATTACK}"}}]}}"#),
            format!(r#"{{"Invalid":[{{"field":"email","problem":"{ATTACK}"}}]}}"#),
            format!(r#"{{"Transport":"{ATTACK}"}}"#),
            "not json".to_owned(),
        ];
        for json in &checkout {
            assert_eq!(read_back::<AddToBasket>(json), None, "{json}");
            assert_eq!(read_back::<SaveDetails>(json), None, "{json}");
            assert_eq!(read_back::<Pay>(json), None, "{json}");
        }
        let portal = [
            format!(r#"{{"Invalid":[{{"field":"password","message":"{ATTACK}"}}]}}"#),
            format!(r#"{{"Invalid":[{{"field":"password","problem":"{ATTACK}"}}]}}"#),
            format!(r#"{{"Transport":"{ATTACK}"}}"#),
        ];
        for json in &portal {
            assert_eq!(read_back::<SignIn>(json), None, "{json}");
            assert_eq!(read_back::<ChoosePassword>(json), None, "{json}");
            assert_eq!(read_back::<SetPasswordNow>(json), None, "{json}");
        }
        for json in [format!(r#"{{"Transport":"{ATTACK}"}}"#), format!(r#"{{"TokenExpired":"{ATTACK}"}}"#)] {
            assert_eq!(read_back::<CompleteRegistration>(&json), None, "{json}");
            assert_eq!(read_back::<EmailPurchaseSignInLink>(&json), None, "{json}");
        }
        // Not even in a broken base64 value.
        Owner::new().with(|| {
            provide_context(ServerActionError::new(Pay::PATH, ATTACK));
            assert_eq!(posted_error::<Pay>(), None);
        });
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_crafted_url_can_at_most_pick_one_of_the_page_s_messages() {
        use crate::api::checkout::{DeclineReason, Pay};
        let declined = read_back::<Pay>(r#"{"PaymentDeclined":"card_declined"}"#).unwrap();
        assert_eq!(declined.to_string(), DeclineReason::CardDeclined.message());
        let limited = read_back::<SignIn>(r#"{"RateLimited":{"retry_after_minutes":5550100}}"#).unwrap();
        assert_eq!(limited.form_message().as_deref(), Some("Too many attempts. Please wait 15 minutes and try again."));
        let invalid = read_back::<SignIn>(r#"{"Invalid":[{"field":"email","problem":"too_long"}]}"#).unwrap();
        assert_eq!(invalid.field(crate::api::portal::FieldName::Email), Some("An email address can be at most 254 characters long."));
    }
}
