//! Offering a freed slot to the waitlist: one patient at a time, in order of arrival, each
//! holding it for `waitlist.hold_minutes`. The job runs again when the hold ends (or at once
//! when the patient says no) and passes the slot on, until someone books it, someone else
//! takes it, or nobody left in line fits it.

use chrono::{DateTime, Duration, Utc};
use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::conversation::Awaiting;
use sofia_core::domain::{AppointmentId, ProfessionalId};
use sofia_core::lang::format_slot;
use sofia_core::scheduling::{Busy, Slot, check_bookable};

use super::outreach::write_first;
use super::reminder::first_name;
use super::{Outcome, Scheduler, SchedulerError, TEMPLATE_LANGUAGE};
use crate::channels::OutboundMessage;
use crate::store::{ClaimedJob, NewWaitlistOffer, OfferStatus, Patient, WaitlistEntry, WaitlistOffer};

/// The payloads of the offer's Meta buttons: the ids of the rules brain's Sim / Não buttons,
/// which both brains read as a yes and a no.
pub mod payload {
    pub const WANT: &str = "yes";
    pub const PASS: &str = "no";
}

pub(super) struct FreedSlot<'a> {
    pub scheduler: &'a Scheduler,
    pub clinic: &'a Clinic,
    pub job: &'a ClaimedJob,
    /// The appointment that freed it.
    pub appointment: AppointmentId,
    pub professional: ProfessionalId,
    pub starts_at: DateTime<Utc>,
}

impl FreedSlot<'_> {
    #[tracing::instrument(name = "waitlist_offer", skip_all, fields(clinic = %self.clinic.tenant, appointment = %self.appointment))]
    pub(super) async fn run(&self) -> Result<Outcome, SchedulerError> {
        let store = &self.scheduler.store;
        let now = self.scheduler.clock.now();
        if let Some(offer) = store.latest_offer(self.job.id).await?.filter(|o| o.status == OfferStatus::Held)
        {
            if self.booked_by_holder(&offer).await? {
                store.settle_offer(offer.id, OfferStatus::Booked, now).await?;
                return Ok(Outcome::Finished("booked"));
            }
            if offer.held_until > now {
                return Ok(Outcome::Later(offer.held_until, "held"));
            }
            // Silence past the hold: the next in line.
            store.settle_offer(offer.id, OfferStatus::Lapsed, now).await?;
        }
        let busy = self.busy().await?;
        let day = self.starts_at.with_timezone(&self.clinic.timezone).date_naive();
        let line = store.waitlist_line(self.clinic.id, self.job.id, day).await?;
        let Some((entry, slot)) = line.into_iter().find_map(|entry| {
            let slot = self.fits(&entry, &busy, now)?;
            Some((entry, slot))
        }) else {
            return Ok(Outcome::Skipped("nobody_fits"));
        };
        let send_at = self.clinic.reminders.quiet_hours.next_open(now, self.clinic.timezone);
        if send_at > now {
            return Ok(Outcome::Later(send_at, "quiet_hours"));
        }
        let Some(patient) = store.patient(self.clinic.id, entry.patient).await? else {
            return Ok(Outcome::Skipped("patient_gone"));
        };
        let hold = self.clinic.waitlist.hold_minutes;
        let Some(message) = message(self.clinic, &slot, &patient, hold)? else {
            return Ok(Outcome::Skipped("no_template"));
        };
        tracing::info!(to = %patient.phone.masked(), "offering a freed slot to the waitlist");
        let key = format!("{}/{}", self.job.kind.key(), entry.id);
        let held_until = now + Duration::minutes(i64::from(hold));
        let sent = write_first(
            self.scheduler,
            self.clinic,
            &key,
            &patient,
            Some(self.appointment),
            message,
            |state| {
                state.reminder = None;
                // The slot is the offer now: a yes picks it and books it through the usual summary.
                state.offer([slot], now);
                state.pending = None;
                state.dialogue.request = None;
                state.dialogue.awaiting = Some(Awaiting::WaitlistOffer);
            },
        )
        .await?;
        let Outcome::Sent(proactive) = sent else { return Ok(sent) };
        let offer = NewWaitlistOffer {
            clinic: self.clinic.id,
            job: self.job.id,
            entry: entry.id,
            patient: patient.id,
            professional: slot.professional,
            service: slot.service,
            starts_at: slot.start,
            ends_at: slot.end,
            held_until,
        };
        store.offer_from_waitlist(&offer, now).await?;
        Ok(Outcome::Held(proactive, held_until))
    }

    /// The slot of the entry's service at the freed time, if it is what the entry waits for and
    /// still free.
    fn fits(&self, entry: &WaitlistEntry, busy: &[Busy], now: DateTime<Utc>) -> Option<Slot> {
        if entry.professional.is_some_and(|p| p != self.professional) {
            return None;
        }
        let slot =
            check_bookable(self.clinic, entry.service, self.professional, self.starts_at, busy, now).ok()?;
        // The part of the day as the search reads it, so a freed slot fits whoever a search
        // for that part of the day would have shown it to.
        entry.period.is_none_or(|period| slot.in_period(self.clinic, period)).then_some(slot)
    }

    /// Whether the patient the slot was offered to has booked it.
    async fn booked_by_holder(&self, offer: &WaitlistOffer) -> Result<bool, SchedulerError> {
        let appointments =
            self.scheduler.store.patient_appointments(self.clinic.id, offer.patient, offer.starts_at).await?;
        Ok(appointments.iter().any(|a| {
            a.starts_at == offer.starts_at && a.professional_id == offer.professional && a.status.is_active()
        }))
    }

    /// The professional's time around the freed slot.
    async fn busy(&self) -> Result<Vec<Busy>, SchedulerError> {
        let (from, to) = (self.starts_at - Duration::days(1), self.starts_at + Duration::days(1));
        let intervals = self.scheduler.store.busy_intervals(self.clinic.id, from, to).await?;
        Ok(intervals
            .into_iter()
            .map(|i| Busy { professional: i.professional_id, start: i.starts_at, end: i.ends_at })
            .collect())
    }
}

