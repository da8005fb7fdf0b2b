//! The patient's own appointments: listing them, confirming attendance, cancelling (with a
//! reason and the late-change policy the tools report) and choosing which one to reschedule.
//! Also the package balance, which is about what the patient already bought.
//!
//! It owns the answers to its own questions: which appointment, and why cancel.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta};
use serde_json::json;
use sofia_core::conversation::{AppointmentAction, Awaiting, SlotRequest};
use sofia_core::domain::AppointmentId;
use sofia_core::lang::{Choice, DateSpec, DateWish, Intent, Shift, normalize, pick_numbered};

use super::booking::{self, Wanted};
use super::reading::{Reading, Tapped};
use super::reply::{Choices, Reply, ids, row};
use super::session::{AppointmentView, Session, Upcoming, WriteOutcome, read, tool};
use crate::agent::tools::late_notice;
use crate::channels::limits;

/// The answer to a question about the patient's appointments: which one, or why cancel.
/// Returns whether the turn was one.
pub(super) async fn answer_question(
    s: &mut Session<'_, '_>,
    question: Awaiting,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    match question {
        Awaiting::Appointment { action } => answer_which(s, action, reading, reply).await,
        Awaiting::CancelReason { appointment } => answer_reason(s, appointment, reading, reply).await,
        _ => false,
    }
}

/// The answer to "why are you cancelling?": the reason, a consent without one, a no, or a
/// wish to reschedule instead.
async fn answer_reason(
    s: &mut Session<'_, '_>,
    appointment: AppointmentId,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    if reading.mentions(Intent::Reschedule) {
        start(s, AppointmentAction::Reschedule, reading, reply).await;
    } else if reading.no {
        s.state_mut().dialogue.awaiting = None;
        reply.say("Tudo bem, não cancelei nada: seu agendamento continua marcado. 😊");
    } else if consents_to_cancel(reading) {
        // "pode cancelar": no reason given. The summary still goes out for its own yes: a
        // write executes only on a proposal the patient saw in an earlier reply.
        plan_cancel(s, appointment, "sem motivo informado", reply).await;
    } else if gives_reason(reading) {
        let reason = reading.reason.clone().unwrap_or_else(|| reading.text.clone());
        plan_cancel(s, appointment, &reason, reply).await;
    } else {
        return false;
    }
    true
}

/// "sim, pode cancelar", "ok, cancela", "pode cancelar mesmo assim": asked the reason, the
/// patient just confirms the cancellation.
fn consents_to_cancel(reading: &Reading) -> bool {
    reading.reason.is_none()
        && (reading.yes || reading.intent() == Some(Intent::Cancel))
        && !reading.no
        && normalize(&reading.text).as_str().split_whitespace().count() <= 8
}

/// Whether a message answering "why are you cancelling?" is the reason rather than a new
/// question: anything but a question about the clinic or another action.
fn gives_reason(reading: &Reading) -> bool {
    !matches!(
        reading.intent(),
        Some(
            Intent::Book
                | Intent::Reschedule
                | Intent::ListAppointments
                | Intent::PackageBalance
                | Intent::Price
                | Intent::OpeningHours
                | Intent::Location
                | Intent::Payment
                | Intent::Parking
                | Intent::Duration
        )
    )
}

/// "quais meus horários?".
pub(super) async fn list(s: &mut Session<'_, '_>, reply: &mut Reply) {
    match s.call(tool::LIST, json!({})).await {
        Ok(listed) => reply.say(listed.text.unwrap_or_default()),
        Err(error) => reply.say(error.patient_message()),
    }
}

pub(super) async fn package_balance(s: &mut Session<'_, '_>, reply: &mut Reply) {
    match s.call(tool::PACKAGES, json!({})).await {
        Ok(balance) => reply.say(balance.text.unwrap_or_default()),
        Err(error) => reply.say(error.patient_message()),
    }
}

