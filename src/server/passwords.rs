//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB,
//! two passes, one lane, as OWASP recommends). Hashing takes tens of
//! milliseconds of CPU on purpose, so it runs on the blocking thread pool.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::domain::Password;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingFailed(String);

/// A PHC-format argon2id hash with a fresh random salt.
pub async fn hash(password: &Password) -> Result<String, HashingFailed> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| HashingFailed(e.to_string()))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| HashingFailed(e.to_string()))?;
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| HashingFailed(e.to_string()))
    })
    .await
    .map_err(|e| HashingFailed(e.to_string()))?
}

/// Whether `candidate` matches `stored`. With no stored hash (no such
/// customer, or no password yet) a dummy hash is checked instead, so the
/// answer takes as long either way and does not reveal whether an account exists.
pub async fn verify(candidate: &str, stored: Option<&str>) -> bool {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        let salt = SaltString::encode_b64(b"checkout-portal!").expect("a 16-byte salt encodes");
        Argon2::default()
            .hash_password(b"no account has this password", &salt)
            .expect("hashing a constant works")
            .to_string()
    });
    let exists = stored.is_some();
    let (candidate, stored) = (candidate.to_owned(), stored.map(str::to_owned));
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY.clone());
        let matches = PasswordHash::new(&stored)
            .is_ok_and(|parsed| Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok());
        exists && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_salted() {
        let password: Password = "correct horse battery".parse().unwrap();
        let first = hash(&password).await.unwrap();
        let second = hash(&password).await.unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery", Some(&first)).await);
        assert!(!verify("correct horse battery!", Some(&first)).await);
        assert!(!verify("correct horse battery", None).await);
        assert!(!verify("anything", Some("not a hash")).await);
    }
}
