//! `decline_waitlist_offer`: the patient does not want the freed slot Sofia offered them from
//! the waitlist; its hold ends at once so the next patient in line is offered it. Nothing of
//! the patient's changes (they stay in line for another slot), so it takes one step.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sofia_core::conversation::Awaiting;

use super::{PatientText, Tool, ToolContext, ToolError};

pub struct DeclineWaitlistOffer;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineWaitlistOfferArgs {}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OfferDeclined {
    /// The slot goes to the next in line; the patient stays on the waitlist.
    Released,
    /// Nothing was held for the patient any more (the hold had run out).
    NothingHeld,
}

impl PatientText for OfferDeclined {
    fn patient_text(&self) -> Option<String> {
        Some(
            "Tudo bem! Vou oferecer essa vaga para a próxima pessoa da lista. Você continua na lista de espera \
             e eu te aviso se abrir outro horário. 😊"
                .to_owned(),
        )
    }
}

#[async_trait]
impl Tool for DeclineWaitlistOffer {
    const NAME: &'static str = "decline_waitlist_offer";
    const DESCRIPTION: &'static str = "The patient does not want the freed slot Sofia offered them from the \
        waitlist: releases it at once for the next patient in line. The patient stays on the waitlist.";
    type Args = DeclineWaitlistOfferArgs;
    type Output = OfferDeclined;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        _: DeclineWaitlistOfferArgs,
    ) -> Result<OfferDeclined, ToolError> {
        if ctx.state.dialogue.awaiting == Some(Awaiting::WaitlistOffer) {
            ctx.state.dialogue.awaiting = None;
        }
        ctx.state.offered.clear();
        ctx.state.dialogue.shown.clear();
        let Some(patient) = ctx.patient().await? else { return Ok(OfferDeclined::NothingHeld) };
        let released = ctx.store.decline_waitlist_offer(ctx.clinic.id, patient.id, ctx.now()).await?;
        Ok(if released { OfferDeclined::Released } else { OfferDeclined::NothingHeld })
    }
}
