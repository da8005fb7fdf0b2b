//! The demo clinic's calendar at the frozen Monday 2 March 2026, 09:00 (São Paulo, UTC−3).

use chrono::{Datelike, NaiveDate, Weekday};

use super::*;
use crate::clinic::TimeOff;
use crate::scheduling::{Period, SlotError};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

const TUESDAY: &str = "2026-03-03";
const WEDNESDAY: &str = "2026-03-04";
const SATURDAY: &str = "2026-03-07";
const SUNDAY: &str = "2026-03-08";

#[test]
fn the_first_botox_slots_are_monday_11h_with_dra_ana() {
    // 09:00 plus 2 h of notice is 11:00; Dr. Ricardo does not work on Mondays; 11:30 still ends
    // by lunch, then the afternoon opens at 13:00.
    let clinic = demo();
    let slots = search(&clinic, SlotQuery::new(service(&clinic, "Botox")).limit(4), &[]);
    assert_eq!(
        labels(&clinic, &slots),
        ["2026-03-02 11:00 Ana", "2026-03-02 11:30 Ana", "2026-03-02 13:00 Ana", "2026-03-02 13:30 Ana"]
    );
}

#[test]
fn notice_rounds_up_to_the_next_grid_start() {
    let clinic = demo();
    let now = monday_9am() + chrono::TimeDelta::minutes(10);
    let query = SlotQuery::new(service(&clinic, "Botox")).limit(1);
    let slots = free_slots(&clinic, &query, &[], now).unwrap();
    assert_eq!(labels(&clinic, &slots), ["2026-03-02 11:30 Ana"]);
}

#[test]
fn on_tuesday_botox_is_only_with_dr_ricardo() {
    let clinic = demo();
    let slots = search(&clinic, SlotQuery::new(service(&clinic, "Botox")).on(date(TUESDAY)), &[]);
    assert!(slots.iter().all(|s| s.professional == pro(&clinic, "Ricardo")));
    assert_eq!(
        times(&clinic, &slots),
        [every_half_hour("09:00", "11:30"), every_half_hour("13:00", "18:30")].concat()
    );
}

#[test]
fn saturday_ends_at_13h() {
    let clinic = demo();
    let botox = search(&clinic, SlotQuery::new(service(&clinic, "Botox")).on(date(SATURDAY)), &[]);
    assert!(botox.iter().all(|s| s.professional == pro(&clinic, "Ana")));
    assert_eq!(times(&clinic, &botox), every_half_hour("09:00", "12:30"));

    let limpeza =
        search(&clinic, SlotQuery::new(service(&clinic, "Limpeza de Pele")).on(date(SATURDAY)), &[]);
    assert_eq!(times(&clinic, &limpeza), every_half_hour("09:00", "12:00"));
}

#[test]
fn nothing_is_offered_on_sunday() {
    let clinic = demo();
    for offered in &clinic.services {
        assert_eq!(search(&clinic, SlotQuery::new(offered.id).on(date(SUNDAY)), &[]), [], "{}", offered.name);
    }
    let everything = search(&clinic, SlotQuery::new(service(&clinic, "Avaliação")), &[]);
    assert!(everything.iter().all(|s| s.local_start(clinic.timezone).weekday() != Weekday::Sun));
}

#[test]
fn harmonizacao_never_overlaps_lunch_nor_closing() {
    // 90 minutes: 10:30 ends at 12:00 and 17:30 at 19:00, exactly on the edges.
    let clinic = demo();
    let harmonizacao = service(&clinic, "Harmonização Facial");
    let wednesday = search(&clinic, SlotQuery::new(harmonizacao).on(date(WEDNESDAY)), &[]);
    assert_eq!(
        times(&clinic, &wednesday),
        [every_half_hour("09:00", "10:30"), every_half_hour("13:00", "17:30")].concat()
    );

    // Over the whole horizon: on weekdays never 11:00 nor 11:30 (lunch), never after 17:30;
    // on Saturdays, which have no lunch break, the last start is 11:30.
    let all = search(&clinic, SlotQuery::new(harmonizacao), &[]);
    assert!(!all.is_empty());
    for slot in &all {
        let start = slot.local_start(clinic.timezone);
        let time = start.format("%H:%M").to_string();
        let allowed = if start.weekday() == Weekday::Sat {
            time.as_str() <= "11:30"
        } else {
            time != "11:00" && time != "11:30" && time.as_str() <= "17:30"
        };
        assert!(allowed, "{start}");
    }
}

