//! Every character an invoice's words, money, percentages and dates can be
//! written with has a glyph in both embedded faces (regular and bold), so no
//! language's invoice shows a missing-glyph box.
//!
//! The characters come from every message of every catalogue (their text,
//! read from `i18n/{tag}/app.ftl`; the pseudo-locale's accented English too,
//! as an invoice issued in it would print it) and from the formatters'
//! output in every locale: money in every currency a shop can sell in,
//! positive and negative, percentages, dates of every month, and the
//! isolates `tr!` puts around arguments.
//!
//! Exactly two kinds of character need no glyph, and nothing else is let
//! off:
//! - the bidi controls of `is_bidi_control` (LRM, RLM, ALM, LRE/RLE/PDF/
//!   LRO/RLO, LRI/RLI/FSI/PDI): they steer the bidi split and are
//!   default-ignorable, so shaping drops them; the test shapes each one
//!   between two letters and checks it left no glyph and took no room;
//! - the line feed inside a multi-line message: lines are set one by one,
//!   a line break is never drawn.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::{is_bidi_control, Base, Face, FONTS};
use crate::domain::locale::Locale;
use crate::domain::money::{Currency, Money, TaxRate};
use crate::domain::time::Timestamp;
use crate::server::i18n::format;

/// Where each character was met first, for the failure message.
type Sources = BTreeMap<char, String>;

fn add(sources: &mut Sources, text: &str, source: impl Fn() -> String) {
    for c in text.chars() {
        sources.entry(c).or_insert_with(&source);
    }
}

/// The text of every message (values, attributes, variants, string and
/// number literals) of `tag`'s catalogue, one string per text piece.
fn catalogue_texts(tag: &str) -> Vec<(String, String)> {
    let path = format!("{}/i18n/{tag}/app.ftl", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let resource = fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| panic!("{path}: {errors:#?}"));
    let mut texts = Vec::new();
    for entry in &resource.body {
        let (id, value, attributes) = match entry {
            Entry::Message(message) => (message.id.name.to_owned(), message.value.as_ref(), &message.attributes),
            Entry::Term(term) => (format!("-{}", term.id.name), Some(&term.value), &term.attributes),
            _ => continue,
        };
        let patterns = value.into_iter().chain(attributes.iter().map(|attribute| &attribute.value));
        for pattern in patterns {
            pattern_texts(pattern, &mut |text| texts.push((format!("{tag} `{id}`"), text)));
        }
    }
    texts
}

fn pattern_texts(pattern: &Pattern<&str>, found: &mut dyn FnMut(String)) {
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => found((*value).to_owned()),
            PatternElement::Placeable { expression } => expression_texts(expression, found),
        }
    }
}

fn expression_texts(expression: &Expression<&str>, found: &mut dyn FnMut(String)) {
    match expression {
        Expression::Inline(inline) => inline_texts(inline, found),
        Expression::Select { selector, variants } => {
            inline_texts(selector, found);
            for variant in variants {
                pattern_texts(&variant.value, found);
            }
        }
    }
}

fn inline_texts(inline: &InlineExpression<&str>, found: &mut dyn FnMut(String)) {
    match inline {
        InlineExpression::StringLiteral { value } => {
            found(fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned())
        }
        InlineExpression::NumberLiteral { value } => found((*value).to_owned()),
        InlineExpression::Placeable { expression } => expression_texts(expression, found),
        _ => {}
    }
}

/// Every currency a shop can be set to sell in: every code `Currency` accepts.
fn every_currency() -> Vec<Currency> {
    let letters = || b'A'..=b'Z';
    let codes = letters().flat_map(move |a| letters().flat_map(move |b| letters().map(move |c| [a, b, c])));
    codes.filter_map(|code| std::str::from_utf8(&code).ok()?.parse().ok()).collect()
}

