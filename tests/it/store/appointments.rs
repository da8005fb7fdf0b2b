use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sofia::store::{AppointmentChange, NewAppointment, NewPatientPackage, Patient, StoreError};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{AppointmentId, AppointmentStatus, BookedBy, Money, PatientPackageId, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    books_and_reads_back,
    refuses_an_overlapping_booking,
    a_cancelled_appointment_frees_its_time,
    fifty_concurrent_bookings_of_one_slot_make_one_appointment,
    concurrent_reschedules_into_one_slot_make_one_move,
    another_patients_appointment_is_not_found,
    status_changes_follow_the_rules,
    rescheduling_rechecks_the_new_time,
    a_late_cancellation_uses_the_package_session,
    a_late_move_of_a_package_session_uses_it,
    busy_intervals_hold_only_live_appointments,
    patient_packages_are_listed
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

struct Fixture {
    db: TestDb,
    clinic: Clinic,
    maria: Patient,
    joao: Patient,
}

async fn fixture(db: TestDb) -> Fixture {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let maria = db
        .store
        .upsert_patient(clinic.id, &Phone::parse("+5511987654321").unwrap(), Some("Maria"), now)
        .await
        .unwrap();
    let joao = db
        .store
        .upsert_patient(clinic.id, &Phone::parse("+5511912345678").unwrap(), Some("João"), now)
        .await
        .unwrap();
    Fixture { db, clinic, maria, joao }
}

impl Fixture {
    fn botox(&self, patient: &Patient, start: &str) -> NewAppointment {
        let service = self.clinic.service_named("Botox").unwrap();
        let starts_at = at(start);
        NewAppointment {
            id: AppointmentId::new_random(),
            clinic_id: self.clinic.id,
            patient_id: patient.id,
            professional_id: self.clinic.professional_named("Dra. Ana Paula Souza").unwrap().id,
            service_id: service.id,
            patient_package_id: None,
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(service.duration_minutes)),
            status: AppointmentStatus::Scheduled,
            booked_by: BookedBy::Bot,
            price: service.price,
        }
    }

    fn cancel(&self) -> AppointmentChange {
        AppointmentChange::Cancel {
            reason: "imprevisto".into(),
            late_fee: None,
            consume_package_session: false,
        }
    }
}

fn now() -> DateTime<Utc> {
    at(NOW)
}

async fn books_and_reads_back(db: TestDb) {
    let f = fixture(db).await;
    let new = f.botox(&f.maria, "2026-03-04T10:00:00-03:00");
    let booked = f.db.store.insert_appointment(&new, now()).await.unwrap();
    assert_eq!((booked.id, booked.starts_at, booked.ends_at), (new.id, new.starts_at, new.ends_at));
    assert_eq!((booked.status, booked.price), (AppointmentStatus::Scheduled, Money::from_centavos(80_000)));
    assert_eq!(
        f.db.store.appointment(f.clinic.id, Some(f.maria.id), new.id).await.unwrap(),
        Some(booked.clone())
    );
    let upcoming = f.db.store.patient_appointments(f.clinic.id, f.maria.id, now()).await.unwrap();
    assert_eq!(upcoming, vec![booked]);
}

async fn refuses_an_overlapping_booking(db: TestDb) {
    let f = fixture(db).await;
    f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    // Starts in the middle of Maria's appointment with the same professional.
    let clash = f.botox(&f.joao, "2026-03-04T10:15:00-03:00");
    assert!(matches!(f.db.store.insert_appointment(&clash, now()).await, Err(StoreError::SlotTaken)));
    // Back to back is fine.
    f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T10:30:00-03:00"), now()).await.unwrap();
}

async fn a_cancelled_appointment_frees_its_time(db: TestDb) {
    let f = fixture(db).await;
    let first =
        f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    f.db.store.change_appointment(f.clinic.id, Some(f.maria.id), first.id, &f.cancel(), now()).await.unwrap();
    f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
}

async fn fifty_concurrent_bookings_of_one_slot_make_one_appointment(db: TestDb) {
    let f = Arc::new(fixture(db).await);
    let attempts = (0..50).map(|i| {
        let f = Arc::clone(&f);
        tokio::spawn(async move {
            let patient = if i % 2 == 0 { &f.maria } else { &f.joao };
            f.db.store.insert_appointment(&f.botox(patient, "2026-03-04T14:00:00-03:00"), now()).await
        })
    });
    let mut booked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => booked += 1,
            Err(StoreError::SlotTaken) => {}
            Err(other) => panic!("a concurrent booking failed for the wrong reason: {other:?}"),
        }
    }
    assert_eq!(booked, 1);
    let busy = f.db.store.busy_intervals(f.clinic.id, now(), now() + Duration::days(7)).await.unwrap();
    assert_eq!(busy.len(), 1);
}

