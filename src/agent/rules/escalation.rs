//! When a person must take over: a complaint, a dispute about money, a worry after a procedure,
//! or two turns in a row the brain could not place. The patient hears a short apology and what happens next, and the
//! team gets the conversation with the reason (`handoff_to_human`). A patient who asks for a
//! person, or may be in an emergency, is answered by the engine's guards before any brain.

use serde_json::json;
use sofia_core::conversation::Dialogue;
use sofia_core::lang::{CLARIFICATIONS_BEFORE_HUMAN, Escalation, NOT_UNDERSTOOD_FOR_THE_TEAM};

use sofia_core::conversation::Awaiting;

use super::reading::Reading;
use super::reply::{Choices, Reply};
use super::session::{Session, tool};
use super::writes;
use crate::handoff::{NOT_UNDERSTOOD_APOLOGY, acknowledgement, apology};

/// Why the rules brain hands a conversation over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    Said(Escalation),
    NotUnderstood,
    /// Asked something the clinic's knowledge has nothing on, and said yes to a person.
    Unanswered,
}

impl Reason {
    /// What the team reads in the handoff.
    fn for_the_team(self) -> &'static str {
        match self {
            Reason::Said(said) => said.for_the_team(),
            Reason::NotUnderstood => NOT_UNDERSTOOD_FOR_THE_TEAM,
            Reason::Unanswered => "o paciente perguntou algo que as informações da clínica não cobrem",
        }
    }

    /// The apology the patient reads first.
    fn apology(self) -> &'static str {
        match self {
            Reason::Said(said) => apology(said),
            Reason::NotUnderstood => NOT_UNDERSTOOD_APOLOGY,
            Reason::Unanswered => "Combinado! 😊 Vou passar a sua conversa para uma pessoa da nossa equipe.",
        }
    }
}

/// Apologises, hands the conversation to the team with the reason, and says what happens next
/// (in opening hours: someone answers here soon; otherwise: when the team is back).
pub(super) async fn escalate(s: &mut Session<'_, '_>, reason: Reason, reply: &mut Reply) {
    match s.call(tool::HANDOFF, json!({ "reason": reason.for_the_team() })).await {
        Ok(_) => {
            s.state_mut().dialogue = Dialogue::default();
            s.state_mut().placed();
            let next = acknowledgement(s.clinic(), s.ctx.now());
            reply.say(format!("{}\n{next}", reason.apology()));
        }
        Err(error) => {
            tracing::warn!(error = &error as &dyn std::error::Error, "could not hand the conversation over");
            reply.say(format!(
                "Desculpe, não consegui chamar a nossa equipe agora. 🙏 Você pode ligar para a clínica: {}.",
                s.clinic().phone
            ));
        }
    }
}

/// "não era isso": the patient says Sofia's last answer missed, so that turn counts as one she
/// could not place, even if she answered it.
pub(super) fn missed_last_turn(s: &mut Session<'_, '_>) {
    let now = s.ctx.now();
    let failures = s.state().misses(now).max(1);
    s.state_mut().set_misses(failures, now);
}

/// The turn could not be placed: ask again, and the second time in a row hand over.
pub(super) async fn not_understood(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let now = s.ctx.now();
    let failures = s.state_mut().missed(now);
    if failures >= CLARIFICATIONS_BEFORE_HUMAN {
        escalate(s, Reason::NotUnderstood, reply).await;
    } else if s.state().pending.is_some() {
        // A write still awaits its yes: shown again, so that a "sim" next answers the summary
        // right before it, not one a misunderstanding came between.
        reply.say("Desculpe, não entendi bem.");
        writes::remind(s, reply);
    } else {
        reply.say(
            "Desculpe, não entendi bem. Posso te ajudar a agendar, remarcar ou cancelar um horário, \
             ou tirar dúvidas sobre valores, endereço, horários e formas de pagamento. O que você precisa?",
        );
    }
}

/// A question the clinic's knowledge has nothing on: said plainly, with a person offered rather
/// than a loosely related passage. It still counts as a turn not placed, so a second one in a
/// row hands over as any other.
pub(super) async fn nothing_on_it(s: &mut Session<'_, '_>, reply: &mut Reply) {
    let now = s.ctx.now();
    let failures = s.state_mut().missed(now);
    if failures >= CLARIFICATIONS_BEFORE_HUMAN {
        escalate(s, Reason::NotUnderstood, reply).await;
        return;
    }
    s.state_mut().dialogue.awaiting = Some(Awaiting::PersonOffer);
    reply.say("Sobre isso eu não tenho informação por aqui. 🙏");
    reply.ask("Quer que eu chame uma pessoa da nossa equipe para te responder?", Choices::yes_no());
}

/// The answer to the offer of a person: a yes hands over, a no is accepted (the patient has
/// their answer: the clinic's information has nothing on it). Anything else is not an answer
/// to the offer, and is read for what it says.
pub(super) async fn answer_person_offer(
    s: &mut Session<'_, '_>,
    reading: &Reading,
    reply: &mut Reply,
) -> bool {
    s.state_mut().dialogue.awaiting = None;
    if reading.yes {
        escalate(s, Reason::Unanswered, reply).await;
    } else if reading.no && !reading.misunderstood {
        reply.say("Tudo bem! Se precisar de outra coisa, é só me chamar. 😊");
    } else {
        return false;
    }
    true
}
