//! `/`: the coworking space's products.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::checkout::{catalogue, AddToBasket};
use crate::pages::notes::{load_failure, ErrorNote};
use crate::pages::progress::{Progress, Step};

#[component]
pub fn Catalogue() -> impl IntoView {
    let products = Resource::new(|| (), |()| catalogue());
    let add = ServerAction::<AddToBasket>::new();
    view! {
        <Title text="Book your space"/>
        <Progress current=Step::Basket/>
        <h1>"Book your space"</h1>
        <p class="lead">"Day passes, meeting rooms and offices. Pay as a guest: no account needed."</p>
        <ErrorNote error=Signal::derive(move || add.value().get().and_then(Result::err).map(|e| e.to_string()))/>
        <Suspense fallback=|| view! { <p>"Loading products…"</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Err(error) => load_failure(error, "The products"),
                    Ok(products) => view! {
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
                                        <ActionForm action=add>
                                            <input type="hidden" name="product_id" value=product.id.to_string()/>
                                            <input type="hidden" name="quantity" value="1"/>
                                            <button type="submit" class="button primary" aria-label=format!("Add {} to basket", product.name)>
                                                "Add to basket"
                                            </button>
                                        </ActionForm>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
