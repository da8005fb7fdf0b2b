//! The clinic's booking rules applied to one service: which wall-clock starts exist on a day,
//! which instants they stand for, and the window of instants that may be booked.
//!
//! Working hours and the grid are wall-clock times in the clinic's zone, while appointments are
//! instants; this module is the one place that turns the first into the second, so that clock
//! changes are handled once:
//! - a start the clocks skip (spring forward) does not exist and is never offered;
//! - a start the clocks repeat (fall back) is offered at its first occurrence only, because a
//!   patient reading "01:30" could not tell the two apart;
//! - an appointment must end, in real time, by the instant its working interval closes.

use std::num::NonZeroU32;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::SlotError;
use crate::clinic::{Clinic, Service, TimeRange};

/// The longest jump of the clocks in the tz database: Samoa skipped 30 December 2011.
const LONGEST_GAP_MINUTES: i64 = 25 * 60;

#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub(super) timezone: Tz,
    grid: NonZeroU32,
    pub(super) duration: TimeDelta,
    /// The earliest bookable start: now plus the minimum notice.
    pub(super) earliest: DateTime<Utc>,
    /// The latest bookable start: now plus the horizon, as an instant (`horizon_days` × 24 h),
    /// so the same booking is allowed or refused whatever the clocks do in between.
    pub(super) latest: DateTime<Utc>,
}

impl Rules {
    pub(super) fn new(clinic: &Clinic, service: &Service, now: DateTime<Utc>) -> Result<Rules, SlotError> {
        let booking = &clinic.booking;
        Ok(Rules {
            timezone: clinic.timezone,
            grid: NonZeroU32::new(booking.grid_minutes).ok_or(SlotError::NoGrid)?,
            duration: TimeDelta::minutes(i64::from(service.duration_minutes)),
            earliest: now + TimeDelta::minutes(i64::from(booking.min_notice_minutes)),
            latest: now + TimeDelta::days(i64::from(booking.horizon_days)),
        })
    }

    pub(super) fn grid_minutes(&self) -> u32 {
        self.grid.get()
    }

    /// Whether a wall-clock time is on the grid counted from local midnight.
    pub(super) fn on_grid(&self, time: NaiveTime) -> bool {
        time.nanosecond() == 0 && time.num_seconds_from_midnight().is_multiple_of(self.grid_seconds())
    }

    fn grid_seconds(&self) -> u32 {
        self.grid.get() * 60
    }

    /// The instant a wall-clock start stands for, or `None` if the clocks skip it.
    pub(super) fn start_instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        self.timezone.from_local_datetime(&local).earliest().map(|t| t.to_utc())
    }

    /// The instant a working interval closes. A closing time the clocks skip closes it when
    /// they jump; one they repeat closes it the first time it is reached.
    fn closing_instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        (0..=LONGEST_GAP_MINUTES).find_map(|minutes| self.start_instant(local + TimeDelta::minutes(minutes)))
    }

    /// Whether an appointment starting at `start` (the instant of `time` on `date`) lies
    /// entirely inside the working interval `range` of that day.
    pub(super) fn fits(
        &self,
        date: NaiveDate,
        range: &TimeRange,
        time: NaiveTime,
        start: DateTime<Utc>,
    ) -> bool {
        range.start <= time
            && time < range.end
            && self
                .closing_instant(date.and_time(range.end))
                .is_some_and(|closing| start + self.duration <= closing)
    }

    /// Every bookable start inside one working interval, earliest first, as the local time and
    /// the instant it stands for. Notice, horizon and existing appointments are not applied here.
    pub(super) fn starts_in(
        &self,
        date: NaiveDate,
        range: &TimeRange,
    ) -> impl Iterator<Item = (NaiveTime, DateTime<Utc>)> + use<> {
        let rules = *self;
        let closing = self.closing_instant(date.and_time(range.end));
        let grid = self.grid_seconds();
        let first = range.start.num_seconds_from_midnight().div_ceil(grid) * grid;
        let end = range.end.num_seconds_from_midnight();
        closing.into_iter().flat_map(move |closing| {
            (first..end)
                .step_by(grid as usize)
                .filter_map(|seconds| NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0))
                .filter_map(move |time| Some((time, rules.start_instant(date.and_time(time))?)))
                .take_while(move |&(_, start)| start + rules.duration <= closing)
        })
    }
}
