use chrono::{DateTime, TimeDelta};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::qualification::Urgency;
use crate::scheduling::Period;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn slot(start: &str) -> Slot {
    let start = at(start);
    Slot {
        start,
        end: start + TimeDelta::minutes(30),
        professional: ProfessionalId::new_random(),
        service: ServiceId::new_random(),
    }
}

#[test]
fn slot_ids_are_numbers_from_one() {
    assert_eq!(SlotId::nth(0).map(|id| id.to_string()).as_deref(), Some("1"));
    assert_eq!(SlotId::nth(254).map(|id| id.to_string()).as_deref(), Some("255"));
    assert_eq!(SlotId::nth(255), None);
    assert_eq!(SlotId::parse(" 2 "), SlotId::nth(1));
    assert_eq!(SlotId::parse("#3"), SlotId::nth(2));
    for bad in ["", "0", "B", "-1", "1.5", "256"] {
        assert_eq!(SlotId::parse(bad), None, "{bad}");
    }
}

#[test]
fn slot_ids_are_written_as_strings_and_read_from_strings_or_numbers() {
    let two = SlotId::nth(1).unwrap();
    assert_eq!(serde_json::to_value(two).unwrap(), json!("2"));
    assert_eq!(serde_json::from_value::<SlotId>(json!("2")).unwrap(), two);
    assert_eq!(serde_json::from_value::<SlotId>(json!(2)).unwrap(), two);
    assert!(serde_json::from_value::<SlotId>(json!("dois")).is_err());
    assert!(serde_json::from_value::<SlotId>(json!(0)).is_err());
}

#[test]
fn a_new_offer_replaces_the_old_one_and_numbers_from_one_again() {
    let now = at("2026-03-02T09:00:00-03:00");
    let mut state = ConversationState::default();
    state.offer([slot("2026-03-03T14:00:00-03:00"), slot("2026-03-03T14:30:00-03:00")], now);
    let two = SlotId::parse("2").unwrap();
    assert_eq!(state.offered(two).map(|o| o.slot.start), Some(at("2026-03-03T14:30:00-03:00")));

    let later = now + TimeDelta::minutes(5);
    let ids: Vec<String> =
        state.offer([slot("2026-03-05T10:00:00-03:00")], later).iter().map(|o| o.id.to_string()).collect();
    assert_eq!(ids, ["1"]);
    assert_eq!(state.offered(two), None);
    assert_eq!(state.offered[0].offered_at, later);
}

#[test]
fn a_new_offer_drops_a_pending_write_that_named_an_old_slot() {
    let now = at("2026-03-02T09:00:00-03:00");
    let mut state = ConversationState::default();
    let offered = state.offer([slot("2026-03-03T14:00:00-03:00")], now)[0].clone();
    let cancel = Pending {
        action: PendingAction::Cancel {
            appointment: AppointmentId::new_random(),
            reason: "viagem".into(),
            penalty: Penalty::Free,
        },
        summary: "Cancelar".into(),
        proposed_at: now,
        held_back: false,
    };
    state.pending = Some(cancel.clone());
    state.offer([slot("2026-03-04T14:00:00-03:00")], now);
    assert_eq!(state.pending, Some(cancel), "a cancellation names no slot");

    state.pending = Some(Pending {
        action: PendingAction::Reschedule {
            appointment: AppointmentId::new_random(),
            slot: offered.id,
            professional: offered.slot.professional,
            start: offered.slot.start,
            penalty: Penalty::Free,
        },
        summary: "Remarcar".into(),
        proposed_at: now,
        held_back: false,
    });
    state.offer([slot("2026-03-05T14:00:00-03:00")], now);
    assert_eq!(state.pending, None);
}

#[test]
fn the_state_round_trips_through_json() {
    let now = at("2026-03-02T09:00:00-03:00");
    let mut state = ConversationState {
        facts: LeadFacts {
            interest: Some("Botox".into()),
            urgency: Some(Urgency::ThisWeek),
            ..Default::default()
        },
        clarifications: 2,
        patient_name: Some("Maria".into()),
        ..Default::default()
    };
    let offered = state.offer([slot("2026-03-03T14:00:00-03:00")], now)[0].clone();
    state.pending = Some(Pending {
        action: PendingAction::Book {
            slot: offered.id,
            service: offered.slot.service,
            professional: offered.slot.professional,
            start: offered.slot.start,
            price: Money::from_centavos(80_000),
            package: None,
        },
        summary: "Botox, terça-feira, 03/03 às 14:00".into(),
        proposed_at: now,
        held_back: false,
    });
    let json = state.to_json().unwrap();
    assert_eq!(json["pending"]["action"]["action"], "book");
    assert_eq!(ConversationState::from_json(&json), state);

    let cancel = PendingAction::Cancel {
        appointment: AppointmentId::new_random(),
        reason: "imprevisto".into(),
        penalty: Penalty::Fee(Money::from_centavos(5_000)),
    };
    let back: PendingAction = serde_json::from_value(serde_json::to_value(&cancel).unwrap()).unwrap();
    assert_eq!(back, cancel);
    assert_eq!(cancel.kind(), "cancel");
    assert!(Penalty::PackageSession.is_late() && !Penalty::Free.is_late());
}

