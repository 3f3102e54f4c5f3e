//! A new password as a customer chose it: checked once, never printed.
//!
//! The rules follow NIST SP 800-63B: a minimum length and nothing else the
//! customer has to puzzle over (no forced character classes), a generous
//! maximum so passphrases fit, and every character allowed.

use std::fmt;
use std::str::FromStr;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPassword {
    #[error("choose a password of at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password can be at most {MAX_PASSWORD_CHARS} characters long")]
    TooLong,
    #[error("choose a password that is not only spaces")]
    Blank,
}

impl Password {
    /// The password itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Password {
    type Err = InvalidPassword;

    /// Taken as typed: leading or trailing spaces are part of a passphrase.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let chars = s.chars().count();
        if s.trim().is_empty() && chars > 0 {
            Err(InvalidPassword::Blank)
        } else if chars < MIN_PASSWORD_CHARS {
            Err(InvalidPassword::TooShort)
        } else if chars > MAX_PASSWORD_CHARS {
            Err(InvalidPassword::TooLong)
        } else {
            Ok(Self(s.to_owned()))
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!("correct horse".parse::<Password>().is_ok());
        assert_eq!("1234567".parse::<Password>(), Err(InvalidPassword::TooShort));
        assert!("ñññññññññ".parse::<Password>().is_ok());
        assert!("x".repeat(MAX_PASSWORD_CHARS).parse::<Password>().is_ok());
        assert_eq!("x".repeat(MAX_PASSWORD_CHARS + 1).parse::<Password>(), Err(InvalidPassword::TooLong));
    }

    #[test]
    fn blank_passwords_are_refused_but_spaces_inside_are_kept() {
        assert_eq!("          ".parse::<Password>(), Err(InvalidPassword::Blank));
        assert_eq!("".parse::<Password>(), Err(InvalidPassword::TooShort));
        assert_eq!(" spaced pass ".parse::<Password>().unwrap().expose(), " spaced pass ");
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let password: Password = "hunter2hunter2".parse().unwrap();
        assert!(!format!("{password:?}").contains("hunter2"));
    }
}
