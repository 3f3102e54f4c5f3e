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
use crate::pages::words;
use crate::{t, t_plain};

#[component]
pub fn Payment() -> impl IntoView {
    // Back from the hosted page: a fixed message per known code, nothing else.
    let notice = use_query_map().with_untracked(|q| q.get("payment")).as_deref().and_then(PaymentNotice::from_code);
    view! {
        <Title text=t!("checkout-payment-title")/>
        <Progress current=Step::Payment/>
        <h1>{t!("checkout-payment-title")}</h1>
        <ErrorNote error={posted_error::<Pay>().map(|e| words::checkout_error(&e))}/>
        {notice.map(|notice| {
            let class = if notice.is_problem() { "error-note" } else { "notice" };
            view! { <p class=class role="status" data-payment-notice=notice.code()>{words::payment_notice(notice)}</p> }
        })}
        // Rendered on the server only, once the basket is read (the route is
        // `SsrMode::Async`). A fresh attempt key per rendered form: a double
        // submit of one form reuses it (one checkout session); a new render
        // gets a new one, and paying with it first closes the old session.
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items(t!("checkout-unavailable-payment-form")).await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            if let Some(problem) = view.problem {
                return view! {
                    <section class="card"><p class="error-note" role="alert">{words::rejection(problem)}</p><a class="button primary" href="/basket">{t!("checkout-payment-go-to-basket")}</a></section>
                }.into_any();
            }
            if !view.details_complete {
                return view! {
                    <section class="card"><p>{t!("checkout-payment-need-details")}</p><a class="button primary" href="/checkout/details">{t!("checkout-payment-enter-details")}</a></section>
                }.into_any();
            }
            let key = match new_payment_attempt().await {
                Ok(key) => key,
                Err(error) => return load_failure(error, t!("checkout-unavailable-payment-form")),
            };
            view! {
                <section class="card">
                    <h2 class="small-heading">{t!("checkout-payment-summary")}</h2>
                    <ul class="summary">
                        {view.lines.iter().map(|line| view! {
                            <li><span>{t!("checkout-line", quantity = line.quantity, product = line.name.clone())}</span><span>{line.amount.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                    <dl class="totals">
                        <dt>{t!("checkout-subtotal")}</dt><dd>{view.subtotal.clone()}</dd>
                        <dt>{t!("checkout-vat")}</dt><dd>{view.tax.clone()}</dd>
                        <dt class="total">{t!("checkout-total")}</dt><dd class="total">{view.total.clone()}</dd>
                    </dl>
                    <p class="muted">{t!("checkout-payment-invoice-to", name = view.details.name.clone(), email = view.details.email.clone())}" · "<a href="/checkout/details">{t!("checkout-payment-change")}</a></p>
                </section>
                <section class="card">
                    <form method="post" action=Pay::url() class="payment-form">
                        <input type="hidden" name="attempt" value=key/>
                        // The total shown above: a price changed since is refused, not charged.
                        <input type="hidden" name="priced_as" value=view.priced_as.clone()/>
                        <p class="muted">{t!("checkout-payment-how")}</p>
                        <button type="submit" class="button primary">{t_plain!("checkout-payment-pay", total = view.total.clone())}</button>
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
        <Title text=t!("checkout-payment-title")/>
        <Progress current=Step::Payment/>
        <h1>{t!("checkout-payment-title")}</h1>
        <Suspense>{Suspend::new(async move {
            match crate::api::checkout::hosted_payment_page(Some(attempt)).await {
                Ok(url) => {
                    #[cfg(feature = "ssr")]
                    crate::server::http::server_fns::checkout::refresh_to(0, &url);
                    view! {
                        <section class="card handoff">
                            <p>{t!("checkout-handoff-text")}</p>
                            <a class="button primary" href=url rel="external" data-hosted-payment="">{t!("checkout-handoff-continue")}</a>
                        </section>
                    }.into_any()
                }
                Err(error) => view! {
                    <section class="card">
                        <p class="error-note" role="alert">{words::checkout_error(&error)}</p>
                        <a class="button" href="/checkout/payment">{t!("checkout-handoff-back")}</a>
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
        <Title text=t!("checkout-processing-title")/>
        <Progress current=Step::Payment/>
        <h1>{t!("checkout-processing-title")}</h1>
        <section class="card" role="status">
            <p>{t!("checkout-processing-text")}</p>
            {again.map(|href| view! { <a class="button" href=href>{t!("checkout-processing-check-now")}</a> })}
        </section>
    }
}
