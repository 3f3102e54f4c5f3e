//! `/checkout/complete?invoiceId=…&basketSession=…`: where a guest lands after
//! paying. The server render says registration is in progress and shows no
//! invoice detail; the `Completion` island then registers exactly once and
//! offers the invoice PDF. Without JavaScript, a form button does the same.
//!
//! The island is the only code of this page that runs in the browser, and it
//! holds only what must: the registration call and its outcome. It gets what
//! it needs from the server as props (the first state and the URL's values),
//! since islands have no router of their own. The next steps (setting a
//! password, or the way to signing in) are plain forms the server renders
//! beside it: the islands router posts them and patches in the page the
//! server answers with, and the stylesheet shows each one only once the
//! island's outcome calls for it (`data-next`), so the browser downloads no
//! code for them.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::pages::account::{field_error_text, form_error_text};
use crate::pages::notes::ErrorNote;
use crate::pages::form::{posted_error, NewPasswordField};
use crate::pages::progress::{Progress, Step};
use crate::api::portal::{FieldName, InlinePasswordOutcome, SetPasswordNow as SetPasswordNowAction, MY_INVOICES, PASSWORD_SET, SIGN_IN};
use crate::api::guest_access::{
    completion_status, urlencode, CompleteRegistration, CompletionState, EmailPurchaseSignInLink, GuestAccessError,
    VerifiedPurchase, SIGN_IN_LINK_SENT,
};
use crate::t;

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

    let (invoice_id, basket_session, password, sign_in_link_sent) = use_query_map().with_untracked(|q| {
        (
            q.get("invoiceId").unwrap_or_default(),
            q.get("basketSession"),
            // "Set a password now" was posted and came back here.
            q.get(PASSWORD_SET).as_deref().and_then(InlinePasswordOutcome::from_query_value),
            // So was the sign-in link form.
            q.get(SIGN_IN_LINK_SENT).as_deref() == Some("sent"),
        )
    });
    // A registration form posted without JavaScript that failed came back
    // with its error in the URL.
    let carried = posted_error::<CompleteRegistration>();
    // Rendered on the server only, once the status is known (the route is
    // `SsrMode::Async`), so no resource is needed: the suspense boundary
    // waits for the read itself, and keeps the page's markup the same
    // whether the read was done at once or not (the islands router patches
    // a page into the one before node by node).
    let outcome = Suspend::new(async move {
        let initial = with_carried_error(completion_status(Some(invoice_id.clone()), basket_session.clone()).await, carried);
        let registered = matches!(initial, Ok(CompletionState::Registered(_)));
        #[cfg(feature = "ssr")]
        if registered {
            keep_uncompressed();
        }
        let (may_register, may_sign_in) = reachable_steps(&initial);
        let email = match &initial {
            Ok(CompletionState::Registered(purchase)) => Some(purchase.email.clone()),
            _ => None,
        };
        let sign_in_basket = basket_session.clone().filter(|b| !b.trim().is_empty());
        let words = CompletionWords::in_page_language();
        let sign_in_words = words.clone();
        // Registered, the page needs the basket secret no more, and echoes nothing of it.
        let basket_session = basket_session.filter(|_| !registered);
        view! {
            <Completion initial invoice_id=invoice_id.clone() basket_session words/>
            // Server-rendered, shown by the stylesheet when the island's outcome calls for it.
            // Keep this wrapper right after the island, its attributes fixed: the islands
            // router skips an island's subtree and never diffs the node after it.
            <div class="next-steps">
                {may_register.then(|| view! { <SetPasswordNow invoice_id=invoice_id.clone() email returned=password/> })}
                {may_sign_in.then(|| view! {
                    <PurchaseSignIn invoice_id=invoice_id.clone() basket_session=sign_in_basket sent=sign_in_link_sent words=sign_in_words/>
                })}
            </div>
        }
    });

    view! {
        <Title text=t!("checkout-complete-title")/>
        <Progress current=Step::Done/>
        <div class="checkout-complete"><Suspense>{outcome}</Suspense></div>
    }
}

