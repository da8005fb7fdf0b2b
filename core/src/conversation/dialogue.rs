//! The rules brain's memory between turns: what it asked last, the booking or rescheduling it is
//! putting together, and how it showed the options.
//!
//! Kept in the conversation state like everything else, so a turn taken over by another
//! replica (or by the LLM brain, which may read it) continues where the last one stopped.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::SlotId;
use crate::domain::{AppointmentId, ProfessionalId, ServiceId};
use crate::scheduling::Period;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dialogue {
    /// The question the patient's next message most likely answers.
    pub awaiting: Option<Awaiting>,
    /// The search being put together, one piece per message if need be.
    pub request: Option<SlotRequest>,
    /// The offered slots in the order the patient saw them: "o primeiro" is `shown[0]`. Usually
    /// the whole offer; a subset when the patient asked for a time and only the nearest slots
    /// were worth showing.
    pub shown: Vec<SlotId>,
    /// The patient's appointments in the order they were listed for a choice.
    pub listed: Vec<AppointmentId>,
    /// Someone under the clinic's minimum age is the one to be seen.
    pub minor: bool,
    /// What the patient said about their health that rules procedures out (the clinic file's
    /// contraindication cues), remembered for the rest of the conversation.
    pub health_cues: Vec<String>,
    /// Why the patient wants the change they asked for ("vou viajar"), kept while Sofia asks
    /// which appointment they mean, so it is not asked again.
    pub reason: Option<String>,
}

/// What the assistant asked and is waiting to hear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "question", rename_all = "snake_case")]
pub enum Awaiting {
    /// Which service to book.
    Service,
    /// Which day (or part of the day) suits them.
    When,
    /// Which of the listed appointments the patient means.
    Appointment { action: AppointmentAction },
    /// Why they are cancelling this appointment.
    CancelReason { appointment: AppointmentId },
    /// Whether they would like to book (this service, when known, with this professional).
    BookingOffer {
        service: Option<ServiceId>,
        #[serde(default)]
        professional: Option<ProfessionalId>,
    },
    /// Whether they want the freed slot the waitlist offered them (the offer's one slot, held
    /// for them a while): a yes books it, a no passes it to the next in line.
    WaitlistOffer,
    /// Whether they want a person of the team to answer what the clinic's knowledge has
    /// nothing on ("vocês têm cartão fidelidade?"): a yes hands the conversation over.
    PersonOffer,
}

/// What the patient wants done to one of their appointments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentAction {
    Reschedule,
    Cancel,
    Confirm,
}

/// A slot search as the patient described it so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlotRequest {
    /// The appointment being rescheduled; `None` for a new booking.
    pub moving: Option<AppointmentId>,
    /// Its start time, kept for a new day answered later with "no mesmo horário".
    pub moving_time: Option<NaiveTime>,
    pub service: Option<ServiceId>,
    pub professional: Option<ProfessionalId>,
    /// First and last local day wanted, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub period: Option<Period>,
    /// A precise start time: "às 15h".
    pub time: Option<NaiveTime>,
    /// Earliest acceptable start, inclusive.
    pub after: Option<NaiveTime>,
    /// Latest acceptable start, exclusive.
    pub before: Option<NaiveTime>,
    /// The patient said any day will do ("o quanto antes", "tanto faz").
    pub any_day: bool,
    /// The patient's occasion beside "o mais cedo possível" ("tenho festa sábado"): the
    /// slots wanted come before that day.
    pub occasion: Option<NaiveDate>,
}

impl SlotRequest {
    /// Whether the patient said anything about when.
    pub fn has_when(&self) -> bool {
        self.any_day
            || self.from.is_some()
            || self.period.is_some()
            || self.time.is_some()
            || self.after.is_some()
            || self.before.is_some()
    }

    /// Whether a slot starting at `time` fits the times asked for (not the day or period,
    /// which the search already applied).
    pub fn fits_time(&self, time: NaiveTime) -> bool {
        self.after.is_none_or(|after| time >= after) && self.before.is_none_or(|before| time < before)
    }
}
