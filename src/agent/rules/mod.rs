//! The rules brain: a deterministic pt-BR dialogue manager, the embedded default (no LLM key)
//! and the LLM brain's last fallback.
//!
//! It acts only through the tools, like the LLM brain, and keeps what it needs between turns
//! in the typed conversation state ([`sofia_core::conversation::Dialogue`]): the question it
//! asked, the booking it is putting together, the options it showed.
//!
//! # How a turn is answered
//! Emergencies, opt-outs and requests for a person never reach a brain: the engine's guards
//! answer them first (`crate::engine::Guard`).
//! 1. Qualification facts the turn states are recorded (`update_lead`).
//! 2. Follow-ups to what was asked, in order: the write awaiting a yes, a pick among the slots
//!    shown, then the open question ([`Awaiting`]).
//! 3. Topics: questions about the clinic are all answered; then the first action the turn asks
//!    for (book, reschedule, cancel, confirm, list, package balance), or the minors rule, or an
//!    Avaliação instead of a medical opinion.
//! 4. Otherwise a greeting, thanks, or a clarifying question; after two failed clarifications
//!    in a row, a person is offered.
//!
//! Every date and time in a reply is one a tool returned; every failed write is told with the
//! tool's own patient message.
//!
//! [`Awaiting`]: sofia_core::conversation::Awaiting

mod appointments;
mod booking;
mod human;
mod lead;
mod reading;
mod reply;
mod session;
mod topics;
mod writes;

use async_trait::async_trait;
use sofia_core::clinic::facts;
use sofia_core::conversation::{AppointmentAction, Awaiting, PendingAction, SlotRequest};
use sofia_core::lang::{Intent, normalize};

use self::reading::Reading;
use self::reply::Reply;
use self::session::Session;
use super::brain::{Brain, BrainError, BrainKind, Draft, Turn};
use super::tools::{ToolContext, Tools};

/// The deterministic pt-BR brain. Stateless: everything it remembers is in the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct RulesBrain;

#[async_trait]
impl Brain for RulesBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Rules
    }

    async fn reply(
        &self,
        ctx: &mut ToolContext<'_>,
        tools: &Tools,
        turn: &Turn,
    ) -> Result<Draft, BrainError> {
        let today = ctx.now().with_timezone(&ctx.clinic().timezone).date_naive();
        let reading = Reading::of(turn, ctx.clinic(), today);
        let mut session = Session { ctx, tools };
        let mut reply = Reply::default();
        respond(&mut session, &reading, &mut reply).await;
        reply.into_draft()
    }
}

async fn respond(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) {
    if reading.is_blank() {
        reply.say("Por enquanto eu só consigo ler mensagens de texto. Pode me escrever o que você precisa?");
        return;
    }
    if reading.someone_else {
        reply.say(
            "Por privacidade, não posso passar informações sobre o agendamento de outra pessoa. 🙏 \
             O próprio paciente pode falar com a gente por aqui, pelo número cadastrado dele.",
        );
        return;
    }
    if says_minor(s, reading) {
        s.state_mut().dialogue.minor = true;
    }
    lead::record(s, reading).await;
    if reading.greeting {
        reply.greet(greeting(s, reading));
    }

    let handled = follow_up(s, reading, reply).await || by_topic(s, reading, reply).await;
    if !handled && !small_talk(s, reading, reply) && !topics::search_knowledge(s, reading, reply).await {
        human::not_understood(s, reply);
        return;
    }
    s.state_mut().clarifications = 0;
    if !reply.asks() {
        writes::remind(s, reply);
    }
}

/// Someone under the clinic's minimum age is to be seen: an age below it, or "menor de idade".
fn says_minor(s: &Session<'_, '_>, reading: &Reading) -> bool {
    let minimum = s.clinic().policies.minimum_age;
    reading.age.is_some_and(|age| age < minimum)
        || ["menor de idade", "adolescente"]
            .iter()
            .any(|phrase| normalize(&reading.text).contains_phrase(phrase))
}

