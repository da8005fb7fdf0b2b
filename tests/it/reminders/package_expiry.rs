//! A package with sessions left about to expire: the patient is told once, `alert_days` before
//! (the demo clinic: 7), and a used-up package gets nothing.

use chrono::NaiveDate;
use sofia::store::{NewPatientPackage, Patient};
use sofia_core::clock::Clock;
use sofia_core::conversation::{Awaiting, ConversationState};
use sofia_core::domain::PatientPackageId;

use super::{Fixture, fixture};
use crate::support::{TestDb, at, conformance};

conformance!(a_package_about_to_expire_is_announced_once, a_used_up_package_is_not_announced);

/// A Limpeza de Pele package with `used` of its 4 sessions, expiring on `expires`.
async fn package(f: &Fixture, patient: &Patient, used: u32, expires: &str) {
    let offer = f.clinic().package_named("Limpeza de Pele — 4 sessões").unwrap();
    let expires_on = NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap();
    let new = NewPatientPackage {
        id: PatientPackageId::new_random(),
        clinic_id: f.clinic().id,
        patient_id: patient.id,
        package_id: offer.id,
        sessions_total: 4,
        sessions_used: used,
        purchased_on: expires_on - chrono::Days::new(180),
        expires_on,
    };
    f.db.store.add_patient_package(&new, f.clock.now()).await.unwrap();
}

async fn a_package_about_to_expire_is_announced_once(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    package(&f, &maria, 1, "2026-03-10").await;
    let scheduler = f.scheduler();
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "more than 7 days before");

    f.clock.set(at("2026-03-03T07:00:00-03:00"));
    assert!(scheduler.round().await.unwrap().sent.is_empty(), "7 days before, but in quiet hours");
    f.clock.set(at("2026-03-03T08:00:00-03:00"));
    let round = scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1);
    let text = round.sent[0].message.plain_text();
    assert!(
        text.starts_with(
            "Olá, Maria! Passando para avisar que o seu pacote Limpeza de Pele — 4 sessões vence em 10/03/2026 \
             e você ainda tem 3 sessões para usar."
        ),
        "{text}"
    );
    let conversation = f.db.store.conversation(round.sent[0].conversation).await.unwrap().unwrap();
    let state = ConversationState::from_json(&conversation.state);
    let limpeza = f.clinic().service_named("Limpeza de Pele").unwrap().id;
    assert_eq!(
        state.dialogue.awaiting,
        Some(Awaiting::BookingOffer { service: Some(limpeza), professional: None })
    );
    for later in ["2026-03-03T09:00:00-03:00", "2026-03-06T10:00:00-03:00"] {
        f.clock.set(at(later));
        assert!(scheduler.round().await.unwrap().sent.is_empty(), "once per package");
    }
    assert_eq!(f.sent_to(&maria).await.len(), 1);
}

async fn a_used_up_package_is_not_announced(db: TestDb) {
    let f = fixture(db).await;
    let maria = f.patient("+5511987654321", "Maria Silva").await;
    package(&f, &maria, 4, "2026-03-05").await;
    let scheduler = f.scheduler();
    f.clock.set(at("2026-03-02T10:00:00-03:00"));
    assert!(scheduler.round().await.unwrap().sent.is_empty());
    assert!(f.sent_to(&maria).await.is_empty());
}
