//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB,
//! two passes, one lane, as OWASP recommends). A hash takes tens of
//! milliseconds of CPU and 19 MiB on purpose, so every hash and every check
//! goes through one bounded queue (`Passwords`): at most `workers` run at
//! once on the blocking pool, at most `queue` more wait, and anything beyond
//! is refused at once (`Busy`, a 503 with `Retry-After`) instead of growing
//! memory without limit. A caller reserves its place (`reserve`) before it
//! locks or writes anything, so a refusal leaves everything as it was.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::Password;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingFailed(String);

/// Every hashing place is taken: the client is asked to try again shortly
/// (`PortalError::Busy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every password hashing place is taken")]
pub struct Busy;

/// How many hashes run at once and how many may wait (`PASSWORD_HASH_WORKERS`,
/// `PASSWORD_HASH_QUEUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingLimits {
    pub workers: usize,
    pub queue: usize,
}

impl Default for HashingLimits {
    /// One hash per core; four more per core may wait (each waits about four
    /// hashes' time, well under a second), holding no hashing memory meanwhile.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self { workers: cores, queue: 4 * cores }
    }
}

/// Figures for tests and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingStats {
    pub workers: usize,
    pub queue: usize,
    /// Passwords hashed (set or changed) since start.
    pub hashes: u64,
    /// Passwords checked against a stored hash since start.
    pub verifications: u64,
    /// The most hashes or checks that ever ran at once.
    pub peak_running: usize,
    /// The most that ever held a place (running or waiting) at once.
    pub peak_admitted: usize,
}

/// The bounded hashing queue; cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct Passwords(Arc<Queue>);

struct Queue {
    limits: HashingLimits,
    /// Places: running or waiting.
    places: Arc<Semaphore>,
    /// Of those, the ones running.
    running: Arc<Semaphore>,
    hashes: AtomicU64,
    verifications: AtomicU64,
    now_running: AtomicUsize,
    peak_running: AtomicUsize,
    peak_admitted: AtomicUsize,
}

/// A place in the queue, held from `reserve` until the work is done (or
/// dropped unused). Hashing needs one, so the order "reserve, then lock or
/// write, then hash" is the only one the types allow.
pub struct Place {
    queue: Arc<Queue>,
    _permit: OwnedSemaphorePermit,
}

impl Passwords {
    pub fn new(limits: HashingLimits) -> Self {
        let limits = HashingLimits { workers: limits.workers.max(1), queue: limits.queue };
        Self(Arc::new(Queue {
            limits,
            places: Arc::new(Semaphore::new(limits.workers + limits.queue)),
            running: Arc::new(Semaphore::new(limits.workers)),
            hashes: AtomicU64::new(0),
            verifications: AtomicU64::new(0),
            now_running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
            peak_admitted: AtomicUsize::new(0),
        }))
    }

    /// Takes a place in the queue, or `Busy` at once when none is free.
    pub fn reserve(&self) -> Result<Place, Busy> {
        let queue = &self.0;
        let permit = queue.places.clone().try_acquire_owned().map_err(|_| {
            crate::server::metrics::password_hashing_refused();
            Busy
        })?;
        let admitted = (queue.limits.workers + queue.limits.queue).saturating_sub(queue.places.available_permits());
        queue.peak_admitted.fetch_max(admitted, Ordering::Relaxed);
        Ok(Place { queue: self.0.clone(), _permit: permit })
    }

    /// Takes every place until the guard is dropped (tests: a full queue, deterministically).
    pub fn occupy_all(&self) -> OwnedSemaphorePermit {
        let places = u32::try_from(self.0.limits.workers + self.0.limits.queue).unwrap_or(u32::MAX);
        self.0.places.clone().try_acquire_many_owned(places).expect("no hashing is under way")
    }

    /// Holds every running slot until the guard is dropped (tests: work that
    /// has a place waits, deterministically, before its hash runs).
    pub fn hold_workers(&self) -> OwnedSemaphorePermit {
        let workers = u32::try_from(self.0.limits.workers).unwrap_or(u32::MAX);
        self.0.running.clone().try_acquire_many_owned(workers).expect("no hashing is under way")
    }

    pub fn stats(&self) -> HashingStats {
        let queue = &self.0;
        HashingStats {
            workers: queue.limits.workers,
            queue: queue.limits.queue,
            hashes: queue.hashes.load(Ordering::Relaxed),
            verifications: queue.verifications.load(Ordering::Relaxed),
            peak_running: queue.peak_running.load(Ordering::Relaxed),
            peak_admitted: queue.peak_admitted.load(Ordering::Relaxed),
        }
    }
}

