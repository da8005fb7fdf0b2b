//! The follow-up of a missed appointment: once, kindly, offering to book the same again, and
//! never in quiet hours.

use sofia::store::AppointmentChange;
use sofia_core::clock::Clock;
use sofia_core::conversation::Awaiting;
use sofia_core::domain::AppointmentStatus;

use super::{Fixture, fixture};
use crate::support::{TestDb, at, conformance};

conformance!(
    a_no_show_gets_one_kind_follow_up_offering_to_book_again,
    a_no_show_marked_in_the_evening_is_followed_up_in_the_morning,
    the_command_marks_the_appointment_and_plans_the_follow_up,
    with_auto_marking_an_appointment_still_booked_hours_after_its_end_is_a_no_show,
    without_auto_marking_nothing_is_marked
);

/// Maria missed her Botox today at 11:00; the team marks it at `marked`.
async fn missed(f: &Fixture, marked: &str) -> sofia::store::Patient {
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let appointment = f.book(&maria, "2026-03-02T11:00:00-03:00").await;
    f.clock.set(at(marked));
    let scheduler = f.scheduler();
    let marked = scheduler.mark_no_show(f.clinic().id, appointment).await.unwrap();
    assert_eq!(marked.status, AppointmentStatus::NoShow);
    maria
}

async fn a_no_show_gets_one_kind_follow_up_offering_to_book_again(db: TestDb) {
    let f = fixture(db).await;
    let maria = missed(&f, "2026-03-02T12:00:00-03:00").await;
    let scheduler = f.scheduler();

    let round = scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1);
    let text = round.sent[0].message.plain_text();
    assert!(text.starts_with("Olá, Maria! Sentimos sua falta hoje no seu horário de Botox."), "{text}");
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "once");
    assert_eq!(f.sent_to(&maria).await.len(), 1);
    let conversation = f.db.store.conversation(round.sent[0].conversation).await.unwrap().unwrap();
    let state = sofia_core::conversation::ConversationState::from_json(&conversation.state);
    let botox = f.clinic().service_named("Botox").unwrap().id;
    assert!(
        matches!(state.dialogue.awaiting, Some(Awaiting::BookingOffer { service: Some(s), .. }) if s == botox),
        "a yes books Botox again: {state:?}"
    );
    assert_eq!(f.metrics.jobs.get(&["demo", "no_show", "sent"]), 1);
}

async fn a_no_show_marked_in_the_evening_is_followed_up_in_the_morning(db: TestDb) {
    let f = fixture(db).await;
    let maria = missed(&f, "2026-03-02T21:00:00-03:00").await;
    let scheduler = f.scheduler();
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "quiet hours");
    f.clock.set(at("2026-03-03T08:00:00-03:00"));
    assert_eq!(scheduler.round().await.unwrap().sent.len(), 1);
    assert_eq!(f.sent_to(&maria).await.len(), 1);
}

async fn the_command_marks_the_appointment_and_plans_the_follow_up(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let appointment = f.book(&maria, "2026-03-02T11:00:00-03:00").await;
    let mut config = sofia::config::Config::default();
    config.database.url = sofia::secret::Secret::new(f.db.url.clone());
    config.knowledge.dir = crate::support::repo_path("knowledge");
    let args = sofia::scheduler::command::AppointmentsArgs {
        action: sofia::scheduler::command::AppointmentsAction::Mark {
            id: appointment,
            status: sofia::scheduler::command::Mark::NoShow,
        },
    };
    let mut out = Vec::new();
    let clock = std::sync::Arc::clone(&f.clock) as std::sync::Arc<dyn sofia_core::clock::Clock>;
    sofia::scheduler::command::run(&args, &config, clock, &mut out).await.unwrap();
    let printed = String::from_utf8(out).unwrap();
    assert!(printed.starts_with(&format!("Appointment {appointment} marked no_show")), "{printed}");
    assert_eq!(f.scheduler().stats().await.unwrap().due, 1, "the follow-up is due");
}

async fn with_auto_marking_an_appointment_still_booked_hours_after_its_end_is_a_no_show(db: TestDb) {
    let mut f = fixture(db).await;
    f.demo.clinic.no_show.auto_mark_after_h = Some(2);
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let bia = f.patient("+5511987654302", "Bia").await;
    // Maria at 11:00 today, over at 11:30; Bia at 10:30, who came, and the team said so.
    let missed = f.book(&maria, "2026-03-02T11:00:00-03:00").await;
    let attended = f.book(&bia, "2026-03-02T10:30:00-03:00").await;
    let scheduler = f.scheduler();
    scheduler.round().await.unwrap();
    let (store, clinic) = (&f.db.store, f.clinic().id);
    store
        .change_appointment(clinic, None, attended, &AppointmentChange::Complete, f.clock.now())
        .await
        .unwrap();

    f.clock.set(at("2026-03-02T13:29:00-03:00"));
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "not yet two hours after the end");
    f.clock.set(at("2026-03-02T13:30:00-03:00"));
    let round = scheduler.round().await.unwrap();

    let marked = store.appointment(clinic, None, missed).await.unwrap().unwrap();
    assert_eq!(marked.status, AppointmentStatus::NoShow);
    assert_eq!(store.no_show_count(clinic, maria.id).await.unwrap(), 1, "the patient's no-shows are counted");
    assert_eq!(round.sent.len(), 1, "and followed up as when the team marks it");
    assert!(round.sent[0].message.plain_text().starts_with("Olá, Maria! Sentimos sua falta"));
    let kept = store.appointment(clinic, None, attended).await.unwrap().unwrap();
    assert_eq!(kept.status, AppointmentStatus::Completed);
    assert_eq!(store.no_show_count(clinic, bia.id).await.unwrap(), 0);
    assert_eq!(f.metrics.jobs.get(&["demo", "auto_no_show", "marked"]), 1);
    assert_eq!(f.metrics.jobs.get(&["demo", "auto_no_show", "already_marked"]), 1);
}

async fn without_auto_marking_nothing_is_marked(db: TestDb) {
    let mut f = fixture(db).await;
    f.demo.clinic.no_show.auto_mark_after_h = None;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let missed = f.book(&maria, "2026-03-02T11:00:00-03:00").await;
    let scheduler = f.scheduler();
    scheduler.round().await.unwrap();
    f.clock.set(at("2026-03-03T11:00:00-03:00"));
    scheduler.round().await.unwrap();
    let kept = f.db.store.appointment(f.clinic().id, None, missed).await.unwrap().unwrap();
    assert_eq!(kept.status, AppointmentStatus::Scheduled);
}
