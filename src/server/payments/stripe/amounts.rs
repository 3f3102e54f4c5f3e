//! Our money and Stripe's amounts.
//!
//! We keep money as integer minor units with the ISO 4217 number of digits
//! (cents for EUR, whole yen for JPY, fils for KWD). Stripe's API takes an
//! integer in *its* idea of the currency's smallest unit, which is not always
//! ISO's. Everything here follows Stripe's "Supported currencies" page,
//! <https://docs.stripe.com/currencies>:
//!
//! * "Currencies are two-decimal currencies unless otherwise specified."
//! * Zero-decimal currencies (section "Zero-decimal currencies"): "the charge
//!   and the amount are the same, without requiring multiplication. For
//!   example, to charge 500 JPY, provide an `amount` value of `500`." The list:
//!   BIF, CLP, DJF, GNF, JPY, KMF, KRW, MGA, PYG, RWF, UGX, VND, VUV, XAF, XOF,
//!   XPF. UGX is in that list *and* in "Special cases", which overrides it
//!   (below), so it is not zero-decimal here. MGA is zero-decimal at Stripe
//!   but has 2 digits in ISO 4217, so an ariary amount in our minor units must
//!   be whole ariary.
//! * Three-decimal currencies BHD, JOD, KWD, OMR, TND (section "Three-decimal
//!   currencies"): "these API calls require the least-significant (last) digit
//!   to be 0. Your integration must round amounts to the nearest ten. For
//!   example, 5.124 KWD must be rounded to 5120 or 5130." We never round money
//!   silently: an amount whose last digit is not 0 is refused, and
//!   [`stripe_step_minor`] tells the caller the step to price in.
//! * Special cases:
//!   - ISK: "ISK transitioned to a zero-decimal currency, but backward
//!     compatibility requires you to represent it as a two-decimal value, where
//!     the decimal amount is always `00`. For example, to charge 5 ISK, provide
//!     an `amount` value of `500`. You can't charge fractions of ISK."
//!     (Stripe's error for a violation is `invalid_charge_amount_no_decimal_compatible`,
//!     <https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds>.)
//!   - UGX: the same words as ISK ("to charge 5 UGX, provide an `amount` value
//!     of `500`").
//!   - HUF and TWD: "Stripe treats HUF [TWD] as a zero-decimal currency for
//!     payouts, even though you can charge two-decimal amounts." The
//!     divisible-by-100 rule is for manual payouts only, which we never make,
//!     so for charges and refunds they are ordinary two-decimal currencies.
//! * Maximum: "The `amount` value supports up to: 12 digits for most card
//!   payments, for a maximum of 999,999,999,999 in minor units" (section
//!   "Maximum charge amounts"). Nothing above that can be charged, so it is
//!   refused here; card networks, American Express (9 digits) and non-card
//!   methods (8 digits for most currencies) may refuse less, which only Stripe
//!   can say.
//! * Minimum charge amounts depend on the account's settlement currency and
//!   exchange rates, so they are left to Stripe.

use std::fmt;

use crate::domain::Currency;

/// The largest `amount` Stripe takes in any currency (12 digits).
pub const MAX_STRIPE_AMOUNT: i64 = 999_999_999_999;

/// "Zero-decimal currencies" at Stripe, less UGX (a special case, below).
const ZERO_DECIMAL: [&str; 15] =
    ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"];

/// "Three-decimal currencies" at Stripe: the last digit must be 0.
const THREE_DECIMAL: [&str; 5] = ["BHD", "JOD", "KWD", "OMR", "TND"];

/// Zero-decimal in fact, but sent as two-decimal values ending in `00`.
const WHOLE_UNITS_AS_TWO_DECIMAL: [&str; 2] = ["ISK", "UGX"];

/// Why an amount cannot go to Stripe, or come back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Not three ASCII letters.
    InvalidCurrencyCode,
    /// ISO 4217 minor units run from 0 to 4 digits.
    UnsupportedDigits(u8),
    /// Stripe amounts are never negative.
    Negative,
    /// The amount is not a whole multiple of what the other side can express:
    /// `step` is the smallest amount that is, in the units of the amount given.
    NotRepresentable { step: i64 },
    /// More than Stripe's 12 digits, or more than an `i64` holds.
    TooLarge,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCurrencyCode => f.write_str("not an ISO 4217 currency code"),
            Self::UnsupportedDigits(d) => write!(f, "{d} minor-unit digits is not an ISO 4217 currency"),
            Self::Negative => f.write_str("negative amount"),
            Self::NotRepresentable { step } => write!(f, "amount is not a multiple of {step}"),
            Self::TooLarge => f.write_str("amount too large"),
        }
    }
}