/// The page now holds this browser's invoice token (the PDF link) beside
/// text taken from its URL: sent compressed, its size would tell an
/// eavesdropper, over many requests, whether a guess placed in the URL
/// matches the token (BREACH). `no-transform` also keeps proxies from
/// compressing it; the router compresses no answer that carries it. The page
/// a guest lands on after paying holds no such secret and stays compressed.
#[cfg(feature = "ssr")]
fn keep_uncompressed() {
    use axum::http::{header, HeaderValue};
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store, no-transform"));
    }
}

/// The page's first state, given the error a failed plain post came back
/// with: a registration this browser holds wins; otherwise the error says
/// what happened (a passing one can be retried).
fn with_carried_error(
    status: Result<CompletionState, GuestAccessError>,
    carried: Option<GuestAccessError>,
) -> Result<CompletionState, GuestAccessError> {
    match (status, carried) {
        (registered @ Ok(CompletionState::Registered(_)), _) | (registered, None) => registered,
        (_, Some(error)) if error.is_transient() => Err(error),
        (_, Some(error)) => Ok(CompletionState::Failed(error)),
    }
}

/// Which next steps the page can come to from its first state: those it
/// cannot are not rendered at all. A token already used may still turn out
/// to be this browser's (two tabs), and a passing failure may register on a retry.
fn reachable_steps(initial: &Result<CompletionState, GuestAccessError>) -> (bool, bool) {
    match initial {
        Ok(CompletionState::Registered(_)) => (true, false),
        Ok(CompletionState::Failed(GuestAccessError::TokenAlreadyUsed)) | Ok(CompletionState::Ready) | Err(_) => (true, true),
        Ok(CompletionState::Failed(GuestAccessError::TokenExpired)) => (false, true),
        Ok(CompletionState::Failed(_)) => (false, false),
    }
}

/// The next step an outcome calls for, as the island's `data-next`; the
/// stylesheet shows the section whose `data-next-step` matches.
fn next_step(outcome: &Outcome) -> Option<&'static str> {
    match outcome {
        Outcome::Registered(_) => Some("set-password"),
        Outcome::Failed(GuestAccessError::TokenAlreadyUsed | GuestAccessError::TokenExpired) => Some("sign-in"),
        _ => None,
    }
}

/// Every word the island can show, in the page's language (`Word` picks
/// one): the island runs in the browser, where there is no catalogue, so the
/// server translates them and they travel with its props. Its server
/// functions answer with codes (`GuestAccessError`), which pick among these.
/// A plain list rather than a struct of named fields: reading a list is
/// code the browser's bundle already has, a derived struct's reader is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CompletionWords(Vec<String>);

/// One of the island's words: its place in `CompletionWords`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    SettingUp,
    Working,
    Ready,
    /// "Invoice … for … is paid. Portal access is set up for …", with
    /// `REGISTERED_VALUES`' markers where the purchase's values go.
    Registered,
    Download,
    DownloadHint,
    Register,
    TryAgain,
    InvalidHeading,
    InvalidExplanation,
    InvalidNext,
    UsedHeading,
    UsedExplanation,
    UsedNext,
    ExpiredHeading,
    ExpiredExplanation,
    ExpiredNext,
    NotFoundHeading,
    NotFoundExplanation,
    NotFoundNext,
    FailedHeading,
    FailedExplanation,
    FailedNext,
}

/// Stand-ins for the invoice number, total and email in the registered
/// sentence (private-use characters, which no message contains): each
/// language orders them its own way, and the island puts each value, bold,
/// where its marker is.
const REGISTERED_VALUES: [char; 3] = ['\u{E000}', '\u{E001}', '\u{E002}'];