#[test]
fn unknown_or_old_json_reads_as_a_default_state() {
    for value in
        [json!(null), json!(42), json!("state"), json!([]), json!({}), json!({"version": 7, "stage": "x"})]
    {
        assert_eq!(ConversationState::from_json(&value), ConversationState::default(), "{value}");
    }
}

#[test]
fn a_damaged_field_is_dropped_and_the_rest_kept() {
    let value = json!({
        "offered": [{"id": "1", "slot": "not a slot"}],
        "pending": {"action": {"action": "teleport"}},
        "facts": {"interest": "Botox", "urgency": "this_week", "mood": "happy"},
        "clarifications": -3,
        "patient_name": "Maria"
    });
    let state = ConversationState::from_json(&value);
    assert_eq!(state.offered, []);
    assert_eq!(state.pending, None);
    assert_eq!(state.facts.interest.as_deref(), Some("Botox"));
    assert_eq!(state.facts.urgency, Some(Urgency::ThisWeek));
    assert_eq!(state.clarifications, 0);
    assert_eq!(state.patient_name.as_deref(), Some("Maria"));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z_0-9 ]{0,8}".prop_map(Value::from),
        prop_oneof![Just("offered"), Just("pending"), Just("facts"), Just("1"), Just("book")]
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("offered".to_owned()),
                    Just("pending".to_owned()),
                    Just("facts".to_owned()),
                    Just("action".to_owned()),
                    Just("slot".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..4
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn reading_any_json_never_panics(value in any_json()) {
        let state = ConversationState::from_json(&value);
        let again = ConversationState::from_json(&state.to_json().unwrap());
        prop_assert_eq!(again, state);
    }
}

#[test]
fn a_new_offer_is_shown_whole_until_a_brain_shows_a_part() {
    let now = at("2026-03-02T09:00:00-03:00");
    let mut state = ConversationState::default();
    state.dialogue.shown = vec![SlotId::parse("7").unwrap()];
    state.offer([slot("2026-03-03T14:00:00-03:00"), slot("2026-03-03T14:30:00-03:00")], now);
    let ids: Vec<String> = state.dialogue.shown.iter().map(SlotId::to_string).collect();
    assert_eq!(ids, ["1", "2"]);
}

#[test]
fn the_dialogue_round_trips_and_a_damaged_one_is_forgotten_alone() {
    let mut state = ConversationState { patient_name: Some("Maria".into()), ..Default::default() };
    state.dialogue = Dialogue {
        awaiting: Some(Awaiting::Appointment { action: AppointmentAction::Cancel }),
        request: Some(SlotRequest { period: Some(Period::Tarde), any_day: true, ..Default::default() }),
        shown: vec![SlotId::parse("2").unwrap()],
        listed: vec![AppointmentId::new_random()],
        minor: true,
        health_cues: vec!["amamentando".to_owned()],
        reason: Some("vou viajar".to_owned()),
    };
    let json = state.to_json().unwrap();
    assert_eq!(ConversationState::from_json(&json), state);

    let mut damaged = json.clone();
    damaged["dialogue"] = serde_json::json!({ "awaiting": { "question": "nonsense" } });
    let read = ConversationState::from_json(&damaged);
    assert_eq!(read.dialogue, Dialogue::default());
    assert_eq!(read.patient_name.as_deref(), Some("Maria"));
}

#[test]
fn a_request_knows_whether_it_says_when_and_which_times_fit() {
    let hm = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert!(!SlotRequest::default().has_when());
    assert!(SlotRequest { any_day: true, ..Default::default() }.has_when());
    assert!(SlotRequest { period: Some(Period::Manha), ..Default::default() }.has_when());
    let afternoon = SlotRequest { after: Some(hm(15, 0)), before: Some(hm(17, 0)), ..Default::default() };
    assert!(!afternoon.fits_time(hm(14, 30)));
    assert!(afternoon.fits_time(hm(15, 0)));
    assert!(!afternoon.fits_time(hm(17, 0)));
}
