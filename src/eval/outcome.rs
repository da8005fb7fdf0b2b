//! A case's `outcome` (docs/evals.md), graded against the database after the last turn: what
//! the conversation created or changed, compared with the snapshot taken after setup.

use sofia_core::clinic::Clinic;
use sofia_core::domain::ConversationId;

use super::record::Failure;
use super::setup::{self, Snapshot};
use super::suite::{Case, ExpectedAppointment};
use crate::store::{Appointment, Store, StoreError};

/// Every `outcome` check of `case` that the database does not bear out.
pub async fn grade(
    store: &dyn Store,
    clinic: &Clinic,
    case: &Case,
    conversation: Option<ConversationId>,
    before: &Snapshot,
) -> Result<Vec<Failure>, StoreError> {
    let expected = &case.outcome;
    let after = Snapshot::take(store, clinic, &setup::phones(case)).await?;
    let patient = store.patient_by_phone(clinic.id, &case.patient.phone).await?;
    let patient_id = patient.as_ref().map(|p| p.id);
    let touched = Touched::between(before, &after);
    let mut failures = Vec::new();

    let (mine, others): (Vec<&Appointment>, Vec<&Appointment>) =
        touched.appointments.iter().partition(|a| Some(a.patient_id) == patient_id);
    let matching = match_expected(clinic, &expected.appointments, &mine);
    for (index, wanted) in expected.appointments.iter().enumerate() {
        if !matching.contains(&Some(index)) {
            failures.push(Failure::case(
                "outcome.appointments",
                format!(
                    "expected the patient to have {} created or changed; the conversation created or changed: {}",
                    wanted.written,
                    describe_all(clinic, &mine)
                ),
            ));
        }
    }
    if expected.only_these_appointments {
        for (appointment, matched) in mine.iter().zip(&matching) {
            if matched.is_none() {
                failures.push(Failure::case(
                    "outcome.only_these_appointments",
                    format!(
                        "the conversation also {} {}",
                        touched.verb(appointment),
                        describe(clinic, appointment)
                    ),
                ));
            }
        }
    }
    if expected.others_unchanged {
        for appointment in &others {
            failures.push(Failure::case(
                "outcome.others_unchanged",
                format!(
                    "another patient's appointment was {}: {}",
                    touched.verb(appointment),
                    describe(clinic, appointment)
                ),
            ));
        }
        for removed in &touched.removed {
            failures.push(Failure::case(
                "outcome.others_unchanged",
                format!("an appointment disappeared: {}", describe(clinic, removed)),
            ));
        }
    }
    if let Some(lead) = &expected.lead {
        match store.lead_by_phone(clinic.id, &case.patient.phone).await? {
            None => failures.push(Failure::case("outcome.lead", "no lead was recorded for the patient")),
            Some(found) => {
                if let Some(stage) = lead.stage.filter(|stage| *stage != found.stage) {
                    failures.push(Failure::case(
                        "outcome.lead.stage",
                        format!("expected stage {stage}, the lead is {}", found.stage),
                    ));
                }
                if let Some(temperature) = lead.temperature.filter(|t| *t != found.temperature) {
                    failures.push(Failure::case(
                        "outcome.lead.temperature",
                        format!(
                            "expected {temperature}, the lead is {} (score {})",
                            found.temperature, found.score
                        ),
                    ));
                }
            }
        }
    }
    if let Some(wanted) = expected.handoff {
        let handed_off = match conversation {
            Some(id) => store.handoffs(clinic.id, false).await?.iter().any(|h| h.conversation_id == id),
            None => false,
        };
        if handed_off != wanted {
            let detail = if wanted {
                "the conversation was never handed off"
            } else {
                "the conversation was handed off"
            };
            failures.push(Failure::case("outcome.handoff", detail));
        }
    }
    if let Some(wanted) = expected.opted_out {
        let opted_out = patient.as_ref().is_some_and(|p| p.opted_out_at.is_some());
        if opted_out != wanted {
            let detail = if wanted { "the patient is not opted out" } else { "the patient is opted out" };
            failures.push(Failure::case("outcome.opted_out", detail));
        }
    }
    Ok(failures)
}