impl CompletionWords {
    /// The words in the request's language (rendered on the server only).
    fn in_page_language() -> Self {
        let [number, total, email] = REGISTERED_VALUES.map(String::from);
        // In `Word`'s order.
        Self(vec![
            t!("checkout-complete-setting-up"),
            t!("checkout-complete-working"),
            t!("checkout-complete-ready"),
            t!("checkout-complete-registered", number = number, total = total, email = email),
            t!("checkout-complete-download"),
            t!("checkout-complete-download-hint"),
            t!("checkout-complete-register"),
            t!("checkout-complete-try-again"),
            t!("checkout-complete-invalid-heading"),
            t!("checkout-complete-invalid-explanation"),
            t!("checkout-complete-invalid-next"),
            t!("checkout-complete-used-heading"),
            t!("checkout-complete-used-explanation"),
            t!("checkout-complete-used-next"),
            t!("checkout-complete-expired-heading"),
            t!("checkout-complete-expired-explanation"),
            t!("checkout-complete-expired-next"),
            t!("checkout-complete-not-found-heading"),
            t!("checkout-complete-not-found-explanation"),
            t!("checkout-complete-not-found-next"),
            t!("checkout-complete-failed-heading"),
            t!("checkout-complete-failed-explanation"),
            t!("checkout-complete-failed-next"),
        ])
    }

    fn get(&self, word: Word) -> String {
        self.0.get(word as usize).cloned().unwrap_or_default()
    }

    /// Plain words for each failure: its headline, what happened and what to
    /// do next. Never raw error text.
    fn failure(&self, error: &GuestAccessError) -> [String; 3] {
        use Word::*;
        let words = match error {
            GuestAccessError::MissingToken | GuestAccessError::InvalidToken => [InvalidHeading, InvalidExplanation, InvalidNext],
            GuestAccessError::TokenAlreadyUsed => [UsedHeading, UsedExplanation, UsedNext],
            GuestAccessError::TokenExpired => [ExpiredHeading, ExpiredExplanation, ExpiredNext],
            GuestAccessError::InvoiceNotFound | GuestAccessError::InvalidInvoiceId => {
                [NotFoundHeading, NotFoundExplanation, NotFoundNext]
            }
            GuestAccessError::Unavailable | GuestAccessError::Transport(_) => [FailedHeading, FailedExplanation, FailedNext],
        };
        words.map(|word| self.get(word))
    }

    fn headline(&self, outcome: &Outcome) -> String {
        match outcome {
            Outcome::Ready | Outcome::Working => self.get(Word::SettingUp),
            Outcome::Registered(_) => self.get(Word::Ready),
            Outcome::Failed(error) => {
                let [heading, ..] = self.failure(error);
                heading
            }
        }
    }
}

