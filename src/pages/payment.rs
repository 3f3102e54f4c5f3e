//! `/checkout/payment`: review the order and pay it on the provider's
//! secure hosted page (Stripe Checkout, or the test provider's page). Card
//! details are never typed into this app.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::checkout::{new_payment_attempt, Pay, PaymentNotice};
use crate::pages::form::posted_error;
use crate::pages::notes::{basket_with_items, load_failure, ErrorNote};
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Payment() -> impl IntoView {
    // Back from the hosted page: a fixed message per known code, nothing else.
    let notice = use_query_map().with_untracked(|q| q.get("payment")).as_deref().and_then(PaymentNotice::from_code);
    view! {
        <Title text="Payment"/>
        <Progress current=Step::Payment/>
        <h1>"Payment"</h1>
        <ErrorNote error={posted_error::<Pay>().map(|e| e.to_string())}/>
        {notice.map(|notice| {
            let class = if notice.is_problem() { "error-note" } else { "notice" };
            view! { <p class=class role="status" data-payment-notice=notice.code()>{notice.message()}</p> }
        })}
        // Rendered on the server only, once the basket is read (the route is
        // `SsrMode::Async`). A fresh attempt key per rendered form: a double
        // submit of one form reuses it (one checkout session); a new render
        // gets a new one, and paying with it first closes the old session.
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items("The payment form").await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            if let Some(problem) = view.problem {
                return view! {
                    <section class="card"><p class="error-note" role="alert">{problem.message()}</p><a class="button primary" href="/basket">"Go to your basket"</a></section>
                }.into_any();
            }
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
                        // The total shown above: a price changed since is refused, not charged.
                        <input type="hidden" name="priced_as" value=view.priced_as.clone()/>
                        <p class="muted">"You pay by card on our payment provider's secure page, then come straight back here for your invoice."</p>
                        <button type="submit" class="button primary">{format!("Pay {}", view.total)}</button>
                    </form>
                </section>
            }.into_any()
        })}</Suspense>
    }
}

/// `/checkout/handoff?attempt=…`: where paying lands first, on our own
/// origin, with the link to the hosted page. A browser without JavaScript
/// follows the `Refresh` header at once; with it, the islands router fetched
/// this page (it cannot follow a redirect to another origin), and the link
/// takes the shopper on.
#[component]
pub fn PaymentHandoff() -> impl IntoView {
    let attempt = use_query_map().with_untracked(|q| q.get("attempt")).unwrap_or_default();
    view! {
        <Title text="Payment"/>
        <Progress current=Step::Payment/>
        <h1>"Payment"</h1>
        <Suspense>{Suspend::new(async move {
            match crate::api::checkout::hosted_payment_page(Some(attempt)).await {
                Ok(url) => {
                    #[cfg(feature = "ssr")]
                    crate::server::http::server_fns::checkout::refresh_to(0, &url);
                    view! {
                        <section class="card handoff">
                            <p>"Taking you to the secure payment page…"</p>
                            <a class="button primary" href=url rel="external" data-hosted-payment="">"Continue to payment"</a>
                        </section>
                    }.into_any()
                }
                Err(error) => view! {
                    <section class="card">
                        <p class="error-note" role="alert">{error.to_string()}</p>
                        <a class="button" href="/checkout/payment">"Back to payment"</a>
                    </section>
                }.into_any(),
            }
        })}</Suspense>
    }
}

/// `/checkout/processing?session_id=…`: a payment the provider has not
/// confirmed yet (a delayed payment method, or the provider was briefly out
/// of reach). It asks again every few seconds through the return URL, with
/// or without JavaScript (the `Refresh` header), and shows nothing of the
/// purchase itself.
#[component]
pub fn PaymentProcessing() -> impl IntoView {
    let session = use_query_map().with_untracked(|q| q.get("session_id")).unwrap_or_default();
    let again = crate::api::checkout::payment_return_path(&session);
    #[cfg(feature = "ssr")]
    if let Some(again) = &again {
        crate::server::http::server_fns::checkout::refresh_to(3, again);
    }
    view! {
        <Title text="Confirming your payment"/>
        <Progress current=Step::Payment/>
        <h1>"Confirming your payment"</h1>
        <section class="card" role="status">
            <p>"Your payment has not been confirmed yet. This page checks again every few seconds; there is no need to pay again."</p>
            {again.map(|href| view! { <a class="button" href=href>"Check now"</a> })}
        </section>
    }
}
