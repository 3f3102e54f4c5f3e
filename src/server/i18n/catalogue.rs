//! The Fluent catalogues in `i18n/{tag}/app.ftl`, embedded in the binary
//! and loaded once.

use std::sync::LazyLock;

use i18n_embed::fluent::{fluent_language_loader, FluentLanguageLoader, NegotiationStrategy};
use i18n_embed::LanguageLoader;
use rust_embed::RustEmbed;
use unic_langid::LanguageIdentifier;

use crate::domain::locale::Locale;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Catalogues;

/// One loader per locale (indexed by `Locale::index`), the pseudo-locale's
/// last, each falling back to English.
struct Loaders(Vec<FluentLanguageLoader>);

/// With direction isolates around every argument: HTML and the PDF.
static ISOLATED: LazyLock<Loaders> = LazyLock::new(|| Loaders::load(true));
/// Without them: text no bidi algorithm reads.
static PLAIN: LazyLock<Loaders> = LazyLock::new(|| Loaders::load(false));

impl Loaders {
    fn load(isolating: bool) -> Self {
        // One load per flavour: whether arguments are isolated is a setting
        // of the loaded bundles, shared by every loader selected from them.
        let all: FluentLanguageLoader = fluent_language_loader!();
        let tags: Vec<LanguageIdentifier> = Locale::all().map(language_id).collect();
        all.load_languages(&Catalogues, &tags).expect("the embedded catalogues load (checked by the catalogue test)");
        all.set_use_isolating(isolating);
        let mut loaders: Vec<FluentLanguageLoader> = Locale::all()
            .map(|locale| all.select_languages_negotiate(&[language_id(locale)], NegotiationStrategy::Filtering))
            .collect();
        loaders.push(pseudo(isolating));
        Loaders(loaders)
    }
}

/// English, its letters accented and stretched (`fluent-pseudo`): every
/// word a page shows from a catalogue changes, so English that is still
/// written in code stands out.
fn pseudo(isolating: bool) -> FluentLanguageLoader {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    loader
        .load_languages(&Catalogues, &[language_id(Locale::FALLBACK)])
        .expect("the embedded English catalogue loads");
    loader.set_use_isolating(isolating);
    fn accented(text: &str) -> std::borrow::Cow<'_, str> {
        fluent_pseudo::transform(text, false, true)
    }
    loader.with_bundles_mut(|bundle| bundle.set_transform(Some(accented)));
    loader
}

fn language_id(locale: Locale) -> LanguageIdentifier {
    locale.tag().parse().expect("supported tags are valid language identifiers")
}

/// `locale`'s messages, with direction isolates around arguments.
pub fn catalogue(locale: Locale) -> &'static FluentLanguageLoader {
    &ISOLATED.0[locale.index()]
}

/// `locale`'s messages, without direction isolates.
pub fn plain_catalogue(locale: Locale) -> &'static FluentLanguageLoader {
    &PLAIN.0[locale.index()]
}

/// Loads every catalogue now, so a broken one stops the server at start
/// rather than at its first page.
pub fn preload() {
    LazyLock::force(&ISOLATED);
    LazyLock::force(&PLAIN);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    #[test]
    fn each_locale_speaks_its_own_language_and_names_itself() {
        assert_eq!(crate::tr!(locale("en"), "language-name"), "English");
        assert_eq!(crate::tr!(locale("de"), "language-name"), "Deutsch");
        assert_eq!(crate::tr!(locale("ar"), "language-name"), "العربية");
    }

    #[test]
    fn arguments_are_isolated_except_in_plain_text() {
        let ar = locale("ar");
        assert_eq!(crate::tr!(ar, "invoice-title", number = "INV-000042"), "فاتورة \u{2068}INV-000042\u{2069}");
        assert_eq!(crate::tr_plain!(ar, "invoice-title", number = "INV-000042"), "فاتورة INV-000042");
        // The isolated loaders are untouched by the plain ones.
        assert!(crate::tr!(locale("en"), "invoice-title", number = "X").contains('\u{2068}'));
    }

    #[test]
    fn arabic_plurals_pick_each_cldr_category() {
        let ar = locale("ar");
        let items = |count: u32| crate::tr_plain!(ar, "item-count", count = count);
        assert_eq!(items(0), "لا عناصر");
        assert_eq!(items(1), "عنصر واحد");
        assert_eq!(items(2), "عنصران");
        assert_eq!(items(3), "3 عناصر");
        assert_eq!(items(11), "11 عنصرًا");
        assert_eq!(items(100), "100 عنصر");
        assert_eq!(crate::tr_plain!(locale("de"), "item-count", count = 1), "1 Artikel");
        assert_eq!(crate::tr_plain!(locale("en"), "item-count", count = 2), "2 items");
    }

    #[test]
    fn the_pseudo_locale_changes_every_word() {
        let text = crate::tr_plain!(Locale::PSEUDO, "item-count", count = 2);
        assert!(text.starts_with("2 "), "{text}");
        assert!(!text.contains("items"), "{text}");
    }
}
