//! Domain types that parse at the edge: once a value of one of these types
//! exists, the rest of the server can trust it without re-checking.

pub mod checkout;
pub mod customer;
pub mod email;
pub mod ids;
pub mod invoice;
pub mod iso4217;
pub mod locale;
pub mod money;
pub mod password;
pub mod shop;
pub mod time;

pub use checkout::{Basket, BasketProblem, EnteredDetails, PaymentStatus, Product};
pub use customer::Customer;
pub use email::Email;
pub use ids::{unique_key, BasketToken, CustomerId, InvoiceAccessToken, InvoiceId, SecretToken, TokenHash};
pub use invoice::{BillTo, Invoice, InvoiceLine, LineItem, Priced, PricingError, RegistrationKind};
pub use password::Password;
pub use money::{Currency, LineAmounts, Money, TaxRate};
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
