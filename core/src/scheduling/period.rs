//! The parts of the day patients ask for: "de manhã", "à tarde", "à noite".

use std::fmt;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// A part of the day, decided by an appointment's local start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Period {
    /// Starts before 12:00.
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
        const NOON: NaiveTime = NaiveTime::from_hms_opt(12, 0, 0).expect("12:00 is a valid time");
        const EVENING: NaiveTime = NaiveTime::from_hms_opt(18, 0, 0).expect("18:00 is a valid time");
        if start < NOON {
            Period::Manha
        } else if start < EVENING {
            Period::Tarde
        } else {
            Period::Noite
        }
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