impl std::error::Error for AmountError {}

/// Upper-case ISO code, or an error when `code` is not three ASCII letters.
pub fn normalize_code(code: &str) -> Result<String, AmountError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(AmountError::InvalidCurrencyCode)
    }
}

/// How many decimals Stripe's amounts carry for `code` (0, 2 or 3).
pub fn stripe_decimals(code: &str) -> Result<u8, AmountError> {
    let code = normalize_code(code)?;
    Ok(if ZERO_DECIMAL.contains(&code.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&code.as_str()) {
        3
    } else {
        2
    })
}

/// The step every Stripe amount in `code` must be a multiple of, in Stripe's
/// units: 100 for ISK and UGX (whole units), 10 for the three-decimal
/// currencies, 1 otherwise.
pub fn stripe_step(code: &str) -> Result<i64, AmountError> {
    let code = normalize_code(code)?;
    Ok(if WHOLE_UNITS_AS_TWO_DECIMAL.contains(&code.as_str()) {
        100
    } else if THREE_DECIMAL.contains(&code.as_str()) {
        10
    } else {
        1
    })
}

/// The smallest amount Stripe can charge in `code`, in our minor units with
/// `iso_digits` digits: prices and totals must be multiples of it (1 for
/// EUR, 10 fils for KWD, 100 for MGA amounts kept in ISO's 2 digits).
pub fn stripe_step_minor(code: &str, iso_digits: u8) -> Result<i64, AmountError> {
    check_digits(iso_digits)?;
    let step = stripe_step(code)?;
    let stripe = stripe_decimals(code)?;
    // step × 10^(iso − stripe), rounded up to a whole minor unit.
    Ok(if iso_digits >= stripe {
        step * pow10(iso_digits - stripe)
    } else {
        let down = pow10(stripe - iso_digits);
        ((step + down - 1) / down).max(1)
    })
}

/// Our minor units (`iso_digits` decimals) → Stripe's `amount`.
pub fn to_stripe_amount(code: &str, iso_digits: u8, amount_minor: i64) -> Result<i64, AmountError> {
    check_digits(iso_digits)?;
    let stripe = stripe_decimals(code)?;
    let step = stripe_step(code)?;
    if amount_minor < 0 {
        return Err(AmountError::Negative);
    }
    let amount = if stripe >= iso_digits {
        amount_minor.checked_mul(pow10(stripe - iso_digits)).ok_or(AmountError::TooLarge)?
    } else {
        let divisor = pow10(iso_digits - stripe);
        if amount_minor % divisor != 0 {
            return Err(AmountError::NotRepresentable { step: stripe_step_minor(code, iso_digits)? });
        }
        amount_minor / divisor
    };
    if amount % step != 0 {
        return Err(AmountError::NotRepresentable { step: stripe_step_minor(code, iso_digits)? });
    }
    if amount > MAX_STRIPE_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(amount)
}

/// Stripe's `amount` → our minor units (`iso_digits` decimals).
pub fn from_stripe_amount(code: &str, iso_digits: u8, stripe_amount: i64) -> Result<i64, AmountError> {
    check_digits(iso_digits)?;
    let stripe = stripe_decimals(code)?;
    if stripe_amount < 0 {
        return Err(AmountError::Negative);
    }
    if stripe >= iso_digits {
        let divisor = pow10(stripe - iso_digits);
        if stripe_amount % divisor != 0 {
            return Err(AmountError::NotRepresentable { step: divisor });
        }
        Ok(stripe_amount / divisor)
    } else {
        stripe_amount.checked_mul(pow10(iso_digits - stripe)).ok_or(AmountError::TooLarge)
    }
}

/// [`to_stripe_amount`] for one of our currencies.
pub fn to_stripe(currency: Currency, amount_minor: i64) -> Result<i64, AmountError> {
    to_stripe_amount(currency.code(), currency.digits(), amount_minor)
}

/// [`from_stripe_amount`] for one of our currencies.
pub fn from_stripe(currency: Currency, stripe_amount: i64) -> Result<i64, AmountError> {
    from_stripe_amount(currency.code(), currency.digits(), stripe_amount)
}

