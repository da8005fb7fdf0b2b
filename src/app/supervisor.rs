//! The background loops of `serve`, run under one supervisor.
//!
//! Each loop is a plain async function that returns when told to stop (the shared
//! [`CancellationToken`], or for the inbox writer its closed queue). The supervisor runs every
//! loop in a task of its own, so that a panic is caught instead of silently ending the loop: it
//! is logged at error and the loop restarted after a back-off that doubles with each panic in a
//! row. A loop the service cannot work without gives up after [`GIVE_UP_AFTER`] panics in a row
//! and stops the whole service, since a fresh process is likelier to work than a loop that keeps
//! failing. [`Supervisor::drain`] cancels the token and waits for every loop to return.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Panics in a row after which a [`Policy::RestartThenStop`] loop stops the service.
pub const GIVE_UP_AFTER: u32 = 5;

/// What a panic of the loop leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Restart after every panic: the service still answers without the loop (a safety net,
    /// or a convenience), so it never stops the service.
    Restart,
    /// Restart, but stop the service after [`GIVE_UP_AFTER`] panics in a row: without the
    /// loop, patients' messages would be acknowledged and never answered.
    RestartThenStop,
}

/// How long a loop waits before its restart: `first` after one panic, doubling with each panic
/// in a row up to `max`. A loop that ran for `max` since its last restart starts counting again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    pub const PRODUCTION: Backoff = Backoff { first: Duration::from_secs(1), max: Duration::from_secs(60) };

    fn after(&self, panics: u32) -> Duration {
        let doublings = panics.saturating_sub(1).min(16);
        self.first.saturating_mul(1 << doublings).min(self.max)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupervisorError {
    #[error("the {name} loop panicked {panics} times in a row; the service stopped")]
    GaveUp { name: &'static str, panics: u32 },
}

pub struct Supervisor {
    loops: JoinSet<Result<(), SupervisorError>>,
    token: CancellationToken,
    backoff: Backoff,
}

impl Supervisor {
    pub fn new(backoff: Backoff) -> Self {
        Supervisor { loops: JoinSet::new(), token: CancellationToken::new(), backoff }
    }

    /// Cancelled when the service stops: by [`Supervisor::drain`], or by a loop that gave up.
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }

    /// Runs the loop `start` makes until it returns, making it again after a panic as `policy`
    /// says. `start` gets the token that tells the loop to stop.
    pub fn spawn<F, Fut>(&mut self, name: &'static str, policy: Policy, start: F)
    where
        F: Fn(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let token = self.token.clone();
        let backoff = self.backoff;
        self.loops.spawn(async move {
            let mut panics = 0;
            loop {
                let mut running = tokio::spawn(start(token.clone()));
                let ended = tokio::select! {
                    ended = &mut running => ended,
                    () = tokio::time::sleep(backoff.max) => {
                        // Long enough without a panic: earlier panics no longer count.
                        panics = 0;
                        running.await
                    }
                };
                let Err(failure) = ended else {
                    tracing::debug!(name, "background loop stopped");
                    return Ok(());
                };
                panics += 1;
                let error = panic_message(failure);
                if policy == Policy::RestartThenStop && panics >= GIVE_UP_AFTER {
                    tracing::error!(
                        name,
                        panics,
                        error,
                        "a background loop keeps panicking; stopping the service"
                    );
                    token.cancel();
                    return Err(SupervisorError::GaveUp { name, panics });
                }
                let wait = backoff.after(panics);
                tracing::error!(
                    name,
                    panics,
                    error,
                    restart_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "a background loop panicked; restarting it"
                );
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = token.cancelled() => return Ok(()),
                }
            }
        });
    }

    /// Tells every loop to stop and waits until each has returned. Fails when a loop gave up.
    pub async fn drain(mut self) -> Result<(), SupervisorError> {
        self.token.cancel();
        let mut outcome = Ok(());
        while let Some(joined) = self.loops.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(gave_up)) => outcome = Err(gave_up),
                // The supervising task only awaits and logs; kept for completeness of the log.
                Err(error) => tracing::error!(error = panic_message(error), "a supervising task failed"),
            }
        }
        outcome
    }
}

/// The panic's message, when it had one.
fn panic_message(error: tokio::task::JoinError) -> String {
    if !error.is_panic() {
        return error.to_string();
    }
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    use tokio::sync::mpsc;

    use super::*;

    const QUICK: Backoff = Backoff { first: Duration::from_millis(1), max: Duration::from_secs(600) };

    #[tokio::test]
    async fn a_loop_that_panics_is_restarted_until_it_runs() {
        let mut supervisor = Supervisor::new(QUICK);
        let (started, mut starts) = mpsc::unbounded_channel();
        let attempts = Arc::new(AtomicU32::new(0));
        supervisor.spawn("flaky", Policy::Restart, move |stop: CancellationToken| {
            let (started, attempts) = (started.clone(), Arc::clone(&attempts));
            async move {
                let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                let _ = started.send(attempt);
                // The first two starts panic; the third runs until told to stop.
                assert!(attempt >= 3, "flaky loop, attempt {attempt}");
                stop.cancelled().await;
            }
        });
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(starts.recv().await.expect("the loop is started again"));
        }
        assert_eq!(seen, [1, 2, 3]);
        assert_eq!(supervisor.drain().await, Ok(()));
        assert!(starts.recv().await.is_none(), "not restarted once it ran and stopped");
    }

    #[tokio::test]
    async fn a_loop_that_returns_is_not_restarted() {
        let mut supervisor = Supervisor::new(QUICK);
        let (started, mut starts) = mpsc::unbounded_channel();
        supervisor.spawn("once", Policy::Restart, move |_stop| {
            let started = started.clone();
            async move {
                let _ = started.send(());
            }
        });
        assert_eq!(supervisor.drain().await, Ok(()));
        assert!(starts.recv().await.is_some());
        assert!(starts.recv().await.is_none(), "started only once");
    }

    #[tokio::test]
    async fn drain_waits_for_every_loop_to_finish_its_work() {
        let mut supervisor = Supervisor::new(QUICK);
        let finished = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&finished);
        supervisor.spawn("slow to stop", Policy::Restart, move |stop: CancellationToken| {
            let done = Arc::clone(&done);
            async move {
                stop.cancelled().await;
                // Work left after the signal, such as a commit in flight.
                tokio::task::yield_now().await;
                done.store(true, Ordering::SeqCst);
            }
        });
        assert_eq!(supervisor.drain().await, Ok(()));
        assert!(finished.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn a_vital_loop_that_keeps_panicking_stops_the_service() {
        let mut supervisor = Supervisor::new(QUICK);
        supervisor.spawn("vital", Policy::RestartThenStop, |_stop| async { panic!("always") });
        let stopping = supervisor.token().clone();
        stopping.cancelled().await;
        assert_eq!(
            supervisor.drain().await,
            Err(SupervisorError::GaveUp { name: "vital", panics: GIVE_UP_AFTER })
        );
    }

    #[test]
    fn the_backoff_doubles_up_to_its_maximum() {
        let backoff = Backoff::PRODUCTION;
        let waits: Vec<u64> = (1..=8).map(|panics| backoff.after(panics).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
    }
}
