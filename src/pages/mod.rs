pub mod checkout_complete;
pub mod home;
pub mod not_found;
