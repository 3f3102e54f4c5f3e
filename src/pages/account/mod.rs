//! The customer portal: sign-in, emailed links, passwords and "My invoices".

pub mod invoices;
pub mod language;
pub mod links;
pub mod password;
pub mod sign_in;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;

use crate::api::guest_access::urlencode;
use crate::api::portal::{wait_minutes, AccountView, FieldError, FieldName, FieldProblem, PortalError, SignOut, SIGN_IN};
use crate::pages::form::{Field, NewPasswordField};
use crate::pages::notes::Unavailable;
use crate::t;

/// Sends a signed-out visitor to the sign-in page, to come back to `here`.
#[component]
pub fn SignInFirst(here: String) -> impl IntoView {
    let path = format!("{SIGN_IN}?next={}", urlencode(&here));
    // leptos makes the redirect a 302 only for clients that accept HTML; a
    // page request is a navigation whatever its Accept header says.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FOUND);
    }
    view! { <Redirect path/> }
}

/// The failure of a portal page load, or a redirect to sign in.
pub fn page_error(error: PortalError, here: String) -> AnyView {
    // A server render answers with the error's status too (not for a redirect).
    #[cfg(feature = "ssr")]
    if error != PortalError::SignedOut {
        if let (Some(response), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(crate::api::HttpStatus::status(&error)),
        ) {
            response.set_status(status);
        }
    }
    match error {
        PortalError::SignedOut => view! { <SignInFirst here/> }.into_any(),
        // A whole sentence: `Unavailable` takes what could not be loaded as one
        // (the checkout pages' change; until it is in, it adds its own ending).
        PortalError::Unavailable | PortalError::Transport(_) => view! { <Unavailable what=t!("portal-account-unavailable")/> }.into_any(),
        other => view! {
            <section class="card">
                <h1>{if other == PortalError::NotFound { t!("portal-invoice-not-found") } else { t!("portal-something-went-wrong") }}</h1>
                <p class="lead">{error_text(&other)}</p>
                <a class="button" href="/account/invoices">{t!("portal-back-to-my-invoices")}</a>
            </section>
        }
        .into_any(),
    }
}

/// What `error` says on a page, in the request's language: one fixed
/// message per variant (its `Display` is the REST API's English).
pub fn error_text(error: &PortalError) -> String {
    match error {
        PortalError::Invalid(_) => t!("portal-error-invalid"),
        PortalError::WrongCredentials => t!("portal-error-wrong-credentials"),
        PortalError::RateLimited { retry_after_minutes } => wait_text(*retry_after_minutes),
        PortalError::LinkInvalid => t!("portal-error-link-invalid"),
        PortalError::UnsupportedLanguage => t!("portal-error-unsupported-language"),
        PortalError::SignedOut => t!("portal-error-signed-out"),
        PortalError::NotFound => t!("portal-error-not-found"),
        PortalError::Busy => t!("portal-error-busy"),
        PortalError::Unavailable => t!("portal-error-unavailable"),
        PortalError::Transport(_) => t!("portal-error-transport"),
    }
}

/// "Too many attempts…": its only argument is a number, which needs no
/// direction isolates (and English stays the REST API's text exactly).
fn wait_text(minutes: u64) -> String {
    let minutes = wait_minutes(minutes);
    #[cfg(feature = "ssr")]
    let text = crate::tr_plain!(crate::pages::i18n::locale(), "portal-error-rate-limited", minutes = minutes);
    #[cfg(not(feature = "ssr"))]
    let text = {
        let _ = minutes;
        String::new()
    };
    text
}

/// The message to show above a form: none for field errors, which show
/// beside their fields.
pub fn form_error_text(error: &PortalError) -> Option<String> {
    (!matches!(error, PortalError::Invalid(_))).then(|| error_text(error))
}

/// The message beside field `name`, if `error` has one for it.
pub fn field_error_text(error: &PortalError, name: FieldName) -> Option<String> {
    match error {
        PortalError::Invalid(errors) => errors.iter().find(|e| e.field == name).map(field_text),
        _ => None,
    }
}

/// What is wrong with a portal form's field, in the request's language.
fn field_text(error: &FieldError) -> String {
    use FieldName as F;
    use FieldProblem as P;
    match (error.field, error.problem) {
        (F::Email, P::Missing | P::Blank) => t!("portal-field-email-missing"),
        (F::Email, P::TooLong) => t!("portal-field-email-too-long"),
        (F::Email, _) => t!("portal-field-email-malformed"),
        (F::Password, P::Missing) => t!("portal-field-password-missing"),
        (F::Password, P::TooLong) => t!("portal-field-password-too-long"),
        (F::Password, P::Blank) => t!("portal-field-password-blank"),
        (F::Password, _) => t!("portal-field-password-too-short"),
        // The portal's forms have no other fields.
        _ => t!("portal-field-invalid"),
    }
}

