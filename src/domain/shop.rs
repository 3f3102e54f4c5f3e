//! The operator's shop as the shop file describes it: who sells (the
//! letterhead printed on pages, emails and invoices, and the currency) and
//! what is for sale. Each type here is valid once it exists; the shop file's
//! reader (`server::shop`) makes them and says exactly where a file is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::domain::locale::Locale;
use crate::domain::{Currency, TaxRate};

/// A product's stable name in the shop file, which links it to its row
/// across applies: lower-case letters and digits in words joined by single
/// hyphens (`day-pass`, `10-visit-bundle`), at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a slug is lower-case letters and digits in words joined by single hyphens (like day-pass), at most 64 characters")]
pub struct InvalidSlug;

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = InvalidSlug;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let well_formed = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.split('-').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if well_formed {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An sRGB colour written `#rrggbb` (or `#rgb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Accent {
    pub red: u8,
    pub green: u8,
    pub blue: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a colour is written #rrggbb or #rgb in hexadecimal, like #0b5d3b")]
pub struct InvalidColour;

/// What the accent sits behind or on: buttons and the basket count put
/// white text on it, and links and the header's navigation put it as text
/// on white cards and on the page's background.
pub const ACCENT_PARTNERS: [(&str, Accent); 2] =
    [("white text", Accent::rgb(0xff, 0xff, 0xff)), ("the page background #f4f6f9", Accent::rgb(0xf4, 0xf6, 0xf9))];

/// WCAG 2.x level AA for normal text: a contrast ratio of at least 4.5:1.
pub const AA_CONTRAST: f64 = 4.5;

impl Accent {
    /// The app's own accent, for a shop whose file names none.
    pub const DEFAULT: Self = Self::rgb(0x1f, 0x5f, 0x8b);

    pub const fn rgb(red: u8, green: u8, blue: u8) -> Self {
        Self { red, green, blue }
    }

    /// `#rrggbb`, lower case: its canonical text.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.red, self.green, self.blue)
    }

    /// WCAG 2.x relative luminance.
    pub fn relative_luminance(self) -> f64 {
        let channel = |value: u8| {
            let c = f64::from(value) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.red) + 0.7152 * channel(self.green) + 0.0722 * channel(self.blue)
    }

    /// WCAG 2.x contrast ratio with `other`, from 1 to 21.
    pub fn contrast_with(self, other: Self) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// The first partner (see [`ACCENT_PARTNERS`]) this colour fails AA
    /// against, with the ratio it reaches.
    pub fn fails_contrast(self) -> Option<(&'static str, f64)> {
        ACCENT_PARTNERS
            .iter()
            .map(|(name, partner)| (*name, self.contrast_with(*partner)))
            .find(|(_, ratio)| *ratio < AA_CONTRAST)
    }

    /// The same hue darkened by a fifth: buttons' hover colour.
    pub fn darker(self) -> Self {
        let darken = |value: u8| ((u16::from(value) * 4) / 5) as u8;
        Self::rgb(darken(self.red), darken(self.green), darken(self.blue))
    }
}

impl FromStr for Accent {
    type Err = InvalidColour;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix('#').ok_or(InvalidColour)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(InvalidColour);
        }
        let channel = |digits: &str| u8::from_str_radix(digits, 16).map_err(|_| InvalidColour);
        match hex.len() {
            6 => Ok(Self::rgb(channel(&hex[0..2])?, channel(&hex[2..4])?, channel(&hex[4..6])?)),
            3 => {
                let double = |i: usize| channel(&hex[i..=i].repeat(2));
                Ok(Self::rgb(double(0)?, double(1)?, double(2)?))
            }
            _ => Err(InvalidColour),
        }
    }
}

/// The image formats a logo can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogoFormat {
    Svg,
    Png,
}

impl LogoFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }

    pub fn from_media_type(raw: &str) -> Option<Self> {
        [Self::Svg, Self::Png].into_iter().find(|format| format.media_type() == raw)
    }

    pub fn from_extension(raw: &str) -> Option<Self> {
        [Self::Svg, Self::Png].into_iter().find(|format| format.extension().eq_ignore_ascii_case(raw))
    }
}

