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
//! 1. Qualification facts the turn states are recorded (`update_lead`), and what it says about
//!    the patient's health is remembered.
//! 2. What needs a person goes to one: a complaint, a money dispute or a worry after a
//!    procedure ([`escalation`]).
//! 3. A procedure the patient's health rules out is not booked ([`health`]); a goodbye for now
//!    gets a short, warm answer; a procedure the clinic does not offer is said to be unavailable.
//! 4. The answer to an appointment reminder ([`reminder`]): the next message after it only;
//!    a no to a freed slot the waitlist offered ([`waitlist`]), or a request to join it.
//!    Then on what the conversation awaits ([`Awaited`]), each dialogue answering its own
//!    question: the write awaiting a yes ([`writes`]), the slots on show ([`booking`]), the open
//!    question (booking's or [`appointments`]').
//! 5. Then on what the patient said: whether someone may come along is answered from the
//!    clinic's knowledge (the visit it names books nothing); questions about the clinic are all
//!    answered, then the first action the turn asks for (book, reschedule, cancel, confirm,
//!    list, package balance), or the minors rule, or an Avaliação instead of a medical opinion.
//! 6. Otherwise praise thanked, a greeting, thanks, the clinic's knowledge, a procedure asked
//!    for by a name the clinic does not use said to be unavailable, or a clarifying question;
//!    the second turn in a row that cannot be placed goes to a person.
//!
//! Every date and time in a reply is one a tool returned; every failed write is told with the
//! tool's own patient message.

mod appointments;
mod booking;
mod escalation;
mod health;
mod lead;
mod reading;
mod reminder;
mod reply;
mod session;
mod topics;
mod waitlist;
mod writes;

use async_trait::async_trait;
use sofia_core::clinic::facts;
use sofia_core::conversation::{AppointmentAction, Awaiting, PendingAction};
use sofia_core::lang::{
    Intent, asked_beside_goodbye, asks_without_a_mark, has_content_words, normalize, puts_off, says_under_age,
};
use sofia_core::qualification::BudgetSignal;

use self::escalation::Reason;
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
    // "posso levar minha filha de 5 anos?": the child comes along; the patient is not a minor.
    if !reading.companion && says_minor(s, reading) {
        s.state_mut().dialogue.minor = true;
    }
    // A complaint or a dispute is the team's to read, not a lead's interest to record.
    if let Some(said) = reading.escalation {
        escalation::escalate(s, Reason::Said(said), reply).await;
        return;
    }
    // "alô??" or "oi?" right after a turn Sofia could not place: the patient is still waiting
    // for that answer, so this turn is not placed either (and, the second in a row, hands over).
    // Answered with the introduction, it would reset the count and leave them going in circles.
    // A miss from another sitting is forgotten: back days later, "oi?" is a greeting.
    if reading.calls_attention && s.state().misses(s.ctx.now()) > 0 {
        escalation::not_understood(s, reply).await;
        return;
    }
    health::remember(s, reading);
    lead::record(s, reading).await;
    if reading.greeting {
        reply.greet(greeting(s, reading));
    }

    // "não, não é isso que eu perguntei" after an offer or a question: Sofia's last answer
    // missed, whatever she was waiting for. A write shown for a yes is answered by its own
    // dialogue (a no drops it).
    if says_sofia_missed(s, reading) {
        let dialogue = &mut s.state_mut().dialogue;
        dialogue.awaiting = None;
        dialogue.shown.clear();
        escalation::missed_last_turn(s);
        escalation::not_understood(s, reply).await;
        return;
    }
    let handled = reminder::answer(s, reading, reply).await
        || waitlist::answer_offer(s, reading, reply).await
        || health::caution(s, reading, reply);
    let leaving = if handled { Leaving::No } else { leaves_for_later(s, reading, reply).await };
    if leaving == Leaving::Unanswered {
        // Its question had no answer, said so: the turn was not placed.
        return;
    }
    let handled = handled
        || leaving == Leaving::Said
        || topics::not_offered(s, reading, reply)
        || topics::unknown_beside_a_service(s, reading, reply).await
        || (s.state().pending.is_none() && waitlist::join(s, reading, reply).await)
        || answer_awaited(s, reading, reply).await;
    // "não, não é isso" or a bare "não, outra coisa" answering nothing Sofia asked: the last
    // turn was not placed after all.
    // "ué... vc não entendeu?" asks only about the misunderstanding itself.
    let missed = (reading.misunderstood && !reading.asks_about_the_clinic())
        || (reading.only_refuses() && !reading.asks_a_question());
    if !handled && missed {
        if reading.misunderstood {
            escalation::missed_last_turn(s);
        }
        escalation::not_understood(s, reply).await;
        return;
    }
    let handled = handled || by_topic(s, reading, reply).await;
    if !handled && !small_talk(s, reading, reply) && !topics::search_knowledge(s, reading, reply).await {
        // A question about something the clinic's knowledge has nothing on ("vocês têm cartão
        // fidelidade?") is said to be unknown, with a person offered; anything else is asked
        // again. Either way the turn was not placed.
        // A procedure asked for by a name the clinic does not use is placed after all: it is
        // said to be unavailable.
        if !topics::unknown_not_offered(s, reading, reply) {
            if reading.asks_a_question() && has_content_words(&reading.text) {
                escalation::nothing_on_it(s, reply).await;
            } else {
                escalation::not_understood(s, reply).await;
            }
            return;
        }
    }
    s.state_mut().placed();
    if !reply.asks() {
        writes::remind(s, reply);
    }
}

