//! Stripe Checkout: a thin client of Stripe's REST API (being written).
