//! The patient's own appointments, as the tools that change them find and judge them.

use chrono::{DateTime, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::Penalty;
use sofia_core::scheduling::is_late_change;

use super::error::Change;
use super::{ToolContext, ToolError, parse};
use crate::store::{Appointment, StoreError};

/// One of the patient's own appointments, by the id a model sent. Another patient's
/// appointment looks exactly like one that does not exist.
pub(super) async fn own(ctx: &mut ToolContext<'_>, given: &str) -> Result<Appointment, ToolError> {
    let id = parse::appointment_id(given)?;
    let Some(patient) = ctx.patient().await? else {
        return Err(ToolError::NotFound(given.to_owned()));
    };
    ctx.store
        .appointment(ctx.clinic.id, Some(patient.id), id)
        .await?
        .ok_or_else(|| ToolError::NotFound(given.to_owned()))
}

/// Only a live appointment that has not started yet can be confirmed, moved or cancelled.
pub(super) fn check_changeable(
    appointment: &Appointment,
    change: Change,
    now: DateTime<Utc>,
) -> Result<(), ToolError> {
    if !appointment.status.is_active() {
        return Err(ToolError::NotChangeable { status: appointment.status, change });
    }
    if appointment.starts_at <= now {
        return Err(ToolError::AlreadyStarted { change });
    }
    Ok(())
}

/// What moving or cancelling the appointment now costs under the clinic's policy.
pub(super) fn penalty(clinic: &Clinic, appointment: &Appointment, now: DateTime<Utc>) -> Penalty {
    let fee = clinic.policies.late_cancellation_fee;
    if !is_late_change(clinic, appointment.starts_at, now) {
        Penalty::Free
    } else if appointment.patient_package_id.is_some() {
        Penalty::PackageSession
    } else if fee.is_free() {
        Penalty::Free
    } else {
        Penalty::Fee(fee)
    }
}

/// What cancelling or moving an appointment starting at `starts_at` now would cost, told
/// before the patient decides; `None` when it is free.
pub(crate) fn late_notice(
    clinic: &Clinic,
    starts_at: DateTime<Utc>,
    package_session: bool,
    now: DateTime<Utc>,
) -> Option<String> {
    let fee = clinic.policies.late_cancellation_fee;
    let penalty = if !is_late_change(clinic, starts_at, now) {
        Penalty::Free
    } else if package_session {
        Penalty::PackageSession
    } else if fee.is_free() {
        Penalty::Free
    } else {
        Penalty::Fee(fee)
    };
    penalty_sentence(clinic, penalty)
}

/// The pt-BR sentence telling the patient what a late change costs; `None` when it is free.
pub(super) fn penalty_sentence(clinic: &Clinic, penalty: Penalty) -> Option<String> {
    let hours = clinic.policies.free_cancellation_hours;
    match penalty {
        Penalty::Free => None,
        Penalty::Fee(fee) => {
            Some(format!("Como faltam menos de {hours} horas para o horário, será cobrada a taxa de {fee}."))
        }
        Penalty::PackageSession => Some(format!(
            "Como faltam menos de {hours} horas para o horário, esta sessão do pacote será contada como usada."
        )),
    }
}

/// A store refusal of a change, as the patient can understand it.
pub(super) fn change_refused(error: StoreError, change: Change, appointment: &Appointment) -> ToolError {
    match error {
        StoreError::InvalidTransition { status, .. } => ToolError::NotChangeable { status, change },
        StoreError::NotFound(_) => ToolError::NotFound(appointment.id.to_string()),
        other => ToolError::Store(other),
    }
}
