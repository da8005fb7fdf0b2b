//! Appointment reminders: the scheduler's jobs on SQLite and PostgreSQL (planned once, sent
//! once by any number of schedulers, nothing twice after a crash), what it skips, and what
//! each channel receives.

mod channels;
mod no_show;
mod package_expiry;
mod waitlist;

use std::sync::Arc;

use chrono::Duration;
use sofia::clinics::{Clinics, LoadedClinic};
use sofia::metrics::Metrics;
use sofia::scheduler::Scheduler;
use sofia::store::{AppointmentChange, NewAppointment, Patient, StoredMessage};
use sofia_core::clinic::Clinic;
use sofia_core::clock::{Clock, FrozenClock};
use sofia_core::domain::{AppointmentId, AppointmentStatus, BookedBy, Direction, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    each_lead_is_planned_once_and_sent_once_at_its_time,
    two_schedulers_at_once_send_each_reminder_once,
    a_job_claimed_by_a_replica_that_died_is_sent_once_its_lease_runs_out,
    a_job_run_again_after_queueing_its_message_queues_nothing_more,
    confirmed_cancelled_and_opted_out_are_not_reminded,
    the_reminder_is_remembered_in_the_conversation_state
);

/// Monday 2 March 2026, 09:00 in São Paulo; the demo clinic reminds 48 h and 24 h before.
const NOW: &str = "2026-03-02T09:00:00-03:00";
/// Wednesday 10:00: reminded Monday 10:00 (48 h) and Tuesday 10:00 (24 h).
const WEDNESDAY_10: &str = "2026-03-04T10:00:00-03:00";
const NUMBERED: &str = "Responda 1 para confirmar, 2 para remarcar, 3 para cancelar.";

struct Fixture {
    db: TestDb,
    demo: LoadedClinic,
    clock: Arc<FrozenClock>,
    metrics: Arc<Metrics>,
}

async fn fixture(db: TestDb) -> Fixture {
    let db = db.with_demo(at(NOW)).await;
    Fixture { db, demo: demo_clinic(), clock: Arc::new(FrozenClock::at(at(NOW))), metrics: Arc::default() }
}

impl Fixture {
    fn clinic(&self) -> &Clinic {
        &self.demo.clinic
    }

    /// A scheduler of its own, as another replica would run (messages stay in the outbox).
    fn scheduler(&self) -> Scheduler {
        Scheduler::new(
            Arc::clone(&self.db.store),
            Arc::clone(&self.clock) as Arc<dyn Clock>,
            Arc::clone(&self.metrics),
            Arc::new(Clinics::new(vec![self.demo.clone()])),
            None,
        )
    }

    async fn patient(&self, phone: &str, name: &str) -> Patient {
        let phone = Phone::parse(phone).unwrap();
        self.db.store.upsert_patient(self.clinic().id, &phone, Some(name), self.clock.now()).await.unwrap()
    }

    /// A Botox with Dra. Ana Paula at `start`, booked now.
    async fn book(&self, patient: &Patient, start: &str) -> AppointmentId {
        let clinic = self.clinic();
        let service = clinic.service_named("Botox").unwrap();
        let starts_at = at(start);
        let new = NewAppointment {
            id: AppointmentId::new_random(),
            clinic_id: clinic.id,
            patient_id: patient.id,
            professional_id: clinic.professional_named("Dra. Ana Paula Souza").unwrap().id,
            service_id: service.id,
            patient_package_id: None,
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(service.duration_minutes)),
            status: AppointmentStatus::Scheduled,
            booked_by: BookedBy::Bot,
            price: service.price,
        };
        self.db.store.insert_appointment(&new, self.clock.now()).await.unwrap().id
    }

    /// What the patient was sent, oldest first.
    async fn sent_to(&self, patient: &Patient) -> Vec<StoredMessage> {
        let conversation =
            self.db.store.conversation_for(self.clinic().id, &patient.phone, self.clock.now()).await.unwrap();
        let transcript = self.db.store.transcript(conversation.id).await.unwrap();
        transcript.into_iter().filter(|m| m.direction == Direction::Outbound).collect()
    }
}

