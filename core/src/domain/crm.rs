//! The events Sofia pushes to a clinic's CRM (docs/crm-webhooks.md). Their names are the
//! `type` of a delivery's body and what `crm_webhooks[].events` in `clinic.yaml` subscribes to.

use std::fmt;

/// What happened, as a CRM subscribes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrmEvent {
    /// A lead first became hot or booked: sent once per lead.
    LeadQualified,
    LeadStageChanged,
    AppointmentBooked,
    AppointmentRescheduled,
    AppointmentCancelled,
    HandoffOpened,
    HandoffResolved,
    PatientOptedOut,
}

impl CrmEvent {
    pub const ALL: &'static [CrmEvent] = &[
        CrmEvent::LeadQualified,
        CrmEvent::LeadStageChanged,
        CrmEvent::AppointmentBooked,
        CrmEvent::AppointmentRescheduled,
        CrmEvent::AppointmentCancelled,
        CrmEvent::HandoffOpened,
        CrmEvent::HandoffResolved,
        CrmEvent::PatientOptedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CrmEvent::LeadQualified => "lead.qualified",
            CrmEvent::LeadStageChanged => "lead.stage_changed",
            CrmEvent::AppointmentBooked => "appointment.booked",
            CrmEvent::AppointmentRescheduled => "appointment.rescheduled",
            CrmEvent::AppointmentCancelled => "appointment.cancelled",
            CrmEvent::HandoffOpened => "handoff.opened",
            CrmEvent::HandoffResolved => "handoff.resolved",
            CrmEvent::PatientOptedOut => "patient.opted_out",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        CrmEvent::ALL.iter().copied().find(|event| event.as_str() == text)
    }
}

impl fmt::Display for CrmEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_from_its_name() {
        for event in CrmEvent::ALL {
            assert_eq!(CrmEvent::parse(event.as_str()), Some(*event));
        }
        assert_eq!(CrmEvent::parse("lead.created"), None);
    }
}
