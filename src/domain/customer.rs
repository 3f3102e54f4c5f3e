//! A customer, as the portal shows them.

use crate::domain::locale::Locale;
use crate::domain::CustomerId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    /// As the customer typed it (sign-in compares the normalised form).
    pub email: String,
    /// The language pages and emails speak to them in when nothing else
    /// says (`server::http::i18n`): set at registration, changed in the portal.
    pub locale: Locale,
}