#[test]
fn lipo_de_papada_takes_two_hours_so_the_last_start_is_17h() {
    let clinic = demo();
    let slots = search(&clinic, SlotQuery::new(service(&clinic, "Lipo de Papada")).on(date(WEDNESDAY)), &[]);
    assert_eq!(
        times(&clinic, &slots),
        [every_half_hour("09:00", "10:00"), every_half_hour("13:00", "17:00")].concat()
    );
}

#[test]
fn preenchimento_takes_45_minutes_but_still_starts_on_the_half_hour() {
    let clinic = demo();
    let slots =
        search(&clinic, SlotQuery::new(service(&clinic, "Preenchimento Labial")).on(date(WEDNESDAY)), &[]);
    assert_eq!(
        times(&clinic, &slots),
        [every_half_hour("09:00", "11:00"), every_half_hour("13:00", "18:00")].concat()
    );
    assert_eq!(slots[0].local_end(clinic.timezone).format("%H:%M").to_string(), "09:45");
}

#[test]
fn periods_split_the_day_at_noon_and_18h() {
    let clinic = demo();
    let botox = SlotQuery::new(service(&clinic, "Botox")).on(date(WEDNESDAY));
    let in_period = |period| times(&clinic, &search(&clinic, botox.in_period(period), &[]));
    assert_eq!(in_period(Period::Manha), every_half_hour("09:00", "11:30"));
    assert_eq!(in_period(Period::Tarde), every_half_hour("13:00", "17:30"));
    assert_eq!(in_period(Period::Noite), ["18:00", "18:30"]);

    assert_eq!(Period::of(hm(11, 59)), Period::Manha);
    assert_eq!(Period::of(hm(12, 0)), Period::Tarde);
    assert_eq!(Period::of(hm(17, 59)), Period::Tarde);
    assert_eq!(Period::of(hm(18, 0)), Period::Noite);
    let labels: Vec<_> = Period::ALL.iter().map(|p| p.to_string()).collect();
    assert_eq!(labels, ["manhã", "tarde", "noite"]);
}

#[test]
fn slots_starting_together_follow_the_clinics_order_of_professionals() {
    let clinic = demo();
    let peeling = SlotQuery::new(service(&clinic, "Peeling Químico")).on(date(TUESDAY)).limit(4);
    assert_eq!(
        labels(&clinic, &search(&clinic, peeling, &[])),
        [
            "2026-03-03 09:00 Ricardo",
            "2026-03-03 09:00 Juliana",
            "2026-03-03 09:30 Ricardo",
            "2026-03-03 09:30 Juliana"
        ]
    );
}

#[test]
fn a_professional_can_be_asked_for() {
    let clinic = demo();
    let juliana = pro(&clinic, "Juliana");
    let peeling = SlotQuery::new(service(&clinic, "Peeling Químico")).with_professional(juliana);
    let slots = search(&clinic, peeling, &[]);
    assert!(!slots.is_empty());
    assert!(slots.iter().all(|s| s.professional == juliana));
}

#[test]
fn asking_for_the_impossible_is_an_error() {
    let clinic = demo();
    let botox = service(&clinic, "Botox");
    let with_juliana = SlotQuery::new(botox).with_professional(pro(&clinic, "Juliana"));
    let error = free_slots(&clinic, &with_juliana, &[], monday_9am()).unwrap_err();
    assert_eq!(error.to_string(), "Juliana Reis does not perform Botox");

    let unknown = ServiceId::new_random();
    assert_eq!(
        free_slots(&clinic, &SlotQuery::new(unknown), &[], monday_9am()),
        Err(SlotError::UnknownService(unknown))
    );

    let stranger = ProfessionalId::new_random();
    assert_eq!(
        free_slots(&clinic, &SlotQuery::new(botox).with_professional(stranger), &[], monday_9am()),
        Err(SlotError::UnknownProfessional(stranger))
    );

    let backwards = SlotQuery::new(botox).between(date("2026-03-11"), date("2026-03-10"));
    assert!(matches!(
        free_slots(&clinic, &backwards, &[], monday_9am()),
        Err(SlotError::EmptyDateRange { .. })
    ));
}

