//! Arguments as a model or a brain writes them, turned into the clinic's own things.

use chrono::NaiveDate;
use sofia_core::clinic::{Clinic, Professional, Service};
use sofia_core::domain::AppointmentId;
use sofia_core::lang::{match_professional, match_service};

use super::ToolError;
use super::error::Catalogue;

/// The service a name means: the clinic's own name or a way patients say it ("toxina
/// botulínica", "limpeza"), forgiving accents and small typos.
pub(super) fn service<'c>(clinic: &'c Clinic, given: &str) -> Result<&'c Service, ToolError> {
    clinic
        .service_named(given.trim())
        .or_else(|| match_service(clinic, given).and_then(|id| clinic.service(id)))
        .ok_or_else(|| ToolError::UnknownName {
            catalogue: Catalogue::Service,
            given: given.to_owned(),
            valid: clinic.services.iter().map(|s| s.name.clone()).collect(),
        })
}

/// The professional a name means: "Dra. Ana", "ricardo", "a dermatologista".
pub(super) fn professional<'c>(clinic: &'c Clinic, given: &str) -> Result<&'c Professional, ToolError> {
    clinic
        .professional_named(given.trim())
        .or_else(|| match_professional(clinic, given).and_then(|id| clinic.professional(id)))
        .ok_or_else(|| ToolError::UnknownName {
            catalogue: Catalogue::Professional,
            given: given.to_owned(),
            valid: clinic.professionals.iter().map(|p| p.name.clone()).collect(),
        })
}

/// A `YYYY-MM-DD` date.
pub(super) fn date(field: &'static str, given: &str) -> Result<NaiveDate, ToolError> {
    NaiveDate::parse_from_str(given.trim(), "%Y-%m-%d").map_err(|_| ToolError::Invalid {
        field,
        problem: format!("'{given}' is not a date in YYYY-MM-DD form"),
    })
}

pub(super) fn appointment_id(given: &str) -> Result<AppointmentId, ToolError> {
    given.trim().parse().map_err(|_| ToolError::Invalid {
        field: "appointment_id",
        problem: format!("'{given}' is not an appointment id; use an id from list_appointments"),
    })
}

/// Free text that must say something.
pub(super) fn text(field: &'static str, given: &str) -> Result<String, ToolError> {
    let text = given.trim();
    if text.is_empty() {
        Err(ToolError::Invalid { field, problem: "must not be empty".to_owned() })
    } else if text.chars().count() > MAX_TEXT_CHARS {
        // A name, a reason, an interest: a model (or a patient through it) sending more is not
        // giving one, and it would be stored and shown to staff as is.
        Err(ToolError::Invalid { field, problem: format!("must be at most {MAX_TEXT_CHARS} characters") })
    } else {
        Ok(text.to_owned())
    }
}

/// The longest free text a tool takes (a name, a reason, an interest).
pub(super) const MAX_TEXT_CHARS: usize = 300;
