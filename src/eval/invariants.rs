//! The invariants every turn of every case must keep, whatever the suite file says
//! (docs/evals.md, "Invariants"):
//!
//! - **No invented slot.** Every date ("03/03") and time ("14:00", "14h", "duas da tarde") a
//!   reply mentions was returned by a tool earlier in this conversation (or, for dates, searched
//!   for with a tool), or is one of the clinic's published opening times; and every day and time
//!   said together ("04/03 às 14:00") was one slot a tool returned, so two real slots mixed
//!   into one are caught too ([`crate::moments`], the reader the LLM brain's review uses).
//! - **WhatsApp's limits.** Every bubble reads back through the validating constructors of
//!   [`OutboundMessage`] (text length, buttons, list rows…).
//! - **A failed write is told.** A book, reschedule, cancel or confirm call that was refused or
//!   failed, and not retried successfully in the same turn, must be followed by a reply that
//!   says so: one carrying the tool's own `patient_message`, or one that reads as a refusal
//!   (a negative word such as "não" or "infelizmente") without claiming success.
//! - **Writes as confirmed** ([`confirmed`]): a write equals the summary the patient said yes
//!   to, and a summary equals the time the patient named.

mod confirmed;

use sofia_core::clinic::Clinic;

use super::record::{Failure, TurnRecord};
use super::suite::ToolName;
use crate::channels::OutboundMessage;
use crate::moments::{Grounding, Moment};
use crate::store::ToolOutcome;

/// What a reply may mention without a tool having returned it: the clinic's opening and
/// closing times (its hours are facts, not offers), with any day.
fn clinic_facts(clinic: &Clinic) -> Grounding {
    let mut facts = Grounding::default();
    let weeks = std::iter::once(&clinic.opening_hours).chain(clinic.professionals.iter().map(|p| &p.hours));
    for week in weeks {
        for day in sofia_core::clinic::WEEK {
            for range in week.on(day) {
                facts.add_daily_time(range.start);
                facts.add_daily_time(range.end);
            }
        }
    }
    facts
}

/// Every invariant broken in `turns` (the whole conversation so far, oldest first).
pub fn check(turns: &[TurnRecord], clinic: &Clinic) -> Vec<Failure> {
    let mut failures = check_replies(turns, &clinic_facts(clinic));
    failures.extend(confirmed::check(turns, clinic));
    failures
}

/// The invariants of what replies say and how they are shaped.
fn check_replies(turns: &[TurnRecord], facts: &Grounding) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut grounded = facts.clone();
    for (index, turn) in turns.iter().enumerate() {
        let number = index + 1;
        for call in &turn.tool_calls {
            grounded.add_json(&call.result);
            grounded.add_dates_of_json(&call.arguments);
        }
        failures.extend(invented(number, turn, &grounded));
        failures.extend(over_limits(number, turn));
        failures.extend(untold_failed_writes(number, turn));
    }
    failures
}

fn invented(number: usize, turn: &TurnRecord, grounded: &Grounding) -> Vec<Failure> {
    grounded
        .ungrounded(&turn.reply())
        .into_iter()
        .map(|moment| {
            let (check, what) = match moment {
                Moment::Time { .. } => ("invariant.invented_time", "which no tool returned"),
                Moment::Date { .. } => ("invariant.invented_date", "which no tool returned"),
                Moment::Slot { .. } => {
                    ("invariant.invented_slot", "a day and time no tool returned together")
                }
            };
            Failure::turn(number, check, format!("the reply mentions {moment}, {what} in this conversation"))
        })
        .collect()
}

fn over_limits(number: usize, turn: &TurnRecord) -> Vec<Failure> {
    turn.bubbles
        .iter()
        .enumerate()
        .filter_map(|(i, bubble)| {
            serde_json::from_value::<OutboundMessage>(bubble.message.clone()).err().map(|error| {
                Failure::turn(
                    number,
                    "invariant.whatsapp_limits",
                    format!("bubble {} does not fit WhatsApp: {error}", i + 1),
                )
            })
        })
        .collect()
}

/// Words that make a reply read as "that did not work".
const REFUSAL_CUES: [&str; 9] =
    ["não", "nao", "infelizmente", "desculp", "indisponível", "preenchido", "ocupado", "problema", "poxa"];

/// Phrases that claim a write went through.
const SUCCESS_CLAIMS: [&str; 8] = [
    "agendado com sucesso",
    "está agendado",
    "está marcado",
    "está confirmado",
    "foi cancelado",
    "foi remarcado",
    "agendamento confirmado",
    "prontinho",
];

fn untold_failed_writes(number: usize, turn: &TurnRecord) -> Vec<Failure> {
    let reply = turn.reply().to_lowercase();
    let mut failures = Vec::new();
    for (i, call) in turn.tool_calls.iter().enumerate() {
        let failed = ToolName::is_write(&call.tool) && call.outcome != ToolOutcome::Ok;
        let retried = turn.tool_calls[i + 1..]
            .iter()
            .any(|later| later.tool == call.tool && later.outcome == ToolOutcome::Ok);
        if !failed || retried {
            continue;
        }
        let own_words = call.result["patient_message"]
            .as_str()
            .is_some_and(|message| !message.is_empty() && reply.contains(&message.to_lowercase()));
        let reads_as_refusal = REFUSAL_CUES.iter().any(|cue| reply.contains(cue))
            && !SUCCESS_CLAIMS.iter().any(|claim| reply.contains(claim));
        if !own_words && !reads_as_refusal {
            let code = call.result["error"].as_str().unwrap_or(call.outcome.as_str());
            let detail = if reply.is_empty() {
                format!("{} failed ({code}) and the patient got no reply", call.tool)
            } else {
                format!("{} failed ({code}) and the reply does not tell the patient", call.tool)
            };
            failures.push(Failure::turn(number, "invariant.failed_write_told", detail));
        }
    }
    failures
}

#[cfg(test)]
mod tests;
