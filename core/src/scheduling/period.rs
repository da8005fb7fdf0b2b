//! The parts of the day patients ask for: "de manhã", "à tarde", "à noite".

use std::fmt;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::clinic::TimeRange;

/// A part of the day, decided by an appointment's local start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Period {
    /// Starts before 12:00, or in hours that close by 13:00 ([`Period::covers`]).
    #[serde(alias = "manhã")]
    Manha,
    /// Starts from 12:00 to 17:59.
    Tarde,
    /// Starts at 18:00 or later.
    Noite,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Manha, Period::Tarde, Period::Noite];

    /// The period a local start time falls in.
    pub fn of(start: NaiveTime) -> Period {
        if start < Period::Tarde.start() {
            Period::Manha
        } else if start < Period::Noite.start() {
            Period::Tarde
        } else {
            Period::Noite
        }
    }

    /// The earliest start in this period.
    pub const fn start(self) -> NaiveTime {
        const MIDNIGHT: NaiveTime = NaiveTime::MIN;
        const NOON: NaiveTime = NaiveTime::from_hms_opt(12, 0, 0).expect("12:00 is a valid time");
        const EVENING: NaiveTime = NaiveTime::from_hms_opt(18, 0, 0).expect("18:00 is a valid time");
        match self {
            Period::Manha => MIDNIGHT,
            Period::Tarde => NOON,
            Period::Noite => EVENING,
        }
    }

    /// Whether a start within the opening hours it falls in is in this period. Hours that open
    /// in the morning and close by 13:00 (a Saturday's 09–13) are that day's morning, whole: a
    /// patient asking for "sábado de manhã", or its last slot, means 12:00 too. That 12:00 is
    /// still the afternoon's as well, as the clock says.
    pub fn covers(self, start: NaiveTime, hours: &TimeRange) -> bool {
        const HALF_DAY_CLOSES: NaiveTime = NaiveTime::from_hms_opt(13, 0, 0).expect("13:00 is a valid time");
        let half_day = Period::of(hours.start) == Period::Manha && hours.end <= HALF_DAY_CLOSES;
        Period::of(start) == self || (self == Period::Manha && half_day)
    }

    /// How a patient reads it (pt-BR).
    pub fn label(self) -> &'static str {
        match self {
            Period::Manha => "manhã",
            Period::Tarde => "tarde",
            Period::Noite => "noite",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn a_half_day_that_closes_by_one_is_all_morning_and_noon_still_afternoon() {
        let saturday = TimeRange { start: at(9, 0), end: at(13, 0) };
        assert!(Period::Manha.covers(at(12, 0), &saturday));
        assert!(Period::Tarde.covers(at(12, 0), &saturday));
        assert!(Period::Manha.covers(at(9, 0), &saturday));
        assert!(!Period::Tarde.covers(at(11, 30), &saturday));
    }

    #[test]
    fn longer_hours_are_cut_by_the_clock() {
        let afternoon = TimeRange { start: at(13, 0), end: at(19, 0) };
        assert!(Period::Tarde.covers(at(13, 0), &afternoon));
        assert!(Period::Noite.covers(at(18, 0), &afternoon));
        assert!(!Period::Tarde.covers(at(18, 0), &afternoon));
        let whole_day = TimeRange { start: at(9, 0), end: at(19, 0) };
        assert!(!Period::Manha.covers(at(12, 0), &whole_day));
        assert!(Period::Manha.covers(at(11, 30), &whole_day));
    }
}
