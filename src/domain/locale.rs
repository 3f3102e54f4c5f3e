//! The languages the shop speaks to people in.
//!
//! A locale decides the words (the Fluent catalogues in `i18n/`), how money
//! and dates are written (CLDR, through ICU4X) and which way text runs. It is
//! kept with a basket, an invoice and a customer, so a receipt, an invoice
//! PDF or a later email speaks the language the guest shopped in.
//!
//! Adding a language is one line in `SUPPORTED` and one catalogue file,
//! `i18n/{tag}/app.ftl` (see the README, "Adding a language").

use std::fmt;
use std::str::FromStr;

/// Which way a locale's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The HTML `dir` attribute's value.
    pub fn html(self) -> &'static str {
        match self {
            Direction::LeftToRight => "ltr",
            Direction::RightToLeft => "rtl",
        }
    }
}

/// One supported language.
#[derive(Debug)]
pub struct LocaleInfo {
    /// The BCP 47 language tag: the catalogue's folder, `?lang=`, `<html lang>`.
    pub tag: &'static str,
    pub direction: Direction,
}

/// Every language the shop speaks, the fallback (English) first: a message
/// missing from a catalogue is shown from English.
pub const SUPPORTED: &[LocaleInfo] = &[
    LocaleInfo { tag: "en", direction: Direction::LeftToRight },
    LocaleInfo { tag: "de", direction: Direction::LeftToRight },
    LocaleInfo { tag: "ar", direction: Direction::RightToLeft },
];

/// English with its letters accented and its words stretched, so text a
/// page shows without translating it stands out (developers and the
/// tests; offered only where `PSEUDO_LOCALE=1`).
const PSEUDO: LocaleInfo = LocaleInfo { tag: "en-XA", direction: Direction::LeftToRight };

/// A supported language (or the pseudo-locale), ordered as `SUPPORTED` lists them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(u8);

impl Locale {
    /// English, the fallback: the first of `SUPPORTED`.
    pub const FALLBACK: Locale = Locale(0);
    /// The pseudo-locale, just past the supported ones.
    pub const PSEUDO: Locale = Locale(SUPPORTED.len() as u8);

    pub fn all() -> impl Iterator<Item = Locale> {
        (0..SUPPORTED.len() as u8).map(Locale)
    }

    pub fn info(self) -> &'static LocaleInfo {
        SUPPORTED.get(usize::from(self.0)).unwrap_or(&PSEUDO)
    }

    pub fn tag(self) -> &'static str {
        self.info().tag
    }

    pub fn direction(self) -> Direction {
        self.info().direction
    }

    pub fn is_pseudo(self) -> bool {
        self == Locale::PSEUDO
    }

    /// Its position in `SUPPORTED` (the pseudo-locale's is just past them),
    /// for tables built once per locale.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// A stored locale: what `tag` wrote. A tag no longer supported (a
    /// language the operator removed) reads as English.
    pub fn from_stored(tag: &str) -> Locale {
        tag.parse().unwrap_or(Locale::FALLBACK)
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::FALLBACK
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A tag that is not one of the supported languages' (exactly, ignoring case).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a supported language; use one of {list}", list = supported_list())]
pub struct UnsupportedLocale(pub String);

fn supported_list() -> String {
    SUPPORTED.iter().map(|info| info.tag).collect::<Vec<_>>().join(", ")
}

impl FromStr for Locale {
    type Err = UnsupportedLocale;

    /// Exactly one of the supported tags (or the pseudo-locale's). Matching a
    /// wider request (`de-AT`, a browser's list) is negotiation's job.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        Locale::all()
            .chain([Locale::PSEUDO])
            .find(|locale| locale.tag().eq_ignore_ascii_case(raw))
            .ok_or_else(|| UnsupportedLocale(raw.chars().take(35).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_exactly_and_ignore_case() {
        assert_eq!("de".parse::<Locale>().unwrap().tag(), "de");
        assert_eq!("AR".parse::<Locale>().unwrap().direction(), Direction::RightToLeft);
        assert_eq!("en-xa".parse::<Locale>().unwrap(), Locale::PSEUDO);
        for wrong in ["", "de-AT", "fr", "english", "d e"] {
            assert!(wrong.parse::<Locale>().is_err(), "{wrong:?} parsed");
        }
    }

    #[test]
    fn english_is_the_fallback_and_a_stored_unknown_reads_as_it() {
        assert_eq!(Locale::FALLBACK.tag(), "en");
        assert_eq!(Locale::from_stored("xx"), Locale::FALLBACK);
        assert_eq!(Locale::from_stored("ar").tag(), "ar");
        assert!(!Locale::all().any(Locale::is_pseudo));
    }

    #[test]
    fn the_error_names_the_supported_languages() {
        let error = "fr".parse::<Locale>().unwrap_err().to_string();
        assert_eq!(error, "`fr` is not a supported language; use one of en, de, ar");
    }
}
