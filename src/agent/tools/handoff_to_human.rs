//! `handoff_to_human`: a person from the clinic takes over; the bot stays silent from then on
//! (the engine checks the conversation's owner before every turn).

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::domain::{HandoffId, InteractionKind};

use super::{PatientText, Tool, ToolContext, ToolError, lead, parse};
use crate::store::Owner;

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
        let handoff = ctx.store.open_handoff(ctx.clinic.id, ctx.conversation, &reason, now).await?;
        ctx.store.set_owner(ctx.conversation, Owner::Human, now).await?;
        // Whatever awaited the patient's yes is now the team's to settle.
        ctx.state.pending = None;
        lead::record(ctx, InteractionKind::Handoff, &reason, json!({ "handoff_id": handoff.id })).await?;
        Ok(HandedOff { handoff_id: handoff.id, reason })
    }
}
