//! `/checkout/complete?invoiceId=…&basketSession=…`: where a guest lands after
//! paying. The server render says registration is in progress and shows no
//! invoice detail; the `Completion` island then registers exactly once and
//! offers the invoice PDF. Without JavaScript, a form button does the same.
//!
//! The island is the only code of this page that runs in the browser. It
//! gets everything it needs from the server as props (the first state and
//! the URL's values), since islands have no router of their own.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::pages::notes::ErrorNote;
use crate::pages::form::Field;
use crate::pages::progress::{Progress, Step};
use crate::api::portal::{InlinePasswordOutcome, SetPasswordNow as SetPasswordNowAction, MY_INVOICES, SIGN_IN};
use crate::api::guest_access::{
    completion_status, urlencode, CompleteRegistration, CompletionState, EmailPurchaseSignInLink, GuestAccessError,
    VerifiedPurchase, SIGN_IN_LINK_SENT,
};

/// What the page shows at a given moment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The token is genuine; registration has not run yet.
    Ready,
    /// Registration is running.
    Working,
    Registered(VerifiedPurchase),
    Failed(GuestAccessError),
}

#[component]
pub fn CheckoutComplete() -> impl IntoView {
    // The URL carries a secret: keep it out of Referer headers and caches.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        use axum::http::{header, HeaderValue};
        response.insert_header(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    let (invoice_id, basket_session, flags) = use_query_map().with_untracked(|q| {
        let flags = Returned {
            // The set-password form was posted without JavaScript and came back here.
            check_email: q.get("password").as_deref() == Some("check-email"),
            // So was the sign-in link form.
            sign_in_link_sent: q.get(SIGN_IN_LINK_SENT).as_deref() == Some("sent"),
        };
        (q.get("invoiceId").unwrap_or_default(), q.get("basketSession"), flags)
    });
    let status = Resource::new(
        || (),
        {
            let (invoice_id, basket_session) = (invoice_id.clone(), basket_session.clone());
            move |()| completion_status(Some(invoice_id.clone()), basket_session.clone())
        },
    );

    view! {
        <Title text="Completing your purchase"/>
        <Progress current=Step::Done/>
        <Suspense fallback=|| view! { <Status outcome=Signal::stored(Outcome::Working)/> }>
            {move || {
                let (invoice_id, basket_session) = (invoice_id.clone(), basket_session.clone());
                Suspend::new(async move {
                    let initial = status.await;
                    view! { <Completion initial invoice_id basket_session flags/> }
                })
            }}
        </Suspense>
    }
}

/// What a form posted without JavaScript came back to the page with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returned {
    check_email: bool,
    sign_in_link_sent: bool,
}