/// Who is signed in, and the ways to sign out.
#[component]
pub fn AccountBar(account: AccountView) -> impl IntoView {
    view! {
        <div class="account-bar">
            <p class="muted">{t!("portal-signed-in-as", name = account.name, email = account.email)}</p>
            <form method="post" action=SignOut::url() class="inline-form">
                <button type="submit" class="button">{t!("portal-sign-out")}</button>
            </form>
            <form method="post" action=SignOut::url() class="inline-form">
                <input type="hidden" name="everywhere" value="1"/>
                <button type="submit" class="button link-button">{t!("portal-sign-out-everywhere")}</button>
            </form>
        </div>
    }
}

/// A portal form's field (`form::Field`) in the request's language.
#[component]
pub fn AccountField(
    name: &'static str,
    label: String,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    message: Option<String>,
) -> impl IntoView {
    view! { <Field name label autocomplete input_type message/> }
}

/// Where a customer chooses a password (`form::NewPasswordField`), in the request's language.
#[component]
pub fn AccountNewPasswordField(label: String, message: Option<String>) -> impl IntoView {
    view! { <NewPasswordField label message/> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::locale::Locale;

    /// `words` as a page in `tag` says it.
    fn in_locale<T>(tag: &str, words: impl FnOnce() -> T) -> T {
        Owner::new().with(|| {
            provide_context(tag.parse::<Locale>().unwrap());
            words()
        })
    }

    fn every_error() -> Vec<PortalError> {
        vec![
            PortalError::Invalid(vec![FieldError::new(FieldName::Email, FieldProblem::Missing)]),
            PortalError::WrongCredentials,
            PortalError::RateLimited { retry_after_minutes: 1 },
            PortalError::RateLimited { retry_after_minutes: 7 },
            PortalError::RateLimited { retry_after_minutes: 5_550_100 },
            PortalError::LinkInvalid,
            PortalError::UnsupportedLanguage,
            PortalError::SignedOut,
            PortalError::NotFound,
            PortalError::Busy,
            PortalError::Unavailable,
            PortalError::Transport("lost".into()),
        ]
    }

    fn every_field_error() -> Vec<FieldError> {
        use FieldProblem::*;
        let problems = [Missing, Malformed, TooShort, TooLong, Blank, OutOfRange, Repeated];
        [FieldName::Email, FieldName::Password]
            .into_iter()
            .flat_map(|field| problems.into_iter().map(move |problem| FieldError::new(field, problem)))
            .collect()
    }

    #[test]
    fn in_english_a_page_says_what_the_rest_api_says() {
        in_locale("en", || {
            for error in every_error() {
                assert_eq!(error_text(&error), error.to_string(), "{error:?}");
            }
            for field in every_field_error() {
                let error = PortalError::Invalid(vec![field]);
                assert_eq!(field_error_text(&error, field.field).as_deref(), Some(field.message()), "{field:?}");
            }
        });
    }

    #[test]
    fn in_german_and_arabic_every_error_is_translated() {
        for tag in ["de", "ar"] {
            let english: Vec<String> = every_error().iter().map(ToString::to_string).collect();
            let translated = in_locale(tag, || every_error().iter().map(error_text).collect::<Vec<_>>());
            for (english, translated) in english.iter().zip(&translated) {
                assert_ne!(english, translated, "{tag}");
                assert!(!translated.is_empty());
            }
            let fields = in_locale(tag, || {
                every_field_error().into_iter().map(|field| field_error_text(&PortalError::Invalid(vec![field]), field.field).unwrap()).collect::<Vec<_>>()
            });
            for (field, translated) in every_field_error().iter().zip(&fields) {
                assert_ne!(translated, field.message(), "{tag} {field:?}");
            }
        }
        in_locale("de", || {
            assert_eq!(
                error_text(&PortalError::RateLimited { retry_after_minutes: 5_550_100 }),
                "Zu viele Versuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut."
            );
        });
        in_locale("ar", || {
            let wait = |minutes| error_text(&PortalError::RateLimited { retry_after_minutes: minutes });
            assert!(wait(2).contains("دقيقتين"), "Arabic's dual");
            assert!(wait(3).contains("3 دقائق"), "Arabic's few");
            assert!(wait(11).contains("11 دقيقة"), "Arabic's many");
        });
    }

    #[test]
    fn field_errors_show_beside_their_fields_and_not_above_the_form() {
        in_locale("de", || {
            let error = PortalError::field_error(FieldName::Password, FieldProblem::TooShort);
            assert_eq!(form_error_text(&error), None);
            assert_eq!(field_error_text(&error, FieldName::Email), None);
            assert_eq!(field_error_text(&error, FieldName::Password).as_deref(), Some("Bitte wählen Sie ein Passwort mit mindestens 8 Zeichen."));
            assert_eq!(form_error_text(&PortalError::SignedOut).as_deref(), Some("Bitte melden Sie sich an, um fortzufahren."));
        });
    }
}