/// Finds the appointment the patient means (asking when several fit) and acts on it.
pub(super) async fn start(
    s: &mut Session<'_, '_>,
    action: AppointmentAction,
    reading: &Reading,
    reply: &mut Reply,
) {
    let upcoming = match s.call(tool::LIST, json!({})).await {
        Ok(listed) => read::<Upcoming>(&listed).map(|upcoming| upcoming.appointments).unwrap_or_default(),
        Err(error) => {
            reply.say(error.patient_message());
            return;
        }
    };
    if upcoming.is_empty() {
        reply.say("Não encontrei agendamentos futuros no seu cadastro.");
        reply.ask("Quer agendar um horário?", Choices::yes_no());
        s.state_mut().dialogue.awaiting = Some(Awaiting::BookingOffer { service: None, professional: None });
        return;
    }
    match narrow(s, &upcoming, reading).as_slice() {
        [only] => act(s, action, only, reading, reply).await,
        // Nothing the turn said fits one of them: ask among them all.
        [] => ask_which(s, action, &upcoming, reading.reason.clone(), reply),
        several => ask_which(s, action, several, reading.reason.clone(), reply),
    }
}

/// The patient changed their mind about the change awaiting a yes: it is dropped, and `action`
/// starts on the same appointment ("pensando bem, não cancela, passa pra quarta").
pub(super) async fn switch(
    s: &mut Session<'_, '_>,
    action: AppointmentAction,
    appointment: AppointmentId,
    reading: &Reading,
    reply: &mut Reply,
) {
    s.state_mut().pending = None;
    let upcoming = match s.call(tool::LIST, json!({})).await {
        Ok(listed) => read::<Upcoming>(&listed).map(|upcoming| upcoming.appointments).unwrap_or_default(),
        Err(error) => {
            reply.say(error.patient_message());
            return;
        }
    };
    match upcoming.into_iter().find(|listed| listed.id == appointment) {
        Some(found) => act(s, action, &found, reading, reply).await,
        // Gone meanwhile (the team changed it): the patient says which.
        None => start(s, action, reading, reply).await,
    }
}

/// Whether the patient has an appointment of the service the turn names on the first day it
/// names, when it then names another: "surgiu uma reunião na sexta" and "o peeling dá pra ser
/// sábado?" moves Friday's peeling.
pub(super) async fn has_one_on_the_day_ruled_out(s: &mut Session<'_, '_>, reading: &Reading) -> bool {
    let Some(ruled_out) = reading.when_by_clause.iter().find_map(|when| when.date) else { return false };
    let Some(service) =
        reading.service.and_then(|id| s.clinic().service(id)).map(|service| service.name.clone())
    else {
        return false;
    };
    let upcoming = match s.call(tool::LIST, json!({})).await {
        Ok(listed) => read::<Upcoming>(&listed).map(|upcoming| upcoming.appointments).unwrap_or_default(),
        Err(_) => return false,
    };
    upcoming.iter().any(|appointment| appointment.service == service && ruled_out.contains(appointment.date))
}

