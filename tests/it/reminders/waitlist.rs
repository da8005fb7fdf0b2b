//! The waitlist: a freed slot is offered to the patients waiting who fit it, in order of
//! arrival, one at a time, held for each (no one else is offered it meanwhile), passed on when
//! they say no or let the hold run out; entries leave the line after their last day.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use sofia::agent::tools::{ToolContext, ToolError, ToolReply, Tools};
use sofia::store::{AppointmentChange, NewWaitlistEntry, Patient, WaitlistStatus};
use sofia_core::clock::Clock;
use sofia_core::conversation::{Awaiting, ConversationState};
use sofia_core::domain::{AppointmentId, Phone};
use sofia_core::scheduling::Period;

use super::{Fixture, WEDNESDAY_10, fixture};
use crate::support::{TestDb, at, conformance};

conformance!(
    a_freed_slot_goes_to_the_first_in_line_who_fits_and_is_held_for_her,
    silence_past_the_hold_passes_the_slot_to_the_next_in_line,
    a_no_passes_the_slot_on_at_once,
    the_patient_who_books_the_held_slot_ends_the_offer,
    entries_leave_the_line_after_their_last_day,
    joining_takes_the_patient_s_yes_to_a_summary,
    a_cancellation_with_nobody_waiting_plans_nothing
);

const WEDNESDAY: &str = "2026-03-04";
const ANA: &str = "+5511987654301";
const BIA: &str = "+5511987654302";
const CARLA: &str = "+5511987654303";

/// Maria's Botox on Wednesday at 10:00 with Dra. Ana Paula, and who waits for a slot then:
/// Carla first but in the afternoon, then Ana, then Bia, both in the morning.
async fn line(f: &Fixture) -> (AppointmentId, [Patient; 3]) {
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let appointment = f.book(&maria, WEDNESDAY_10).await;
    let carla = wait(f, CARLA, "Carla", Some(Period::Tarde)).await;
    let ana = wait(f, ANA, "Ana", Some(Period::Manha)).await;
    let bia = wait(f, BIA, "Bia", None).await;
    (appointment, [ana, bia, carla])
}

/// The patient joins the waitlist for Botox on Wednesday, a second after the one before.
async fn wait(f: &Fixture, phone: &str, name: &str, period: Option<Period>) -> Patient {
    let patient = f.patient(phone, name).await;
    let wednesday = NaiveDate::parse_from_str(WEDNESDAY, "%Y-%m-%d").unwrap();
    let entry = NewWaitlistEntry {
        clinic: f.clinic().id,
        patient: patient.id,
        service: f.clinic().service_named("Botox").unwrap().id,
        professional: None,
        from: wednesday,
        to: wednesday,
        period,
    };
    f.db.store.join_waitlist(&entry, f.clock.now()).await.unwrap();
    f.clock.advance(Duration::seconds(1));
    patient
}

async fn cancel(f: &Fixture, appointment: AppointmentId) {
    let cancel =
        AppointmentChange::Cancel { reason: "viagem".into(), late_fee: None, consume_package_session: false };
    f.db.store.change_appointment(f.clinic().id, None, appointment, &cancel, f.clock.now()).await.unwrap();
}

/// A tool called in a turn of the patient's conversation, with the state it holds.
async fn call(f: &Fixture, phone: &str, tool: &str, arguments: Value) -> Result<ToolReply, ToolError> {
    let phone = Phone::parse(phone).unwrap();
    let conversation = f.db.store.conversation_for(f.clinic().id, &phone, f.clock.now()).await.unwrap();
    let mut state = ConversationState::from_json(&conversation.state);
    let tools = Tools::standard();
    let mut ctx = ToolContext::new(
        Arc::clone(&f.db.store),
        f.clinic(),
        f.clock.as_ref(),
        conversation.id,
        phone,
        &mut state,
    );
    tools.call(&mut ctx, tool, arguments).await
}

/// The Wednesday-morning Botox starts `find_slots` offers the patient.
async fn offered_to(f: &Fixture, phone: &str) -> Vec<String> {
    let search = json!({ "service": "botox", "date": WEDNESDAY, "period": "manha", "limit": 10 });
    let found = call(f, phone, "find_slots", search).await.unwrap().json;
    found["slots"].as_array().unwrap().iter().map(|slot| slot["time"].as_str().unwrap().to_owned()).collect()
}

async fn status_of(f: &Fixture, patient: &Patient) -> WaitlistStatus {
    f.db.store.waitlist_entries(f.clinic().id, patient.id).await.unwrap()[0].status
}

async fn a_freed_slot_goes_to_the_first_in_line_who_fits_and_is_held_for_her(db: TestDb) {
    let f = fixture(db).await;
    let (appointment, [ana, bia, carla]) = line(&f).await;
    let scheduler = f.scheduler();
    cancel(&f, appointment).await;

    let round = scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1, "one patient at a time");
    let text = round.sent[0].message.plain_text();
    assert!(text.starts_with("Olá, Ana! Abriu uma vaga que você estava esperando: Botox"), "{text}");
    assert!(text.contains("quarta-feira, 04/03 às 10:00, com Dra. Ana Paula Souza"), "{text}");
    assert!(text.contains("por 30 minutos"), "{text}");
    assert_eq!(f.sent_to(&ana).await.len(), 1);
    assert!(f.sent_to(&bia).await.is_empty() && f.sent_to(&carla).await.is_empty());
    let conversation = f.db.store.conversation(round.sent[0].conversation).await.unwrap().unwrap();
    let state = ConversationState::from_json(&conversation.state);
    assert_eq!(state.dialogue.awaiting, Some(Awaiting::WaitlistOffer));
    assert_eq!(state.offered.iter().map(|o| o.slot.start).collect::<Vec<_>>(), [at(WEDNESDAY_10)]);
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Offered);

    assert!(!offered_to(&f, BIA).await.contains(&"10:00".to_owned()), "held: not offered to anyone else");
    assert!(offered_to(&f, ANA).await.contains(&"10:00".to_owned()), "but still to Ana");
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "nothing more while it is held");
}

