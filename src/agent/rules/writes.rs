//! The write awaiting the patient's yes: confirm it, drop it, or leave it for later.

use chrono::NaiveDateTime;
use serde_json::json;
use sofia_core::conversation::{AppointmentAction, Awaiting, PendingAction};
use sofia_core::domain::AppointmentId;
use sofia_core::lang::{
    Intent, cut_at_conditions, detect_intent, latest_change, names_a_go_ahead, normalize,
    opens_with_a_condition, parse_when, waits_on_a_condition, without_the_fee_accepted,
};
use sofia_core::qualification::BudgetSignal;

use super::reading::{Reading, clauses};
use super::reply::{Choices, Reply};
use super::session::{Session, WriteOutcome, read, tool};
use super::{appointments, booking};

/// The answer to a summary awaiting a yes: the yes, the no, or another of the slots shown
/// (not for a cancellation, which has no slots). Returns whether the turn was one.
pub(super) async fn answer(
    s: &mut Session<'_, '_>,
    pending: &PendingAction,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    // "pensando bem, não cancela, passa pra quarta": the other change of the same appointment,
    // asked for in so many words, replaces the one shown; a yes to it would be the wrong write.
    if let Some((action, appointment)) = other_change(pending, reading) {
        appointments::switch(s, action, appointment, reading, reply).await;
        return true;
    }
    // Another day or time asked for instead of the summary's: looked up as the booking (or the
    // move) goes on; the slot shown is not booked.
    if asks_for_another_time(s, pending, reading) {
        s.state_mut().pending = None;
        booking::advance(s, reading, reply).await;
        return true;
    }
    // "ok quando receber o salario pode marcar": a yes that waits on something. The summary
    // stays for the go-ahead to come, and the wait is acknowledged, not the summary shown again.
    if holds_back(s, pending, reading) {
        hold_back(s, reply);
        return true;
    }
    // "ok, achei caro": the "ok" acknowledges the price, it does not accept the write.
    let objects_to_price = reading.signals.budget == Some(BudgetSignal::TooExpensive);
    // Once held back, a bare "ok vlw" acknowledges; the go-ahead is said in so many words.
    let held_back = s.state().pending.as_ref().is_some_and(|pending| pending.held_back);
    let yes = reading.yes && (!held_back || names_a_go_ahead(&reading.text));
    if (yes || agrees_to(pending, reading)) && !objects_to_price {
        confirm(s, reply).await;
    } else if reading.no || reading.signals.declined == Some(true) || refuses(pending, reading) {
        decline(s, reply);
    } else if let Some(pick) =
        matches!(pending, PendingAction::Book { .. } | PendingAction::Reschedule { .. })
            .then(|| booking::picked(s, reading))
            .flatten()
    {
        booking::take(s, pick, reply).await;
    } else {
        return false;
    }
    true
}

/// The summary turned down for another day or time ("no, sorry. thursday at 4pm instead?"), or
/// a yes that names a day or time its slot does not fit ("pode marcar pra sexta?" to a summary
/// for Wednesday, "isso, às 15h" to a slot at 16:00). A cancellation has no slot to move.
fn asks_for_another_time(s: &Session<'_, '_>, pending: &PendingAction, reading: &Reading) -> bool {
    if matches!(pending, PendingAction::Cancel { .. }) {
        return false;
    }
    if reading.no {
        return reading.says_when();
    }
    let Some(local) = summary_starts(s, pending) else { return false };
    if !reading.yes || reading.when.is_empty() || reading.when.admits(local) {
        return false;
    }
    // "isso mesmo pode marcar, hj de noite ja vou comprar o protetor solar": the day named in
    // what the patient tells of her own doings is not one asked for the appointment.
    let asked: Vec<&str> = clauses(&reading.text).filter(|clause| !tells_own_doings(clause)).collect();
    let when = parse_when(&asked.join(". "), s.today());
    !when.is_empty() && !when.admits(local)
}

/// When the summary's slot starts, in the clinic's time (a cancellation takes no slot).
fn summary_starts(s: &Session<'_, '_>, pending: &PendingAction) -> Option<NaiveDateTime> {
    pending.new_start().map(|start| start.with_timezone(&s.clinic().timezone).naive_local())
}

