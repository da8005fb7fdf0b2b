//! What is left of a patient's packages. A session is "used" once the store counts it (after
//! the visit, or a late change), and "booked" while a live appointment holds it; only the rest
//! can pay for a new appointment.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{PatientPackageId, ServiceId};

use super::{ToolContext, ToolError};
use crate::store::{Patient, PatientPackage};

#[derive(Debug, Clone)]
pub(super) struct Balance {
    pub(super) package: PatientPackage,
    /// Sessions held by live appointments.
    pub(super) booked: u32,
}

impl Balance {
    pub(super) fn remaining(&self) -> u32 {
        self.package.sessions_total.saturating_sub(self.package.sessions_used)
    }

    /// Sessions neither used nor held by an appointment.
    pub(super) fn available(&self) -> u32 {
        self.remaining().saturating_sub(self.booked)
    }

    pub(super) fn valid_on(&self, date: NaiveDate) -> bool {
        date <= self.package.expires_on
    }

    pub(super) fn service(&self, clinic: &Clinic) -> Option<ServiceId> {
        clinic.package(self.package.package_id).map(|offer| offer.service_id)
    }
}

/// Every package of the patient, oldest purchase first.
pub(super) async fn balances(ctx: &ToolContext<'_>, patient: &Patient) -> Result<Vec<Balance>, ToolError> {
    let packages = ctx.store.patient_packages(ctx.clinic.id, patient.id).await?;
    // All of the patient's appointments: a session stays held until the store counts it, however
    // long ago the appointment was.
    let appointments =
        ctx.store.patient_appointments(ctx.clinic.id, patient.id, DateTime::<Utc>::UNIX_EPOCH).await?;
    let mut booked: HashMap<PatientPackageId, u32> = HashMap::new();
    for appointment in appointments.iter().filter(|a| a.status.is_active()) {
        if let Some(package) = appointment.patient_package_id {
            *booked.entry(package).or_default() += 1;
        }
    }
    Ok(packages
        .into_iter()
        .map(|package| Balance { booked: booked.get(&package.id).copied().unwrap_or(0), package })
        .collect())
}

/// The package a session of `service` on `date` is taken from: one valid on that date with a
/// session available, the first to expire.
pub(super) fn for_session<'b>(
    clinic: &Clinic,
    balances: &'b [Balance],
    service: ServiceId,
    date: NaiveDate,
) -> Option<&'b Balance> {
    balances
        .iter()
        .filter(|b| b.service(clinic) == Some(service) && b.valid_on(date) && b.available() > 0)
        .min_by_key(|b| b.package.expires_on)
}
