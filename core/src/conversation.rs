//! The typed state of one conversation, kept in `conversations.state` as JSON.
//!
//! Both brains read and write it, and it is shown to the LLM every turn, so nothing depends on a
//! model remembering ids from the chat history: the slots on offer (with short ids), the write
//! awaiting the patient's confirmation, the qualification facts gathered so far.
//!
//! Slot ids are numbers from "1", in the order the slots were offered: the same numbers a
//! patient reads in "1) terça-feira, 03/03 às 14:00" and answers with ("pode ser o 1"). Each new
//! offer replaces the previous one and numbers from "1" again.
//!
//! Reading is lenient: a state written by an older version, or damaged, loses only the parts
//! that no longer make sense and never stops a conversation.

mod dialogue;
mod handover;
mod misses;

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::domain::{AppointmentId, Money, PatientPackageId, ProfessionalId, ServiceId};
use crate::qualification::LeadFacts;
use crate::scheduling::{Period, Slot};

pub use dialogue::{AppointmentAction, Awaiting, Dialogue, SlotRequest};
pub use handover::Handover;
pub use misses::MISS_MEMORY;

/// The short id of an offered slot: "1", "2", … (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotId(u8);

impl SlotId {
    /// The id of the slot at `index` (from 0) in an offer; `None` past 255.
    pub fn nth(index: usize) -> Option<SlotId> {
        u8::try_from(index + 1).ok().map(SlotId)
    }

    /// Reads an id as a model or a brain writes it: "2", " 2 ", "#2".
    pub fn parse(text: &str) -> Option<SlotId> {
        let digits = text.trim().trim_start_matches('#');
        digits.parse::<u8>().ok().filter(|n| *n > 0).map(SlotId)
    }
}

impl fmt::Display for SlotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for SlotId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SlotId {
    /// Accepts "2" and, because models often drop the quotes, 2.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let parsed = match Raw::deserialize(deserializer)? {
            Raw::Number(n) => u8::try_from(n).ok().filter(|n| *n > 0).map(SlotId),
            Raw::Text(text) => SlotId::parse(&text),
        };
        parsed.ok_or_else(|| serde::de::Error::custom("a slot id is a number from 1, such as \"2\""))
    }
}

/// A slot shown to the patient, under its short id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedSlot {
    pub id: SlotId,
    pub slot: Slot,
    pub offered_at: DateTime<Utc>,
}

/// What a late change costs, under the clinic's free-cancellation window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "fee", rename_all = "snake_case")]
pub enum Penalty {
    /// In time: nothing.
    Free,
    /// Late, for a single procedure: the clinic's late-cancellation fee.
    Fee(Money),
    /// Late, for a package session: the session counts as used.
    PackageSession,
}

impl Penalty {
    pub fn is_late(self) -> bool {
        self != Penalty::Free
    }
}

/// A write the patient has been shown and must confirm before it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PendingAction {
    Book {
        slot: SlotId,
        service: ServiceId,
        professional: ProfessionalId,
        start: DateTime<Utc>,
        price: Money,
        /// The patient's package the session is taken from; paid as a single procedure if none.
        package: Option<PatientPackageId>,
    },
    Reschedule {
        appointment: AppointmentId,
        slot: SlotId,
        professional: ProfessionalId,
        start: DateTime<Utc>,
        penalty: Penalty,
    },
    Cancel {
        appointment: AppointmentId,
        reason: String,
        penalty: Penalty,
    },
    /// Waiting for a slot that fits, when none is free: offered one when another patient's
    /// appointment frees it.
    JoinWaitlist {
        service: ServiceId,
        professional: Option<ProfessionalId>,
        /// First and last local day wanted, inclusive: the entry expires after `to`.
        from: NaiveDate,
        to: NaiveDate,
        period: Option<Period>,
    },
}

