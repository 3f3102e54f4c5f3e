//! Money in integer minor units of its currency (cents, whole yen, fils),
//! tax rates in basis points.
//!
//! Rounding rule: tax is computed **per line** on the line's net amount and
//! rounded **half up** (half away from zero) to the minor unit. Invoice totals
//! are sums of already-rounded line figures, so the lines always add up to the
//! totals printed on the invoice.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::iso4217::{CURRENCIES, WITHOUT_MINOR_UNIT};

/// An ISO 4217 currency money can be kept in, with its number of minor-unit
/// digits (2 for EUR, 0 for JPY, 3 for KWD). Only the table in `iso4217`
/// makes one, so every `Currency` is a real code with a real minor unit.
#[derive(Clone, Copy)]
pub struct Currency {
    code: &'static str,
    digits: u8,
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Currency {}

impl Hash for Currency {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code.hash(state);
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Why a text is not a currency money can be kept in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnsupportedCurrency {
    #[error("{0:?} is not an ISO 4217 currency code (three letters, like EUR)")]
    NotACode(String),
    #[error("{0} has no minor unit in ISO 4217, so prices cannot be kept in it")]
    NoMinorUnit(String),
    #[error("{0} is not an ISO 4217 currency")]
    Unknown(String),
}

impl Currency {
    pub const EUR: Self = Self { code: "EUR", digits: 2 };
    pub const GBP: Self = Self { code: "GBP", digits: 2 };
    pub const USD: Self = Self { code: "USD", digits: 2 };
    pub const JPY: Self = Self { code: "JPY", digits: 0 };
    pub const KWD: Self = Self { code: "KWD", digits: 3 };

    /// The upper-case ISO code.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// How many digits its minor unit has: amounts are kept in
    /// 10^-digits of the currency (cents, whole yen, fils).
    pub fn digits(self) -> u8 {
        self.digits
    }
}

impl FromStr for Currency {
    type Err = UnsupportedCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(UnsupportedCurrency::NotACode(code.chars().take(16).collect()));
        }
        let code = code.to_ascii_uppercase();
        match CURRENCIES.binary_search_by(|(known, _)| (*known).cmp(code.as_str())) {
            Ok(at) => {
                let (code, digits) = CURRENCIES[at];
                Ok(Self { code, digits })
            }
            Err(_) if WITHOUT_MINOR_UNIT.contains(&code.as_str()) => Err(UnsupportedCurrency::NoMinorUnit(code)),
            Err(_) => Err(UnsupportedCurrency::Unknown(code)),
        }
    }
}

/// An amount of money: minor units of one currency (cents, whole yen, fils).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
}

/// A tax rate in basis points: 2100 is 21 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRate(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tax rate must be between 0 % and 100 %")]
pub struct InvalidTaxRate;

impl TaxRate {
    pub fn from_basis_points(bp: u32) -> Result<Self, InvalidTaxRate> {
        if bp <= 10_000 {
            Ok(Self(bp))
        } else {
            Err(InvalidTaxRate)
        }
    }

    /// A rate as stored (a BIGINT of basis points); `None` if out of range.
    pub fn from_stored(bp: i64) -> Option<Self> {
        u32::try_from(bp).ok().and_then(|bp| Self::from_basis_points(bp).ok())
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl fmt::Display for TaxRate {
    /// `21%`, `5.5%`, `0%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let frac = format!("{frac:02}");
            write!(f, "{whole}.{}%", frac.trim_end_matches('0'))
        }
    }
}

/// The figures of one invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    pub net_minor: i64,
    pub tax_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the line amount is too large")]
pub struct AmountOverflow;

impl LineAmounts {
    pub fn compute(quantity: u32, unit_price_minor: i64, rate: TaxRate) -> Result<Self, AmountOverflow> {
        let net = i128::from(quantity) * i128::from(unit_price_minor);
        let tax = round_half_up_div(net * i128::from(rate.0), 10_000);
        Ok(Self {
            net_minor: i64::try_from(net).map_err(|_| AmountOverflow)?,
            tax_minor: i64::try_from(tax).map_err(|_| AmountOverflow)?,
        })
    }
}

/// `numerator / denominator` rounded half away from zero (denominator > 0).
fn round_half_up_div(numerator: i128, denominator: i128) -> i128 {
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(bp: u32) -> TaxRate {
        TaxRate::from_basis_points(bp).unwrap()
    }

    #[test]
    fn tax_is_rounded_half_up_per_line() {
        // 21 % of €0.50 is 10.5 cents: half rounds up to 11.
        assert_eq!(LineAmounts::compute(1, 50, rate(2100)).unwrap(), LineAmounts { net_minor: 50, tax_minor: 11 });
        // 21 % of €0.49 is 10.29 cents: rounds down to 10.
        assert_eq!(LineAmounts::compute(1, 49, rate(2100)).unwrap().tax_minor, 10);
        // 9 % of 3 × €2.50 = €7.50 → 67.5 cents → 68.
        assert_eq!(LineAmounts::compute(3, 250, rate(900)).unwrap().tax_minor, 68);
        // Refund lines round symmetrically.
        assert_eq!(LineAmounts::compute(1, -50, rate(2100)).unwrap().tax_minor, -11);
    }

    #[test]
    fn zero_rate_lines_have_no_tax() {
        let line = LineAmounts::compute(2, 2_500, rate(0)).unwrap();
        assert_eq!(line, LineAmounts { net_minor: 5_000, tax_minor: 0 });
    }

    #[test]
    fn huge_amounts_overflow_cleanly() {
        assert_eq!(LineAmounts::compute(u32::MAX, i64::MAX, rate(2100)), Err(AmountOverflow));
    }

    #[test]
    fn tax_rate_bounds_and_display() {
        assert!(TaxRate::from_basis_points(10_001).is_err());
        assert_eq!(rate(2100).to_string(), "21%");
        assert_eq!(rate(550).to_string(), "5.5%");
        assert_eq!(rate(0).to_string(), "0%");
        assert_eq!(rate(1275).to_string(), "12.75%");
    }

    #[test]
    fn currency_codes_parse_in_any_case() {
        assert_eq!("eur".parse::<Currency>().unwrap(), Currency::EUR);
        assert_eq!(" jpy ".parse::<Currency>().unwrap().digits(), 0);
        assert_eq!("BHD".parse::<Currency>().unwrap().digits(), 3);
        assert_eq!("XYZ".parse::<Currency>(), Err(UnsupportedCurrency::Unknown("XYZ".into())));
        assert_eq!("xau".parse::<Currency>(), Err(UnsupportedCurrency::NoMinorUnit("XAU".into())));
        assert_eq!("EURO".parse::<Currency>(), Err(UnsupportedCurrency::NotACode("EURO".into())));
        assert_eq!("€".parse::<Currency>(), Err(UnsupportedCurrency::NotACode("€".into())));
    }

    #[test]
    fn the_named_currencies_are_the_table_s() {
        for named in [Currency::EUR, Currency::GBP, Currency::USD, Currency::JPY, Currency::KWD] {
            let parsed: Currency = named.code().parse().unwrap();
            assert_eq!((parsed.code(), parsed.digits()), (named.code(), named.digits()));
        }
    }
}
