use leptos::prelude::*;

use crate::t;

/// The checkout steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Basket,
    Details,
    Payment,
    Done,
}

/// Basket → Details → Payment → Done, with the current step marked for screen readers.
#[component]
pub fn Progress(current: Step) -> impl IntoView {
    let steps = [
        (Step::Basket, t!("checkout-step-basket")),
        (Step::Details, t!("checkout-step-details")),
        (Step::Payment, t!("checkout-step-payment")),
        (Step::Done, t!("checkout-step-done")),
    ];
    view! {
        <ol class="progress" aria-label=t!("checkout-progress-label")>
            {steps
                .into_iter()
                .map(|(step, label)| {
                    let class = if step < current { "done" } else if step == current { "current" } else { "" };
                    let aria_current = (step == current).then_some("step");
                    view! { <li class=class aria-current=aria_current>{label}</li> }
                })
                .collect_view()}
        </ol>
    }
}
