//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

use crate::pages::account::invoices::{InvoiceDetail, MyInvoices};
use crate::pages::account::links::{ForgotPassword, RequestSignInLinkPage, UseLink};
use crate::pages::account::password::ChoosePassword;
use crate::pages::account::sign_in::SignIn;
use crate::pages::basket::Basket;
use crate::pages::catalogue::Catalogue;
use crate::pages::checkout_complete::CheckoutComplete;
use crate::pages::details::Details;
use crate::pages::not_found::NotFound;
use crate::pages::payment::Payment;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The main JS imports the chunk loader that `--split` writes: fetch it
    // beside the main module instead of after that has been parsed.
    let chunk_loader = has_chunk_loader(&options).then(|| {
        view! { <link rel="modulepreload" href=format!("/{}/{CHUNK_LOADER}", options.site_pkg_dir)/> }
    });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                {chunk_loader}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The name cargo-leptos gives the chunk loader (file hashing off).
const CHUNK_LOADER: &str = "__wasm_split.______________________.js";

#[cfg(feature = "ssr")]
fn has_chunk_loader(options: &LeptosOptions) -> bool {
    // Built once per process, like the manifest Leptos reads for lazy pages.
    static PRESENT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PRESENT.get_or_init(|| {
        !options.hash_files
            && std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()).join(CHUNK_LOADER).exists()
    })
}

#[cfg(not(feature = "ssr"))]
fn has_chunk_loader(_options: &LeptosOptions) -> bool {
    false
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/checkout-portal.css"/>
        <Title formatter=|page: String| format!("{page} · Coworking billing")/>
        <Router>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Coworking billing"
                </a>
                <nav aria-label="Site">
                    <a href="/basket">"Basket"</a>
                    <a href="/account/invoices">"My invoices"</a>
                </nav>
            </header>
            <main id="main" class="site-main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={Lazy::<CataloguePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/basket") view={Lazy::<BasketPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/details") view={Lazy::<DetailsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/payment") view={Lazy::<PaymentPage>::new()} ssr=SsrMode::Async/>
                    // In the main bundle, not lazy: guests arrive here straight
                    // from payment, and the registration should not wait for a
                    // second download. Async: the page is complete HTML before
                    // it is sent, so it works without JavaScript.
                    <Route path=path!("/checkout/complete") view=CheckoutComplete ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-in") view={Lazy::<SignInPage>::new()}/>
                    <Route path=path!("/account/sign-in-link") view={Lazy::<SignInLinkPage>::new()}/>
                    <Route path=path!("/account/forgot-password") view={Lazy::<ForgotPasswordPage>::new()}/>
                    <Route path=path!("/account/link") view={Lazy::<UseLinkPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/set-password") view={Lazy::<SetPasswordPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/reset-password") view={Lazy::<ResetPasswordPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices") view={Lazy::<MyInvoicesPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices/:id") view={Lazy::<InvoiceDetailPage>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Payments and invoices are handled securely. Questions? Reply to your payment receipt email."</p>
            </footer>
        </Router>
    }
}

/// Declares a route whose page is split out of the main wasm bundle (built
/// with `cargo leptos … --split`) and fetched the first time the route is
/// shown. The server renders it like any other page; in the browser it
/// hydrates once its chunk has arrived.
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $route:ident => $page:expr;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                // Each page starts its own data loading when it renders.
                $route
            }

            fn view(_this: Self) -> AnyView {
                ($page)().into_any()
            }
        }
    )*};
}

lazy_pages! {
    /// `/`: the catalogue.
    CataloguePage => Catalogue;
    /// `/basket`.
    BasketPage => Basket;
    /// `/checkout/details`.
    DetailsPage => Details;
    /// `/checkout/payment`.
    PaymentPage => Payment;
    /// `/account/sign-in`.
    SignInPage => SignIn;
    /// `/account/sign-in-link`.
    SignInLinkPage => RequestSignInLinkPage;
    /// `/account/forgot-password`.
    ForgotPasswordPage => ForgotPassword;
    /// `/account/link`: the page an emailed sign-in link opens.
    UseLinkPage => UseLink;
    /// `/account/set-password`.
    SetPasswordPage => || view! { <ChoosePassword heading="Set your password"/> };
    /// `/account/reset-password`.
    ResetPasswordPage => || view! { <ChoosePassword heading="Choose a new password"/> };
    /// `/account/invoices`.
    MyInvoicesPage => MyInvoices;
    /// `/account/invoices/:id`.
    InvoiceDetailPage => InvoiceDetail;
}