/// Answers to what the brain asked: the write awaiting a yes, a pick among the slots shown,
/// the open question. Returns whether the turn was one.
async fn follow_up(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    if let Some(pending) = s.state().pending.as_ref().map(|pending| pending.action.clone()) {
        if reading.yes || agrees_to(&pending, reading) {
            writes::confirm(s, reply).await;
            return true;
        }
        if reading.no || reading.signals.declined == Some(true) {
            writes::decline(s, reply);
            return true;
        }
        if !matches!(pending, PendingAction::Cancel { .. })
            && let Some(pick) = booking::picked(s, reading)
        {
            booking::take(s, pick, reply).await;
            return true;
        }
    }

    let other_service = reading.service.is_some_and(|service| {
        s.state().dialogue.request.as_ref().and_then(|request| request.service) != Some(service)
    });
    if !s.shown_slots().is_empty() && !reading.about_existing() && !other_service {
        if reading.more_options {
            booking::advance(s, reading, reply).await;
            return true;
        }
        if let Some(pick) = booking::picked(s, reading) {
            booking::take(s, pick, reply).await;
            return true;
        }
        if reading.no {
            s.state_mut().dialogue.shown.clear();
            s.state_mut().dialogue.awaiting = Some(Awaiting::When);
            reply.ask_text("Sem problemas! Prefere outro dia ou outro período?");
            return true;
        }
        if reading.says_when() || reading.professional.is_some() {
            booking::advance(s, reading, reply).await;
            return true;
        }
    }

    match s.state().dialogue.awaiting {
        Some(Awaiting::Service) if reading.service.is_some() => {
            booking::advance(s, reading, reply).await;
            true
        }
        Some(Awaiting::When)
            if reading.says_when() || reading.service.is_some() || reading.professional.is_some() =>
        {
            booking::advance(s, reading, reply).await;
            true
        }
        Some(Awaiting::Appointment { action }) => appointments::answer_which(s, action, reading, reply).await,
        Some(Awaiting::CancelReason { appointment }) => {
            if reading.mentions(Intent::Reschedule) {
                appointments::start(s, AppointmentAction::Reschedule, reading, reply).await;
            } else if reading.no {
                s.state_mut().dialogue.awaiting = None;
                reply.say("Tudo bem, não cancelei nada: seu agendamento continua marcado. 😊");
            } else if consents_to_cancel(reading) {
                // "pode cancelar": they saw the appointment and any late fee; no reason given.
                appointments::plan_cancel(s, appointment, "sem motivo informado", reply).await;
                if s.state()
                    .pending
                    .as_ref()
                    .is_some_and(|p| matches!(p.action, PendingAction::Cancel { .. }))
                {
                    *reply = Reply::default();
                    writes::confirm(s, reply).await;
                }
            } else if gives_reason(reading) {
                let reason = reading.reason.clone().unwrap_or_else(|| reading.text.clone());
                appointments::plan_cancel(s, appointment, &reason, reply).await;
            } else {
                return false;
            }
            true
        }
        Some(Awaiting::BookingOffer { service })
            if reading.yes || reading.no || books_the_offer(reading, service) =>
        {
            s.state_mut().dialogue.awaiting = None;
            if !reading.no {
                let mut request = SlotRequest { service, ..Default::default() };
                booking::merge_when(&mut request, &reading.when, reading.any_day);
                booking::proceed(s, request, false, reply).await;
            } else {
                reply.say("Tudo bem! Se precisar de algo, é só me chamar. 😊");
            }
            true
        }
        Some(Awaiting::Handoff) if reading.yes || reading.no => {
            s.state_mut().dialogue.awaiting = None;
            if reading.yes {
                human::hand_off(
                    s,
                    "the rules brain could not understand the patient after two clarifications",
                    reply,
                )
                .await;
            } else {
                reply.say("Tudo bem! Me conta com outras palavras o que você precisa que eu tento de novo.");
            }
            true
        }
        _ => false,
    }
}

/// "quero marcar na terça de manhã então" after "Quer que eu veja um horário para X?": a
/// yes, with a day, for the service offered.
fn books_the_offer(reading: &Reading, service: Option<sofia_core::domain::ServiceId>) -> bool {
    service.is_some()
        && reading.service.is_none()
        && (reading.mentions(Intent::Book) || reading.says_when())
        && !reading.about_existing()
}

/// "tudo bem, pode remarcar" to a reschedule shown for confirmation: the action named again,
/// with nothing new about what or when.
fn agrees_to(pending: &PendingAction, reading: &Reading) -> bool {
    let named = match pending {
        PendingAction::Book { .. } => Intent::Book,
        PendingAction::Reschedule { .. } => Intent::Reschedule,
        PendingAction::Cancel { .. } => Intent::Cancel,
    };
    reading.intent() == Some(named)
        && !reading.no
        && !reading.says_when()
        && reading.service.is_none()
        && reading.professional.is_none()
        && normalize(&reading.text).as_str().split_whitespace().count() <= 6
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
        )
    )
}

