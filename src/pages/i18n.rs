//! Words on pages. Pages render on the server only (islands), where `t!`
//! looks a message up in the request's locale; the browser's build never
//! runs a page, so there `t!` compiles to nothing and no catalogue reaches
//! the wasm. An island gets its words as props, already translated.

/// A message in the request's language: `t!("nav-basket")`,
/// `t!("item-count", count = 3)`. Ids and arguments are checked at compile
/// time against the English catalogue.
#[macro_export]
macro_rules! t {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        #[cfg(feature = "ssr")]
        let text: String = $crate::tr!($crate::pages::i18n::locale(), $id $(, $name = $value)*);
        #[cfg(not(feature = "ssr"))]
        let text: String = { $( let _ = &$value; )* String::new() };
        text
    }};
}

/// `t!` without direction isolates, for words that are heard rather than
/// laid out (an `aria-label`), or a button's whole label around a value
/// already written the locale's way (its money carries its own direction
/// marks): there an isolate only gets in the way of finding it by its name.
#[macro_export]
macro_rules! t_plain {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        #[cfg(feature = "ssr")]
        let text: String = $crate::tr_plain!($crate::pages::i18n::locale(), $id $(, $name = $value)*);
        #[cfg(not(feature = "ssr"))]
        let text: String = { $( let _ = &$value; )* String::new() };
        text
    }};
}

/// The locale this request is answered in: the one the page's shell
/// provides, else (a server function called by an island) the request's.
#[cfg(feature = "ssr")]
pub fn locale() -> crate::domain::locale::Locale {
    use leptos::prelude::*;
    use_context::<crate::domain::locale::Locale>()
        .or_else(|| with_context::<axum::http::request::Parts, _>(|parts| crate::server::http::i18n::of(parts).0))
        .unwrap_or_default()
}
