//! Reading a shop file: TOML whose keys are a contract with operators (see
//! the README, "Operating your shop"). Every problem is reported with the
//! file, line and column it is at, all of them at once, and a file with any
//! problem yields nothing: there is no partly valid shop.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::locale::{Locale, UnsupportedLocale};
use crate::domain::shop::{Accent, Letterhead, LogoFormat, ProductSpec, ProductText, Seller, ShopSpec, Slug, AA_CONTRAST, MAX_QUANTITY_CEILING};
use crate::domain::{Currency, Email, TaxRate};
pub use crate::server::shop::logo::LogoAsset;

/// The largest shop file read, and the largest logo: far above any real one.
const MAX_FILE_BYTES: u64 = 1024 * 1024;
const MAX_LOGO_BYTES: u64 = 1024 * 1024;
/// The highest unit price: Stripe's largest amount (12 digits), so every
/// price can be charged.
pub const MAX_UNIT_PRICE: i64 = 999_999_999_999;
/// What a product has when the file does not say.
pub const DEFAULT_MAX_QUANTITY: u32 = 99;

/// A valid shop file, with its logo read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopFile {
    pub spec: ShopSpec,
    pub logo: Option<LogoAsset>,
}

/// One problem, at a place in the file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a shop file was refused: every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors {
    /// The file as the operator named it.
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for FileErrors {
    /// `shop.toml:12:14: unit_price must be at least 1`, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{}:{}:{}: {}", self.file, problem.line, problem.column, problem.message)?;
        }
        let count = self.problems.len();
        write!(f, "{count} problem{} in {}; nothing was applied.", if count == 1 { "" } else { "s" }, self.file)
    }
}

impl std::error::Error for FileErrors {}

/// Reads and checks the shop file at `path`; a logo is looked for relative
/// to the file's own directory.
pub fn read(path: &Path) -> Result<ShopFile, FileErrors> {
    let name = path.display().to_string();
    let whole_file = |message: String| FileErrors { file: name.clone(), problems: vec![Problem { line: 1, column: 1, message }] };
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|why| whole_file(format!("the shop file {why}")))?;
    let source = String::from_utf8(bytes).map_err(|e| whole_file(format!("the shop file is not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&source, &name, &base)
}

/// A regular file's bytes, at most `limit` of them: a device, a pipe or a
/// directory is refused before anything is read.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    // Looked at before opening: opening a FIFO waits for a writer, for ever.
    let regular = |meta: std::io::Result<std::fs::Metadata>| match meta {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err("is not a regular file".to_owned()),
        Err(e) => Err(format!("cannot be read: {e}")),
    };
    regular(std::fs::metadata(path))?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    regular(file.metadata())?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("is larger than {limit} bytes"));
    }
    Ok(bytes)
}

