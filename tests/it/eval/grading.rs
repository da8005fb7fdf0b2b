//! The outcome checks read the database the same way on SQLite and PostgreSQL: what the
//! conversation created or changed, compared with the snapshot taken after setup.

use chrono::Duration;
use serde_json::json;
use sofia::eval::outcome;
use sofia::eval::setup::{self, Snapshot};
use sofia::store::{AppointmentChange, HandoffOrigin, Lead, NewAppointment, NewHandoff};
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, FunnelStage, LeadId, Phone, Temperature,
};

use super::load;
use crate::support::{TestDb, at, conformance};

const SUITE: &str = r#"
suite: grading
tenant: demo
now: "2026-03-02T09:00:00-03:00"
cases:
  - id: cancels-her-limpeza
    patient: { phone: "+5511987654321", name: "Maria Silva" }
    setup:
      patients: [{ phone: "+5511987654321", name: "Maria Silva" }, { phone: "+5511912345678", name: "João Prado" }]
      appointments:
        - { service: "Limpeza de Pele", start: "2026-03-04T10:00:00-03:00", professional: "Juliana Reis" }
        - { phone: "+5511912345678", service: "Botox", start: "2026-03-03T14:00:00-03:00", professional: "Dr. Ricardo Lima" }
      packages: [{ package: "Limpeza de Pele — 4 sessões", used: 1, purchased: "2026-01-10" }]
    turns:
      - user: "cancela minha limpeza"
    outcome:
      appointments:
        - { service: "Limpeza de Pele", date: "2026-03-04", time_from: "10:00", time_to: "10:00", status: cancelled }
      only_these_appointments: true
      others_unchanged: true
      lead: { stage: scheduled, temperature: hot }
      handoff: true
      opted_out: false
"#;

