//! The checkout's codes in words: each error, refusal, card decline, field
//! problem and payment notice of `api::checkout` has one message per locale,
//! chosen by its variant. The codes' English `Display`/`message()` stay what
//! the REST API answers and the logs say; people read these.

use crate::api::checkout::{CheckoutError, DeclineReason, FieldError, FieldName, FieldProblem, PaymentNotice, Rejection};
use crate::domain::locale::Locale;
use crate::tr;

/// What a page says for a checkout error.
pub fn checkout_error(locale: Locale, error: &CheckoutError) -> String {
    match error {
        CheckoutError::Invalid(_) => tr!(locale, "checkout-error-invalid"),
        CheckoutError::Rejected(rejection) => self::rejection(locale, *rejection),
        CheckoutError::PaymentDeclined(reason) => decline(locale, *reason),
        CheckoutError::AlreadyPaid => tr!(locale, "checkout-error-already-paid"),
        CheckoutError::EmptyBasket => tr!(locale, "checkout-error-empty-basket"),
        &CheckoutError::TooMany { max } => tr!(locale, "checkout-error-too-many", max = max),
        CheckoutError::Unavailable => tr!(locale, "checkout-error-unavailable"),
        CheckoutError::Transport(_) => tr!(locale, "checkout-error-transport"),
    }
}

pub fn rejection(locale: Locale, rejection: Rejection) -> String {
    match rejection {
        Rejection::ProductUnavailable => tr!(locale, "checkout-rejection-product-unavailable"),
        Rejection::NotInBasket => tr!(locale, "checkout-rejection-not-in-basket"),
        Rejection::QuantityOutOfRange => tr!(locale, "checkout-rejection-quantity-out-of-range"),
        Rejection::PaymentFormExpired => tr!(locale, "checkout-rejection-payment-form-expired"),
        Rejection::PaymentFormUsed => tr!(locale, "checkout-rejection-payment-form-used"),
        Rejection::PaymentFormOfAnotherBasket => tr!(locale, "checkout-rejection-payment-form-of-another-basket"),
        Rejection::PaymentInAnotherTab => tr!(locale, "checkout-rejection-payment-in-another-tab"),
        Rejection::PaymentStillProcessing => tr!(locale, "checkout-rejection-payment-still-processing"),
        Rejection::PaymentUnavailable => tr!(locale, "checkout-rejection-payment-unavailable"),
        Rejection::TotalTooLarge => tr!(locale, "checkout-rejection-total-too-large"),
        Rejection::ItemsUnavailable => tr!(locale, "checkout-rejection-items-unavailable"),
        Rejection::OverMaximum => tr!(locale, "checkout-rejection-over-maximum"),
        Rejection::TotalChanged => tr!(locale, "checkout-rejection-total-changed"),
    }
}

/// Why a card was refused: on the payment page and the test provider's page.
pub fn decline(locale: Locale, reason: DeclineReason) -> String {
    match reason {
        DeclineReason::InvalidNumber => tr!(locale, "checkout-decline-invalid-number"),
        DeclineReason::InvalidExpiry => tr!(locale, "checkout-decline-invalid-expiry"),
        DeclineReason::Expired => tr!(locale, "checkout-decline-expired-card"),
        DeclineReason::InvalidCvc => tr!(locale, "checkout-decline-invalid-cvc"),
        DeclineReason::CardDeclined => tr!(locale, "checkout-decline-card-declined"),
        DeclineReason::InsufficientFunds => tr!(locale, "checkout-decline-insufficient-funds"),
    }
}

/// The message beside a details-form field. The password's (the portal's
/// forms) and the REST parameters' (`page`, `size`) are not the checkout's
/// to say: they keep their English here and are worded where they are shown.
pub fn field_error(locale: Locale, error: FieldError) -> String {
    use FieldName as F;
    use FieldProblem as P;
    match (error.field, error.problem) {
        (F::Name, _) => tr!(locale, "checkout-field-error-name"),
        (F::Address, _) => tr!(locale, "checkout-field-error-address"),
        (F::City, _) => tr!(locale, "checkout-field-error-city"),
        (F::Postcode, _) => tr!(locale, "checkout-field-error-postcode"),
        (F::Country, _) => tr!(locale, "checkout-field-error-country"),
        (F::Email, P::Missing | P::Blank) => tr!(locale, "checkout-field-error-email-missing"),
        (F::Email, P::TooLong) => tr!(locale, "checkout-field-error-email-too-long"),
        (F::Email, _) => tr!(locale, "checkout-field-error-email-malformed"),
        (F::Password | F::Page | F::Size, _) => error.message().to_owned(),
    }
}

/// The message for `field` in a checkout error, if it has one.
pub fn field_error_for(locale: Locale, error: &CheckoutError, field: FieldName) -> Option<String> {
    match error {
        CheckoutError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| field_error(locale, *e)),
        _ => None,
    }
}

