use leptos::prelude::*;

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
    let steps = [(Step::Basket, "Basket"), (Step::Details, "Details"), (Step::Payment, "Payment"), (Step::Done, "Done")];
    view! {
        <ol class="progress" aria-label="Checkout progress">
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
