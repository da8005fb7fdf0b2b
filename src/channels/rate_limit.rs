//! Send rate limits that delay rather than drop, and the one way the router waits. The admin
//! API's limit on failed authentications reuses the bucket, refusing instead of delaying.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use sofia_core::clock::FrozenClock;

/// A sustained rate with a burst allowance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    per_second: f64,
    burst: f64,
}

impl RateLimit {
    /// Meta's default throughput per business number.
    pub const BUSINESS_NUMBER: RateLimit = RateLimit { per_second: 80.0, burst: 80.0 };
    /// Per patient: a reply split into a few bubbles goes out at once, a flood does not
    /// (Meta's pair limit, 131056, punishes bursts to one user).
    pub const RECIPIENT: RateLimit = RateLimit { per_second: 1.0, burst: 3.0 };
    /// Failed admin API authentications per client address (`admin::auth`): ten mistakes at
    /// once, then one every six seconds.
    pub const AUTH_FAILURES: RateLimit = RateLimit { per_second: 1.0 / 6.0, burst: 10.0 };

    /// `None` unless the rate is positive and finite and the burst at least one message.
    pub fn new(per_second: f64, burst: u32) -> Option<Self> {
        (per_second.is_finite() && per_second > 0.0 && burst >= 1)
            .then_some(RateLimit { per_second, burst: f64::from(burst) })
    }
}

/// A token bucket that hands out reservations: a caller always gets a token, and is told how
/// long to wait before using it. Waiting callers queue up instead of being refused.
#[derive(Debug, Clone)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    /// Negative when callers are queued for tokens not yet refilled.
    tokens: f64,
    updated: DateTime<Utc>,
}

impl TokenBucket {
    pub(crate) fn new(limit: RateLimit, now: DateTime<Utc>) -> Self {
        TokenBucket { limit, tokens: limit.burst, updated: now }
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        if now > self.updated {
            let elapsed = now.signed_duration_since(self.updated).to_std().unwrap_or_default();
            self.tokens = (self.tokens + elapsed.as_secs_f64() * self.limit.per_second).min(self.limit.burst);
            self.updated = now;
        }
    }

    /// Takes one token and answers how long to wait before it may be used.
    pub(crate) fn reserve(&mut self, now: DateTime<Utc>) -> Duration {
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64(-self.tokens / self.limit.per_second).unwrap_or(Duration::MAX)
        }
    }

    /// Whether a token is there now, without taking it: for a limit that refuses instead of
    /// delaying.
    pub(crate) fn has_token(&mut self, now: DateTime<Utc>) -> bool {
        self.refill(now);
        self.tokens >= 1.0
    }

    /// Full again: the bucket remembers nothing worth keeping.
    pub(crate) fn is_idle(&mut self, now: DateTime<Utc>) -> bool {
        self.refill(now);
        self.tokens >= self.limit.burst
    }
}

/// How the router waits (back-off, rate limits), so tests and evals need not wait for real.
#[async_trait]
pub trait Sleeper: Send + Sync {
    async fn sleep(&self, duration: Duration);
}

/// Waits on the Tokio timer: production.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

#[async_trait]
impl Sleeper for TokioSleeper {
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Waits by moving a [`FrozenClock`] forward, instantly: for tests and eval runs, where the
/// clock is frozen and a real wait would never make the clock reach the deadline.
#[derive(Debug, Clone)]
pub struct AdvanceClock(pub Arc<FrozenClock>);

#[async_trait]
impl Sleeper for AdvanceClock {
    async fn sleep(&self, duration: Duration) {
        self.0.advance(TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> DateTime<Utc> {
        let start = DateTime::from_timestamp(1_760_968_800, 0).unwrap();
        start + TimeDelta::from_std(Duration::from_secs_f64(seconds)).unwrap()
    }

    #[test]
    fn a_burst_passes_then_callers_queue_at_the_rate() {
        let mut bucket = TokenBucket::new(RateLimit::RECIPIENT, at(0.0));
        let waits: Vec<Duration> = (0..5).map(|_| bucket.reserve(at(0.0))).collect();
        assert_eq!(waits[..3], [Duration::ZERO; 3]);
        assert_eq!(waits[3], Duration::from_secs(1));
        assert_eq!(waits[4], Duration::from_secs(2));
        // Two seconds later the queue has drained; the bucket refills from there.
        assert_eq!(bucket.reserve(at(2.0)), Duration::from_secs(1));
        assert!(!bucket.is_idle(at(3.0)));
        assert!(bucket.is_idle(at(6.0)));
    }

    #[test]
    fn limits_must_be_positive() {
        assert!(RateLimit::new(0.0, 3).is_none());
        assert!(RateLimit::new(f64::NAN, 3).is_none());
        assert!(RateLimit::new(1.0, 0).is_none());
        assert_eq!(RateLimit::new(80.0, 80), Some(RateLimit::BUSINESS_NUMBER));
    }
}