async fn each_lead_is_planned_once_and_sent_once_at_its_time(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    f.book(&maria, WEDNESDAY_10).await;
    let scheduler = f.scheduler();

    let first = scheduler.round().await.unwrap();
    assert_eq!((first.planned, first.sent.len()), (2, 0), "planned 48 h and 24 h, neither due yet");
    assert_eq!(scheduler.round().await.unwrap().planned, 0, "planning again adds nothing");
    let stats = scheduler.stats().await.unwrap();
    assert_eq!((stats.due, stats.scheduled), (0, 2));

    f.clock.set(at("2026-03-02T10:00:00-03:00"));
    let stats = scheduler.stats().await.unwrap();
    assert_eq!((stats.due, stats.oldest_due), (1, Some(at("2026-03-02T10:00:00-03:00"))));
    let day_before_yesterday = scheduler.round().await.unwrap();
    assert_eq!(day_before_yesterday.sent.len(), 1);
    let text = day_before_yesterday.sent[0].message.plain_text();
    assert!(text.starts_with("Olá, Maria! Passando para lembrar do seu horário de Botox"), "{text}");
    assert!(text.contains("quarta-feira, 04/03 às 10:00, com Dra. Ana Paula Souza"), "{text}");
    assert!(text.ends_with(NUMBERED), "{text}");
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "nothing is sent twice");

    f.clock.set(at("2026-03-03T10:00:00-03:00"));
    assert_eq!(scheduler.round().await.unwrap().sent.len(), 1, "the 24 h reminder");
    assert_eq!(f.sent_to(&maria).await.len(), 2);
    assert_eq!(f.metrics.jobs.get(&["demo", "reminder", "sent"]), 2);
    let stats = scheduler.stats().await.unwrap();
    assert_eq!((stats.due, stats.scheduled, stats.running, stats.failed), (0, 0, 0, 0), "nothing left to do");
}

async fn two_schedulers_at_once_send_each_reminder_once(db: TestDb) {
    let f = fixture(db).await;
    let mut patients = Vec::new();
    // Ten appointments on Wednesday, 09:00 to 11:30 and 13:00 to 14:30.
    let starts = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:00", "13:30", "14:00", "14:30"];
    for (i, start) in starts.iter().enumerate() {
        let patient = f.patient(&format!("+55119876543{i:02}"), &format!("Paciente {i}")).await;
        f.book(&patient, &format!("2026-03-04T{start}:00-03:00")).await;
        patients.push(patient);
    }
    // Tuesday 15:00: every 24 h reminder is due (and sent instead of the late 48 h ones).
    f.clock.set(at("2026-03-03T15:00:00-03:00"));
    let (one, other) = (f.scheduler(), f.scheduler());
    let (a, b) = tokio::join!(one.round(), other.round());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent.len() + b.sent.len(), 10, "{a:?} {b:?}");
    for patient in &patients {
        let sent = f.sent_to(patient).await;
        assert_eq!(sent.len(), 1, "one reminder for {}", patient.phone.masked());
    }
    assert_eq!(f.metrics.jobs.get(&["demo", "reminder", "superseded"]), 10);
}

async fn a_job_claimed_by_a_replica_that_died_is_sent_once_its_lease_runs_out(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    f.book(&maria, WEDNESDAY_10).await;
    let scheduler = f.scheduler();
    scheduler.round().await.unwrap();
    let now = at("2026-03-02T10:00:00-03:00");
    f.clock.set(now);
    // A replica claims the due job and dies before sending it.
    let clinics = [f.clinic().id];
    let taken = f.db.store.claim_jobs(&clinics, "dead-replica", now + Duration::minutes(5), now, 10).await;
    assert_eq!(taken.unwrap().len(), 1);
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "the dead replica's lease still holds");
    assert_eq!(scheduler.stats().await.unwrap().running, 1);

    f.clock.set(now + Duration::minutes(5));
    assert_eq!(scheduler.round().await.unwrap().sent.len(), 1, "taken over once the lease ran out");
    assert_eq!(f.sent_to(&maria).await.len(), 1);
}

