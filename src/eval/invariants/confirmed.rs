//! The writes invariant: what is written is what the patient agreed to, and what they agreed to
//! is what they asked for.
//!
//! - **The write equals the summary.** A confirmed `book_appointment`,
//!   `reschedule_appointment` or `cancel_appointment` writes exactly the pending action whose
//!   summary the patient was shown (the state after the turn before): the same service,
//!   professional and start for a booking, the same appointment, professional and new start
//!   for a rescheduling, the same appointment for a cancellation. A write planned and confirmed
//!   in one turn showed no summary to compare with, and is not graded here.
//! - **The summary equals the named time.** A turn that names a precise time ("às 16h30",
//!   "dá pra ser 10h?") and ends with a new booking or rescheduling summary must summarise that
//!   time, never a neighbouring slot it was snapped to.

use chrono::{DateTime, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{Pending, PendingAction};
use sofia_core::lang::{normalize, parse_when};

use crate::eval::record::{Failure, TurnRecord};

const WRITES: [&str; 3] = ["book_appointment", "reschedule_appointment", "cancel_appointment"];

/// Every confirmed write that differs from its summary, and every summary that differs from the
/// time its turn named.
pub fn check(turns: &[TurnRecord], clinic: &Clinic) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut before: Option<&Pending> = None;
    for (index, turn) in turns.iter().enumerate() {
        let number = index + 1;
        let planned_here = |tool: &str, at: usize| {
            turn.tool_calls[..at].iter().any(|call| call.tool == tool && call.arguments["confirm"] != true)
        };
        for (at, call) in turn.tool_calls.iter().enumerate() {
            let confirmed = WRITES.contains(&call.tool.as_str())
                && call.arguments["confirm"] == true
                && call.result["status"].as_str().is_some_and(|status| status != "needs_confirmation");
            if !confirmed || planned_here(&call.tool, at) {
                continue;
            }
            let problem = match before {
                None => Some("no summary was shown to the patient before it".to_owned()),
                Some(pending) => differs(clinic, &pending.action, &call.result["appointment"]),
            };
            if let Some(problem) = problem {
                failures.push(Failure::turn(
                    number,
                    "invariant.write_as_confirmed",
                    format!("{} wrote something else than the patient confirmed: {problem}", call.tool),
                ));
            }
        }
        let proposed = turn.state.pending.as_ref().filter(|pending| Some(*pending) != before);
        if let Some(pending) = proposed
            && let Some(start) = pending.action.new_start()
        {
            let named = named_times(&turn.user.join("\n"));
            let local = start.with_timezone(&clinic.timezone).time();
            if !named.is_empty() && !named.contains(&local) {
                let asked: Vec<String> = named.iter().map(|time| time.format("%H:%M").to_string()).collect();
                failures.push(Failure::turn(
                    number,
                    "invariant.summary_as_asked",
                    format!(
                        "the patient asked for {} and the summary says {}",
                        asked.join(" or "),
                        local.format("%H:%M")
                    ),
                ));
            }
        }
        before = turn.state.pending.as_ref();
    }
    failures
}

/// What the written appointment has that the pending action did not say; `None` when equal.
fn differs(clinic: &Clinic, action: &PendingAction, written: &Value) -> Option<String> {
    let id = written["id"].as_str().unwrap_or_default();
    let start = written["start"].as_str().and_then(|start| DateTime::parse_from_rfc3339(start).ok());
    let professional = written["professional"].as_str().unwrap_or_default();
    let name_of = |id| clinic.professional(id).map_or("?", |p| p.name.as_str());
    match action {
        PendingAction::Book { service, professional: planned, start: planned_start, .. } => {
            let service_name = clinic.service(*service).map_or("?", |s| s.name.as_str());
            if written["service"].as_str() != Some(service_name) {
                return Some(format!("service {} instead of {service_name}", written["service"]));
            }
            same_slot(name_of(*planned), *planned_start, professional, start)
        }
        PendingAction::Reschedule { appointment, professional: planned, start: planned_start, .. } => {
            if id != appointment.to_string() {
                return Some(format!("appointment {id} instead of {appointment}"));
            }
            same_slot(name_of(*planned), *planned_start, professional, start)
        }
        PendingAction::Cancel { appointment, .. } => {
            (id != appointment.to_string()).then(|| format!("appointment {id} instead of {appointment}"))
        }
        // Not among the graded writes: it writes no appointment.
        PendingAction::JoinWaitlist { .. } => None,
    }
}

fn same_slot(
    planned_professional: &str,
    planned_start: DateTime<Utc>,
    professional: &str,
    start: Option<DateTime<chrono::FixedOffset>>,
) -> Option<String> {
    if professional != planned_professional {
        return Some(format!("with {professional} instead of {planned_professional}"));
    }
    match start {
        Some(start) if start.to_utc() == planned_start => None,
        _ => Some(format!("starting {start:?} instead of {planned_start}")),
    }
}

/// The precise times the patient's messages name, any of which a summary may take; for a move
/// ("a de quinta às 10 para sexta às 15h"), the one after the last "para". A patient who
/// corrects herself ("às 14h, não, melhor às 15h") or names two ("15h ou 16h30") named each:
/// what a summary may never take is a time she did not name.
fn named_times(text: &str) -> Vec<NaiveTime> {
    let folded = normalize(text);
    let today = chrono::NaiveDate::default();
    if let Some(time) =
        folded.as_str().rsplit_once(" para ").and_then(|(_, target)| parse_when(target, today).time)
    {
        return vec![time];
    }
    let mut times: Vec<NaiveTime> = text
        .split([',', ';', '!', '?', '\n', '…'])
        .flat_map(|part| {
            CORRECTIONS.iter().fold(vec![part.to_owned()], |pieces, marker| split_at(&pieces, marker))
        })
        .filter_map(|piece| parse_when(&piece, today).time)
        .collect();
    times.dedup();
    if times.is_empty() {
        times.extend(parse_when(text, today).time);
    }
    times
}

/// Words after which a patient names another time instead, or besides: "14h não 15h", "14h
/// ou 15h", "14h, aliás 15h".
const CORRECTIONS: [&str; 6] = [" não ", " nao ", " ou ", " aliás ", " alias ", " melhor "];

/// Each of `pieces` cut again at `marker` (matched without regard to case).
fn split_at(pieces: &[String], marker: &str) -> Vec<String> {
    pieces
        .iter()
        .flat_map(|piece| piece.to_lowercase().split(marker).map(str::to_owned).collect::<Vec<_>>())
        .collect()
}
