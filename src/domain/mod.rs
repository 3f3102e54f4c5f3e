//! Domain types that parse at the edge: once a value of one of these types
//! exists, the rest of the server can trust it without re-checking.

pub mod email;
pub mod ids;
pub mod money;
pub mod password;
pub mod time;

pub use email::Email;
pub use ids::{BasketToken, InvoiceAccessToken, InvoiceId, SecretToken, TokenHash};
pub use password::Password;
pub use money::{Currency, LineAmounts, Money, TaxRate};
pub use time::{Clock, ManualClock, SystemClock, Timestamp};
