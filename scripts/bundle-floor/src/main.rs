//! cargo-leptos needs a server binary; only the front end is measured.
fn main() {}
