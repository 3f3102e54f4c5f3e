//! `/checkout/details`: who the invoice is for. Errors appear next to their
//! fields; what was typed is saved even when invalid, so nothing is lost.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::{FieldName, SaveDetails, COUNTRIES};
use crate::pages::notes::{basket_with_items, ErrorNote};
use crate::pages::form::{posted_error, Field};
use crate::pages::progress::{Progress, Step};
use crate::pages::words;
use crate::t;

#[component]
pub fn Details() -> impl IntoView {
    let error = posted_error::<SaveDetails>();
    view! {
        <Title text=t!("checkout-details-title")/>
        <Progress current=Step::Details/>
        <h1>{t!("checkout-details-title")}</h1>
        <p class="lead">{t!("checkout-details-lead")}</p>
        <ErrorNote error=error.as_ref().map(words::checkout_error)/>
        // Rendered on the server only, once the basket is read (the route is `SsrMode::Async`).
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items(t!("checkout-unavailable-basket")).await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            let saved = view.details;
            let message = |name| words::field_error(error.as_ref(), name);
            view! {
                <section class="card">
                    <form method="post" action=SaveDetails::url() class="details-form" novalidate>
                        <Field name="name" label=t!("checkout-field-name") autocomplete="name" value=saved.name message=message(FieldName::Name)/>
                        <Field name="email" label=t!("checkout-field-email") autocomplete="email" input_type="email" value=saved.email message=message(FieldName::Email)/>
                        <Field name="address" label=t!("checkout-field-address") autocomplete="street-address" value=saved.address message=message(FieldName::Address)/>
                        <div class="field-row">
                            <Field name="postcode" label=t!("checkout-field-postcode") autocomplete="postal-code" value=saved.postcode message=message(FieldName::Postcode)/>
                            <Field name="city" label=t!("checkout-field-city") autocomplete="address-level2" value=saved.city message=message(FieldName::City)/>
                        </div>
                        <CountryField value=saved.country message=message(FieldName::Country)/>
                        <div class="actions">
                            <a class="button" href="/basket">{t!("checkout-details-back")}</a>
                            <button type="submit" class="button primary">{t!("checkout-details-continue")}</button>
                        </div>
                    </form>
                </section>
            }.into_any()
        })}</Suspense>
    }
}

#[component]
fn CountryField(value: String, message: Option<String>) -> impl IntoView {
    let invalid = message.is_some();
    view! {
        <div class="field" class:invalid=invalid>
            <label for="country">{t!("checkout-field-country")}</label>
            <select id="country" name="country" autocomplete="country" aria-invalid=if invalid { "true" } else { "false" } aria-describedby="country-error">
                <option value="" selected=value.is_empty()>{t!("checkout-field-choose")}</option>
                {COUNTRIES.iter().map(|(code, country)| {
                    view! { <option value=*code selected=value == *code>{words::country(code, country)}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id="country-error">{message}</p>
        </div>
    }
}
