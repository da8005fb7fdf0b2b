//! Turns in a row the assistant could not place. Two in a row hand the conversation to a person
//! ([`crate::lang::CLARIFICATIONS_BEFORE_HUMAN`]), but only in one sitting: a patient back days
//! after one miss ("oi?") starts afresh, and is greeted rather than handed over.

use chrono::{DateTime, TimeDelta, Utc};

use super::ConversationState;

/// How long a turn not placed is remembered. A chat goes on within minutes or a few hours; a
/// patient who writes again the next day is not still waiting for the answer that missed.
pub const MISS_MEMORY: TimeDelta = TimeDelta::hours(6);

impl ConversationState {
    /// Turns in a row not placed, as of `now`: none once the last is older than
    /// [`MISS_MEMORY`]. A count stored without its time (by an older version) still counts.
    pub fn misses(&self, now: DateTime<Utc>) -> u32 {
        match self.missed_at {
            Some(at) if now - at > MISS_MEMORY => 0,
            _ => self.clarifications,
        }
    }

    /// One more turn not placed, at `now`: the count with it.
    pub fn missed(&mut self, now: DateTime<Utc>) -> u32 {
        self.set_misses(self.misses(now) + 1, now)
    }

    /// The count of turns not placed is `count`, as of `now`.
    pub fn set_misses(&mut self, count: u32, now: DateTime<Utc>) -> u32 {
        self.clarifications = count;
        self.missed_at = Some(now);
        count
    }

    /// A turn was placed (or a person took over): the count starts again.
    pub fn placed(&mut self) {
        self.clarifications = 0;
        self.missed_at = None;
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
    }

    #[test]
    fn misses_in_one_sitting_add_up() {
        let mut state = ConversationState::default();
        assert_eq!(state.missed(at(12)), 1);
        assert_eq!(state.missed(at(13)), 2);
        assert_eq!(state.misses(at(13)), 2);
    }

    #[test]
    fn a_miss_long_ago_is_forgotten() {
        let mut state = ConversationState::default();
        state.missed(at(9));
        assert_eq!(state.misses(at(9) + MISS_MEMORY), 1);
        assert_eq!(state.misses(at(9) + TimeDelta::days(3)), 0);
        assert_eq!(state.missed(at(9) + TimeDelta::days(3)), 1, "back days later: the first miss again");
    }

    #[test]
    fn a_placed_turn_starts_the_count_again() {
        let mut state = ConversationState::default();
        state.missed(at(9));
        state.placed();
        assert_eq!(state.misses(at(9)), 0);
        assert_eq!(state.missed_at, None);
    }

    #[test]
    fn a_count_stored_without_its_time_still_counts() {
        let state = ConversationState { clarifications: 1, ..Default::default() };
        assert_eq!(state.misses(at(9) + TimeDelta::days(30)), 1);
    }
}
