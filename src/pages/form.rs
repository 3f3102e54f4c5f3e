//! Form pieces shared by the checkout and portal pages.

use leptos::prelude::*;

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
    message: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                value=value
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id>{move || message.get()}</p>
        </div>
    }
}

/// The field where a customer chooses a password, wherever they do: the same
/// name, browser hint (a password manager offers to generate one) and advice.
#[component]
pub fn NewPasswordField(label: &'static str, message: Signal<Option<String>>) -> impl IntoView {
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
