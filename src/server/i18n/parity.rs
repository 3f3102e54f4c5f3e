//! The catalogue test: every locale's `i18n/{tag}/app.ftl` parses without
//! an error and has exactly the English catalogue's messages, attributes
//! and variables; every plural selection covers the categories CLDR lists
//! for the locale's language (Arabic's six). `fl!` checks the code against
//! English at compile time; this checks the other languages against it.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, Variant, VariantKey};
use icu_plurals::{PluralCategory, PluralRuleType, PluralRules, PluralRulesOptions};

use crate::domain::locale::Locale;

/// Message id (`id`, `id.attribute`, `-term`) → the variables it uses.
type Shape = BTreeMap<String, BTreeSet<String>>;

struct Catalogue {
    shape: Shape,
    /// Per message, the keys of each plural selection in it.
    plural_selections: Vec<(String, BTreeSet<String>)>,
}

const PLURAL_KEYWORDS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn read(locale: Locale) -> Catalogue {
    let path = format!("{}/i18n/{}/app.ftl", env!("CARGO_MANIFEST_DIR"), locale.tag());
    let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let resource = fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| panic!("{path}: {errors:#?}"));
    let mut catalogue = Catalogue { shape: Shape::new(), plural_selections: Vec::new() };
    for entry in &resource.body {
        let (id, value, attributes) = match entry {
            Entry::Message(message) => (message.id.name.to_owned(), message.value.as_ref(), &message.attributes),
            Entry::Term(term) => (format!("-{}", term.id.name), Some(&term.value), &term.attributes),
            _ => continue,
        };
        let mut walk = |key: String, pattern: Option<&Pattern<&str>>| {
            let mut variables = BTreeSet::new();
            if let Some(pattern) = pattern {
                pattern_parts(pattern, &mut variables, &mut |keys| catalogue.plural_selections.push((key.clone(), keys)));
            }
            assert!(catalogue.shape.insert(key.clone(), variables).is_none(), "{path}: `{key}` is defined twice");
        };
        walk(id.clone(), value);
        for attribute in attributes {
            walk(format!("{id}.{}", attribute.id.name), Some(&attribute.value));
        }
    }
    catalogue
}

fn pattern_parts(pattern: &Pattern<&str>, variables: &mut BTreeSet<String>, plurals: &mut dyn FnMut(BTreeSet<String>)) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_parts(expression, variables, plurals);
        }
    }
}

fn expression_parts(expression: &Expression<&str>, variables: &mut BTreeSet<String>, plurals: &mut dyn FnMut(BTreeSet<String>)) {
    match expression {
        Expression::Inline(inline) => inline_parts(inline, variables, plurals),
        Expression::Select { selector, variants } => {
            inline_parts(selector, variables, plurals);
            let keys: BTreeSet<String> = variants.iter().map(variant_key).collect();
            if keys.iter().any(|key| PLURAL_KEYWORDS.contains(&key.as_str())) {
                plurals(keys);
            }
            for variant in variants {
                pattern_parts(&variant.value, variables, plurals);
            }
        }
    }
}

fn variant_key(variant: &Variant<&str>) -> String {
    match &variant.key {
        VariantKey::Identifier { name } => (*name).to_owned(),
        VariantKey::NumberLiteral { value } => (*value).to_owned(),
    }
}

fn inline_parts(inline: &InlineExpression<&str>, variables: &mut BTreeSet<String>, plurals: &mut dyn FnMut(BTreeSet<String>)) {
    match inline {
        InlineExpression::VariableReference { id } => {
            variables.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. }
        | InlineExpression::TermReference { arguments: Some(arguments), .. } => {
            for argument in &arguments.positional {
                inline_parts(argument, variables, plurals);
            }
            for argument in &arguments.named {
                inline_parts(&argument.value, variables, plurals);
            }
        }
        InlineExpression::Placeable { expression } => expression_parts(expression, variables, plurals),
        _ => {}
    }
}

fn cldr_categories(locale: Locale) -> BTreeSet<String> {
    let language: icu_locale_core::Locale = locale.tag().parse().unwrap();
    let rules = PluralRules::try_new((&language).into(), PluralRulesOptions::default().with_type(PluralRuleType::Cardinal)).unwrap();
    rules
        .categories()
        .map(|category| {
            match category {
                PluralCategory::Zero => "zero",
                PluralCategory::One => "one",
                PluralCategory::Two => "two",
                PluralCategory::Few => "few",
                PluralCategory::Many => "many",
                PluralCategory::Other => "other",
            }
            .to_owned()
        })
        .collect()
}

#[test]
fn every_catalogue_has_exactly_the_english_messages_and_variables() {
    let english = read(Locale::FALLBACK).shape;
    let mut problems = Vec::new();
    for locale in Locale::all().filter(|locale| *locale != Locale::FALLBACK) {
        let other = read(locale).shape;
        for (id, variables) in &english {
            match other.get(id) {
                None => problems.push(format!("{locale}: `{id}` is missing")),
                Some(theirs) if theirs != variables => {
                    problems.push(format!("{locale}: `{id}` uses {theirs:?}, English uses {variables:?}"))
                }
                Some(_) => {}
            }
        }
        for id in other.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{locale}: `{id}` is not in the English catalogue"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_plural_covers_the_languages_cldr_categories() {
    let mut problems = Vec::new();
    for locale in Locale::all() {
        let needed = cldr_categories(locale);
        for (id, keys) in read(locale).plural_selections {
            let missing: Vec<&String> = needed.iter().filter(|category| !keys.contains(*category)).collect();
            if !missing.is_empty() {
                problems.push(format!("{locale}: `{id}` has no variant for {missing:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    // The test can tell: Arabic has six categories, and a selection with fewer fails.
    assert_eq!(cldr_categories("ar".parse().unwrap()).len(), 6);
}
