//! Identifiers and bearer secrets.
//!
//! Secrets (`BasketToken`, `InvoiceAccessToken`) redact themselves in `Debug`
//! so that a stray `?token` in a log line cannot leak them. The database only
//! ever sees their SHA-256 (`TokenHash`).

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The numeric id of an invoice, as it appears in URLs (`/invoices/{invoiceId}/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceId(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invoice id must be a positive whole number")]
pub struct InvalidInvoiceId;

impl InvoiceId {
    pub fn new(raw: i64) -> Result<Self, InvalidInvoiceId> {
        if raw > 0 {
            Ok(Self(raw))
        } else {
            Err(InvalidInvoiceId)
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl FromStr for InvoiceId {
    type Err = InvalidInvoiceId;

    /// Only plain ASCII digits: no sign, no whitespace, no exponent.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidInvoiceId);
        }
        s.parse::<i64>().map_err(|_| InvalidInvoiceId).and_then(Self::new)
    }
}

impl fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A customer's id. Customers are never addressed by id from outside (the
/// API speaks of "my" invoices), so the only way to get one is from the
/// database: a row that was read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(i64);

impl CustomerId {
    /// The id as stored; only the store calls this.
    pub const fn from_row(raw: i64) -> Self {
        Self(raw)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// SHA-256 of a secret token, hex encoded. This is what the database stores
/// and looks up; the token itself is never persisted.
/// The first `bytes` bytes (at most 32) of `data`'s SHA-256, in lower-case
/// hex: a name for exactly this content (token hashes, file names, ETags).
pub fn sha256_hex(data: &[u8], bytes: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(2 * bytes);
    for byte in digest.iter().take(bytes) {
        hex.push(HEX[usize::from(byte >> 4)] as char);
        hex.push(HEX[usize::from(byte & 0xf)] as char);
    }
    hex
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    fn of(secret: &[u8]) -> Self {
        Self(sha256_hex(secret, 32))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A random key for what must be unique but grants nothing: a worker's claim
/// on a batch, a payment attempt's idempotency key, a demo address. Secrets
/// are `SecretToken`s; basket sessions are `BasketToken`s.
pub fn unique_key() -> String {
    Uuid::new_v4().simple().to_string()
}

/// The basket-session GUID of a guest checkout. Any letter case and the usual
/// GUID spellings are accepted; it is canonicalised before hashing, so
/// `ABC…` and `abc…` are the same token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BasketToken(Uuid);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token must be a GUID such as 3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f")]
pub struct InvalidBasketToken;

impl BasketToken {
    /// A fresh random (v4) GUID from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(Uuid::new_v4())
    }

    pub fn hash(&self) -> TokenHash {
        // Its canonical spelling, as `Display` writes it, without allocating.
        let mut canonical = Uuid::encode_buffer();
        TokenHash::of(self.0.hyphenated().encode_lower(&mut canonical).as_bytes())
    }
}

impl FromStr for BasketToken {
    type Err = InvalidBasketToken;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::try_parse(s.trim()).map(Self).map_err(|_| InvalidBasketToken)
    }
}

impl fmt::Display for BasketToken {
    /// Lowercase hyphenated form; only for building URLs handed to the guest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl fmt::Debug for BasketToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BasketToken(<redacted>)")
    }
}

/// A bearer secret: 256 bits from the OS CSPRNG, base64url without padding
/// (43 characters). Only its hash is ever stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

/// The invoice-scoped token returned by registerByToken.
pub type InvoiceAccessToken = SecretToken;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a well-formed token")]
pub struct InvalidSecretToken;

const ACCESS_TOKEN_BYTES: usize = 32;
const ACCESS_TOKEN_LEN: usize = 43;

impl SecretToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; ACCESS_TOKEN_BYTES];
        getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(self.0.as_bytes())
    }

    /// The secret itself, for the one response (or email) that hands it over.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl FromStr for SecretToken {
    type Err = InvalidSecretToken;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let well_formed = s.len() == ACCESS_TOKEN_LEN
            && URL_SAFE_NO_PAD
                .decode(s)
                .is_ok_and(|bytes| bytes.len() == ACCESS_TOKEN_BYTES);
        if well_formed {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidSecretToken)
        }
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_id_accepts_only_positive_plain_digits() {
        assert_eq!("123".parse::<InvoiceId>().unwrap().get(), 123);
        for bad in ["", "0", "-1", "+5", " 5", "5 ", "1e3", "abc", "12a", "99999999999999999999", "１２"] {
            assert!(bad.parse::<InvoiceId>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn basket_token_is_case_insensitive_and_canonical() {
        let lower: BasketToken = "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f".parse().unwrap();
        let upper: BasketToken = "3F2B8C1E-9D4A-4F6B-8E2C-1A2B3C4D5E6F".parse().unwrap();
        assert_eq!(lower, upper);
        assert_eq!(lower.hash(), upper.hash());
        assert_eq!(upper.to_string(), "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f");
        // What the database holds: the hash of that canonical spelling.
        assert_eq!(upper.hash(), TokenHash::of(b"3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6f"));
    }

    #[test]
    fn basket_token_rejects_non_guids() {
        for bad in ["", "not-a-guid", "3f2b8c1e-9d4a-4f6b-8e2c", "3f2b8c1e-9d4a-4f6b-8e2c-1a2b3c4d5e6g"] {
            assert!(bad.parse::<BasketToken>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn unique_keys_are_distinct_and_url_safe() {
        let (a, b) = (unique_key(), unique_key());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn generated_basket_tokens_are_v4_and_distinct() {
        let a = BasketToken::generate();
        let b = BasketToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.0.get_version_num(), 4);
    }

    #[test]
    fn access_tokens_carry_256_bits_and_round_trip() {
        let token = InvoiceAccessToken::generate();
        assert_eq!(token.reveal().len(), ACCESS_TOKEN_LEN);
        let parsed: InvoiceAccessToken = token.reveal().parse().unwrap();
        assert_eq!(parsed.hash(), token.hash());
        assert_ne!(InvoiceAccessToken::generate().reveal(), token.reveal());
        assert!("short".parse::<InvoiceAccessToken>().is_err());
        assert!("!".repeat(43).parse::<InvoiceAccessToken>().is_err());
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let token = InvoiceAccessToken::generate();
        assert!(!format!("{token:?}").contains(token.reveal()));
        let basket = BasketToken::generate();
        assert!(!format!("{basket:?}").contains(&basket.to_string()));
    }

    #[test]
    fn token_hash_is_sha256_hex() {
        assert_eq!(
            TokenHash::of(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