/// The completion widget: registers once, shows the outcome, and offers the
/// next steps. Its props travel to the browser as JSON.
#[island]
pub fn Completion(
    initial: Result<CompletionState, GuestAccessError>,
    invoice_id: String,
    basket_session: Option<String>,
    flags: Returned,
) -> impl IntoView {
    let register = ServerAction::<CompleteRegistration>::new();
    // Registration runs once per page, whatever re-renders.
    let dispatched = StoredValue::new(false);
    // Set when another tab of this browser turns out to have registered first.
    let registered_elsewhere = RwSignal::new(None::<VerifiedPurchase>);
    let outcome = Memo::new(move |_| {
        if let Some(purchase) = registered_elsewhere.get() {
            return Outcome::Registered(purchase);
        }
        if register.pending().get() {
            return Outcome::Working;
        }
        match (register.value().get(), initial.clone()) {
            (Some(Ok(purchase)), _) | (_, Ok(CompletionState::Registered(purchase))) => Outcome::Registered(purchase),
            (Some(Err(error)), _) | (None, Err(error)) | (None, Ok(CompletionState::Failed(error))) => {
                Outcome::Failed(error)
            }
            (None, Ok(CompletionState::Ready)) => Outcome::Ready,
        }
    });

    // Register as soon as the page is interactive: once, and only when the
    // server said the token is good and nothing has been tried yet.
    Effect::new({
        let (invoice_id, basket_session) = (invoice_id.clone(), basket_session.clone().unwrap_or_default());
        move |_| {
            if outcome.get_untracked() == Outcome::Ready && !dispatched.get_value() {
                dispatched.set_value(true);
                register.dispatch(CompleteRegistration {
                    invoice_id: Some(invoice_id.clone()),
                    basket_session: Some(basket_session.clone()),
                });
            }
        }
    });

    // Two tabs of one browser can race: the loser hears "already used" (from
    // its render or its own call) before the winner's cookie arrives. Ask once more, shortly after, whether this
    // browser holds the registration after all.
    #[cfg(feature = "hydrate")]
    Effect::new({
        let invoice_id = invoice_id.clone();
        let asked = StoredValue::new(false);
        move |_| {
            if outcome.get() == Outcome::Failed(GuestAccessError::TokenAlreadyUsed) && !asked.get_value() {
                asked.set_value(true);
                let invoice_id = invoice_id.clone();
                set_timeout(
                    move || {
                        leptos::task::spawn_local(async move {
                            if let Ok(CompletionState::Registered(purchase)) = completion_status(Some(invoice_id), None).await {
                                registered_elsewhere.set(Some(purchase));
                            }
                        })
                    },
                    std::time::Duration::from_millis(500),
                );
            }
        }
    });

    // Once registered, drop the basket secret from the address bar and history;
    // the token now lives in an HttpOnly cookie, so a reload still works.
    #[cfg(feature = "hydrate")]
    Effect::new({
        let clean_url = crate::api::guest_access::completion_path(&invoice_id);
        move |_| {
            if matches!(register.value().get(), Some(Ok(_))) {
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean_url));
                }
            }
        }
    });

    // A link that can no longer register still leads on: to signing in.
    let sign_in_path = {
        let (invoice_id, basket_session) = (invoice_id.clone(), basket_session.clone().filter(|b| !b.trim().is_empty()));
        move || {
            let registered_before = matches!(
                outcome.get(),
                Outcome::Failed(GuestAccessError::TokenAlreadyUsed | GuestAccessError::TokenExpired)
            );
            registered_before.then(|| {
                view! {
                    <PurchaseSignIn invoice_id=invoice_id.clone() basket_session=basket_session.clone() sent=flags.sign_in_link_sent/>
                }
            })
        }
    };

    // Set once this island runs in the browser. Until then its forms post
    // through the islands router like any other (and the answer cannot
    // update an island), so tests wait for it before using them.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));

    let (form_invoice, form_basket) = (invoice_id, basket_session.unwrap_or_default());
    view! {
        <div class="completion" data-live=move || live.get().then_some("true")>
            <Status outcome=outcome.into() check_email=flags.check_email/>
            {sign_in_path}
            // Always rendered so it works without JavaScript; hidden once there is nothing to retry.
            <ActionForm
                action=register
                attr:class="complete-form"
                attr:hidden=move || !(matches!(outcome.get(), Outcome::Ready | Outcome::Working) || is_retryable(&outcome.get()))
            >
                <input type="hidden" name="invoice_id" value=form_invoice/>
                <input type="hidden" name="basket_session" value=form_basket/>
                <button type="submit" class="button" disabled=move || outcome.get() == Outcome::Working>
                    {move || if is_retryable(&outcome.get()) { "Try again" } else { "Complete registration" }}
                </button>
            </ActionForm>
        </div>
    }
}