/// The completion widget: registers once and shows the outcome. Its props
/// travel to the browser as JSON.
///
/// Written for size, since a guest's phone downloads it right after paying:
/// one signal holds the outcome, the server function is called directly
/// (no `ServerAction`), and the form is a plain one that the island's submit
/// handler takes over (without JavaScript the browser posts it).
#[island]
pub fn Completion(
    initial: Result<CompletionState, GuestAccessError>,
    invoice_id: String,
    basket_session: Option<String>,
    words: CompletionWords,
) -> impl IntoView {
    let words = StoredValue::new(words);
    let outcome = RwSignal::new(match initial {
        Ok(CompletionState::Ready) => Outcome::Ready,
        Ok(CompletionState::Registered(purchase)) => Outcome::Registered(purchase),
        Ok(CompletionState::Failed(error)) | Err(error) => Outcome::Failed(error),
    });
    let basket_session = basket_session.unwrap_or_default();

    // Registers, unless a registration is already running or done: a page
    // registers once, whatever is clicked or re-rendered.
    let register = {
        let (invoice_id, basket_session) = (invoice_id.clone(), basket_session.clone());
        move || {
            let state = outcome.get_untracked();
            if state == Outcome::Ready || is_retryable(&state) {
                outcome.set(Outcome::Working);
                run_registration(outcome, invoice_id.clone(), basket_session.clone());
            }
        }
    };

    // Set once this island runs in the browser. Until then its form posts
    // through the islands router like any other (and the answer cannot
    // update an island), so tests wait for it before using it.
    let live = RwSignal::new(false);
    // Register as soon as the page is interactive, when the server said the
    // token is good (a passing failure waits for "Try again").
    Effect::new({
        let (register, invoice_id) = (register.clone(), invoice_id.clone());
        move |_| {
            live.set(true);
            if outcome.get_untracked() == Outcome::Ready {
                register();
            } else {
                check_other_tab(outcome, invoice_id.clone());
            }
        }
    });
    // Registered (here, by another tab, or before this page was opened),
    // the basket secret leaves the address bar and history; the token now
    // lives in an HttpOnly cookie, so a reload still works.
    Effect::new({
        let invoice_id = invoice_id.clone();
        move |_| {
            if matches!(outcome.get(), Outcome::Registered(_)) {
                forget_basket_session(&invoice_id);
            }
        }
    });

    view! {
        <div
            class="completion"
            data-live=move || live.get().then_some("true")
            data-next=move || next_step(&outcome.get())
        >
            <Status outcome=outcome.into() words/>
            // Works without JavaScript (the browser posts it); with it, the
            // island takes the submit. Hidden once there is nothing to retry.
            <form
                method="post"
                action=CompleteRegistration::url()
                class="complete-form"
                hidden=move || !(matches!(outcome.get(), Outcome::Ready | Outcome::Working) || is_retryable(&outcome.get()))
                on:submit=move |event| {
                    event.prevent_default();
                    register();
                }
            >
                <input type="hidden" name="invoice_id" value=invoice_id/>
                <input type="hidden" name="basket_session" value=basket_session/>
                <button type="submit" class="button" disabled=move || outcome.get() == Outcome::Working>
                    {move || words.with_value(|words| words.get(if is_retryable(&outcome.get()) { Word::TryAgain } else { Word::Register }))}
                </button>
            </form>
        </div>
    }
}

/// Calls the server function and shows its answer. Only in the browser: a
/// server render never registers.
fn run_registration(outcome: RwSignal<Outcome>, invoice_id: String, basket_session: String) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let result = crate::api::guest_access::complete_registration(Some(invoice_id.clone()), Some(basket_session)).await;
        outcome.set(match result {
            Ok(purchase) => Outcome::Registered(purchase),
            Err(error) => Outcome::Failed(error),
        });
        check_other_tab(outcome, invoice_id);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (outcome, invoice_id, basket_session);
}

/// Replaces the address (and its history entry) with the page's address
/// without the basket secret.
fn forget_basket_session(invoice_id: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let clean_url = crate::api::guest_access::completion_path(invoice_id);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean_url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = invoice_id;
}

/// Two tabs of one browser can race: the loser hears "already used" (from
/// its render or its own call) before the winner's cookie arrives. Asks once
/// more, shortly after, whether this browser holds the registration after all.
fn check_other_tab(outcome: RwSignal<Outcome>, invoice_id: String) {
    if outcome.get_untracked() != Outcome::Failed(GuestAccessError::TokenAlreadyUsed) {
        return;
    }
    #[cfg(feature = "hydrate")]
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                if let Ok(CompletionState::Registered(purchase)) = completion_status(Some(invoice_id), None).await {
                    outcome.set(Outcome::Registered(purchase));
                }
            })
        },
        std::time::Duration::from_millis(500),
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = invoice_id;
}