/// The appointments that fit what the turn names: a service, a day.
fn narrow(s: &Session<'_, '_>, upcoming: &[AppointmentView], reading: &Reading) -> Vec<AppointmentView> {
    let mut fitting: Vec<AppointmentView> = upcoming.to_vec();
    // "a limpeza não vou conseguir, o botox continua": the service kept is not the one meant.
    let kept: Vec<String> = reading
        .services_kept
        .iter()
        .filter_map(|id| s.clinic().service(*id))
        .map(|service| service.name.clone())
        .collect();
    let not_kept: Vec<_> = fitting.iter().filter(|a| !kept.contains(&a.service)).cloned().collect();
    if !not_kept.is_empty() {
        fitting = not_kept;
    }
    let service = reading
        .service
        .filter(|id| !reading.services_kept.contains(id))
        .and_then(|id| s.clinic().service(id))
        .map(|service| service.name.clone());
    if let Some(service) = service {
        let same: Vec<_> = fitting.iter().filter(|a| a.service == service).cloned().collect();
        // "minha consulta" names the Avaliação only if there is one.
        if !same.is_empty() {
            fitting = same;
        }
    }
    // "o horário com o Dr. Ricardo": two appointments on one day differ by who sees the patient.
    let professional = reading
        .professional
        .and_then(|id| s.clinic().professional(id))
        .map(|professional| professional.name.clone());
    if let Some(professional) = professional {
        let same: Vec<_> = fitting.iter().filter(|a| a.professional == professional).cloned().collect();
        if !same.is_empty() {
            fitting = same;
        }
    }
    if let Some(date) = reading.when.date {
        let same: Vec<_> = fitting.iter().filter(|a| date.contains(a.date)).cloned().collect();
        // "a de sexta" on a Thursday, of an appointment on the Friday after next: a weekday
        // named alone is the appointment's weekday, whichever week it is in.
        let same_weekday: Vec<_> = match reading.weekday {
            Some(weekday) if same.is_empty() => {
                fitting.iter().filter(|a| a.date.weekday() == weekday).cloned().collect()
            }
            _ => Vec::new(),
        };
        // "remarcar para quinta" names the new day, not the appointment's.
        if !same.is_empty() {
            fitting = same;
        } else if !same_weekday.is_empty() {
            fitting = same_weekday;
        }
    }
    // "mudar o horário da tarde, o de manhã continua": two on one day differ by their part of it.
    let periods = reading.periods_named();
    if !periods.is_empty() {
        let same: Vec<_> = fitting
            .iter()
            .filter(|a| NaiveTime::parse_from_str(&a.time, "%H:%M").is_ok_and(|start| periods.fits(start)))
            .cloned()
            .collect();
        if !same.is_empty() {
            fitting = same;
        }
    }
    // "cancela o das 15h": the time names one of them too (or the new time, when none fits).
    if let Some(time) = reading.when.time {
        let at = time.format("%H:%M").to_string();
        let same: Vec<_> = fitting.iter().filter(|a| a.time == at).cloned().collect();
        if !same.is_empty() {
            fitting = same;
        }
    }
    fitting
}

fn ask_which(
    s: &mut Session<'_, '_>,
    action: AppointmentAction,
    appointments: &[AppointmentView],
    reason: Option<String>,
    reply: &mut Reply,
) {
    let shown: Vec<&AppointmentView> = appointments.iter().take(limits::LIST_ROWS).collect();
    // A write still awaiting its yes would take the "sim" meant for this question.
    s.state_mut().pending = None;
    s.state_mut().dialogue.listed = shown.iter().map(|a| a.id).collect();
    // "preciso cancelar um horário, vou viajar": the reason waits for the choice.
    s.state_mut().dialogue.reason = reason;
    s.state_mut().dialogue.awaiting = Some(Awaiting::Appointment { action });
    let verb = match action {
        AppointmentAction::Reschedule => "remarcar",
        AppointmentAction::Cancel => "cancelar",
        AppointmentAction::Confirm => "confirmar",
    };
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, a)| {
            // "1) Botox — quarta-feira, 04/03 às 10:00 com …" where the list becomes numbered text.
            let title = if a.service.chars().count() <= limits::ROW_TITLE {
                a.service.clone()
            } else {
                a.time.clone()
            };
            row(format!("{}{i}", ids::APPOINTMENT), title, Some(short(&a.label)))
        })
        .collect();
    // The rows are the options (numbered lines where lists cannot be shown): the body does not
    // list them again.
    reply.ask(
        format!("Você tem {} agendamentos. Qual deles você quer {verb}?", shown.len()),
        Choices::List { label: "Ver agendamentos".to_owned(), rows },
    );
}

/// A row description holds 72 characters: the label without its service, if need be.
fn short(label: &str) -> String {
    let without_service = label.split_once(" — ").map_or(label, |(_, rest)| rest);
    without_service.chars().take(limits::ROW_DESCRIPTION).collect()
}