/// Words by which a patient tells what she did or will do herself ("recebi hj", "hj mais tarde
/// te pergunto do estacionamento", "amanha te mando o comprovante"), not when she wants to come.
const OWN_DOINGS: &[&str] = &[
    "recebi", "esqueci", "fui", "fiz", "paguei", "comprei", "comprar", "to", "tô", "estou", "tava",
    "pergunto", "mando", "trabalho", "viajo", "volto",
];

/// A clause that tells of the patient's own doings and says nothing of the booking itself.
fn tells_own_doings(clause: &str) -> bool {
    let normalized = normalize(clause);
    let words: Vec<&str> = normalized.tokens().collect();
    words.iter().any(|word| OWN_DOINGS.contains(word)) && !names_a_go_ahead(clause)
}

/// "pensando bem, não cancela não, vou dar um jeito": the very change awaiting a yes, turned down.
fn refuses(pending: &PendingAction, reading: &Reading) -> bool {
    match pending {
        PendingAction::Cancel { .. } => reading.refused == Some(Intent::Cancel),
        PendingAction::Reschedule { .. } => reading.refused == Some(Intent::Reschedule),
        PendingAction::Book { .. } | PendingAction::JoinWaitlist { .. } => false,
    }
}

/// The change of an appointment the turn asks for instead of the one awaiting a yes: moving
/// it while its cancellation waits, or cancelling it while its move waits (the latest of the
/// two the turn names, so "não cancela não" asks for neither).
fn other_change(pending: &PendingAction, reading: &Reading) -> Option<(AppointmentAction, AppointmentId)> {
    let change = reading.change?;
    // "pode cancelar sim, quando eu me recuperar te chamo pra remarcar": a change named after a
    // condition is the patient's plan for later, not what the turn asks for.
    let said: Vec<&str> = clauses(&reading.text).collect();
    let asked_now = said.iter().take_while(|clause| !opens_with_a_condition(clause)).count();
    if asked_now < said.len() && latest_change(&said[..asked_now].join(". ")) != Some(change) {
        return None;
    }
    match (pending, change) {
        (PendingAction::Cancel { appointment, .. }, Intent::Reschedule) => {
            Some((AppointmentAction::Reschedule, *appointment))
        }
        (PendingAction::Reschedule { appointment, .. }, Intent::Cancel) => {
            Some((AppointmentAction::Cancel, *appointment))
        }
        _ => None,
    }
}

/// "tudo bem, pode remarcar" to a reschedule shown for confirmation: the action named again,
/// with nothing new about what or when.
fn agrees_to(pending: &PendingAction, reading: &Reading) -> bool {
    let named = match pending {
        PendingAction::Book { .. } => Intent::Book,
        PendingAction::Reschedule { .. } => Intent::Reschedule,
        PendingAction::Cancel { .. } => Intent::Cancel,
        // "pode colocar" is a yes; no intent names the waitlist.
        PendingAction::JoinWaitlist { .. } => return false,
    };
    // "ah tem a taxa né.. tudo bem, pode cancelar": the action named in a short clause of its
    // own, whatever the clauses before it acknowledge. A condition opens a clause of its own
    // ("tudo bem pode cancelar mesmo com a taxa qdo eu for aí de novo eu pago"), and the fee
    // the clause accepts does not make it longer.
    const SHORT: usize = 6;
    let named_in_a_short_clause = clauses(&reading.text).flat_map(cut_at_conditions).any(|clause| {
        detect_intent(clause.as_str()) == Some(named)
            && without_the_fee_accepted(clause).tokens().count() <= SHORT
    });
    // "ok quando receber o salario, pode marcar": named, and held back by a condition.
    named_in_a_short_clause
        && !waits_on_a_condition(&reading.text)
        && !reading.no
        && !reading.says_when()
        && reading.service.is_none()
        && reading.professional.is_none()
}

