//! Clock changes: slots are built on the wall clock and booked as instants, so a day the clocks
//! jump has starts that do not exist, starts that happen twice, and intervals longer or shorter
//! than they read.

use chrono::{DurationRound, NaiveDate};
use chrono_tz::America::{New_York, Sao_Paulo};

use super::*;
use crate::clinic::{TimeRange, WeeklyHours};
use crate::scheduling::{SlotError, check_bookable};

/// The demo clinic moved to New York and open every night from midnight to `closing`, so that
/// the 02:00 clock changes fall inside working hours.
fn night_clinic(closing: NaiveTime) -> Clinic {
    let mut clinic = demo();
    clinic.timezone = New_York;
    let nights = WeeklyHours::new(std::array::from_fn(|_| vec![TimeRange { start: hm(0, 0), end: closing }]));
    clinic.opening_hours = nights.clone();
    for professional in &mut clinic.professionals {
        professional.hours = nights.clone();
    }
    clinic
}

fn ny(text: &str) -> DateTime<Utc> {
    local_in(New_York, text)
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn ana_on(clinic: &Clinic, name: &str, date: &str, now: DateTime<Utc>) -> Vec<Slot> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let query = SlotQuery::new(service(clinic, name)).with_professional(pro(clinic, "Ana")).on(date);
    free_slots(clinic, &query, &[], now).unwrap()
}

// New York springs forward on Sunday 8 March 2026: 02:00 EST becomes 03:00 EDT.
const SPRING: &str = "2026-03-08";
// …and falls back on Sunday 1 November 2026: 02:00 EDT becomes 01:00 EST.
const FALL: &str = "2026-11-01";

