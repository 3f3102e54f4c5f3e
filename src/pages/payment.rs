//! `/checkout/payment`: pay the basket with a card.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::{new_payment_attempt, Pay};
use crate::pages::form::posted_error;
use crate::pages::notes::{basket_with_items, load_failure, ErrorNote};
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Payment() -> impl IntoView {
    view! {
        <Title text="Payment"/>
        <Progress current=Step::Payment/>
        <h1>"Payment"</h1>
        <ErrorNote error={posted_error::<Pay>().map(|e| e.to_string())}/>
        // Rendered on the server only, once the basket is read (the route is
        // `SsrMode::Async`). A fresh idempotency key per rendered form: a
        // double submit of one form reuses it (and charges once); after a
        // decline the page comes back rendered afresh, so another card gets a new one.
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items("The payment form").await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            if !view.details_complete {
                return view! {
                    <section class="card"><p>"We still need your details for the invoice."</p><a class="button primary" href="/checkout/details">"Enter your details"</a></section>
                }.into_any();
            }
            let key = match new_payment_attempt().await {
                Ok(key) => key,
                Err(error) => return load_failure(error, "The payment form"),
            };
            view! {
                <section class="card">
                    <h2 class="small-heading">"Order summary"</h2>
                    <ul class="summary">
                        {view.lines.iter().map(|line| view! {
                            <li><span>{format!("{} × {}", line.quantity, line.name)}</span><span>{line.amount.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                    <dl class="totals">
                        <dt>"Subtotal"</dt><dd>{view.subtotal.clone()}</dd>
                        <dt>"VAT"</dt><dd>{view.tax.clone()}</dd>
                        <dt class="total">"Total"</dt><dd class="total">{view.total.clone()}</dd>
                    </dl>
                    <p class="muted">{format!("Invoice to {}, {}", view.details.name, view.details.email)}" · "<a href="/checkout/details">"Change"</a></p>
                </section>
                <section class="card">
                    <form method="post" action=Pay::url() class="payment-form">
                        <input type="hidden" name="attempt" value=key/>
                        <div class="field">
                            <label for="card_number">"Card number"</label>
                            <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"/>
                        </div>
                        <div class="field-row">
                            <div class="field">
                                <label for="expiry">"Expiry (MM/YY)"</label>
                                <input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM/YY"/>
                            </div>
                            <div class="field">
                                <label for="cvc">"Security code"</label>
                                <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123"/>
                            </div>
                        </div>
                        <p class="muted test-mode">"Test mode: pay with 4242 4242 4242 4242, any future expiry and any 3 digits. 4000 0000 0000 0002 is declined."</p>
                        <button type="submit" class="button primary">{format!("Pay {}", view.total)}</button>
                    </form>
                </section>
            }.into_any()
        })}</Suspense>
    }
}
