//! Emailed links: asking for one (sign-in or password reset), and using a
//! sign-in link. Opening a link changes nothing (mail scanners open links);
//! only the button on its page uses it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::pages::account::{error_text, field_error_text, form_error_text, AccountField};
use crate::pages::notes::ErrorNote;
use crate::pages::form::posted_error;
use crate::api::portal::{link_status, FieldName, LinkPurpose, RequestLink, UseSignInLink};
use crate::t;

/// `/account/sign-in-link`
#[component]
pub fn RequestSignInLinkPage() -> impl IntoView {
    view! {
        <RequestLinkPage
            kind="sign-in"
            heading=t!("portal-email-me-a-link")
            lead=t!("portal-request-link-lead")
            button=t!("portal-request-link-button")
        />
    }
}

/// `/account/forgot-password`
#[component]
pub fn ForgotPassword() -> impl IntoView {
    view! {
        <RequestLinkPage
            kind="reset"
            heading=t!("portal-reset-heading")
            lead=t!("portal-reset-lead")
            button=t!("portal-reset-button")
        />
    }
}

#[component]
fn RequestLinkPage(kind: &'static str, heading: String, lead: String, button: String) -> impl IntoView {
    // `?sent=1`: the form was posted and came back here.
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let error = posted_error::<RequestLink>();
    view! {
        <Title text=heading.clone()/>
        <section class="card narrow">
            <h1>{heading}</h1>
            {if sent {
                view! { <CheckInbox/> }.into_any()
            } else {
                view! {
                    <p class="lead">{lead}</p>
                    <ErrorNote error=error.as_ref().and_then(form_error_text)/>
                    <form method="post" action=RequestLink::url() class="account-form" novalidate>
                        <input type="hidden" name="kind" value=kind/>
                        <AccountField name="email" label=t!("portal-email-label") autocomplete="email" input_type="email" message=error.as_ref().and_then(|e| field_error_text(e, FieldName::Email))/>
                        <div class="actions"><button type="submit" class="button primary">{button}</button></div>
                    </form>
                    <p class="alternatives"><a href="/account/sign-in">{t!("portal-back-to-sign-in")}</a></p>
                }.into_any()
            }}
        </section>
    }
}

/// The same answer whether or not the email has an account.
#[component]
fn CheckInbox() -> impl IntoView {
    view! {
        <div role="status" class="check-inbox">
            <p class="lead">{t!("portal-check-inbox")}</p>
            <p>{t!("portal-check-inbox-detail")}</p>
            <p class="alternatives"><a href="/account/sign-in">{t!("portal-back-to-sign-in")}</a></p>
        </div>
    }
}

/// `/account/link?token=…`: a sign-in link from an email.
#[component]
pub fn UseLink() -> impl IntoView {
    view! {
        <EmailedLinkPage title=t!("portal-sign-in-title") accepts=|purpose| purpose == LinkPurpose::SignIn form=move |token| view! {
            <h1>{t!("portal-sign-in-title")}</h1>
            <p class="lead">{t!("portal-use-link-lead")}</p>
            <ErrorNote error={posted_error::<UseSignInLink>().map(|e| error_text(&e))}/>
            <form method="post" action=UseSignInLink::url() class="account-form">
                <input type="hidden" name="token" value=token/>
                <div class="actions"><button type="submit" class="button primary">{t!("portal-sign-in-button")}</button></div>
            </form>
        }.into_any()/>
    }
}

/// The page an emailed link opens (`?token=…`): it checks the link without
/// using it, then shows `form` for a link it `accepts`, or how to get a new one.
#[component]
pub fn EmailedLinkPage(
    title: String,
    accepts: fn(LinkPurpose) -> bool,
    form: impl Fn(String) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    view! {
        <Title text=title/>
        <section class="card narrow">
            // Rendered on the server only, once the link is checked (the route is `SsrMode::Async`).
            <Suspense>{Suspend::new(async move {
                match link_status(Some(token.clone())).await {
                    Ok(purpose) if accepts(purpose) => form(token),
                    _ => view! { <LinkUnusable/> }.into_any(),
                }
            })}</Suspense>
        </section>
    }
}

/// An expired, used or unknown link, and how to get a new one.
#[component]
pub fn LinkUnusable() -> impl IntoView {
    view! {
        <h1>{t!("portal-link-unusable-heading")}</h1>
        <p class="lead">{t!("portal-link-unusable-lead")}</p>
        <p>
            <a class="button primary" href="/account/sign-in-link">{t!("portal-new-sign-in-link")}</a>
            " "
            <a class="button" href="/account/forgot-password">{t!("portal-reset-my-password")}</a>
        </p>
    }
}
