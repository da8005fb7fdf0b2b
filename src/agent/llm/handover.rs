//! The guard's handoffs, after the review: whatever the model did, a patient the rules brain
//! would hand to a person is handed to one (the same readers, `needs_a_person` and
//! `says_misunderstood`), and a reply that promises a person gets one.
//!
//! They run on every reply a turn ends with, a safe reply included: a money dispute whose draft
//! quoted the disputed amount is still the team's, not an occasion for the price list, and a
//! worry after a procedure the model tried to diagnose is still the professional's.

use serde_json::json;
use sofia_core::lang::{
    CLARIFICATIONS_BEFORE_HUMAN, Escalation, NOT_UNDERSTOOD_FOR_THE_TEAM, needs_a_person, says_misunderstood,
};

use super::review;
use crate::agent::brain::Turn;
use crate::agent::tools::{HandoffToHuman, Tool, ToolContext, Tools};
use crate::handoff::{NOT_UNDERSTOOD_APOLOGY, acknowledgement, apology};
use crate::store::{LlmOutcome, ToolOutcome};

/// The reply the review let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reviewed {
    /// The model's own words.
    Model(String),
    /// Words written in their place: by the review, the step limit, or the guard below.
    Safe(String),
}

impl Reviewed {
    pub(super) fn into_reply(self) -> (String, LlmOutcome) {
        match self {
            Reviewed::Model(text) => (text, LlmOutcome::Answered),
            Reviewed::Safe(text) => (text, LlmOutcome::SafeReply),
        }
    }
}

/// Why the guard hands the conversation over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Said(Escalation),
    /// Said twice in a row that Sofia did not understand.
    NotUnderstood,
}

impl Need {
    fn for_the_team(self) -> &'static str {
        match self {
            Need::Said(said) => said.for_the_team(),
            Need::NotUnderstood => NOT_UNDERSTOOD_FOR_THE_TEAM,
        }
    }

    /// What the patient reads before what happens next, when the model's words cannot be sent:
    /// the rules brain's apology.
    fn apology(self) -> &'static str {
        match self {
            Need::Said(said) => apology(said),
            Need::NotUnderstood => NOT_UNDERSTOOD_APOLOGY,
        }
    }

    /// Whether a model that forgot the handoff may still be heard: only when it apologised for
    /// a complaint or a dispute, which shows it understood the message. Its words about
    /// symptoms after a procedure are never sent (only the professional may say whether they
    /// are expected), nor a model's question to a patient it has failed twice.
    fn keeps_the_model_s_words(self, text: &str) -> bool {
        matches!(self, Need::Said(Escalation::Complaint | Escalation::MoneyDispute))
            && review::apologises(text)
    }
}

/// The reply after the guard's handoffs: the need for a person first, then a promise of one.
pub(super) async fn settle(
    ctx: &mut ToolContext<'_>,
    tools: &Tools,
    turn: &Turn,
    reviewed: Reviewed,
) -> Reviewed {
    let reviewed = escalate_when_needed(ctx, tools, turn, reviewed).await;
    match reviewed {
        Reviewed::Model(text) => keep_promise(ctx, tools, text).await,
        // Our own words promise no one.
        safe @ Reviewed::Safe(_) => safe,
    }
}

/// A complaint, a money dispute or a worry after a procedure is the team's, whatever the model
/// answered, and so is a patient who said twice in a row that they were not understood: the
/// handoff is made with the reason (as the rules brain does), and the patient is told what
/// happens next.
async fn escalate_when_needed(
    ctx: &mut ToolContext<'_>,
    tools: &Tools,
    turn: &Turn,
    reviewed: Reviewed,
) -> Reviewed {
    let words = turn.text();
    let now = ctx.now();
    let misunderstood = if says_misunderstood(&words) {
        ctx.state_mut().missed(now)
    } else {
        ctx.state_mut().placed();
        0
    };
    let need = needs_a_person(&words)
        .map(Need::Said)
        .or((misunderstood >= CLARIFICATIONS_BEFORE_HUMAN).then_some(Need::NotUnderstood));
    let Some(need) = need else { return reviewed };
    let next = acknowledgement(ctx.clinic(), ctx.now());
    if handed_off(ctx) {
        ctx.state_mut().placed();
        return match reviewed {
            // The model made the handoff and said so.
            Reviewed::Model(text) => Reviewed::Model(text),
            // A safe reply in place of its words would not say so.
            Reviewed::Safe(_) => Reviewed::Safe(format!("{}\n\n{next}", need.apology())),
        };
    }
    tracing::info!(reason = need.for_the_team(), "the patient needs a person; making the handoff");
    let reason = json!({ "reason": need.for_the_team() });
    if let Err(error) = tools.call(ctx, HandoffToHuman::NAME, reason).await {
        tracing::error!(error = %error, "could not hand the conversation over");
        return Reviewed::Safe(review::handoff_failed(ctx.clinic()));
    }
    ctx.state_mut().placed();
    match reviewed {
        Reviewed::Model(text) if need.keeps_the_model_s_words(&text) => {
            Reviewed::Model(format!("{text}\n\n{next}"))
        }
        _ => Reviewed::Safe(format!("{}\n\n{next}", need.apology())),
    }
}

/// Whether `handoff_to_human` ran this turn and succeeded.
fn handed_off(ctx: &ToolContext<'_>) -> bool {
    ctx.calls().iter().any(|call| call.tool == HandoffToHuman::NAME && call.outcome == ToolOutcome::Ok)
}

/// A reply that tells the patient a person will take over must be true: the handoff is made
/// if the model did not make it. If it cannot be made, the patient is told how to reach the
/// clinic instead.
async fn keep_promise(ctx: &mut ToolContext<'_>, tools: &Tools, text: String) -> Reviewed {
    if handed_off(ctx) || !review::promises_a_human(&text) {
        return Reviewed::Model(text);
    }
    tracing::info!("the reply promised a person without a handoff; making the handoff");
    let reason = json!({ "reason": "Sofia told the patient a person from the team would continue" });
    match tools.call(ctx, HandoffToHuman::NAME, reason).await {
        Ok(_) => Reviewed::Model(text),
        Err(error) => {
            tracing::error!(error = %error, "could not make the handoff the reply promised");
            Reviewed::Safe(review::handoff_failed(ctx.clinic()))
        }
    }
}
