//! Searching free slots against the store's fresh busy times, and keeping the conversation's
//! offer: what `find_slots` shows, and what a write falls back to when its slot was lost.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use sofia_core::domain::{AppointmentId, ProfessionalId, ServiceId};
use sofia_core::scheduling::{Busy, Slot, SlotError, SlotQuery, check_bookable, free_slots};

use super::views::SlotView;
use super::{ToolContext, ToolError};

/// How many slots an offer shows when the caller does not say.
pub(super) const DEFAULT_OFFER: usize = 3;
/// The most slots one offer may show: more is not a choice a patient can make on WhatsApp.
pub(super) const MAX_OFFER: usize = 10;

/// Runs `query` against fresh busy times and makes its slots the conversation's offer,
/// replacing the previous one.
pub(super) async fn offer(ctx: &mut ToolContext<'_>, query: &SlotQuery) -> Result<Vec<SlotView>, ToolError> {
    let now = ctx.now();
    let clinic = ctx.clinic;
    // Busy time that can matter: from a day before the first date searched (appointments
    // running into it, any UTC offset) to two days after the last.
    let first = query.from_date.map_or(now, midnight) - TimeDelta::days(1);
    let last = query.to_date.map_or(now + TimeDelta::days(i64::from(clinic.booking.horizon_days)), midnight)
        + TimeDelta::days(2);
    let busy = busy(ctx, first, last, None).await?;
    let slots = free_slots(clinic, query, &busy, now).map_err(unsearchable)?;
    let offered = ctx.state.offer(slots, now);
    Ok(offered.iter().map(|offered| SlotView::new(clinic, offered)).collect())
}

/// Whether `start` can still be booked with `professional` for `service` (with the
/// appointment `moving` out of the way), against fresh busy times. When it cannot, fresh
/// alternatives become the offer and are returned in [`ToolError::SlotTaken`].
pub(super) async fn recheck(
    ctx: &mut ToolContext<'_>,
    service: ServiceId,
    professional: ProfessionalId,
    start: DateTime<Utc>,
    moving: Option<AppointmentId>,
) -> Result<Slot, ToolError> {
    let busy = busy(ctx, start - TimeDelta::days(1), start + TimeDelta::days(1), moving).await?;
    match check_bookable(ctx.clinic, service, professional, start, &busy, ctx.now()) {
        Ok(slot) => Ok(slot),
        Err(_) => Err(taken(ctx, service, start).await),
    }
}

/// The error for a slot lost after it was offered, with fresh alternatives on offer: the same
/// service on the same day with anyone who performs it, or the next free days when that day
/// is full.
pub(super) async fn taken(ctx: &mut ToolContext<'_>, service: ServiceId, start: DateTime<Utc>) -> ToolError {
    let day = start.with_timezone(&ctx.clinic.timezone).date_naive();
    let same_day = SlotQuery::new(service).on(day).limit(DEFAULT_OFFER);
    let alternatives = match offer(ctx, &same_day).await {
        Ok(slots) if slots.is_empty() => {
            let horizon = Days::new(u64::from(ctx.clinic.booking.horizon_days));
            let later = SlotQuery::new(service).between(day, day + horizon).limit(DEFAULT_OFFER);
            offer(ctx, &later).await
        }
        found => found,
    };
    match alternatives {
        Ok(alternatives) => ToolError::SlotTaken { alternatives },
        Err(error) => error,
    }
}

/// The professionals' time taken in `[from, to)`: live appointments (but the one `moving`),
/// and freed slots the waitlist holds for someone else for now.
async fn busy(
    ctx: &mut ToolContext<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    moving: Option<AppointmentId>,
) -> Result<Vec<Busy>, ToolError> {
    let intervals = ctx.store.busy_intervals(ctx.clinic.id, from, to).await?;
    let holds = ctx.store.holds(ctx.clinic.id, from, to, ctx.now()).await?;
    let patient = ctx.patient().await?.map(|patient| patient.id);
    let booked =
        intervals.into_iter().filter(|interval| Some(interval.appointment_id) != moving).map(|interval| {
            Busy { professional: interval.professional_id, start: interval.starts_at, end: interval.ends_at }
        });
    let held = holds.into_iter().filter(|hold| Some(hold.patient) != patient).map(|hold| Busy {
        professional: hold.professional,
        start: hold.starts_at,
        end: hold.ends_at,
    });
    Ok(booked.chain(held).collect())
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN).and_utc()
}

/// A search the clinic cannot answer: the arguments asked for something impossible.
fn unsearchable(error: SlotError) -> ToolError {
    let field = match error {
        SlotError::NotPerformedBy { .. } | SlotError::UnknownProfessional(_) => "professional",
        SlotError::EmptyDateRange { .. } => "date_to",
        _ => "service",
    };
    ToolError::Invalid { field, problem: error.to_string() }
}
