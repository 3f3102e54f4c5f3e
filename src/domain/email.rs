//! Email addresses: validated once, compared by their normalised form.

use std::fmt;
use std::str::FromStr;

/// An email address as the guest typed it (trimmed), plus the normalised form
/// used for uniqueness. Normalisation lowercases the whole address: mail
/// providers treat the local part case-insensitively in practice, and two
/// accounts differing only by case would surprise everyone. Provider-specific
/// rules (dots, `+tags`) are deliberately not applied.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    as_given: String,
    normalized: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEmail {
    #[error("enter an email address")]
    Empty,
    #[error("an email address can be at most 254 characters long")]
    TooLong,
    #[error("enter an email address like name@example.com")]
    Malformed,
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.as_given
    }

    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl FromStr for Email {
    type Err = InvalidEmail;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(InvalidEmail::Empty);
        }
        if trimmed.len() > 254 {
            return Err(InvalidEmail::TooLong);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(InvalidEmail::Malformed)?;
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.contains('@');
        let domain_ok = domain.len() >= 3
            && domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let no_junk = !trimmed.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        if !(local_ok && domain_ok && no_junk) {
            return Err(InvalidEmail::Malformed);
        }
        Ok(Self {
            as_given: trimmed.to_owned(),
            normalized: trimmed.to_lowercase(),
        })
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_given)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.as_given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_surrounding_space() {
        let email: Email = "  Jane.Doe@Example.COM ".parse().unwrap();
        assert_eq!(email.as_str(), "Jane.Doe@Example.COM");
        assert_eq!(email.normalized(), "jane.doe@example.com");
        let same: Email = "jane.doe@example.com".parse().unwrap();
        assert_eq!(email.normalized(), same.normalized());
    }

    #[test]
    fn keeps_plus_tags_distinct() {
        let tagged: Email = "jane+work@example.com".parse().unwrap();
        assert_eq!(tagged.normalized(), "jane+work@example.com");
    }

    #[test]
    fn rejects_malformed_addresses() {
        assert_eq!("".parse::<Email>(), Err(InvalidEmail::Empty));
        assert_eq!(format!("{}@example.com", "a".repeat(250)).parse::<Email>(), Err(InvalidEmail::TooLong));
        for bad in ["jane", "jane@", "@example.com", "jane@example", "jane doe@example.com", "jane@exa mple.com", "jane@.example.com", "jane@example..com", "<jane@example.com>"] {
            assert_eq!(bad.parse::<Email>(), Err(InvalidEmail::Malformed), "{bad:?}");
        }
    }
}
