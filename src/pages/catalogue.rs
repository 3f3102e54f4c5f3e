//! `/`: the coworking space's products.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::checkout::{catalogue, AddToBasket};
use crate::pages::form::posted_error;
use crate::pages::notes::{load_failure, ErrorNote};
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Catalogue() -> impl IntoView {
    view! {
        <Title text="Book your space"/>
        <Progress current=Step::Basket/>
        <h1>"Book your space"</h1>
        <p class="lead">"Day passes, meeting rooms and offices. Pay as a guest: no account needed."</p>
        <ErrorNote error={posted_error::<AddToBasket>().map(|e| e.to_string())}/>
        // Rendered on the server only, once the products are read (the route
        // is `SsrMode::Async`): the boundary waits for the read, no resource needed.
        <Suspense>{Suspend::new(async move {
            match catalogue().await {
                Err(error) => Either::Left(load_failure(error, "The products")),
                Ok(products) if products.is_empty() => Either::Left(view! {
                    <p class="card" role="status" data-empty-catalogue="">
                        "Nothing is for sale yet. The shop's operator lists products in a shop file and applies it (see \"Operating your shop\" in the README)."
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
                                        " "<span class="muted">{format!("+ {} VAT", product.tax_rate)}</span>
                                    </p>
                                    <form method="post" action=AddToBasket::url()>
                                        <input type="hidden" name="product_id" value=product.id.to_string()/>
                                        <input type="hidden" name="quantity" value="1"/>
                                        <button type="submit" class="button primary" aria-label=format!("Add {} to basket", product.name)>
                                            "Add to basket"
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
