//! The ISO 4217 currencies money can be kept in: every active code with a
//! minor unit (the maintenance agency's list one, 2025 edition). Codes whose
//! minor unit is "N.A." (gold, SDRs, the test code XTS, …) are left out:
//! they have no smallest unit to count in.
//!
//! The symbol is the one shown before an amount where it is unambiguous on
//! an invoice of this shop; every other currency shows its code.

/// `(code, minor-unit digits, symbol)`, sorted by code.
pub(super) const CURRENCIES: &[(&str, u8, Option<&str>)] = &[
    ("AED", 2, None), ("AFN", 2, None), ("ALL", 2, None), ("AMD", 2, None), ("ANG", 2, None),
    ("AOA", 2, None), ("ARS", 2, None), ("AUD", 2, Some("A$")), ("AWG", 2, None), ("AZN", 2, None),
    ("BAM", 2, None), ("BBD", 2, None), ("BDT", 2, None), ("BGN", 2, None), ("BHD", 3, None),
    ("BIF", 0, None), ("BMD", 2, None), ("BND", 2, None), ("BOB", 2, None), ("BOV", 2, None),
    ("BRL", 2, Some("R$")), ("BSD", 2, None), ("BTN", 2, None), ("BWP", 2, None), ("BYN", 2, None),
    ("BZD", 2, None), ("CAD", 2, Some("CA$")), ("CDF", 2, None), ("CHE", 2, None), ("CHF", 2, None),
    ("CHW", 2, None), ("CLF", 4, None), ("CLP", 0, None), ("CNY", 2, Some("CN¥")), ("COP", 2, None),
    ("COU", 2, None), ("CRC", 2, None), ("CUP", 2, None), ("CVE", 2, None), ("CZK", 2, None),
    ("DJF", 0, None), ("DKK", 2, None), ("DOP", 2, None), ("DZD", 2, None), ("EGP", 2, None),
    ("ERN", 2, None), ("ETB", 2, None), ("EUR", 2, Some("€")), ("FJD", 2, None), ("FKP", 2, None),
    ("GBP", 2, Some("£")), ("GEL", 2, None), ("GHS", 2, None), ("GIP", 2, None), ("GMD", 2, None),
    ("GNF", 0, None), ("GTQ", 2, None), ("GYD", 2, None), ("HKD", 2, Some("HK$")), ("HNL", 2, None),
    ("HTG", 2, None), ("HUF", 2, None), ("IDR", 2, None), ("ILS", 2, Some("₪")), ("INR", 2, Some("₹")),
    ("IQD", 3, None), ("IRR", 2, None), ("ISK", 0, None), ("JMD", 2, None), ("JOD", 3, None),
    ("JPY", 0, Some("¥")), ("KES", 2, None), ("KGS", 2, None), ("KHR", 2, None), ("KMF", 0, None),
    ("KPW", 2, None), ("KRW", 0, Some("₩")), ("KWD", 3, None), ("KYD", 2, None), ("KZT", 2, None),
    ("LAK", 2, None), ("LBP", 2, None), ("LKR", 2, None), ("LRD", 2, None), ("LSL", 2, None),
    ("LYD", 3, None), ("MAD", 2, None), ("MDL", 2, None), ("MGA", 2, None), ("MKD", 2, None),
    ("MMK", 2, None), ("MNT", 2, None), ("MOP", 2, None), ("MRU", 2, None), ("MUR", 2, None),
    ("MVR", 2, None), ("MWK", 2, None), ("MXN", 2, Some("MX$")), ("MXV", 2, None), ("MYR", 2, None),
    ("MZN", 2, None), ("NAD", 2, None), ("NGN", 2, Some("₦")), ("NIO", 2, None), ("NOK", 2, None),
    ("NPR", 2, None), ("NZD", 2, Some("NZ$")), ("OMR", 3, None), ("PAB", 2, None), ("PEN", 2, None),
    ("PGK", 2, None), ("PHP", 2, Some("₱")), ("PKR", 2, None), ("PLN", 2, None), ("PYG", 0, None),
    ("QAR", 2, None), ("RON", 2, None), ("RSD", 2, None), ("RUB", 2, None), ("RWF", 0, None),
    ("SAR", 2, None), ("SBD", 2, None), ("SCR", 2, None), ("SDG", 2, None), ("SEK", 2, None),
    ("SGD", 2, None), ("SHP", 2, None), ("SLE", 2, None), ("SOS", 2, None), ("SRD", 2, None),
    ("SSP", 2, None), ("STN", 2, None), ("SVC", 2, None), ("SYP", 2, None), ("SZL", 2, None),
    ("THB", 2, None), ("TJS", 2, None), ("TMT", 2, None), ("TND", 3, None), ("TOP", 2, None),
    ("TRY", 2, None), ("TTD", 2, None), ("TWD", 2, Some("NT$")), ("TZS", 2, None), ("UAH", 2, None),
    ("UGX", 0, None), ("USD", 2, Some("$")), ("USN", 2, None), ("UYI", 0, None), ("UYU", 2, None),
    ("UYW", 4, None), ("UZS", 2, None), ("VED", 2, None), ("VES", 2, None), ("VND", 0, Some("₫")),
    ("VUV", 0, None), ("WST", 2, None), ("XAF", 0, None), ("XCD", 2, None), ("XCG", 2, None),
    ("XOF", 0, None), ("XPF", 0, None), ("YER", 2, None), ("ZAR", 2, None), ("ZMW", 2, None),
    ("ZWG", 2, None),
];

/// Codes ISO 4217 lists without a minor unit: real codes, but not money
/// this shop can count in.
pub(super) const WITHOUT_MINOR_UNIT: &[&str] =
    &["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_well_formed() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, digits, _) in CURRENCIES {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code}");
            assert!(*digits <= 4, "{code}");
            assert!(!WITHOUT_MINOR_UNIT.contains(code), "{code}");
        }
    }
}
