//! Languages on the server: the words of every page, email and invoice PDF
//! (Fluent catalogues, `catalogue`), money and dates written the locale's
//! way (CLDR through ICU4X, `format`), and which locale a request gets
//! (`negotiate`).
//!
//! Nothing here is compiled into the browser's wasm: pages render on the
//! server, and the one island gets its few strings already translated.
//!
//! Text is looked up with `tr!(locale, "message-id", name = value)`, which
//! `fl!` checks at compile time against the English catalogue: a misspelt id
//! or argument does not build. Pages use `t!`, which takes the locale the
//! request was given. Plain-text sinks (email subjects, file names) use
//! `tr_plain!`, which leaves out the invisible direction isolates that keep
//! an argument's direction from reordering a sentence in HTML and the PDF.

pub mod catalogue;
pub mod checkout;
pub mod format;
pub mod negotiate;
#[cfg(test)]
mod parity;

pub use catalogue::{catalogue, plain_catalogue};

/// A message in `locale`'s catalogue (English where it has none).
#[macro_export]
macro_rules! tr {
    ($locale:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        ::i18n_embed_fl::fl!($crate::server::i18n::catalogue($locale), $id $(, $name = $value)*)
    };
}

/// `tr!` without direction isolates, for text that no bidi algorithm will
/// read: email subjects, file names, plain-text email parts.
#[macro_export]
macro_rules! tr_plain {
    ($locale:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        ::i18n_embed_fl::fl!($crate::server::i18n::plain_catalogue($locale), $id $(, $name = $value)*)
    };
}
