//! The waitlist: offered when nothing fits what the patient asked for, joined when they ask
//! ("pode me colocar na lista de espera"), two steps like every write; and the answer to a
//! freed slot it offered them ("quero" picks it and books it through the usual summary, "não"
//! passes it to the next in line).

use serde_json::{Map, Value, json};
use sofia_core::conversation::Awaiting;
use sofia_core::lang::normalize;

use super::booking;
use super::reading::Reading;
use super::reply::{Choices, Reply};
use super::session::{Session, WriteOutcome, read, tool};

/// Said when no slot fits: how to ask for the waitlist.
pub(super) const OFFER: &str = "Se preferir esperar por esse horário, posso colocar você na lista de espera \
    e te aviso se abrir uma vaga: é só me dizer \"lista de espera\".";

/// "me coloca na lista de espera": the booking under way (with what this turn adds) is
/// proposed for the waitlist. Returns whether the turn asked for it.
pub(super) async fn join(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    let text = normalize(&reading.text);
    if !["lista de espera", "fila de espera"].iter().any(|phrase| text.contains_phrase(phrase)) || reading.no
    {
        return false;
    }
    let mut request =
        s.state().dialogue.request.clone().filter(|request| request.moving.is_none()).unwrap_or_default();
    booking::merge(&mut request, reading);
    let clinic = s.clinic();
    let Some(service) = request.service.and_then(|id| clinic.service(id)) else {
        reply.say(
            "Claro! Me diga qual procedimento e o dia ou período que você prefere: eu vejo os horários e, se não \
             tiver vaga, coloco você na lista de espera.",
        );
        return true;
    };
    let mut args = Map::new();
    args.insert("service".into(), json!(service.name));
    if let Some(professional) = request.professional.and_then(|id| clinic.professional(id)) {
        args.insert("professional".into(), json!(professional.name));
    }
    let today = s.today();
    if let Some(from) = request.from.map(|from| from.max(today)) {
        args.insert("date".into(), json!(from.to_string()));
        args.insert("date_to".into(), json!(request.to.unwrap_or(from).max(from).to_string()));
    }
    if let Some(period) = request.period {
        args.insert("period".into(), json!(period));
    }
    s.state_mut().dialogue.request = Some(request);
    match s.call(tool::JOIN_WAITLIST, Value::Object(args)).await {
        Ok(planned) => match read::<WriteOutcome>(&planned) {
            Some(WriteOutcome::NeedsConfirmation { summary }) => {
                reply.ask(format!("{summary}\nPosso confirmar?"), Choices::yes_no());
            }
            _ => reply.say(planned.text.unwrap_or_default()),
        },
        Err(error) => reply.say(error.patient_message()),
    }
    true
}

/// The answer to a freed slot the waitlist offered: a no releases it for the next in line; a
/// yes is left to the slots on show (the offer's one slot), which books it through its summary.
/// Returns whether the turn was the no.
pub(super) async fn answer_offer(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    if s.state().dialogue.awaiting != Some(Awaiting::WaitlistOffer) {
        return false;
    }
    s.state_mut().dialogue.awaiting = None;
    if !(reading.no || reading.signals.declined == Some(true)) {
        return false;
    }
    match s.call(tool::DECLINE_WAITLIST_OFFER, json!({})).await {
        Ok(released) => reply.say(released.text.unwrap_or_default()),
        Err(error) => reply.say(error.patient_message()),
    }
    true
}
