//! When a failed delivery is tried again: the Standard Webhooks schedule (5 s, 5 min, 30 min,
//! 2 h, 5 h, 10 h, 10 h after the attempt before), stretched by up to a tenth so that
//! deliveries failed together do not come back together, and never sooner than the
//! receiver's `Retry-After`.

use std::time::Duration;

/// The waits after the 1st, 2nd, … failed attempt; after the last, the delivery fails.
const SCHEDULE: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// The longest `Retry-After` honoured: a day, the schedule's own scale.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// How long to wait after attempt `attempt` (1 for the first) failed, or `None` when the
/// schedule is spent. `jitter` is in `[0, 1)`: the wait grows by up to a tenth of it.
pub fn wait_after(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Option<Duration> {
    let index = usize::try_from(attempt).ok()?.checked_sub(1)?;
    let scheduled = SCHEDULE.get(index)?;
    let jittered = scheduled.mul_f64(1.0 + jitter.clamp(0.0, 1.0) / 10.0);
    Some(retry_after.map_or(jittered, |asked| jittered.max(asked.min(MAX_RETRY_AFTER))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_standard_webhooks_schedule_then_gives_up() {
        let waits: Vec<u64> = (1..=7).filter_map(|n| wait_after(n, None, 0.0)).map(|w| w.as_secs()).collect();
        assert_eq!(waits, [5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
        assert_eq!(wait_after(8, None, 0.0), None, "eight attempts in all");
        assert_eq!(wait_after(0, None, 0.0), None);
    }

    #[test]
    fn jitter_stretches_by_up_to_a_tenth() {
        assert_eq!(wait_after(2, None, 0.5), Some(Duration::from_secs(315)));
        assert!(wait_after(2, None, 0.999).unwrap() < Duration::from_secs(330));
    }

    #[test]
    fn retry_after_is_a_floor_up_to_a_day() {
        assert_eq!(wait_after(1, Some(Duration::from_secs(120)), 0.0), Some(Duration::from_secs(120)));
        assert_eq!(wait_after(2, Some(Duration::from_secs(60)), 0.0), Some(Duration::from_secs(300)));
        assert_eq!(wait_after(1, Some(Duration::from_secs(7 * 24 * 3600)), 0.0), Some(MAX_RETRY_AFTER));
    }
}
