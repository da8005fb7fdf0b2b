//! Telling a patient, once, that a package of theirs with sessions left expires soon
//! (`package_expiry.alert_days` before; Meta: the approved template `templates.package_expiry`),
//! with the offer to book a session put in the conversation state.

use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::conversation::Awaiting;
use sofia_core::domain::PatientPackageId;

use super::outreach::write_first;
use super::reminder::first_name;
use super::{Outcome, Scheduler, SchedulerError, TEMPLATE_LANGUAGE};
use crate::channels::OutboundMessage;
use crate::store::{ClaimedJob, Patient, PatientPackage};

pub(super) struct ExpiryAlert<'a> {
    pub scheduler: &'a Scheduler,
    pub clinic: &'a Clinic,
    pub job: &'a ClaimedJob,
    pub package: PatientPackageId,
}

impl ExpiryAlert<'_> {
    #[tracing::instrument(name = "package_expiry", skip_all, fields(clinic = %self.clinic.tenant, package = %self.package))]
    pub(super) async fn run(&self) -> Result<Outcome, SchedulerError> {
        let store = &self.scheduler.store;
        let now = self.scheduler.clock.now();
        let Some(package) = store.patient_package(self.clinic.id, self.package).await? else {
            return Ok(Outcome::Skipped("package_gone"));
        };
        if package.sessions_used >= package.sessions_total {
            return Ok(Outcome::Skipped("no_sessions_left"));
        }
        if package.expires_on < now.with_timezone(&self.clinic.timezone).date_naive() {
            return Ok(Outcome::Skipped("expired"));
        }
        let send_at = self.clinic.reminders.quiet_hours.next_open(now, self.clinic.timezone);
        if send_at > now {
            return Ok(Outcome::Later(send_at, "quiet_hours"));
        }
        let Some(patient) = store.patient(self.clinic.id, package.patient_id).await? else {
            return Ok(Outcome::Skipped("patient_gone"));
        };
        if patient.opted_out_at.is_some() {
            return Ok(Outcome::Skipped("opted_out"));
        }
        let Some(message) = message(self.clinic, &package, &patient)? else {
            return Ok(Outcome::Skipped("no_template"));
        };
        tracing::info!(to = %patient.phone.masked(), "telling a patient their package expires soon");
        let service = self.clinic.package(package.package_id).map(|offer| offer.service_id);
        let key = self.job.kind.key();
        write_first(self.scheduler, self.clinic, &key, &patient, None, message, |state| {
            state.reminder = None;
            state.pending = None;
            state.dialogue.awaiting = Some(Awaiting::BookingOffer { service, professional: None });
        })
        .await
    }
}

/// On Meta the approved template (none configured: nothing can be sent); elsewhere text.
fn message(
    clinic: &Clinic,
    package: &PatientPackage,
    patient: &Patient,
) -> Result<Option<OutboundMessage>, SchedulerError> {
    let name = first_name(patient);
    let offer =
        clinic.package(package.package_id).map_or("seu pacote", |offer| offer.name.as_str()).to_owned();
    let left = package.sessions_total - package.sessions_used;
    let sessions = if left == 1 { "1 sessão".to_owned() } else { format!("{left} sessões") };
    let expires = package.expires_on.format("%d/%m/%Y").to_string();
    let on_meta = clinic.channels.iter().any(|channel| matches!(channel, ChannelSpec::Meta { .. }));
    if on_meta {
        let Some(template) = &clinic.templates.package_expiry else { return Ok(None) };
        return Ok(Some(OutboundMessage::template(
            template.as_str(),
            TEMPLATE_LANGUAGE,
            vec![name, offer, sessions, expires],
        )?));
    }
    Ok(Some(OutboundMessage::text(format!(
        "Olá, {name}! Passando para avisar que o seu pacote {offer} vence em {expires} e você ainda tem \
         {sessions} para usar. 😊 Quer que eu veja um horário para você?"
    ))?))
}