/// A logo kept by the shop: its content's SHA-256 (hex) names it for ever,
/// so an invoice that printed it prints the same bytes after any change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogoRef {
    pub sha256: String,
    pub format: LogoFormat,
}

impl LogoRef {
    /// Where the app serves it, on its own origin.
    pub fn path(&self) -> String {
        format!("/shop/logo/{}.{}", self.sha256, self.format.extension())
    }
}

/// What an invoice, a page header and an email print of the seller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    pub name: String,
    /// In the shop file's language.
    pub address_lines: Vec<String>,
    /// The address where another language writes it differently (a
    /// country's name, say); a language without one prints `address_lines`.
    pub translated_addresses: BTreeMap<Locale, Vec<String>>,
    /// The VAT or tax number; may be empty.
    pub tax_id: String,
    pub email: String,
    pub accent: Accent,
    pub logo: Option<LogoRef>,
}

impl Default for Letterhead {
    /// A shop that has applied no file yet.
    fn default() -> Self {
        Self {
            name: "Harbourside Coworking B.V.".into(),
            address_lines: vec!["Westerdok 12".into(), "1013 BV Amsterdam".into(), "Netherlands".into()],
            tax_id: "NL859231476B01".into(),
            email: "billing@harbourside.example".into(),
            accent: Accent::DEFAULT,
            logo: None,
            translated_addresses: BTreeMap::new(),
        }
    }
}

impl Letterhead {
    /// The address lines as `locale` prints them.
    pub fn address_in(&self, locale: Locale) -> &[String] {
        self.translated_addresses.get(&locale).unwrap_or(&self.address_lines)
    }

    /// A stable digest of everything printed, so equal letterheads are
    /// stored once and an invoice can point at the one it was issued with.
    pub fn fingerprint(&self) -> String {
        // Length-prefixed fields: no two letterheads share an encoding.
        let mut encoded = Vec::new();
        let mut field = |text: &str| {
            encoded.extend_from_slice(&(text.len() as u64).to_be_bytes());
            encoded.extend_from_slice(text.as_bytes());
        };
        field(&self.name);
        field(&self.address_lines.len().to_string());
        for line in &self.address_lines {
            field(line);
        }
        field(&self.tax_id);
        field(&self.email);
        field(&self.accent.hex());
        field(self.logo.as_ref().map_or("", |logo| logo.sha256.as_str()));
        field(self.logo.as_ref().map_or("", |logo| logo.format.media_type()));
        // Only when there are any, so a letterhead stored before languages keeps its fingerprint.
        for (locale, lines) in &self.translated_addresses {
            field(locale.tag());
            field(&lines.len().to_string());
            for line in lines {
                field(line);
            }
        }
        crate::domain::ids::sha256_hex(&encoded, 32)
    }
}

/// The seller: its letterhead and the currency its prices are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seller {
    pub letterhead: Letterhead,
    pub currency: Currency,
}

impl Default for Seller {
    fn default() -> Self {
        Self { letterhead: Letterhead::default(), currency: Currency::EUR }
    }
}

/// The most of one product a basket may hold, whatever the shop file says.
pub const MAX_QUANTITY_CEILING: u32 = 999;

/// A product as the shop file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSpec {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    /// Net of tax, in the shop currency's minor units; at least 1.
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
    /// Catalogue order, lowest first.
    pub position: i64,
    /// The most of it one basket may hold (1 to [`MAX_QUANTITY_CEILING`]).
    pub max_quantity: u32,
    /// Listed for sale; an inactive product stays in the file and out of the catalogue.
    pub active: bool,
    /// Its name and description in other languages than the file's.
    pub translations: BTreeMap<Locale, ProductText>,
}

/// A product's words in one language; what is missing shows in the shop
/// file's own language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductText {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl ProductSpec {
    /// What a shopper reading `locale` would see in the file's language instead:
    /// `name`, `description` (a product without a description needs none).
    pub fn untranslated(&self, locale: Locale) -> Vec<&'static str> {
        let text = self.translations.get(&locale);
        let mut missing = Vec::new();
        if text.is_none_or(|text| text.name.is_none()) {
            missing.push("name");
        }
        if !self.description.is_empty() && text.is_none_or(|text| text.description.is_none()) {
            missing.push("description");
        }
        missing
    }
}

