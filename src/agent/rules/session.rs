//! One turn of the rules brain: the context and tools it acts through, and the tool results it
//! reads back, typed.
//!
//! The brain reads tool results the way a model does, from their JSON; the mirrors here name
//! only the fields it needs, so a tool may grow fields without touching the brain.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sofia_core::clinic::{Clinic, Service};
use sofia_core::conversation::{ConversationState, OfferedSlot, SlotId};
use sofia_core::domain::AppointmentId;

use crate::agent::tools::{ToolContext, ToolError, ToolReply, Tools};

/// The tools the rules brain calls, by their names (docs/architecture.md, "Agent tools").
pub(super) mod tool {
    use crate::agent::tools::{
        BookAppointment, CancelAppointment, ConfirmAppointment, DeclineWaitlistOffer, FindSlots,
        HandoffToHuman, JoinWaitlist, ListAppointments, PackageBalance, RescheduleAppointment,
        SearchKnowledge, Tool, UpdateLead,
    };

    pub const FIND_SLOTS: &str = FindSlots::NAME;
    pub const BOOK: &str = BookAppointment::NAME;
    pub const RESCHEDULE: &str = RescheduleAppointment::NAME;
    pub const CANCEL: &str = CancelAppointment::NAME;
    pub const CONFIRM: &str = ConfirmAppointment::NAME;
    pub const LIST: &str = ListAppointments::NAME;
    pub const PACKAGES: &str = PackageBalance::NAME;
    pub const UPDATE_LEAD: &str = UpdateLead::NAME;
    pub const HANDOFF: &str = HandoffToHuman::NAME;
    pub const SEARCH_KNOWLEDGE: &str = SearchKnowledge::NAME;
    pub const JOIN_WAITLIST: &str = JoinWaitlist::NAME;
    pub const DECLINE_WAITLIST_OFFER: &str = DeclineWaitlistOffer::NAME;
}

pub(super) struct Session<'t, 'c> {
    pub ctx: &'t mut ToolContext<'c>,
    pub tools: &'t Tools,
}

impl Session<'_, '_> {
    pub fn clinic(&self) -> &Clinic {
        self.ctx.clinic()
    }

    pub fn state(&self) -> &ConversationState {
        self.ctx.state()
    }

    pub fn state_mut(&mut self) -> &mut ConversationState {
        self.ctx.state_mut()
    }

    /// The clinic's local date now.
    pub fn today(&self) -> NaiveDate {
        self.ctx.now().with_timezone(&self.clinic().timezone).date_naive()
    }

    pub fn has_tool(&self, name: &str) -> bool {
        self.tools.names().contains(&name)
    }

    /// Calls a tool. A refusal is the patient's to hear (its `patient_message`); one the brain
    /// caused by sending bad arguments is also worth a warning.
    pub async fn call(&mut self, name: &str, arguments: Value) -> Result<ToolReply, ToolError> {
        let result = self.tools.call(self.ctx, name, arguments).await;
        if let Err(error @ (ToolError::BadArguments { .. } | ToolError::UnknownTool { .. })) = &result {
            tracing::warn!(
                tool = name,
                error = error as &dyn std::error::Error,
                "the rules brain misused a tool"
            );
        }
        result
    }

    /// The offered slots in the order the patient saw them.
    pub fn shown_slots(&self) -> Vec<OfferedSlot> {
        let state = self.state();
        state.dialogue.shown.iter().filter_map(|id| state.offered(*id)).cloned().collect()
    }

    /// The local date and start time of an offered slot.
    pub fn local(&self, offered: &OfferedSlot) -> (NaiveDate, NaiveTime) {
        let local = offered.slot.start.with_timezone(&self.clinic().timezone);
        (local.date_naive(), local.time())
    }

    pub fn service_named(&self, name: &str) -> Option<&Service> {
        self.clinic().service_named(name)
    }
}

/// A tool's JSON result as the mirror type `T`; `None` if it does not have that shape.
pub(super) fn read<T: DeserializeOwned>(reply: &ToolReply) -> Option<T> {
    match T::deserialize(&reply.json) {
        Ok(value) => Some(value),
        Err(error) => {
            tracing::warn!(tool = reply.tool, %error, "a tool result did not have the shape the rules brain reads");
            None
        }
    }
}

/// `search_knowledge`.
#[derive(Debug, Deserialize)]
pub(super) struct PassagesFound {
    pub passages: Vec<PassageView>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PassageView {
    /// "Perguntas frequentes › Quanto tempo dura o efeito do Botox?".
    pub title: String,
    pub text: String,
}

impl PassageView {
    /// The passage under its own heading, as the tool shows its best one to a patient.
    pub fn as_shown(&self) -> String {
        let heading = self.title.rsplit(" › ").next().unwrap_or(&self.title);
        format!("*{heading}*\n{}", self.text)
    }
}

/// `find_slots`.
#[derive(Debug, Deserialize)]
pub(super) struct SlotsFound {
    pub service: String,
    pub price: String,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct SlotView {
    pub id: SlotId,
    pub professional: String,
    pub date: NaiveDate,
    /// "14:00".
    pub time: String,
}

impl SlotView {
    pub fn start_time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(&self.time, "%H:%M").ok()
    }
}

/// `list_appointments`.
#[derive(Debug, Deserialize)]
pub(super) struct Upcoming {
    pub appointments: Vec<AppointmentView>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct AppointmentView {
    pub id: AppointmentId,
    pub service: String,
    #[serde(default)]
    pub professional: String,
    pub date: NaiveDate,
    pub time: String,
    /// "Botox — terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima".
    pub label: String,
    #[serde(default)]
    pub start: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default)]
    pub package_session: bool,
}

impl AppointmentView {
    /// Its start on the clinic's clock, as the tool wrote it ("14:00").
    pub fn start_time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(&self.time, "%H:%M").ok()
    }
}

/// What `book_appointment`, `reschedule_appointment`, `cancel_appointment` and `join_waitlist`
/// answer.
#[derive(Debug, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub(super) enum WriteOutcome {
    NeedsConfirmation { summary: String },
    Booked { appointment: AppointmentView, reminder: String },
    Rescheduled { appointment: AppointmentView, late_change: Option<String> },
    Cancelled { appointment: AppointmentView, late_change: Option<String> },
    Joined { waitlist: String },
}
