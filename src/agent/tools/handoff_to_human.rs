//! `handoff_to_human`: a person from the clinic takes over; the bot stays silent until the
//! handoff is resolved or nobody from the team writes for `handoff.idle_return_h` (see
//! `crate::handoff`), except for telling a patient who writes meanwhile, once, that the team knows.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::conversation::Handover;
use sofia_core::domain::{HandoffId, InteractionKind};

use super::{PatientText, Tool, ToolContext, ToolError, lead, parse};
use crate::handoff::summary_of;
use crate::store::{HandoffOrigin, NewHandoff};

pub struct HandoffToHuman;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffToHumanArgs {
    /// Why a person should take over, for the clinic's team: "asked for a human", "emergency",
    /// "wants to negotiate the price".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandedOff {
    pub handoff_id: HandoffId,
    pub reason: String,
}

impl PatientText for HandedOff {
    fn patient_text(&self) -> Option<String> {
        Some(
            "Vou chamar alguém da nossa equipe para continuar o atendimento com você. Só um instante!"
                .to_owned(),
        )
    }
}

#[async_trait]
impl Tool for HandoffToHuman {
    const NAME: &'static str = "handoff_to_human";
    const DESCRIPTION: &'static str = "Hands the conversation to a person from the clinic's team, with the \
        reason. After it the assistant no longer answers this patient until the team hands it back.";
    type Args = HandoffToHumanArgs;
    type Output = HandedOff;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: HandoffToHumanArgs) -> Result<HandedOff, ToolError> {
        let reason = parse::text("reason", &args.reason)?;
        let now = ctx.now();
        let handoff = ctx
            .store
            .hand_to_human(&NewHandoff {
                clinic_id: ctx.clinic.id,
                conversation_id: ctx.conversation,
                reason: reason.clone(),
                summary: summary_of(ctx.state),
                origin: HandoffOrigin::Bot,
                assignee: None,
                opened_at: now,
            })
            .await?;
        // Whatever awaited the patient's yes is now the team's to settle.
        ctx.state.pending = None;
        ctx.state.handover = Handover::WithTeam { since: now, acknowledged: false };
        let data = json!({ "handoff_id": handoff.id });
        lead::after_write(ctx, None, InteractionKind::Handoff, &reason, data).await;
        Ok(HandedOff { handoff_id: handoff.id, reason })
    }
}
