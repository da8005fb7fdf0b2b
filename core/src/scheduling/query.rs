//! What a patient asked for, narrowed down to the terms free slots are searched by.

use chrono::{DateTime, NaiveDate, Utc};

use super::Period;
use crate::domain::{ProfessionalId, ServiceId};

/// A search for free slots. Only the service is required; every other field narrows the search.
///
/// ```
/// # use sofia_core::domain::ServiceId;
/// # use sofia_core::scheduling::{Period, SlotQuery};
/// # use chrono::NaiveDate;
/// # let botox = ServiceId::new_random();
/// let friday = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
/// let query = SlotQuery::new(botox).on(friday).in_period(Period::Tarde).limit(3);
/// assert_eq!(query.to_date, Some(friday));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotQuery {
    pub service: ServiceId,
    /// Only this professional; any who performs the service when `None`.
    pub professional: Option<ProfessionalId>,
    /// First local date to search, inclusive.
    pub from_date: Option<NaiveDate>,
    /// Last local date to search, inclusive.
    pub to_date: Option<NaiveDate>,
    pub period: Option<Period>,
    /// Only slots starting at or after this instant ("depois das 15h").
    pub earliest: Option<DateTime<Utc>>,
    /// At most this many slots, the earliest ones.
    pub limit: Option<usize>,
}

impl SlotQuery {
    /// Every free slot of a service within the booking horizon.
    pub fn new(service: ServiceId) -> SlotQuery {
        SlotQuery {
            service,
            professional: None,
            from_date: None,
            to_date: None,
            period: None,
            earliest: None,
            limit: None,
        }
    }

    pub fn with_professional(self, professional: ProfessionalId) -> SlotQuery {
        SlotQuery { professional: Some(professional), ..self }
    }

    /// Local dates from `from` to `to`, both inclusive.
    pub fn between(self, from: NaiveDate, to: NaiveDate) -> SlotQuery {
        SlotQuery { from_date: Some(from), to_date: Some(to), ..self }
    }

    /// One local date.
    pub fn on(self, date: NaiveDate) -> SlotQuery {
        self.between(date, date)
    }

    pub fn in_period(self, period: Period) -> SlotQuery {
        SlotQuery { period: Some(period), ..self }
    }

    pub fn not_before(self, earliest: DateTime<Utc>) -> SlotQuery {
        SlotQuery { earliest: Some(earliest), ..self }
    }

    pub fn limit(self, limit: usize) -> SlotQuery {
        SlotQuery { limit: Some(limit), ..self }
    }
}
