//! A customer, as the portal shows them.

use crate::domain::CustomerId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    /// As the customer typed it (sign-in compares the normalised form).
    pub email: String,
}