/// Questions about the clinic, then the first action the turn asks for.
async fn by_topic(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    let answered = topics::answer(s, reading, reply);
    let action = reading.intents.iter().copied().find(|intent| {
        // "tem multa se eu desmarcar?" asks about the policy, not to cancel.
        let about_policy =
            reading.cancellation_policy && matches!(intent, Intent::Cancel | Intent::Reschedule);
        !about_policy
            && matches!(
                intent,
                Intent::Book
                    | Intent::Reschedule
                    | Intent::Cancel
                    | Intent::ConfirmAttendance
                    | Intent::ListAppointments
                    | Intent::PackageBalance
            )
    });
    match action {
        Some(Intent::Book) => {
            if s.state().dialogue.minor && reading.mentions(Intent::Minor) {
                reply.say(facts::minors(s.clinic()));
            }
            book(s, reading, reply).await
        }
        Some(Intent::Reschedule) => {
            appointments::start(s, AppointmentAction::Reschedule, reading, reply).await
        }
        Some(Intent::Cancel) => appointments::start(s, AppointmentAction::Cancel, reading, reply).await,
        Some(Intent::ConfirmAttendance) => {
            appointments::start(s, AppointmentAction::Confirm, reading, reply).await
        }
        Some(Intent::ListAppointments) => appointments::list(s, reply).await,
        Some(Intent::PackageBalance) => appointments::package_balance(s, reply).await,
        _ if reading.mentions(Intent::Minor) && s.state().dialogue.minor => match reading.service {
            Some(_) => book(s, reading, reply).await,
            None => topics::minors(s, reply),
        },
        _ if reading.mentions(Intent::MedicalQuestion) => topics::medical(s, reply),
        _ if answered => {
            if reading.mentions(Intent::Price) && !reply.asks() {
                topics::offer_booking(s, reading.service, reply);
            }
        }
        // A question about a service ("botox dói?"): the clinic's own answer, then an offer to
        // book it; booking when the knowledge has nothing on it.
        _ if reading.service.is_some()
            && !reading.says_when()
            && !booking_under_way(s)
            && topics::asks_about_service(s.clinic(), reading) =>
        {
            if topics::search_knowledge(s, reading, reply).await {
                topics::offer_booking(s, reading.service, reply);
            } else {
                book(s, reading, reply).await;
            }
        }
        // A service alone ("botox?"), or a day for the booking under way: go on booking.
        _ if reading.service.is_some() => book(s, reading, reply).await,
        _ if reading.says_when() && s.state().dialogue.request.is_some() => {
            booking::advance(s, reading, reply).await
        }
        _ => return answered,
    }
    true
}

fn booking_under_way(s: &Session<'_, '_>) -> bool {
    s.state().dialogue.request.as_ref().is_some_and(|request| request.moving.is_none())
}

/// A booking: the one under way if it is a booking, otherwise a new one.
async fn book(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) {
    if booking_under_way(s) {
        booking::advance(s, reading, reply).await;
    } else {
        booking::start(s, reading, reply).await;
    }
}

/// A greeting, thanks, a name, or saying they lost interest: short and warm.
fn small_talk(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    if reading.signals.declined == Some(true) {
        reply.say("Tudo bem! Se mudar de ideia, é só me chamar. 😊");
    } else if reading.greeting {
        let clinic = facts::short_name(s.clinic()).to_owned();
        let assistant = s.clinic().assistant_name.clone();
        reply.say(format!(
            "Eu sou a {assistant}, assistente virtual da {clinic}. 😊 Posso agendar, remarcar ou cancelar \
             horários e tirar dúvidas sobre procedimentos, valores e endereço. Como posso te ajudar?"
        ));
    } else if reading.thanks {
        reply.say("Imagina! Qualquer coisa, é só me chamar. 😊");
    } else if let Some(name) = &reading.name {
        reply.say(format!("Prazer, {}! Como posso te ajudar?", first_name(name).unwrap_or(name)));
    } else {
        return false;
    }
    true
}

/// "Bom dia, Maria!", mirroring the patient's greeting, by first name when known.
fn greeting(s: &Session<'_, '_>, reading: &Reading) -> String {
    let text = normalize(&reading.text);
    let opening = if text.starts_with_phrase("bom dia") {
        "Bom dia"
    } else if text.starts_with_phrase("boa tarde") {
        "Boa tarde"
    } else if text.starts_with_phrase("boa noite") {
        "Boa noite"
    } else {
        "Oi"
    };
    let known = reading.name.as_deref().or(s.state().patient_name.as_deref()).or(s.ctx.push_name());
    match known.and_then(first_name) {
        Some(name) => format!("{opening}, {name}!"),
        None => format!("{opening}!"),
    }
}

/// The first word of a name that has letters: "Maria" of "Maria Silva" or of "🌸 Maria".
fn first_name(name: &str) -> Option<&str> {
    name.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphabetic()))
        .find(|word| word.chars().count() >= 2)
}