#[test]
fn starts_the_clocks_skip_are_not_offered() {
    let clinic = night_clinic(hm(4, 0));
    let slots = ana_on(&clinic, "Botox", SPRING, ny("2026-03-07 12:00"));
    assert_eq!(times(&clinic, &slots), ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30"]);
    // 01:30 EST and 03:00 EDT are half an hour apart in real time.
    assert_eq!(slots[3].start, utc("2026-03-08T06:30:00Z"));
    assert_eq!(slots[4].start, utc("2026-03-08T07:00:00Z"));
}

#[test]
fn a_night_with_a_skipped_hour_is_an_hour_shorter() {
    // 00:00–04:00 lasts three real hours, so a two-hour service must start by 01:00 EST.
    let clinic = night_clinic(hm(4, 0));
    let slots = ana_on(&clinic, "Lipo de Papada", SPRING, ny("2026-03-07 12:00"));
    assert_eq!(times(&clinic, &slots), ["00:00", "00:30", "01:00"]);
    assert_eq!(slots[2].local_end(New_York).format("%H:%M").to_string(), "04:00");
}

#[test]
fn closing_at_a_time_the_clocks_skip_closes_when_they_jump() {
    // Closing at 02:30, which never shows on 8 March, means closing at 03:00 EDT (07:00 UTC).
    let clinic = night_clinic(hm(2, 30));
    let slots = ana_on(&clinic, "Botox", SPRING, ny("2026-03-07 12:00"));
    assert_eq!(times(&clinic, &slots), ["00:00", "00:30", "01:00", "01:30"]);
    assert_eq!(slots[3].end, utc("2026-03-08T07:00:00Z"));
}

#[test]
fn starts_the_clocks_repeat_are_offered_once() {
    let clinic = night_clinic(hm(4, 0));
    let now = ny("2026-10-31 12:00");
    let slots = ana_on(&clinic, "Botox", FALL, now);
    assert_eq!(times(&clinic, &slots), every_half_hour("00:00", "03:30"));
    assert_eq!(slots[3].start, utc("2026-11-01T05:30:00Z"), "01:30 EDT, the first 01:30");
    assert_eq!(slots[4].start, utc("2026-11-01T07:00:00Z"), "02:00 EST");

    let second_half_past_one = utc("2026-11-01T06:30:00Z");
    let checked = check_bookable(
        &clinic,
        service(&clinic, "Botox"),
        pro(&clinic, "Ana"),
        second_half_past_one,
        &[],
        now,
    );
    assert!(matches!(checked, Err(SlotError::RepeatedHour { .. })), "{checked:?}");
}

#[test]
fn a_night_with_a_repeated_hour_is_an_hour_longer() {
    // 00:00–04:00 lasts five real hours: a two-hour service fits from 02:00 EST (07:00–09:00 UTC).
    let clinic = night_clinic(hm(4, 0));
    let slots = ana_on(&clinic, "Lipo de Papada", FALL, ny("2026-10-31 12:00"));
    assert_eq!(times(&clinic, &slots), every_half_hour("00:00", "02:00"));
    assert_eq!(slots[4].end, utc("2026-11-01T09:00:00Z"));
}

#[test]
fn sao_paulo_slots_follow_the_offset_in_force_on_their_day() {
    // Brazil kept daylight saving time until 2019; on 4 November 2018 São Paulo moved from
    // UTC−3 to UTC−2, so 09:00 on the Saturday before and the Monday after are different UTC hours.
    let clinic = demo();
    assert_eq!(clinic.timezone, Sao_Paulo);
    let now = utc("2018-11-01T12:00:00Z");
    let saturday = ana_on(&clinic, "Botox", "2018-11-03", now);
    let monday = ana_on(&clinic, "Botox", "2018-11-05", now);
    assert_eq!(saturday[0].start, utc("2018-11-03T12:00:00Z"));
    assert_eq!(monday[0].start, utc("2018-11-05T11:00:00Z"));
    assert_eq!(times(&clinic, &saturday), every_half_hour("09:00", "12:30"));
    assert_eq!(
        times(&clinic, &monday),
        [every_half_hour("09:00", "11:30"), every_half_hour("13:00", "18:30")].concat()
    );
    let checked =
        check_bookable(&clinic, service(&clinic, "Botox"), pro(&clinic, "Ana"), monday[0].start, &[], now);
    assert_eq!(checked, Ok(monday[0]));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Around both of New York's 2026 clock changes, whatever the service and the closing time
    /// (04:00 or later, so the change falls inside working hours), the starts `check_bookable`
    /// accepts are exactly the free slots, in the same order.
    #[test]
    fn around_clock_changes_check_bookable_accepts_exactly_the_free_slots(
        fall in proptest::bool::ANY,
        hours_before in 0i64..72,
        service_index in 0usize..9,
        closing_half_hours in 8u32..48,
    ) {
        let closing = NaiveTime::from_num_seconds_from_midnight_opt(closing_half_hours * 1800, 0).unwrap();
        let clinic = night_clinic(closing);
        let change = if fall { utc("2026-11-01T06:00:00Z") } else { utc("2026-03-08T07:00:00Z") };
        let now = change - chrono::TimeDelta::hours(hours_before);
        let service = clinic.services[service_index].id;
        let until = now + chrono::TimeDelta::days(5);

        let offered: Vec<Slot> = free_slots(&clinic, &SlotQuery::new(service), &[], now)
            .unwrap()
            .into_iter()
            .take_while(|slot| slot.start < until)
            .collect();
        let mut accepted = Vec::new();
        let quarters = std::iter::successors(Some(now.duration_trunc(chrono::TimeDelta::minutes(15)).unwrap()), |t| {
            Some(*t + chrono::TimeDelta::minutes(15))
        });
        for start in quarters.take_while(|t| *t < until) {
            for professional in clinic.professionals_for(service) {
                if let Ok(slot) = check_bookable(&clinic, service, professional.id, start, &[], now) {
                    accepted.push(slot);
                }
            }
        }
        proptest::prop_assert!(!offered.is_empty());
        proptest::prop_assert_eq!(accepted, offered);
    }
}