fn formatter_characters(sources: &mut Sources) {
    let currencies = every_currency();
    assert!(currencies.len() > 150, "the ISO 4217 table: {}", currencies.len());
    for locale in Locale::all().chain([Locale::PSEUDO]) {
        for currency in &currencies {
            for minor in [123_456_789, -123_456_789, 0] {
                let money = format::money(locale, Money::new(minor, *currency));
                add(sources, &money, || format!("{locale} money {currency:?} {money:?}"));
            }
        }
        for basis_points in [0, 550, 2_100, 10_000] {
            let rate = TaxRate::from_basis_points(basis_points).unwrap();
            let percent = format::percent(locale, rate);
            add(sources, &percent, || format!("{locale} percent {percent:?}"));
        }
        // The 15th of each month of 2026, at 09:05 UTC.
        let january_15th = 1_768_467_900_000_i64;
        for month in 0..12 {
            let at = Timestamp::from_millis(january_15th + month * 30 * 86_400_000);
            let (date, date_time) = (format::date(locale, at), format::date_time(locale, at));
            add(sources, &date, || format!("{locale} date {date:?}"));
            add(sources, &date_time, || format!("{locale} date and time {date_time:?}"));
        }
    }
    // What `tr!` puts around every argument, and what the formatters write
    // for a date they cannot read.
    add(sources, "\u{2068}\u{2069}—", || "tr! isolates, date fallback".to_owned());
}

fn has_glyph(face: &Face, c: char) -> bool {
    face.shaper.glyph_index(c).is_some_and(|glyph| glyph.0 != 0)
}

#[test]
fn every_character_of_the_catalogues_and_formatters_has_a_glyph_in_both_faces() {
    let mut sources = Sources::new();
    let mut texts = Vec::new();
    for locale in Locale::all() {
        texts.extend(catalogue_texts(locale.tag()));
    }
    // The pseudo-locale is English, accented as `catalogue::pseudo` does it.
    let pseudo: Vec<(String, String)> = catalogue_texts(Locale::FALLBACK.tag())
        .into_iter()
        .map(|(source, text)| (format!("en-XA of {source}"), fluent_pseudo::transform(&text, false, true).into_owned()))
        .collect();
    texts.extend(pseudo);
    for (source, text) in &texts {
        add(&mut sources, text, || source.clone());
    }
    formatter_characters(&mut sources);
    assert!(sources.contains_key(&'ع') && sources.contains_key(&'ß') && sources.contains_key(&'\u{A0}'), "the test sees all three");

    let fonts = &*FONTS;
    // The check can fail: DejaVu has no Chinese.
    assert!(!has_glyph(&fonts.regular, '中') && has_glyph(&fonts.bold, 'ع'));
    let mut missing = Vec::new();
    for (&c, source) in &sources {
        if c == '\n' || is_bidi_control(c) {
            continue;
        }
        for (name, face) in [("regular", &fonts.regular), ("bold", &fonts.bold)] {
            if !has_glyph(face, c) {
                missing.push(format!("U+{:04X} {c:?} has no {name} glyph (from {source})", c as u32));
            }
        }
    }
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));

    // Whole texts too: combining marks and joined Arabic forms come out of
    // shaping, not the character map.
    for (source, text) in &texts {
        for line in text.lines() {
            for face in [&fonts.regular, &fonts.bold] {
                let shaped = face.shape(line, 10.0, Base::Own);
                assert!(shaped.glyphs.iter().all(|glyph| glyph.glyph_id.to_u32() != 0), "{source}: {line:?} draws .notdef");
            }
        }
    }
}

#[test]
fn the_bidi_controls_are_dropped_by_shaping_and_take_no_room() {
    let controls: BTreeSet<char> = ('\u{0}'..='\u{FFFF}').filter(|c| is_bidi_control(*c)).collect();
    assert_eq!(controls.len(), 12, "LRM, RLM, ALM, five embeddings and overrides, four isolates");
    let fonts = &*FONTS;
    for face in [&fonts.regular, &fonts.bold] {
        for base in [Base::LeftToRight, Base::RightToLeft] {
            // A control may split its neighbours into separate runs (that is
            // its job): Arabic letters then take other forms and Latin ones
            // lose their kerning, so only the digits' width must stay the same.
            for pair in ["ab", "\u{628}\u{62A}", "12"] {
                let bare = face.shape(pair, 10.0, base);
                for &control in &controls {
                    let mut letters = pair.chars();
                    let text = format!("{}{control}{}", letters.next().unwrap(), letters.next().unwrap());
                    let shaped = face.shape(&text, 10.0, base);
                    assert_eq!(shaped.glyphs.len(), bare.glyphs.len(), "U+{:04X} drew a glyph", control as u32);
                    if pair == "12" {
                        assert!((shaped.width - bare.width).abs() < 0.001, "U+{:04X} took room", control as u32);
                    }
                }
            }
        }
    }
}