/// After the completion link has registered (here or elsewhere) or expired:
/// sign in, or have a sign-in link emailed to the address on the invoice. The
/// page never shows that address, nor anything of the invoice.
#[component]
fn PurchaseSignIn(invoice_id: String, basket_session: Option<String>, sent: bool, words: CompletionWords) -> impl IntoView {
    let sign_in = format!("{SIGN_IN}?next={}", urlencode(MY_INVOICES));
    let error = posted_error::<EmailPurchaseSignInLink>().map(|error| {
        let [_, explanation, _] = words.failure(&error);
        explanation
    });
    view! {
        <section class="card sign-in-path" data-next-step="sign-in" aria-labelledby="sign-in-path-heading">
            <h2 id="sign-in-path-heading">{t!("checkout-complete-sign-in-heading")}</h2>
            <p>{t!("checkout-complete-sign-in-text")}</p>
            <p><a class="button primary" href=sign_in>{t!("checkout-complete-sign-in")}</a></p>
            {basket_session.map(|basket_session| view! {
                <div role="status" aria-live="polite">
                    {sent.then(|| view! {
                        <p class="lead sent">{t!("checkout-complete-link-sent")}</p>
                    })}
                </div>
                <ErrorNote error/>
                <form method="post" action=EmailPurchaseSignInLink::url() class="sign-in-link-form" hidden=sent>
                    <input type="hidden" name="invoice_id" value=invoice_id.clone()/>
                    <input type="hidden" name="basket_session" value=basket_session/>
                    <button type="submit" class="button">{t!("checkout-complete-email-link")}</button>
                </form>
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
fn Status(outcome: Signal<Outcome>, words: StoredValue<CompletionWords>) -> impl IntoView {
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
                <h1 tabindex="-1" node_ref=heading>{move || words.with_value(|words| words.headline(&outcome.get()))}</h1>
                {move || match outcome.get() {
                    Outcome::Ready | Outcome::Working => view! {
                        <p class="lead">
                            <span class="spinner" aria-hidden="true"></span>
                            {words.with_value(|words| words.get(Word::Working))}
                        </p>
                    }.into_any(),
                    Outcome::Registered(purchase) => view! { <Registered purchase words/> }.into_any(),
                    Outcome::Failed(error) => {
                        let [_, explanation, next_step] = words.with_value(|words| words.failure(&error));
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
fn Registered(purchase: VerifiedPurchase, words: StoredValue<CompletionWords>) -> impl IntoView {
    let (sentence, download, download_hint) =
        words.with_value(|words| (words.get(Word::Registered), words.get(Word::Download), words.get(Word::DownloadHint)));
    view! {
        <p class="lead">{with_values_in_bold(&sentence, &purchase)}</p>
        <p>
            // `download` also tells the client-side router to leave this link to the browser.
            <a
                class="button primary download"
                href=purchase.pdf_url.clone()
                rel="noreferrer"
                download=format!("{}.pdf", purchase.invoice_number)
            >
                {download}
            </a>
        </p>
        <p class="hint">{download_hint}</p>
    }
}

/// The registered sentence with the purchase's values, each in bold, where
/// its marker (`REGISTERED_VALUES`) is. Always three places in one fixed
/// shape, whatever order a language puts the values in: a view of a fixed
/// shape costs the island far less code than a list of parts would.
fn with_values_in_bold(sentence: &str, purchase: &VerifiedPurchase) -> impl IntoView {
    let ([before, between, and_then, after], order) = cut_at_values(sentence);
    let values = [&purchase.invoice_number, &purchase.total, &purchase.email];
    let [first, second, third] = order.map(|value| values[value].clone());
    view! { {before}<strong>{first}</strong>{between}<strong>{second}</strong>{and_then}<strong>{third}</strong>{after} }
}

/// The text around a sentence's three value markers, and which value goes
/// in each of the three places.
fn cut_at_values(sentence: &str) -> ([String; 4], [usize; 3]) {
    let mut texts: [String; 4] = Default::default();
    let mut order = [0, 1, 2];
    let mut place = 0;
    for c in sentence.chars() {
        match REGISTERED_VALUES.iter().position(|marker| *marker == c) {
            Some(value) if place < order.len() => {
                order[place] = value;
                place += 1;
            }
            Some(_) => {}
            None => texts[place].push(c),
        }
    }
    (texts, order)
}

/// Optional: choose a password right here instead of from the email. Offered
/// after every registration alike, so the page never tells whether the email
/// already had an account. `returned` is what a post of this form came back
/// with; `email` is the registered purchase's, when the server knows it.
#[component]
fn SetPasswordNow(invoice_id: String, email: Option<String>, returned: Option<InlinePasswordOutcome>) -> impl IntoView {
    let error = posted_error::<SetPasswordNowAction>();
    // The portal's errors, in the page's language as the portal words them.
    let form_message = error.as_ref().and_then(form_error_text);
    let field_message = error.as_ref().and_then(|e| field_error_text(e, FieldName::Password));
    // What the last post of this form came back with, and what follows it.
    let (said, then) = match returned {
        Some(InlinePasswordOutcome::SignedIn) => (
            Some(Either::Left(view! { <p class="lead">{t!("checkout-complete-password-saved")}</p> })),
            EitherOf3::A(view! { <p><a class="button" href=MY_INVOICES>{t!("checkout-complete-go-to-invoices")}</a></p> }),
        ),
        Some(InlinePasswordOutcome::CheckEmail) => (
            Some(Either::Right(view! {
                <p class="lead">
                    {match email {
                        Some(email) => t!("checkout-complete-password-check-email", email = email),
                        None => t!("checkout-complete-password-check-email-unknown"),
                    }}
                </p>
            })),
            EitherOf3::B(()),
        ),
        None => (
            None,
            EitherOf3::C(view! {
                <p>{t!("checkout-complete-password-optional")}</p>
                <ErrorNote error=form_message/>
                <form method="post" action=SetPasswordNowAction::url() class="account-form" novalidate>
                    <input type="hidden" name="invoice_id" value=invoice_id/>
                    <NewPasswordField label=t!("checkout-complete-password-label") message=field_message/>
                    <div class="actions">
                        <button type="submit" class="button">{t!("checkout-complete-password-submit")}</button>
                    </div>
                </form>
            }),
        ),
    };
    view! {
        <section class="card set-password" data-next-step="set-password" aria-labelledby="set-password-heading">
            <h2 id="set-password-heading">{t!("checkout-complete-password-heading")}</h2>
            // One status region in every state, so the islands router's patch
            // fills it in place and a screen reader announces the outcome.
            <div role="status" aria-live="polite">{said}</div>
            {then}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn purchase() -> VerifiedPurchase {
        VerifiedPurchase {
            invoice_id: 7,
            invoice_number: "INV-000007".into(),
            total: "€1.00".into(),
            email: "jo@example.com".into(),
            pdf_url: "/pdf".into(),
        }
    }

    #[test]
    fn next_steps_are_rendered_only_where_the_outcome_can_come_to_them() {
        use CompletionState::*;
        use GuestAccessError::*;
        assert_eq!(reachable_steps(&Ok(Registered(purchase()))), (true, false));
        assert_eq!(reachable_steps(&Ok(Ready)), (true, true), "the call may register, or find it used");
        assert_eq!(reachable_steps(&Ok(Failed(TokenAlreadyUsed))), (true, true), "another tab may hold it");
        assert_eq!(reachable_steps(&Ok(Failed(TokenExpired))), (false, true));
        assert_eq!(reachable_steps(&Ok(Failed(InvalidToken))), (false, false));
        assert_eq!(reachable_steps(&Ok(Failed(InvoiceNotFound))), (false, false));
        assert_eq!(reachable_steps(&Err(Unavailable)), (true, true), "a retry may register");
    }

    #[test]
    fn the_island_names_the_next_step_its_outcome_calls_for() {
        assert_eq!(next_step(&Outcome::Registered(purchase())), Some("set-password"));
        assert_eq!(next_step(&Outcome::Failed(GuestAccessError::TokenAlreadyUsed)), Some("sign-in"));
        assert_eq!(next_step(&Outcome::Failed(GuestAccessError::TokenExpired)), Some("sign-in"));
        assert_eq!(next_step(&Outcome::Failed(GuestAccessError::Unavailable)), None);
        assert_eq!(next_step(&Outcome::Ready), None);
        assert_eq!(next_step(&Outcome::Working), None);
    }

    /// The island's words as the server gives them, in `tag`'s language.
    #[cfg(feature = "ssr")]
    fn words_in(tag: &str) -> CompletionWords {
        Owner::new().with(|| {
            provide_context(tag.parse::<crate::domain::locale::Locale>().unwrap());
            CompletionWords::in_page_language()
        })
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_registered_sentence_puts_each_value_in_bold_in_every_language() {
        for tag in ["en", "de", "ar"] {
            let words = words_in(tag);
            for marker in REGISTERED_VALUES {
                assert_eq!(words.get(Word::Registered).matches(marker).count(), 1, "{tag}: {:?}", words.get(Word::Registered));
            }
            let html = with_values_in_bold(&words.get(Word::Registered), &purchase()).to_html();
            for value in ["<strong>INV-000007</strong>", "<strong>€1.00</strong>", "<strong>jo@example.com</strong>"] {
                assert!(html.contains(value), "{tag}: {html}");
            }
            assert!(!REGISTERED_VALUES.iter().any(|marker| html.contains(*marker)), "{tag}: {html}");
        }
        let english = with_values_in_bold(&words_in("en").get(Word::Registered), &purchase()).to_html();
        assert_eq!(
            // Without the isolates around each value, and Leptos' marker after a list.
            english.replace(['\u{2068}', '\u{2069}'], "").replace("<!>", ""),
            "Invoice <strong>INV-000007</strong> for <strong>€1.00</strong> is paid. Portal access is set up for <strong>jo@example.com</strong>."
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn each_failure_has_its_own_words_in_the_page_s_language() {
        use GuestAccessError::*;
        let german = words_in("de");
        assert_eq!(german.headline(&Outcome::Failed(TokenExpired)), "Dieser Link ist abgelaufen");
        assert_eq!(german.headline(&Outcome::Registered(purchase())), "Ihr Kundenkonto ist bereit");
        assert_eq!(german.failure(&Transport(String::new())), german.failure(&Unavailable));
        let english = words_in("en");
        // Each word in its place: one per `Word`, the last the last.
        assert_eq!(english.0.len(), Word::FailedNext as usize + 1);
        assert_eq!(english.get(Word::Download), "Download invoice (PDF)");
        assert_eq!(english.failure(&InvalidToken)[2], "Open the link from your payment receipt email again. If it still doesn't work, reply to that email and we'll sort it out.");
        assert_eq!(english.failure(&Unavailable), [
            "Something went wrong on our side".to_owned(),
            "Your payment is safe, but we couldn't finish setting up your account just now.".to_owned(),
            "Please try again in a moment.".to_owned(),
        ]);
        let every: std::collections::BTreeSet<String> = english.0.iter().cloned().collect();
        assert_eq!(every.len(), english.0.len(), "each word its own: {every:?}");
    }

    #[test]
    fn a_sentence_is_cut_where_its_values_go_in_its_own_order() {
        let [number, total, email] = REGISTERED_VALUES;
        let (texts, order) = cut_at_values(&format!("Paid {total} on {number}; {email}."));
        assert_eq!(texts, ["Paid ", " on ", "; ", "."].map(String::from));
        assert_eq!(order, [1, 0, 2]);
        let (texts, order) = cut_at_values(&format!("{email}{number}{total}"));
        assert_eq!(texts, ["", "", "", ""].map(String::from));
        assert_eq!(order, [2, 0, 1]);
    }

    #[test]
    fn a_carried_error_explains_the_page_unless_this_browser_holds_the_registration() {
        use CompletionState::*;
        use GuestAccessError::*;
        assert_eq!(with_carried_error(Ok(Registered(purchase())), Some(TokenAlreadyUsed)), Ok(Registered(purchase())));
        assert_eq!(with_carried_error(Ok(Failed(MissingToken)), Some(TokenAlreadyUsed)), Ok(Failed(TokenAlreadyUsed)));
        assert_eq!(with_carried_error(Ok(Failed(MissingToken)), Some(Unavailable)), Err(Unavailable), "retryable");
        assert_eq!(with_carried_error(Ok(Ready), None), Ok(Ready));
    }
}