/// After the completion link has registered (here or elsewhere) or expired:
/// sign in, or have a sign-in link emailed to the address on the invoice. The
/// page never shows that address, nor anything of the invoice.
#[component]
fn PurchaseSignIn(invoice_id: String, basket_session: Option<String>, sent: bool) -> impl IntoView {
    let request = ServerAction::<EmailPurchaseSignInLink>::new();
    if sent {
        request.value().set(Some(Ok(())));
    }
    let sign_in = format!("{SIGN_IN}?next={}", urlencode(MY_INVOICES));
    let error = Signal::derive(move || request.value().get().and_then(Result::err).map(|error| explain(&error).0.to_owned()));
    view! {
        <section class="card sign-in-path" aria-labelledby="sign-in-path-heading">
            <h2 id="sign-in-path-heading">"Get to your invoice"</h2>
            <p>
                "The invoice PDF is attached to your payment receipt email. To see your invoices in your customer portal, "
                "sign in, or have a sign-in link emailed to the address on the invoice."
            </p>
            <p><a class="button primary" href=sign_in>"Sign in"</a></p>
            {basket_session.map(|basket_session| view! {
                <div role="status" aria-live="polite">
                    {move || matches!(request.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="lead sent">
                            "We've emailed a sign-in link to the address on the invoice. It works once, for a short time. "
                            "If it doesn't arrive within a few minutes, check your spam folder."
                        </p>
                    })}
                </div>
                <ErrorNote error/>
                <ActionForm
                    action=request
                    attr:class="sign-in-link-form"
                    attr:hidden=move || matches!(request.value().get(), Some(Ok(())))
                >
                    <input type="hidden" name="invoice_id" value=invoice_id.clone()/>
                    <input type="hidden" name="basket_session" value=basket_session/>
                    <button type="submit" class="button" disabled=move || request.pending().get()>
                        "Email me a sign-in link"
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

fn is_retryable(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed(error) if error.is_transient())
}

/// The outcome card: a live region announces changes, and focus moves to the
/// heading when an outcome arrives.
#[component]
fn Status(
    outcome: Signal<Outcome>,
    /// A set-password form posted without JavaScript came back: say to use the email.
    #[prop(optional)]
    check_email: bool,
) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        if matches!(outcome.get(), Outcome::Registered(_) | Outcome::Failed(_)) {
            if let Some(heading) = heading.get() {
                let _ = heading.focus();
            }
        }
    });
    view! {
        <section class="card outcome" data-outcome=move || outcome_name(&outcome.get())>
            <div role="status" aria-live="polite" aria-atomic="true">
                <h1 tabindex="-1" node_ref=heading>{move || headline(&outcome.get())}</h1>
                {move || match outcome.get() {
                    Outcome::Ready | Outcome::Working => view! {
                        <p class="lead">
                            <span class="spinner" aria-hidden="true"></span>
                            "Your payment went through. We are setting up your account and invoice; this takes a moment."
                        </p>
                    }.into_any(),
                    Outcome::Registered(purchase) => view! { <Registered purchase check_email/> }.into_any(),
                    Outcome::Failed(error) => {
                        let (explanation, next_step) = explain(&error);
                        view! {
                            <p class="lead">{explanation}</p>
                            <p class="next-step">{next_step}</p>
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

#[component]
fn Registered(purchase: VerifiedPurchase, check_email: bool) -> impl IntoView {
    view! {
        <p class="lead">
            "Invoice " <strong>{purchase.invoice_number.clone()}</strong> " for " <strong>{purchase.total.clone()}</strong>
            " is paid. Portal access is set up for " <strong>{purchase.email.clone()}</strong> "."
        </p>
        <p>
            // `download` also tells the client-side router to leave this link to the browser.
            <a
                class="button primary download"
                href=purchase.pdf_url.clone()
                rel="noreferrer"
                download=format!("{}.pdf", purchase.invoice_number)
            >
                "Download invoice (PDF)"
            </a>
        </p>
        <p class="hint">"Download it now and keep it for your records."</p>
        <SetPasswordNow invoice_id=purchase.invoice_id email=purchase.email.clone() check_email/>
    }
}

/// Optional: choose a password right here instead of from the email. Offered
/// after every registration alike, so the page never tells whether the email
/// already had an account.
#[component]
fn SetPasswordNow(invoice_id: i64, email: String, check_email: bool) -> impl IntoView {
    let set = ServerAction::<SetPasswordNowAction>::new();
    if check_email {
        set.value().set(Some(Ok(InlinePasswordOutcome::CheckEmail)));
    }
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    view! {
        <section class="set-password" aria-labelledby="set-password-heading">
            <h2 id="set-password-heading">"Set a password now"</h2>
            {move || match set.value().get() {
                Some(Ok(InlinePasswordOutcome::SignedIn)) => view! {
                    <p role="status" class="lead">"Your password is saved and you're signed in."</p>
                    <p><a class="button" href=MY_INVOICES>"Go to my invoices"</a></p>
                }.into_any(),
                Some(Ok(InlinePasswordOutcome::CheckEmail)) => view! {
                    <p role="status" class="lead">
                        "For your security, a password for " <strong>{email.clone()}</strong>
                        " can't be set here. Use the link in the email we've sent there, or sign in with your password if you already have one."
                    </p>
                }.into_any(),
                _ => view! {
                    <p>"Optional: sign in to your customer portal whenever you like. We've also emailed you about your account."</p>
                    <ErrorNote error=Signal::derive(move || error.get().and_then(|e| e.form_message()))/>
                    <ActionForm action=set attr:class="account-form" attr:novalidate=true>
                        <input type="hidden" name="invoice_id" value=invoice_id.to_string()/>
                        <Field
                            name="password"
                            label="Password"
                            autocomplete="new-password"
                            input_type="password"
                            hint="At least 8 characters."
                            message=Signal::derive(move || error.get().and_then(|e| e.field("password")))
                        />
                        <div class="actions">
                            <button type="submit" class="button" disabled=move || set.pending().get()>"Set password and sign in"</button>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Ready => "ready",
        Outcome::Working => "working",
        Outcome::Registered(_) => "registered",
        Outcome::Failed(_) => "failed",
    }
}

fn headline(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Ready | Outcome::Working => "Setting up your account…",
        Outcome::Registered(_) => "Your account is ready",
        Outcome::Failed(error) => match error {
            GuestAccessError::MissingToken | GuestAccessError::InvalidToken => "We couldn't confirm this purchase",
            GuestAccessError::TokenAlreadyUsed => "This purchase is already registered",
            GuestAccessError::TokenExpired => "This link has expired",
            GuestAccessError::InvoiceNotFound | GuestAccessError::InvalidInvoiceId => "We couldn't find this invoice",
            GuestAccessError::Unavailable | GuestAccessError::Transport(_) => "Something went wrong on our side",
        },
    }
}

/// Plain words for each failure, and what to do next. Never raw error text.
fn explain(error: &GuestAccessError) -> (&'static str, &'static str) {
    match error {
        GuestAccessError::MissingToken | GuestAccessError::InvalidToken => (
            "The link you followed is incomplete or not valid.",
            "Open the link from your payment receipt email again. If it still doesn't work, reply to that email and we'll sort it out.",
        ),
        GuestAccessError::TokenAlreadyUsed => (
            "Your purchase is registered: your account was set up with this link, in this or another browser.",
            "Sign in to see and download your invoice.",
        ),
        GuestAccessError::TokenExpired => (
            "For your security, this link only sets up an account for a limited time after payment.",
            "Your payment is safe. Sign in to see and download your invoice.",
        ),
        GuestAccessError::InvoiceNotFound | GuestAccessError::InvalidInvoiceId => (
            "The invoice in this link doesn't match your purchase.",
            "Open the link from your payment receipt email again, without changing it.",
        ),
        GuestAccessError::Unavailable | GuestAccessError::Transport(_) => (
            "Your payment is safe, but we couldn't finish setting up your account just now.",
            "Please try again in a moment.",
        ),
    }
}
