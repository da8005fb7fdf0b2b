//! The agent's tools: the only way either brain acts on the world (docs/architecture.md, "Agent tools").
//!
//! [`Tools::call`] is the one entry point: it looks the tool up by name, parses the model's JSON
//! arguments into the tool's typed arguments, runs it against a [`ToolContext`], saves the
//! conversation state the tool changed, and writes the call — refused or not — to the audit log.
//! [`Tools::schemas`] lists every tool with a JSON Schema generated from its argument type.
//!
//! The clinic, the patient and the conversation come from the context the engine builds, never
//! from the arguments: whatever ids a model sends, a patient only ever sees and changes their
//! own appointments.
//!
//! # Writes are two-step
//! `book_appointment`, `reschedule_appointment`, `cancel_appointment` and `join_waitlist` first answer
//! `needs_confirmation` with a pt-BR summary (service, day, time, professional, price, and what a
//! late change costs) and keep the planned write in [`ConversationState::pending`]. Only a later
//! call with `"confirm": true` executes it, and only if planning it again gives exactly the same
//! write: if anything changed (the offer, the price, the late-change fee), the new plan is shown
//! for confirmation instead. A confirming call may repeat the arguments or send only
//! `{"confirm": true}`.
//!
//! The server, not the prompt, decides what the patient agreed to: a confirming call executes
//! only a proposal that was already pending when the turn began (so its summary went out in an
//! earlier reply), and never when the patient's words this turn are a no. A proposal made this
//! turn is proposed again instead, and the LLM brain's reply carries its summary word for word.
//!
//! # Adding a tool
//! One file with a type implementing [`Tool`], and one line registering it: in
//! [`Tools::standard`] if it needs nothing but the context, or with [`Tools::with`] where the
//! engine is wired if it holds its own dependencies (as `search_knowledge` holds the index).

mod appointments;
mod context;
mod error;
mod lead;
mod offer;
mod packages;
mod parse;
mod views;
mod writes;

mod book_appointment;
mod cancel_appointment;
mod confirm_appointment;
mod decline_waitlist_offer;
mod find_slots;
mod handoff_to_human;
mod join_waitlist;
mod list_appointments;
mod package_balance;
mod reschedule_appointment;
mod search_knowledge;
mod update_lead;

use std::time::Instant;

use async_trait::async_trait;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sofia_core::conversation::ConversationState;

use crate::store::{AuditEntry, ToolOutcome};

pub(crate) use appointments::late_notice;
pub use book_appointment::{BookAppointment, BookAppointmentArgs, Booking};
pub use cancel_appointment::{CancelAppointment, CancelAppointmentArgs, Cancellation};
pub use confirm_appointment::{ConfirmAppointment, ConfirmAppointmentArgs, Confirmed};
pub use context::{ToolCall, ToolContext};
pub use decline_waitlist_offer::{DeclineWaitlistOffer, DeclineWaitlistOfferArgs, OfferDeclined};
pub use error::{Catalogue, Change, ToolError};
pub use find_slots::{FindSlots, FindSlotsArgs, SlotsFound};
pub use handoff_to_human::{HandedOff, HandoffToHuman, HandoffToHumanArgs};
pub use join_waitlist::{JoinWaitlist, JoinWaitlistArgs, Waitlisted};
pub use list_appointments::{ListAppointments, ListAppointmentsArgs, UpcomingAppointments};
pub use package_balance::{PackageBalance, PackageBalanceArgs, PackageBalances, PackageView};
pub use reschedule_appointment::{RescheduleAppointment, RescheduleAppointmentArgs, Rescheduling};
pub use search_knowledge::{KnowledgeFound, SearchKnowledge, SearchKnowledgeArgs};
pub use update_lead::{LeadUpdated, UpdateLead, UpdateLeadArgs};
pub use views::{AppointmentView, SlotView};
pub use writes::{NeedsConfirmation, proposal_text};

/// One tool: typed arguments in, a typed result out.
#[async_trait]
pub trait Tool: Send + Sync + 'static {
    /// The name eval files and traces use (docs/architecture.md, "Agent tools"): part of what
    /// users see, so never renamed.
    const NAME: &'static str;
    /// What the tool does and when to use it, for the model.
    const DESCRIPTION: &'static str;
    /// Parsed with `deny_unknown_fields`; its JSON Schema is what the model sees.
    type Args: DeserializeOwned + JsonSchema + Send;
    type Output: Serialize + PatientText + Send;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: Self::Args) -> Result<Self::Output, ToolError>;
}

/// A result rendered for the patient, in pt-BR, for brains that answer with text.
pub trait PatientText {
    /// `None` when the result is not for the patient's eyes (lead scores).
    fn patient_text(&self) -> Option<String>;
}

/// A successful call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolReply {
    pub tool: &'static str,
    /// The tool's structured result, as the model reads it.
    pub json: Value,
    /// The same result in pt-BR for the patient, when it is for them.
    pub text: Option<String>,
}

/// A tool as the model sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSchema {
    pub name: &'static str,
    pub description: &'static str,
    /// JSON Schema of the arguments, with every subschema inlined.
    pub parameters: Value,
}

/// The registry of tools a brain may call.
pub struct Tools {
    tools: Vec<Box<dyn Registered>>,
}

