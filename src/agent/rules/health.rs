//! What the patient says about their health that rules procedures out (the clinic file's
//! contraindication cues: "estou amamentando", "tomo isotretinoína"). Sofia books none of those
//! procedures and gives no medical opinion: she offers the Avaliação, where a professional
//! decides.

use sofia_core::clinic::Service;
use sofia_core::conversation::{Awaiting, PendingAction};
use sofia_core::domain::ServiceId;
use sofia_core::lang::insists_anyway;

use super::reading::Reading;
use super::reply::{Choices, Reply};
use super::session::Session;
use super::topics;

/// Remembers the cues the turn mentions, for the rest of the conversation.
pub(super) fn remember(s: &mut Session<'_, '_>, reading: &Reading) {
    for cue in &reading.health_cues {
        if !s.state().dialogue.health_cues.contains(cue) {
            s.state_mut().dialogue.health_cues.push(cue.clone());
        }
    }
}

/// Answers a turn about a procedure the patient's health rules out, or one that tells Sofia
/// something about their health before naming any procedure. Returns whether it did.
pub(super) fn caution(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    if insists_after_the_offer(s, reading) {
        let cue = s.state().dialogue.health_cues.first().cloned().unwrap_or_default();
        reply.say(format!(
            "Entendo, e sei que é chato esperar. Mas, como você mencionou “{cue}”, não posso agendar \
             esse procedimento por aqui: quem decide se ele é seguro para você é um dos nossos \
             profissionais, na Avaliação. Não consigo dar orientação médica por mensagem. 🙏"
        ));
        offer_evaluation(s, None, reply);
        return true;
    }
    if let Some(service) = service_in_play(s, reading).and_then(|id| s.clinic().service(id)).cloned()
        && let Some(cue) = service.ruled_out_by(&s.state().dialogue.health_cues).map(str::to_owned)
    {
        refuse(s, &service, &cue, reply);
        return true;
    }
    let Some(cue) = reading.health_cues.first() else { return false };
    if reading.service.is_some() || reading.about_existing() {
        return false;
    }
    let affected: Vec<&str> = s
        .clinic()
        .services
        .iter()
        .filter(|service| service.contraindications.contains(cue))
        .map(|service| service.name.as_str())
        .collect();
    reply.say(format!(
        "Obrigada por me contar. Como você mencionou “{cue}”, alguns procedimentos ({}) só podem ser \
         feitos depois que um dos nossos profissionais avaliar você; por aqui eu não consigo orientar \
         sobre isso.",
        affected.join(", ")
    ));
    offer_evaluation(s, None, reply);
    true
}

/// "mas eu quero fazer mesmo assim, quinta às 15h" after the Avaliação was offered for what the
/// patient's health rules out: the day and time are not a yes to the Avaliação, and the
/// procedure is still not booked. (A turn naming the procedure is refused by its own cues.)
fn insists_after_the_offer(s: &Session<'_, '_>, reading: &Reading) -> bool {
    let state = s.state();
    // "não quero avaliação, marca de qualquer jeito" names the Avaliação only to refuse it.
    let evaluation = topics::evaluation(s.clinic());
    insists_anyway(&reading.text)
        && (reading.service.is_none() || reading.service == evaluation)
        && !state.dialogue.health_cues.is_empty()
        && matches!(state.dialogue.awaiting, Some(Awaiting::BookingOffer { .. }))
}

/// The service this turn would book: the one it names, the booking under way, or the booking
/// awaiting a yes.
fn service_in_play(s: &Session<'_, '_>, reading: &Reading) -> Option<ServiceId> {
    if reading.about_existing() {
        return None;
    }
    let pending = s.state().pending.as_ref().and_then(|pending| match pending.action {
        PendingAction::Book { service, .. } => Some(service),
        _ => None,
    });
    let under_way =
        s.state().dialogue.request.as_ref().filter(|r| r.moving.is_none()).and_then(|r| r.service);
    reading.service.or(pending).or(under_way)
}

/// The procedure is not booked, nothing about it pending; the Avaliação is offered with a
/// professional who performs it.
pub(super) fn refuse(s: &mut Session<'_, '_>, service: &Service, cue: &str, reply: &mut Reply) {
    s.state_mut().pending = None;
    s.state_mut().dialogue.request = None;
    s.state_mut().dialogue.shown.clear();
    reply.say(format!(
        "Como você mencionou “{cue}”, não posso agendar {} por aqui: antes, um dos nossos \
         profissionais precisa avaliar você. Não consigo dar orientação médica por mensagem. 🙏",
        service.name
    ));
    offer_evaluation(s, Some(service), reply);
}

/// "Quer que eu veja um horário para uma Avaliação gratuita com Dra. Ana Paula Souza?".
fn offer_evaluation(s: &mut Session<'_, '_>, service: Option<&Service>, reply: &mut Reply) {
    let clinic = s.clinic();
    let Some(evaluation) = topics::evaluation(clinic).and_then(|id| clinic.service(id)) else {
        return;
    };
    // Named only when one professional performs both: otherwise any of them may see the patient.
    let professional = service.and_then(|service| {
        let mut both = clinic
            .professionals_for(service.id)
            .filter(|professional| professional.service_ids.contains(&evaluation.id));
        match (both.next(), both.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    });
    let price = if evaluation.price.is_free() { " gratuita" } else { "" };
    let with = professional.map(|p| format!(" com {}", p.name)).unwrap_or_default();
    let question = format!("Quer que eu veja um horário para uma {}{price}{with}?", evaluation.name);
    let offer =
        Awaiting::BookingOffer { service: Some(evaluation.id), professional: professional.map(|p| p.id) };
    reply.ask(question, Choices::yes_no());
    s.state_mut().dialogue.awaiting = Some(offer);
}