/// The patient says Sofia got it wrong, and says nothing else she could act on: a question
/// mark asks only about the misunderstanding ("ué... vc não entendeu?"), a question about the
/// clinic is something to act on.
fn says_sofia_missed(s: &Session<'_, '_>, reading: &Reading) -> bool {
    reading.misunderstood
        && s.state().pending.is_none()
        && reading.tapped.is_none()
        && reading.service.is_none()
        && reading.professional.is_none()
        && reading.when.is_empty()
        && !reading.asks_about_the_clinic()
}

/// Someone under the clinic's minimum age is to be seen.
fn says_minor(s: &Session<'_, '_>, reading: &Reading) -> bool {
    says_under_age(&reading.text, s.clinic().policies.minimum_age)
}

/// How a turn that leaves for later was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaving {
    /// Not a goodbye for now, or one whose question is the booking's or another dialogue's.
    No,
    /// The goodbye said, after the answer to what it also asked.
    Said,
    /// It asked something nothing answers: said plainly, with a person offered.
    Unanswered,
}

/// "vou ver com meu marido e te aviso", "mais tarde eu retorno": a short, warm goodbye (the lead
/// is recorded as in no hurry), and nothing left waiting for a yes. A goodbye never hides the
/// question sent with it: "vou pensar e te falo. dói muito?" gets the answer, read from the
/// question alone, and then the goodbye. A question about days and slots or the patient's
/// appointments ("te aviso. tem sábado?") is the booking's to answer.
async fn leaves_for_later(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> Leaving {
    // "ok obrigada! vou pensar": the "ok" closes, it does not accept what was offered.
    // "vou precisar desmarcar" + "depois marco de novo": the change asked for in so many words
    // is what to answer; the goodbye is for after it.
    // "se eu desmarcar tem multa?" asks about the policy, and changes nothing.
    if !reading.for_later || (reading.change.is_some() && !reading.cancellation_policy) {
        return Leaving::No;
    }
    // "se meu marido puder ficar com as crianças eu confirmo" to a summary: not a goodbye, a yes
    // held back, which the summary's own dialogue keeps for the go-ahead to come.
    if let Some(pending) = &s.state().pending
        && writes::holds_back(s, &pending.action, reading)
    {
        return Leaving::No;
    }
    let Some(asked) = asked_beside_goodbye(&reading.text) else {
        // "me passa o valor que eu vejo com meu marido" asks for the price, and waits for it;
        // "vou ver o valor com meu marido e te aviso" only names it.
        if reading.asks_about_the_clinic() && asks_without_a_mark(&reading.text) {
            return Leaving::No;
        }
        say_goodbye_for_later(s, reply);
        return Leaving::Said;
    };
    let mut question = Reading::of(&Turn::texts(&[asked]), s.clinic(), s.today());
    // "vcs abrem sábado?" asks about the clinic, though it names a day.
    let for_the_booking = question.books_or_changes() && !question.asks_about_the_clinic();
    if for_the_booking || question.unoffered.is_some() || question.unknown_procedure.is_some() {
        return Leaving::No;
    }
    // "vou pensar no botox e te falo. quanto custa?": the service named in the goodbye is the
    // one asked about.
    question.service = question.service.or(reading.service);
    // "vou pensar e te aviso. posso levar uma amiga?": whether someone may come along is the
    // clinic's knowledge on companions, as it is asked alone.
    let answered = topics::companion(s, &question, reply).await
        || topics::answer(s, &question, reply)
        || topics::search_knowledge(s, &question, reply).await;
    if !answered {
        // The offer on the table is over either way: the patient is leaving.
        forget_the_offer(s);
        escalation::nothing_on_it(s, reply).await;
        return Leaving::Unanswered;
    }
    say_goodbye_for_later(s, reply);
    Leaving::Said
}

/// Nothing left waiting for a yes, and the door left open.
fn say_goodbye_for_later(s: &mut Session<'_, '_>, reply: &mut Reply) {
    forget_the_offer(s);
    reply.say(
        "Claro, sem pressa! 😊 Quando decidir, é só me chamar por aqui que eu vejo os horários para você.",
    );
}

/// Nothing left waiting for a yes, a pick or an answer.
fn forget_the_offer(s: &mut Session<'_, '_>) {
    s.state_mut().pending = None;
    s.state_mut().dialogue.awaiting = None;
    s.state_mut().dialogue.shown.clear();
}

/// What the conversation awaits from the patient, most binding first: the write shown for a
/// yes, then a pick among the slots shown, then the answer to the open question.
#[derive(Debug, Clone)]
enum Awaited {
    Confirmation(PendingAction),
    Pick,
    Answer(Awaiting),
}

fn awaited(s: &Session<'_, '_>) -> Vec<Awaited> {
    let state = s.state();
    let confirmation = state.pending.as_ref().map(|pending| Awaited::Confirmation(pending.action.clone()));
    let pick = (!state.dialogue.shown.is_empty()).then_some(Awaited::Pick);
    let answer = state.dialogue.awaiting.map(Awaited::Answer);
    confirmation.into_iter().chain(pick).chain(answer).collect()
}

/// Hands the turn to the dialogue that awaits it; the next in line when the turn is not the
/// answer it awaits. Returns whether one took it.
async fn answer_awaited(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    for awaited in awaited(s) {
        let taken = match awaited {
            Awaited::Confirmation(pending) => writes::answer(s, &pending, reading, reply).await,
            Awaited::Pick => booking::answer_offer(s, reading, reply).await,
            Awaited::Answer(
                question @ (Awaiting::Service | Awaiting::When | Awaiting::BookingOffer { .. }),
            ) => booking::answer_question(s, question, reading, reply).await,
            Awaited::Answer(question @ (Awaiting::Appointment { .. } | Awaiting::CancelReason { .. })) => {
                appointments::answer_question(s, question, reading, reply).await
            }
            // Answered by `waitlist::answer_offer` before anything awaited.
            Awaited::Answer(Awaiting::WaitlistOffer) => false,
            Awaited::Answer(Awaiting::PersonOffer) => {
                escalation::answer_person_offer(s, reading, reply).await
            }
        };
        if taken {
            return true;
        }
    }
    false
}

/// Questions about the clinic, then the first action the turn asks for.
async fn by_topic(s: &mut Session<'_, '_>, reading: &Reading, reply: &mut Reply) -> bool {
    // "posso levar meu bebê na consulta?": the visit it names is not a booking. "quero marcar
    // avaliação, posso levar minha mãe?" asks both.
    let companion = topics::companion(s, reading, reply).await;
    let asks_a_change =
        [Intent::Book, Intent::Reschedule, Intent::Cancel].iter().any(|&intent| reading.mentions(intent));
    if companion && !asks_a_change {
        return true;
    }
    let answered = topics::answer(s, reading, reply) || companion;
    let first_action = reading.intents.iter().copied().find(|intent| {
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
    // Cancelling and moving both asked for: the later is a change of mind and wins.
    let action = match first_action {
        // "bora marcar a próxima limpeza do meu pacote", "quinta à tarde se der": a session of
        // the package booked, not its balance asked.
        Some(Intent::PackageBalance)
            if reading.mentions(Intent::Book) && (reading.service.is_some() || reading.says_when()) =>
        {
            Some(Intent::Book)
        }
        Some(Intent::Cancel | Intent::Reschedule) if !reading.cancellation_policy => {
            reading.change.or(first_action)
        }
        // "surgiu uma reunião na sexta" then "o peeling dá pra ser sábado 10h?": the day of one
        // of the patient's appointments ruled out, and another day for its service, is a move.
        Some(Intent::Book) | None
            if reading.service.is_some()
                && reading.proposes_another_day()
                && appointments::has_one_on_the_day_ruled_out(s, reading).await =>
        {
            Some(Intent::Reschedule)
        }
        // "na verdade dá pra ser mais tarde? tipo 11h" with no booking under way (the one just
        // made is done): a change of mind about the patient's appointment, which is moved.
        None if reading.changes_mind
            && reading.says_when()
            && reading.service.is_none()
            && s.state().dialogue.request.is_none() =>
        {
            Some(Intent::Reschedule)
        }
        other => other,
    };
    match action {
        // "queria marcar endolaser": whether the clinic does it comes first, once its
        // knowledge has been asked.
        Some(Intent::Book) if reading.service.is_none() && reading.unknown_procedure.is_some() => {
            return answered;
        }
        Some(Intent::Book) => {
            // A procedure a minor may not have is refused with the rule itself, said once.
            let refused = reading
                .service
                .and_then(|id| s.clinic().service(id))
                .is_some_and(|service| !service.minors_allowed);
            if s.state().dialogue.minor && reading.mentions(Intent::Minor) && !refused {
                reply.say(facts::minors(s.clinic()));
            }
            book(s, reading, reply).await
        }
        Some(Intent::Reschedule) => {
            appointments::start(s, AppointmentAction::Reschedule, reading, reply).await
        }
        Some(Intent::Cancel) if reading.proposes_another_day() => {
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
        // "avaliação de graça?? quero pra sexta de manhã": the price answered, and the day the
        // patient gave for the service is searched, not asked about again.
        // "posso ir pra praia no sábado depois do peeling?" names a day for the beach, not for
        // the procedure: the aftercare is the whole answer.
        _ if answered
            && reading.service.is_some()
            && reading.says_when()
            && (reading.intent() != Some(Intent::Aftercare) || reading.mentions(Intent::Book)) =>
        {
            book(s, reading, reply).await
        }
        _ if answered => {
            if reading.mentions(Intent::Price) && !reply.asks() {
                topics::offer_booking(s, reading.service, reply);
            }
        }
        // "amei o resultado com o dr ricardo… queria fazer de novo na sexta": praise beside a
        // service and a day is thanked for in a line, and the booking goes on.
        _ if !answered && reading.praise && reading.service.is_some() && reading.says_when() => {
            reply.say("Que alegria saber que você gostou! 🥰");
            book(s, reading, reply).await
        }
        // "amei o resultado da limpeza, a Juliana é um amor": praise that names a service is
        // thanked for, not answered with what the clinic's knowledge says about the service.
        _ if !answered && reading.praise && !reading.asks_a_question() => thank_for_praise(reply),
        // A question about a service ("botox dói?"): the clinic's own answer, then an offer to
        // book it; booking when the knowledge has nothing on it.
        // While a booking is under way, only a question by its words ("qual dura mais?"):
        // "pode ser botox?" answers which service.
        _ if reading.service.is_some()
            && !reading.says_when()
            && (!booking_under_way(s) || asks_without_a_mark(&reading.text))
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
        // "achei caro": understood, with what makes it easier to pay.
        _ if !answered && reading.signals.budget == Some(BudgetSignal::TooExpensive) => {
            topics::price_objection(s, reading, reply)
        }
        // A day or time with nothing under way ("Friday afternoon?"): a booking for then.
        _ if !answered && !reading.when.is_empty() => booking::start(s, reading, reply).await,
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
    } else if reading.greeting && !reading.greets_and_asks {
        // A greeting that asks something else is not answered by the introduction: the
        // knowledge, or a clarifying question, answers it.
        let clinic = facts::short_name(s.clinic()).to_owned();
        let assistant = s.clinic().assistant_name.clone();
        reply.say(format!(
            "Eu sou a {assistant}, assistente virtual da {clinic}. 😊 Posso agendar, remarcar ou cancelar \
             horários e tirar dúvidas sobre procedimentos, valores e endereço. Como posso te ajudar?"
        ));
    } else if reading.thanks {
        reply.say("Imagina! Qualquer coisa, é só me chamar. 😊");
    } else if reading.yes {
        // A yes to nothing Sofia asked: agree, without guessing what it was for.
        reply.say("Combinado! 😊 Se precisar de mais alguma coisa, é só me chamar.");
    } else if let Some(name) = &reading.name {
        reply.say(format!("Prazer, {}! Como posso te ajudar?", first_name(name).unwrap_or(name)));
    } else if !reading.asks_a_question() && reading.when.is_empty() && puts_off(&reading.text) {
        // "blz, falamos outra hora então": nothing else to place, and something put off to an
        // unnamed later. Asking what they meant would keep a patient who is leaving.
        say_goodbye_for_later(s, reply);
    } else {
        return false;
    }
    true
}

/// Praise is thanked for warmly. Nothing is promised that no one does: the team reads the
/// conversation, not a message from Sofia about it.
fn thank_for_praise(reply: &mut Reply) {
    reply.say(
        "Que alegria ler isso! 🥰 Muito obrigada pelo carinho, isso faz o dia da nossa equipe! \
         Qualquer coisa, é só me chamar.",
    );
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