impl PendingAction {
    /// "book", "reschedule", "cancel" or "waitlist": the tool family it belongs to.
    pub fn kind(&self) -> &'static str {
        match self {
            PendingAction::Book { .. } => "book",
            PendingAction::Reschedule { .. } => "reschedule",
            PendingAction::Cancel { .. } => "cancel",
            PendingAction::JoinWaitlist { .. } => "waitlist",
        }
    }

    /// The slot the write would take, for the writes that take one.
    pub fn new_start(&self) -> Option<DateTime<Utc>> {
        match self {
            PendingAction::Book { start, .. } | PendingAction::Reschedule { start, .. } => Some(*start),
            PendingAction::Cancel { .. } | PendingAction::JoinWaitlist { .. } => None,
        }
    }
}

/// The pending write and the pt-BR summary the patient was shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub action: PendingAction,
    pub summary: String,
    pub proposed_at: DateTime<Utc>,
    /// The patient held the yes back until something happens ("ok quando receber o salario
    /// pode marcar"): only a go-ahead said later confirms it, not a bare "ok vlw".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_back: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationState {
    /// The current offer, in the order shown.
    #[serde(default, deserialize_with = "lenient")]
    pub offered: Vec<OfferedSlot>,
    #[serde(default, deserialize_with = "lenient")]
    pub pending: Option<Pending>,
    #[serde(default, deserialize_with = "lenient")]
    pub facts: LeadFacts,
    /// How many times in a row the assistant had to ask the patient to clarify (read it with
    /// [`ConversationState::misses`], which forgets an old one).
    #[serde(default, deserialize_with = "lenient")]
    pub clarifications: u32,
    /// When the last of those was: a miss days ago is not one in a row with today's.
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub missed_at: Option<DateTime<Utc>>,
    /// The name the patient is known by in this conversation.
    #[serde(default, deserialize_with = "lenient")]
    pub patient_name: Option<String>,
    /// The rules brain's memory of the dialogue (the LLM brain may read it, never needs it).
    #[serde(default, deserialize_with = "lenient")]
    pub dialogue: Dialogue,
    /// Where the conversation stands with the clinic's team (see [`Handover`]).
    #[serde(default, deserialize_with = "lenient")]
    pub handover: Handover,
    /// The appointment reminder last sent to the patient: "1", "ok" or a tapped button in the
    /// next messages answers it (see [`Reminded`]).
    #[serde(default, deserialize_with = "lenient")]
    pub reminder: Option<Reminded>,
}

/// A reminder the scheduler sent, offering to confirm (1), reschedule (2) or cancel (3) this
/// appointment. A brain acts on it only through the tools, which check the appointment again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminded {
    pub appointment: AppointmentId,
    pub starts_at: DateTime<Utc>,
    pub sent_at: DateTime<Utc>,
}

impl ConversationState {
    /// The state stored as `value`; a default state for anything unreadable.
    pub fn from_json(value: &Value) -> ConversationState {
        ConversationState::deserialize(value).unwrap_or_default()
    }

    pub fn to_json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    /// Replaces the offer with `slots`, numbered from "1" in the order given. A pending booking
    /// or rescheduling named a slot of the old offer, whose id now means another slot, so it is
    /// dropped.
    pub fn offer(&mut self, slots: impl IntoIterator<Item = Slot>, at: DateTime<Utc>) -> &[OfferedSlot] {
        if self.pending.as_ref().is_some_and(|p| !matches!(p.action, PendingAction::Cancel { .. })) {
            self.pending = None;
        }
        self.offered = slots
            .into_iter()
            .enumerate()
            .map_while(|(index, slot)| Some(OfferedSlot { id: SlotId::nth(index)?, slot, offered_at: at }))
            .collect();
        // Until a brain shows them otherwise, the patient sees the whole offer in order.
        self.dialogue.shown = self.offered.iter().map(|offered| offered.id).collect();
        &self.offered
    }

    /// The slot offered under `id`, if it is in the current offer.
    pub fn offered(&self, id: SlotId) -> Option<&OfferedSlot> {
        self.offered.iter().find(|offered| offered.id == id)
    }
}

/// A field that cannot be read falls back to its default instead of failing the whole state.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let value = Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

#[cfg(test)]
mod tests;
