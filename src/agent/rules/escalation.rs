//! When a person should take over: the brain failed to understand twice in a row and the
//! patient accepts the offer. (A patient who asks for a person, or may be in an emergency, is
//! answered by the engine's guards before any brain.)

use serde_json::json;
use sofia_core::conversation::{Awaiting, Dialogue};

use super::reply::{Choices, Reply};
use super::session::{Session, tool};

/// Failed clarifications after which a person is offered.
const CLARIFICATIONS_BEFORE_HUMAN: u32 = 2;

/// Hands the conversation to the team, telling the patient.
pub(super) async fn hand_off(s: &mut Session<'_, '_>, reason: &str, reply: &mut Reply) {
    match s.call(tool::HANDOFF, json!({ "reason": reason })).await {
        Ok(handed) => {
            s.state_mut().dialogue = Dialogue::default();
            s.state_mut().clarifications = 0;
            reply.say(handed.text.unwrap_or_default());
        }
        Err(error) => reply.say(error.patient_message()),
    }
}

/// The turn could not be understood: ask again, and after two failures in a row offer a person.
pub(super) fn not_understood(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let failures = s.state().clarifications + 1;
    s.state_mut().clarifications = failures;
    if failures >= CLARIFICATIONS_BEFORE_HUMAN {
        reply.ask(
            "Desculpe, ainda não consegui entender. 😕 Quer que eu chame alguém da nossa equipe para te ajudar?",
            Choices::yes_no(),
        );
        s.state_mut().dialogue.awaiting = Some(Awaiting::Handoff);
    } else {
        reply.say(
            "Desculpe, não entendi bem. Posso te ajudar a agendar, remarcar ou cancelar um horário, \
             ou tirar dúvidas sobre valores, endereço, horários e formas de pagamento. O que você precisa?",
        );
    }
}