/// The patient agreed to the summary: execute the pending write and say how it went.
pub(super) async fn confirm(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let Some(pending) = s.state().pending.as_ref().map(|pending| pending.action.clone()) else {
        return;
    };
    let name = match pending {
        PendingAction::Book { .. } => tool::BOOK,
        PendingAction::Reschedule { .. } => tool::RESCHEDULE,
        PendingAction::Cancel { .. } => tool::CANCEL,
        PendingAction::JoinWaitlist { .. } => tool::JOIN_WAITLIST,
    };
    let done = match s.call(name, json!({ "confirm": true })).await {
        Ok(done) => done,
        Err(error) => {
            reply.say(error.patient_message());
            return;
        }
    };
    match read::<WriteOutcome>(&done) {
        Some(WriteOutcome::Booked { appointment, reminder }) => {
            s.state_mut().dialogue.request = None;
            s.state_mut().dialogue.shown.clear();
            reply.say(format!("Pronto, agendamento confirmado! ✅\n{}.\n{reminder}", appointment.label));
        }
        Some(WriteOutcome::Rescheduled { appointment, late_change }) => {
            s.state_mut().dialogue.request = None;
            s.state_mut().dialogue.shown.clear();
            let late = late_change.map(|late| format!("\n{late}")).unwrap_or_default();
            reply.say(format!("Pronto, remarcado! ✅\nNovo horário: {}.{late}", appointment.label));
        }
        Some(WriteOutcome::Joined { waitlist }) => {
            s.state_mut().dialogue.request = None;
            s.state_mut().dialogue.shown.clear();
            reply.say(waitlist);
        }
        Some(WriteOutcome::Cancelled { appointment, late_change }) => {
            let late = late_change.map(|late| format!("\n{late}")).unwrap_or_default();
            reply.say(format!(
                "Pronto, seu agendamento foi cancelado: {}.{late}\nSe quiser remarcar, é só me chamar.",
                appointment.label
            ));
        }
        // Something changed since the summary (a price, the late fee): the tool shows the new
        // plan, which needs its own yes.
        Some(WriteOutcome::NeedsConfirmation { summary }) => {
            reply.ask(format!("Houve uma mudança: {summary}\nPosso confirmar?"), Choices::yes_no());
        }
        None => reply.say(done.text.unwrap_or_default()),
    }
}

/// The patient said no to the summary: nothing is written.
pub(super) fn decline(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let Some(pending) = s.state_mut().pending.take() else {
        return;
    };
    match pending.action {
        PendingAction::Cancel { .. } => {
            reply.say("Tudo bem, não cancelei nada: seu agendamento continua marcado. 😊");
        }
        PendingAction::Book { .. } | PendingAction::Reschedule { .. } => {
            reply.ask_text("Tudo bem, não marquei nada. Prefere outro dia ou outro período?");
            s.state_mut().dialogue.awaiting = Some(Awaiting::When);
        }
        PendingAction::JoinWaitlist { .. } => {
            reply
                .say("Tudo bem, não coloquei você na lista de espera. Se mudar de ideia, é só me chamar. 😊");
        }
    }
}

/// After another question was answered, the summary still waits for its yes (unless the
/// patient said what it waits on: that is not asked again).
pub(super) fn remind(s: &Session<'_, '_>, reply: &mut Reply) {
    if let Some(pending) = s.state().pending.as_ref().filter(|pending| !pending.held_back) {
        reply.ask(format!("Sobre o que te passei: {}\nPosso confirmar?", pending.summary), Choices::yes_no());
    }
}

/// A go-ahead that waits on something the patient named ("se meu marido puder ficar com as
/// crianças eu confirmo"), asking for no other day or time than the summary's ("se minha irmã
/// ficar com meus filhos no sábado eu confirmo" to a summary for Saturday).
pub(super) fn holds_back(s: &Session<'_, '_>, pending: &PendingAction, reading: &Reading) -> bool {
    let other_time = match summary_starts(s, pending) {
        Some(local) if !reading.any_day => !reading.when.admits(local),
        _ => reading.says_when(),
    };
    waits_on_a_condition(&reading.text) && names_a_go_ahead(&reading.text) && !reading.no && !other_time
}

/// The yes waits on something the patient named: the summary stays, marked so that only a
/// go-ahead confirms it, and the patient is told what to say then. The slot is not held.
fn hold_back(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let Some(pending) = s.state_mut().pending.as_mut() else { return };
    pending.held_back = true;
    let takes_a_slot = pending.action.new_start().is_some();
    reply.say("Combinado! 😊 Quando der certo, é só me dizer \"pode confirmar\" que eu finalizo.");
    if takes_a_slot {
        reply.say("Só não consigo segurar o horário até lá; se ele for preenchido, te mostro outros.");
    }
}
