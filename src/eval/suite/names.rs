//! Names a suite file uses, resolved against the contract (tools) and the clinic (services,
//! professionals, packages). Names are matched exactly, ignoring case: a suite is a
//! specification, so "Botox" must be the clinic's Botox, not whatever a fuzzy match finds.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Serialize, Serializer};
use sofia_core::clinic::{Clinic, PackageOffer, Professional, Service};
use sofia_core::domain::{Phone, ProfessionalId, ServiceId};

use super::SetupPackage;
use crate::agent::tools::{
    BookAppointment, CancelAppointment, ConfirmAppointment, DeclineWaitlistOffer, FindSlots, HandoffToHuman,
    JoinWaitlist, ListAppointments, PackageBalance, RescheduleAppointment, SearchKnowledge, Tool, UpdateLead,
};

/// The agent tools (docs/architecture.md, "Agent tools"), which eval files name in `tools_called`/`tools_not_called`.
const TOOLS: [&str; 12] = [
    FindSlots::NAME,
    BookAppointment::NAME,
    RescheduleAppointment::NAME,
    CancelAppointment::NAME,
    ConfirmAppointment::NAME,
    ListAppointments::NAME,
    PackageBalance::NAME,
    SearchKnowledge::NAME,
    UpdateLead::NAME,
    HandoffToHuman::NAME,
    JoinWaitlist::NAME,
    DeclineWaitlistOffer::NAME,
];

/// One of the contract's tool names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ToolName(&'static str);

impl ToolName {
    pub fn parse(name: &str) -> Result<ToolName, String> {
        TOOLS
            .iter()
            .find(|tool| **tool == name)
            .map(|tool| ToolName(tool))
            .ok_or_else(|| format!("'{name}' is not a tool; the tools are: {}", TOOLS.join(", ")))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Whether the tool changes appointments (and so must tell the patient when it fails).
    pub fn is_write(name: &str) -> bool {
        [
            BookAppointment::NAME,
            RescheduleAppointment::NAME,
            CancelAppointment::NAME,
            ConfirmAppointment::NAME,
        ]
        .contains(&name)
    }
}

impl fmt::Display for ToolName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for ToolName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

pub(super) fn service<'c>(clinic: &'c Clinic, name: &str) -> Result<&'c Service, String> {
    clinic.service_named(name).ok_or_else(|| {
        let valid: Vec<&str> = clinic.services.iter().map(|s| s.name.as_str()).collect();
        format!("the clinic has no service '{name}'; its services are: {}", valid.join(", "))
    })
}

pub(super) fn professional<'c>(clinic: &'c Clinic, name: &str) -> Result<&'c Professional, String> {
    clinic.professional_named(name).ok_or_else(|| {
        let valid: Vec<&str> = clinic.professionals.iter().map(|p| p.name.as_str()).collect();
        format!("the clinic has no professional '{name}'; its professionals are: {}", valid.join(", "))
    })
}

pub(super) fn package<'c>(clinic: &'c Clinic, name: &str) -> Result<&'c PackageOffer, String> {
    clinic.package_named(name).ok_or_else(|| {
        let valid: Vec<&str> = clinic.packages.iter().map(|p| p.name.as_str()).collect();
        format!("the clinic has no package '{name}'; its packages are: {}", valid.join(", "))
    })
}

/// The named professional, who must perform `service`.
pub(super) fn professional_for(
    clinic: &Clinic,
    name: &str,
    service: &Service,
) -> Result<ProfessionalId, String> {
    let professional = professional(clinic, name)?;
    if professional.service_ids.contains(&service.id) {
        Ok(professional.id)
    } else {
        Err(format!("{} does not perform {}", professional.name, service.name))
    }
}

/// The first professional (in the clinic's order) who performs `service` and works the whole
/// of `[start, start + duration)`: the default for a setup appointment that names nobody.
pub(super) fn first_available(
    clinic: &Clinic,
    service: &Service,
    start: DateTime<Utc>,
) -> Result<ProfessionalId, String> {
    let local_start = start.with_timezone(&clinic.timezone);
    let local_end =
        (start + Duration::minutes(i64::from(service.duration_minutes))).with_timezone(&clinic.timezone);
    clinic
        .professionals_for(service.id)
        .find(|p| {
            local_start.date_naive() == local_end.date_naive()
                && p.hours
                    .on(local_start.weekday())
                    .iter()
                    .any(|range| range.start <= local_start.time() && local_end.time() <= range.end)
        })
        .map(|p| p.id)
        .ok_or_else(|| {
            format!(
                "nobody who performs {} works at {}; name the professional",
                service.name,
                local_start.format("%Y-%m-%d %H:%M")
            )
        })
}

/// The index of `phone`'s setup package named `name`, which must be for `service`.
pub(super) fn package_of(
    clinic: &Clinic,
    packages: &[SetupPackage],
    phone: &Phone,
    name: &str,
    service: ServiceId,
) -> Result<usize, String> {
    let offer = package(clinic, name)?;
    if offer.service_id != service {
        return Err(format!("{} is not a package of this appointment's service", offer.name));
    }
    packages
        .iter()
        .position(|p| p.package == offer.id && p.phone == *phone)
        .ok_or_else(|| format!("this patient has no '{}' in setup.packages", offer.name))
}