async fn grades_what_the_conversation_changed(db: TestDb) {
    let suite = load(SUITE, None).unwrap();
    let (case, clinic, now) = (&suite.cases[0], &suite.clinic.clinic, suite.now);
    let db = db.with_demo(now).await;
    let store = db.store.as_ref();
    setup::apply(store, clinic, case, now).await.unwrap();
    let before = Snapshot::take(store, clinic, &setup::phones(case)).await.unwrap();
    assert_eq!(before.appointments.len(), 2, "both setup appointments, whoever they belong to");
    let maria = store.patient_by_phone(clinic.id, &case.patient.phone).await.unwrap().unwrap();
    assert_eq!(store.patient_packages(clinic.id, maria.id).await.unwrap()[0].sessions_used, 1);
    let conversation = store.conversation_for(clinic.id, &case.patient.phone, now).await.unwrap().id;

    let checks = |failures: Vec<sofia::eval::record::Failure>| -> Vec<String> {
        failures.into_iter().map(|f| f.check).collect()
    };
    // Nothing happened yet: everything the case expects is missing.
    let found = outcome::grade(store, clinic, case, Some(conversation), &before).await.unwrap();
    assert_eq!(checks(found), ["outcome.appointments", "outcome.lead", "outcome.handoff"]);

    // What a good conversation does: cancel her limpeza, qualify her lead, hand off.
    let limpeza = before.appointments.values().find(|a| a.patient_id == maria.id).unwrap();
    let cancel =
        AppointmentChange::Cancel { reason: "viagem".into(), late_fee: None, consume_package_session: false };
    store.change_appointment(clinic.id, Some(maria.id), limpeza.id, &cancel, now).await.unwrap();
    store
        .save_lead(&Lead {
            id: LeadId::new_random(),
            clinic_id: clinic.id,
            patient_id: Some(maria.id),
            phone: case.patient.phone.clone(),
            name: Some("Maria Silva".into()),
            source: "whatsapp".into(),
            interest: Some("Limpeza de Pele".into()),
            facts: json!({}),
            score: 70,
            temperature: Temperature::Hot,
            stage: FunnelStage::Scheduled,
            reasons: Vec::new(),
            qualified_at: None,
            created_at: now,
            updated_at: now,
        })
        .await
        .unwrap();
    store
        .hand_to_human(&NewHandoff {
            clinic_id: clinic.id,
            conversation_id: conversation,
            reason: "pediu uma pessoa".into(),
            summary: String::new(),
            origin: HandoffOrigin::Bot,
            assignee: None,
            opened_at: now,
        })
        .await
        .unwrap();
    let found = outcome::grade(store, clinic, case, Some(conversation), &before).await.unwrap();
    assert!(found.is_empty(), "{found:?}");

    // What a bad one does besides: books her something else and touches João's appointment.
    let botox = clinic.service_named("Botox").unwrap();
    let ana = clinic.professional_named("Dra. Ana Paula Souza").unwrap();
    let start = at("2026-03-06T09:00:00-03:00");
    store
        .insert_appointment(
            &NewAppointment {
                id: AppointmentId::new_random(),
                clinic_id: clinic.id,
                patient_id: maria.id,
                professional_id: ana.id,
                service_id: botox.id,
                patient_package_id: None,
                starts_at: start,
                ends_at: start + Duration::minutes(30),
                status: AppointmentStatus::Scheduled,
                booked_by: BookedBy::Bot,
                price: botox.price,
            },
            now,
        )
        .await
        .unwrap();
    let joao = Phone::parse("+5511912345678").unwrap();
    let joao = store.patient_by_phone(clinic.id, &joao).await.unwrap().unwrap();
    let his = before.appointments.values().find(|a| a.patient_id == joao.id).unwrap();
    store.change_appointment(clinic.id, None, his.id, &AppointmentChange::Confirm, now).await.unwrap();
    store.set_opted_out(clinic.id, maria.id, Some(now)).await.unwrap();

    let found = outcome::grade(store, clinic, case, Some(conversation), &before).await.unwrap();
    let details: Vec<String> = found.iter().map(|f| format!("{}: {}", f.check, f.detail)).collect();
    assert_eq!(
        details,
        [
            "outcome.only_these_appointments: the conversation also created Botox with Dra. Ana Paula Souza on 2026-03-06 09:00 (scheduled)",
            "outcome.others_unchanged: another patient's appointment was changed: Botox with Dr. Ricardo Lima on 2026-03-03 14:00 (confirmed)",
            "outcome.opted_out: the patient is opted out",
        ]
    );
}

async fn an_expected_appointment_is_met_by_one_appointment_only(db: TestDb) {
    let twice = SUITE.replace(
        "      only_these_appointments: true\n",
        "        - { service: \"Limpeza de Pele\", status: cancelled }\n      only_these_appointments: true\n",
    );
    let suite = load(&twice, None).unwrap();
    let (case, clinic, now) = (&suite.cases[0], &suite.clinic.clinic, suite.now);
    let db = db.with_demo(now).await;
    let store = db.store.as_ref();
    setup::apply(store, clinic, case, now).await.unwrap();
    let before = Snapshot::take(store, clinic, &setup::phones(case)).await.unwrap();
    let maria = store.patient_by_phone(clinic.id, &case.patient.phone).await.unwrap().unwrap();
    let limpeza = before.appointments.values().find(|a| a.patient_id == maria.id).unwrap();
    let cancel =
        AppointmentChange::Cancel { reason: "viagem".into(), late_fee: None, consume_package_session: false };
    store.change_appointment(clinic.id, Some(maria.id), limpeza.id, &cancel, now).await.unwrap();
    let found = outcome::grade(store, clinic, case, None, &before).await.unwrap();
    let appointments: Vec<&str> =
        found.iter().filter(|f| f.check == "outcome.appointments").map(|f| f.detail.as_str()).collect();
    assert_eq!(appointments.len(), 1, "two expectations, one cancelled appointment: {found:?}");
    assert!(
        appointments[0]
            .starts_with("expected the patient to have Limpeza de Pele cancelled created or changed")
    );
}

conformance!(grades_what_the_conversation_changed, an_expected_appointment_is_met_by_one_appointment_only);
