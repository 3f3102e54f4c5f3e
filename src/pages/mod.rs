pub mod basket;
pub mod catalogue;
pub mod checkout_complete;
pub mod details;
pub mod not_found;
pub mod payment;
pub mod progress;
