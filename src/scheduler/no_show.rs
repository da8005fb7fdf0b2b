//! The follow-up of a missed appointment: once the team marks it `no_show`, a kind message
//! offering to book again (Meta: the approved template `templates.no_show`), and the offer put
//! in the conversation state so that "sim" books the same service with the same professional.

use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::conversation::Awaiting;
use sofia_core::domain::{AppointmentId, AppointmentStatus};

use super::outreach::write_first;
use super::reminder::first_name;
use super::{Outcome, Scheduler, SchedulerError, TEMPLATE_LANGUAGE};
use crate::agent::tools::AppointmentView;
use crate::channels::OutboundMessage;
use crate::store::{Appointment, ClaimedJob, Patient};

pub(super) struct FollowUp<'a> {
    pub scheduler: &'a Scheduler,
    pub clinic: &'a Clinic,
    pub job: &'a ClaimedJob,
    pub appointment: AppointmentId,
}

impl FollowUp<'_> {
    #[tracing::instrument(name = "no_show_follow_up", skip_all, fields(clinic = %self.clinic.tenant, appointment = %self.appointment))]
    pub(super) async fn run(&self) -> Result<Outcome, SchedulerError> {
        let store = &self.scheduler.store;
        let now = self.scheduler.clock.now();
        let Some(appointment) = store.appointment(self.clinic.id, None, self.appointment).await? else {
            return Ok(Outcome::Skipped("appointment_gone"));
        };
        // Marked by mistake and put right since: nothing to follow up.
        if appointment.status != AppointmentStatus::NoShow {
            return Ok(Outcome::Skipped("not_a_no_show"));
        }
        let send_at = self.clinic.reminders.quiet_hours.next_open(now, self.clinic.timezone);
        if send_at > now {
            return Ok(Outcome::Later(send_at, "quiet_hours"));
        }
        let Some(patient) = store.patient(self.clinic.id, appointment.patient_id).await? else {
            return Ok(Outcome::Skipped("patient_gone"));
        };
        if patient.opted_out_at.is_some() {
            return Ok(Outcome::Skipped("opted_out"));
        }
        let Some(message) = message(self.clinic, &appointment, &patient)? else {
            return Ok(Outcome::Skipped("no_template"));
        };
        tracing::info!(to = %patient.phone.masked(), "following up a missed appointment");
        let offer = Awaiting::BookingOffer {
            service: Some(appointment.service_id),
            professional: Some(appointment.professional_id),
        };
        let key = self.job.kind.key();
        write_first(self.scheduler, self.clinic, &key, &patient, Some(appointment.id), message, |state| {
            state.reminder = None;
            state.pending = None;
            state.dialogue.awaiting = Some(offer);
        })
        .await
    }
}

/// On Meta the approved template (none configured: nothing can be sent); elsewhere text.
fn message(
    clinic: &Clinic,
    appointment: &Appointment,
    patient: &Patient,
) -> Result<Option<OutboundMessage>, SchedulerError> {
    let view = AppointmentView::new(clinic, appointment);
    let name = first_name(patient);
    let on_meta = clinic.channels.iter().any(|channel| matches!(channel, ChannelSpec::Meta { .. }));
    if on_meta {
        return match &clinic.templates.no_show {
            Some(template) => Ok(Some(OutboundMessage::template(
                template.as_str(),
                TEMPLATE_LANGUAGE,
                vec![name, view.service.clone()],
            )?)),
            None => Ok(None),
        };
    }
    Ok(Some(OutboundMessage::text(format!(
        "Olá, {name}! Sentimos sua falta hoje no seu horário de {}. Imprevistos acontecem! 😊 \
         Quer que eu veja um novo horário para você?",
        view.service,
    ))?))
}
