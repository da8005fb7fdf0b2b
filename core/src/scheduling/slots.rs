//! Free slots: every start at which a professional could take a service.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::busy::Blocked;
use super::rules::Rules;
use super::{Busy, Period, SlotError, SlotQuery};
use crate::clinic::{Clinic, Professional, Service};
use crate::domain::{ProfessionalId, ServiceId};

/// A time a professional can take a service: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub professional: ProfessionalId,
    pub service: ServiceId,
}

impl Slot {
    /// The start on the clinic's wall clock (pass `clinic.timezone`).
    pub fn local_start(&self, timezone: Tz) -> DateTime<Tz> {
        self.start.with_timezone(&timezone)
    }

    /// The end on the clinic's wall clock (pass `clinic.timezone`).
    pub fn local_end(&self, timezone: Tz) -> DateTime<Tz> {
        self.end.with_timezone(&timezone)
    }

    /// Whether the slot is in `period` on the clinic's wall clock, as a patient asking for that
    /// part of the day means it: [`Period::covers`], within its professional's hours that day.
    pub fn in_period(&self, clinic: &Clinic, period: Period) -> bool {
        let start = self.local_start(clinic.timezone);
        let time = start.time();
        clinic
            .professional(self.professional)
            .and_then(|professional| {
                professional
                    .hours
                    .on(start.weekday())
                    .iter()
                    .find(|hours| hours.start <= time && time < hours.end)
            })
            .map_or_else(|| Period::of(time) == period, |hours| period.covers(time, hours))
    }
}

/// The free slots matching `query`, ordered by start and, for equal starts, by the clinic's
/// order of professionals.
///
/// A slot starts on the clinic's grid, at least the minimum notice after `now` and no later
/// than the horizon (an instant: `now` plus `horizon_days` × 24 h); the whole appointment lies
/// inside one of the professional's working intervals (so never across lunch or past closing)
/// and overlaps none of their `busy` appointments or time off.
pub fn free_slots(
    clinic: &Clinic,
    query: &SlotQuery,
    busy: &[Busy],
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, SlotError> {
    let service = lookup_service(clinic, query.service)?;
    let professionals = match query.professional {
        Some(id) => vec![lookup_performer(clinic, service, id)?],
        None => clinic.professionals_for(service.id).collect(),
    };
    if let (Some(from), Some(to)) = (query.from_date, query.to_date)
        && from > to
    {
        return Err(SlotError::EmptyDateRange { from, to });
    }
    let rules = Rules::new(clinic, service, now)?;
    let earliest = query.earliest.map_or(rules.earliest, |earliest| earliest.max(rules.earliest));
    let latest = rules.latest;
    let limit = query.limit.unwrap_or(usize::MAX);
    let local_date = |instant: DateTime<Utc>| instant.with_timezone(&rules.timezone).date_naive();
    let first_date = query.from_date.map_or(local_date(earliest), |from| from.max(local_date(earliest)));
    let last_date = query.to_date.map_or(local_date(latest), |to| to.min(local_date(latest)));

    let calendars: Vec<(&Professional, Blocked)> =
        professionals.into_iter().map(|p| (p, Blocked::new(p, busy))).collect();
    let mut slots = Vec::new();
    for date in dates(first_date, last_date) {
        if slots.len() >= limit {
            break;
        }
        let day_starts_at = slots.len();
        for (professional, blocked) in &calendars {
            for range in professional.hours.on(date.weekday()) {
                for (time, start) in rules.starts_in(date, range) {
                    let end = start + rules.duration;
                    let wanted = earliest <= start
                        && start <= latest
                        && query.period.is_none_or(|period| period.covers(time, range));
                    if wanted && blocked.is_free(start, end) {
                        slots.push(Slot { start, end, professional: professional.id, service: service.id });
                    }
                }
            }
        }
        // Professionals were visited in the clinic's order and the sort is stable, so slots
        // starting together keep that order.
        slots[day_starts_at..].sort_by_key(|slot| slot.start);
    }
    slots.truncate(limit);
    Ok(slots)
}

/// Local dates from `first` to `last`, inclusive (none if `first` is later).
fn dates(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |date| *date <= last)
}

pub(super) fn lookup_service(clinic: &Clinic, id: ServiceId) -> Result<&Service, SlotError> {
    clinic.service(id).ok_or(SlotError::UnknownService(id))
}

/// The professional `id`, if they perform `service`.
pub(super) fn lookup_performer<'c>(
    clinic: &'c Clinic,
    service: &Service,
    id: ProfessionalId,
) -> Result<&'c Professional, SlotError> {
    let professional = clinic.professional(id).ok_or(SlotError::UnknownProfessional(id))?;
    if professional.service_ids.contains(&service.id) {
        Ok(professional)
    } else {
        Err(SlotError::NotPerformedBy {
            professional: professional.name.clone(),
            service: service.name.clone(),
        })
    }
}
