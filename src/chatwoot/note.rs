//! The private notes Sofia leaves agents in Chatwoot: why she handed a conversation over and
//! what the agent should know before answering (what the patient wants, the lead's score and
//! why, what awaited the patient's yes, upcoming appointments, packages), and that the
//! conversation came back to her. In Portuguese: the clinic's staff read them.

use chrono::{DateTime, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::ConversationState;
use sofia_core::domain::{FunnelStage, Temperature};
use sofia_core::qualification::{LeadFacts, LeadProgress, qualify};

use crate::store::{
    Appointment, Handoff, HandoffOrigin, Lead, PatientPackage, ResolvedBy, Store, StoreError,
};

/// What a handoff note is written from.
#[derive(Debug, Clone)]
pub struct NoteFacts {
    pub handoff: Handoff,
    pub state: ConversationState,
    pub lead: Option<Lead>,
    /// Live appointments ahead, earliest first.
    pub appointments: Vec<Appointment>,
    pub packages: Vec<PatientPackage>,
}

impl NoteFacts {
    /// Everything the store knows of the handoff's patient, as of `now`.
    pub async fn gather(
        store: &dyn Store,
        clinic: &Clinic,
        handoff: &Handoff,
        now: DateTime<Utc>,
    ) -> Result<NoteFacts, StoreError> {
        let conversation = store.conversation(handoff.conversation_id).await?;
        let state = conversation.as_ref().map(|c| ConversationState::from_json(&c.state)).unwrap_or_default();
        let (mut lead, mut appointments, mut packages) = (None, Vec::new(), Vec::new());
        if let Some(conversation) = &conversation {
            lead = store.lead_by_phone(clinic.id, &conversation.phone).await?;
            if let Some(patient) = store.patient_by_phone(clinic.id, &conversation.phone).await? {
                appointments = store.patient_appointments(clinic.id, patient.id, now).await?;
                appointments.retain(|appointment| appointment.status.is_active());
                packages = store.patient_packages(clinic.id, patient.id).await?;
            }
        }
        Ok(NoteFacts { handoff: handoff.clone(), state, lead, appointments, packages })
    }
}

/// The note left when a conversation goes to the team.
pub fn opened(clinic: &Clinic, facts: &NoteFacts, today: chrono::NaiveDate) -> String {
    let handoff = &facts.handoff;
    let mut lines = Vec::new();
    match (&handoff.origin, &handoff.assignee) {
        (HandoffOrigin::Staff, Some(by)) => {
            lines.push(format!("🤝 {by} assumiu a conversa; a Sofia fica em silêncio."))
        }
        (HandoffOrigin::Staff, None) => {
            lines.push("🤝 A equipe assumiu a conversa; a Sofia fica em silêncio.".to_owned())
        }
        (HandoffOrigin::Bot, _) => {
            lines.push(format!("🤝 A Sofia passou a conversa para a equipe. Motivo: {}", handoff.reason))
        }
    }
    if let Some(name) = &facts.state.patient_name {
        lines.push(format!("Paciente: {name}"));
    }
    if let Some(interest) = &facts.state.facts.interest {
        lines.push(format!("Quer: {interest}"));
    }
    if let Some(lead) = &facts.lead {
        lines.push(lead_line(lead, !facts.appointments.is_empty()));
    }
    if let Some(pending) = &facts.state.pending {
        lines.push(format!("Aguardava o \"sim\" do paciente para: {}", pending.summary));
    }
    if !facts.appointments.is_empty() {
        lines.push("Próximas consultas:".to_owned());
        for appointment in &facts.appointments {
            lines.push(format!("• {}", appointment_line(clinic, appointment)));
        }
    }
    let live: Vec<&PatientPackage> = facts
        .packages
        .iter()
        .filter(|package| package.expires_on >= today && package.sessions_used < package.sessions_total)
        .collect();
    if !live.is_empty() {
        lines.push("Pacotes:".to_owned());
        for package in live {
            let name = clinic.package(package.package_id).map_or("Pacote", |offer| offer.name.as_str());
            lines.push(format!(
                "• {name}: {} de {} sessões restantes, válido até {}",
                package.sessions_total - package.sessions_used,
                package.sessions_total,
                package.expires_on.format("%d/%m/%Y")
            ));
        }
    }
    lines.push(
        "Para devolver a conversa à Sofia, resolva-a ou marque-a como pendente. Notas privadas nunca chegam ao paciente."
            .to_owned(),
    );
    lines.join("\n")
}

/// The note left when the conversation is Sofia's again.
pub fn closed(handoff: &Handoff) -> String {
    match &handoff.resolved_by {
        Some(ResolvedBy::Staff(by)) => format!("✅ {by} encerrou o atendimento; a Sofia volta a responder."),
        _ => "⏰ Ninguém da equipe escreveu ao paciente no prazo (handoff.idle_return_h); a Sofia volta a responder."
            .to_owned(),
    }
}

/// "Lead: 75/100, quente (agendado). Motivos: …"
fn lead_line(lead: &Lead, booked: bool) -> String {
    let facts: LeadFacts = serde_json::from_value(lead.facts.clone()).unwrap_or_default();
    let progress = LeadProgress {
        contacted: true,
        booked,
        attended: lead.stage == FunnelStage::Converted,
        opted_out: false,
    };
    let reasons = qualify(&facts, progress).reasons;
    let mut line =
        format!("Lead: {}/100, {} ({})", lead.score, temperature(lead.temperature), stage(lead.stage));
    if !reasons.is_empty() {
        line.push_str(&format!(". Motivos: {}", reasons.join("; ")));
    }
    line
}

fn appointment_line(clinic: &Clinic, appointment: &Appointment) -> String {
    let at = appointment.starts_at.with_timezone(&clinic.timezone);
    let service = clinic.service(appointment.service_id).map_or("Consulta", |s| s.name.as_str());
    let with = clinic.professional(appointment.professional_id).map(|p| format!(" com {}", p.name));
    let status = match appointment.status {
        sofia_core::domain::AppointmentStatus::Confirmed => "confirmada",
        _ => "agendada",
    };
    format!("{} {service}{} ({status})", at.format("%d/%m %H:%M"), with.unwrap_or_default())
}

fn temperature(temperature: Temperature) -> &'static str {
    match temperature {
        Temperature::Hot => "quente",
        Temperature::Warm => "morno",
        Temperature::Cold => "frio",
    }
}

fn stage(stage: FunnelStage) -> &'static str {
    match stage {
        FunnelStage::New => "novo",
        FunnelStage::Contacted => "em contato",
        FunnelStage::Interested => "interessado",
        FunnelStage::Scheduled => "agendado",
        FunnelStage::Converted => "convertido",
        FunnelStage::Lost => "perdido",
    }
}

/// Chatwoot labels for a handoff: always `sofia-handoff`, and the lead's temperature.
pub fn labels(facts: &NoteFacts) -> Vec<String> {
    let mut labels = vec!["sofia-handoff".to_owned()];
    if let Some(lead) = &facts.lead {
        labels.push(format!("lead-{}", temperature(lead.temperature)));
    }
    labels
}

#[cfg(test)]
mod tests;
