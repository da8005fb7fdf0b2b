//! The two steps every write takes (see the module docs of [`super`]): propose a summary and
//! keep the planned write pending, then execute it only when a confirming call plans exactly
//! the same write again.

use serde::Serialize;
use sofia_core::conversation::{ConversationState, Pending, PendingAction};

use super::{PatientText, ToolContext};

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
        Some(format!("{}\nPosso confirmar?", self.summary))
    }
}

/// The pending write, if it is of this `kind` ("book", "reschedule", "cancel"): a confirming
/// call may leave out the arguments it already gave.
pub(super) fn pending<'s>(state: &'s ConversationState, kind: &str) -> Option<&'s PendingAction> {
    state.pending.as_ref().map(|pending| &pending.action).filter(|action| action.kind() == kind)
}

/// Whether this call executes `planned`: the patient confirmed, and what they were shown is
/// exactly what would be done now.
pub(super) fn confirmed(state: &ConversationState, confirm: bool, planned: &PendingAction) -> bool {
    confirm && state.pending.as_ref().is_some_and(|pending| pending.action == *planned)
}

/// Keeps `action` pending with its summary and asks for confirmation.
pub(super) fn propose(
    ctx: &mut ToolContext<'_>,
    tool: &'static str,
    action: PendingAction,
    summary: String,
) -> NeedsConfirmation {
    ctx.state.pending = Some(Pending { action, summary: summary.clone(), proposed_at: ctx.now() });
    NeedsConfirmation {
        summary,
        next: format!(
            "show the summary; once the patient explicitly agrees, call {tool} again with \"confirm\": true"
        ),
    }
}
