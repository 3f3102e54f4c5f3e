//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::account::invoices::{InvoiceDetail, MyInvoices};
use crate::pages::account::links::{ForgotPassword, RequestSignInLinkPage, UseLink};
use crate::pages::account::password::ChoosePassword;
use crate::pages::account::sign_in::SignIn;
use crate::api::checkout::basket;
use crate::pages::basket::Basket;
use crate::pages::catalogue::Catalogue;
use crate::pages::checkout_complete::CheckoutComplete;
use crate::pages::details::Details;
use crate::pages::not_found::NotFound;
use crate::pages::payment::{Payment, PaymentHandoff, PaymentProcessing};
use crate::{t, t_plain};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // This render's nonce is on every inline script; the policy names it.
    #[cfg(feature = "ssr")]
    crate::server::http::security::send_page_policy();
    let (lang, dir) = page_language();
    view! {
        <!DOCTYPE html>
        <html lang=lang dir=dir>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // The islands router patches each next page into this document
                // node by node, the head included: every page's head must
                // have the same elements, so per-page values are attributes
                // here rather than extra tags (leptos_meta's <Meta>).
                <meta name="referrer" content=referrer_policy()/>
                <AutoReload options=options.clone()/>
                // Islands mode: the browser runs only the #[island]s. The
                // islands router fetches the next page's HTML on link clicks,
                // back/forward and form posts and patches it into this
                // document, so navigation stays in the page.
                {islands_scripts(&options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The islands' loader and router, as Leptos' `<HydrationScripts>` would
/// write them but from one content-hashed module that browsers keep
/// (src/server/http/islands_boot.rs), with preloads so the islands' JS and
/// wasm download while the page parses.
#[cfg(feature = "ssr")]
fn islands_scripts(options: &LeptosOptions) -> impl IntoView {
    // As <HydrationScripts islands=true> does: only the islands hydrate, so
    // the rest of the page carries no hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let boot = crate::server::http::islands_boot::IslandsBoot::get(options);
    view! {
        <link rel="modulepreload" href=boot.module.as_str() crossorigin="anonymous"/>
        // Same request mode as wasm-bindgen's fetch, so the preload is used.
        <link rel="preload" href=boot.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" src=boot.script.path()></script>
    }
}

#[cfg(not(feature = "ssr"))]
fn islands_scripts(_: &LeptosOptions) -> impl IntoView {}

/// The request's language, provided to every page below the shell, and
/// the document's `lang` and `dir`.
#[cfg(feature = "ssr")]
fn page_language() -> (&'static str, &'static str) {
    let locale = crate::pages::i18n::locale();
    provide_context(locale);
    (locale.tag(), locale.direction().html())
}

#[cfg(not(feature = "ssr"))]
fn page_language() -> (&'static str, &'static str) {
    ("en", "ltr")
}

/// Only same-origin requests carry a Referer: an address that holds a
/// secret (an emailed link's token) never reaches another site, while the
/// islands router's form posts still tell the server which page to send the
/// browser back to when a server function fails. Checkout-complete sends
/// none at all: its forms live in its island and never need one.
fn referrer_policy() -> &'static str {
    #[cfg(feature = "ssr")]
    if use_context::<axum::http::request::Parts>().is_some_and(|parts| parts.uri.path() == "/checkout/complete") {
        return "no-referrer";
    }
    "same-origin"
}

/// The operator's name, logo and accent, from the applied shop file.
struct Brand {
    name: String,
    /// The logo's path on this origin.
    logo: Option<String>,
    /// The accent's stylesheet on this origin.
    theme: String,
}

/// Pages render on the server only (islands), where the shop is known.
#[cfg(feature = "ssr")]
fn brand() -> Brand {
    let Some(state) = use_context::<crate::server::http::state::AppState>() else {
        return Brand { name: t!("site-name-fallback"), logo: None, theme: String::new() };
    };
    let shop = state.shop.current();
    let letterhead = &shop.seller.letterhead;
    Brand {
        name: letterhead.name.clone(),
        logo: letterhead.logo.as_ref().map(|logo| logo.path()),
        theme: crate::server::http::shop::theme_path(letterhead.accent),
    }
}

#[cfg(not(feature = "ssr"))]
fn brand() -> Brand {
    Brand { name: String::new(), logo: None, theme: String::new() }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let Brand { name, logo, theme } = brand();
    let title_name = name.clone();
    view! {
        <Stylesheet id="leptos" href="/pkg/checkout-portal.css"/>
        // After the app's stylesheet: the operator's accent wins.
        <Stylesheet id="shop-theme" href=theme/>
        <Title formatter=move |page: String| format!("{page} · {title_name}")/>
        <Router>
            <TestModeBanner/>
            <header class="site-header">
                <a class="brand" href="/" data-testid="brand">
                    {match logo {
                        // The name follows as text, so the image adds nothing to read.
                        Some(src) => view! { <img class="brand-logo" src=src alt="" height="32"/> }.into_any(),
                        None => view! { <span class="brand-mark" aria-hidden="true">"◆"</span> }.into_any(),
                    }}
                    <span class="brand-name">{name}</span>
                </a>
                <nav aria-label=t!("nav-site")>
                    <a href="/basket">{t!("nav-basket")} <BasketCount/></a>
                    <a href="/account/invoices">{t!("nav-my-invoices")}</a>
                </nav>
                <LanguageSwitcher/>
            </header>
            <main id="main" class="site-main">
                <Routes fallback=NotFound>
                    // Async: each page is complete HTML before it is sent, so it
                    // works without JavaScript and the islands router can patch it in.
                    <Route path=path!("/") view=Catalogue ssr=SsrMode::Async/>
                    <Route path=path!("/basket") view=Basket ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/details") view=Details ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/payment") view=Payment ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/handoff") view=PaymentHandoff ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/processing") view=PaymentProcessing ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/complete") view=CheckoutComplete ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-in") view=SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-in-link") view=RequestSignInLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/forgot-password") view=ForgotPassword ssr=SsrMode::Async/>
                    <Route path=path!("/account/link") view=UseLink ssr=SsrMode::Async/>
                    <Route path=path!("/account/set-password") view=|| view! { <ChoosePassword heading=t!("portal-set-password-heading")/> } ssr=SsrMode::Async/>
                    <Route path=path!("/account/reset-password") view=|| view! { <ChoosePassword heading=t!("portal-new-password-heading")/> } ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices") view=MyInvoices ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices/:id") view=InvoiceDetail ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t!("footer-note")}</p>
            </footer>
        </Router>
    }
}

