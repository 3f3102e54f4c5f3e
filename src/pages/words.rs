//! The checkout's codes (errors, refusals, notices, countries) in the
//! request's language, for the pages: `server::i18n::checkout` words them.
//! Like `t!`, nothing in the browser's build, which never renders a page.

use crate::api::checkout::{CheckoutError, FieldName, PaymentNotice, Rejection};

/// What a page says for a checkout error.
pub fn checkout_error(error: &CheckoutError) -> String {
    #[cfg(feature = "ssr")]
    return crate::server::i18n::checkout::checkout_error(crate::pages::i18n::locale(), error);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = error;
        String::new()
    }
}

pub fn rejection(rejection: Rejection) -> String {
    #[cfg(feature = "ssr")]
    return crate::server::i18n::checkout::rejection(crate::pages::i18n::locale(), rejection);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = rejection;
        String::new()
    }
}

/// The message beside `field` of a failed details post, if it has one.
pub fn field_error(error: Option<&CheckoutError>, field: FieldName) -> Option<String> {
    #[cfg(feature = "ssr")]
    return error.and_then(|error| crate::server::i18n::checkout::field_error_for(crate::pages::i18n::locale(), error, field));
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (error, field);
        None
    }
}

pub fn payment_notice(notice: PaymentNotice) -> String {
    #[cfg(feature = "ssr")]
    return crate::server::i18n::checkout::payment_notice(crate::pages::i18n::locale(), notice);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = notice;
        String::new()
    }
}

/// A billing country's name.
pub fn country(code: &str, english: &str) -> String {
    #[cfg(feature = "ssr")]
    return crate::server::i18n::checkout::country(crate::pages::i18n::locale(), code, english);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = code;
        english.to_owned()
    }
}
