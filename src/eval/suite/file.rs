//! The suite file as written (docs/evals.md): plain serde structs that refuse unknown fields, so a
//! typo such as `reply_contain` is an error instead of a check that silently never runs.
//! [`super`] turns them into validated domain types.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use sofia_core::domain::{AppointmentStatus, FunnelStage, Temperature, TenantId};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SuiteFile {
    pub suite: String,
    pub tenant: TenantId,
    pub now: DateTime<FixedOffset>,
    pub cases: Vec<CaseFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseFile {
    pub id: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub patient: PatientFile,
    #[serde(default)]
    pub setup: SetupFile,
    pub turns: Vec<TurnFile>,
    #[serde(default)]
    pub outcome: Option<OutcomeFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PatientFile {
    pub phone: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupFile {
    #[serde(default)]
    pub patients: Vec<PatientFile>,
    #[serde(default)]
    pub appointments: Vec<AppointmentFile>,
    #[serde(default)]
    pub packages: Vec<PackageFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AppointmentFile {
    #[serde(default)]
    pub phone: Option<String>,
    pub service: String,
    pub start: DateTime<FixedOffset>,
    #[serde(default)]
    pub professional: Option<String>,
    #[serde(default)]
    pub status: Option<AppointmentStatus>,
    /// The name of one of this patient's setup packages the session is taken from.
    #[serde(default)]
    pub package: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PackageFile {
    #[serde(default)]
    pub phone: Option<String>,
    pub package: String,
    #[serde(default)]
    pub used: u32,
    pub purchased: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TurnFile {
    /// The patient writes. Exactly one of a patient's turn (`user`, `audio`, `image`, or
    /// several of them as one burst), `staff`, `resolve` and `wait` per turn.
    #[serde(default)]
    pub user: Option<UserFile>,
    /// The patient sends a voice note; this is its transcript, which the eval's scripted
    /// transcriber gives back.
    #[serde(default)]
    pub audio: Option<String>,
    /// The patient sends a photo: a fixture file, relative to the suite file.
    #[serde(default)]
    pub image: Option<String>,
    /// A person of the clinic's team writes to the patient.
    #[serde(default)]
    pub staff: Option<String>,
    /// The team resolves the open handoff (`resolve: true`).
    #[serde(default)]
    pub resolve: Option<bool>,
    /// The clock moves on: `30m`, `25h`, `2d`.
    #[serde(default)]
    pub wait: Option<String>,
    /// The clock moves to this instant (RFC 3339 with its offset) and the scheduler runs: what
    /// it sends the patient is checked by `expect` like a reply.
    #[serde(default)]
    pub at: Option<String>,
    /// Another patient than the case's writes this turn (`user`), or is the one whose messages
    /// an `at` turn checks: `as: { phone: "+5511912345678", name: "João Prado" }`.
    #[serde(default, rename = "as")]
    pub as_patient: Option<PatientFile>,
    /// Only on a patient's turn.
    #[serde(default)]
    pub expect: Option<ExpectFile>,
}

/// One message, or several sent in one burst.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum UserFile {
    One(String),
    Burst(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectFile {
    #[serde(default)]
    pub reply_contains: Vec<String>,
    #[serde(default)]
    pub reply_not_contains: Vec<String>,
    #[serde(default)]
    pub reply_matches: Vec<String>,
    #[serde(default)]
    pub reply_not_matches: Vec<String>,
    #[serde(default)]
    pub tools_called: Vec<String>,
    #[serde(default)]
    pub tools_not_called: Vec<String>,
    #[serde(default)]
    pub handoff: Option<bool>,
    #[serde(default)]
    pub silent: Option<bool>,
    #[serde(default)]
    pub nothing_written: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutcomeFile {
    #[serde(default)]
    pub appointments: Option<Vec<ExpectedAppointmentFile>>,
    #[serde(default)]
    pub only_these_appointments: bool,
    #[serde(default)]
    pub others_unchanged: bool,
    #[serde(default)]
    pub lead: Option<LeadFile>,
    #[serde(default)]
    pub handoff: Option<bool>,
    #[serde(default)]
    pub opted_out: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectedAppointmentFile {
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub professional: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub time_from: Option<String>,
    #[serde(default)]
    pub time_to: Option<String>,
    #[serde(default)]
    pub status: Option<AppointmentStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LeadFile {
    #[serde(default)]
    pub stage: Option<FunnelStage>,
    #[serde(default)]
    pub temperature: Option<Temperature>,
}

/// Just enough of any suite file to tell a retrieval suite (graded by the knowledge module)
/// from a conversation suite.
#[derive(Debug, Deserialize)]
pub(super) struct KindProbe {
    #[serde(default)]
    pub kind: Option<String>,
}