impl Tools {
    /// Every tool that needs nothing but the [`ToolContext`].
    pub fn standard() -> Tools {
        Tools { tools: Vec::new() }
            .with(find_slots::FindSlots)
            .with(book_appointment::BookAppointment)
            .with(reschedule_appointment::RescheduleAppointment)
            .with(cancel_appointment::CancelAppointment)
            .with(confirm_appointment::ConfirmAppointment)
            .with(join_waitlist::JoinWaitlist)
            .with(decline_waitlist_offer::DeclineWaitlistOffer)
            .with(list_appointments::ListAppointments)
            .with(package_balance::PackageBalance)
            .with(update_lead::UpdateLead)
            .with(handoff_to_human::HandoffToHuman)
    }

    /// Adds `tool`, replacing any tool of the same name.
    pub fn with<T: Tool>(mut self, tool: T) -> Tools {
        self.tools.retain(|registered| registered.name() != T::NAME);
        self.tools.push(Box::new(tool));
        self
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.tools.iter().map(|tool| tool.name()).collect()
    }

    /// Every tool's name, description and argument schema, for the LLM's tool list.
    pub fn schemas(&self) -> Vec<ToolSchema> {
        self.tools.iter().map(|tool| tool.schema()).collect()
    }

    /// Runs the tool `name` with the model's `arguments`. An unknown name or arguments that do
    /// not parse are refused before anything runs. Every call is audited, and the conversation
    /// state is saved whenever the tool changed it (also when it refused), so the state and the
    /// database never disagree after a crash.
    #[tracing::instrument(name = "tool", skip_all, fields(tool = %name))]
    pub async fn call(
        &self,
        ctx: &mut ToolContext<'_>,
        name: &str,
        arguments: Value,
    ) -> Result<ToolReply, ToolError> {
        let started = Instant::now();
        let state_before = ctx.state.clone();
        let result = match self.tools.iter().find(|tool| tool.name() == name) {
            Some(tool) => tool.invoke(ctx, arguments.clone()).await,
            None => Err(ToolError::UnknownTool { name: name.to_owned(), available: self.names() }),
        };
        if let Err(error) = save_state_if_changed(ctx, &state_before).await {
            // Reported, not returned: the call's effects are committed, and the engine saves the
            // state again at the end of the turn.
            tracing::error!(
                tool = name,
                error = &error as &dyn std::error::Error,
                "could not save the conversation state"
            );
        }
        let (outcome, json) = match &result {
            Ok(reply) => (ToolOutcome::Ok, reply.json.clone()),
            Err(error) => (error.outcome(), error.to_json()),
        };
        ctx.calls.push(ToolCall {
            tool: name.to_owned(),
            arguments: arguments.clone(),
            result: json.clone(),
            outcome,
        });
        let entry = AuditEntry {
            clinic_id: ctx.clinic.id,
            conversation_id: Some(ctx.conversation),
            tool: name.to_owned(),
            arguments,
            result: json,
            outcome,
            duration_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
            created_at: ctx.now(),
        };
        if let Err(error) = ctx.store.record_tool_call(&entry).await {
            // Failing the call now would tell the patient that a booking which exists did not
            // happen.
            tracing::error!(
                tool = name,
                error = &error as &dyn std::error::Error,
                "could not audit a tool call"
            );
        }
        result
    }
}

async fn save_state_if_changed(ctx: &ToolContext<'_>, before: &ConversationState) -> Result<(), ToolError> {
    if *ctx.state == *before {
        return Ok(());
    }
    let json = ctx.state.to_json()?;
    ctx.store.save_state(ctx.conversation, &json, ctx.now()).await?;
    Ok(())
}

/// A [`Tool`] with its types erased, so tools of different types share one registry.
#[async_trait]
trait Registered: Send + Sync {
    fn name(&self) -> &'static str;
    fn schema(&self) -> ToolSchema;
    async fn invoke(&self, ctx: &mut ToolContext<'_>, arguments: Value) -> Result<ToolReply, ToolError>;
}

#[async_trait]
impl<T: Tool> Registered for T {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn schema(&self) -> ToolSchema {
        ToolSchema { name: T::NAME, description: T::DESCRIPTION, parameters: parameters_schema::<T::Args>() }
    }

    async fn invoke(&self, ctx: &mut ToolContext<'_>, arguments: Value) -> Result<ToolReply, ToolError> {
        // Models send `null` for a tool without parameters as often as `{}`.
        let arguments = if arguments.is_null() { json!({}) } else { arguments };
        let args: T::Args = serde_json::from_value(arguments)
            .map_err(|error| ToolError::BadArguments { tool: T::NAME, problem: error.to_string() })?;
        let output = self.run(ctx, args).await?;
        Ok(ToolReply { tool: T::NAME, json: serde_json::to_value(&output)?, text: output.patient_text() })
    }
}

/// The arguments' JSON Schema, self-contained (no `$ref`) and without the meta-schema and
/// title, which tool-calling APIs do not want.
fn parameters_schema<A: JsonSchema>() -> Value {
    let settings = SchemaSettings::draft2020_12().with(|settings| {
        settings.inline_subschemas = true;
        settings.meta_schema = None;
    });
    let mut schema = settings.into_generator().into_root_schema_for::<A>();
    schema.remove("title");
    schema.to_value()
}

#[cfg(test)]
mod tests;