async fn silence_past_the_hold_passes_the_slot_to_the_next_in_line(db: TestDb) {
    let f = fixture(db).await;
    let (appointment, [ana, bia, carla]) = line(&f).await;
    let scheduler = f.scheduler();
    cancel(&f, appointment).await;
    scheduler.round().await.unwrap();

    f.clock.advance(Duration::minutes(29));
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "still Ana's");
    f.clock.advance(Duration::minutes(1));
    let round = scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1);
    assert!(round.sent[0].message.plain_text().starts_with("Olá, Bia!"));
    assert_eq!(f.sent_to(&bia).await.len(), 1);
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Waiting, "Ana stays in line for other slots");

    f.clock.advance(Duration::minutes(30));
    let last = scheduler.round().await.unwrap();
    assert!(last.sent.is_empty(), "Carla wants the afternoon, and Ana was asked already");
    assert!(f.sent_to(&carla).await.is_empty());
    assert_eq!(f.sent_to(&ana).await.len(), 1, "Ana is not offered the same slot twice");
    assert_eq!(f.metrics.jobs.get(&["demo", "waitlist", "nobody_fits"]), 1);
}

async fn a_no_passes_the_slot_on_at_once(db: TestDb) {
    let f = fixture(db).await;
    let (appointment, [ana, bia, _]) = line(&f).await;
    let scheduler = f.scheduler();
    cancel(&f, appointment).await;
    scheduler.round().await.unwrap();

    let declined = call(&f, ANA, "decline_waitlist_offer", json!({})).await.unwrap();
    assert_eq!(declined.json["status"], "released");
    let round = scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1, "Bia is offered it without waiting for Ana's hold to run out");
    assert_eq!(f.sent_to(&bia).await.len(), 1);
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Waiting);
    assert!(!offered_to(&f, ANA).await.contains(&"10:00".to_owned()), "now held for Bia");
}

async fn the_patient_who_books_the_held_slot_ends_the_offer(db: TestDb) {
    let f = fixture(db).await;
    let (appointment, [ana, bia, _]) = line(&f).await;
    let scheduler = f.scheduler();
    cancel(&f, appointment).await;
    scheduler.round().await.unwrap();

    // "Quero": the offered slot is proposed, and the next turn's "sim" books it.
    let proposed = call(&f, ANA, "book_appointment", json!({ "slot": "1" })).await.unwrap();
    assert_eq!(proposed.json["status"], "needs_confirmation");
    let booked = call(&f, ANA, "book_appointment", json!({ "confirm": true })).await.unwrap();
    assert_eq!(booked.json["status"], "booked", "{}", booked.json);

    f.clock.advance(Duration::minutes(31));
    let round = scheduler.round().await.unwrap();
    assert!(round.sent.is_empty(), "nobody else is offered a booked slot");
    assert!(f.sent_to(&bia).await.is_empty());
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Booked);
    assert_eq!(f.metrics.jobs.get(&["demo", "waitlist", "booked"]), 1);
}

async fn entries_leave_the_line_after_their_last_day(db: TestDb) {
    let f = fixture(db).await;
    let (_, [ana, ..]) = line(&f).await;
    let scheduler = f.scheduler();
    f.clock.set(at("2026-03-04T23:00:00-03:00"));
    scheduler.round().await.unwrap();
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Waiting, "Wednesday is not over");

    f.clock.set(at("2026-03-05T00:30:00-03:00"));
    scheduler.round().await.unwrap();
    assert_eq!(status_of(&f, &ana).await, WaitlistStatus::Expired);
}

async fn a_cancellation_with_nobody_waiting_plans_nothing(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let appointment = f.book(&maria, WEDNESDAY_10).await;
    cancel(&f, appointment).await;
    let stats = f.scheduler().stats().await.unwrap();
    assert_eq!((stats.due, stats.scheduled), (0, 0));
}

async fn joining_takes_the_patient_s_yes_to_a_summary(db: TestDb) {
    let f = fixture(db).await;
    let ana = f.patient(ANA, "Ana").await;
    let wanted =
        json!({ "service": "botox", "professional": "Dra. Ana", "date": WEDNESDAY, "period": "manha" });

    let proposed = call(&f, ANA, "join_waitlist", wanted).await.unwrap();
    assert_eq!(proposed.json["status"], "needs_confirmation");
    let summary = proposed.json["summary"].as_str().unwrap();
    assert!(
        summary
            .starts_with("Lista de espera: Botox com Dra. Ana Paula Souza, quarta-feira, 04/03, de manhã."),
        "{summary}"
    );
    assert!(f.db.store.waitlist_entries(f.clinic().id, ana.id).await.unwrap().is_empty(), "nothing yet");

    let joined = call(&f, ANA, "join_waitlist", json!({ "confirm": true })).await.unwrap();
    assert_eq!(joined.json["status"], "joined");
    let entries = f.db.store.waitlist_entries(f.clinic().id, ana.id).await.unwrap();
    assert_eq!(entries.len(), 1);
    let wednesday = NaiveDate::parse_from_str(WEDNESDAY, "%Y-%m-%d").unwrap();
    let entry = &entries[0];
    assert_eq!((entry.from, entry.to, entry.period), (wednesday, wednesday, Some(Period::Manha)));
    assert_eq!(entry.professional, Some(f.clinic().professional_named("Dra. Ana Paula Souza").unwrap().id));
    assert_eq!(entry.status, WaitlistStatus::Waiting);
}
