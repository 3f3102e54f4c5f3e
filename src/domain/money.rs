//! Money in integer minor units (cents), tax rates in basis points.
//!
//! Rounding rule: tax is computed **per line** on the line's net amount and
//! rounded **half up** (half away from zero) to the minor unit. Invoice totals
//! are sums of already-rounded line figures, so the lines always add up to the
//! totals printed on the invoice.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    Eur,
    Gbp,
    Usd,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported currency {0:?}; use EUR, GBP or USD")]
pub struct UnsupportedCurrency(pub String);

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Eur => "EUR",
            Self::Gbp => "GBP",
            Self::Usd => "USD",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eur => "€",
            Self::Gbp => "£",
            Self::Usd => "$",
        }
    }
}

impl FromStr for Currency {
    type Err = UnsupportedCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "EUR" => Ok(Self::Eur),
            "GBP" => Ok(Self::Gbp),
            "USD" => Ok(Self::Usd),
            _ => Err(UnsupportedCurrency(s.to_owned())),
        }
    }
}

/// An amount of money: minor units (cents) of one currency. All three
/// supported currencies have two decimal places.
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

impl fmt::Display for Money {
    /// `€1,234.56`, `-£0.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}{}{grouped}.{cents:02}", self.currency.symbol())
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
    fn formats_with_symbol_grouping_and_two_decimals() {
        assert_eq!(Money::new(0, Currency::Eur).to_string(), "€0.00");
        assert_eq!(Money::new(5, Currency::Eur).to_string(), "€0.05");
        assert_eq!(Money::new(123_456_789, Currency::Gbp).to_string(), "£1,234,567.89");
        assert_eq!(Money::new(-50, Currency::Usd).to_string(), "-$0.50");
        assert_eq!(Money::new(100_000, Currency::Eur).to_string(), "€1,000.00");
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
        assert_eq!("eur".parse::<Currency>().unwrap(), Currency::Eur);
        assert!("XYZ".parse::<Currency>().is_err());
    }
}
