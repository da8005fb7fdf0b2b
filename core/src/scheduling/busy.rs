//! Time a professional cannot be booked: existing appointments and time off.

use chrono::{DateTime, Utc};

use crate::clinic::Professional;
use crate::domain::ProfessionalId;

/// An existing appointment that holds a professional's time, `[start, end)`.
///
/// The caller passes only appointments that still hold their slot (scheduled or confirmed,
/// see [`AppointmentStatus::is_active`](crate::domain::AppointmentStatus::is_active)); when
/// rescheduling, it leaves out the appointment being moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub professional: ProfessionalId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Busy {
    /// Whether this appointment shares any time with `[start, end)`. Intervals that merely
    /// touch (one ends when the other starts) do not overlap.
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        overlaps((self.start, self.end), (start, end))
    }
}

type Interval = (DateTime<Utc>, DateTime<Utc>);

/// Half-open intervals overlap when each starts before the other ends; an empty interval
/// holds no time, so it overlaps nothing.
pub(super) fn overlaps(a: Interval, b: Interval) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

/// One professional's blocked time, merged into sorted, disjoint intervals so that asking
/// whether an appointment fits is one binary search, whatever the number of appointments.
#[derive(Debug)]
pub(super) struct Blocked {
    intervals: Vec<Interval>,
}

impl Blocked {
    pub(super) fn new(professional: &Professional, busy: &[Busy]) -> Blocked {
        let mut intervals: Vec<Interval> = busy
            .iter()
            .filter(|b| b.professional == professional.id)
            .map(|b| (b.start, b.end))
            .chain(professional.time_off.iter().map(|t| (t.start, t.end)))
            .filter(|(start, end)| start < end)
            .collect();
        intervals.sort_unstable();
        let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
        for (start, end) in intervals {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Blocked { intervals: merged }
    }

    /// Whether `[start, end)` overlaps no blocked time.
    pub(super) fn is_free(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        // Merged intervals have increasing ends too, so the first one ending after `start` is
        // the only one that can overlap.
        let first_after = self.intervals.partition_point(|&(_, blocked_end)| blocked_end <= start);
        self.intervals.get(first_after).is_none_or(|&blocked| !overlaps(blocked, (start, end)))
    }
}