impl Place {
    /// A PHC-format argon2id hash with a fresh random salt.
    pub async fn hash(self, password: &Password) -> Result<String, HashingFailed> {
        let password = password.clone();
        self.queue.hashes.fetch_add(1, Ordering::Relaxed);
        self.run(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|e| HashingFailed(e.to_string()))?;
            let salt = SaltString::encode_b64(&salt).map_err(|e| HashingFailed(e.to_string()))?;
            Argon2::default()
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| HashingFailed(e.to_string()))
        })
        .await
        .unwrap_or_else(|e| Err(HashingFailed(e.to_string())))
    }

    /// Whether `candidate` matches `stored`. With no stored hash (no such
    /// customer, or no password yet) a dummy hash is checked instead, so the
    /// answer takes as long either way and does not reveal whether an account exists.
    pub async fn verify(self, candidate: &str, stored: Option<&str>) -> bool {
        static DUMMY: LazyLock<String> = LazyLock::new(|| {
            let salt = SaltString::encode_b64(b"checkout-portal!").expect("a 16-byte salt encodes");
            Argon2::default()
                .hash_password(b"no account has this password", &salt)
                .expect("hashing a constant works")
                .to_string()
        });
        let exists = stored.is_some();
        let (candidate, stored) = (candidate.to_owned(), stored.map(str::to_owned));
        self.queue.verifications.fetch_add(1, Ordering::Relaxed);
        self.run(move || {
            let stored = stored.unwrap_or_else(|| DUMMY.clone());
            let matches = PasswordHash::new(&stored)
                .is_ok_and(|parsed| Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok());
            exists && matches
        })
        .await
        .unwrap_or(false)
    }

    /// Waits for a running slot, then runs `work` on the blocking pool. The
    /// place and the slot go with the work: a caller that gives up (its
    /// request dropped) frees nothing while the hash still runs.
    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, tokio::task::JoinError> {
        let running = self.queue.running.clone().acquire_owned().await.expect("the running semaphore is never closed");
        let queue = self.queue.clone();
        tokio::task::spawn_blocking(move || {
            let now = queue.now_running.fetch_add(1, Ordering::Relaxed) + 1;
            queue.peak_running.fetch_max(now, Ordering::Relaxed);
            let result = work();
            queue.now_running.fetch_sub(1, Ordering::Relaxed);
            drop((running, self));
            result
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_at_a_time() -> Passwords {
        Passwords::new(HashingLimits { workers: 1, queue: 1 })
    }

    #[tokio::test]
    async fn hashes_verify_and_are_salted() {
        let passwords = one_at_a_time();
        let password: Password = "correct horse battery".parse().unwrap();
        let first = passwords.reserve().unwrap().hash(&password).await.unwrap();
        let second = passwords.reserve().unwrap().hash(&password).await.unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        let verify = |candidate: &'static str, stored: Option<String>| {
            let place = passwords.reserve().unwrap();
            async move { place.verify(candidate, stored.as_deref()).await }
        };
        assert!(verify("correct horse battery", Some(first.clone())).await);
        assert!(!verify("correct horse battery!", Some(first)).await);
        assert!(!verify("correct horse battery", None).await);
        assert!(!verify("anything", Some("not a hash".into())).await);
        let stats = passwords.stats();
        assert_eq!((stats.hashes, stats.verifications, stats.peak_running), (2, 4, 1));
    }

    #[tokio::test]
    async fn places_beyond_workers_and_queue_are_refused_and_freed_when_dropped() {
        let passwords = one_at_a_time();
        let first = passwords.reserve().unwrap();
        let second = passwords.reserve().unwrap();
        assert!(passwords.reserve().is_err(), "one running and one waiting fill it");
        drop(first);
        let third = passwords.reserve().expect("a freed place is taken again");
        drop((second, third));
        let all = passwords.occupy_all();
        assert!(passwords.reserve().is_err());
        drop(all);
        assert!(passwords.reserve().is_ok());
        assert_eq!(passwords.stats().peak_admitted, 2);
    }

    #[test]
    fn the_default_size_follows_the_machine() {
        let limits = HashingLimits::default();
        assert!(limits.workers >= 1);
        assert_eq!(limits.queue, 4 * limits.workers);
    }
}
