//! The CRM side of a conversation: the lead row, qualified by code, and the timeline of what
//! happened.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use sofia_core::domain::{AppointmentStatus, InteractionKind, LeadId};
use sofia_core::qualification::{LeadFacts, LeadProgress, Qualification, qualify};

use super::{ToolContext, ToolError};
use crate::store::{Interaction, Lead, Patient};

/// Where leads come from when they did not say: this conversation.
const DEFAULT_SOURCE: &str = "whatsapp";

/// Merges `newer` facts into the conversation's and the lead's, requalifies the lead from
/// them and from what the store knows (appointments, opt-out), and saves it.
pub(super) async fn refresh(
    ctx: &mut ToolContext<'_>,
    newer: LeadFacts,
) -> Result<(Lead, Qualification), ToolError> {
    let now = ctx.now();
    let existing = ctx.store.lead_by_phone(ctx.clinic.id, &ctx.phone).await?;
    // The lead row may know facts from an earlier conversation; this one's are newer.
    let mut facts = existing
        .as_ref()
        .map(|lead| LeadFacts::deserialize(&lead.facts).unwrap_or_default())
        .unwrap_or_default();
    facts.merge(ctx.state.facts.clone());
    facts.merge(newer);
    ctx.state.facts = facts.clone();

    let patient = ctx.patient().await?;
    let progress = progress(ctx, patient.as_ref(), now).await?;
    let qualification = qualify(&facts, progress);
    let source = match (facts.source, &existing) {
        (Some(source), _) => source.as_str().to_owned(),
        (None, Some(lead)) => lead.source.clone(),
        (None, None) => DEFAULT_SOURCE.to_owned(),
    };
    let lead = Lead {
        id: existing.as_ref().map_or_else(LeadId::new_random, |lead| lead.id),
        clinic_id: ctx.clinic.id,
        patient_id: patient.as_ref().map(|p| p.id),
        phone: ctx.phone.clone(),
        // What they told us, then the clinic's record, then an earlier lead, then WhatsApp.
        name: ctx
            .state
            .patient_name
            .clone()
            .or_else(|| patient.as_ref().and_then(|p| p.name.clone()))
            .or_else(|| existing.as_ref().and_then(|lead| lead.name.clone()))
            .or_else(|| ctx.push_name.clone()),
        source,
        interest: facts.interest.clone(),
        facts: serde_json::to_value(&facts)?,
        score: qualification.score,
        temperature: qualification.temperature,
        stage: qualification.stage,
        reasons: qualification.reasons.clone(),
        qualified_at: existing.as_ref().and_then(|lead| lead.qualified_at),
        created_at: existing.as_ref().map_or(now, |lead| lead.created_at),
        updated_at: now,
    };
    let saved = ctx.store.save_lead(&lead).await?;
    Ok((saved, qualification))
}

async fn progress(
    ctx: &ToolContext<'_>,
    patient: Option<&Patient>,
    now: DateTime<Utc>,
) -> Result<LeadProgress, ToolError> {
    // A tool runs because the patient wrote: the lead has been contacted.
    let mut progress = LeadProgress { contacted: true, ..LeadProgress::default() };
    if let Some(patient) = patient {
        let appointments =
            ctx.store.patient_appointments(ctx.clinic.id, patient.id, DateTime::<Utc>::UNIX_EPOCH).await?;
        progress.booked = appointments.iter().any(|a| a.status.is_active() && a.starts_at >= now);
        progress.attended = appointments.iter().any(|a| a.status == AppointmentStatus::Completed);
        progress.opted_out = patient.opted_out_at.is_some();
    }
    Ok(progress)
}

/// The CRM's side of a write that is already committed: the lead requalified (when `newer`
/// is given) and the timeline entry. Their failure is logged, not returned: the appointment
/// is booked, moved or cancelled whatever happens here, and telling the patient it failed
/// would be false. The lead is requalified again on the conversation's next tool call.
pub(super) async fn after_write(
    ctx: &mut ToolContext<'_>,
    newer: Option<LeadFacts>,
    kind: InteractionKind,
    summary: &str,
    data: Value,
) {
    if let Some(newer) = newer
        && let Err(error) = refresh(ctx, newer).await
    {
        tracing::error!(error = %error, ?kind, "the write is done, but the lead could not be updated");
    }
    if let Err(error) = record(ctx, kind, summary, data).await {
        tracing::error!(error = %error, ?kind, "the write is done, but the timeline entry could not be added");
    }
}

/// Adds an entry to the patient's timeline in the CRM. `summary` is what the patient was told.
async fn record(
    ctx: &mut ToolContext<'_>,
    kind: InteractionKind,
    summary: &str,
    data: Value,
) -> Result<(), ToolError> {
    let patient = ctx.patient().await?;
    let lead = ctx.store.lead_by_phone(ctx.clinic.id, &ctx.phone).await?;
    let interaction = Interaction {
        clinic_id: ctx.clinic.id,
        patient_id: patient.map(|p| p.id),
        lead_id: lead.map(|l| l.id),
        kind,
        summary: summary.to_owned(),
        data,
        created_at: ctx.now(),
    };
    ctx.store.record_interaction(&interaction).await?;
    Ok(())
}
