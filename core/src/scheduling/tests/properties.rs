//! Properties that hold for any existing appointments, any `now` and any search.

use chrono::{Datelike, DurationRound, TimeDelta, Timelike};
use proptest::prelude::*;

use super::*;
use crate::scheduling::{Period, SlotError, check_bookable};

/// A scenario: the demo clinic, a `now` within three weeks of the frozen Monday, and up to 80
/// appointments (possibly overlapping, possibly off the grid) over the following ten weeks.
#[derive(Debug, Clone)]
struct Scenario {
    now: DateTime<Utc>,
    service: usize,
    professional: Option<usize>,
    busy: Vec<(usize, i64, i64)>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0i64..21 * 24 * 60,
        0usize..9,
        proptest::option::of(0usize..3),
        // (professional, start in quarter hours from the frozen Monday, length in quarter hours)
        proptest::collection::vec((0usize..3, 0i64..70 * 24 * 4, 1i64..=12), 0..80),
    )
        .prop_map(|(minutes, service, professional, busy)| Scenario {
            now: monday_9am() + TimeDelta::minutes(minutes),
            service,
            professional,
            busy,
        })
}

impl Scenario {
    fn busy(&self, clinic: &Clinic) -> Vec<Busy> {
        self.busy
            .iter()
            .map(|&(who, quarter, quarters)| {
                let start = monday_9am() + TimeDelta::minutes(quarter * 15);
                busy(clinic.professionals[who].id, start, quarters * 15)
            })
            .collect()
    }

    fn query(&self, clinic: &Clinic) -> SlotQuery {
        let query = SlotQuery::new(clinic.services[self.service].id);
        match self.professional {
            Some(who) => query.with_professional(clinic.professionals[who].id),
            None => query,
        }
    }

    /// The slots, or `None` when the chosen professional does not perform the service.
    fn slots(&self, clinic: &Clinic, query: &SlotQuery) -> Option<Vec<Slot>> {
        match free_slots(clinic, query, &self.busy(clinic), self.now) {
            Ok(slots) => Some(slots),
            Err(SlotError::NotPerformedBy { .. }) => None,
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
}

fn order_of(clinic: &Clinic, professional: ProfessionalId) -> usize {
    clinic.professionals.iter().position(|p| p.id == professional).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_slot_obeys_every_rule(scenario in scenario()) {
        let clinic = demo();
        let busy = scenario.busy(&clinic);
        let Some(slots) = scenario.slots(&clinic, &scenario.query(&clinic)) else { return Ok(()) };
        let service = &clinic.services[scenario.service];
        let latest = scenario.now + TimeDelta::days(60);
        for slot in &slots {
            let professional = clinic.professional(slot.professional).unwrap();
            prop_assert!(professional.service_ids.contains(&service.id));
            prop_assert_eq!(slot.service, service.id);
            prop_assert_eq!(slot.end - slot.start, TimeDelta::minutes(i64::from(service.duration_minutes)));
            prop_assert!(slot.start >= scenario.now + TimeDelta::hours(2), "notice: {:?}", slot);
            prop_assert!(slot.start <= latest, "horizon: {:?}", slot);

            // São Paulo has kept UTC−3 since 2019, so wall-clock arithmetic is exact here.
            let start = slot.local_start(clinic.timezone);
            let end = slot.local_end(clinic.timezone);
            prop_assert_eq!(start.date_naive(), end.date_naive());
            prop_assert!(start.minute() % 30 == 0 && start.second() == 0, "grid: {}", start);
            let inside_one_interval = professional
                .hours
                .on(start.weekday())
                .iter()
                .any(|range| range.start <= start.time() && end.time() <= range.end);
            prop_assert!(inside_one_interval, "outside working hours: {} – {}", start, end);
            let weekday_lunch = start.weekday() != chrono::Weekday::Sat
                && start.time() < hm(13, 0)
                && end.time() > hm(12, 0);
            prop_assert!(!weekday_lunch, "lunch: {}", start);

            let overlapping = busy.iter().find(|b| b.professional == slot.professional && b.overlaps(slot.start, slot.end));
            prop_assert!(overlapping.is_none(), "{:?} overlaps {:?}", slot, overlapping);
        }
        let keys: Vec<_> = slots.iter().map(|s| (s.start, order_of(&clinic, s.professional))).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "not strictly ordered by (start, professional)");
    }

    #[test]
    fn the_same_question_gets_the_same_answer(scenario in scenario()) {
        let clinic = demo();
        let query = scenario.query(&clinic);
        prop_assert_eq!(scenario.slots(&clinic, &query), scenario.slots(&clinic, &query));
    }

    #[test]
    fn filters_only_narrow_the_full_answer(
        scenario in scenario(),
        period in proptest::option::of(proptest::sample::select(Period::ALL.to_vec())),
        from_day in 0u64..70,
        days in 0u64..10,
        earliest_minutes in 0i64..40 * 24 * 60,
        limit in 0usize..40,
    ) {
        let clinic = demo();
        let query = scenario.query(&clinic);
        let Some(all) = scenario.slots(&clinic, &query) else { return Ok(()) };
        let from = monday_9am().date_naive() + chrono::Days::new(from_day);
        let to = from + chrono::Days::new(days);
        let earliest = monday_9am() + TimeDelta::minutes(earliest_minutes);
        let narrowed = SlotQuery { period, ..query.between(from, to).not_before(earliest).limit(limit) };

        let expected: Vec<Slot> = all
            .into_iter()
            .filter(|s| period.is_none_or(|p| s.in_period(&clinic, p)))
            .filter(|s| (from..=to).contains(&s.local_start(clinic.timezone).date_naive()))
            .filter(|s| s.start >= earliest)
            .take(limit)
            .collect();
        prop_assert_eq!(scenario.slots(&clinic, &narrowed), Some(expected));
    }
}

proptest! {
    // Each case checks every half hour of the horizon, so fewer cases cover plenty.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn check_bookable_accepts_exactly_the_free_slots(scenario in scenario()) {
        let clinic = demo();
        let busy = scenario.busy(&clinic);
        let Some(slots) = scenario.slots(&clinic, &scenario.query(&clinic)) else { return Ok(()) };
        let service = clinic.services[scenario.service].id;
        let professionals: Vec<_> = match scenario.professional {
            Some(who) => vec![clinic.professionals[who].id],
            None => clinic.professionals_for(service).map(|p| p.id).collect(),
        };
        // Every quarter hour (on the grid or not) from a day before now to a day past the horizon.
        let first = scenario.now.duration_trunc(TimeDelta::minutes(15)).unwrap() - TimeDelta::days(1);
        let candidates = (0..62 * 24 * 4).map(|quarter| first + TimeDelta::minutes(15 * quarter));
        let mut accepted = Vec::new();
        for start in candidates {
            for &professional in &professionals {
                if let Ok(slot) = check_bookable(&clinic, service, professional, start, &busy, scenario.now) {
                    accepted.push(slot);
                }
            }
        }
        prop_assert_eq!(accepted, slots);
    }
}
