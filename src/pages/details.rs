//! `/checkout/details`: who the invoice is for. Errors appear next to their
//! fields; what was typed is saved even when invalid, so nothing is lost.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::checkout::{basket, CheckoutError, SaveDetails, COUNTRIES};
use crate::pages::notes::{load_failure, EmptyBasket, ErrorNote};
use crate::pages::form::Field;
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Details() -> impl IntoView {
    let save = ServerAction::<SaveDetails>::new();
    let contents = Resource::new(|| (), |()| basket());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text="Your details"/>
        <Progress current=Step::Details/>
        <h1>"Your details"</h1>
        <p class="lead">"We put these on your invoice and send your receipt to your email."</p>
        <ErrorNote error=Signal::derive(move || error.get().map(|e| e.to_string()))/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let view = match contents.await {
                    Ok(view) => view,
                    Err(error) => return load_failure(error, "Your basket"),
                };
                if view.lines.is_empty() {
                    return view! { <EmptyBasket/> }.into_any();
                }
                let saved = view.details;
                view! {
                    <section class="card">
                        <ActionForm action=save attr:class="details-form" attr:novalidate=true>
                            <Field name="name" label="Full name" autocomplete="name" value=saved.name.clone() message=Signal::derive(move || error.get().and_then(|e| e.field("name")))/>
                            <Field name="email" label="Email" autocomplete="email" input_type="email" value=saved.email.clone() message=Signal::derive(move || error.get().and_then(|e| e.field("email")))/>
                            <Field name="address" label="Street and house number" autocomplete="street-address" value=saved.address.clone() message=Signal::derive(move || error.get().and_then(|e| e.field("address")))/>
                            <div class="field-row">
                                <Field name="postcode" label="Postcode" autocomplete="postal-code" value=saved.postcode.clone() message=Signal::derive(move || error.get().and_then(|e| e.field("postcode")))/>
                                <Field name="city" label="Town or city" autocomplete="address-level2" value=saved.city.clone() message=Signal::derive(move || error.get().and_then(|e| e.field("city")))/>
                            </div>
                            <CountryField value=saved.country.clone() error/>
                            <div class="actions">
                                <a class="button" href="/basket">"Back to basket"</a>
                                <button type="submit" class="button primary" disabled=move || save.pending().get()>"Continue to payment"</button>
                            </div>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn CountryField(value: String, error: Signal<Option<CheckoutError>>) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field("country"));
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for="country">"Country"</label>
            <select id="country" name="country" autocomplete="country" aria-invalid=move || message().is_some().to_string() aria-describedby="country-error">
                <option value="" selected=value.is_empty()>"Choose…"</option>
                {COUNTRIES.iter().map(|(code, country)| {
                    view! { <option value=*code selected=value == *code>{*country}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id="country-error">{message}</p>
        </div>
    }
}