/// The ISO 4217 minor-unit digits of `code`, for an amount Stripe reports.
pub fn iso_digits(code: &str) -> Result<u8, AmountError> {
    code.parse::<Currency>().map(Currency::digits).map_err(|_| AmountError::InvalidCurrencyCode)
}

fn check_digits(iso_digits: u8) -> Result<(), AmountError> {
    if iso_digits <= 4 { Ok(()) } else { Err(AmountError::UnsupportedDigits(iso_digits)) }
}

fn pow10(exp: u8) -> i64 {
    10_i64.pow(u32::from(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Currencies are two-decimal currencies unless otherwise specified ...
    // `1000` to charge 10 USD" (docs.stripe.com/currencies, "Specify amounts").
    #[test]
    fn two_decimal_currencies_pass_through() {
        assert_eq!(to_stripe(Currency::USD, 1000), Ok(1000));
        assert_eq!(to_stripe(Currency::EUR, 1099), Ok(1099));
        assert_eq!(to_stripe(Currency::GBP, 1), Ok(1));
        assert_eq!(from_stripe(Currency::EUR, 1099), Ok(1099));
        assert_eq!(to_stripe_amount("chf", 2, 50), Ok(50));
        assert_eq!(stripe_decimals("eur"), Ok(2));
        assert_eq!(stripe_step_minor("EUR", 2), Ok(1));
        assert_eq!(to_stripe(Currency::USD, 0), Ok(0));
    }

    // "to charge 500 JPY, provide an `amount` value of `500`" (Zero-decimal currencies).
    #[test]
    fn zero_decimal_currencies_are_not_multiplied() {
        for code in ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"] {
            assert_eq!(stripe_decimals(code), Ok(0), "{code}");
            assert_eq!(iso_digits(code), Ok(0), "{code}");
            assert_eq!(to_stripe_amount(code, 0, 500), Ok(500), "{code}");
            assert_eq!(from_stripe_amount(code, 0, 500), Ok(500), "{code}");
        }
        assert_eq!(to_stripe_amount("jpy", 0, 10), Ok(10));
    }

    // MGA is in Stripe's zero-decimal list but has 2 digits in ISO 4217: an
    // amount in ariary cents must be whole ariary.
    #[test]
    fn mga_is_zero_decimal_at_stripe_but_two_digit_in_iso() {
        assert_eq!(iso_digits("MGA"), Ok(2));
        assert_eq!(stripe_decimals("MGA"), Ok(0));
        assert_eq!(to_stripe_amount("MGA", 2, 12_300), Ok(123));
        assert_eq!(to_stripe_amount("MGA", 2, 12_345), Err(AmountError::NotRepresentable { step: 100 }));
        assert_eq!(from_stripe_amount("MGA", 2, 123), Ok(12_300));
        assert_eq!(stripe_step_minor("MGA", 2), Ok(100));
    }

    // "to charge 5 ISK, provide an `amount` value of `500`. You can't charge
    // fractions of ISK." (Special cases); the same words for UGX.
    #[test]
    fn isk_and_ugx_are_whole_units_sent_with_two_decimals() {
        for code in ["ISK", "UGX"] {
            assert_eq!(iso_digits(code), Ok(0), "{code}");
            assert_eq!(stripe_decimals(code), Ok(2), "{code}");
            assert_eq!(to_stripe_amount(code, 0, 5), Ok(500), "{code}");
            assert_eq!(from_stripe_amount(code, 0, 500), Ok(5), "{code}");
            // A fractional amount back from Stripe has no ISO representation.
            assert_eq!(from_stripe_amount(code, 0, 550), Err(AmountError::NotRepresentable { step: 100 }), "{code}");
            // Kept in two digits (the pre-2023 ISO view), only whole units go.
            assert_eq!(to_stripe_amount(code, 2, 500), Ok(500), "{code}");
            assert_eq!(to_stripe_amount(code, 2, 510), Err(AmountError::NotRepresentable { step: 100 }), "{code}");
            assert_eq!(stripe_step_minor(code, 0), Ok(1), "{code}");
            assert_eq!(stripe_step_minor(code, 2), Ok(100), "{code}");
        }
    }

    // "Stripe treats HUF [TWD] as a zero-decimal currency for payouts, even
    // though you can charge two-decimal amounts." (Special cases): charges of
    // HUF 10.45 are fine.
    #[test]
    fn huf_and_twd_charge_two_decimal_amounts() {
        for code in ["HUF", "TWD"] {
            assert_eq!(iso_digits(code), Ok(2), "{code}");
            assert_eq!(to_stripe_amount(code, 2, 1045), Ok(1045), "{code}");
            assert_eq!(from_stripe_amount(code, 2, 80_045), Ok(80_045), "{code}");
            assert_eq!(stripe_step_minor(code, 2), Ok(1), "{code}");
        }
    }

    // "these API calls require the least-significant (last) digit to be 0 ...
    // 5.124 KWD must be rounded to 5120 or 5130." (Three-decimal currencies)
    #[test]
    fn three_decimal_currencies_need_a_last_digit_of_zero() {
        for code in ["BHD", "JOD", "KWD", "OMR", "TND"] {
            assert_eq!(iso_digits(code), Ok(3), "{code}");
            assert_eq!(stripe_decimals(code), Ok(3), "{code}");
            assert_eq!(to_stripe_amount(code, 3, 5120), Ok(5120), "{code}");
            assert_eq!(to_stripe_amount(code, 3, 5130), Ok(5130), "{code}");
            assert_eq!(to_stripe_amount(code, 3, 5124), Err(AmountError::NotRepresentable { step: 10 }), "{code}");
            assert_eq!(from_stripe_amount(code, 3, 5124), Ok(5124), "{code}");
            assert_eq!(stripe_step_minor(code, 3), Ok(10), "{code}");
        }
        // IQD and LYD have three ISO digits but are not three-decimal at
        // Stripe: two-decimal there, so only whole tens of fils go.
        assert_eq!(to_stripe_amount("IQD", 3, 1230), Ok(123));
        assert_eq!(to_stripe_amount("IQD", 3, 1234), Err(AmountError::NotRepresentable { step: 10 }));
        assert_eq!(from_stripe_amount("IQD", 3, 123), Ok(1230));
    }

    // "12 digits for most card payments, for a maximum of 999,999,999,999 in
    // minor units" (Maximum charge amounts).
    #[test]
    fn amounts_above_twelve_digits_are_refused() {
        assert_eq!(to_stripe(Currency::EUR, MAX_STRIPE_AMOUNT), Ok(MAX_STRIPE_AMOUNT));
        assert_eq!(to_stripe(Currency::EUR, MAX_STRIPE_AMOUNT + 1), Err(AmountError::TooLarge));
        assert_eq!(to_stripe_amount("ISK", 0, 10_000_000_000), Err(AmountError::TooLarge));
        assert_eq!(to_stripe_amount("ISK", 0, i64::MAX), Err(AmountError::TooLarge));
        assert_eq!(from_stripe_amount("CLF", 4, i64::MAX), Err(AmountError::TooLarge));
    }

    #[test]
    fn nonsense_is_an_error_not_a_panic() {
        assert_eq!(to_stripe(Currency::EUR, -1), Err(AmountError::Negative));
        assert_eq!(from_stripe(Currency::EUR, -1), Err(AmountError::Negative));
        assert_eq!(to_stripe_amount("EURO", 2, 1), Err(AmountError::InvalidCurrencyCode));
        assert_eq!(to_stripe_amount("E1R", 2, 1), Err(AmountError::InvalidCurrencyCode));
        assert_eq!(to_stripe_amount("€€", 2, 1), Err(AmountError::InvalidCurrencyCode));
        assert_eq!(to_stripe_amount("", 2, 1), Err(AmountError::InvalidCurrencyCode));
        assert_eq!(to_stripe_amount("EUR", 5, 1), Err(AmountError::UnsupportedDigits(5)));
        assert_eq!(stripe_step_minor("EUR", 9), Err(AmountError::UnsupportedDigits(9)));
        assert_eq!(to_stripe_amount("EUR", 2, i64::MIN), Err(AmountError::Negative));
    }

    #[test]
    fn four_digit_iso_currencies_scale_down_exactly() {
        assert_eq!(iso_digits("CLF"), Ok(4));
        assert_eq!(to_stripe_amount("CLF", 4, 12_300), Ok(123));
        assert_eq!(to_stripe_amount("CLF", 4, 12_345), Err(AmountError::NotRepresentable { step: 100 }));
        assert_eq!(from_stripe_amount("CLF", 4, 123), Ok(12_300));
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(stripe_decimals("jpy"), Ok(0));
        assert_eq!(stripe_step("isk"), Ok(100));
        assert_eq!(normalize_code("eur"), Ok("EUR".to_owned()));
    }
}
