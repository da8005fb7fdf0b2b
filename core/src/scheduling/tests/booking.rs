//! Writes: is this exact start still bookable, and is a change late?

use chrono::TimeDelta;

use super::*;
use crate::clinic::TimeOff;
use crate::scheduling::{SlotError, check_bookable, is_late_change};

#[test]
fn a_free_slot_is_bookable_and_comes_back_whole() {
    let clinic = demo();
    let botox = service(&clinic, "Botox");
    let first = search(&clinic, SlotQuery::new(botox).limit(1), &[]);
    let checked =
        check_bookable(&clinic, botox, pro(&clinic, "Ana"), sp("2026-03-02 11:00"), &[], monday_9am());
    assert_eq!(checked, Ok(first[0]));
}

#[test]
fn each_broken_rule_is_named() {
    let clinic = demo();
    let (ana, ricardo, juliana) = (pro(&clinic, "Ana"), pro(&clinic, "Ricardo"), pro(&clinic, "Juliana"));
    let botox = service(&clinic, "Botox");
    let check = |service, professional, start| {
        check_bookable(&clinic, service, professional, start, &[], monday_9am()).unwrap_err()
    };

    assert!(matches!(check(botox, ana, sp("2026-03-02 10:30")), SlotError::TooSoon { .. }));
    assert!(matches!(check(botox, ana, sp("2026-05-01 09:30")), SlotError::BeyondHorizon { .. }));
    assert_eq!(
        check(botox, ana, sp("2026-03-02 11:15")).to_string(),
        "2026-03-02 11:15:00 (local time) is not on the clinic's 30-minute grid"
    );
    assert_eq!(
        check(service(&clinic, "Harmonização Facial"), ana, sp("2026-03-04 11:00")).to_string(),
        "Dra. Ana Paula Souza is not working for the whole of 90 minutes from 2026-03-04 11:00:00 (local time)"
    );
    assert!(matches!(check(botox, ana, sp("2026-03-04 19:00")), SlotError::OutsideHours { .. }));
    assert!(matches!(check(botox, ana, sp("2026-03-03 10:00")), SlotError::OutsideHours { .. }));
    assert!(matches!(check(botox, ricardo, sp("2026-03-08 10:00")), SlotError::OutsideHours { .. }));
    assert!(matches!(check(botox, juliana, sp("2026-03-04 10:00")), SlotError::NotPerformedBy { .. }));
}

#[test]
fn time_off_and_other_appointments_are_named_too() {
    let mut clinic = demo();
    let ana = pro(&clinic, "Ana");
    let botox = service(&clinic, "Botox");
    clinic.professionals[0]
        .time_off
        .push(TimeOff { start: sp("2026-03-06 00:00"), end: sp("2026-03-07 00:00") });
    let existing = [busy(ana, sp("2026-03-04 09:00"), 45)];
    let check = |start| check_bookable(&clinic, botox, ana, start, &existing, monday_9am());

    assert_eq!(
        check(sp("2026-03-06 10:00")).unwrap_err().to_string(),
        "Dra. Ana Paula Souza is away at 2026-03-06 10:00:00 (local time)"
    );
    assert_eq!(
        check(sp("2026-03-04 09:30")).unwrap_err().to_string(),
        "Dra. Ana Paula Souza already has an appointment overlapping 2026-03-04 09:30:00 (local time)"
    );
    assert!(check(sp("2026-03-04 10:00")).is_ok());
}

#[test]
fn rescheduling_leaves_the_moved_appointment_out() {
    // Moving a Harmonização from 09:00 to 09:30 overlaps its old time, which is freed by the move.
    let clinic = demo();
    let ana = pro(&clinic, "Ana");
    let harmonizacao = service(&clinic, "Harmonização Facial");
    let moved = busy(ana, sp("2026-03-04 09:00"), 90);
    let other = busy(ana, sp("2026-03-04 13:00"), 30);
    let to = sp("2026-03-04 09:30");

    let with_itself = check_bookable(&clinic, harmonizacao, ana, to, &[moved, other], monday_9am());
    assert!(matches!(with_itself, Err(SlotError::Taken { .. })));
    let without_it = check_bookable(&clinic, harmonizacao, ana, to, &[other], monday_9am()).unwrap();
    assert_eq!((without_it.start, without_it.end), (to, to + TimeDelta::minutes(90)));
}

#[test]
fn a_change_is_late_less_than_24_hours_before() {
    let clinic = demo();
    let appointment = sp("2026-03-03 09:00");
    assert!(!is_late_change(&clinic, appointment, monday_9am() - TimeDelta::days(3)));
    assert!(!is_late_change(&clinic, appointment, monday_9am()), "exactly 24 h before is still free");
    assert!(is_late_change(&clinic, appointment, monday_9am() + TimeDelta::minutes(1)));
    assert!(is_late_change(&clinic, appointment, appointment + TimeDelta::hours(1)), "already started");
}