/// On Meta the approved template `templates.waitlist_offer` with Quero / Não buttons (none
/// configured: nothing can be sent); elsewhere text.
fn message(
    clinic: &Clinic,
    slot: &Slot,
    patient: &Patient,
    hold_minutes: u32,
) -> Result<Option<OutboundMessage>, SchedulerError> {
    let name = first_name(patient);
    let service = clinic.service(slot.service).map_or("atendimento", |s| s.name.as_str()).to_owned();
    let professional =
        clinic.professional(slot.professional).map_or("nossa equipe", |p| p.name.as_str()).to_owned();
    let local = slot.start.with_timezone(&clinic.timezone);
    let when = format_slot(local.date_naive(), local.time());
    let on_meta = clinic.channels.iter().any(|channel| matches!(channel, ChannelSpec::Meta { .. }));
    if on_meta {
        let Some(template) = &clinic.templates.waitlist_offer else { return Ok(None) };
        let params = vec![name, service, when, professional, hold_minutes.to_string()];
        let buttons = vec![payload::WANT.to_owned(), payload::PASS.to_owned()];
        return Ok(Some(
            OutboundMessage::template(template.as_str(), TEMPLATE_LANGUAGE, params)?
                .with_quick_replies(buttons)?,
        ));
    }
    Ok(Some(OutboundMessage::text(format!(
        "Olá, {name}! Abriu uma vaga que você estava esperando: {service} — {when}, com {professional}. 🎉 \
         Vou segurar esse horário para você por {hold_minutes} minutos.\n\n\
         Quer agendar? Responda *Quero* para agendar ou *Não* para liberar a vaga."
    ))?))
}
