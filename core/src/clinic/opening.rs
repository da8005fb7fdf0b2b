//! Whether the clinic is open at a moment, and when it opens next: what a patient waiting for
//! the team is told outside opening hours.

use chrono::{Datelike, Days, NaiveDateTime};

use super::WeeklyHours;

impl WeeklyHours {
    /// Whether `at` (the clinic's wall clock) falls inside an opening interval.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.on(at.weekday()).iter().any(|range| range.start <= at.time() && at.time() < range.end)
    }

    /// The start of the next opening interval after `at` (the clinic's wall clock), looking a
    /// week ahead; `None` for a clinic that never opens. When `at` is inside an interval, the
    /// next one after it.
    pub fn next_opening(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        (0..=7).find_map(|offset| {
            let day = at.date().checked_add_days(Days::new(offset))?;
            self.on(day.weekday()).iter().map(|range| day.and_time(range.start)).find(|start| *start > at)
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::clinic::TimeRange;

    fn hours() -> WeeklyHours {
        let range = |from: u32, to: u32| TimeRange {
            start: NaiveTime::from_hms_opt(from, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(to, 0, 0).unwrap_or_default(),
        };
        let weekday = vec![range(9, 12), range(13, 19)];
        WeeklyHours::new([
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday,
            vec![range(9, 13)],
            vec![],
        ])
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn open_inside_an_interval_and_closed_at_lunch_and_at_night() {
        let hours = hours();
        // 2026-03-02 is a Monday.
        assert!(hours.is_open(local("2026-03-02 09:00")));
        assert!(hours.is_open(local("2026-03-02 18:59")));
        assert!(!hours.is_open(local("2026-03-02 12:30")));
        assert!(!hours.is_open(local("2026-03-02 19:00")));
        assert!(!hours.is_open(local("2026-03-08 10:00")), "closed on Sunday");
    }

    #[test]
    fn the_next_opening_is_after_lunch_the_next_morning_or_after_the_weekend() {
        let hours = hours();
        assert_eq!(hours.next_opening(local("2026-03-02 12:30")), Some(local("2026-03-02 13:00")));
        assert_eq!(hours.next_opening(local("2026-03-02 20:00")), Some(local("2026-03-03 09:00")));
        assert_eq!(hours.next_opening(local("2026-03-07 14:00")), Some(local("2026-03-09 09:00")));
        assert_eq!(hours.next_opening(local("2026-03-02 06:00")), Some(local("2026-03-02 09:00")));
    }

    #[test]
    fn a_clinic_that_never_opens_has_no_next_opening() {
        assert_eq!(WeeklyHours::default().next_opening(local("2026-03-02 10:00")), None);
    }
}
