//! What a tool call may touch: built by the engine for one turn of one conversation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::conversation::{ConversationState, Pending};
use sofia_core::domain::{ConversationId, Phone};
use sofia_core::lang::health_cues;

use super::ToolError;
use super::writes::Consent;
use crate::store::{Patient, Store, ToolOutcome};

/// The world as one conversation sees it. The clinic and the patient's phone scope every
/// tool; the patient is the one the clinic knows by this phone, never one an argument names.
pub struct ToolContext<'a> {
    pub(super) store: Arc<dyn Store>,
    pub(super) clinic: &'a Clinic,
    pub(super) clock: &'a dyn Clock,
    pub(super) conversation: ConversationId,
    pub(super) phone: Phone,
    /// The WhatsApp profile name, used for a new patient when they have not told us theirs.
    pub(super) push_name: Option<String>,
    pub(super) state: &'a mut ConversationState,
    /// The patient record once looked up (or created by a booking) during this turn.
    patient: Option<Patient>,
    /// Every call made through this context, in order: the turn's trace.
    pub(super) calls: Vec<ToolCall>,
    /// What the patient has agreed to by this turn: what a confirming write may execute.
    pub(super) consent: Consent,
}

/// One tool call as it happened, for traces, evals and the LLM's next step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolCall {
    pub tool: String,
    pub arguments: Value,
    /// The tool's result, or its error (`{"error": code, "message", "patient_message"}`).
    pub result: Value,
    pub outcome: ToolOutcome,
}

impl<'a> ToolContext<'a> {
    pub fn new(
        store: Arc<dyn Store>,
        clinic: &'a Clinic,
        clock: &'a dyn Clock,
        conversation: ConversationId,
        phone: Phone,
        state: &'a mut ConversationState,
    ) -> ToolContext<'a> {
        let consent = Consent::at_turn_start(state);
        ToolContext {
            store,
            clinic,
            clock,
            conversation,
            phone,
            push_name: None,
            state,
            patient: None,
            calls: Vec::new(),
            consent,
        }
    }

    /// What the patient wrote this turn: a write they refuse is not executed, and what they say
    /// about their health is remembered for the conversation, so that no procedure it rules out
    /// is booked, whichever brain asks (`book_appointment` refuses it).
    pub fn with_patient_words(self, words: &str) -> ToolContext<'a> {
        let consent = self.consent.clone().hearing(words);
        let known = &mut self.state.dialogue.health_cues;
        for cue in health_cues(self.clinic, words) {
            if !known.iter().any(|known| known == cue) {
                known.push(cue.to_owned());
            }
        }
        ToolContext { consent, ..self }
    }

    pub fn with_push_name(self, push_name: Option<String>) -> ToolContext<'a> {
        let push_name = push_name.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
        ToolContext { push_name, ..self }
    }

    /// The conversation state as the tools left it.
    pub fn state(&self) -> &ConversationState {
        self.state
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn clinic(&self) -> &Clinic {
        self.clinic
    }

    pub fn phone(&self) -> &Phone {
        &self.phone
    }

    pub fn conversation(&self) -> ConversationId {
        self.conversation
    }

    /// The WhatsApp profile name, if the provider sent one.
    pub fn push_name(&self) -> Option<&str> {
        self.push_name.as_deref()
    }

    /// The conversation state, for brains that change it beyond what tools do (the name the
    /// patient gave, clarification counts).
    pub fn state_mut(&mut self) -> &mut ConversationState {
        self.state
    }

    /// A write proposed in this turn, which the patient has not seen yet: the reply must show
    /// its summary.
    pub fn unshown_proposal(&self) -> Option<&Pending> {
        let pending = self.state.pending.as_ref()?;
        let seen = self.consent.shown().is_some_and(|shown| shown.action == pending.action);
        (!seen).then_some(pending)
    }

    /// Takes back a proposal made this turn whose reply will not go out as drafted (the brain
    /// failed): the patient cannot agree to a summary they never saw.
    pub fn withdraw_unshown_proposal(&mut self) {
        if self.unshown_proposal().is_some() {
            self.state.pending = self.consent.shown().cloned();
        }
    }

    /// The calls made so far through this context, oldest first.
    pub fn calls(&self) -> &[ToolCall] {
        &self.calls
    }

    /// The patient with this conversation's phone, if the clinic has one.
    pub(super) async fn patient(&mut self) -> Result<Option<Patient>, ToolError> {
        if self.patient.is_none() {
            self.patient = self.store.patient_by_phone(self.clinic.id, &self.phone).await?;
        }
        Ok(self.patient.clone())
    }

    /// The patient with this conversation's phone, created if new (named as they told us, or
    /// by their WhatsApp name; a name the clinic already has is kept) and linked to the
    /// conversation.
    pub(super) async fn register_patient(&mut self) -> Result<Patient, ToolError> {
        let name = self.known_name();
        let now = self.now();
        let patient = self.store.upsert_patient(self.clinic.id, &self.phone, name.as_deref(), now).await?;
        self.store.link_patient(self.conversation, patient.id, now).await?;
        self.patient = Some(patient.clone());
        Ok(patient)
    }

    /// The name to greet and record the patient by.
    fn known_name(&self) -> Option<String> {
        self.state
            .patient_name
            .clone()
            .or_else(|| self.patient.as_ref().and_then(|p| p.name.clone()))
            .or_else(|| self.push_name.clone())
    }
}
