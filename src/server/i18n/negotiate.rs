//! Which locale a request is answered in, decided once per request:
//!
//! 1. `?lang=` (which also sets the language cookie),
//! 2. the language cookie,
//! 3. the signed-in customer's saved locale,
//! 4. `Accept-Language`, matched against the supported set (`de-AT` → `de`),
//! 5. the operator's `DEFAULT_LOCALE`.
//!
//! A value that names no supported locale (a made-up `?lang=`, an old or
//! tampered cookie, a garbled header) is passed over, never an error.

use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

use crate::domain::locale::Locale;

/// What a request says about its language, before any lookup.
#[derive(Debug, Default, Clone, Copy)]
pub struct Asked<'a> {
    pub query: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub accept_language: Option<&'a str>,
}

/// The operator's side of the choice.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    pub default: Locale,
    /// Whether `?lang=en-XA` (the pseudo-locale) is offered.
    pub pseudo: bool,
}

impl Offer {
    /// A tag the visitor chose (`?lang=`, the cookie), if it is offered.
    pub fn chosen(self, tag: &str) -> Option<Locale> {
        tag.parse::<Locale>().ok().filter(|locale| !locale.is_pseudo() || self.pseudo)
    }

    /// The visitor's explicit choice: `?lang=` before the cookie.
    pub fn explicit(self, asked: Asked<'_>) -> Option<Locale> {
        asked.query.and_then(|tag| self.chosen(tag)).or_else(|| asked.cookie.and_then(|tag| self.chosen(tag)))
    }

    /// The whole order, given the signed-in customer's saved locale (looked
    /// up only when there is no explicit choice).
    pub fn choose(self, asked: Asked<'_>, customer: Option<Locale>) -> Locale {
        self.explicit(asked)
            .or(customer)
            .or_else(|| asked.accept_language.and_then(from_accept_language))
            .unwrap_or(self.default)
    }
}

/// At most this many of a header's languages are considered: browsers send
/// a handful, and a long list is someone else's experiment.
const MAX_REQUESTED: usize = 16;

/// The best supported locale for an `Accept-Language` header: by quality,
/// a region or script matching its language (`de-AT` → `de`), `q=0`
/// meaning "not this one". None when nothing matches.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let requested: Vec<LanguageIdentifier> = by_quality(header)
        .into_iter()
        .filter_map(|tag| {
            // Extensions (`ar-u-nu-latn`) do not parse as identifiers: keep the subtags before the first singleton.
            let base: Vec<&str> = tag.split('-').take_while(|subtag| subtag.len() > 1).collect();
            base.join("-").parse().ok()
        })
        .collect();
    let available: Vec<LanguageIdentifier> =
        Locale::all().map(|locale| locale.tag().parse().expect("supported tags parse")).collect();
    let matched = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    let best = matched.first()?.to_string();
    Locale::all().find(|locale| locale.tag() == best)
}

/// The header's language ranges, most wanted first (equal qualities in
/// header order), without those it refuses (`q=0`) or gets wrong: a
/// quality that is not a number from 0 to 1 (`q=NaN`, `q=abc`) drops its
/// range, never the header.
fn by_quality(header: &str) -> Vec<&str> {
    let mut ranges: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let mut quality = 1.0_f32;
            for parameter in parts {
                let (name, value) = parameter.trim().split_once('=')?;
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
                }
            }
            (!tag.is_empty() && tag != "*" && quality > 0.0).then_some((tag, quality))
        })
        .take(MAX_REQUESTED)
        .collect();
    // Every quality is a finite number here, so this order is total; the sort is stable.
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges.into_iter().map(|(tag, _)| tag).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    const OFFER: Offer = Offer { default: Locale::FALLBACK, pseudo: false };

    #[test]
    fn the_header_matches_by_quality_and_language() {
        let cases = [
            ("de-AT,de;q=0.9,en;q=0.8", Some("de")),
            ("ar-EG", Some("ar")),
            ("en;q=0.1, de", Some("de")),
            ("DE-at", Some("de")),
            ("de;q=0, ar", Some("ar")),
            ("zh-Hant-TW,ar-u-nu-latn;q=0.5", Some("ar")),
            ("garbage;;q=abc,,de", Some("de")),
            ("de;q=NaN, ar;q=0.5", Some("ar")),
            ("de;q=2, ar;q=0.5", Some("ar")),
            ("de;q=inf, en;q=-1, ar", Some("ar")),
            ("fr-CH, fr;q=0.9, *;q=0.5", None),
            ("de;q=0", None),
            ("*", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(from_accept_language(header).map(Locale::tag), expected, "{header:?}");
        }
    }

    #[test]
    fn a_header_built_to_break_sorting_is_read_calmly() {
        // Qualities a float order cannot sort (NaN) among more than twenty ranges.
        let header = (0..40).map(|i| format!("x{i};q={}", if i % 4 == 3 { "NaN" } else { "0.5" })).collect::<Vec<_>>().join(",");
        assert_eq!(from_accept_language(&format!("{header},de")), None, "past the first sixteen ranges");
        assert_eq!(from_accept_language(&format!("de;q=0.1,{header}")), Some("de".parse().unwrap()));
        let huge = format!("{}de", "zz,".repeat(10_000));
        assert_eq!(from_accept_language(&huge), None);
    }

    #[test]
    fn each_step_wins_over_the_ones_after_it() {
        let all = Asked { query: Some("ar"), cookie: Some("de"), accept_language: Some("en") };
        let customer = Some(locale("en"));
        assert_eq!(OFFER.choose(all, customer).tag(), "ar");
        assert_eq!(OFFER.choose(Asked { query: None, ..all }, customer).tag(), "de");
        assert_eq!(OFFER.choose(Asked { query: None, cookie: None, ..all }, Some(locale("ar"))).tag(), "ar");
        assert_eq!(OFFER.choose(Asked { query: None, cookie: None, accept_language: Some("de-CH") }, None).tag(), "de");
        let default_de = Offer { default: locale("de"), pseudo: false };
        assert_eq!(default_de.choose(Asked::default(), None).tag(), "de");
    }

    #[test]
    fn what_names_no_supported_locale_is_passed_over() {
        let asked = Asked { query: Some("xx\"><script>"), cookie: Some("fr"), accept_language: Some(";;;") };
        assert_eq!(OFFER.choose(asked, None), Locale::FALLBACK);
        let asked = Asked { query: Some("klingon"), cookie: Some("ar"), accept_language: None };
        assert_eq!(OFFER.choose(asked, None).tag(), "ar");
    }

    #[test]
    fn the_pseudo_locale_only_where_offered() {
        let asked = Asked { query: Some("en-XA"), ..Asked::default() };
        assert_eq!(OFFER.choose(asked, None), Locale::FALLBACK);
        assert_eq!(Offer { pseudo: true, ..OFFER }.choose(asked, None), Locale::PSEUDO);
        // Never from a browser's header.
        assert_eq!(from_accept_language("en-XA"), Some(Locale::FALLBACK));
    }
}
