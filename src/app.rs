//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
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
                    <Route path=path!("/") view=Catalogue ssr=SsrMode::Async/>
                    <Route path=path!("/basket") view=Basket ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/details") view=Details ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/payment") view=Payment ssr=SsrMode::Async/>
                    // Async: the page is complete HTML before it is sent, so it
                    // works without JavaScript.
                    <Route path=path!("/checkout/complete") view=CheckoutComplete ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-in") view=SignIn/>
                    <Route path=path!("/account/sign-in-link") view=RequestSignInLinkPage/>
                    <Route path=path!("/account/forgot-password") view=ForgotPassword/>
                    <Route path=path!("/account/link") view=UseLink ssr=SsrMode::Async/>
                    <Route
                        path=path!("/account/set-password")
                        view=|| view! { <ChoosePassword heading="Set your password"/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/account/reset-password")
                        view=|| view! { <ChoosePassword heading="Choose a new password"/> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account/invoices") view=MyInvoices ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices/:id") view=InvoiceDetail ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Payments and invoices are handled securely. Questions? Reply to your confirmation email."</p>
            </footer>
        </Router>
    }
}
