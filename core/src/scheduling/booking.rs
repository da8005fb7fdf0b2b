//! The checks a write makes: is this exact start still free, and is a change late?

use chrono::{DateTime, Datelike, TimeDelta, Utc};

use super::busy::overlaps;
use super::rules::Rules;
use super::slots::{lookup_performer, lookup_service};
use super::{Busy, Slot, SlotError};
use crate::clinic::Clinic;
use crate::domain::{ProfessionalId, ServiceId};

/// Whether `start` is still a free slot of `professional` for `service`: exactly the slots
/// [`free_slots`](super::free_slots) would offer without filters. Booking calls it right before
/// writing; rescheduling too, with the appointment being moved left out of `busy`.
///
/// The error says the first rule broken, in the order: who and what, notice and horizon, the
/// grid, working hours, time off, other appointments.
pub fn check_bookable(
    clinic: &Clinic,
    service: ServiceId,
    professional: ProfessionalId,
    start: DateTime<Utc>,
    busy: &[Busy],
    now: DateTime<Utc>,
) -> Result<Slot, SlotError> {
    let service = lookup_service(clinic, service)?;
    let professional = lookup_performer(clinic, service, professional)?;
    let rules = Rules::new(clinic, service, now)?;
    if start < rules.earliest {
        return Err(SlotError::TooSoon { start, earliest: rules.earliest });
    }
    if start > rules.latest {
        return Err(SlotError::BeyondHorizon { start, latest: rules.latest });
    }

    let local = start.with_timezone(&rules.timezone).naive_local();
    if !rules.on_grid(local.time()) {
        return Err(SlotError::OffGrid { local, grid_minutes: rules.grid_minutes() });
    }
    if rules.start_instant(local) != Some(start) {
        return Err(SlotError::RepeatedHour { local });
    }
    let date = local.date();
    let in_hours = professional
        .hours
        .on(date.weekday())
        .iter()
        .any(|range| rules.fits(date, range, local.time(), start));
    if !in_hours {
        return Err(SlotError::OutsideHours {
            professional: professional.name.clone(),
            local,
            minutes: service.duration_minutes,
        });
    }

    let end = start + rules.duration;
    if professional.time_off.iter().any(|away| overlaps((away.start, away.end), (start, end))) {
        return Err(SlotError::Away { professional: professional.name.clone(), local });
    }
    if busy.iter().any(|b| b.professional == professional.id && b.overlaps(start, end)) {
        return Err(SlotError::Taken { professional: professional.name.clone(), local });
    }
    Ok(Slot { start, end, professional: professional.id, service: service.id })
}

/// Whether cancelling or moving an appointment now is late: less than the clinic's
/// free-cancellation window (24 h in the demo clinic) before it starts. Exactly at the window's
/// edge is still free, and an appointment that has already started is always late.
pub fn is_late_change(clinic: &Clinic, appointment_start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    appointment_start - now < TimeDelta::hours(i64::from(clinic.policies.free_cancellation_hours))
}