async fn a_job_run_again_after_queueing_its_message_queues_nothing_more(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    f.book(&maria, WEDNESDAY_10).await;
    let scheduler = f.scheduler();
    scheduler.round().await.unwrap();
    f.clock.set(at("2026-03-02T10:00:00-03:00"));
    assert_eq!(scheduler.round().await.unwrap().sent.len(), 1);
    // As if the replica died after queueing the message but before settling the job: it is
    // running again, under a lease that already ran out.
    f.db.execute("UPDATE jobs SET state = 'running', leased_by = 'dead-replica', leased_until = run_at WHERE state = 'done'")
        .await;
    scheduler.round().await.unwrap();
    assert_eq!(f.sent_to(&maria).await.len(), 1, "the outbox already had it under the job's key");
    assert_eq!(scheduler.stats().await.unwrap().running, 0, "and the job is settled");
}

async fn confirmed_cancelled_and_opted_out_are_not_reminded(db: TestDb) {
    let f = fixture(db).await;
    let ana = f.patient("+5511987654301", "Ana").await;
    let bia = f.patient("+5511987654302", "Bia").await;
    let carla = f.patient("+5511987654303", "Carla").await;
    let confirmed = f.book(&ana, "2026-03-04T10:00:00-03:00").await;
    let cancelled = f.book(&bia, "2026-03-04T10:30:00-03:00").await;
    f.book(&carla, "2026-03-04T11:00:00-03:00").await;
    let scheduler = f.scheduler();
    assert_eq!(scheduler.round().await.unwrap().planned, 6, "planned while all three were scheduled");

    let (store, clinic, now) = (&f.db.store, f.clinic().id, f.clock.now());
    store.change_appointment(clinic, None, confirmed, &AppointmentChange::Confirm, now).await.unwrap();
    let cancel =
        AppointmentChange::Cancel { reason: "viagem".into(), late_fee: None, consume_package_session: false };
    store.change_appointment(clinic, None, cancelled, &cancel, now).await.unwrap();
    store.set_opted_out(clinic, carla.id, Some(now)).await.unwrap();

    // When the 48 h reminders are due, then the 24 h ones.
    for now in ["2026-03-02T11:00:00-03:00", "2026-03-03T11:00:00-03:00"] {
        f.clock.set(at(now));
        let round = scheduler.round().await.unwrap();
        assert_eq!((round.sent.len(), round.skipped), (0, 3), "{now}: {round:?}");
    }
    for patient in [&ana, &bia, &carla] {
        assert!(f.sent_to(patient).await.is_empty());
    }
    for reason in ["already_confirmed", "cancelled", "opted_out"] {
        assert_eq!(f.metrics.jobs.get(&["demo", "reminder", reason]), 2, "{reason}");
    }
}

async fn the_reminder_is_remembered_in_the_conversation_state(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    let appointment = f.book(&maria, WEDNESDAY_10).await;
    let scheduler = f.scheduler();
    scheduler.round().await.unwrap();
    f.clock.set(at("2026-03-03T10:00:00-03:00"));
    let round = scheduler.round().await.unwrap();
    let conversation = f.db.store.conversation(round.sent[0].conversation).await.unwrap().unwrap();
    assert_eq!(conversation.patient_id, Some(maria.id));
    let state = sofia_core::conversation::ConversationState::from_json(&conversation.state);
    let reminded = state.reminder.expect("the reminder is in the state");
    assert_eq!((reminded.appointment, reminded.starts_at), (appointment, at(WEDNESDAY_10)));
    assert_eq!(conversation.lease_holder, None, "the conversation is free for the patient's answer");
}
