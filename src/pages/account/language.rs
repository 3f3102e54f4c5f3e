//! The customer's saved language, on My invoices: the language their pages
//! speak (where the browser has not chosen one) and their emails are written in.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::api::portal::SaveLanguage;
use crate::pages::account::error_text;
use crate::pages::form::posted_error;
use crate::t;

/// A plain form (it works without JavaScript): every supported language,
/// each named in itself, `saved` (a tag) chosen.
#[component]
pub fn LanguageForm(saved: String) -> impl IntoView {
    // `?saved=language`: the form was posted and came back here.
    let just_saved = use_query_map().with_untracked(|q| q.get("saved").as_deref() == Some("language"));
    // What this form's post came back with, beside the list: a language not
    // offered, or that saving failed (signed out, the page itself leads to sign-in).
    let message = posted_error::<SaveLanguage>().map(|error| error_text(&error));
    let invalid = message.is_some();
    view! {
        <section class="card account-language" aria-labelledby="language-heading">
            <h2 id="language-heading">{t!("portal-language-heading")}</h2>
            <p class="muted">{t!("portal-language-lead")}</p>
            <div role="status">{(just_saved && !invalid).then(|| view! { <p>{t!("portal-language-saved")}</p> })}</div>
            <form method="post" action=SaveLanguage::url() class="account-form">
                <div class="field" class:invalid=invalid>
                    <label for="language">{t!("portal-language-label")}</label>
                    <select
                        id="language"
                        name="language"
                        aria-invalid=if invalid { "true" } else { "false" }
                        aria-describedby="language-error"
                    >
                        {languages()
                            .into_iter()
                            .map(|(tag, name, dir)| {
                                let selected = tag == saved;
                                view! { <option value=tag lang=tag dir=dir selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-error" id="language-error">{message}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="button">{t!("portal-language-save")}</button>
                </div>
            </form>
        </section>
    }
}

/// Every supported language: its tag, its name in itself, and its direction.
#[cfg(feature = "ssr")]
fn languages() -> Vec<(&'static str, String, &'static str)> {
    use crate::domain::locale::Locale;
    Locale::all().map(|locale| (locale.tag(), crate::tr!(locale, "language-name"), locale.direction().html())).collect()
}

/// Pages render on the server only: the browser's build has no catalogues.
#[cfg(not(feature = "ssr"))]
fn languages() -> Vec<(&'static str, String, &'static str)> {
    Vec::new()
}
