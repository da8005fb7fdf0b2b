//! One appointment reminder: checked again when due, then queued in the outbox as the clinic's
//! channel can carry it, with the appointment put in the conversation state so that the
//! patient's "1", "ok" or tapped button is read as the answer to it.

use chrono::{DateTime, Utc};
use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::conversation::Reminded;
use sofia_core::domain::{AppointmentId, AppointmentStatus};
use sofia_core::reminders::{self, Lead, Plan};

use super::outreach::write_first;
use super::{Outcome, Scheduler, SchedulerError, TEMPLATE_LANGUAGE};
use crate::agent::tools::AppointmentView;
use crate::channels::OutboundMessage;
use crate::store::{Appointment, ClaimedJob, Patient};

/// The payloads of the reminder's buttons, read back by the brains: `reminder:confirm:<id>`.
pub mod payload {
    pub const PREFIX: &str = "reminder:";
    pub const CONFIRM: &str = "confirm";
    pub const RESCHEDULE: &str = "reschedule";
    pub const CANCEL: &str = "cancel";
}

pub(super) struct Reminder<'a> {
    pub scheduler: &'a Scheduler,
    pub clinic: &'a Clinic,
    pub job: &'a ClaimedJob,
    pub appointment: AppointmentId,
    pub starts_at: DateTime<Utc>,
    pub lead: Lead,
}

impl Reminder<'_> {
    #[tracing::instrument(name = "reminder", skip_all, fields(clinic = %self.clinic.tenant, appointment = %self.appointment, lead = %self.lead))]
    pub(super) async fn run(&self) -> Result<Outcome, SchedulerError> {
        let store = &self.scheduler.store;
        let now = self.scheduler.clock.now();
        let Some(appointment) = store.appointment(self.clinic.id, None, self.appointment).await? else {
            return Ok(Outcome::Skipped("appointment_gone"));
        };
        // Moved: the new start has jobs of its own.
        if appointment.starts_at != self.starts_at {
            return Ok(Outcome::Skipped("rescheduled"));
        }
        match appointment.status {
            AppointmentStatus::Scheduled => {}
            AppointmentStatus::Confirmed => return Ok(Outcome::Skipped("already_confirmed")),
            AppointmentStatus::Cancelled => return Ok(Outcome::Skipped("cancelled")),
            AppointmentStatus::Completed | AppointmentStatus::NoShow => {
                return Ok(Outcome::Skipped("already_happened"));
            }
        }
        match reminders::at_run(&self.clinic.reminders, self.clinic.timezone, self.lead, self.starts_at, now)
        {
            Plan::Skip(why) => return Ok(Outcome::Skipped(why.as_str())),
            Plan::SendAt(at) if at > now => return Ok(Outcome::Later(at, "quiet_hours")),
            Plan::SendAt(_) => {}
        }
        let Some(patient) = store.patient(self.clinic.id, appointment.patient_id).await? else {
            return Ok(Outcome::Skipped("patient_gone"));
        };
        if patient.opted_out_at.is_some() {
            return Ok(Outcome::Skipped("opted_out"));
        }
        tracing::info!(to = %patient.phone.masked(), "sending a reminder");
        let message = message(self.clinic, &appointment, &patient)?;
        let reminded =
            Reminded { appointment: appointment.id, starts_at: appointment.starts_at, sent_at: now };
        let key = self.job.kind.key();
        write_first(self.scheduler, self.clinic, &key, &patient, Some(appointment.id), message, |state| {
            state.reminder = Some(reminded);
            // The reminder is the question now: a yes or a number answers it, never a write
            // shown or a question asked days ago.
            state.pending = None;
            state.dialogue.awaiting = None;
        })
        .await
    }
}

/// What the clinic's channels can carry: on Meta (which refuses free text outside the 24-hour
/// window) the approved template with buttons; elsewhere, where buttons are unreliable,
/// numbered text.
pub fn message(
    clinic: &Clinic,
    appointment: &Appointment,
    patient: &Patient,
) -> Result<OutboundMessage, SchedulerError> {
    let view = AppointmentView::new(clinic, appointment);
    let name = first_name(patient);
    let when = view.label.split_once(" — ").map_or(view.label.as_str(), |(_, when)| when);
    let when = when.split_once(" com ").map_or(when, |(when, _)| when).to_owned();
    let on_meta = clinic.channels.iter().any(|channel| matches!(channel, ChannelSpec::Meta { .. }));
    match (&clinic.templates.reminder, on_meta) {
        (Some(template), true) => {
            let buttons = [payload::CONFIRM, payload::RESCHEDULE, payload::CANCEL]
                .iter()
                .map(|action| format!("{}{action}:{}", payload::PREFIX, appointment.id))
                .collect();
            Ok(OutboundMessage::template(
                template.as_str(),
                TEMPLATE_LANGUAGE,
                vec![name, view.service.clone(), when, view.professional.clone()],
            )?
            .with_quick_replies(buttons)?)
        }
        _ => Ok(OutboundMessage::text(format!(
            "Olá, {name}! Passando para lembrar do seu horário de {} na {}: {when}, com {}.\n\n\
             Responda 1 para confirmar, 2 para remarcar, 3 para cancelar.",
            view.service,
            sofia_core::clinic::facts::short_name(clinic),
            view.professional,
        ))?),
    }
}

/// How a proactive message greets the patient: "Olá, Maria!", or "Olá, tudo bem!" without a name.
pub(super) fn first_name(patient: &Patient) -> String {
    patient.name.as_deref().and_then(|name| name.split_whitespace().next()).unwrap_or("tudo bem").to_owned()
}
