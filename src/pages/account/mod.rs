//! The customer portal: sign-in, emailed links, passwords and "My invoices".

pub mod invoices;
pub mod links;
pub mod password;
pub mod sign_in;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;

use crate::api::guest_access::urlencode;
use crate::api::portal::{AccountView, PortalError, SignOut, SIGN_IN};
use crate::pages::notes::Unavailable;

/// Sends a signed-out visitor to the sign-in page, to come back to `here`.
#[component]
pub fn SignInFirst(here: String) -> impl IntoView {
    let path = format!("{SIGN_IN}?next={}", urlencode(&here));
    // leptos makes the redirect a 302 only for clients that accept HTML; a
    // page request is a navigation whatever its Accept header says.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FOUND);
    }
    view! { <Redirect path/> }
}

/// The failure of a portal page load, or a redirect to sign in.
pub fn page_error(error: PortalError, here: String) -> AnyView {
    // A server render answers with the error's status too (not for a redirect).
    #[cfg(feature = "ssr")]
    if error != PortalError::SignedOut {
        if let (Some(response), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(crate::api::HttpStatus::status(&error)),
        ) {
            response.set_status(status);
        }
    }
    match error {
        PortalError::SignedOut => view! { <SignInFirst here/> }.into_any(),
        PortalError::Unavailable | PortalError::Transport(_) => view! { <Unavailable what="Your account could not be loaded."/> }.into_any(),
        other => view! {
            <section class="card">
                <h1>{if other == PortalError::NotFound { "Invoice not found" } else { "Something went wrong" }}</h1>
                <p class="lead">{other.to_string()}</p>
                <a class="button" href="/account/invoices">"Back to my invoices"</a>
            </section>
        }
        .into_any(),
    }
}

/// Who is signed in, and the ways to sign out.
#[component]
pub fn AccountBar(account: AccountView) -> impl IntoView {
    view! {
        <div class="account-bar">
            <p class="muted">"Signed in as " <strong>{account.name}</strong> " (" {account.email} ")"</p>
            <form method="post" action=SignOut::url() class="inline-form">
                <button type="submit" class="button">"Sign out"</button>
            </form>
            <form method="post" action=SignOut::url() class="inline-form">
                <input type="hidden" name="everywhere" value="1"/>
                <button type="submit" class="button link-button">"Sign out on all devices"</button>
            </form>
        </div>
    }
}
