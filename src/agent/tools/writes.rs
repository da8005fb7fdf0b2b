//! The two steps every write takes (see the module docs of [`super`]): propose a summary and
//! keep the planned write pending, then execute it only when a confirming call plans exactly
//! the same write again — in a later turn than the proposal, after the patient was shown it,
//! and not against their words.

use serde::Serialize;
use sofia_core::conversation::{ConversationState, Pending, PendingAction};
use sofia_core::lang::is_negative;

use super::{PatientText, ToolContext, ToolError};

/// A write's first answer: what will happen, awaiting the patient's yes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedsConfirmation {
    /// pt-BR; show it to the patient as it is.
    pub summary: String,
    /// What to do once the patient agrees.
    pub next: String,
}

impl PatientText for NeedsConfirmation {
    fn patient_text(&self) -> Option<String> {
        Some(proposal_text(&self.summary))
    }
}

/// How a proposal is put to the patient.
pub fn proposal_text(summary: &str) -> String {
    format!("{summary}\nPosso confirmar?")
}

/// What this turn lets a confirming call execute. A model (or a buggy brain) can propose and
/// confirm in one tool loop; the prompt asking it not to is no guarantee. So the engine, not
/// the brain, decides what the patient agreed to: only a proposal that was already pending
/// when the turn began (so it went out in an earlier reply), and only if what the patient
/// wrote this turn is not a no.
#[derive(Debug, Clone, Default)]
pub(super) struct Consent {
    /// The proposal the patient had in front of them when they wrote this turn.
    shown: Option<Pending>,
    /// The patient's words this turn refuse it ("não", "melhor não").
    refused: bool,
}

impl Consent {
    /// At the start of a turn, from the state the previous turn left.
    pub(super) fn at_turn_start(state: &ConversationState) -> Consent {
        Consent { shown: state.pending.clone(), refused: false }
    }

    /// Reads the patient's words of this turn.
    pub(super) fn hearing(self, words: &str) -> Consent {
        Consent { refused: is_negative(words), ..self }
    }

    /// The proposal the patient saw before this turn.
    pub(super) fn shown(&self) -> Option<&Pending> {
        self.shown.as_ref()
    }
}

/// The pending write, if it is of this `kind` ("book", "reschedule", "cancel"): a confirming
/// call may leave out the arguments it already gave.
pub(super) fn pending<'s>(state: &'s ConversationState, kind: &str) -> Option<&'s PendingAction> {
    state.pending.as_ref().map(|pending| &pending.action).filter(|action| action.kind() == kind)
}

/// Whether this call executes `planned`: a confirming call, what the patient was shown before
/// this turn is exactly what would be done now, and the patient did not say no. A confirmation
/// of a proposal made in this very turn is not one (the caller proposes again, so the patient
/// sees the summary); one the patient's words refuse is refused.
pub(super) fn confirmed(
    ctx: &ToolContext<'_>,
    tool: &'static str,
    confirm: bool,
    planned: &PendingAction,
) -> Result<bool, ToolError> {
    if !confirm {
        return Ok(false);
    }
    let still_pending = ctx.state.pending.as_ref().is_some_and(|pending| pending.action == *planned);
    let shown_before = ctx.consent.shown().is_some_and(|pending| pending.action == *planned);
    if still_pending && !shown_before {
        tracing::info!(
            tool,
            "a confirmation came in the turn its proposal was made; showing the summary instead"
        );
    }
    if still_pending && shown_before && ctx.consent.refused {
        tracing::info!(tool, "a confirmation against the patient's no; nothing done");
        return Err(ToolError::Declined { tool });
    }
    Ok(still_pending && shown_before)
}

/// Keeps `action` pending with its summary and asks for confirmation.
pub(super) fn propose(
    ctx: &mut ToolContext<'_>,
    tool: &'static str,
    action: PendingAction,
    summary: String,
) -> NeedsConfirmation {
    ctx.state.pending =
        Some(Pending { action, summary: summary.clone(), proposed_at: ctx.now(), held_back: false });
    NeedsConfirmation {
        summary,
        // The wording is part of recorded model exchanges (cassettes): change it with them.
        next: format!(
            "show the summary; once the patient explicitly agrees, call {tool} again with \"confirm\": true"
        ),
    }
}