/// A whole shop file, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopSpec {
    /// The language the file's names, descriptions and address are written in.
    pub locale: Locale,
    pub seller: Seller,
    pub products: Vec<ProductSpec>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_hyphenated_lower_case_words() {
        for good in ["day-pass", "10-visit-bundle", "a", "x1"] {
            assert!(good.parse::<Slug>().is_ok(), "{good}");
        }
        for bad in ["", "Day-Pass", "day_pass", "-day", "day-", "day--pass", "dáy", &"a".repeat(65)] {
            assert!(bad.parse::<Slug>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn colours_parse_in_both_hex_forms() {
        assert_eq!("#0b5d3b".parse::<Accent>().unwrap(), Accent::rgb(0x0b, 0x5d, 0x3b));
        assert_eq!("#0B5D3B".parse::<Accent>().unwrap().hex(), "#0b5d3b");
        assert_eq!("#fa0".parse::<Accent>().unwrap(), Accent::rgb(0xff, 0xaa, 0x00));
        for bad in ["0b5d3b", "#0b5d3", "#0b5d3bff", "#ggg", "green", "#", "#+1+2+3"] {
            assert!(bad.parse::<Accent>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        let white = Accent::rgb(255, 255, 255);
        let black = Accent::rgb(0, 0, 0);
        assert!((black.contrast_with(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast_with(white) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #767676 on white is 4.54:1, #777777 is 4.48:1.
        assert!((Accent::rgb(0x76, 0x76, 0x76).contrast_with(white) - 4.54).abs() < 0.01);
        assert!(Accent::rgb(0x77, 0x77, 0x77).contrast_with(white) < AA_CONTRAST);
    }

    #[test]
    fn the_default_and_the_example_accents_pass_aa_and_yellow_fails() {
        assert_eq!(Accent::DEFAULT.fails_contrast(), None);
        assert_eq!("#0b5d3b".parse::<Accent>().unwrap().fails_contrast(), None);
        let (against, ratio) = "#ffd700".parse::<Accent>().unwrap().fails_contrast().unwrap();
        assert_eq!(against, "white text");
        assert!(ratio < 2.0, "{ratio}");
    }

    #[test]
    fn letterheads_with_any_difference_have_different_fingerprints() {
        let base = Letterhead::default();
        let moved = Letterhead { address_lines: vec!["Westerdok 12 1013 BV Amsterdam".into(), "Netherlands".into()], ..base.clone() };
        let recoloured = Letterhead { accent: Accent::rgb(0, 0, 0), ..base.clone() };
        assert_eq!(base.fingerprint(), Letterhead::default().fingerprint());
        assert_ne!(base.fingerprint(), moved.fingerprint());
        assert_ne!(base.fingerprint(), recoloured.fingerprint());
        assert_eq!(base.fingerprint().len(), 64);
        let german: Locale = "de".parse().unwrap();
        let translated = Letterhead {
            translated_addresses: BTreeMap::from([(german, vec!["Westerdok 12".into(), "1013 BV Amsterdam".into(), "Niederlande".into()])]),
            ..base.clone()
        };
        assert_ne!(base.fingerprint(), translated.fingerprint());
        // The letterhead stored before languages keeps its fingerprint (a fixed value from that version).
        assert_eq!(&base.fingerprint()[..16], "76d8709a18c85c98");
        assert_eq!(translated.address_in(german)[2], "Niederlande");
        assert_eq!(translated.address_in("ar".parse().unwrap())[2], "Netherlands");
    }

    #[test]
    fn a_product_lists_what_a_language_lacks() {
        let german: Locale = "de".parse().unwrap();
        let mut product = ProductSpec {
            slug: "day-pass".parse().unwrap(),
            name: "Day Pass".into(),
            description: "A desk for a day.".into(),
            unit_price_minor: 2500,
            tax_rate: TaxRate::from_basis_points(2100).unwrap(),
            position: 1,
            max_quantity: 99,
            active: true,
            translations: BTreeMap::new(),
        };
        assert_eq!(product.untranslated(german), ["name", "description"]);
        product.translations.insert(german, ProductText { name: Some("Tagespass".into()), description: None });
        assert_eq!(product.untranslated(german), ["description"]);
        product.description.clear();
        assert!(product.untranslated(german).is_empty(), "nothing to translate");
    }
}