/// The answer to "which appointment?": a tapped row, "o primeiro", "2", or one that the
/// service or day named fits.
async fn answer_which(
    s: &mut Session<'_, '_>,
    action: AppointmentAction,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    let listed = s.state().dialogue.listed.clone();
    let index = match reading.tapped {
        Some(Tapped::Appointment(index)) => Some(index),
        _ => match pick_numbered(&reading.text, listed.len()) {
            Choice::Picked(index) => Some(index),
            _ => None,
        },
    };
    let upcoming = match s.call(tool::LIST, json!({})).await {
        Ok(listed) => read::<Upcoming>(&listed).map(|upcoming| upcoming.appointments).unwrap_or_default(),
        Err(error) => {
            reply.say(error.patient_message());
            return true;
        }
    };
    let chosen = match index.and_then(|i| listed.get(i)) {
        Some(id) => upcoming.iter().find(|a| a.id == *id).cloned(),
        None => {
            let listed_now: Vec<AppointmentView> =
                upcoming.iter().filter(|a| listed.contains(&a.id)).cloned().collect();
            match narrow(s, &listed_now, reading).as_slice() {
                [only]
                    if reading.service.is_some()
                        || reading.professional.is_some()
                        || reading.when.date.is_some()
                        || !reading.periods_named().is_empty() =>
                {
                    Some(only.clone())
                }
                _ => None,
            }
        }
    };
    match chosen {
        Some(appointment) => {
            s.state_mut().dialogue.listed.clear();
            act(s, action, &appointment, reading, reply).await;
            true
        }
        None => false,
    }
}

/// Confirms, starts the cancellation of, or starts moving `appointment`.
pub(super) async fn act(
    s: &mut Session<'_, '_>,
    action: AppointmentAction,
    appointment: &AppointmentView,
    reading: &Reading,
    reply: &mut Reply,
) {
    s.state_mut().dialogue.awaiting = None;
    let earlier_reason = s.state_mut().dialogue.reason.take();
    match action {
        AppointmentAction::Confirm => confirm(s, appointment.id, reply).await,
        AppointmentAction::Cancel => match reading.reason.as_ref().or(earlier_reason.as_ref()) {
            Some(reason) => plan_cancel(s, appointment.id, reason, reply).await,
            None => {
                // The late fee is told before the patient decides, not only in the summary.
                let late = appointment
                    .start
                    .and_then(|start| {
                        late_notice(s.clinic(), start.to_utc(), appointment.package_session, s.ctx.now())
                    })
                    .map(|late| format!(" {late}"))
                    .unwrap_or_default();
                reply.ask_text(format!(
                    "Entendi, {}.{late} Pode me contar o motivo do cancelamento? Se preferir, também posso remarcar para outro dia.",
                    appointment.label
                ));
                s.state_mut().dialogue.awaiting =
                    Some(Awaiting::CancelReason { appointment: appointment.id });
            }
        },
        AppointmentAction::Reschedule => {
            let Some(service) = s.service_named(&appointment.service).map(|service| service.id) else {
                reply
                    .say("Não consegui encontrar esse procedimento para remarcar. Vou pedir ajuda à equipe.");
                return;
            };
            // "remarcar pra quinta à tarde com a Dra. Ana Paula": the professional named stays
            // the one searched, through the time named next and the summary.
            let mut request = SlotRequest {
                moving: Some(appointment.id),
                moving_time: appointment.start_time(),
                service: Some(service),
                professional: reading.professional,
                ..Default::default()
            };
            // The day wanted: after "para", or any day this turn names but the appointment's own
            // (in a burst, the latest message naming one).
            let moved_to = [reading.target_when, reading.when]
                .into_iter()
                .chain(reading.when_by_clause.iter().rev().copied())
                .find(|when| when.date.is_some_and(|date| !date.contains(appointment.date)));
            if reading.same_day {
                // "trocar pro fim da tarde desse mesmo dia": its own day, at what the turn says
                // of the time.
                let said = if reading.target_when.is_empty() { reading.when } else { reading.target_when };
                let when = DateWish { date: Some(DateSpec::Day(appointment.date)), ..said };
                booking::merge_when(&mut request, &when, false, None);
            } else if let Some(when) = moved_to {
                let when = near_the_appointment(when, reading, appointment, s.today());
                booking::merge_when(&mut request, &when, false, None);
                // "pra segunda no mesmo horário": its own time, looked up on the new day.
                booking::keep_the_time(&mut request, reading);
            } else if reading.when.time.is_some()
                && reading.when.date.is_none_or(|date| date.contains(appointment.date))
            {
                // "dá pra ser às 11h?", "sexta às 10 fica melhor" of a Friday appointment: its
                // own day, at the time named.
                let when = DateWish { date: Some(DateSpec::Day(appointment.date)), ..reading.when };
                booking::merge_when(&mut request, &when, false, None);
            } else if let Some(shift) = reading.shift.filter(|_| reading.when.time.is_none()) {
                // "pode ser mais tarde?": the same day, after (or before) the appointment's time.
                shift_on_its_day(&mut request, appointment, shift);
            } else if reading.any_day {
                booking::merge_when(&mut request, &reading.when, true, reading.occasion);
            }
            reply.say(format!("Vamos remarcar: {}.", appointment.label));
            booking::proceed(s, request, Wanted::of(reading), reply).await;
        }
    }
}

