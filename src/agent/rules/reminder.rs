//! The answer to an appointment reminder (docs/reminders.md): a tapped button, or "1", "ok",
//! "👍" to confirm, "2", "remarcar", "não vou poder" to reschedule, "3", "cancelar" to cancel.
//!
//! The reminder is a question of its own, so it is answered first and only by the next
//! message: whatever else the patient writes moves the conversation on and forgets it. The
//! action then goes through the same dialogue as when the patient asks for it (the cancel flow
//! asks why and tells any late fee, and every write waits for the patient's yes to its summary).

use serde_json::json;
use sofia_core::conversation::AppointmentAction;
use sofia_core::domain::AppointmentId;
use sofia_core::lang::{Intent, normalize};

use super::appointments;
use super::reading::{Reading, Tapped};
use super::reply::Reply;
use super::session::{Session, Upcoming, read, tool};

/// Answers the reminder the conversation holds (or whose button was tapped). Returns whether
/// the turn was its answer.
pub(super) async fn answer(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    let reminded = s.state_mut().reminder.take();
    let (action, appointment) = match reading.tapped {
        // A button carries its appointment, however old the reminder.
        Some(Tapped::Reminder { action, appointment }) => (action, appointment),
        _ => match (reminded, action_said(reading)) {
            (Some(reminded), Some(action)) => (action, reminded.appointment),
            _ => return false,
        },
    };
    let upcoming = match s.call(tool::LIST, json!({})).await {
        Ok(listed) => read::<Upcoming>(&listed).map(|upcoming| upcoming.appointments).unwrap_or_default(),
        Err(error) => {
            reply.say(error.patient_message());
            return true;
        }
    };
    match upcoming.iter().find(|a| a.id == appointment) {
        Some(view) => appointments::act(s, action, view, reading, reply).await,
        None => gone(s, appointment, reply),
    }
    true
}

/// The reminded appointment is no longer ahead (cancelled by the team, or past).
fn gone(s: &mut Session<'_, '_>, appointment: AppointmentId, reply: &mut Reply) {
    tracing::info!(%appointment, "a reminder was answered for an appointment no longer ahead");
    s.state_mut().dialogue.awaiting = None;
    reply.say("Esse agendamento não está mais na sua agenda. Quer que eu veja um novo horário para você?");
}

/// What a typed answer to the reminder asks for: the option's number, or the words for it.
fn action_said(reading: &Reading) -> Option<AppointmentAction> {
    let text = normalize(&reading.text);
    match text.as_str().trim() {
        "1" => return Some(AppointmentAction::Confirm),
        "2" => return Some(AppointmentAction::Reschedule),
        "3" => return Some(AppointmentAction::Cancel),
        _ => {}
    }
    let cannot_go = ["nao vou poder", "nao vou conseguir", "nao consigo ir", "nao posso ir"];
    if reading.mentions(Intent::Cancel) {
        Some(AppointmentAction::Cancel)
    } else if reading.mentions(Intent::Reschedule)
        || cannot_go.iter().any(|phrase| text.contains_phrase(phrase))
    {
        Some(AppointmentAction::Reschedule)
    } else if reading.mentions(Intent::ConfirmAttendance) || (reading.yes && !reading.no) {
        Some(AppointmentAction::Confirm)
    } else {
        None
    }
}