async fn concurrent_reschedules_into_one_slot_make_one_move(db: TestDb) {
    let f = Arc::new(fixture(db).await);
    let a =
        f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T09:00:00-03:00"), now()).await.unwrap();
    let b =
        f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T09:30:00-03:00"), now()).await.unwrap();
    let target = at("2026-03-04T16:00:00-03:00");
    let moves = [(a.id, f.maria.id), (b.id, f.joao.id)].map(|(id, patient)| {
        let f = Arc::clone(&f);
        tokio::spawn(async move {
            let change = AppointmentChange::Reschedule {
                professional_id: f.clinic.professional_named("Dra. Ana Paula Souza").unwrap().id,
                starts_at: target,
                ends_at: target + Duration::minutes(30),
                late_fee: None,
                consume_package_session: false,
            };
            f.db.store.change_appointment(f.clinic.id, Some(patient), id, &change, now()).await
        })
    });
    let mut moved = 0;
    for m in moves {
        match m.await.unwrap() {
            Ok(_) => moved += 1,
            Err(StoreError::SlotTaken) => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(moved, 1);
}

async fn another_patients_appointment_is_not_found(db: TestDb) {
    let f = fixture(db).await;
    let joaos =
        f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    assert_eq!(f.db.store.appointment(f.clinic.id, Some(f.maria.id), joaos.id).await.unwrap(), None);
    let attempt =
        f.db.store.change_appointment(f.clinic.id, Some(f.maria.id), joaos.id, &f.cancel(), now()).await;
    assert!(matches!(attempt, Err(StoreError::NotFound("appointment"))));
    let still = f.db.store.appointment(f.clinic.id, None, joaos.id).await.unwrap().unwrap();
    assert_eq!(still.status, AppointmentStatus::Scheduled);
}

async fn status_changes_follow_the_rules(db: TestDb) {
    let f = fixture(db).await;
    let appt =
        f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    let store = &f.db.store;
    let confirmed = store
        .change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &AppointmentChange::Confirm, now())
        .await
        .unwrap();
    assert_eq!(confirmed.status, AppointmentStatus::Confirmed);
    let cancelled =
        store.change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &f.cancel(), now()).await.unwrap();
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
    assert_eq!(cancelled.cancellation_reason.as_deref(), Some("imprevisto"));
    assert_eq!(cancelled.cancelled_at, Some(now()));
    let again = store.change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &f.cancel(), now()).await;
    assert!(matches!(again, Err(StoreError::InvalidTransition { status: AppointmentStatus::Cancelled, .. })));
    let confirm = store
        .change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &AppointmentChange::Confirm, now())
        .await;
    assert!(matches!(confirm, Err(StoreError::InvalidTransition { .. })));

    let other =
        store.insert_appointment(&f.botox(&f.maria, "2026-03-06T10:00:00-03:00"), now()).await.unwrap();
    let done = store
        .change_appointment(f.clinic.id, None, other.id, &AppointmentChange::Complete, now())
        .await
        .unwrap();
    assert_eq!(done.status, AppointmentStatus::Completed);
    let third =
        store.insert_appointment(&f.botox(&f.maria, "2026-03-09T10:00:00-03:00"), now()).await.unwrap();
    let missed = store
        .change_appointment(f.clinic.id, None, third.id, &AppointmentChange::NoShow, now())
        .await
        .unwrap();
    assert_eq!(missed.status, AppointmentStatus::NoShow);
}

async fn rescheduling_rechecks_the_new_time(db: TestDb) {
    let f = fixture(db).await;
    let ana = f.clinic.professional_named("Dra. Ana Paula Souza").unwrap().id;
    let mine =
        f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T15:00:00-03:00"), now()).await.unwrap();
    let to = |start: &str| {
        let starts_at = at(start);
        AppointmentChange::Reschedule {
            professional_id: ana,
            starts_at,
            ends_at: starts_at + Duration::minutes(30),
            late_fee: None,
            consume_package_session: false,
        }
    };
    let taken = f
        .db
        .store
        .change_appointment(f.clinic.id, Some(f.maria.id), mine.id, &to("2026-03-04T15:00:00-03:00"), now())
        .await;
    assert!(matches!(taken, Err(StoreError::SlotTaken)));
    // Moving 15 minutes later overlaps only the appointment itself, which is fine.
    let moved = f
        .db
        .store
        .change_appointment(f.clinic.id, Some(f.maria.id), mine.id, &to("2026-03-04T10:15:00-03:00"), now())
        .await
        .unwrap();
    assert_eq!(moved.starts_at, at("2026-03-04T10:15:00-03:00"));
    assert_eq!(moved.status, AppointmentStatus::Scheduled);
}

