use chrono::Duration;
use serde_json::json;
use sofia::store::Lead;
use sofia_core::domain::{FunnelStage, LeadId, Phone, Temperature};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_patient_is_created_once_per_phone,
    a_push_name_never_overwrites_a_known_name,
    opt_out_is_recorded_and_cleared,
    leads_are_saved_and_updated_by_phone
);

fn maria() -> Phone {
    Phone::parse("+5511987654321").unwrap()
}

async fn a_patient_is_created_once_per_phone(db: TestDb) {
    let now = at("2026-03-02T09:00:00-03:00");
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let first = db.store.upsert_patient(clinic, &maria(), Some("Maria Silva"), now).await.unwrap();
    // The same number without the 9th digit is the same patient.
    let again =
        db.store.upsert_patient(clinic, &Phone::parse("551187654321").unwrap(), None, now).await.unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(again.name.as_deref(), Some("Maria Silva"));
    assert_eq!(db.store.patient_by_phone(clinic, &maria()).await.unwrap(), Some(first));
    assert_eq!(
        db.store.patient_by_phone(clinic, &Phone::parse("+5511900000000").unwrap()).await.unwrap(),
        None
    );
}

async fn a_push_name_never_overwrites_a_known_name(db: TestDb) {
    let now = at("2026-03-02T09:00:00-03:00");
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let nameless = db.store.upsert_patient(clinic, &maria(), Some("  "), now).await.unwrap();
    assert_eq!(nameless.name, None);
    let named = db.store.upsert_patient(clinic, &maria(), Some("Maria Silva"), now).await.unwrap();
    assert_eq!(named.name.as_deref(), Some("Maria Silva"));
    let renamed = db.store.upsert_patient(clinic, &maria(), Some("Mari 🌸"), now).await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Maria Silva"));
}

async fn opt_out_is_recorded_and_cleared(db: TestDb) {
    let now = at("2026-03-02T09:00:00-03:00");
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let patient = db.store.upsert_patient(clinic, &maria(), None, now).await.unwrap();
    db.store.set_opted_out(clinic, patient.id, Some(now)).await.unwrap();
    assert_eq!(db.store.patient_by_phone(clinic, &maria()).await.unwrap().unwrap().opted_out_at, Some(now));
    db.store.set_opted_out(clinic, patient.id, None).await.unwrap();
    assert_eq!(db.store.patient_by_phone(clinic, &maria()).await.unwrap().unwrap().opted_out_at, None);
}

async fn leads_are_saved_and_updated_by_phone(db: TestDb) {
    let now = at("2026-03-02T09:00:00-03:00");
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let lead = Lead {
        id: LeadId::new_random(),
        clinic_id: clinic,
        patient_id: None,
        phone: maria(),
        name: Some("Maria Silva".into()),
        source: "whatsapp".into(),
        interest: Some("Botox".into()),
        facts: json!({"service": "Botox"}),
        score: 40,
        temperature: Temperature::Warm,
        stage: FunnelStage::Interested,
        reasons: vec!["+20 interested in Botox".into()],
        qualified_at: None,
        created_at: now,
        updated_at: now,
    };
    let saved = db.store.save_lead(&lead).await.unwrap();
    assert_eq!(saved, lead);
    let patient = db.store.upsert_patient(clinic, &maria(), None, now).await.unwrap();
    let later = now + Duration::minutes(5);
    let update = Lead {
        id: LeadId::new_random(),
        patient_id: Some(patient.id),
        score: 85,
        temperature: Temperature::Hot,
        stage: FunnelStage::Scheduled,
        created_at: later,
        updated_at: later,
        ..lead.clone()
    };
    let updated = db.store.save_lead(&update).await.unwrap();
    assert_eq!(updated.id, lead.id, "the lead keeps its id");
    assert_eq!(updated.created_at, now, "and its creation time");
    assert_eq!(
        (updated.score, updated.temperature, updated.stage),
        (85, Temperature::Hot, FunnelStage::Scheduled)
    );
    assert_eq!(updated.reasons, lead.reasons, "the reasons for the score are kept");
    assert_eq!(updated.qualified_at, Some(later), "qualified when it first became hot or booked");
    assert_eq!(db.store.lead_by_phone(clinic, &maria()).await.unwrap(), Some(updated));
    let cooler =
        Lead { temperature: Temperature::Warm, updated_at: later + Duration::days(1), ..update.clone() };
    let cooled = db.store.save_lead(&cooler).await.unwrap();
    assert_eq!(cooled.qualified_at, Some(later), "and qualified once, whatever it became since");
}
