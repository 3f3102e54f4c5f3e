//! `/basket`: change quantities, remove items, see the totals.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::SetQuantity;
use crate::pages::form::posted_error;
use crate::pages::notes::{basket_with_items, ErrorNote};
use crate::pages::progress::{Progress, Step};
use crate::pages::words;
use crate::{t, t_plain};

#[component]
pub fn Basket() -> impl IntoView {
    view! {
        <Title text=t!("checkout-basket-title")/>
        <Progress current=Step::Basket/>
        <h1>{t!("checkout-basket-title")}</h1>
        <ErrorNote error={posted_error::<SetQuantity>().map(|e| words::checkout_error(&e))}/>
        // Rendered on the server only, once the basket is read (the route is
        // `SsrMode::Async`). A change is posted (by the islands router, or the
        // browser) and the page rendered afresh, with the new totals.
        <Suspense>{Suspend::new(async move {
            let view = match basket_with_items(t!("checkout-unavailable-basket")).await {
                Ok(view) => view,
                Err(instead) => return instead,
            };
            view! {
                <section class="card">
                    <table class="basket">
                        <caption class="visually-hidden">{t!("checkout-basket-caption")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!("checkout-basket-item")}</th>
                                <th scope="col" class="num">{t!("checkout-basket-price")}</th>
                                <th scope="col">{t!("checkout-basket-quantity")}</th>
                                <th scope="col" class="num">{t!("checkout-basket-amount")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {view.lines.into_iter().map(|line| {
                                let input_id = format!("quantity-{}", line.product_id);
                                let quantity_label = t_plain!("checkout-basket-quantity-of", product = line.name.clone());
                                let remove_label = t_plain!("checkout-basket-remove-product", product = line.name.clone());
                                let (update_id, remove_id) = (line.product_id.to_string(), line.product_id.to_string());
                                let quantity = line.quantity.to_string();
                                let max = line.max_quantity.to_string();
                                let price_note = t!("checkout-plus-vat", rate = line.tax_rate.clone());
                                view! {
                                    <tr>
                                        <th scope="row">{line.name.clone()}</th>
                                        <td class="num">{line.unit_price.clone()}<br/><span class="muted">{price_note}</span></td>
                                        <td>
                                            <form method="post" action=SetQuantity::url() class="inline-form">
                                                <input type="hidden" name="product_id" value=update_id.clone()/>
                                                <label class="visually-hidden" for=input_id.clone()>{quantity_label.clone()}</label>
                                                <input id=input_id.clone() type="number" name="quantity" min="1" max=max required value=quantity.clone() class="quantity"/>
                                                <button type="submit" class="button small">{t!("checkout-basket-update")}</button>
                                            </form>
                                            <form method="post" action=SetQuantity::url() class="inline-form">
                                                <input type="hidden" name="product_id" value=remove_id.clone()/>
                                                <input type="hidden" name="quantity" value="0"/>
                                                <button type="submit" class="button small link" aria-label=remove_label.clone()>{t!("checkout-basket-remove")}</button>
                                            </form>
                                        </td>
                                        <td class="num">{line.amount.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            {view.unavailable.into_iter().map(|line| {
                                let remove_label = t_plain!("checkout-basket-remove-product", product = line.name.clone());
                                view! {
                                    <tr class="unavailable" data-unavailable=line.product_id.to_string()>
                                        <th scope="row">{line.name.clone()}<br/><span class="muted">{t!("checkout-basket-no-longer-available")}</span></th>
                                        <td class="num">"—"</td>
                                        <td>
                                            <span class="muted">{t!("checkout-basket-in-basket", count = line.quantity)}</span>
                                            <form method="post" action=SetQuantity::url() class="inline-form">
                                                <input type="hidden" name="product_id" value=line.product_id.to_string()/>
                                                <input type="hidden" name="quantity" value="0"/>
                                                <button type="submit" class="button small" aria-label=remove_label>{t!("checkout-basket-remove")}</button>
                                            </form>
                                        </td>
                                        <td class="num">"—"</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {view.problem.map(|problem| view! { <p class="error-note" role="status" data-basket-problem="">{words::rejection(problem)}</p> })}
                    <dl class="totals" aria-live="polite">
                        <dt>{t!("checkout-subtotal")}</dt><dd>{view.subtotal.clone()}</dd>
                        <dt>{t!("checkout-vat")}</dt><dd>{view.tax.clone()}</dd>
                        <dt class="total">{t!("checkout-total")}</dt><dd class="total" data-testid="basket-total">{view.total.clone()}</dd>
                    </dl>
                    <div class="actions">
                        <a class="button" href="/">{t!("checkout-basket-add-more")}</a>
                        <a class="button primary" href="/checkout/details">{t!("checkout-basket-continue")}</a>
                    </div>
                </section>
            }.into_any()
        })}</Suspense>
    }
}