/// Checks a shop file's text. `name` is how errors name the file.
pub fn parse(source: &str, name: &str, base_dir: &Path) -> Result<ShopFile, FileErrors> {
    let mut checker = Checker { source, base_dir, problems: Vec::new(), locale: Locale::FALLBACK };
    let raw: RawFile = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(error) => {
            let at = error.span().map_or(0, |span| span.start);
            checker.problem(at, error.message().trim_end().to_owned());
            return Err(checker.into_errors(name));
        }
    };
    let spec = checker.shop(raw);
    match spec {
        Some(file) if checker.problems.is_empty() => Ok(file),
        _ => Err(checker.into_errors(name)),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The language the file is written in (default English).
    locale: Option<Spanned<String>>,
    seller: RawSeller,
    #[serde(default)]
    products: Vec<RawProduct>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeller {
    name: Spanned<String>,
    #[serde(default)]
    address: Vec<Spanned<String>>,
    tax_id: Option<Spanned<String>>,
    email: Spanned<String>,
    currency: Spanned<String>,
    logo: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    /// `[seller.translations.de]`: the address as another language writes it.
    #[serde(default)]
    translations: BTreeMap<Spanned<String>, RawSellerText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSellerText {
    address: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProductText {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    slug: Spanned<String>,
    name: Spanned<String>,
    description: Option<Spanned<String>>,
    unit_price: Spanned<RawPrice>,
    tax_rate: Spanned<RawRate>,
    position: Option<Spanned<i64>>,
    max_quantity: Option<Spanned<i64>>,
    active: Option<bool>,
    /// `[products.translations.de]`: its name and description in another language.
    #[serde(default)]
    translations: BTreeMap<Spanned<String>, RawProductText>,
}

/// A price in minor units; a decimal is read only to say what to write instead.
enum RawPrice {
    /// Wider than a price can be, so a huge number gets our message.
    Whole(i128),
    Decimal(f64),
}

impl<'de> Deserialize<'de> for RawPrice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl serde::de::Visitor<'_> for Number {
            type Value = RawPrice;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of minor units")
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawPrice, E> {
                Ok(RawPrice::Whole(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawPrice, E> {
                Ok(RawPrice::Whole(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawPrice, E> {
                Ok(RawPrice::Whole(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawPrice, E> {
                Ok(RawPrice::Whole(i128::try_from(v).unwrap_or(i128::MAX)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawPrice, E> {
                Ok(RawPrice::Decimal(v))
            }
        }
        deserializer.deserialize_any(Number)
    }
}

/// A tax rate in percent: `21` or `5.5`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawRate {
    Whole(i64),
    Decimal(f64),
}

struct Checker<'a> {
    source: &'a str,
    base_dir: &'a Path,
    problems: Vec<Problem>,
    /// The file's own language (`locale`), once read.
    locale: Locale,
}

impl Checker<'_> {
    fn problem(&mut self, at: usize, message: String) {
        let before = &self.source[..at.min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |text| text.chars().count()) + 1;
        self.problems.push(Problem { line, column, message });
    }

    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problem(span.start, message.into());
    }

    fn into_errors(self, name: &str) -> FileErrors {
        FileErrors { file: name.to_owned(), problems: self.problems }
    }

    fn shop(&mut self, raw: RawFile) -> Option<ShopFile> {
        let locale = match &raw.locale {
            None => Some(Locale::FALLBACK),
            Some(tag) => match tag.get_ref().parse::<Locale>() {
                Ok(locale) if !locale.is_pseudo() => Some(locale),
                _ => {
                    self.at(tag.span(), format!("locale: {}", UnsupportedLocale(tag.get_ref().clone())));
                    None
                }
            },
        };
        self.locale = locale.unwrap_or(Locale::FALLBACK);
        let seller = self.seller(raw.seller);
        let mut first_use: HashMap<String, usize> = HashMap::new();
        let mut products = Vec::with_capacity(raw.products.len());
        for (index, product) in raw.products.into_iter().enumerate() {
            let slug_span = product.slug.span();
            if let Some(line) = first_use.get(product.slug.get_ref()) {
                let message = format!("duplicate slug {:?}: line {line} already has a product with it", product.slug.get_ref());
                self.at(slug_span.clone(), message);
            } else {
                let line = self.source[..slug_span.start].matches('\n').count() + 1;
                first_use.insert(product.slug.get_ref().clone(), line);
            }
            products.push(self.product(index, product));
        }
        let (seller, logo) = seller?;
        let products = products.into_iter().collect::<Option<Vec<_>>>()?;
        Some(ShopFile { spec: ShopSpec { locale: locale?, seller, products }, logo })
    }

    fn seller(&mut self, raw: RawSeller) -> Option<(Seller, Option<LogoAsset>)> {
        let name = self.text(&raw.name, "seller name", 200, true);
        let address_lines = self.address(&raw.address);
        let tax_id = match &raw.tax_id {
            Some(tax_id) => self.text(tax_id, "tax_id", 50, false),
            None => Some(String::new()),
        };
        let email = match raw.email.get_ref().parse::<Email>() {
            Ok(email) => Some(email.as_str().to_owned()),
            Err(error) => {
                self.at(raw.email.span(), format!("email: {error}"));
                None
            }
        };
        let currency = match raw.currency.get_ref().parse::<Currency>() {
            Ok(currency) => Some(currency),
            Err(error) => {
                self.at(raw.currency.span(), format!("currency: {error}"));
                None
            }
        };
        let accent = match &raw.accent {
            None => Some(Accent::DEFAULT),
            Some(accent) => self.accent(accent),
        };
        let logo = match &raw.logo {
            None => Some(None),
            Some(logo) => self.logo(logo).map(Some),
        };
        let mut translated_addresses = Some(BTreeMap::new());
        for (tag, text) in &raw.translations {
            let locale = self.translation_locale(tag);
            let lines = self.address(&text.address);
            match (locale, lines, translated_addresses.as_mut()) {
                (Some(locale), Some(lines), Some(translated)) => {
                    translated.insert(locale, lines);
                }
                _ => translated_addresses = None,
            }
        }
        let address_lines = address_lines?;
        let logo = logo?;
        Some((
            Seller {
                letterhead: Letterhead {
                    name: name?,
                    address_lines,
                    tax_id: tax_id?,
                    email: email?,
                    accent: accent?,
                    logo: logo.as_ref().map(|logo| logo.reference.clone()),
                    translated_addresses: translated_addresses?,
                },
                currency: currency?,
            },
            logo,
        ))
    }

    /// At most 8 lines, each a short line of text.
    fn address(&mut self, raw: &[Spanned<String>]) -> Option<Vec<String>> {
        if raw.len() > 8 {
            self.at(raw[8].span(), "an address has at most 8 lines");
        }
        let lines: Vec<Option<String>> = raw.iter().map(|line| self.text(line, "an address line", 200, true)).collect();
        lines.into_iter().collect::<Option<Vec<_>>>().filter(|_| raw.len() <= 8)
    }

    fn accent(&mut self, raw: &Spanned<String>) -> Option<Accent> {
        let accent = match raw.get_ref().parse::<Accent>() {
            Ok(accent) => accent,
            Err(error) => {
                self.at(raw.span(), format!("accent {:?} is not a colour: {error}", raw.get_ref()));
                return None;
            }
        };
        if let Some((against, ratio)) = accent.fails_contrast() {
            let message = format!(
                "accent {} has a contrast of {ratio:.2}:1 with {against}; WCAG AA needs at least {AA_CONTRAST}:1, so choose a darker colour",
                accent.hex()
            );
            self.at(raw.span(), message);
            return None;
        }
        Some(accent)
    }

    fn logo(&mut self, raw: &Spanned<String>) -> Option<LogoAsset> {
        let relative = Path::new(raw.get_ref());
        let path: PathBuf = self.base_dir.join(relative);
        let Some(format) = relative.extension().and_then(|e| e.to_str()).and_then(LogoFormat::from_extension) else {
            self.at(raw.span(), format!("logo {:?} must be an .svg or a .png file", raw.get_ref()));
            return None;
        };
        let bytes = match std::fs::metadata(&path) {
            Err(_) => Err(format!("logo {:?} is not there (looked for {})", raw.get_ref(), path.display())),
            Ok(_) => read_bounded(&path, MAX_LOGO_BYTES).map_err(|why| format!("logo {:?} {why}", raw.get_ref())),
        };
        match bytes.and_then(|bytes| LogoAsset::new(format, bytes).map_err(|why| format!("logo {:?}: {why}", raw.get_ref()))) {
            Ok(logo) => Some(logo),
            Err(message) => {
                self.at(raw.span(), message);
                None
            }
        }
    }

    fn product(&mut self, index: usize, raw: RawProduct) -> Option<ProductSpec> {
        let slug = match raw.slug.get_ref().parse::<Slug>() {
            Ok(slug) => Some(slug),
            Err(error) => {
                self.at(raw.slug.span(), format!("slug {:?}: {error}", raw.slug.get_ref()));
                None
            }
        };
        let name = self.text(&raw.name, "name", 200, true);
        let description = match &raw.description {
            Some(description) => self.text(description, "description", 1000, false),
            None => Some(String::new()),
        };
        let unit_price = match raw.unit_price.get_ref() {
            RawPrice::Whole(price) => Some(*price),
            RawPrice::Decimal(price) => {
                let message = format!(
                    "unit_price {price:?} is not a whole number: prices are in minor units (2500 for 25.00 in a currency with cents)"
                );
                self.at(raw.unit_price.span(), message);
                None
            }
        };
        let unit_price = match unit_price {
            None => None,
            Some(price) if price < 0 => {
                self.at(raw.unit_price.span(), format!("unit_price {price} is negative; a price is at least 1 minor unit"));
                None
            }
            Some(0) => {
                self.at(raw.unit_price.span(), "unit_price 0: a price is at least 1 minor unit (free products cannot be charged)");
                None
            }
            Some(price) if price > i128::from(MAX_UNIT_PRICE) => {
                self.at(raw.unit_price.span(), format!("unit_price {price} is too large: at most {MAX_UNIT_PRICE} minor units"));
                None
            }
            Some(price) => Some(i64::try_from(price).expect("at most MAX_UNIT_PRICE")),
        };
        let tax_rate = self.tax_rate(&raw.tax_rate);
        let position = match &raw.position {
            None => Some(index as i64 + 1),
            Some(position) if (0..=1_000_000).contains(position.get_ref()) => Some(*position.get_ref()),
            Some(position) => {
                self.at(position.span(), format!("position {} must be from 0 to 1000000", position.get_ref()));
                None
            }
        };
        let max_quantity = match &raw.max_quantity {
            None => Some(DEFAULT_MAX_QUANTITY),
            Some(max) => match u32::try_from(*max.get_ref()).ok().filter(|max| (1..=MAX_QUANTITY_CEILING).contains(max)) {
                Some(max) => Some(max),
                None => {
                    self.at(max.span(), format!("max_quantity {} must be from 1 to {MAX_QUANTITY_CEILING}", max.get_ref()));
                    None
                }
            },
        };
        let mut translations = Some(BTreeMap::new());
        for (tag, text) in &raw.translations {
            let locale = self.translation_locale(tag);
            let name = text.name.as_ref().map(|name| self.text(name, "name", 200, true));
            let description = text.description.as_ref().map(|description| self.text(description, "description", 1000, false));
            if text.name.is_none() && text.description.is_none() {
                self.at(tag.span(), format!("translations.{} gives neither a name nor a description", tag.get_ref()));
                translations = None;
                continue;
            }
            match (locale, name.unwrap_or(Some(String::new())), description.unwrap_or(Some(String::new())), translations.as_mut()) {
                (Some(locale), Some(name), Some(description), Some(translated)) => {
                    let given = |value: String, raw: &Option<Spanned<String>>| raw.as_ref().map(|_| value);
                    translated.insert(
                        locale,
                        ProductText { name: given(name, &text.name), description: given(description, &text.description) },
                    );
                }
                _ => translations = None,
            }
        }
        Some(ProductSpec {
            slug: slug?,
            name: name?,
            description: description?,
            unit_price_minor: unit_price?,
            tax_rate: tax_rate?,
            position: position?,
            max_quantity: max_quantity?,
            active: raw.active.unwrap_or(true),
            translations: translations?,
        })
    }

    /// A `translations.<tag>` key: a supported language other than the file's own.
    fn translation_locale(&mut self, tag: &Spanned<String>) -> Option<Locale> {
        match tag.get_ref().parse::<Locale>() {
            Ok(locale) if locale == self.locale => {
                let message = format!("translations.{}: the file itself is in {} (its `locale`)", tag.get_ref(), self.locale);
                self.at(tag.span(), message);
                None
            }
            Ok(locale) if !locale.is_pseudo() => Some(locale),
            _ => {
                self.at(tag.span(), format!("translations: {}", UnsupportedLocale(tag.get_ref().clone())));
                None
            }
        }
    }

    /// A percentage with at most two decimals, from 0 to 100, as basis points.
    fn tax_rate(&mut self, raw: &Spanned<RawRate>) -> Option<TaxRate> {
        let basis_points = match raw.get_ref() {
            RawRate::Whole(percent) => percent.checked_mul(100),
            RawRate::Decimal(percent) if !percent.is_finite() || !(0.0..=100.0).contains(percent) => None,
            RawRate::Decimal(percent) => {
                let scaled = percent * 100.0;
                if (scaled - scaled.round()).abs() > 1e-6 || (*percent != 0.0 && scaled.round() == 0.0) {
                    self.at(raw.span(), format!("tax_rate {percent:?} has more than two decimals"));
                    return None;
                }
                Some(scaled.round() as i64)
            }
        };
        match basis_points.and_then(|bp| u32::try_from(bp).ok()).and_then(|bp| TaxRate::from_basis_points(bp).ok()) {
            Some(rate) => Some(rate),
            None => {
                let shown = match raw.get_ref() {
                    RawRate::Whole(percent) => percent.to_string(),
                    RawRate::Decimal(percent) => format!("{percent:?}"),
                };
                self.at(raw.span(), format!("tax_rate {shown} must be a percentage from 0 to 100"));
                None
            }
        }
    }

    /// Trimmed text of at most `max_chars` characters; `required` refuses an empty one.
    fn text(&mut self, raw: &Spanned<String>, what: &str, max_chars: usize, required: bool) -> Option<String> {
        let text = raw.get_ref().trim();
        if required && text.is_empty() {
            self.at(raw.span(), format!("{what} is empty"));
            return None;
        }
        if text.chars().count() > max_chars {
            self.at(raw.span(), format!("{what} is longer than {max_chars} characters"));
            return None;
        }
        if text.chars().any(char::is_control) {
            self.at(raw.span(), format!("{what} contains a control character (a line break or a tab)"));
            return None;
        }
        // Direction overrides and isolates would reorder what the invoice shows.
        if text.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')) {
            self.at(raw.span(), format!("{what} contains an invisible text-direction character"));
            return None;
        }
        Some(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELLER: &str = r##"[seller]
name = "Kanal Werkhaus"
address = ["Prinsengracht 263", "1016 GV Amsterdam"]
tax_id = "NL123456789B01"
email = "desk@kanal.example"
currency = "EUR"
accent = "#0b5d3b"
"##;

    const PRODUCT: &str = r#"
[[products]]
slug = "day-pass"
name = "Day Pass"
description = "A hot desk for one day."
unit_price = 2500
tax_rate = 21
position = 1
max_quantity = 20
active = true
"#;

    fn check(source: &str) -> Result<ShopFile, FileErrors> {
        parse(source, "shop.toml", Path::new("."))
    }

    /// The one problem `source` has: (line, column, message).
    fn only_problem(source: &str) -> (usize, usize, String) {
        let errors = check(source).expect_err("the file should be refused");
        assert_eq!(errors.problems.len(), 1, "{errors}");
        let problem = &errors.problems[0];
        (problem.line, problem.column, problem.message.clone())
    }

    #[test]
    fn the_issue_s_example_reads_whole() {
        let file = check(&format!("{SELLER}{PRODUCT}")).unwrap();
        let seller = &file.spec.seller;
        assert_eq!(seller.letterhead.name, "Kanal Werkhaus");
        assert_eq!(seller.letterhead.address_lines, ["Prinsengracht 263", "1016 GV Amsterdam"]);
        assert_eq!(seller.currency, Currency::EUR);
        assert_eq!(seller.letterhead.accent, Accent::rgb(0x0b, 0x5d, 0x3b));
        let product = &file.spec.products[0];
        assert_eq!(product.slug.as_str(), "day-pass");
        assert_eq!((product.unit_price_minor, product.tax_rate.basis_points(), product.max_quantity), (2500, 2100, 20));
        assert!(product.active);
    }

    #[test]
    fn defaults_fill_what_a_product_leaves_out() {
        let source = format!("{SELLER}\n[[products]]\nslug = \"a\"\nname = \"A\"\nunit_price = 1\ntax_rate = 5.5\n\n[[products]]\nslug = \"b\"\nname = \"B\"\nunit_price = 2\ntax_rate = 0\n");
        let products = check(&source).unwrap().spec.products;
        assert_eq!(products[0].tax_rate.basis_points(), 550);
        assert_eq!((products[0].position, products[1].position), (1, 2), "file order");
        assert_eq!(products[0].max_quantity, DEFAULT_MAX_QUANTITY);
        assert!(products[1].active && products[1].description.is_empty());
    }

    #[test]
    fn an_unknown_key_is_named_at_its_place() {
        let source = format!("{SELLER}{}", PRODUCT.replace("active = true", "colour = \"red\""));
        let (line, column, message) = only_problem(&source);
        assert_eq!((line, column), (17, 1), "{message}");
        assert!(message.contains("unknown field `colour`"), "{message}");
    }

    #[test]
    fn a_duplicate_slug_points_at_the_second_and_names_the_first() {
        let (line, column, message) = only_problem(&format!("{SELLER}{PRODUCT}{PRODUCT}"));
        assert_eq!((line, column), (20, 8), "{message}");
        assert_eq!(message, "duplicate slug \"day-pass\": line 10 already has a product with it");
    }

    #[test]
    fn negative_zero_and_overflowing_prices_are_refused() {
        let with_price = |price: &str| format!("{SELLER}{}", PRODUCT.replace("unit_price = 2500", &format!("unit_price = {price}")));
        let (line, column, message) = only_problem(&with_price("-5"));
        assert_eq!((line, column), (13, 14));
        assert_eq!(message, "unit_price -5 is negative; a price is at least 1 minor unit");
        assert!(only_problem(&with_price("0")).2.starts_with("unit_price 0: a price is at least 1 minor unit"));
        let (_, _, message) = only_problem(&with_price("1000000000000"));
        assert_eq!(message, "unit_price 1000000000000 is too large: at most 999999999999 minor units");
        // Beyond what a 64-bit integer holds.
        let (line, column, message) = only_problem(&with_price("99999999999999999999"));
        assert_eq!((line, column), (13, 14), "{message}");
        assert_eq!(message, "unit_price 99999999999999999999 is too large: at most 999999999999 minor units");
    }

    #[test]
    fn tax_rates_over_100_or_finer_than_a_hundredth_are_refused() {
        let with_rate = |rate: &str| format!("{SELLER}{}", PRODUCT.replace("tax_rate = 21", &format!("tax_rate = {rate}")));
        let (line, column, message) = only_problem(&with_rate("101"));
        assert_eq!((line, column), (14, 12));
        assert_eq!(message, "tax_rate 101 must be a percentage from 0 to 100");
        assert_eq!(only_problem(&with_rate("100.5")).2, "tax_rate 100.5 must be a percentage from 0 to 100");
        assert_eq!(only_problem(&with_rate("-1")).2, "tax_rate -1 must be a percentage from 0 to 100");
        assert_eq!(only_problem(&with_rate("5.555")).2, "tax_rate 5.555 has more than two decimals");
        assert_eq!(check(&with_rate("100")).unwrap().spec.products[0].tax_rate.basis_points(), 10_000);
    }

    #[test]
    fn odd_numbers_get_plain_words() {
        let with_price = |price: &str| format!("{SELLER}{}", PRODUCT.replace("unit_price = 2500", &format!("unit_price = {price}")));
        let (_, _, message) = only_problem(&with_price("25.0"));
        assert!(message.starts_with("unit_price 25.0 is not a whole number: prices are in minor units"), "{message}");
        let with_rate = |rate: &str| format!("{SELLER}{}", PRODUCT.replace("tax_rate = 21", &format!("tax_rate = {rate}")));
        assert_eq!(only_problem(&with_rate("1e-300")).2, "tax_rate 1e-300 has more than two decimals");
        for rate in ["nan", "inf", "-inf", "1e308"] {
            let (_, _, message) = only_problem(&with_rate(rate));
            assert!(message.ends_with("must be a percentage from 0 to 100"), "{rate}: {message}");
        }
        let reversed = format!("{SELLER}{}", PRODUCT.replace("name = \"Day Pass\"", "name = \"Day \u{202E}ssaP\""));
        assert_eq!(only_problem(&reversed).2, "name contains an invisible text-direction character");
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("shop.toml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // Opening a FIFO would block this test for ever; it must answer at once.
        let errors = read(&fifo).unwrap_err();
        assert_eq!(errors.problems[0].message, "the shop file is not a regular file");
        let logo = SELLER.replace("accent", "logo = \"logo.svg\"\naccent");
        assert!(std::process::Command::new("mkfifo").arg(dir.path().join("logo.svg")).status().unwrap().success());
        let errors = parse(&logo, "shop.toml", dir.path()).unwrap_err();
        assert_eq!(errors.problems[0].message, "logo \"logo.svg\" is not a regular file");
    }

    #[test]
    fn a_shop_file_that_is_not_a_file_is_refused_before_it_is_read() {
        let errors = read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(errors.problems[0].message, "the shop file is not a regular file");
        let dir = tempfile::tempdir().unwrap();
        let errors = read(dir.path()).unwrap_err();
        assert!(errors.problems[0].message.starts_with("the shop file"), "{errors}");
    }

    #[test]
    fn an_unknown_currency_is_refused_and_zero_decimal_ones_read() {
        let with_currency = |code: &str| SELLER.replace("currency = \"EUR\"", &format!("currency = \"{code}\""));
        let (line, column, message) = only_problem(&with_currency("EUX"));
        assert_eq!((line, column), (6, 12));
        assert_eq!(message, "currency: EUX is not an ISO 4217 currency");
        assert!(only_problem(&with_currency("XAU")).2.contains("no minor unit"));
        assert_eq!(check(&with_currency("JPY")).unwrap().spec.seller.currency.digits(), 0);
    }

    #[test]
    fn a_missing_logo_is_refused_at_its_key() {
        let source = SELLER.replace("accent", "logo = \"branding/none.svg\"\naccent");
        let (line, column, message) = only_problem(&source);
        assert_eq!((line, column), (7, 8));
        assert!(message.starts_with("logo \"branding/none.svg\" is not there"), "{message}");
        let gif = SELLER.replace("accent", "logo = \"logo.gif\"\naccent");
        assert_eq!(only_problem(&gif).2, "logo \"logo.gif\" must be an .svg or a .png file");
    }

    #[test]
    fn logos_are_read_relative_to_the_file_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("logo.svg"), br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#).unwrap();
        std::fs::write(dir.path().join("broken.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
        std::fs::write(dir.path().join("fake.svg"), b"<html>not an svg</html>").unwrap();
        let with_logo = |name: &str| SELLER.replace("accent", &format!("logo = \"{name}\"\naccent"));
        let file = parse(&with_logo("logo.svg"), "shop.toml", dir.path()).unwrap();
        let logo = file.logo.unwrap();
        assert_eq!(logo.reference.format, LogoFormat::Svg);
        assert_eq!(Some(&logo.reference), file.spec.seller.letterhead.logo.as_ref());
        assert_eq!(logo.reference.sha256.len(), 64);
        for bad in ["broken.png", "fake.svg"] {
            let errors = parse(&with_logo(bad), "shop.toml", dir.path()).unwrap_err();
            assert!(errors.problems[0].message.contains("not a readable"), "{errors}");
        }
    }

    #[test]
    fn a_colour_that_is_not_one_or_fails_contrast_is_refused() {
        let (line, column, message) = only_problem(&SELLER.replace("#0b5d3b", "green"));
        assert_eq!((line, column), (7, 10));
        assert!(message.starts_with("accent \"green\" is not a colour"), "{message}");
        let (_, _, message) = only_problem(&SELLER.replace("#0b5d3b", "#ffd700"));
        assert!(message.starts_with("accent #ffd700 has a contrast of 1.40:1 with white text; WCAG AA needs at least 4.5:1"), "{message}");
    }

    #[test]
    fn every_problem_is_reported_at_once_and_shown_with_file_line_and_column() {
        let source = format!("{}{}", SELLER.replace("desk@kanal.example", "desk"), PRODUCT.replace("2500", "-1").replace("day-pass", "Day Pass"));
        let errors = check(&source).unwrap_err();
        let shown = errors.to_string();
        assert_eq!(errors.problems.len(), 3, "{shown}");
        assert!(shown.starts_with("shop.toml:5:9: email:"), "{shown}");
        assert!(shown.contains("\nshop.toml:10:8: slug \"Day Pass\""), "{shown}");
        assert!(shown.contains("\nshop.toml:13:14: unit_price -1 is negative"), "{shown}");
        assert!(shown.ends_with("3 problems in shop.toml; nothing was applied."), "{shown}");
    }

    #[test]
    fn a_file_without_a_seller_or_with_broken_toml_is_refused() {
        let (line, _, message) = only_problem(PRODUCT);
        assert_eq!(line, 1);
        assert!(message.contains("missing field `seller`"), "{message}");
        let (line, column, _) = only_problem(&format!("{SELLER}\n[[products]\n"));
        assert_eq!((line, column), (9, 12), "at the end of the broken header");
    }

    #[test]
    fn the_example_shop_file_is_valid() {
        let file = read(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"))).unwrap();
        assert_eq!(file.spec.products.len(), 5);
        assert!(file.logo.is_some());
        assert_eq!(file.spec.products.iter().filter(|p| p.active).count(), 4);
    }

    #[test]
    fn names_descriptions_and_the_address_can_be_given_per_language() {
        let source = format!(
            "locale = \"en\"\n{SELLER}\n[seller.translations.de]\naddress = [\"Prinsengracht 263\", \"1016 GV Amsterdam\", \"Niederlande\"]\n{PRODUCT}\n\
             [products.translations.de]\nname = \"Tagespass\"\n\n[products.translations.ar]\ndescription = \"مكتب ليوم واحد.\"\n"
        );
        let file = check(&source).unwrap_or_else(|errors| panic!("{errors}"));
        let (german, arabic): (Locale, Locale) = ("de".parse().unwrap(), "ar".parse().unwrap());
        assert_eq!(file.spec.locale, Locale::FALLBACK);
        assert_eq!(file.spec.seller.letterhead.address_in(german)[2], "Niederlande");
        let product = &file.spec.products[0];
        assert_eq!(product.translations[&german], ProductText { name: Some("Tagespass".into()), description: None });
        assert_eq!(product.translations[&arabic], ProductText { name: None, description: Some("مكتب ليوم واحد.".into()) });
        assert_eq!(product.untranslated(german), ["description"]);
        assert_eq!(product.untranslated(arabic), ["name"]);
    }

    #[test]
    fn a_file_may_be_written_in_another_language() {
        let source = format!("locale = \"de\"\n{SELLER}{PRODUCT}\n[products.translations.en]\nname = \"Day pass\"\n");
        let file = check(&source).unwrap_or_else(|errors| panic!("{errors}"));
        assert_eq!(file.spec.locale.tag(), "de");
        assert!(file.spec.products[0].translations.contains_key(&Locale::FALLBACK));
    }

    #[test]
    fn translations_name_a_language_the_shop_speaks_other_than_the_file_s() {
        let unsupported = format!("{SELLER}{PRODUCT}\n[products.translations.fr]\nname = \"Pass journée\"\n");
        assert_eq!(
            only_problem(&unsupported),
            (19, 24, "translations: `fr` is not a supported language; use one of en, de, ar".into())
        );
        let own = format!("{SELLER}{PRODUCT}\n[products.translations.en]\nname = \"Day pass\"\n");
        assert_eq!(only_problem(&own), (19, 24, "translations.en: the file itself is in en (its `locale`)".into()));
        let empty = format!("{SELLER}{PRODUCT}\n[products.translations.de]\n");
        assert_eq!(only_problem(&empty), (19, 24, "translations.de gives neither a name nor a description".into()));
        let blank_name = format!("{SELLER}{PRODUCT}\n[products.translations.de]\nname = \" \"\n");
        assert_eq!(only_problem(&blank_name), (20, 8, "name is empty".into()));
        let unknown_key = format!("{SELLER}{PRODUCT}\n[products.translations.de]\ntitle = \"Tagespass\"\n");
        assert!(only_problem(&unknown_key).2.starts_with("unknown field `title`"), "{:?}", only_problem(&unknown_key));
        let file_locale = format!("locale = \"klingon\"\n{SELLER}{PRODUCT}");
        assert_eq!(only_problem(&file_locale), (1, 10, "locale: `klingon` is not a supported language; use one of en, de, ar".into()));
        let address = format!("{SELLER}\n[seller.translations.ar]\naddress = [\"\u{202E}evil\"]\n{PRODUCT}");
        assert_eq!(only_problem(&address), (10, 12, "an address line contains an invisible text-direction character".into()));
    }
}
