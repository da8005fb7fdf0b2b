//! A circuit breaker per channel, so a provider that is down stops costing every message a
//! timeout. No I/O: time comes from the injected [`Clock`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sofia_core::clock::Clock;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerConfig {
    /// Opens after this many failures in a row.
    pub consecutive_failures: u32,
    /// …or when at least `min_calls` calls in the last `window` failed at this rate (0–1).
    pub failure_rate: f64,
    pub min_calls: u32,
    pub window: Duration,
    /// How long it stays open before one probe call is let through.
    pub cooldown: Duration,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            consecutive_failures: 5,
            failure_rate: 0.5,
            min_calls: 10,
            window: Duration::from_secs(60),
            cooldown: Duration::from_secs(30),
        }
    }
}

/// What `/readyz` and the metrics report for a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are refused until `until`.
    Open { until: DateTime<Utc> },
    /// The cooldown is over: the next call is a probe that closes or reopens the circuit.
    HalfOpen,
}

impl BreakerState {
    /// A stable label for metrics.
    pub fn as_str(&self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open { .. } => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

pub struct CircuitBreaker {
    config: BreakerConfig,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

struct Inner {
    state: BreakerState,
    consecutive_failures: u32,
    /// Outcomes (time, succeeded) within the window, oldest first.
    outcomes: VecDeque<(DateTime<Utc>, bool)>,
    /// When the half-open probe was let through; another is allowed only if it never reports back.
    probe_started: Option<DateTime<Utc>>,
}

/// `now + duration`, saturating instead of overflowing on absurd configurations.
fn after(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(duration)
        .ok()
        .and_then(|delta| now.checked_add_signed(delta))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl CircuitBreaker {
    pub fn new(config: BreakerConfig, clock: Arc<dyn Clock>) -> Self {
        let inner = Inner {
            state: BreakerState::Closed,
            consecutive_failures: 0,
            outcomes: VecDeque::new(),
            probe_started: None,
        };
        CircuitBreaker { config, clock, inner: Mutex::new(inner) }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state is a few counters that are valid after any panic; keep going.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The state now, moving Open to HalfOpen once the cooldown has passed.
    pub fn state(&self) -> BreakerState {
        let now = self.clock.now();
        let mut inner = self.lock();
        Self::cool_down(&mut inner, now);
        inner.state
    }

    /// Whether a call may go out now. In half-open, only one probe at a time.
    pub fn try_acquire(&self) -> bool {
        let now = self.clock.now();
        let mut inner = self.lock();
        Self::cool_down(&mut inner, now);
        match inner.state {
            BreakerState::Closed => true,
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen => {
                let probe_pending =
                    inner.probe_started.is_some_and(|started| now < after(started, self.config.cooldown));
                if !probe_pending {
                    inner.probe_started = Some(now);
                }
                !probe_pending
            }
        }
    }

    fn cool_down(inner: &mut Inner, now: DateTime<Utc>) {
        if let BreakerState::Open { until } = inner.state
            && now >= until
        {
            inner.state = BreakerState::HalfOpen;
            inner.probe_started = None;
        }
    }

    pub fn record_success(&self) {
        let now = self.clock.now();
        let mut inner = self.lock();
        match inner.state {
            BreakerState::Closed => {
                inner.consecutive_failures = 0;
                self.push_outcome(&mut inner, now, true);
            }
            BreakerState::HalfOpen => self.close(&mut inner),
            // A call that started before the circuit opened; the cooldown still stands.
            BreakerState::Open { .. } => {}
        }
    }

    pub fn record_failure(&self) {
        let now = self.clock.now();
        let mut inner = self.lock();
        match inner.state {
            BreakerState::Closed => {
                inner.consecutive_failures += 1;
                self.push_outcome(&mut inner, now, false);
                if inner.consecutive_failures >= self.config.consecutive_failures
                    || self.rate_exceeded(&inner)
                {
                    self.open(&mut inner, now);
                }
            }
            BreakerState::HalfOpen => self.open(&mut inner, now),
            BreakerState::Open { .. } => {}
        }
    }

    fn push_outcome(&self, inner: &mut Inner, now: DateTime<Utc>, succeeded: bool) {
        inner.outcomes.push_back((now, succeeded));
        let window = TimeDelta::from_std(self.config.window).unwrap_or(TimeDelta::MAX);
        while inner.outcomes.front().is_some_and(|(at, _)| now.signed_duration_since(*at) > window) {
            inner.outcomes.pop_front();
        }
    }

    fn rate_exceeded(&self, inner: &Inner) -> bool {
        let calls = inner.outcomes.len();
        if calls == 0 || calls < self.config.min_calls as usize {
            return false;
        }
        let failures = inner.outcomes.iter().filter(|(_, succeeded)| !succeeded).count();
        failures as f64 / calls as f64 >= self.config.failure_rate
    }

    fn open(&self, inner: &mut Inner, now: DateTime<Utc>) {
        inner.state = BreakerState::Open { until: after(now, self.config.cooldown) };
        inner.consecutive_failures = 0;
        inner.outcomes.clear();
        inner.probe_started = None;
    }

    fn close(&self, inner: &mut Inner) {
        inner.state = BreakerState::Closed;
        inner.consecutive_failures = 0;
        inner.outcomes.clear();
        inner.probe_started = None;
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration as ChronoDuration;
    use sofia_core::clock::FrozenClock;

    use super::*;

    fn breaker(config: BreakerConfig) -> (Arc<FrozenClock>, CircuitBreaker) {
        let start = DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap().to_utc();
        let clock = Arc::new(FrozenClock::at(start));
        let breaker = CircuitBreaker::new(config, clock.clone());
        (clock, breaker)
    }

    #[test]
    fn opens_after_consecutive_failures_and_recovers_through_half_open() {
        let (clock, breaker) = breaker(BreakerConfig::default());
        for _ in 0..4 {
            assert!(breaker.try_acquire());
            breaker.record_failure();
        }
        assert_eq!(breaker.state(), BreakerState::Closed);
        breaker.record_failure();
        let opened_at = clock.now();
        assert_eq!(breaker.state(), BreakerState::Open { until: opened_at + ChronoDuration::seconds(30) });
        assert!(!breaker.try_acquire());

        clock.advance(ChronoDuration::seconds(30));
        assert_eq!(breaker.state(), BreakerState::HalfOpen);
        assert!(breaker.try_acquire(), "one probe goes through");
        assert!(!breaker.try_acquire(), "a second caller waits for the probe");
        breaker.record_success();
        assert_eq!(breaker.state(), BreakerState::Closed);
        assert!(breaker.try_acquire());
    }

    #[test]
    fn a_failed_probe_reopens_for_another_cooldown() {
        let (clock, breaker) = breaker(BreakerConfig { consecutive_failures: 1, ..BreakerConfig::default() });
        breaker.record_failure();
        clock.advance(ChronoDuration::seconds(31));
        assert!(breaker.try_acquire());
        breaker.record_failure();
        assert_eq!(breaker.state(), BreakerState::Open { until: clock.now() + ChronoDuration::seconds(30) });
        assert_eq!(breaker.state().as_str(), "open");
    }

    #[test]
    fn a_probe_that_never_reports_back_does_not_wedge_the_circuit() {
        let (clock, breaker) = breaker(BreakerConfig { consecutive_failures: 1, ..BreakerConfig::default() });
        breaker.record_failure();
        clock.advance(ChronoDuration::seconds(30));
        assert!(breaker.try_acquire());
        clock.advance(ChronoDuration::seconds(30));
        assert!(breaker.try_acquire());
    }

    #[test]
    fn opens_on_failure_rate_even_without_a_streak() {
        let (clock, breaker) = breaker(BreakerConfig::default());
        // Alternating outcomes never reach 5 in a row, but half of 10 calls failed.
        for i in 0..10 {
            clock.advance(ChronoDuration::seconds(1));
            if i % 2 == 0 { breaker.record_success() } else { breaker.record_failure() }
        }
        assert!(matches!(breaker.state(), BreakerState::Open { .. }));
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let (clock, breaker) = breaker(BreakerConfig::default());
        for i in 0..9 {
            if i % 2 == 0 { breaker.record_failure() } else { breaker.record_success() }
        }
        clock.advance(ChronoDuration::seconds(61));
        breaker.record_failure();
        assert_eq!(breaker.state(), BreakerState::Closed);
    }
}
