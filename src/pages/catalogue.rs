//! `/`: the coworking space's products.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::{catalogue, AddToBasket};
use crate::pages::form::posted_error;
use crate::pages::notes::{load_failure, ErrorNote};
use crate::pages::progress::{Progress, Step};
use crate::pages::words;
use crate::{t, t_plain};

#[component]
pub fn Catalogue() -> impl IntoView {
    view! {
        <Title text=t!("checkout-catalogue-title")/>
        <Progress current=Step::Basket/>
        <h1>{t!("checkout-catalogue-title")}</h1>
        <p class="lead">{t!("checkout-catalogue-lead")}</p>
        <ErrorNote error={posted_error::<AddToBasket>().map(|e| words::checkout_error(&e))}/>
        // Rendered on the server only, once the products are read (the route
        // is `SsrMode::Async`): the boundary waits for the read, no resource needed.
        <Suspense>{Suspend::new(async move {
            match catalogue().await {
                Err(error) => Either::Left(load_failure(error, t!("checkout-unavailable-products"))),
                Ok(products) if products.is_empty() => Either::Left(view! {
                    <p class="card" role="status" data-empty-catalogue="">
                        {t!("checkout-catalogue-empty")}
                    </p>
                }.into_any()),
                Ok(products) => Either::Right(view! {
                    <ul class="products">
                        {products
                            .into_iter()
                            .map(|product| view! {
                                <li class="card product">
                                    <h2>{product.name.clone()}</h2>
                                    <p>{product.description.clone()}</p>
                                    <p class="price">
                                        <strong>{product.price.clone()}</strong>
                                        " "<span class="muted">{t!("checkout-plus-vat", rate = product.tax_rate.clone())}</span>
                                    </p>
                                    <form method="post" action=AddToBasket::url()>
                                        <input type="hidden" name="product_id" value=product.id.to_string()/>
                                        <input type="hidden" name="quantity" value="1"/>
                                        <button type="submit" class="button primary" aria-label=t_plain!("checkout-add-product-to-basket", product = product.name.clone())>
                                            {t!("checkout-add-to-basket")}
                                        </button>
                                    </form>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }),
            }
        })}</Suspense>
    }
}