/// Why the payment page is shown again after the hosted page.
pub fn payment_notice(locale: Locale, notice: PaymentNotice) -> String {
    match notice {
        PaymentNotice::Cancelled => tr!(locale, "checkout-notice-cancelled"),
        PaymentNotice::NotCompleted => tr!(locale, "checkout-notice-not-completed"),
        PaymentNotice::Unknown => tr!(locale, "checkout-notice-unknown"),
        PaymentNotice::Refunded => tr!(locale, "checkout-notice-refunded"),
        PaymentNotice::RefundedUnpaid => tr!(locale, "checkout-notice-refunded-unpaid"),
        PaymentNotice::Paid => tr!(locale, "checkout-notice-paid"),
    }
}

/// A billing country's name (`api::checkout::COUNTRIES`' codes); English
/// for a code added there without a message here.
pub fn country(locale: Locale, code: &str, english: &str) -> String {
    match code {
        "NL" => tr!(locale, "checkout-country-nl"),
        "BE" => tr!(locale, "checkout-country-be"),
        "DE" => tr!(locale, "checkout-country-de"),
        "FR" => tr!(locale, "checkout-country-fr"),
        "ES" => tr!(locale, "checkout-country-es"),
        "IT" => tr!(locale, "checkout-country-it"),
        "IE" => tr!(locale, "checkout-country-ie"),
        "GB" => tr!(locale, "checkout-country-gb"),
        "US" => tr!(locale, "checkout-country-us"),
        "PT" => tr!(locale, "checkout-country-pt"),
        "AT" => tr!(locale, "checkout-country-at"),
        "DK" => tr!(locale, "checkout-country-dk"),
        "SE" => tr!(locale, "checkout-country-se"),
        "PL" => tr!(locale, "checkout-country-pl"),
        _ => english.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::checkout::COUNTRIES;

    fn every_error() -> Vec<CheckoutError> {
        use Rejection::*;
        let rejections = [
            ProductUnavailable, NotInBasket, QuantityOutOfRange, PaymentFormExpired, PaymentFormUsed, PaymentFormOfAnotherBasket,
            PaymentInAnotherTab, PaymentStillProcessing, PaymentUnavailable, TotalTooLarge, ItemsUnavailable, OverMaximum, TotalChanged,
        ];
        let reasons = [
            DeclineReason::InvalidNumber, DeclineReason::InvalidExpiry, DeclineReason::Expired,
            DeclineReason::InvalidCvc, DeclineReason::CardDeclined, DeclineReason::InsufficientFunds,
        ];
        let mut errors: Vec<_> = rejections.into_iter().map(CheckoutError::Rejected).collect();
        errors.extend(reasons.into_iter().map(CheckoutError::PaymentDeclined));
        errors.extend([
            CheckoutError::Invalid(vec![]),
            CheckoutError::AlreadyPaid,
            CheckoutError::EmptyBasket,
            CheckoutError::Unavailable,
            CheckoutError::Transport(String::new()),
        ]);
        errors
    }

    fn checkout_fields() -> Vec<FieldError> {
        use FieldName::*;
        use FieldProblem::*;
        [Name, Email, Address, City, Postcode, Country]
            .into_iter()
            .flat_map(|field| [Missing, Malformed, TooShort, TooLong, Blank].map(|problem| FieldError::new(field, problem)))
            .collect()
    }

    /// The English words are the codes' own: a page in English reads as the
    /// REST API and the logs do (and as before languages came).
    #[test]
    fn english_says_what_the_codes_say() {
        let en = Locale::FALLBACK;
        for error in every_error() {
            assert_eq!(checkout_error(en, &error), error.to_string(), "{error:?}");
        }
        for field in checkout_fields() {
            assert_eq!(field_error(en, field), field.message(), "{field:?}");
        }
        for notice in PaymentNotice::ALL {
            assert_eq!(payment_notice(en, notice), notice.message(), "{notice:?}");
        }
        for (code, name) in COUNTRIES {
            assert_eq!(country(en, code, name), *name);
        }
    }

    #[test]
    fn every_code_has_its_own_words_in_each_language() {
        for locale in Locale::all().filter(|locale| *locale != Locale::FALLBACK) {
            for error in every_error() {
                assert_ne!(checkout_error(locale, &error), error.to_string(), "{locale} {error:?}");
            }
            for field in checkout_fields() {
                assert_ne!(field_error(locale, field), field.message(), "{locale} {field:?}");
            }
            for notice in PaymentNotice::ALL {
                assert_ne!(payment_notice(locale, notice), notice.message(), "{locale} {notice:?}");
            }
            for (code, name) in COUNTRIES.iter().filter(|(code, _)| *code != "PT") {
                assert_ne!(country(locale, code, name), *name, "{locale} {code}");
            }
        }
        let de: Locale = "de".parse().unwrap();
        assert_eq!(
            checkout_error(de, &CheckoutError::TooMany { max: 5 }),
            "Sie können höchstens \u{2068}5\u{2069} Stück dieses Artikels in einer Bestellung haben."
        );
    }
}
