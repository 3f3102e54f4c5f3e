//! Money and dates as each locale writes them, from CLDR (ICU4X). The one
//! place either is turned into text for people: nothing formats money by
//! hand.
//!
//! Formatters are built once per thread and locale (currency too, for
//! money): building one looks its data up.

use std::cell::RefCell;
use std::collections::HashMap;

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{YMD, YMDT};
use icu_datetime::input::{DateTime, Time};
use icu_datetime::options::TimePrecision;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::preferences::extensions::unicode::keywords::CurrencyType;

use crate::domain::locale::Locale;
use crate::domain::money::{Money, TaxRate};
use crate::domain::time::Timestamp;

/// The CLDR locale whose conventions a locale writes money and dates in.
/// English is British English (`7 Dec 2026`); plain `ar` keeps Latin
/// digits, as the Arabic catalogue's numbers are written.
fn cldr_locale(locale: Locale) -> icu_locale_core::Locale {
    let tag = match locale.tag() {
        "en" | "en-XA" => "en-GB",
        tag => tag,
    };
    tag.parse().expect("supported tags are valid CLDR locales")
}

thread_local! {
    static MONEY: RefCell<HashMap<(Locale, &'static str), Option<CurrencyFormatter<DecimalFormatter>>>> = RefCell::new(HashMap::new());
    static PERCENTS: RefCell<HashMap<Locale, Option<PercentFormatter<DecimalFormatter>>>> = RefCell::new(HashMap::new());
    static DATES: RefCell<HashMap<Locale, Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>>> = RefCell::new(HashMap::new());
    static DATE_TIMES: RefCell<HashMap<Locale, Option<FixedCalendarDateTimeFormatter<Gregorian, YMDT>>>> = RefCell::new(HashMap::new());
}

/// `amount` as `locale` writes it: en `£1,234.50`, de `1.234,50 €` (a
/// no-break space), ar `\u{200F}1,234.50 €` (a right-to-left mark first).
pub fn money(locale: Locale, amount: Money) -> String {
    let mut decimal = Decimal::from(amount.minor);
    // Minor units to units: the currency's own exponent (JPY 0, EUR 2, KWD 3).
    decimal.multiply_pow10(-i16::from(amount.currency.digits()));
    MONEY.with_borrow_mut(|formatters| {
        let formatter = formatters.entry((locale, amount.currency.code())).or_insert_with(|| {
            let code = CurrencyType::try_from_str(amount.currency.code()).ok()?;
            CurrencyFormatter::try_new_symbol(cldr_locale(locale).into(), code, Default::default())
                .inspect_err(|error| tracing::error!(%error, currency = amount.currency.code(), %locale, "no currency format"))
                .ok()
        });
        match formatter {
            Some(formatter) => formatter.format_fixed_decimal(&decimal).to_string(),
            // Every ISO 4217 code has CLDR data; should one not, the amount still reads right.
            None => format!("{} {decimal}", amount.currency.code()),
        }
    })
}

/// A tax rate as `locale` writes a percentage: en `21%`, de `5,5 %`.
pub fn percent(locale: Locale, rate: TaxRate) -> String {
    let mut decimal = Decimal::from(rate.basis_points());
    decimal.multiply_pow10(-2);
    decimal.trim_end();
    PERCENTS.with_borrow_mut(|formatters| {
        let formatter = formatters.entry(locale).or_insert_with(|| {
            PercentFormatter::try_new(cldr_locale(locale).into(), Default::default())
                .inspect_err(|error| tracing::error!(%error, %locale, "no percent format"))
                .ok()
        });
        match formatter {
            Some(formatter) => formatter.format(&decimal).to_string(),
            None => format!("{decimal}%"),
        }
    })
}

/// The day of `at` (UTC) in the Gregorian calendar: en `7 Dec 2026`, de
/// `07.12.2026`, ar `07\u{200F}/12\u{200F}/2026`.
pub fn date(locale: Locale, at: Timestamp) -> String {
    let Some(day) = gregorian_date(at) else { return "—".into() };
    DATES.with_borrow_mut(|formatters| {
        let formatter = formatters.entry(locale).or_insert_with(|| {
            FixedCalendarDateTimeFormatter::try_new(cldr_locale(locale).into(), YMD::medium())
                .inspect_err(|error| tracing::error!(%error, %locale, "no date format"))
                .ok()
        });
        match formatter {
            Some(formatter) => formatter.format(&day).to_string(),
            None => crate::domain::time::Timestamp::to_rfc3339(at).chars().take(10).collect(),
        }
    })
}

/// The day and minute of `at` (UTC), as `locale` writes them; the
/// catalogues say it is UTC.
pub fn date_time(locale: Locale, at: Timestamp) -> String {
    let Some(utc) = at.utc() else { return "—".into() };
    let Some(day) = gregorian_date(at) else { return "—".into() };
    let Ok(time) = Time::try_new(utc.hour(), utc.minute(), 0, 0) else { return "—".into() };
    DATE_TIMES.with_borrow_mut(|formatters| {
        let formatter = formatters.entry(locale).or_insert_with(|| {
            FixedCalendarDateTimeFormatter::try_new(
                cldr_locale(locale).into(),
                YMDT::medium().with_time_precision(TimePrecision::Minute),
            )
            .inspect_err(|error| tracing::error!(%error, %locale, "no date-time format"))
            .ok()
        });
        match formatter {
            Some(formatter) => formatter.format(&DateTime { date: day, time }).to_string(),
            None => at.to_rfc3339(),
        }
    })
}

fn gregorian_date(at: Timestamp) -> Option<Date<Gregorian>> {
    let utc = at.utc()?;
    Date::try_new_gregorian(utc.year(), u8::from(utc.month()), utc.day()).ok()
}

#[cfg(test)]
mod tests {
    //! Golden strings, with every invisible character written out: CLDR's
    //! no-break spaces and direction marks are part of the answer.

    use super::*;
    use crate::domain::money::Currency;

    fn locale(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    #[test]
    fn money_in_each_locale() {
        let cases = [
            ("en", Currency::GBP, 123_450, "\u{A3}1,234.50"),
            ("en", Currency::EUR, 123_450, "\u{20AC}1,234.50"),
            ("de", Currency::EUR, 123_450, "1.234,50\u{A0}\u{20AC}"),
            ("ar", Currency::EUR, 123_450, "\u{200F}1,234.50\u{A0}\u{20AC}"),
            ("en", Currency::GBP, -5, "-\u{A3}0.05"),
            ("de", Currency::EUR, -123_450, "-1.234,50\u{A0}\u{20AC}"),
            ("ar", Currency::EUR, -123_450, "\u{200F}\u{200E}-1,234.50\u{A0}\u{20AC}"),
            ("en", Currency::EUR, 0, "\u{20AC}0.00"),
        ];
        for (tag, currency, minor, expected) in cases {
            assert_eq!(money(locale(tag), Money::new(minor, currency)), expected, "{tag} {minor}");
        }
    }

    #[test]
    fn the_exponent_comes_from_the_currency() {
        assert_eq!(money(locale("en"), Money::new(1_500, Currency::JPY)), "JP\u{A5}1,500");
        assert_eq!(money(locale("de"), Money::new(1_250, Currency::KWD)), "1,250\u{A0}KWD");
        assert_eq!(money(locale("en"), Money::new(1_250, Currency::KWD)), "KWD\u{A0}1.250");
    }

    #[test]
    fn tax_rates_in_each_locale() {
        let rate = |bp| TaxRate::from_basis_points(bp).unwrap();
        assert_eq!(percent(locale("en"), rate(2_100)), "21%");
        assert_eq!(percent(locale("en"), rate(550)), "5.5%");
        assert_eq!(percent(locale("de"), rate(550)), "5,5\u{A0}%");
        assert_eq!(percent(locale("ar"), rate(2_100)), "21\u{200E}%\u{200E}");
        assert_eq!(percent(locale("en"), rate(0)), "0%");
    }

    #[test]
    fn dates_are_gregorian_in_each_locale() {
        // 2026-12-07T09:05:00Z
        let at = Timestamp::from_millis(1_796_634_300_000);
        assert_eq!(date(locale("en"), at), "7 Dec 2026");
        assert_eq!(date(locale("de"), at), "07.12.2026");
        assert_eq!(date(locale("ar"), at), "07\u{200F}/12\u{200F}/2026");
        assert_eq!(date_time(locale("en"), at), "7 Dec 2026, 09:05");
        assert_eq!(date_time(locale("de"), at), "07.12.2026, 09:05");
    }
}
