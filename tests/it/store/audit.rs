use chrono::Duration;
use serde_json::json;
use sofia::store::{AuditEntry, Interaction, ToolOutcome};
use sofia_core::domain::{InteractionKind, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(tool_calls_are_audited_in_order, interactions_form_a_timeline);

const NOW: &str = "2026-03-02T09:00:00-03:00";

async fn tool_calls_are_audited_in_order(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let conversation =
        db.store.conversation_for(clinic, &Phone::parse("+5511987654321").unwrap(), now).await.unwrap().id;
    let entry = |tool: &str, outcome, offset| AuditEntry {
        clinic_id: clinic,
        conversation_id: Some(conversation),
        tool: tool.into(),
        arguments: json!({"service": "Botox"}),
        result: json!({"slots": []}),
        outcome,
        duration_ms: 3,
        created_at: now + Duration::milliseconds(offset),
    };
    let first = entry("find_slots", ToolOutcome::Ok, 0);
    let second = entry("book_appointment", ToolOutcome::Refused, 10);
    db.store.record_tool_call(&first).await.unwrap();
    db.store.record_tool_call(&second).await.unwrap();
    assert_eq!(db.store.tool_calls(conversation).await.unwrap(), vec![first, second]);
}

async fn interactions_form_a_timeline(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let patient =
        db.store.upsert_patient(clinic, &Phone::parse("+5511987654321").unwrap(), None, now).await.unwrap();
    let booked = Interaction {
        clinic_id: clinic,
        patient_id: Some(patient.id),
        lead_id: None,
        kind: InteractionKind::Booked,
        summary: "Botox, terça 03/03 14:00".into(),
        data: json!({"service": "Botox"}),
        created_at: now,
    };
    db.store.record_interaction(&booked).await.unwrap();
    assert_eq!(db.store.interactions(clinic, patient.id).await.unwrap(), vec![booked]);
}
