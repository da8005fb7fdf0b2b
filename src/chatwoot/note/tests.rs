use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{Penalty, Pending, PendingAction};
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, ClinicId, ConversationId, HandoffId, LeadId, Money,
    PatientId, PatientPackageId, Phone, TenantId,
};

use super::*;
use crate::store::StaffMember;

fn demo() -> Clinic {
    let text = include_str!("../../../knowledge/demo/clinic.yaml");
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), text).unwrap()
}

fn handoff(origin: HandoffOrigin) -> Handoff {
    Handoff {
        id: HandoffId::new_random(),
        clinic_id: ClinicId::new_random(),
        conversation_id: ConversationId::new_random(),
        reason: "paciente pediu para falar com uma pessoa".into(),
        summary: String::new(),
        origin,
        assignee: None,
        open: true,
        external_ref: None,
        created_at: Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap(),
        resolved_at: None,
        resolved_by: None,
    }
}

#[test]
fn the_handoff_note_says_why_and_what_the_agent_should_know() {
    let clinic = demo();
    let botox = clinic.service_named("Botox").unwrap();
    let ricardo = clinic.professional_named("Dr. Ricardo Lima").unwrap();
    let package = clinic.package_named("Limpeza de Pele — 4 sessões").unwrap();
    let mut state = ConversationState { patient_name: Some("Maria Silva".into()), ..Default::default() };
    state.facts.interest = Some("Botox".into());
    state.pending = Some(Pending {
        action: PendingAction::Cancel {
            appointment: AppointmentId::new_random(),
            reason: "viagem".into(),
            penalty: Penalty::Free,
        },
        summary: "cancelar Botox de terça 03/03 às 14:00".into(),
        proposed_at: Utc.with_ymd_and_hms(2026, 3, 2, 11, 0, 0).unwrap(),
        held_back: false,
    });
    let phone = Phone::parse("+5511987654321").unwrap();
    let facts = NoteFacts {
        handoff: handoff(HandoffOrigin::Bot),
        state,
        lead: Some(Lead {
            id: LeadId::new_random(),
            clinic_id: clinic.id,
            patient_id: None,
            phone,
            name: None,
            source: "whatsapp".into(),
            interest: Some("Botox".into()),
            facts: json!({ "interest": "Botox", "urgency": "this_week" }),
            score: 85,
            temperature: Temperature::Hot,
            stage: FunnelStage::Scheduled,
            reasons: Vec::new(),
            qualified_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }),
        appointments: vec![Appointment {
            id: AppointmentId::new_random(),
            clinic_id: clinic.id,
            patient_id: PatientId::new_random(),
            professional_id: ricardo.id,
            service_id: botox.id,
            patient_package_id: None,
            starts_at: Utc.with_ymd_and_hms(2026, 3, 3, 17, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 3, 3, 17, 30, 0).unwrap(),
            status: AppointmentStatus::Scheduled,
            booked_by: BookedBy::Bot,
            price: Money::from_centavos(80000),
            cancellation_reason: None,
            late_fee: None,
            cancelled_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }],
        packages: vec![PatientPackage {
            id: PatientPackageId::new_random(),
            clinic_id: clinic.id,
            patient_id: PatientId::new_random(),
            package_id: package.id,
            sessions_total: 4,
            sessions_used: 1,
            purchased_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            expires_on: NaiveDate::from_ymd_opt(2026, 7, 9).unwrap(),
        }],
    };
    let note = opened(&clinic, &facts, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    for expected in [
        "Motivo: paciente pediu para falar com uma pessoa",
        "Paciente: Maria Silva",
        "Quer: Botox",
        "Lead: 85/100, quente (agendado). Motivos: +20 interested in Botox; +15 wants to come this week",
        "Aguardava o \"sim\" do paciente para: cancelar Botox de terça 03/03 às 14:00",
        "• 03/03 14:00 Botox com Dr. Ricardo Lima (agendada)",
        "• Limpeza de Pele — 4 sessões: 3 de 4 sessões restantes, válido até 09/07/2026",
        "resolva-a ou marque-a como pendente",
    ] {
        assert!(note.contains(expected), "{expected:?} is missing from:\n{note}");
    }
    assert_eq!(labels(&facts), ["sofia-handoff", "lead-quente"]);
}

#[test]
fn a_takeover_note_names_the_person_and_a_closing_note_says_who_ended_it() {
    let clinic = demo();
    let mut taken = handoff(HandoffOrigin::Staff);
    taken.assignee = Some(StaffMember::parse("Joana Souza").unwrap());
    let facts = NoteFacts {
        handoff: taken.clone(),
        state: ConversationState::default(),
        lead: None,
        appointments: Vec::new(),
        packages: Vec::new(),
    };
    let note = opened(&clinic, &facts, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    assert!(note.starts_with("🤝 Joana Souza assumiu a conversa"), "{note}");
    assert!(!note.contains("Lead:") && !note.contains("Pacotes:"), "{note}");
    assert_eq!(labels(&facts), ["sofia-handoff"]);

    taken.resolved_by = Some(ResolvedBy::Staff(StaffMember::parse("Joana Souza").unwrap()));
    assert_eq!(closed(&taken), "✅ Joana Souza encerrou o atendimento; a Sofia volta a responder.");
    taken.resolved_by = Some(ResolvedBy::Idle);
    assert!(closed(&taken).starts_with("⏰ Ninguém da equipe escreveu"));
}
