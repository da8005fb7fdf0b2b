//! Why a slot cannot be offered or booked. Messages are for logs and operators; patient-facing
//! wording is chosen by the conversation layer from the variant.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::domain::{ProfessionalId, ServiceId};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("the clinic has no service with id {0}")]
    UnknownService(ServiceId),
    #[error("the clinic has no professional with id {0}")]
    UnknownProfessional(ProfessionalId),
    #[error("{professional} does not perform {service}")]
    NotPerformedBy { professional: String, service: String },
    #[error("the date range is empty: {from} is after {to}")]
    EmptyDateRange { from: NaiveDate, to: NaiveDate },
    #[error("the clinic's booking grid must be at least one minute")]
    NoGrid,
    #[error("{start} is earlier than the earliest bookable start, {earliest}")]
    TooSoon { start: DateTime<Utc>, earliest: DateTime<Utc> },
    #[error("{start} is later than the latest bookable start, {latest}")]
    BeyondHorizon { start: DateTime<Utc>, latest: DateTime<Utc> },
    #[error("{local} (local time) is not on the clinic's {grid_minutes}-minute grid")]
    OffGrid { local: NaiveDateTime, grid_minutes: u32 },
    #[error(
        "{local} (local time) happens twice as the clocks go back; only its first occurrence is bookable"
    )]
    RepeatedHour { local: NaiveDateTime },
    #[error("{professional} is not working for the whole of {minutes} minutes from {local} (local time)")]
    OutsideHours { professional: String, local: NaiveDateTime, minutes: u32 },
    #[error("{professional} is away at {local} (local time)")]
    Away { professional: String, local: NaiveDateTime },
    #[error("{professional} already has an appointment overlapping {local} (local time)")]
    Taken { professional: String, local: NaiveDateTime },
}