/// On every page while no real money moves (the built-in test provider, or
/// Stripe with a test-mode key), so a shopper can tell.
#[component]
fn TestModeBanner() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let test_mode = use_context::<crate::server::http::state::AppState>().is_some_and(|state| state.test_mode);
    #[cfg(not(feature = "ssr"))]
    let test_mode = false;
    test_mode.then(|| view! {
        // A landmark of its own, so nothing on the page sits outside one.
        <aside class="test-mode-banner" aria-label=t!("test-mode-label")>{t!("test-mode-banner")}</aside>
    })
}

/// How many items the basket holds, beside the header's Basket link. Rendered
/// with every page; the islands router patches each page in whole, so the
/// count is current after every navigation and form post.
#[component]
fn BasketCount() -> impl IntoView {
    // A visitor without a basket (a first visit, a guest who has paid) has
    // nothing to count: no query, and nothing for the page to wait on.
    #[cfg(feature = "ssr")]
    if !crate::server::http::server_fns::checkout::has_basket() {
        return None;
    }
    // Rendered on the server only, once the basket is read (every route is
    // `SsrMode::Async`): the boundary waits for the read, no resource needed.
    let count = Suspend::new(async move {
        basket().await.ok().filter(|view| view.item_count > 0).map(|view| {
            // Read out as "3 items" in the page's language; shown as the number.
            view! {
                <span class="basket-count" data-testid="basket-count" aria-hidden="true">{view.item_count}</span>
                <span class="visually-hidden">{format!(" {}", t_plain!("item-count", count = view.item_count))}</span>
            }
        })
    });
    Some(view! { <Suspense>{count}</Suspense> })
}

/// Every language the shop speaks, each named in itself, as plain links
/// to this page in that language: they work without JavaScript, and load
/// the whole page (`rel="external"`, past the islands router) so its
/// `lang` and `dir` change with it.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let choices: Vec<(&'static str, String, String, bool)> = {
        use crate::domain::locale::Locale;
        let current = crate::pages::i18n::locale();
        with_context::<axum::http::request::Parts, _>(|parts| {
            Locale::all()
                .map(|locale| {
                    let href = crate::server::http::i18n::switch_href(parts, locale);
                    (locale.tag(), crate::tr!(locale, "language-name"), href, locale == current)
                })
                .collect()
        })
        .unwrap_or_default()
    };
    #[cfg(not(feature = "ssr"))]
    let choices: Vec<(&'static str, String, String, bool)> = Vec::new();
    view! {
        <nav class="language-switcher" aria-label=t!("nav-language")>
            <ul>
                {choices
                    .into_iter()
                    .map(|(tag, name, href, current)| view! {
                        <li>
                            <a href=href hreflang=tag lang=tag rel="external" aria-current=current.then_some("true")>{name}</a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
