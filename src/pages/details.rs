//! `/checkout/details`: who the invoice is for. Errors appear next to their
//! fields; what was typed is saved even when invalid, so nothing is lost.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::{FieldName, SaveDetails, COUNTRIES};
use crate::pages::notes::{basket_with_items, ErrorNote};
use crate::pages::form::{posted_error, Field};
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Details() -> impl IntoView {
    let error = posted_error::<SaveDetails>();
    view! {
        <Title text="Your details"/>
        <Progress current=Step::Details/>
        <h1>"Your details"</h1>
        <p class="lead">"We put these on your invoice and send your receipt to your email."</p>
        <ErrorNote error=error.as_ref().map(|e| e.to_string())/>
        // Rendered on the server only, once the basket is read (the route is `SsrMode::Async`).
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items("Your basket").await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            let saved = view.details;
            let message = |name| error.as_ref().and_then(|e| e.field(name));
            view! {
                <section class="card">
                    <form method="post" action=SaveDetails::url() class="details-form" novalidate>
                        <Field name="name" label="Full name" autocomplete="name" value=saved.name message=message(FieldName::Name)/>
                        <Field name="email" label="Email" autocomplete="email" input_type="email" value=saved.email message=message(FieldName::Email)/>
                        <Field name="address" label="Street and house number" autocomplete="street-address" value=saved.address message=message(FieldName::Address)/>
                        <div class="field-row">
                            <Field name="postcode" label="Postcode" autocomplete="postal-code" value=saved.postcode message=message(FieldName::Postcode)/>
                            <Field name="city" label="Town or city" autocomplete="address-level2" value=saved.city message=message(FieldName::City)/>
                        </div>
                        <CountryField value=saved.country message=message(FieldName::Country)/>
                        <div class="actions">
                            <a class="button" href="/basket">"Back to basket"</a>
                            <button type="submit" class="button primary">"Continue to payment"</button>
                        </div>
                    </form>
                </section>
            }.into_any()
        })}</Suspense>
    }
}

#[component]
fn CountryField(value: String, message: Option<&'static str>) -> impl IntoView {
    let invalid = message.is_some();
    view! {
        <div class="field" class:invalid=invalid>
            <label for="country">"Country"</label>
            <select id="country" name="country" autocomplete="country" aria-invalid=if invalid { "true" } else { "false" } aria-describedby="country-error">
                <option value="" selected=value.is_empty()>"Choose…"</option>
                {COUNTRIES.iter().map(|(code, country)| {
                    view! { <option value=*code selected=value == *code>{*country}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id="country-error">{message}</p>
        </div>
    }
}
