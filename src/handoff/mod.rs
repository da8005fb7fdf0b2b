//! The handoff lifecycle: how a conversation goes from the bot to the clinic's team and back.
//!
//! A conversation's owner is the bot, a human (with an open handoff), or paused until a time
//! (staff typed on the clinic's phone, see `inbox`). [`Desk`] is the one place that changes who
//! owns a conversation because of the team: a person writing to the patient
//! ([`Desk::staff_wrote`], which takes the conversation over when Sofia never handed it off),
//! a handoff resolved ([`Desk::resolve`]), and the idle return ([`Desk::return_if_idle`] in a
//! turn, [`idle::run`] as a loop in `serve`) when nobody from the team wrote for
//! `handoff.idle_return_h`. Each change is an interaction in the patient's timeline, and the
//! typed conversation state (`Handover`) says where the conversation stands, so that the bot
//! tells a waiting patient once that the team knows ([`acknowledgement`]) and, once it has the
//! conversation back, neither stays silent nor repeats the handoff message.
//!
//! `sofia handoffs` ([`command`]) lists and resolves handoffs; a Chatwoot bridge calls [`Desk`].

mod acknowledgement;
pub mod command;
mod desk;
pub mod idle;
pub(crate) mod timeline;

use serde::Deserialize;

pub use acknowledgement::{NOT_UNDERSTOOD_APOLOGY, acknowledgement, apology};
pub(crate) use desk::summary_of;
pub use desk::{Desk, DeskError, StaffMessage, StaffWrote};

/// `[handoff]` in `sofia.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandoffConfig {
    /// Hours without a person writing to the patient after which a human-owned conversation
    /// goes back to the bot.
    pub idle_return_h: u32,
}

impl Default for HandoffConfig {
    fn default() -> Self {
        HandoffConfig { idle_return_h: 24 }
    }
}

impl HandoffConfig {
    /// `idle_return_h` as a duration.
    pub fn idle_return(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.idle_return_h))
    }
}
