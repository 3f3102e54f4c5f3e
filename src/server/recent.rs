//! A value that costs a database read, kept for a short while: readiness
//! probes and metrics scrapes arrive as often as anyone likes, and each
//! would otherwise take a connection the app's requests need. Within the
//! freshness window every caller gets the last answer; callers that arrive
//! while it is being recomputed wait for that one computation instead of
//! starting their own. So a flood costs at most one read per window.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use crate::domain::{Clock, Timestamp};

/// How long a probe's or a scrape's database reading stays good: about a
/// second, as the orchestrators and scrapers that read them expect fresh
/// answers but never need two in the same second.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

pub struct Recent<T> {
    clock: Arc<dyn Clock>,
    fresh_for: Duration,
    /// The last value and when it was computed. Held while computing, so
    /// the callers queued behind find the new value when they get in.
    last: Mutex<Option<(Timestamp, T)>>,
    computations: AtomicU64,
}

impl<T: Clone> Recent<T> {
    pub fn new(clock: Arc<dyn Clock>, fresh_for: Duration) -> Self {
        Self { clock, fresh_for, last: Mutex::new(None), computations: AtomicU64::new(0) }
    }

    /// The last value while it is fresh, else the one `compute` gives now.
    pub async fn get_or_compute<F: Future<Output = T>>(&self, compute: impl FnOnce() -> F) -> T {
        let mut last = self.last.lock().await;
        if let Some((at, value)) = last.as_ref() {
            if self.is_fresh(*at) {
                return value.clone();
            }
        }
        let value = compute().await;
        self.computations.fetch_add(1, Ordering::Relaxed);
        // Stamped when the answer came: after a slow computation (a database
        // that did not answer in time) the callers queued behind it still
        // take this answer rather than each trying again in turn.
        *last = Some((self.clock.now(), value.clone()));
        value
    }

    fn is_fresh(&self, computed_at: Timestamp) -> bool {
        let age = self.clock.now().millis() - computed_at.millis();
        let window = i64::try_from(self.fresh_for.as_millis()).unwrap_or(i64::MAX);
        // A clock stepped back makes the value stale, not fresh for longer.
        (0..window).contains(&age)
    }

    /// How many times the value has been computed rather than reused.
    pub fn computations(&self) -> u64 {
        self.computations.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ManualClock;
    use std::sync::atomic::AtomicUsize;

    fn recent() -> (Arc<ManualClock>, Arc<Recent<usize>>) {
        let clock = Arc::new(ManualClock::starting_at(Timestamp::from_millis(1_000_000)));
        (clock.clone(), Arc::new(Recent::new(clock, Duration::from_secs(1))))
    }

    #[tokio::test]
    async fn reuses_the_value_within_the_window_and_recomputes_after_it() {
        let (clock, recent) = recent();
        let computed = AtomicUsize::new(0);
        let compute = || async { computed.fetch_add(1, Ordering::SeqCst) + 1 };
        assert_eq!(recent.get_or_compute(compute).await, 1);
        clock.advance(Duration::from_millis(999));
        assert_eq!(recent.get_or_compute(compute).await, 1, "still fresh");
        clock.advance(Duration::from_millis(1));
        assert_eq!(recent.get_or_compute(compute).await, 2, "a second old: computed again");
        assert_eq!(recent.computations(), 2);
    }

    #[tokio::test]
    async fn a_clock_stepped_back_makes_the_value_stale() {
        let (clock, recent) = recent();
        recent.get_or_compute(|| async { 1 }).await;
        clock.advance(Duration::from_secs(60));
        recent.get_or_compute(|| async { 2 }).await;
        let stepped_back = Arc::new(ManualClock::starting_at(Timestamp::from_millis(1_000_000)));
        let recent = Recent { clock: stepped_back, ..Arc::into_inner(recent).unwrap() };
        assert_eq!(recent.get_or_compute(|| async { 3 }).await, 3);
    }

    /// One runtime thread: each spawned caller runs until it waits, so once
    /// all have started, all are waiting on the one computation in flight.
    #[tokio::test(flavor = "current_thread")]
    async fn callers_during_a_computation_share_it() {
        let (_clock, recent) = recent();
        let computed = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let (open, gate) = tokio::sync::watch::channel(false);
        let callers: Vec<_> = (0..50)
            .map(|_| {
                let (recent, computed, started, mut gate) = (recent.clone(), computed.clone(), started.clone(), gate.clone());
                tokio::spawn(async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    recent
                        .get_or_compute(|| async move {
                            let _ = gate.wait_for(|open| *open).await;
                            computed.fetch_add(1, Ordering::SeqCst) + 1
                        })
                        .await
                })
            })
            .collect();
        while started.load(Ordering::SeqCst) < 50 {
            tokio::task::yield_now().await;
        }
        open.send(true).unwrap();
        for caller in callers {
            assert_eq!(caller.await.unwrap(), 1);
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        assert_eq!(recent.computations(), 1);
    }
}