async fn a_late_cancellation_uses_the_package_session(db: TestDb) {
    let f = fixture(db).await;
    let limpeza = f.clinic.package_named("Limpeza de Pele — 4 sessões").unwrap();
    let package =
        f.db.store
            .add_patient_package(
                &NewPatientPackage {
                    id: PatientPackageId::new_random(),
                    clinic_id: f.clinic.id,
                    patient_id: f.maria.id,
                    package_id: limpeza.id,
                    sessions_total: 4,
                    sessions_used: 3,
                    purchased_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
                    expires_on: NaiveDate::from_ymd_opt(2026, 7, 9).unwrap(),
                },
                now(),
            )
            .await
            .unwrap();
    let mut new = f.botox(&f.maria, "2026-03-02T15:00:00-03:00");
    new.patient_package_id = Some(package.id);
    let appt = f.db.store.insert_appointment(&new, now()).await.unwrap();
    let late =
        AppointmentChange::Cancel { reason: "atraso".into(), late_fee: None, consume_package_session: true };
    f.db.store.change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &late, now()).await.unwrap();
    let packages = f.db.store.patient_packages(f.clinic.id, f.maria.id).await.unwrap();
    assert_eq!(packages[0].sessions_used, 4);

    // With no session left, the package cannot pay for another late cancellation.
    let mut next = f.botox(&f.maria, "2026-03-02T16:00:00-03:00");
    next.patient_package_id = Some(package.id);
    let appt = f.db.store.insert_appointment(&next, now()).await.unwrap();
    let exhausted = f.db.store.change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &late, now()).await;
    assert!(matches!(exhausted, Err(StoreError::PackageExhausted)));
    let unchanged = f.db.store.appointment(f.clinic.id, None, appt.id).await.unwrap().unwrap();
    assert_eq!(unchanged.status, AppointmentStatus::Scheduled, "a failed change leaves nothing half-done");
}

async fn a_late_move_of_a_package_session_uses_it(db: TestDb) {
    let f = fixture(db).await;
    let limpeza = f.clinic.package_named("Limpeza de Pele — 4 sessões").unwrap();
    let package = NewPatientPackage {
        id: PatientPackageId::new_random(),
        clinic_id: f.clinic.id,
        patient_id: f.maria.id,
        package_id: limpeza.id,
        sessions_total: 4,
        sessions_used: 1,
        purchased_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2026, 7, 9).unwrap(),
    };
    let package = f.db.store.add_patient_package(&package, now()).await.unwrap();
    let mut new = f.botox(&f.maria, "2026-03-02T15:00:00-03:00");
    new.patient_package_id = Some(package.id);
    let appt = f.db.store.insert_appointment(&new, now()).await.unwrap();
    let starts_at = at("2026-03-04T15:00:00-03:00");
    let late = AppointmentChange::Reschedule {
        professional_id: appt.professional_id,
        starts_at,
        ends_at: starts_at + Duration::minutes(30),
        late_fee: None,
        consume_package_session: true,
    };
    let moved =
        f.db.store.change_appointment(f.clinic.id, Some(f.maria.id), appt.id, &late, now()).await.unwrap();
    assert_eq!((moved.starts_at, moved.patient_package_id), (starts_at, Some(package.id)));
    let packages = f.db.store.patient_packages(f.clinic.id, f.maria.id).await.unwrap();
    assert_eq!(packages[0].sessions_used, 2);
}

async fn busy_intervals_hold_only_live_appointments(db: TestDb) {
    let f = fixture(db).await;
    let a =
        f.db.store.insert_appointment(&f.botox(&f.maria, "2026-03-04T10:00:00-03:00"), now()).await.unwrap();
    let b =
        f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-04T11:00:00-03:00"), now()).await.unwrap();
    f.db.store.insert_appointment(&f.botox(&f.joao, "2026-03-20T11:00:00-03:00"), now()).await.unwrap();
    f.db.store.change_appointment(f.clinic.id, None, b.id, &f.cancel(), now()).await.unwrap();
    let busy =
        f.db.store
            .busy_intervals(f.clinic.id, at("2026-03-04T00:00:00-03:00"), at("2026-03-05T00:00:00-03:00"))
            .await
            .unwrap();
    assert_eq!(busy.iter().map(|b| b.appointment_id).collect::<Vec<_>>(), vec![a.id]);
    assert_eq!((busy[0].starts_at, busy[0].ends_at), (a.starts_at, a.ends_at));
}

async fn patient_packages_are_listed(db: TestDb) {
    let f = fixture(db).await;
    let micro = f.clinic.package_named("Microagulhamento — 3 sessões").unwrap();
    let new = NewPatientPackage {
        id: PatientPackageId::new_random(),
        clinic_id: f.clinic.id,
        patient_id: f.maria.id,
        package_id: micro.id,
        sessions_total: 3,
        sessions_used: 1,
        purchased_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
    };
    let saved = f.db.store.add_patient_package(&new, now()).await.unwrap();
    assert_eq!((saved.sessions_total, saved.sessions_used, saved.expires_on), (3, 1, new.expires_on));
    assert_eq!(f.db.store.patient_packages(f.clinic.id, f.maria.id).await.unwrap(), vec![saved]);
    assert!(f.db.store.patient_packages(f.clinic.id, f.joao.id).await.unwrap().is_empty());
}