/// What changed between two snapshots.
struct Touched {
    /// Appointments created or changed, as they are now.
    appointments: Vec<Appointment>,
    created: Vec<bool>,
    removed: Vec<Appointment>,
}

impl Touched {
    fn between(before: &Snapshot, after: &Snapshot) -> Touched {
        let mut appointments = Vec::new();
        let mut created = Vec::new();
        for (id, now) in &after.appointments {
            match before.appointments.get(id) {
                None => {
                    appointments.push(now.clone());
                    created.push(true);
                }
                Some(then) if then != now => {
                    appointments.push(now.clone());
                    created.push(false);
                }
                Some(_) => {}
            }
        }
        let removed = before
            .appointments
            .iter()
            .filter(|(id, _)| !after.appointments.contains_key(id))
            .map(|(_, a)| a.clone())
            .collect();
        Touched { appointments, created, removed }
    }

    fn verb(&self, appointment: &Appointment) -> &'static str {
        let created =
            self.appointments.iter().position(|a| a.id == appointment.id).is_some_and(|i| self.created[i]);
        if created { "created" } else { "changed" }
    }
}

/// For each touched appointment (in order), the index of the expected entry it fulfils: a
/// maximum matching, so two expectations are never met by one appointment and an appointment
/// that fits several expectations does not starve another.
fn match_expected(
    clinic: &Clinic,
    expected: &[ExpectedAppointment],
    found: &[&Appointment],
) -> Vec<Option<usize>> {
    let fits: Vec<Vec<bool>> = found
        .iter()
        .map(|appointment| expected.iter().map(|wanted| fits(clinic, wanted, appointment)).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; expected.len()];
    for appointment in 0..found.len() {
        let mut visited = vec![false; expected.len()];
        augment(appointment, &fits, &mut owner, &mut visited);
    }
    let mut matching = vec![None; found.len()];
    for (wanted, appointment) in owner.iter().enumerate() {
        if let Some(appointment) = appointment {
            matching[*appointment] = Some(wanted);
        }
    }
    matching
}

/// Kuhn's augmenting path from `appointment`.
fn augment(
    appointment: usize,
    fits: &[Vec<bool>],
    owner: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for wanted in 0..owner.len() {
        if fits[appointment][wanted] && !visited[wanted] {
            visited[wanted] = true;
            if owner[wanted].is_none_or(|other| augment(other, fits, owner, visited)) {
                owner[wanted] = Some(appointment);
                return true;
            }
        }
    }
    false
}

pub fn fits(clinic: &Clinic, wanted: &ExpectedAppointment, appointment: &Appointment) -> bool {
    let local = appointment.starts_at.with_timezone(&clinic.timezone);
    wanted.service.is_none_or(|s| s == appointment.service_id)
        && wanted.professional.is_none_or(|p| p == appointment.professional_id)
        && wanted.date.is_none_or(|d| d == local.date_naive())
        && wanted.time_from.is_none_or(|t| t <= local.time())
        && wanted.time_to.is_none_or(|t| local.time() <= t)
        && wanted.status.is_none_or(|s| s == appointment.status)
}

/// "Botox with Dr. Ricardo Lima on 2026-03-03 14:00 (scheduled)".
pub fn describe(clinic: &Clinic, appointment: &Appointment) -> String {
    let service = clinic.service(appointment.service_id).map_or("an unknown service", |s| s.name.as_str());
    let professional = clinic
        .professional(appointment.professional_id)
        .map_or("an unknown professional", |p| p.name.as_str());
    let local = appointment.starts_at.with_timezone(&clinic.timezone);
    format!("{service} with {professional} on {} ({})", local.format("%Y-%m-%d %H:%M"), appointment.status)
}

fn describe_all(clinic: &Clinic, appointments: &[&Appointment]) -> String {
    if appointments.is_empty() {
        "nothing".to_owned()
    } else {
        appointments.iter().map(|a| describe(clinic, a)).collect::<Vec<_>>().join("; ")
    }
}
