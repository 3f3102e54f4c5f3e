//! The built-in test provider (being written).