/// "passa pra sexta" of an appointment on Thursday the 19th, said on the 12th: the Friday
/// nearest the appointment (the 20th), not the next one from today (the 13th). Never a day
/// already past, nor the appointment's own.
fn near_the_appointment(
    when: DateWish,
    reading: &Reading,
    appointment: &AppointmentView,
    today: NaiveDate,
) -> DateWish {
    const WEEK: u64 = 7;
    let Some(weekday) = reading.target_weekday.filter(|_| when == reading.target_when) else {
        return when;
    };
    let around = (1..WEEK).flat_map(|days| {
        [
            appointment.date.checked_add_days(Days::new(days)),
            appointment.date.checked_sub_days(Days::new(days)),
        ]
    });
    let nearest = around.flatten().find(|day| day.weekday() == weekday && *day >= today);
    match nearest {
        Some(day) => DateWish { date: Some(DateSpec::Day(day)), ..when },
        None => when,
    }
}

/// The appointment's own day, from just after its time ("mais tarde") or up to it ("mais cedo").
fn shift_on_its_day(request: &mut SlotRequest, appointment: &AppointmentView, shift: Shift) {
    let Some(time) = appointment.start_time() else { return };
    (request.from, request.to, request.any_day) = (Some(appointment.date), Some(appointment.date), false);
    match shift {
        Shift::Later => request.after = Some(time + TimeDelta::minutes(1)),
        Shift::Earlier => request.before = Some(time),
    }
}

async fn confirm(s: &mut Session<'_, '_>, appointment: AppointmentId, reply: &mut Reply) {
    match s.call(tool::CONFIRM, json!({ "appointment_id": appointment.to_string() })).await {
        Ok(confirmed) => reply.say(confirmed.text.unwrap_or_default()),
        Err(error) => reply.say(error.patient_message()),
    }
}

/// The reason for cancelling is in: show the cancellation (with any late fee) for confirmation.
pub(super) async fn plan_cancel(
    s: &mut Session<'_, '_>,
    appointment: AppointmentId,
    reason: &str,
    reply: &mut Reply,
) {
    s.state_mut().dialogue.awaiting = None;
    let planned =
        s.call(tool::CANCEL, json!({ "appointment_id": appointment.to_string(), "reason": reason })).await;
    match planned {
        Ok(planned) => match read::<WriteOutcome>(&planned) {
            Some(WriteOutcome::NeedsConfirmation { summary }) => {
                reply.ask(format!("{summary}\nPosso confirmar o cancelamento?"), Choices::yes_no());
            }
            _ => reply.say("Desculpe, me confundi aqui. Pode repetir, por favor?"),
        },
        Err(error) => reply.say(error.patient_message()),
    }
}