#[test]
fn a_booked_appointment_removes_every_start_it_overlaps() {
    // Preenchimento (45 min) with Dra. Ana at 09:00 holds her until 09:45: a Botox at 09:30
    // would overlap its last quarter hour, and a Harmonização (90 min) could start only after it.
    let clinic = demo();
    let ana = pro(&clinic, "Ana");
    let preenchimento = [busy(ana, sp("2026-03-04 09:00"), 45)];
    let morning = |name| {
        let query = SlotQuery::new(service(&clinic, name)).on(date(WEDNESDAY)).in_period(Period::Manha);
        times(&clinic, &search(&clinic, query, &preenchimento))
    };
    assert_eq!(morning("Botox"), every_half_hour("10:00", "11:30"));
    assert_eq!(morning("Harmonização Facial"), ["10:00", "10:30"]);

    // Touching is not overlapping: a Botox 09:00–09:30 leaves 09:30 free.
    let botox = [busy(ana, sp("2026-03-04 09:00"), 30)];
    let query = SlotQuery::new(service(&clinic, "Botox")).on(date(WEDNESDAY)).limit(2);
    assert_eq!(times(&clinic, &search(&clinic, query, &botox)), ["09:30", "10:00"]);

    // …but an appointment ending at a start does not hide the next one overlapping it.
    let two = [busy(ana, sp("2026-03-04 09:00"), 30), busy(ana, sp("2026-03-04 09:45"), 30)];
    assert_eq!(times(&clinic, &search(&clinic, query, &two)), ["10:30", "11:00"]);
}

#[test]
fn an_appointment_blocks_only_its_own_professional() {
    let clinic = demo();
    let ricardo_busy = [busy(pro(&clinic, "Ricardo"), sp("2026-03-03 09:00"), 60)];
    let peeling = SlotQuery::new(service(&clinic, "Peeling Químico")).on(date(TUESDAY)).limit(3);
    assert_eq!(
        labels(&clinic, &search(&clinic, peeling, &ricardo_busy)),
        ["2026-03-03 09:00 Juliana", "2026-03-03 09:30 Juliana", "2026-03-03 10:00 Ricardo"]
    );
}

#[test]
fn time_off_removes_slots() {
    let mut clinic = demo();
    clinic.professionals[0]
        .time_off
        .push(TimeOff { start: sp("2026-03-04 14:00"), end: sp("2026-03-04 16:00") });
    clinic.professionals[0]
        .time_off
        .push(TimeOff { start: sp("2026-03-06 00:00"), end: sp("2026-03-07 00:00") });
    let botox = SlotQuery::new(service(&clinic, "Botox"));
    let wednesday_afternoon = search(&clinic, botox.on(date(WEDNESDAY)).in_period(Period::Tarde), &[]);
    assert_eq!(
        times(&clinic, &wednesday_afternoon),
        [vec!["13:00".to_owned(), "13:30".to_owned()], every_half_hour("16:00", "17:30")].concat()
    );
    assert_eq!(search(&clinic, botox.on(date("2026-03-06")), &[]), []);
    assert_eq!(search(&clinic, botox.on(date(SATURDAY)), &[]).len(), 8);
}

#[test]
fn the_horizon_is_60_days_to_the_instant() {
    // Monday 2 March 09:00 + 60 × 24 h is Friday 1 May 09:00: that start is the last one.
    let clinic = demo();
    let all = search(&clinic, SlotQuery::new(service(&clinic, "Botox")), &[]);
    let last_two = labels(&clinic, &all[all.len() - 2..]);
    assert_eq!(last_two, ["2026-04-30 18:30 Ricardo", "2026-05-01 09:00 Ana"]);

    let a_minute_earlier = monday_9am() - chrono::TimeDelta::minutes(1);
    let all = free_slots(&clinic, &SlotQuery::new(service(&clinic, "Botox")), &[], a_minute_earlier).unwrap();
    assert_eq!(labels(&clinic, &all[all.len() - 1..]), ["2026-04-30 18:30 Ricardo"]);
}

#[test]
fn dates_and_an_earliest_start_narrow_the_search() {
    let clinic = demo();
    let botox = SlotQuery::new(service(&clinic, "Botox"));

    let after_15h = search(&clinic, botox.not_before(sp("2026-03-02 15:00")).limit(1), &[]);
    assert_eq!(labels(&clinic, &after_15h), ["2026-03-02 15:00 Ana"]);

    let range = search(&clinic, botox.between(date("2026-03-10"), date("2026-03-11")), &[]);
    let days: std::collections::BTreeSet<_> =
        range.iter().map(|s| s.local_start(clinic.timezone).date_naive()).collect();
    assert_eq!(days.into_iter().collect::<Vec<_>>(), [date("2026-03-10"), date("2026-03-11")]);

    let past = search(&clinic, botox.on(date("2026-02-27")), &[]);
    assert_eq!(past, []);
    let beyond = search(&clinic, botox.on(date("2026-05-04")), &[]);
    assert_eq!(beyond, []);
}

#[test]
fn the_limit_keeps_the_earliest_slots() {
    let clinic = demo();
    let botox = SlotQuery::new(service(&clinic, "Botox"));
    let all = search(&clinic, botox, &[]);
    assert_eq!(search(&clinic, botox.limit(25), &[]), all[..25]);
    assert_eq!(search(&clinic, botox.limit(0), &[]), []);
}
